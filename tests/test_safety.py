"""Nothing let in: outputs stay inside the chosen folder, inputs are never changed, links out of
the input folder are not followed, pandoc runs sandboxed and without a shell."""
from __future__ import annotations

import os
import subprocess

import pytest

from speechpub.model import Block, Document, Meta
from speechpub.render import render
from speechpub.render.epub import writer as epub

from cli_helpers import check_outputs, names_file, no_traceback, produced, snapshot, speechpub

BODY = "同志们：\n今天开会，研究工作。\n谢谢大家。\n"
ALL = "txt,json,docx,pdf,epub"
HOSTILE_TITLES = ["../../etc/passwd", "CON", "a/b", "..\\..\\windows\\x", "/tmp/abs", "<>:\"|?*", ".", "..",
                  "-rf --help", "title\u202ecod.exe"]


def test_titles_that_look_like_paths_do_not_name_files(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for n, title in enumerate(HOSTILE_TITLES):
        (src / f"s{n}.txt").write_text(f"{title}\n{BODY}", encoding="utf-8")
    before = snapshot(tmp_path)
    r = speechpub("convert", src, "-o", out, "-f", ALL, timeout=600)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    names = sorted(p.relative_to(out).as_posix() for p in check_outputs(out))
    assert names == sorted(f"s{n}.{f}" for n in range(len(HOSTILE_TITLES)) for f in ALL.split(","))
    assert snapshot(tmp_path, skip=out) == before


@pytest.mark.parametrize("name, stem", [("CON.txt", "_CON"), ("nul.txt", "_nul"), ("-x.txt", None),
                                        ("a b'\"c.txt", None)])
def test_input_names_given_through_dotdot_paths(tmp_path, name, stem):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "work" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere" / name).write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    out = tmp_path / "work" / "out"
    before = snapshot(tmp_path)
    r = speechpub("convert", "-o", "out", "-f", "txt,json", "--", f"sub/../../elsewhere/{name}",
                  cwd=tmp_path / "work", timeout=120)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    files = check_outputs(out)
    assert [p.parent for p in files] == [out, out]
    assert all(not p.name.startswith("-") for p in files)
    if stem:
        assert sorted(p.name for p in files) == [f"{stem}.json", f"{stem}.txt"]
    assert snapshot(tmp_path, skip=out) == before


def test_an_output_name_that_is_a_link_out_is_replaced_not_followed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "speech.txt").write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    (out / "speech.txt").symlink_to(victim)
    r = speechpub("convert", src, "-o", out, "-f", "txt", timeout=120)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert not (out / "speech.txt").is_symlink()


def test_inputs_are_never_modified(tmp_path):
    """Every kind of input, converted to every format: the input folder is byte-for-byte the same."""
    from conftest import ALL_INPUTS
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for p in ALL_INPUTS[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "readonly.txt").write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    (src / "readonly.txt").chmod(0o444)
    before = snapshot(src)
    stat_before = {p.name: (p.stat().st_mtime_ns, p.stat().st_mode) for p in src.iterdir()}
    r = speechpub("convert", src, "-o", out, "-f", ALL, timeout=600)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert snapshot(src) == before
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_mode) for p in src.iterdir()} == stat_before


# ---- the input folder: links, pipes, unreadable files -------------------------------------

@pytest.fixture
def linked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"外部文件的讲话\n{BODY}", encoding="utf-8")
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "ok.txt").write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    (src / "link-out.txt").symlink_to(outside / "secret.txt")
    (src / "sub" / "link-up.txt").symlink_to("../../outside/secret.txt")
    (src / "dir-out").symlink_to(outside, target_is_directory=True)
    (src / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (src / "link-in.txt").symlink_to("ok.txt")
    return tmp_path, src


def test_links_out_of_the_input_folder_are_not_followed(linked):
    root, src = linked
    out = root / "out"
    before = snapshot(root)
    r = speechpub("convert", src, "-o", out, "-f", "txt,json", timeout=120)
    no_traceback(r)
    said = r.stderr + r.stdout
    assert r.returncode == 1, said
    for name in ("link-out.txt", "link-up.txt", "broken.txt"):
        assert names_file(said, name), said
    files = [p.relative_to(out).as_posix() for p in check_outputs(out)]
    assert sorted(files) == ["link-in.json", "link-in.txt", "ok.json", "ok.txt"]
    assert not any("外部" in p.read_text(encoding="utf-8") for p in produced(out))
    assert snapshot(root, skip=out) == before


def test_a_named_pipe_in_the_input_folder_does_not_hang_convert(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    os.mkfifo(src / "pipe.txt")
    r = speechpub("convert", src, "-o", tmp_path / "out", "-f", "txt", timeout=20)
    no_traceback(r)
    assert r.returncode == 1 and names_file(r.stderr + r.stdout, "pipe.txt")
    assert (tmp_path / "out" / "ok.txt").exists()


def test_a_named_pipe_given_to_clean_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    r = speechpub("clean", tmp_path / "pipe.txt", timeout=20)
    no_traceback(r)
    assert r.returncode == 2 and names_file(r.stderr, "pipe.txt", "named pipe")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_in_the_input_folder_is_named(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    locked = src / "locked.txt"
    locked.write_text(f"某某的讲话\n{BODY}", encoding="utf-8")
    locked.chmod(0)
    try:
        r = speechpub("convert", src, "-o", tmp_path / "out", "-f", "txt", timeout=60)
    finally:
        locked.chmod(0o644)
    no_traceback(r)
    assert r.returncode == 1 and names_file(r.stderr + r.stdout, "locked.txt", "permission|cannot read")
    assert (tmp_path / "out" / "ok.txt").exists()


# ---- pandoc ------------------------------------------------------------------------------

def test_pandoc_runs_without_a_shell_and_text_stays_text(tmp_path, monkeypatch):
    """Shell syntax in a speech reaches pandoc only as Str nodes in the JSON on its stdin."""
    from speechpub.render.epub import pandoc
    calls = []
    real = subprocess.Popen

    def spy(cmd, *args, **kwargs):
        calls.append((cmd, kwargs))
        return real(cmd, *args, **kwargs)

    pandoc.pandoc_path()        # (pypandoc's own search tries `pandoc --version` at several paths)
    monkeypatch.setattr(pandoc.subprocess, "Popen", spy)
    monkeypatch.setattr(pandoc, "_server", None)     # this process starts its own pandoc
    doc = Document(Meta(title="$(touch pwned) `id`; rm -rf /"),
                   (Block("title", "$(touch pwned) `id`; rm -rf /"), Block("paragraph", "正文 | cat /etc/passwd")))
    render(doc, "epub", tmp_path / "x.epub")
    assert len(calls) == 1
    cmd, kwargs = calls[0]
    assert isinstance(cmd, list) and not kwargs.get("shell")
    assert cmd[1:] == ["lua", str(pandoc.SCRIPT)]
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")
    pandoc._stop()
