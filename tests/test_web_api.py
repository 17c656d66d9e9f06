"""speechpub serve: the JSON API and its safety, through Starlette's TestClient (no network)."""
from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import SEED
from speechpub.pipeline import load
from speechpub.web.app import create_app
from speechpub.web.safety import Limits

HOSTILE = b"<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n"
SAME = {"origin": "http://testserver"}


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "deep" / "workspace"     # room above it to look for escaped files
    root.mkdir(parents=True)
    return root


@pytest.fixture
def client(ws):
    with TestClient(create_app(ws, workers=1)) as c:
        yield c


def upload(client, *files, headers=None):
    return client.post("/api/speeches", files=[("files", f) for f in files], headers=headers or SAME)


def seed(client):
    r = upload(client, ("seed-speech-raw.txt", SEED.read_bytes(), "text/plain"))
    assert r.status_code == 201, r.text
    return r.json()[0]["id"]


def files_under(root: Path) -> set[str]:
    """Every file under root but the app's own cache of summaries in the workspace's output."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.name != ".speechpub-web-cache.json"}


# ---- the API ----------------------------------------------------------------------------------

def test_upload_lists_and_models_the_seed(client, ws):
    r = upload(client, ("seed-speech-raw.txt", SEED.read_bytes(), "text/plain"))
    assert r.status_code == 201
    [item] = r.json()
    assert item == {"id": "seed-speech-raw", "name": "seed-speech-raw.txt",
                    "title": "鲍秀英代区长在区长办公会上的讲话", "speaker": "鲍秀英", "date": "2011-11-21",
                    "warnings": item["warnings"]}
    assert (ws / "input" / "seed-speech-raw.txt").read_bytes() == SEED.read_bytes()
    listed = client.get("/api/speeches").json()
    assert [s["id"] for s in listed] == ["seed-speech-raw"] and listed[0]["title"] == item["title"]
    model = client.get("/api/speeches/seed-speech-raw").json()
    assert model == json.loads(json.dumps(load(ws / "input" / "seed-speech-raw.txt").to_dict()))
    # the same bytes again are the same speech; other bytes under the same name get a new id
    again = upload(client, ("seed-speech-raw.txt", SEED.read_bytes(), "text/plain")).json()
    assert [s["id"] for s in again] == ["seed-speech-raw"]
    other = upload(client, ("seed-speech-raw.txt", SEED.read_bytes() + "再次。\n".encode())).json()
    assert [s["id"] for s in other] == ["seed-speech-raw-2"]


def test_unknown_or_unsafe_ids_are_404(client):
    seed(client)
    for sid in ("nope", "..", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", ".seed-speech-raw"):
        assert client.get(f"/api/speeches/{sid}").status_code == 404, sid
    assert client.get("/speech/nope").status_code == 404
    assert client.get("/api/speeches/seed-speech-raw/download/exe").status_code == 404


def test_corrections_round_trip_inspect_and_batch(client, ws):
    """A correction through the API writes the sidecar; `speechpub inspect --json` on the same file
    shows it, and a batch re-run re-converts exactly that input."""
    from cli_helpers import speechpub
    sid = seed(client)
    upload(client, ("other.txt", (Path(SEED).parent / "05_guizhou-gwr-2026-caption.txt").read_bytes()))
    first = speechpub("convert", ws / "input", "-o", ws / "output", "-f", "txt,json", "--json")
    assert json.loads(first.stdout)["converted"] == 2
    r = client.put(f"/api/speeches/{sid}/corrections", json={"meta": {"speaker": "王五"}}, headers=SAME)
    assert r.status_code == 200, r.text
    assert r.json()["meta"]["speaker"] == "王五"
    assert any(c["rule"] == "editor" for c in r.json()["changes"])
    assert "王五" in (ws / "input" / f"{sid}.speechpub.toml").read_text(encoding="utf-8")
    assert client.get(f"/api/speeches/{sid}/corrections").json()["meta"] == {"speaker": "王五"}
    out = speechpub("inspect", ws / "input" / f"{sid}.txt", "--json")
    assert json.loads(out.stdout)["meta"]["speaker"] == "王五"
    again = json.loads(speechpub("convert", ws / "input", "-o", ws / "output", "-f", "txt,json", "--json").stdout)
    assert (again["converted"], again["skipped"]) == (1, 1)
    assert json.loads((ws / "output" / f"{sid}.json").read_text(encoding="utf-8"))["meta"]["speaker"] == "王五"
    # null removes the override; an empty sidecar is deleted
    r = client.put(f"/api/speeches/{sid}/corrections", json={"meta": {"speaker": None}}, headers=SAME)
    assert r.json()["meta"]["speaker"] == "鲍秀英"
    assert not (ws / "input" / f"{sid}.speechpub.toml").exists()


def test_bad_corrections_are_one_clear_error(client):
    sid = seed(client)
    r = client.put(f"/api/speeches/{sid}/corrections", json={"meta": {"date": "yesterday"}}, headers=SAME)
    assert r.status_code == 422 and "meta.date" in r.json()["error"]
    r = client.put(f"/api/speeches/{sid}/corrections", json={"colour": "red"}, headers=SAME)
    assert r.status_code == 422 and "colour" in r.json()["error"]
    r = client.put(f"/api/speeches/{sid}/corrections", content=b"not json",
                   headers=SAME | {"content-type": "application/json"})
    assert r.status_code == 400
    r = client.put(f"/api/speeches/{sid}/corrections", content=b"{}", headers=SAME | {"content-type": "text/plain"})
    assert r.status_code == 415


def test_convert_job_and_download(client, ws):
    sid = seed(client)
    assert client.post("/api/convert", content=b"x", headers=SAME).status_code == 415
    assert client.post("/api/convert", json={"formats": ["exe"]}, headers=SAME).status_code == 400
    r = client.post("/api/convert", json={"formats": ["txt", "json"]}, headers=SAME)
    assert r.status_code == 202
    job = r.json()["job"]
    deadline = time.time() + 120
    while (state := client.get(f"/api/jobs/{job}").json())["state"] == "running":
        assert time.time() < deadline
        time.sleep(0.2)
    assert state | {"failed": []} == state and state["state"] == "done"
    assert (state["done"], state["total"]) == (1, 1)
    assert (ws / "output" / f"{sid}.txt").is_file()
    assert client.get("/api/jobs/999").status_code == 404
    r = client.get(f"/api/speeches/{sid}/download/docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "attachment" in r.headers["content-disposition"]


def test_book(client):
    sid = seed(client)
    r = client.post("/api/book", json={"ids": [sid], "title": "测试汇编", "editor": "编者", "format": "epub"},
                    headers=SAME)
    assert r.status_code == 201, r.text
    got = client.get(r.json()["download"])
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert client.post("/api/book", json={"ids": ["nope"]}, headers=SAME).status_code == 404
    assert client.get("/api/books/..%2Fseed.txt").status_code == 404


# ---- safety -----------------------------------------------------------------------------------

def test_hostile_upload_stays_inside_and_is_escaped(client, ws, tmp_path):
    before = files_under(tmp_path)
    r = upload(client, ("../../x.txt", HOSTILE, "text/plain"))
    assert r.status_code == 201
    new = files_under(tmp_path) - before
    assert new == {"deep/workspace/input/x.txt"}
    for page in ("/", "/speech/x", "/book"):
        html = client.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html, page
    html = client.get("/speech/x").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_upload_names_are_made_safe(client, ws, tmp_path):
    names = ["..\\..\\win.txt", "/etc/abs.txt", "CON.txt", "a<b>:c.txt", ".hidden.txt", "-rf.txt"]
    r = upload(client, *[(n, "同志们：今天开会。\n".encode()) for n in names])
    assert r.status_code == 201
    stored = sorted(p.name for p in (ws / "input").iterdir())
    assert stored == sorted(["win.txt", "abs.txt", "_CON.txt", "a_b__c.txt", "hidden.txt", "_-rf.txt"])
    assert files_under(tmp_path) == {f"deep/workspace/input/{n}" for n in stored}


def _zip(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_upload_checks_paths_and_types(client, ws, tmp_path):
    data = _zip({"../../../escape.txt": "同志们：一。\n", "/abs/rooted.txt": "同志们：二。\n",
                 "dir/ok.txt": "同志们：三。\n", "evil.sh": "rm -rf /", "dir/": ""})
    r = upload(client, ("speeches.zip", data, "application/zip"))
    assert r.status_code == 201, r.text
    assert sorted(s["id"] for s in r.json()) == ["escape", "ok", "rooted"]
    assert "evil.sh" in r.headers["x-speechpub-skipped"]
    assert files_under(tmp_path) == {f"deep/workspace/input/{n}.txt" for n in ("escape", "ok", "rooted")}


def test_zip_bomb_and_limits(ws, tmp_path):
    limits = Limits(per_file=64 * 1024, total=256 * 1024, files=5)
    with TestClient(create_app(ws, workers=1, limits=limits)) as c:
        bomb = _zip({"bomb.txt": b"0" * (20 * 1024 * 1024)})
        assert len(bomb) < 64 * 1024
        r = upload(c, ("bomb.zip", bomb))
        assert r.status_code == 413, r.text
        many = _zip({f"{i}.txt": "同志们：好。\n" for i in range(6)})
        assert upload(c, ("many.zip", many)).status_code == 413
        big = upload(c, ("big.txt", b"a" * (64 * 1024 + 1)), ("small.txt", "同志们：好。\n".encode()))
        assert big.status_code == 201 and [s["id"] for s in big.json()] == ["small"]
        assert upload(c, *[(f"f{i}.txt", b"x" * 60_000) for i in range(5)]).status_code == 413
        # a zip larger than one file's limit is fine when its entries are within the limits
        import os
        noise = _zip({f"n{i}.txt": os.urandom(30_000).hex()[:60_000] for i in range(3)}, zipfile.ZIP_STORED)
        assert 64 * 1024 < len(noise) < 256 * 1024
        assert upload(c, ("noise.zip", noise)).status_code == 201
        # a request body over the cap is cut off while it is read
        assert upload(c, ("huge.txt", b"y" * (2 * 1024 * 1024))).status_code == 413
    assert not any(p.name in ("bomb.txt", "big.txt", "huge.txt") for p in tmp_path.rglob("*"))


def test_cross_origin_writes_are_refused(client, ws):
    sid = seed(client)
    evil = {"origin": "http://evil.example"}
    assert upload(client, ("a.txt", b"hi"), headers=evil).status_code == 403
    assert client.put(f"/api/speeches/{sid}/corrections", json={"meta": {"speaker": "x"}},
                      headers=evil).status_code == 403
    assert client.post("/api/convert", json={}, headers={"referer": "http://evil.example/page"}).status_code == 403
    assert client.post("/api/convert", json={}, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/api/convert", json={}, headers={"origin": "null"}).status_code == 403
    assert not (ws / "input" / "a.txt").exists()
    assert not (ws / "input" / f"{sid}.speechpub.toml").exists()


def test_token_required_off_loopback(ws):
    with TestClient(create_app(ws, token="s3cret-token", workers=1)) as c:
        assert c.get("/").status_code == 403
        assert c.get("/api/speeches").status_code == 403
        assert c.get("/?token=wrong").status_code == 403
        r = c.get("/?token=s3cret-token", follow_redirects=False)
        assert r.status_code == 303 and "s3cret-token" in r.headers["set-cookie"]
        assert "httponly" in r.headers["set-cookie"].lower()
        c.cookies.set("speechpub_token", "s3cret-token")
        assert c.get("/").status_code == 200
        assert c.get("/api/speeches").status_code == 200


def test_loopback_refuses_other_host_names(ws):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    with TestClient(create_app(ws, hosts=("127.0.0.1", "localhost"), workers=1),
                    base_url="http://127.0.0.1:8765") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "evil.example:8765"}).status_code == 421


def test_serve_prints_a_token_for_other_hosts(monkeypatch, capsys, tmp_path):
    import uvicorn

    from speechpub.web import app as webapp
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    webapp.serve(tmp_path, host="0.0.0.0", port=9999)
    out = capsys.readouterr().out
    assert "token=" in out and seen["host"] == "0.0.0.0"
    webapp.serve(tmp_path, host="127.0.0.1", port=9999)
    assert "token=" not in capsys.readouterr().out


def test_summaries_survive_a_restart(ws, monkeypatch):
    """The workspace page of a big workspace answers at once after a restart: the summaries are
    kept in output/.speechpub-web-cache.json, keyed by each file's state."""
    from speechpub.web.workspace import Workspace
    with TestClient(create_app(ws, workers=1)) as c:
        sid = seed(c)
    parsed = []
    real = Workspace.document
    monkeypatch.setattr(Workspace, "document", lambda self, sid: parsed.append(sid) or real(self, sid))
    with TestClient(create_app(ws, workers=1)) as c:
        assert c.get("/api/speeches").json()[0]["title"] == "鲍秀英代区长在区长办公会上的讲话"
    assert parsed == []
    (ws / "input" / f"{sid}.txt").write_text("同志们：\n今天开会。\n", encoding="utf-8")
    with TestClient(create_app(ws, workers=1)) as c:
        assert c.get("/api/speeches").json()[0]["title"] == sid
    assert parsed == [sid]


def test_script_inside_a_speech_is_text(client):
    text = ("关于<script>alert(1)</script>工作的讲话\n同志们：\n今天我们开会<img src=x onerror=alert(1)>，"
            "研究工作。大家要认真落实。\n").encode()
    r = upload(client, ("evil.txt", text, "text/plain"))
    sid = r.json()[0]["id"]
    for page in ("/", f"/speech/{sid}", "/book"):
        html = client.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html, page
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get(f"/speech/{sid}").text


def test_speech_page_shows_the_audit(client):
    """Removed lines in <del> with the reason, changed characters in <mark> with the rule,
    rejoined (⏎) and inferred (¶) paragraph breaks, the outline, warnings linked to their place."""
    sid = seed(client)
    html = client.get(f"/speech/{sid}").text
    assert '<html lang="zh-CN">' in html
    assert '<del title="删除：page toolbar">字体:</del>' in html
    assert '<mark title="halfwidth_punct：, → ，">,</mark>' in html
    assert 'class="join" title="rejoin_split_paragraphs' in html
    assert '<a href="#b5">一、增强发展意识，做奋发有为的表率</a>' in html
    assert 'data-op="restore" data-text="字体:"' in html
    oneline = Path(__file__).parent / "corpus" / "more" / "xi-2020-01-08.txt"     # one 10,000-character line
    r = upload(client, ("oneline.txt", oneline.read_bytes()))
    html = client.get(f"/speech/{r.json()[0]['id']}").text
    assert html.count('class="infer" title="infer_paragraphs') >= 10
    assert '<li class="level-info"><b>推断分段</b>：<a href="#L1">' in html      # "line 1: ... broken into"
