"""Issue 12: speechpub installed as a user installs it (a wheel or the sdist in a fresh virtual
environment, an empty HOME, no SPEECHPUB_* variables, run outside the checkout) sets up its
fonts in the user's cache folder and converts the seed into every format; nothing is written
into the checkout. Slow: it builds, installs and converts fonts once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import speechpub
from speechpub.fonts import installer

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed-speech-raw.txt"
FORMATS = ("txt", "json", "docx", "pdf", "epub", "ofd")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2")
CONVERTED: dict[str, Path] = {}      # the font cache the wheel's run filled, for the sdist's run


def _clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPEECHPUB_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), LANG="C.UTF-8")
    env.pop("XDG_CACHE_HOME", None)
    return env


def _checkout_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    wheel, sdist = next(out.glob("*.whl")), next(out.glob("*.tar.gz"))
    return wheel, sdist


def _install(tmp: Path, dist: Path, home: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(dist)],
                       capture_output=True, text=True, env=_clean_env(home), cwd=tmp)
    assert r.returncode == 0, r.stderr[-3000:]
    return venv / "bin" / "speechpub"


def _use(exe: Path, tmp: Path, home: Path) -> None:
    """fonts install and convert, as a user would, outside the checkout."""
    env = _clean_env(home)
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, cwd=tmp)
    assert r.stdout.strip().endswith(speechpub.__version__)
    r = subprocess.run([str(exe), "fonts", "install"], capture_output=True, text=True, env=env, cwd=tmp)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    cache = home / ".cache" / "speechpub" / "fonts"
    assert (cache / "fonts.conf").is_file()
    shutil.copy(SEED, tmp / "seed.txt")
    r = subprocess.run([str(exe), "convert", "seed.txt", "-o", "out", "-f", ",".join(FORMATS)],
                       capture_output=True, text=True, env=env, cwd=tmp)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for fmt in FORMATS:
        assert (tmp / "out" / f"seed.{fmt}").stat().st_size > 0
    fonts = subprocess.run(["pdffonts", str(tmp / "out" / "seed.pdf")], capture_output=True, text=True).stdout
    fang = [line for line in fonts.splitlines() if "FandolFang" in line or "FangSong" in line or "simfang" in line]
    assert fang and all(" yes " in line for line in fang), fonts     # the FangSong stand-in, embedded
    r = subprocess.run([str(exe), "convert", "seed.txt", "-o", "out2", "--style", "missing.toml"],
                       capture_output=True, text=True, env=env, cwd=tmp)
    assert r.returncode == 2 and r.stderr.endswith("\n") and "missing.toml" in r.stderr


@pytest.mark.slow
def test_wheel_and_sdist_hold_what_they_should(dists):
    wheel, sdist = dists
    r = subprocess.run([sys.executable, "-m", "twine", "check", str(wheel), str(sdist)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    names = zipfile.ZipFile(wheel).namelist()
    assert {"speechpub/styles/gbt9704.toml", "speechpub/styles/ebook.toml", "speechpub/styles/ebook.css",
            "speechpub/data/words.txt.gz", "speechpub/web/templates/speech.html",
            "speechpub/web/static/app.js", "speechpub/web/static/app.css"} <= set(names)
    assert not [n for n in names if n.startswith("tests/") or n.lower().endswith(FONT_SUFFIXES)]
    with tarfile.open(sdist) as tar:
        members = [m.split("/", 1)[1] for m in tar.getnames() if "/" in m]
    assert {"pyproject.toml", "README.md", "styles/gbt9704.toml", "styles/ebook.css",
            "src/speechpub/cli.py", "src/speechpub/data/words.txt.gz"} <= set(members)
    assert not [m for m in members if m.startswith("tests/") or m.lower().endswith(FONT_SUFFIXES)]


def _fresh(tmp_path_factory, name: str) -> tuple[Path, Path]:
    """A working folder outside the checkout and an empty HOME in it."""
    tmp = tmp_path_factory.mktemp(name)
    (tmp / "home").mkdir()
    return tmp, tmp / "home"


@pytest.mark.slow
def test_installed_wheel_sets_up_fonts_and_converts_outside_the_checkout(dists, tmp_path_factory):
    before = _checkout_state()
    tmp, home = _fresh(tmp_path_factory, "wheel")
    _use(_install(tmp, dists[0], home), tmp, home)
    assert _checkout_state() == before
    CONVERTED["fonts"] = home / ".cache" / "speechpub" / "fonts"


@pytest.mark.slow
def test_installed_sdist_sets_up_fonts_and_converts_outside_the_checkout(dists, tmp_path_factory):
    before = _checkout_state()
    tmp, home = _fresh(tmp_path_factory, "sdist")
    done = CONVERTED.get("fonts")
    if done and done.is_dir():      # the fonts the wheel's run converted: saves three minutes
        shutil.copytree(done, home / ".cache" / "speechpub" / "fonts")
    _use(_install(tmp, dists[1], home), tmp, home)
    assert _checkout_state() == before


def test_fonts_install_without_root_says_what_it_needs_in_one_message(monkeypatch):
    import speechpub.fonts as fonts
    monkeypatch.setattr(installer, "_debian_root", lambda: False)
    monkeypatch.setattr(installer, "fetch_fandol", lambda dest, echo: False)
    real = fonts.choose
    monkeypatch.setattr(fonts, "choose", lambda style, cls: None if cls in ("hei", "kai") else real(style, cls))
    said: list[str] = []
    assert installer.install(echo=said.append) is False
    assert len(said) == 1
    msg = said[0]
    assert "hei" in msg and "kai" in msg and "apt-get install fonts-wqy-zenhei fonts-lxgw-wenkai" in msg
    assert "simhei.ttf" in msg and "SPEECHPUB_FONTS" in msg


def _convert_in_child(args):
    from speechpub.fonts.convert import convert_cached
    src, cache = args
    return str(convert_cached(Path(src), 0, Path(cache), "shared"))


def test_two_processes_filling_the_font_cache_at_once_convert_once(tmp_path, monkeypatch):
    """The batch's workers may convert the same font at the same moment: one converts, the other
    waits and takes its file; nothing half-written is left."""
    import multiprocessing
    import time
    import speechpub.fonts.convert as conv
    src = tmp_path / "face.otf"
    src.write_bytes(b"OTTO" + b"\0" * 64)
    log = tmp_path / "conversions"

    def slow_convert(path, index, out):
        with open(log, "a") as f:
            f.write("x")
        time.sleep(1.0)
        out.write_bytes(b"converted")
    monkeypatch.setattr(conv, "cff_to_ttf", slow_convert)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        paths = pool.map(_convert_in_child, [(str(src), str(tmp_path / "cache"))] * 2)
    assert paths[0] == paths[1] and Path(paths[0]).read_bytes() == b"converted"
    assert log.read_text() == "x"
    assert not [p for p in (tmp_path / "cache").iterdir() if ".tmp" in p.name]
