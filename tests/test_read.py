"""Reading: encodings, BOMs, newlines, and clear errors for input that is not a speech."""
import io
import zipfile

import pytest

from speechpub.errors import SpeechpubError
from speechpub.read import decode, read_file

from conftest import SEED

TEXT = SEED.read_text(encoding="utf-8")
TRAD = "各位友邦的元首與貴賓，大家好\n感謝與承擔\n我們要感謝這塊土地對我們的栽培。\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16-le"),          # Python writes a BOM, little-endian here
    ("utf-16-be", None),
])
def test_encodings_decode_to_the_same_text(encoding, expected):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
        expected = "utf-16-be"
    src = decode(data, "seed")
    assert src.text == TEXT
    assert src.encoding == expected


def test_big5_traditional_text():
    src = decode(TRAD.encode("big5"), "tsai")
    assert src.text == TRAD
    assert src.encoding.startswith("big5")


@pytest.mark.parametrize("newline, kind", [("\r\n", "CRLF"), ("\r", "CR"), ("\n", "LF")])
def test_newlines_normalised(newline, kind):
    src = decode(TEXT.replace("\n", newline).encode("utf-8"), "seed")
    assert src.text == TEXT
    assert src.newline == kind


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
])
def test_binary_files_are_refused_with_their_kind(data, what):
    with pytest.raises(SpeechpubError) as e:
        decode(data, "speech.txt")
    assert what in str(e.value) and "speech.txt" in str(e.value)


def test_zip_renamed_txt_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "同志们：")
    p = tmp_path / "speech.txt"
    p.write_bytes(buf.getvalue())
    with pytest.raises(SpeechpubError, match="zip archive"):
        read_file(p)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  ", "\u3000\u3000\n".encode("utf-8")])
def test_empty_or_blank_files_are_refused(data):
    with pytest.raises(SpeechpubError, match="empty|whitespace"):
        decode(data, "blank.txt")


def test_invalid_utf8_in_the_middle_keeps_the_text_and_marks_the_damage():
    data = TEXT.encode("utf-8")
    cut = data.index("毛主席".encode("utf-8"))
    damaged = data[:cut] + b"\xff\xfe" + data[cut:]
    src = decode(damaged, "damaged.txt")
    assert src.encoding == "utf-8"
    assert "\ufffd毛主席" in src.text
    assert [w.code for w in src.warnings] == ["invalid_bytes"]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SpeechpubError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(SpeechpubError, match="folder"):
        read_file(tmp_path)


def test_size_limit(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_text("同志们：" * 100, encoding="utf-8")
    monkeypatch.setenv("SPEECHPUB_MAX_BYTES", "200")
    with pytest.raises(SpeechpubError, match="over the limit"):
        read_file(p)


def test_nul_heavy_binary_without_magic_is_refused():
    with pytest.raises(SpeechpubError, match="binary"):
        decode(bytes(range(256)) * 8, "blob.txt")
