"""Stage 1, read: bytes -> text. Encoding detection, BOM, newlines; clear errors on non-text input."""
from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import SpeechpubError
from .model import Warning

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_CONTROL = re.compile("[\x00-\x08\x0d-\x1f]")     # the controls below space but \t \n \v \f

# Leading bytes of file types that scrapers save with a .txt name by mistake.
MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a DOCX/EPUB/XLSX file)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable program"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Legacy Chinese encodings tried when the bytes are not UTF-8.
LEGACY = ("gb18030", "big5", "big5hkscs", "utf_16_le", "utf_16_be")


@dataclass(frozen=True)
class Source:
    text: str               # decoded, newlines normalised to \n, BOM removed
    encoding: str           # utf-8, utf-8-sig, gb18030, big5, utf-16-le, ...
    newline: str            # LF, CRLF, CR or mixed
    warnings: tuple = ()


def max_bytes() -> int:
    try:
        return int(os.environ.get("SPEECHPUB_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def read_file(path: str | os.PathLike, limit: int | None = None) -> Source:
    """Read and decode a speech file; SpeechpubError names the file and the problem."""
    p = Path(path)
    limit = max_bytes() if limit is None else limit
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise SpeechpubError(p, "is a folder, not a text file")
        if not stat.S_ISREG(st.st_mode):       # a named pipe or a device would block or never end
            raise SpeechpubError(p, "is not a regular file (a named pipe, socket or device)")
        size = st.st_size
        if size > limit:
            raise SpeechpubError(p, f"file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.0f} MB "
                                    "(set SPEECHPUB_MAX_BYTES to raise it)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise SpeechpubError(p, "no such file") from None
    except PermissionError:
        raise SpeechpubError(p, "permission denied") from None
    except IsADirectoryError:
        raise SpeechpubError(p, "is a folder, not a text file") from None
    except OSError as e:
        raise SpeechpubError(p, f"cannot read: {e.strerror or e}") from None
    return decode(data, p)


def decode(data: bytes, path: str | os.PathLike = "") -> Source:
    if len(data) > max_bytes():
        raise SpeechpubError(path, f"input is over the limit of {max_bytes() / 1e6:.0f} MB")
    if not data.strip():
        raise SpeechpubError(path, "file is empty")
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise SpeechpubError(path, f"this is {what}, not a text file")
    warnings: list[Warning] = []
    text, encoding = _decode(data, path, warnings)
    if text.startswith("\ufeff"):
        text = text[1:]
    newline = _newline_kind(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SpeechpubError(path, "file holds only whitespace")
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > max(16, len(text[:65536]) // 20):
        raise SpeechpubError(path, "this looks like a binary file, not text (many control characters)")
    return Source(text=text, encoding=encoding, newline=newline, warnings=tuple(warnings))


def _decode(data: bytes, path, warnings: list) -> tuple[str, str]:
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc
            except UnicodeDecodeError as e:
                raise SpeechpubError(path, f"starts with a {enc} byte-order mark but is not valid {enc} "
                                           f"(byte {e.start + len(bom)})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and data[:4096].count(b"\x00") > len(data[:4096]) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
        raise SpeechpubError(path, "this looks like a binary file, not text (NUL bytes)")
    if b"\x00" in data:
        raise SpeechpubError(path, "this looks like a binary file, not text (NUL bytes)")
    # Mostly UTF-8 with a few damaged bytes: keep UTF-8 and mark each bad byte with U+FFFD.
    bad = _utf8_bad_bytes(data)
    nonascii = sum(1 for b in data if b >= 0x80)
    if nonascii and bad <= max(3, nonascii // 100):
        text = data.decode("utf-8", errors="replace")
        warnings.append(Warning("invalid_bytes", f"{bad} byte(s) are not valid UTF-8; each was replaced by "
                                                 "U+FFFD (see unknown_char)", "warning"))
        return text, "utf-8"
    best = from_bytes(data, cp_isolation=list(LEGACY)).best()
    candidates = ([_canonical(best.encoding)] if best is not None else []) + ["gb18030", "big5", "big5hkscs"]
    decoded = []
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        odd = _odd_chars(text)
        if not odd:
            return text, enc
        decoded.append((odd, text, enc))
        if odd <= max(3, len(data) // 200):      # a few damaged codes, not the wrong encoding
            break
    if decoded:
        # private-use characters (GB18030 puts its unassigned codes there) in every candidate
        # mean mojibake, or a damaged file: take the candidate with the fewest
        odd, text, enc = min(decoded, key=lambda d: d[0])
        warnings.append(Warning("odd_chars", f"{odd} character(s) decoded as {enc} are private-use "
                                             "characters: the encoding may be wrong or the file damaged", "warning"))
        return text, enc
    raise SpeechpubError(path, "cannot tell the text encoding (tried UTF-8, UTF-16, GB18030 and Big5)")


_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


def _odd_chars(text: str) -> int:
    """Private-use characters: what a wrong legacy encoding produces (GB18030 maps its
    unassigned codes there)."""
    return len(_PRIVATE_USE.findall(text))


def _utf8_bad_bytes(data: bytes) -> int:
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _canonical(name: str) -> str:
    name = name.lower().replace("_", "-")
    return {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "cp950": "big5"}.get(name, name)


def _newline_kind(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "LF")
