"""`speechpub fonts install`: get a usable font for every class, then convert the CFF faces."""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..style import FONT_CLASSES

FANDOL = "FandolFang-Regular.otf"
FANDOL_URL = "https://mirrors.ctan.org/fonts/fandol/"   # CTAN package fandol


def _debian_root() -> bool:
    return (Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None
            and hasattr(os, "geteuid") and os.geteuid() == 0)


def _run(cmd, echo, cwd=None) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        echo(f"  {cmd[0]} failed: {e}")
        return False
    if r.returncode:
        last = ((r.stderr or r.stdout).strip().splitlines() or [f"exit status {r.returncode}"])[-1]
        echo(f"  {' '.join(cmd)} failed: {last}")
    return r.returncode == 0


def _apt_install(pkgs, echo) -> bool:
    echo(f"installing Debian packages: {' '.join(pkgs)}")
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *pkgs]
    return _run(cmd, echo) or (_run(["apt-get", "update", "-q"], echo) and _run(cmd, echo))


def _installed(pkg: str) -> bool:
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
    except OSError:
        return False
    return "install ok installed" in r.stdout


def wanted_packages(style) -> list[str]:
    """Debian packages not yet installed: the first free substitute of every class without a
    genuine font (FandolFang is extracted, not installed), and UMing for rare characters."""
    from . import SUBSTITUTES, choose
    pkgs = [SUBSTITUTES[c][0][1] for c in FONT_CLASSES if not getattr(choose(style, c), "genuine", False)]
    pkgs = [p for p in dict.fromkeys([*pkgs, "fonts-arphic-uming"]) if p != "texlive-lang-chinese"]
    return [p for p in pkgs if not _installed(p)]


def fetch_fandol(dest: Path, echo) -> bool:
    """Extract FandolFang-Regular.otf from Debian's texlive-lang-chinese .deb, without TeX."""
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return False
    echo("downloading texlive-lang-chinese (about 50 MB) for FandolFang; TeX is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["apt-get", "download", "-q", "texlive-lang-chinese"]
        if _debian_root():      # root downloads into a folder the _apt user cannot write to
            cmd[2:2] = ["-o", "APT::Sandbox::User=root"]
        if not _run(cmd, echo, cwd=tmp):
            if not (_debian_root() and _run(["apt-get", "update", "-q"], echo) and _run(cmd, echo, cwd=tmp)):
                return False
        deb = next(Path(tmp).glob("texlive-lang-chinese_*.deb"), None)
        if deb is None:
            return False
        proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
        data = None
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                for member in tar:
                    if member.name.endswith("/" + FANDOL) and member.isfile():
                        data = tar.extractfile(member).read()
                        break
        except tarfile.TarError as e:
            echo(f"  cannot read {deb.name}: {e}")
        finally:
            proc.stdout.close()
            proc.kill()
            proc.wait()
    if not data:
        echo(f"  {FANDOL} not found in the package")
        return False
    dest.mkdir(parents=True, exist_ok=True)
    tmp_file = dest / f"{FANDOL}.tmp{os.getpid()}"     # two processes may fetch at once
    tmp_file.write_bytes(data)
    os.replace(tmp_file, dest / FANDOL)
    echo(f"  extracted {dest / FANDOL}")
    return True


def not_root_message(missing) -> str:
    """What a user without root needs for the classes that have no font: one message."""
    from . import FOLDER_ENV, GENUINE, GENUINE_FILES, SUBSTITUTES
    pkgs = [SUBSTITUTES[cls][0][1] for cls in missing]
    files = [f"{GENUINE_FILES[cls]} ({GENUINE[cls][0]})" + (f" or the free {FANDOL} ({FANDOL_URL})"
                                                           if cls == "fangsong" else "") for cls in missing]
    return (f"speechpub fonts install: no font for {', '.join(missing)}; without root it cannot install "
            f"them. Either have an administrator run: apt-get install {' '.join(dict.fromkeys(pkgs))}; or put "
            f"{', '.join(files)} into a folder and name it in {FOLDER_ENV}.")


def install(echo=print, style=None) -> bool:
    """The set-up step; True when every class resolves afterwards."""
    from . import FOLDER_ENV, GENUINE, GENUINE_FILES, cache_dir, choose, clear_caches, materialise, missing_message
    from .fontconfig import fontconfig_file
    from ..style import load_style

    style = style or load_style()
    clear_caches()
    if _debian_root():
        pkgs = wanted_packages(style)
        if pkgs and not _apt_install(pkgs, echo):
            for pkg in pkgs:        # one unavailable package must not block the others
                _apt_install([pkg], echo)
        clear_caches()
    if choose(style, "fangsong") is None:
        if fetch_fandol(cache_dir() / "src", echo):
            clear_caches()
    if not _debian_root():
        missing = [cls for cls in FONT_CLASSES if choose(style, cls) is None]
        if missing:
            echo(not_root_message(missing))
            return False
    ok, substituted = True, []
    for cls in FONT_CLASSES:
        choice = choose(style, cls)
        if choice is None:
            ok = False
            echo(f"{cls:<11} MISSING: {missing_message(cls)}")
            if cls == "fangsong":
                echo(f"{'':<11} FandolFang: download {FANDOL} from {FANDOL_URL} into {FOLDER_ENV} or {cache_dir() / 'src'}")
            continue
        font = materialise(cls, choice, convert=True, echo=echo)
        kind = "genuine" if choice.genuine else f"substitute for {style.font_names[cls][0]}"
        echo(f"{cls:<11} {font.family} ({kind}): {font.path}")
        if not choice.genuine:
            substituted.append(f"{GENUINE[cls][0]} ({GENUINE_FILES[cls]})")
    if substituted:
        echo(f"for the genuine fonts put {', '.join(substituted)} into a folder named by {FOLDER_ENV} "
             "or the style key fonts.folder")
    if ok:
        echo(f"fontconfig file for LibreOffice (FONTCONFIG_FILE): {fontconfig_file(style)}")
    return ok
