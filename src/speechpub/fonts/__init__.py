"""Font classes (fangsong, song-heavy, hei, kai, song) resolved to font files ReportLab can embed.

Order per class: files the style lists (fonts.<class>.files), the user's font folders
(SPEECHPUB_FONTS, style key fonts.folder, the repo's fonts/ folder), then the genuine commercial fonts installed on the system, then free
substitutes. CFF faces are converted to TrueType once and cached (see convert.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SpeechpubError
from ..paths import checkout_root
from ..style import FONT_CLASSES
from . import facts
from .convert import cached_path, convert_cached

FOLDER_ENV, CACHE_ENV = "SPEECHPUB_FONTS", "SPEECHPUB_FONT_CACHE"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Genuine family names (besides those in the style file) and the file names they come in.
GENUINE = {
    "fangsong": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
    "song-heavy": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
    "hei": ("黑体", "SimHei"),
    "kai": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
    "song": ("宋体", "SimSun"),
}
GENUINE_FILES = {
    "fangsong": "simfang.ttf", "song-heavy": "FZXBSJW.TTF", "hei": "simhei.ttf",
    "kai": "simkai.ttf", "song": "simsun.ttc",
}
# Free substitutes in order: (family or full name, Debian package).
SUBSTITUTES = {
    "fangsong": (("FandolFang", "texlive-lang-chinese"),),
    "song-heavy": (("Noto Serif CJK SC Black", "fonts-noto-cjk-extra"),
                   ("Noto Serif CJK SC Bold", "fonts-noto-cjk")),
    "hei": (("WenQuanYi Zen Hei", "fonts-wqy-zenhei"), ("WenQuanYi Micro Hei", "fonts-wqy-microhei")),
    "kai": (("LXGW WenKai", "fonts-lxgw-wenkai"), ("AR PL KaitiM GB", "fonts-arphic-gkai00mp")),
    "song": (("AR PL SungtiL GB", "fonts-arphic-gbsn00lp"), ("AR PL UMing CN", "fonts-arphic-uming")),
}
FANDOL_DIRS = ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
               "/usr/share/texmf/fonts/opentype/public/fandol")
REGULAR = {"regular", "book", "normal", "roman", "r", "medium"}


@dataclass(frozen=True)
class FontFile:
    font_class: str
    path: Path
    subfont_index: int
    family: str
    genuine: bool


@dataclass(frozen=True)
class Face:
    """One face of a font file, as found on disk (possibly CFF)."""
    path: Path
    index: int
    family: str          # the name fontconfig and Word know it by
    psname: str
    names: frozenset     # normalised family, full and typographic names
    weight: int
    glyf: bool
    cjk: bool
    embeddable: bool


@dataclass(frozen=True)
class Choice:
    face: Face
    genuine: bool
    origin: str          # where it was found, for the report


def repo_fonts_dir() -> Path:
    """The checkout's fonts/ folder (it need not exist)."""
    return Path(__file__).resolve().parents[3] / "fonts"


def cache_dir() -> Path:
    """Where converted fonts, the extracted FandolFang and fonts.conf live: SPEECHPUB_FONT_CACHE,
    else fonts/cache in a checkout (scripts/setup fills it), else the user's cache folder
    (~/.cache/speechpub/fonts on Linux)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    if checkout_root() is not None:
        return repo_fonts_dir() / "cache"
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("speechpub")) / "fonts"


def norm_name(name: str) -> str:
    return "".join(c for c in name.casefold() if c not in " _-")


def _read_faces(path: Path) -> list[Face]:
    """The faces of a font file (none when it is not a readable font), remembered per file."""
    return facts.remembered(
        _facts_dir(), "faces", path, "", lambda: _faces_of(path),
        lambda faces: [{**{k: getattr(f, k) for k in _FACE_FIELDS}, "names": sorted(f.names)} for f in faces],
        lambda rows: [Face(path=path, **{k: row[k] for k in _FACE_FIELDS}, names=frozenset(row["names"]))
                      for row in rows])


_FACE_FIELDS = ("index", "family", "psname", "weight", "glyf", "cjk", "embeddable")


def _facts_dir() -> Path:
    return cache_dir() / "facts"


def _faces_of(path: Path) -> list[Face]:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError
    try:
        with open(path, "rb") as file:       # (closed here too when fontTools gives up)
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = TTCollection(file, lazy=True).fonts
            else:
                fonts = [TTFont(file, lazy=True)]
            faces = []
            for i, f in enumerate(fonts):
                try:
                    faces.append(_face(path, i, f))
                except Exception:        # a broken font is skipped, never fatal
                    continue
            return faces
    except (TTLibError, OSError, AssertionError, ValueError, KeyError, EOFError):
        return []


def _face(path: Path, index: int, f) -> Face:
    names: dict[int, list[str]] = {}
    for rec in f["name"].names:
        if rec.nameID in (1, 2, 4, 6, 16, 17):
            try:
                text = rec.toUnicode().strip()
            except (UnicodeDecodeError, LookupError):
                continue
            lst = names.setdefault(rec.nameID, [])
            english = rec.platformID == 3 and rec.langID == 0x409 or rec.platformID in (0, 1) and rec.langID == 0
            lst.insert(0, text) if english else lst.append(text)
    first = lambda i: names.get(i, [""])[0]  # noqa: E731
    sub = first(17) or first(2)
    family = first(16) if first(16) and sub.casefold() in REGULAR else first(1)
    os2 = f["OS/2"] if "OS/2" in f else None
    fs_type = os2.fsType if os2 else 0
    return Face(
        path=path, index=index, family=family, psname=first(6) or path.stem,
        names=frozenset(norm_name(n) for i in (1, 4, 16) for n in names.get(i, ())),
        weight=os2.usWeightClass if os2 else 400,
        glyf="glyf" in f, cjk=bool(os2 and os2.ulUnicodeRange2 & (1 << 27)),   # claims CJK ideographs
        embeddable=not (fs_type & 0x000F == 0x0002),    # 2 = restricted licence
    )


@lru_cache(maxsize=32)
def _scan(dirs: tuple[str, ...], skip: tuple[str, ...] = ()) -> tuple[Face, ...]:
    """Every face in these folders (recursively), except under the `skip` folders."""
    faces = []
    for d in dirs:
        root = Path(d).expanduser()
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if p.suffix.lower() in FONT_SUFFIXES and p.is_file() and not any(
                    Path(k) in p.parents for k in skip):
                faces.extend(_read_faces(p))
    return tuple(faces)


def system_dirs() -> tuple[str, ...]:
    home = Path.home()
    dirs = ["/usr/share/fonts", "/usr/local/share/fonts", home / ".fonts", home / ".local/share/fonts",
            "/Library/Fonts", "/System/Library/Fonts", home / "Library/Fonts", *FANDOL_DIRS,
            cache_dir() / "src"]
    if os.environ.get("WINDIR"):
        dirs.append(Path(os.environ["WINDIR"]) / "Fonts")
    if os.environ.get("LOCALAPPDATA"):
        dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft/Windows/Fonts")
    return tuple(str(d) for d in dirs)


def user_dirs(style) -> tuple[str, ...]:
    """SPEECHPUB_FONTS (os.pathsep-separated), the style's fonts.folder, the repo's fonts/."""
    dirs = []
    for d in os.environ.get(FOLDER_ENV, "").split(os.pathsep):
        if d and not Path(d).expanduser().is_dir():
            raise SpeechpubError(d, f"{FOLDER_ENV} names a font folder that does not exist")
        dirs += [d] if d else []
    if style.font_folder:
        folder = Path(style.font_folder).expanduser()
        folder = folder if folder.is_absolute() else Path(style.path).parent / folder
        if not folder.is_dir():
            raise SpeechpubError(style.path, f"style key fonts.folder: {folder} is not a folder")
        dirs.append(str(folder))
    dirs.append(str(repo_fonts_dir()))
    return tuple(dirs)


def _best(faces, names) -> Face | None:
    """The face of the first name that any face carries; Regular weight first."""
    for name in names:
        hits = [f for f in faces if norm_name(name) in f.names and f.embeddable]
        if hits:
            return min(hits, key=lambda f: (abs(f.weight - 400), not f.glyf, str(f.path), f.index))
    return None


def _substitute_names(cls) -> set[str]:
    return {norm_name(n) for n, _ in SUBSTITUTES[cls]}


def _style_files(style, cls: str, genuine) -> Choice | None:
    """Style key fonts.<class>.files: font files ("file.ttc#2" picks a face), tried first."""
    table = style.raw.get("fonts", {}).get(cls, {})
    files = table.get("files", []) if isinstance(table, dict) else []
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise SpeechpubError(style.path, f"style key fonts.{cls}.files must be a list of font file paths")
    for spec in files:
        name, _, index = spec.partition("#")
        path = Path(name).expanduser()
        path = path if path.is_absolute() else Path(style.path).parent / path
        faces = _read_faces(path) if path.is_file() else []
        if not faces:
            raise SpeechpubError(style.path, f"style key fonts.{cls}.files: {path} is not a readable font file")
        face = faces[int(index)] if index.isdigit() and int(index) < len(faces) else faces[0]
        if face.embeddable:
            return Choice(face, bool(face.names & {norm_name(n) for n in genuine}), "style key fonts.files")
    return None


def choose(style, cls: str) -> Choice | None:
    """The face a class resolves to, before any conversion; None when nothing fits."""
    subs = _substitute_names(cls)
    genuine = [n for n in (*style.font_names[cls], *GENUINE[cls]) if norm_name(n) not in subs]
    listed = _style_files(style, cls, genuine)
    if listed:
        return listed
    every = [*genuine, *(n for n, _ in SUBSTITUTES[cls]), *style.font_names[cls]]
    user = _scan(user_dirs(style), (str(cache_dir()), str(repo_fonts_dir() / "cache")))
    face = _best(user, every) or next(
        (f for f in user if norm_name(f.path.stem) == norm_name(cls) and f.embeddable), None)
    if face:
        return Choice(face, bool(face.names & {norm_name(n) for n in genuine}), "user folder")
    system = _scan(system_dirs())
    face = _best(system, genuine)
    if face:
        return Choice(face, True, "installed on the system")
    for name, pkg in SUBSTITUTES[cls]:
        face = _best(system, [name])
        if face:
            return Choice(face, False, f"free; Debian package {pkg}")
    return None


def _stem(face: Face) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in face.psname) or face.path.stem


def materialise(cls: str, choice: Choice, convert: bool = True, echo=None) -> FontFile | None:
    """A FontFile for a choice: glyf faces as they are, CFF faces converted (once) to the cache."""
    face = choice.face
    path, index = face.path, face.index
    if not face.glyf:
        if convert:
            path = convert_cached(face.path, face.index, cache_dir(), _stem(face), echo)
        else:
            path = cached_path(face.path, face.index, cache_dir(), _stem(face))
            if path is None:
                return None
        index = 0
    return FontFile(cls, path, index, face.family, choice.genuine)


def missing_message(cls: str) -> str:
    subs = ", ".join(f"{n} (Debian package {p})" for n, p in SUBSTITUTES[cls])
    return (f"no usable font for class {cls}: run `speechpub fonts install`, or put "
            f"{GENUINE[cls][0]} ({GENUINE_FILES[cls]}) into a folder named by {FOLDER_ENV}, "
            f"or install a free substitute: {subs}")


def _key(style) -> tuple:
    return (style.path, tuple(sorted(style.font_names.items())), style.font_folder,
            os.environ.get(FOLDER_ENV, ""), os.environ.get(CACHE_ENV, ""))


_RESOLVED: dict[tuple, dict] = {}


def resolve(style) -> dict[str, FontFile]:
    """Every class in FONT_CLASSES -> a glyf font file ReportLab can register; cached."""
    key = _key(style)
    if key not in _RESOLVED:
        out = {}
        for cls in FONT_CLASSES:
            choice = choose(style, cls)
            if choice is None:
                raise SpeechpubError(style.path, missing_message(cls))
            out[cls] = materialise(cls, choice)
        _RESOLVED[key] = out
    return dict(_RESOLVED[key])


@lru_cache(maxsize=64)
def covers(font: FontFile) -> frozenset[int]:
    """The code points the font's cmap maps (remembered per file)."""
    def read() -> frozenset[int]:
        from fontTools.ttLib import TTFont
        with TTFont(str(font.path), fontNumber=font.subfont_index, lazy=True) as f:
            return frozenset(f.getBestCmap() or ())
    return facts.remembered(_facts_dir(), "cmap", Path(font.path), str(int(font.subfont_index or 0)),
                            read, facts.ranges, facts.from_ranges)


PREFERRED_FALLBACK = ("AR PL UMing CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "LXGW WenKai",
                      "AR PL SungtiL GB", "AR PL KaitiM GB", "Noto Serif CJK SC", "FandolFang")


@lru_cache(maxsize=4)
def _fallback(key) -> tuple:
    cache = cache_dir()
    faces = [f for f in (*_scan(system_dirs()), *_scan((str(cache),), (str(cache / "src"),)))
             if f.glyf and f.embeddable and f.weight < 600 and (f.cjk or f.path.parent == cache)]
    known = {norm_name(n): i for i, n in enumerate(PREFERRED_FALLBACK)}
    # known families first; then the simplified-Chinese face of a collection, Regular before Light
    faces.sort(key=lambda f: (min((known[n] for n in f.names if n in known), default=99),
                              not any(t in f.family for t in (" SC", " CN", " GB")),
                              abs(f.weight - 400), str(f.path), f.index))
    out, seen = [], set()
    for f in faces:     # one face per family and per file
        keys = {min(f.names, key=len, default=f.family), str(f.path)}
        if keys & seen:
            continue
        seen |= keys
        ff = FontFile("fallback", f.path, f.index, f.family, False)
        if f.names & known.keys() or len(covers(ff) & gb2312_hanzi()) >= 1000:  # more than a claim
            out.append(ff)
    return tuple(out)


def fallback_fonts() -> list[FontFile]:
    """Other installed glyf CJK fonts, to draw characters that no class font covers."""
    return list(_fallback((os.environ.get(CACHE_ENV, ""),)))


def clear_caches() -> None:
    """Forget scans and resolutions (after installing fonts)."""
    _RESOLVED.clear()
    for fn in (_scan, _fallback, covers):
        fn.cache_clear()


@lru_cache(maxsize=1)
def gb2312_hanzi() -> frozenset[int]:
    """The 6,763 hanzi of GB2312 (rows 0xB0-0xF7)."""
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


def _glyph_count(path: Path, index: int) -> int:
    from fontTools.ttLib import TTFont
    with TTFont(str(path), fontNumber=index, lazy=True) as f:
        return f["maxp"].numGlyphs


def report(style) -> tuple[list[str], bool]:
    """Lines for `speechpub fonts`: per class the file, genuine or substitute, coverage."""
    lines, ok, gb = [], True, gb2312_hanzi()
    for cls in FONT_CLASSES:
        official = style.font_names[cls][0]
        choice = choose(style, cls)
        if choice is None:
            ok = False
            lines += [f"{cls:<11} MISSING ({official})", f"{'':<11} {missing_message(cls)}"]
            continue
        face = choice.face
        font = materialise(cls, choice, convert=False)
        kind = "genuine" if choice.genuine else f"substitute for {official}"
        lines.append(f"{cls:<11} {face.family}: {kind} ({choice.origin})")
        if font is None:
            lines.append(f"{'':<11} {face.path} is CFF and not converted yet: run `speechpub fonts install`")
            font = FontFile(cls, face.path, face.index, face.family, choice.genuine)
        else:
            src = f" (converted from {face.path})" if font.path != face.path else ""
            sub = f" face {font.subfont_index}" if font.path.suffix.lower() in (".ttc", ".otc") else ""
            lines.append(f"{'':<11} {font.path}{sub}{src}")
        n = len(gb & covers(font))
        lines.append(f"{'':<11} GB2312 hanzi {n}/{len(gb)}, {_glyph_count(font.path, font.subfont_index)} glyphs")
    return lines, ok


# `speechpub fonts install` is fonts.installer.install, the LibreOffice fontconfig file
# fonts.fontconfig.fontconfig_file: both build on this module, which imports neither.
__all__ = ["FontFile", "resolve", "covers", "fallback_fonts", "cache_dir", "clear_caches", "choose"]
