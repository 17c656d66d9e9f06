"""speechpub serve stays responsive during a batch: 100 corpus speeches are uploaded through the
API and converted to DOCX, PDF and EPUB ("convert all") while the workspace page GET / is asked
for again and again; its p95 latency is printed.

Target (issue 13): p95 of GET / under 0.5 s while the batch runs.
Run: .venv/bin/python bench/serve_bench.py [--docs 100] [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "tests" / "corpus" / "more").glob("*.txt"))
TARGET_P95 = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, body=None, headers=None, timeout=60):
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"Origin": base, **(headers or {})})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def multipart(files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for path in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                     f'filename="{path.name}"\r\nContent-Type: text/plain\r\n\r\n'.encode())
        parts.append(path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between two GET /")
    args = ap.parse_args()
    docs = (CORPUS * (args.docs // len(CORPUS) + 1))[:args.docs]
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        ws = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(ws / "server.log", "w+")
        server = subprocess.Popen([sys.executable, "-m", "speechpub.cli", "serve", str(ws), "--port", str(port),
                                   "-j", str(args.jobs)], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    request(base, "GET", "/api/speeches", timeout=2)
                    break
                except OSError:
                    if time.time() > deadline or server.poll() is not None:
                        log.seek(0)
                        raise SystemExit("the server did not start: " + log.read()[-2000:])
                    time.sleep(0.2)
            if len({p.name for p in docs}) < len(docs):
                raise SystemExit(f"only {len(CORPUS)} distinct corpus files; use --docs {len(CORPUS)} or fewer")
            body, ctype = multipart(docs)
            t = time.perf_counter()
            status, out = request(base, "POST", "/api/speeches", body, {"Content-Type": ctype}, timeout=600)
            print(f"upload: {len(json.loads(out))} speeches in {time.perf_counter() - t:.1f} s (HTTP {status})")
            t = time.perf_counter()
            request(base, "GET", "/")
            print(f"GET / before the batch: {time.perf_counter() - t:.3f} s")

            t0 = time.perf_counter()
            _, out = request(base, "POST", "/api/convert", json.dumps({"formats": ["docx", "pdf", "epub"]}).encode(),
                             {"Content-Type": "application/json"})
            job = json.loads(out)["job"]
            lat, state, last_poll = [], {}, 0.0
            while True:
                t = time.perf_counter()
                status, page = request(base, "GET", "/")
                lat.append(time.perf_counter() - t)
                assert status == 200 and "讲话列表".encode() in page
                if time.perf_counter() - last_poll > 1.0:
                    state = json.loads(request(base, "GET", f"/api/jobs/{job}")[1])
                    last_poll = time.perf_counter()
                    if state["state"] != "running":
                        break
                time.sleep(args.interval)
            batch = time.perf_counter() - t0
        except Exception:
            log.seek(0)
            print(log.read()[-3000:], file=sys.stderr)
            raise
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    p50, p95, worst = pct(lat, 50), pct(lat, 95), max(lat)
    print(f"batch: {state.get('done')}/{state.get('total')} converted to DOCX, PDF, EPUB in {batch:.1f} s "
          f"with {args.jobs} workers; failed {len(state.get('failed', []))}")
    print(f"GET / during the batch: {len(lat)} requests, p50 {p50:.3f} s, p95 {p95:.3f} s, max {worst:.3f} s")
    ok = p95 < TARGET_P95 and state.get("state") == "done"
    print(f"target p95 < {TARGET_P95} s: {'met' if ok else 'NOT MET'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
