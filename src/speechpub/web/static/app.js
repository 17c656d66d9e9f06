// speechpub serve: the pages' behaviour. Text from speeches is only ever set with textContent
// or sent as JSON; nothing here builds HTML from data.
"use strict";

function toast(msg, bad) {
  const t = document.getElementById("toast");
  if (!t) return;
  t.textContent = msg;
  t.className = bad ? "bad" : "";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

async function api(method, url, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(url, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new Error((data && data.error) || ("HTTP " + r.status));
  return data;
}

// ---- workspace page ----------------------------------------------------------------------
function initWorkspace() {
  const form = document.getElementById("upload-form");
  const input = document.getElementById("files");
  const status = document.getElementById("upload-status");
  async function send(files) {
    if (!files.length) return;
    const fd = new FormData();
    for (const f of files) fd.append("files", f, f.name);
    status.textContent = "正在上传 " + files.length + " 个文件……";
    try {
      const r = await fetch("/api/speeches", { method: "POST", body: fd, credentials: "same-origin" });
      const data = await r.json().catch(() => null);
      if (!r.ok) throw new Error((data && data.error) || ("HTTP " + r.status));
      status.textContent = "已上传 " + data.length + " 篇。";
      location.reload();
    } catch (e) {
      status.textContent = "上传失败：" + e.message;
    }
  }
  input.addEventListener("change", () => send(input.files));
  ["dragenter", "dragover"].forEach((ev) => form.addEventListener(ev, (e) => {
    e.preventDefault(); form.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((ev) => form.addEventListener(ev, (e) => {
    e.preventDefault(); form.classList.remove("over");
  }));
  form.addEventListener("drop", (e) => send(e.dataTransfer.files));

  const btn = document.getElementById("convert-all");
  const bar = document.getElementById("convert-progress");
  const cs = document.getElementById("convert-status");
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const { job } = await api("POST", "/api/convert", { formats: ["docx", "pdf", "epub"] });
      bar.hidden = false;
      for (;;) {
        const s = await api("GET", "/api/jobs/" + encodeURIComponent(job));
        bar.max = Math.max(1, s.total); bar.value = s.done;
        cs.textContent = s.queued ? "排队中……" : ("已完成 " + s.done + " / " + s.total +
          (s.failed.length ? "，失败 " + s.failed.length : ""));
        if (s.state !== "running") {
          cs.textContent = s.state === "done" ? "转换完成：" + s.done + " / " + s.total +
            (s.failed.length ? "，失败 " + s.failed.length : "") : "转换失败：" + (s.error || "");
          break;
        }
        await new Promise((r) => setTimeout(r, 700));
      }
      setTimeout(() => location.reload(), 800);
    } catch (e) {
      cs.textContent = "无法开始转换：" + e.message;
    } finally {
      btn.disabled = false;
    }
  });

  const filter = document.getElementById("warning-filter");
  filter.addEventListener("change", () => {
    const v = filter.value;
    document.querySelectorAll("table.speeches tbody tr").forEach((tr) => {
      const codes = (tr.dataset.codes || "").split(" ").filter(Boolean);
      const n = Number(tr.dataset.warnings || 0);
      tr.hidden = !(v === "" || (v === "__any" && n > 0) || (v === "__none" && n === 0) || codes.includes(v));
    });
  });
}

// ---- speech page -------------------------------------------------------------------------
function initSpeech() {
  // the PDF pages render on demand: asked for once the page has loaded, so they never hold it up
  window.addEventListener("load", () => {
    document.querySelectorAll("img[data-src]").forEach((img) => { img.src = img.dataset.src; });
  });
  const sid = document.body.dataset.sid;
  const base = "/api/speeches/" + encodeURIComponent(sid);
  if (document.body.dataset.editable !== "yes") return;

  async function patch(p, msg) {
    try {
      await api("PUT", base + "/corrections", p);
      toast(msg + "，正在重新生成……");
      location.reload();
    } catch (e) {
      toast("保存失败：" + e.message, true);
    }
  }
  async function current() {
    return await api("GET", base + "/corrections");
  }

  document.getElementById("meta-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const meta = {};
    for (const el of e.target.querySelectorAll("input[name]")) {
      if (el.value !== el.defaultValue) meta[el.name] = el.value;
    }
    if (!Object.keys(meta).length) { toast("没有改动。"); return; }
    patch({ meta }, "已保存");
  });
  document.querySelectorAll("button.reset").forEach((b) => b.addEventListener("click", () => {
    patch({ meta: { [b.dataset.key]: null } }, "已恢复自动识别");
  }));

  document.querySelectorAll("button.op").forEach((b) => b.addEventListener("click", async () => {
    const text = b.dataset.text;
    const c = await current();
    let restore = c.restore || [], drop = c.drop || [];
    if (b.dataset.op === "restore") {
      if (drop.includes(text)) drop = drop.filter((x) => x !== text);
      else restore = restore.concat([text]);
    } else {
      if (restore.includes(text)) restore = restore.filter((x) => x !== text);
      else drop = drop.concat([text]);
    }
    patch({ restore, drop }, b.dataset.op === "restore" ? "已恢复这一行" : "已删除这一行");
  }));

  document.querySelectorAll("select.block-kind").forEach((s) => s.addEventListener("change", async () => {
    if (!s.value) return;
    const text = s.dataset.text;
    const [kind, level] = s.value.split(":");
    const c = await current();
    const blocks = (c.blocks || []).filter((x) => x.text !== text);
    const entry = { text, kind };
    if (level) entry.level = Number(level);
    blocks.push(entry);
    patch({ blocks }, "已改为" + s.options[s.selectedIndex].textContent);
  }));
}

// ---- book page ---------------------------------------------------------------------------
function initBook() {
  const list = document.getElementById("book-list");
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li");
    if (!li) return;
    if (e.target.classList.contains("up") && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
    if (e.target.classList.contains("down") && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
  });
  const form = document.getElementById("book-form");
  const status = document.getElementById("book-status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ids = [...list.querySelectorAll("input[name=pick]:checked")].map((x) => x.value);
    if (!ids.length) { status.textContent = "请至少勾选一篇。"; return; }
    status.textContent = "正在生成……";
    try {
      const r = await api("POST", "/api/book", {
        ids, title: form.title.value, editor: form.editor.value, format: form.format.value });
      status.textContent = "";
      const a = document.createElement("a");
      a.href = r.download; a.textContent = "下载 " + r.name; a.setAttribute("download", "");
      status.append("已生成：", a);
    } catch (err) {
      status.textContent = "生成失败：" + err.message;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "workspace") initWorkspace();
  if (page === "speech") initSpeech();
  if (page === "book") initBook();
});
