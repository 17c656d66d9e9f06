"""Running the installed command as a user does, and checking what it left on disk."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from speechpub.outfile import TMP_PREFIX

CLI = [sys.executable, "-m", "speechpub.cli"]
BATCH_FILES = (".speechpub-manifest.jsonl", ".speechpub.lock")   # the batch's own bookkeeping


def speechpub(*args, timeout: float = 300, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """Run `speechpub ARGS`; a hang past `timeout` fails the test (subprocess.TimeoutExpired)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, timeout=timeout, env=full_env,
                          cwd=cwd, text=True, encoding="utf-8", errors="replace")


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr[-3000:]


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """relative path -> sha256 of every file (and link target) under root, `skip` left out."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if skip is not None and Path(dirpath).resolve() == skip.resolve():
            dirnames[:] = []
            continue
        for name in filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                try:
                    out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    out[rel] = "unreadable"
            else:
                out[rel] = "special"
    return out


def produced(out: Path) -> list[Path]:
    """Every file under `out` except the batch's bookkeeping."""
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name not in BATCH_FILES)


def check_outputs(out: Path) -> list[Path]:
    """No temporary file is left and every output opens as what its suffix says."""
    files = produced(out)
    temps = [p for p in out.rglob(f"{TMP_PREFIX}*")]
    assert not temps, f"temporary files left: {temps}"
    for p in files:
        assert p.stat().st_size > 0, f"empty output {p}"
        opens(p)
    manifest = out / BATCH_FILES[0]
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    return files


def opens(p: Path) -> None:
    kind = p.suffix.lower()
    if kind == ".txt":
        p.read_text(encoding="utf-8")
    elif kind == ".json":
        json.loads(p.read_text(encoding="utf-8"))
    elif kind == ".docx":
        import docx
        docx.Document(str(p))
    elif kind == ".pdf":
        import pdfplumber
        with pdfplumber.open(str(p)) as pdf:
            assert pdf.pages, p
            pdf.pages[-1].chars
    elif kind == ".epub":
        from speechpub.verify import epub_text
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None, p
            assert z.read("mimetype") == b"application/epub+zip"
        epub_text(p)
    else:
        raise AssertionError(f"unexpected output {p}")


def model_text(json_path: Path) -> str:
    from speechpub.model import Document
    return Document.from_dict(json.loads(json_path.read_text(encoding="utf-8"))).text()


def names_file(text: str, name: str, reason: str = "") -> bool:
    """Some line of `text` names the file and (when given) says the reason."""
    import re
    return any(name in line and (not reason or re.search(reason, line, re.I)) for line in text.splitlines())
