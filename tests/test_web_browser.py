"""speechpub serve in a real browser: Playwright drives Debian's chromium (never a downloaded one)
against the app served by uvicorn on a free loopback port."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import SEED

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
HOSTILE = b"<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n"
SHOTS = os.environ.get("SPEECHPUB_SCREENSHOTS")      # a folder to keep the screenshots in


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium")
    if not exe:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from speechpub.web.app import create_app
    root = tmp_path / "deep" / "workspace"
    root.mkdir(parents=True)
    port = _free_port()
    app = create_app(root, hosts=("127.0.0.1", "localhost"), workers=1)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not srv.started:
        assert time.time() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", root
    srv.should_exit = True
    t.join(10)


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def _shot(pg, name, tmp_path):
    folder = Path(SHOTS) if SHOTS else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(folder / name))


def test_seed_upload_review_correct_and_download(server, page, tmp_path):
    from pypdf import PdfReader
    base, root = server
    # the PDF page previews would render the PDF twice more (before and after the change): not here
    page.route("**/pages/*.png", lambda route: route.abort())
    page.goto(base + "/")
    with page.expect_navigation():
        page.set_input_files("#files", str(SEED))
    link = page.get_by_role("link", name="鲍秀英代区长在区长办公会上的讲话")
    link.click()
    page.wait_for_selector("div.col.raw")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    # the page-title line and the toolbar line 字体: are struck through, the reason on hover
    title_line = page.locator("#L1 del")
    assert title_line.inner_text() == "鲍秀英讲话 12鲍秀英代区长在区长办公会上的讲话"
    assert "page title" in title_line.get_attribute("title")
    font = page.locator("#L4 del")
    assert font.inner_text() == "字体:" and "toolbar" in font.get_attribute("title")
    assert page.locator("mark").count() > 10
    _shot(page, "speech-page.png", tmp_path)
    # the speaker changed in the form: the sidecar is written and the page re-rendered
    page.fill("input[name=speaker]", "王五")
    with page.expect_navigation():
        page.click("#meta-form button[type=submit]")
    assert page.input_value("input[name=speaker]") == "王五"
    assert "王五" in (root / "input" / "seed-speech-raw.speechpub.toml").read_text(encoding="utf-8")
    # the same correction as the CLI sees it
    from cli_helpers import speechpub
    model = json.loads(speechpub("inspect", root / "input" / "seed-speech-raw.txt", "--json").stdout)
    assert model["meta"]["speaker"] == "王五"
    with page.expect_download(timeout=120_000) as dl:
        page.click("a[href$='/download/pdf']")
    pdf = tmp_path / "got.pdf"
    dl.value.save_as(pdf)
    assert PdfReader(pdf).metadata.author == "王五"
    # a line's 恢复 button and a block's menu write the sidecar too
    with page.expect_navigation():
        page.click("#L4 button[data-op=restore]")
    assert page.locator("#L4 del").count() == 0
    block = page.locator(".block", has_text="同时，要结合调查研究成果，思考一些前瞻性问题。")
    with page.expect_navigation():
        block.locator("select.block-kind").select_option("heading:2")
    assert page.locator(".block.kind-heading.lvl-2", has_text="思考一些前瞻性问题").count() == 1
    sidecar = (root / "input" / "seed-speech-raw.speechpub.toml").read_text(encoding="utf-8")
    assert "字体:" in sidecar and "level = 2" in sidecar and "王五" in sidecar
    assert not page.dialogs and not page.errors


def test_hostile_upload_runs_no_script(server, page, tmp_path):
    base, root = server
    before = {p for p in tmp_path.rglob("*")}
    page.goto(base + "/")
    with page.expect_navigation():
        page.set_input_files("#files", files=[{"name": "../../x.txt", "mimeType": "text/plain", "buffer": HOSTILE}])
    assert page.get_by_role("link", name="x").count() == 1
    page.goto(base + "/speech/x")
    page.wait_for_timeout(300)
    body = page.locator("main").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert page.locator("main script, main img[src=x]").count() == 0
    _shot(page, "hostile.png", tmp_path)
    page.goto(base + "/")
    assert not page.dialogs, page.dialogs
    created = {p.relative_to(tmp_path).as_posix() for p in set(tmp_path.rglob("*")) - before
               if p.is_file() and not p.relative_to(tmp_path).as_posix().startswith("shots/")}
    # the upload is input/x.txt; besides it only the app's own cache in output/
    assert {p for p in created if not p.startswith("deep/workspace/output/")} == {"deep/workspace/input/x.txt"}
    assert created <= {"deep/workspace/input/x.txt", "deep/workspace/output/.speechpub-web-cache.json"}
