"""What keeps the web app safe: the access token for non-local hosts, the same-origin check on
requests that change something, security headers, safe upload names, and the checks every
upload (and every entry of an uploaded zip) passes before a byte is written.

Uploads are written only as WORKSPACE/input/NAME.txt, NAME made safe by batch.safe_name from the
last component of the name the client sent; a path that resolves outside the input folder is
refused however it was built.
"""
from __future__ import annotations

import hmac
import io
import os
import secrets
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from ..batch import safe_name
from ..read import max_bytes

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
COOKIE = "speechpub_token"
DEFAULT_MAX_TOTAL = 200 * 1024 * 1024     # one upload request, all files together
DEFAULT_MAX_FILES = 1000                  # files in one upload, zip entries included
MAX_RATIO = 200                           # a zip entry inflating more than this is a bomb
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    per_file: int = field(default_factory=max_bytes)     # SPEECHPUB_MAX_BYTES, as the CLI reads
    total: int = field(default_factory=lambda: _env_int("SPEECHPUB_MAX_UPLOAD_BYTES", DEFAULT_MAX_TOTAL))
    files: int = field(default_factory=lambda: _env_int("SPEECHPUB_MAX_UPLOAD_FILES", DEFAULT_MAX_FILES))


class Refused(Exception):
    """An upload or a request that is refused; status is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def is_loopback(host: str) -> bool:
    return host in LOOPBACK


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_ok(given: str | None, token: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def same_origin(headers) -> bool:
    """A request that changes something must come from a page of this app: its Origin (or, when
    a browser sent none, its Referer) names the host it was sent to. Browsers always send Origin
    on cross-origin POST and PUT, so a request with neither comes from a program, not a page."""
    host = headers.get("host", "")
    site = headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        ref = headers.get("referer")
        if ref is None:
            return True
        origin = ref
    if origin == "null":
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def upload_stem(client_name: str) -> str:
    """The safe file stem for a name a client sent: its last component (either slash), without
    .txt, made safe for every file system."""
    last = PureWindowsPath(PurePosixPath(client_name or "").name).name
    stem = last[:-4] if last.lower().endswith(".txt") else last
    stem = stem.lstrip(".") or "speech"
    return safe_name(stem)


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def target_in(folder: Path, stem: str, data: bytes) -> Path:
    """Where an upload goes: folder/stem.txt, or stem-2.txt, ... when another text is there already
    (the same bytes again replace nothing: the existing file is the answer)."""
    n = 1
    while True:
        name = f"{stem}.txt" if n == 1 else f"{stem}-{n}.txt"
        p = folder / name
        if not inside(p, folder):
            raise Refused(f"{name}: not a place inside the workspace")
        if not p.exists() and not p.is_symlink():
            return p
        if p.is_file() and not p.is_symlink() and p.stat().st_size == len(data) and p.read_bytes() == data:
            return p
        n += 1


@dataclass
class Upload:
    name: str          # as the client sent it (for messages)
    data: bytes


def expand(files: list[tuple[str, bytes]], limits: Limits) -> tuple[list[Upload], list[dict]]:
    """Files from a request -> the texts to store and the items skipped (with why). Zips are
    opened here: entry count, sizes (declared and actual), ratio and names checked."""
    out: list[Upload] = []
    skipped: list[dict] = []
    total = 0
    for name, data in files:
        if data[:4] == b"PK\x03\x04" or (name or "").lower().endswith(".zip"):
            for up in _unzip(name, data, limits, skipped):
                total += len(up.data)
                out.append(up)
        else:
            if len(data) > limits.per_file:
                skipped.append({"name": name, "error": f"文件超过上限 {limits.per_file} 字节"})
                continue
            total += len(data)
            out.append(Upload(name, data))
        if len(out) > limits.files:
            raise Refused(f"一次最多上传 {limits.files} 个文件", 413)
        if total > limits.total:
            raise Refused(f"上传总量超过上限 {limits.total} 字节", 413)
    return out, skipped


def _unzip(name: str, data: bytes, limits: Limits, skipped: list) -> list[Upload]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise Refused(f"{name}: 不是有效的 zip 文件 ({e})") from None
    if len(infos) > limits.files:
        raise Refused(f"{name}: zip 中有 {len(infos)} 项，超过上限 {limits.files}", 413)
    if sum(i.file_size for i in infos) > limits.total:
        raise Refused(f"{name}: zip 解压后超过上限 {limits.total} 字节", 413)
    out = []
    for info in infos:
        entry = info.filename
        mode = info.external_attr >> 16
        if info.is_dir():
            continue
        base = PurePosixPath(entry.replace("\\", "/")).name
        if base.startswith(".") or "__MACOSX" in entry.split("/"):
            continue
        if stat.S_ISLNK(mode):
            skipped.append({"name": entry, "error": "符号链接，未解压"})
            continue
        if not base.lower().endswith(".txt"):
            skipped.append({"name": entry, "error": "不是 .txt 文件"})
            continue
        if info.file_size > limits.per_file:
            skipped.append({"name": entry, "error": f"文件超过上限 {limits.per_file} 字节"})
            continue
        if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
            raise Refused(f"{name}: {entry} 压缩比异常（疑似 zip 炸弹）", 413)
        try:
            with zf.open(info) as fh:
                body = fh.read(limits.per_file + 1)      # never trust the declared size
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as e:
            skipped.append({"name": entry, "error": f"无法解压: {e}"})
            continue
        if len(body) > limits.per_file or len(body) > info.file_size:
            raise Refused(f"{name}: {entry} 解压后大小与声明不符（疑似 zip 炸弹）", 413)
        out.append(Upload(entry, body))
    return out


