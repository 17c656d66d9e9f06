"""Broken and hostile inputs through the command line: each gets one clear error line naming the
file, or correct outputs; never a traceback, a hang, a partial file or a write outside OUT.

The inputs are generated here (from the seed and from byte recipes), not hand-picked files.
"""
from __future__ import annotations

import codecs
import io
import os
import zipfile

import pytest

from speechpub.verify import compare, extract_text

from cli_helpers import check_outputs, model_text, names_file, no_traceback, snapshot, speechpub
from conftest import SEED

FORMATS = ("txt", "json", "docx", "pdf", "epub")
SPEECH = "某某在全区工作会议上的讲话\n同志们：\n今天开会，研究工作。我们要坚持发展。\n一、总体要求\n要抓落实。\n谢谢大家。\n"

TRAD = "某某在全區工作會議上的講話\n同志們：\n今天開會，研究工作。我們要堅持發展。\n一、總體要求\n要抓落實。\n謝謝大家。\n"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _utf16_lone_surrogate() -> bytes:
    data = SPEECH.encode("utf-16-le")
    return codecs.BOM_UTF16_LE + data[:20] + b"\x00\xd8" + data[20:]      # a high surrogate alone


SEED_BYTES = SEED.read_bytes()
MARKUP = ("<p>HTML 段落</p><b>粗</b><font name=\"Helvetica\" size=\"30\">字</font><para>段</para><br/>"
          "<script>alert(1)</script> **markdown** # 标题 [链接](http://x) `code` "
          "$x^2$ \\textbf{粗} \\begin{document} &amp; &lt;b&gt; &#x4E2D; &#20013; &nbsp; &bogus; "
          "<![CDATA[x]]> <?xml version=\"1.0\"?> <!-- 注释 --> {{模板}} %s %(x)s")

# name -> (bytes, None for a correct output or a regex the error line must match)
CASES = {
    "empty": (b"", "empty"),
    "only-whitespace": (" \n\t\r\n\u3000\n\u00a0 \n".encode(), "whitespace"),
    "only-boilerplate": ("字体:\n浏览:\n打印本页\n关闭窗口\n分享到:\n".encode(), "boilerplate"),
    "pdf-renamed": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    "zip-renamed": (_zip(), "zip"),
    "png-renamed": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    "elf-renamed": (b"\x7fELF\x02\x01\x01" + bytes(500), "executable"),
    "random-binary": (bytes((i * 7919 + 13) % 256 for i in range(4096)), "binary|encoding"),
    "nul-heavy": (b"\x00\x01\x02\x03abc" * 400, "binary"),
    "invalid-utf8-in-the-middle": (SEED_BYTES[:3001] + b"\xff\xfe\xc3\x28" + SEED_BYTES[3001:], None),
    "mixed-utf8-and-a-gb18030-line": (SEED_BYTES + "附：国标编码的一行。\n".encode("gb18030"), None),
    "mixed-three-encodings": (SPEECH.encode() + "第二部分用国标编码。\n".encode("gb18030")
                              + "第三部分用大五碼。\n".encode("big5"), "encoding"),
    "gb18030": (SPEECH.encode("gb18030"), None),
    "big5": (TRAD.encode("big5"), None),
    "big5-with-unencodable-marks": (SPEECH.encode("big5", errors="replace"), None),
    "private-use-characters": (SPEECH.replace("研究", "研究\ue000\uf8ff\U000f0001").encode(), None),
    "utf16-with-bom": (codecs.BOM_UTF16_LE + SPEECH.encode("utf-16-le"), None),
    "utf16-lone-surrogate": (_utf16_lone_surrogate(), "utf-16"),
    "cesu-surrogate-bytes": (SPEECH.encode() + b"\xed\xa0\xbd\xed\xb8\x80\n", "encoding"),
    "cesu-bytes-in-a-long-text": (SEED_BYTES + b"\xed\xa0\xbd\xed\xb8\x80\n", None),
    "nul-and-controls": (SPEECH.replace("今天", "今\x00天\x01\x07\x08\x0b\x0c\x1b\x7f\x85").encode(), None),
    "bidi-marks": (SPEECH.replace("研究", "\u202e研究\u202c\u200f\u200e\u061c\u2067\u2069").encode(), None),
    "emoji-and-extension-b": (SPEECH.replace("研究", "研究😀👍🏽👨‍👩‍👧🇨🇳𠀀𪚥𫠠").encode(), None),
    "markup-of-every-kind": ((SPEECH + MARKUP + "\n").encode(), None),
    "title-of-5000-characters": (("长" * 5000 + "\n" + SPEECH).encode(), None),
    "crlf-and-cr": (SPEECH.replace("\n", "\r\n", 3).replace("\n", "\r").encode(), None),
    "bom-then-nothing": (codecs.BOM_UTF8 + b"\n\n", "whitespace|empty"),
}
GOOD = [name for name, (_, err) in CASES.items() if err is None]
BAD = [name for name, (_, err) in CASES.items() if err is not None]

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every case in one folder, converted to every format with one command."""
    root = tmp_path_factory.mktemp("bad")
    src, out = root / "in", root / "out"
    src.mkdir()
    for name, (data, _) in CASES.items():
        (src / f"{name}.txt").write_bytes(data)
    before = snapshot(root)
    r = speechpub("convert", src, "-o", out, "-f", ",".join(FORMATS), timeout=600)
    return r, src, out, root, before


def test_batch_exit_status_is_1_and_no_traceback(batch):
    r = batch[0]
    no_traceback(r)
    assert r.returncode == 1, r.stderr[-2000:]


@pytest.mark.parametrize("name", BAD)
def test_a_bad_input_gets_an_error_line_naming_it(batch, name):
    r, _, out, _, _ = batch
    assert names_file(r.stderr + r.stdout, f"{name}.txt", CASES[name][1]), r.stderr[-3000:]
    assert not list(out.rglob(f"{name}.*")), "a failed input left outputs"


@pytest.mark.parametrize("fmt", ("txt", "docx", "pdf", "epub"))
@pytest.mark.parametrize("name", GOOD)
def test_a_good_input_reaches_every_output_whole(batch, name, fmt):
    """Emoji, extension B and private-use characters included: the PDF draws a character no
    font has as a box (with a missing_glyph warning) but keeps it in its text."""
    out = batch[2]
    expected = model_text(out / f"{name}.json")
    diff = compare(expected, extract_text(out / f"{name}.{fmt}"))
    assert diff is None, f"{name}.{fmt}: {diff}"


def test_outputs_are_complete_and_only_good_inputs_have_them(batch):
    out = batch[2]
    files = check_outputs(out)
    assert sorted(p.relative_to(out).as_posix() for p in files) == \
        sorted(f"{n}.{f}" for n in GOOD for f in FORMATS)


def test_nothing_written_outside_out_and_inputs_unchanged(batch):
    _, _, out, root, before = batch
    assert snapshot(root, skip=out) == before


def test_the_models_say_what_was_repaired(batch):
    out = batch[2]
    import json
    model = json.loads((out / "invalid-utf8-in-the-middle.json").read_text(encoding="utf-8"))
    assert "invalid_bytes" in {w["code"] for w in model["warnings"]}
    for name, gone in (("nul-and-controls", "\x00\x01\x07\x1b\x7f"), ("bidi-marks", "\u202e\u200f\u061c\u2067")):
        text = model_text(out / f"{name}.json")
        assert not set(gone) & set(text), name
    assert "今天开会，研究工作" in model_text(out / "nul-and-controls.json")
    assert "𠀀𪚥" in model_text(out / "emoji-and-extension-b.json")
    assert model_text(out / "title-of-5000-characters.json").startswith("长" * 5000)
    assert model_text(out / "big5.json").startswith("某某在全區工作會議上的講話")
    assert model_text(out / "big5-with-unencodable-marks.json").startswith("某某在全？工作？？上的？？")


# ---- one file at a time: clean and inspect ------------------------------------------------

@pytest.fixture(scope="module")
def single(tmp_path_factory):
    folder = tmp_path_factory.mktemp("single")
    for name, (data, _) in CASES.items():
        (folder / f"{name}.txt").write_bytes(data)
    return folder


@pytest.mark.parametrize("name", list(CASES))
def test_clean_answers_every_input(single, name):
    path = single / f"{name}.txt"
    r = speechpub("clean", path, timeout=120)
    no_traceback(r)
    if CASES[name][1] is None:
        assert r.returncode == 0 and r.stdout.strip(), r.stderr
    else:
        assert r.returncode == 2
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], r.stderr
        assert names_file(lines[0], str(path), CASES[name][1])
        assert r.stdout == ""


@pytest.mark.parametrize("name", BAD)
def test_inspect_names_the_bad_input(single, name):
    path = single / f"{name}.txt"
    r = speechpub("inspect", path, "--json", timeout=120)
    no_traceback(r)
    assert r.returncode == 2 and names_file(r.stderr, str(path), CASES[name][1]), r.stderr


# ---- big inputs (text outputs only, to keep the suite quick) -------------------------------

def test_20_mb_on_one_line_and_100000_tiny_paragraphs(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    sentence = "今天开会，研究工作，我们要坚持发展改革创新。"
    (src / "one-line.txt").write_bytes(
        ("某某在会议上的讲话\n同志们：\n" + sentence * (20_000_000 // len(sentence.encode()))).encode())
    (src / "tiny-paragraphs.txt").write_bytes(("某某在会议上的讲话\n" + "好。\n\n" * 100_000).encode())
    before = snapshot(src)
    r = speechpub("convert", src, "-o", out, "-f", "txt,json", timeout=600)
    no_traceback(r)
    assert r.returncode == 0, r.stderr[-2000:]
    check_outputs(out)
    assert snapshot(src) == before
    for name in ("one-line", "tiny-paragraphs"):
        assert compare(model_text(out / f"{name}.json"), extract_text(out / f"{name}.txt")) is None
    assert model_text(out / "tiny-paragraphs.json").count("好。") == 100_000


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:                  # sparse: 51 MB on paper, nothing on disk
        f.write("某某的讲话\n".encode())
        f.truncate(51 * 1024 * 1024)
    r = speechpub("inspect", big, timeout=60)
    no_traceback(r)
    assert r.returncode == 2 and names_file(r.stderr, str(big), r"over the limit of 5\d MB.*SPEECHPUB_MAX_BYTES")
    small = tmp_path / "small.txt"
    small.write_text(SPEECH * 20, encoding="utf-8")
    r = speechpub("convert", small, "-o", tmp_path / "out", "-f", "txt", timeout=60,
                  env={"SPEECHPUB_MAX_BYTES": "1000"})
    no_traceback(r)
    assert r.returncode in (1, 2) and names_file(r.stderr + r.stdout, "small.txt", "over the limit")
    assert not (tmp_path / "out" / "small.txt").exists()


# ---- file names ---------------------------------------------------------------------------

NAMES = ["with space.txt", "quote's \"double\".txt", "new\nline.txt", "-leading-dash.txt", "--help.txt",
         "中文 名称（一）.txt", "CON.txt", "nul.txt", "a:b|c?.txt", "tab\there.txt", "trailing dot..txt",
         "ﬁ-ligature-é.txt", "\u202eevil.txt"]


def test_odd_file_names_in_a_folder(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in NAMES:
        (src / name).write_text(SPEECH, encoding="utf-8")
    before = snapshot(tmp_path)
    r = speechpub("convert", src, "-o", out, "-f", "txt,json", timeout=300)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    files = check_outputs(out)
    assert len([p for p in files if p.suffix == ".txt"]) == len(NAMES)
    assert all(p.parent == out for p in files)
    assert all("\n" not in p.name and not p.name.startswith("-") for p in files)
    assert snapshot(tmp_path, skip=out) == before
    for p in files:
        if p.suffix == ".txt":
            assert p.read_text(encoding="utf-8") == speechpub("clean", src / "with space.txt").stdout


@pytest.mark.parametrize("name", ["-leading-dash.txt", "new\nline.txt", "quote's \"double\".txt"])
def test_odd_file_names_one_at_a_time(tmp_path, name):
    path = tmp_path / name
    path.write_text(SPEECH, encoding="utf-8")
    r = speechpub("clean", "--", name, cwd=tmp_path, timeout=60)
    no_traceback(r)
    assert r.returncode == 0 and r.stdout.startswith("某某在全区工作会议上的讲话"), r.stderr
    out = tmp_path / "out"
    r = speechpub("convert", "-o", out, "-f", "txt", "--", name, cwd=tmp_path, timeout=60)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert [p.parent for p in check_outputs(out)] == [out]


def test_missing_file_is_a_usage_error(tmp_path):
    r = speechpub("clean", tmp_path / "nope.txt", timeout=60)
    no_traceback(r)
    assert r.returncode == 2 and names_file(r.stderr, "nope.txt", "no such file")


@pytest.mark.skipif(os.name != "posix", reason="needs symlinks")
def test_a_folder_whose_name_ends_in_txt_is_not_read_as_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    r = speechpub("inspect", folder, timeout=60)
    no_traceback(r)
    assert r.returncode == 2 and names_file(r.stderr, "folder.txt", "folder")
