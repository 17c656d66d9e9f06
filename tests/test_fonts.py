"""The font layer: every class resolves to an embeddable glyf font with full GB2312 coverage."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ALL_INPUTS, SEED
from speechpub import fonts
from speechpub.cli import main
from speechpub.errors import SpeechpubError
from speechpub.fonts import FontFile, covers, installer, resolve
from speechpub.fonts.fontconfig import fontconfig_file
from speechpub.fonts.convert import cached_path
from speechpub.style import FONT_CLASSES, load_style


@pytest.fixture(scope="session")
def style():
    return load_style()


@pytest.fixture(scope="session")
def resolved(style):
    """Resolve once; on a fresh machine this runs the install step (download + 1-2 min converting)."""
    try:
        return resolve(style)
    except SpeechpubError:
        assert installer.install(echo=lambda *a: None, style=style), "speechpub fonts install failed"
        fonts.clear_caches()
        return resolve(style)


def _hanzi(text: str) -> set[int]:
    return {ord(c) for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"}


def test_gb2312_has_6763_hanzi():
    assert len(fonts.gb2312_hanzi()) == 6763


@pytest.mark.parametrize("cls", FONT_CLASSES)
def test_class_font_is_glyf_and_registers_in_reportlab(resolved, cls):
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.pdfbase.ttfonts import TTFont

    font = resolved[cls]
    assert isinstance(font, FontFile) and font.font_class == cls and font.family
    with FTFont(str(font.path), fontNumber=font.subfont_index, lazy=True) as f:
        assert "glyf" in f
    TTFont(f"test-{cls}", str(font.path), subfontIndex=font.subfont_index)   # raises if unusable


@pytest.mark.parametrize("cls", FONT_CLASSES)
def test_class_font_covers_seed_and_gb2312(resolved, cls):
    cmap = covers(resolved[cls])
    seed = _hanzi(SEED.read_text(encoding="utf-8"))
    assert len(seed) > 300
    assert not {chr(c) for c in seed - cmap}
    missing = fonts.gb2312_hanzi() - cmap
    assert not missing, f"{len(missing)} GB2312 hanzi missing, e.g. {''.join(map(chr, sorted(missing)[:20]))}"


def test_substitutes_on_this_machine_are_the_documented_ones(resolved):
    assert {cls: f.family for cls, f in resolved.items()} == {
        "fangsong": "FandolFang", "song-heavy": "Noto Serif CJK SC Black", "hei": "WenQuanYi Zen Hei",
        "kai": "LXGW WenKai", "song": "AR PL SungtiL GB"} or any(f.genuine for f in resolved.values())


def _font_claiming(tmp_path, family: str, filename: str):
    """A copy of a small glyf font whose name table claims `family`."""
    from fontTools.ttLib import TTFont
    src = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not os.path.exists(src):
        pytest.skip(f"{src} not installed (fonts-dejavu-core)")
    with TTFont(src) as f:
        f["name"].names = [r for r in f["name"].names if r.nameID not in (1, 4, 16)]
        for name_id in (1, 4):
            f["name"].setName(family, name_id, 3, 1, 0x409)
        f.save(str(tmp_path / filename))
    return tmp_path / filename


def test_user_folder_wins_over_substitutes(resolved, style, tmp_path, monkeypatch):
    _font_claiming(tmp_path, "仿宋_GB2312", "my-fangsong.ttf")
    shutil.copy(resolved["kai"].path, tmp_path / "kai.ttf")     # a file named after its class
    monkeypatch.setenv("SPEECHPUB_FONTS", str(tmp_path))
    got = resolve(style)
    assert got["fangsong"].path == tmp_path / "my-fangsong.ttf"
    assert got["fangsong"].genuine and got["fangsong"].family == "仿宋_GB2312"
    assert got["kai"].path == tmp_path / "kai.ttf"
    assert got["hei"] == resolved["hei"]


def test_resolve_is_cached(resolved, style):
    t = time.perf_counter()
    assert resolve(style) == resolved
    assert time.perf_counter() - t < 0.05


def test_missing_class_names_what_to_install(style, tmp_path, monkeypatch):
    monkeypatch.setenv("SPEECHPUB_FONT_CACHE", str(tmp_path / "empty-cache"))
    if fonts.choose(style, "fangsong") is not None:
        pytest.skip("a FangSong font is installed outside the font cache")
    with pytest.raises(SpeechpubError) as e:
        resolve(style)
    assert "fangsong" in str(e.value) and "speechpub fonts install" in str(e.value)


def test_cache_is_reused_without_converting(resolved, style, monkeypatch):
    converted = [f for f in resolved.values() if f.path.parent == fonts.cache_dir()]
    assert converted, "expected at least one converted CFF font in the cache"
    mtimes = {f.path: f.path.stat().st_mtime_ns for f in converted}

    def no_conversion(*a, **k):
        raise AssertionError("converted again although the cache is valid")
    monkeypatch.setattr("speechpub.fonts.convert.cff_to_ttf", no_conversion)
    fonts.clear_caches()
    t = time.perf_counter()
    again = resolve(style)
    assert time.perf_counter() - t < 5
    assert again == resolved
    assert {f.path: f.path.stat().st_mtime_ns for f in converted} == mtimes


def test_cache_reached_through_a_link_is_reused(tmp_path, monkeypatch):
    """Checkouts sharing one font cache through a symbolic link name its src/ folder each by
    their own path: the stamp still matches, nothing is converted again (issue 14)."""
    from speechpub.fonts.convert import cached_path, convert_cached
    real = tmp_path / "shared-cache"
    (real / "src").mkdir(parents=True)
    (real / "src" / "face.otf").write_bytes(b"OTTO font bytes")
    link = tmp_path / "checkout-b-cache"
    link.symlink_to(real)
    calls = []

    def fake_convert(src, index, out):
        calls.append(src)
        out.write_bytes(b"ttf")
    monkeypatch.setattr("speechpub.fonts.convert.cff_to_ttf", fake_convert)
    convert_cached(real / "src" / "face.otf", 0, real, "face")
    assert cached_path(link / "src" / "face.otf", 0, link, "face") == link / "face.ttf"
    convert_cached(link / "src" / "face.otf", 0, link, "face")
    assert len(calls) == 1
    (real / "src" / "face.otf").write_bytes(b"OTTO another font")      # a changed source: redone
    assert cached_path(link / "src" / "face.otf", 0, link, "face") is None


def test_stale_stamp_is_not_reused(resolved, tmp_path):
    font = next(f for f in resolved.values() if f.path.parent == fonts.cache_dir())
    stamp = json.loads(font.path.with_suffix(".json").read_text(encoding="utf-8"))
    src = Path(stamp["source"])
    shutil.copy(font.path, tmp_path / "x.ttf")
    (tmp_path / "x.json").write_text(json.dumps(stamp), encoding="utf-8")
    assert cached_path(src, stamp["index"], tmp_path, "x") == tmp_path / "x.ttf"
    (tmp_path / "x.json").write_text(json.dumps({**stamp, "size": stamp["size"] + 1}), encoding="utf-8")
    assert cached_path(src, stamp["index"], tmp_path, "x") is None


def test_converted_glyphs_keep_metrics(resolved):
    """The TrueType copy keeps advance widths and (within 2 units) the outline bounds."""
    from fontTools.ttLib import TTFont
    font = resolved["fangsong"]
    if font.path.parent != fonts.cache_dir():
        pytest.skip("fangsong is not a converted font here")
    stamp = json.loads(font.path.with_suffix(".json").read_text(encoding="utf-8"))
    with TTFont(str(font.path), lazy=True) as new, TTFont(stamp["source"], fontNumber=stamp["index"], lazy=True) as old:
        _compare(new, old)


def _compare(new, old):
    from fontTools.pens.boundsPen import BoundsPen
    new_gs, old_gs = new.getGlyphSet(), old.getGlyphSet()
    for ch in "国务院同志们，。一":
        n, o = new.getBestCmap()[ord(ch)], old.getBestCmap()[ord(ch)]
        assert new["hmtx"][n][0] == old["hmtx"][o][0]
        pn, po = BoundsPen(new_gs), BoundsPen(old_gs)
        new_gs[n].draw(pn)
        old_gs[o].draw(po)
        assert all(abs(a - b) <= 2 for a, b in zip(pn.bounds, po.bounds)), ch


def test_fallback_fonts_are_glyf_cjk(resolved):
    from fontTools.ttLib import TTFont
    fb = fonts.fallback_fonts()
    assert fb and all(f.font_class == "fallback" for f in fb)
    for f in fb:
        with TTFont(str(f.path), fontNumber=f.subfont_index, lazy=True) as t:
            assert "glyf" in t, f
    together = frozenset().union(*(covers(f) for f in fb))
    assert fonts.gb2312_hanzi() <= together
    assert 0x3007 in together          # 〇, which AR PL SungtiL GB (the song class) lacks


def test_cli_lists_every_class(resolved):
    r = CliRunner().invoke(main, ["fonts"])
    assert r.exit_code == 0, r.output
    for cls in FONT_CLASSES:
        assert f"\n{cls} " in "\n" + r.output
    assert r.output.count("GB2312 hanzi 6763/6763") == len(FONT_CLASSES)


def test_cli_reports_missing_class_without_traceback(tmp_path, monkeypatch, style):
    monkeypatch.setenv("SPEECHPUB_FONT_CACHE", str(tmp_path / "empty-cache"))
    if fonts.choose(style, "fangsong") is not None:
        pytest.skip("a FangSong font is installed outside the font cache")
    r = CliRunner().invoke(main, ["fonts"])
    assert r.exit_code == 1 and "MISSING" in r.output and "Traceback" not in r.output


def test_fontconfig_maps_official_names_to_stand_ins(resolved, style):
    if not shutil.which("fc-match"):
        pytest.skip("fc-match (fontconfig) is not installed")
    conf = fontconfig_file(style)
    assert conf == fonts.cache_dir() / "fonts.conf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    for cls, font in resolved.items():
        for name in (style.font_names[cls][0], *fonts.GENUINE[cls]):
            pattern = name.replace("-", "\\-")    # a bare "-" starts the size in a pattern
            out = subprocess.run(["fc-match", "-f", "%{family}", pattern], env=env,
                                 capture_output=True, text=True, check=True).stdout
            assert font.family in out.split(","), f"{name} -> {out}, expected {font.family}"


def test_install_without_apt_says_what_to_get(resolved, style, tmp_path, monkeypatch):
    """Not root / not Debian / offline: no crash, exit 1, and the message names the missing font."""
    import speechpub.fonts.installer as inst
    converted = {f.path.name: f.path for f in resolved.values() if f.path.parent == fonts.cache_dir()}
    monkeypatch.setenv("SPEECHPUB_FONT_CACHE", str(tmp_path / "cache"))
    if fonts.choose(style, "fangsong") is not None:
        pytest.skip("a FangSong font is installed outside the font cache")
    monkeypatch.setattr(inst, "_debian_root", lambda: False)
    monkeypatch.setattr(inst.shutil, "which", lambda name: None)

    def copy_instead_of_converting(src, index, out):     # keep the test fast: reuse the real cache
        shutil.copy(converted[out.name.split(".tmp")[0] + ".ttf"], out)
    monkeypatch.setattr("speechpub.fonts.convert.cff_to_ttf", copy_instead_of_converting)
    r = CliRunner().invoke(main, ["fonts", "install"])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    # one message (issue 12): the class, the Debian package, the font files and where to put them
    assert r.output.count("\n") == 1 and "no font for fangsong" in r.output
    assert "texlive-lang-chinese" in r.output and "FandolFang-Regular.otf" in r.output
    assert "simfang.ttf" in r.output and "SPEECHPUB_FONTS" in r.output


def test_wanted_packages(style, resolved, monkeypatch):
    import speechpub.fonts.installer as inst
    if not shutil.which("dpkg-query"):
        pytest.skip("not Debian: no dpkg-query")
    assert not any(inst._installed(p) for p in inst.wanted_packages(style))
    monkeypatch.setattr(inst, "_installed", lambda pkg: False)
    wanted = inst.wanted_packages(style)
    assert "texlive-lang-chinese" not in wanted      # FandolFang is extracted, TeX never installed
    assert {"fonts-noto-cjk-extra", "fonts-wqy-zenhei", "fonts-lxgw-wenkai", "fonts-arphic-uming"} <= set(wanted)


def test_style_can_list_font_files(resolved, tmp_path):
    text = Path(load_style().path).read_text(encoding="utf-8")
    text = text.replace('[fonts.hei]\n', f'[fonts.hei]\nfiles = ["{resolved["kai"].path}"]\n', 1)
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    got = resolve(load_style(tmp_path / "s.toml"))
    assert got["hei"].path == resolved["kai"].path and got["fangsong"] == resolved["fangsong"]
    bad = text.replace(str(resolved["kai"].path), str(tmp_path / "nope.ttf"))
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(SpeechpubError, match="fonts.hei.files"):
        resolve(load_style(tmp_path / "bad.toml"))


def test_cli_fontconfig_prints_the_path(resolved):
    r = CliRunner().invoke(main, ["fonts", "fontconfig"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == str(fonts.cache_dir() / "fonts.conf")
    assert "<fontconfig>" in (fonts.cache_dir() / "fonts.conf").read_text(encoding="utf-8")


@pytest.mark.slow
def test_libreoffice_uses_the_stand_ins_through_the_fontconfig_file(resolved, style, tmp_path):
    """A DOCX naming the official fonts, rendered by LibreOffice, embeds the resolved files."""
    from docx import Document
    from docx.oxml.ns import qn
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdffonts"):
        pytest.skip("LibreOffice (soffice) or pdffonts (poppler-utils) is not installed")
    doc = Document()
    for cls in FONT_CLASSES:
        run = doc.add_paragraph().add_run("同志们讲话〇")
        run.font.name = style.font_names[cls][0]
        run._element.rPr.rFonts.set(qn("w:eastAsia"), style.font_names[cls][0])
    doc.save(tmp_path / "t.docx")
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(style))}
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "t.docx")],
                   env=env, capture_output=True, timeout=180, check=True)
    out = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True).stdout

    def psname(font):
        from fontTools.ttLib import TTFont
        with TTFont(str(font.path), fontNumber=font.subfont_index, lazy=True) as f:
            return f["name"].getDebugName(6)
    for cls, font in resolved.items():
        assert psname(font) in out, f"{cls}: {psname(font)} not embedded:\n{out}"


def test_unwritable_cache_is_a_user_error(tmp_path):
    from speechpub.fonts.convert import convert_cached
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    src = fonts.cache_dir() / "src" / "FandolFang-Regular.otf"
    with pytest.raises(SpeechpubError, match="SPEECHPUB_FONT_CACHE"):
        convert_cached(src, 0, blocker / "cache", "x")


def test_damaged_cff_font_is_a_user_error(tmp_path):
    from speechpub.fonts.convert import convert_cached
    bad = tmp_path / "bad.otf"
    bad.write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(SpeechpubError, match="cannot convert"):
        convert_cached(bad, 0, tmp_path / "cache", "bad")
    assert not list((tmp_path / "cache").glob("*.ttf"))


def test_class_and_fallback_fonts_cover_every_fixture_character(resolved):
    """Nothing in the real inputs (one is traditional Chinese) would be drawn as an empty box."""
    together = frozenset().union(*(covers(f) for f in (*resolved.values(), *fonts.fallback_fonts())))
    for path in ALL_INPUTS:
        text = path.read_text(encoding="utf-8-sig")
        missing = {c for c in text if not c.isspace() and ord(c) not in together and ord(c) >= 0x80}
        assert not missing, f"{path.name}: {''.join(sorted(missing))}"


def test_configured_font_folder_must_exist(style, tmp_path, monkeypatch):
    monkeypatch.setenv("SPEECHPUB_FONTS", str(tmp_path / "no-such-folder"))
    with pytest.raises(SpeechpubError, match="SPEECHPUB_FONTS"):
        resolve(style)


def test_genuine_system_font_beats_free_substitutes(style, tmp_path, monkeypatch):
    _font_claiming(tmp_path, "SimHei", "simhei.ttf")
    real = fonts.system_dirs()
    monkeypatch.setattr(fonts, "system_dirs", lambda: (*real, str(tmp_path)))
    choice = fonts.choose(style, "hei")
    assert choice.face.path == tmp_path / "simhei.ttf" and choice.genuine
    assert fonts.choose(style, "kai").face.family == "LXGW WenKai" or fonts.choose(style, "kai").genuine


# ---- ReportLab's parse kept in the cache (render/pdf/facecache.py) -------------------------

def _state(font):
    face = {k: v for k, v in font.face.__dict__.items() if k not in ("_pdfScale", "get_table", "glyphToChar")}
    face["_ttf_data"] = bytes(face["_ttf_data"])        # (mapped, not read)
    own = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "encoding")}
    return face, own, type(font.encoding), vars(font.encoding)


@pytest.mark.parametrize("cls", ["fangsong", "song-heavy"])
def test_a_cached_font_is_the_font_reportlab_reads(resolved, cls, tmp_path):
    from reportlab.pdfbase.ttfonts import TTFont
    from speechpub.render.pdf import facecache
    ff = resolved[cls]
    parsed = TTFont("x", str(ff.path), subfontIndex=ff.subfont_index)
    first = facecache.load_font("x", Path(ff.path), ff.subfont_index, tmp_path)    # parses, saves
    assert len(list(tmp_path.iterdir())) == 1
    again = facecache.load_font("x", Path(ff.path), ff.subfont_index, tmp_path)    # from the cache
    for font in (first, again):
        assert _state(font) == _state(parsed)
        assert [font.face._pdfScale(v) for v in (-75, 0, 880, 1000)] == \
               [parsed.face._pdfScale(v) for v in (-75, 0, 880, 1000)]
    # and it makes the same subsets
    codes = sorted(parsed.face.charToGlyph)[100:355]
    assert again.face.makeSubset(codes) == parsed.face.makeSubset(codes)


def test_reportlab_reads_glyph_to_char_only_while_parsing_or_shaping():
    """The cache leaves out face.glyphToChar: ReportLab builds it while parsing a font and
    reads it only to shape text with HarfBuzz, which speechpub never asks for (its glyphs go to
    the canvas as text operators). A newer ReportLab that read it elsewhere would fail here."""
    import ast
    import inspect
    import re
    import reportlab.pdfbase.ttfonts as ttfonts
    tree = ast.parse(inspect.getsource(ttfonts))
    readers = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
               and any(isinstance(n, ast.Attribute) and n.attr == "glyphToChar" for n in ast.walk(node))}
    assert readers == {"extractInfo", "__addPrivate", "shapeFragWord"}
    for module in ("pdfmetrics", "pdfdoc"):
        assert "glyphToChar" not in inspect.getsource(__import__(f"reportlab.pdfbase.{module}", fromlist=["x"]))
    import reportlab.pdfgen.canvas as canvas
    assert "glyphToChar" not in inspect.getsource(canvas)
    ours = Path(fonts.__file__).parents[1]
    for path in ours.rglob("*.py"):
        assert not re.search(r"\b(shapeFragWord|shapeStr|hbAddPrivate|shapedText)\b", path.read_text("utf-8")), path


def test_loaded_fonts_do_not_hold_their_files_in_memory(resolved, tmp_path):
    """The class fonts are 5-30 MB files; a process (each batch worker) that copied them would
    hold all of them. Loaded twice (parsed, then from the cache), the process's own memory
    grows by less than the files' size (ReportLab's tables alone are about 60% of it)."""
    import sys
    files = {(str(ff.path), ff.subfont_index) for ff in resolved.values()}
    total = sum(os.path.getsize(p) for p, _ in files)
    script = (
        "import sys\nfrom pathlib import Path\nfrom speechpub.render.pdf import facecache\n"
        "def anon():\n"
        "    return int(next(l for l in open('/proc/self/status') if l.startswith('RssAnon')).split()[1]) * 1024\n"
        "files = eval(sys.argv[1])\n"
        "for i, (p, ix) in enumerate(files):   # parse once, so that the cache holds them\n"
        "    facecache.load_font(f'a{i}', Path(p), ix, Path(sys.argv[2]))\n"
        "before = anon()\n"
        "fonts = [facecache.load_font(f'b{i}', Path(p), ix, Path(sys.argv[2])) for i, (p, ix) in enumerate(files)]\n"
        "print(anon() - before)\n")
    out = subprocess.run([sys.executable, "-c", script, repr(sorted(files)), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    assert int(out) < total, (int(out) >> 20, total >> 20)


def test_a_changed_font_file_is_read_again(resolved, tmp_path):
    from speechpub.render.pdf import facecache
    src = Path(resolved["hei"].path)
    font = tmp_path / "copy.ttf"
    shutil.copyfile(src, font)
    facecache.load_font("x", font, 0, tmp_path / "cache")
    os.utime(font, ns=(time.time_ns(), time.time_ns() + 10**9))
    facecache.load_font("x", font, 0, tmp_path / "cache")
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_tampered_cache_runs_no_code_and_is_ignored(resolved, tmp_path):
    import pickle
    from speechpub.render.pdf import facecache
    ff = resolved["hei"]
    facecache.load_font("x", Path(ff.path), ff.subfont_index, tmp_path)
    cached, = tmp_path.iterdir()
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))
    cached.write_bytes(pickle.dumps((Evil(), {})))
    font = facecache.load_font("x", Path(ff.path), ff.subfont_index, tmp_path)
    assert not marker.exists()
    assert font.face.charToGlyph                     # parsed from the file instead
    cached.write_bytes(b"not a pickle")
    assert facecache.load_font("x", Path(ff.path), ff.subfont_index, tmp_path).face.charToGlyph


# ---- font facts kept per file (fonts/facts.py) ---------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402


@given(st.sets(st.integers(0, 0x10FFFF), max_size=300))
def test_coverage_survives_its_runs(points):
    from speechpub.fonts import facts
    assert facts.from_ranges(facts.ranges(points)) == points


def _fresh(monkeypatch, tmp_path):
    """A process's view: no facts remembered in memory, the cache folder tmp_path."""
    monkeypatch.setenv("SPEECHPUB_FONT_CACHE", str(tmp_path))
    fonts.clear_caches()


def test_remembered_faces_and_coverage_are_what_the_fonts_say(resolved, monkeypatch, tmp_path):
    files = [Path(ff.path) for ff in resolved.values()] + [Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")]
    files = [p for p in dict.fromkeys(files) if p.is_file()]
    _fresh(monkeypatch, tmp_path)
    read = {p: fonts._read_faces(p) for p in files}            # read, and remembered
    cover = {ff: covers(ff) for ff in resolved.values()}
    assert any(len(faces) > 1 for faces in read.values())        # a collection among them
    assert len(list((tmp_path / "facts").iterdir())) == len(files) + len(set(resolved.values()))
    fonts.clear_caches()
    assert {p: fonts._read_faces(p) for p in files} == read      # from the cache folder
    assert {ff: covers(ff) for ff in resolved.values()} == cover
    fonts.clear_caches()
    monkeypatch.setattr("fontTools.ttLib.TTFont", None)            # no font is opened again
    assert {ff: covers(ff) for ff in resolved.values()} == cover
    assert [fonts._read_faces(p) for p in files] == list(read.values())


def test_a_changed_or_damaged_fact_file_is_read_again(resolved, monkeypatch, tmp_path):
    src = Path(resolved["hei"].path)
    font = tmp_path / "fonts" / src.name
    font.parent.mkdir()
    shutil.copyfile(src, font)
    _fresh(monkeypatch, tmp_path / "cache")
    faces = fonts._read_faces(font)
    assert faces and all(f.path == font for f in faces)
    for f in (tmp_path / "cache" / "facts").iterdir():
        f.write_text("{not json")
    fonts.clear_caches()
    assert fonts._read_faces(font) == faces
    font.write_bytes(b"not a font any more")               # same name, new contents
    fonts.clear_caches()
    assert fonts._read_faces(font) == []


def test_an_unwritable_cache_folder_does_not_stop_fonts(resolved, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    _fresh(monkeypatch, blocker)                # the cache "folder" is a file
    assert fonts._read_faces(Path(resolved["fangsong"].path))
    assert covers(resolved["fangsong"])
