"""An editor's corrections in a sidecar (NAME.speechpub.toml): what a user sees when they use one."""
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechpub import corrections
from speechpub.cli import main
from speechpub.corrections import Corrections, merge, save, sidecar_path
from speechpub.errors import SpeechpubError
from speechpub.pipeline import from_text, load

from cli_helpers import no_traceback, speechpub
from conftest import HAN, SEED, unremoved_hanzi

SEED_BODY = "同时，要结合调查研究成果，思考一些前瞻性问题。"       # a short paragraph of the seed

MID = """在全市工作会议上的讲话

同志们：

今天我们召开全市工作会议，主要任务是总结去年工作，部署今年任务。

一、充分肯定成绩

过去一年，我们攻坚克难，经济运行稳中有进，人民生活持续改善。
责任编辑：王五
分享到：
二、明确今年任务

今年要抓好项目建设，抓好民生保障，抓好安全生产。

谢谢大家。
"""


@pytest.fixture
def seed(tmp_path) -> Path:
    p = tmp_path / "seed.txt"
    p.write_bytes(SEED.read_bytes())
    return p


def write_sidecar(path: Path, text: str) -> Path:
    side = sidecar_path(path)
    side.write_text(text, encoding="utf-8")
    return side


def inspect(path) -> dict:
    r = CliRunner().invoke(main, ["inspect", str(path), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def editor_changes(d: dict) -> list:
    return [c for c in d["changes"] if c["rule"] == "editor"]


# ---- the file: paths, round trip, validation ------------------------------------------------

def test_sidecar_sits_next_to_its_input():
    assert sidecar_path("input/a/讲话.txt") == Path("input/a/讲话.speechpub.toml")
    assert sidecar_path(Path("x.y.txt")) == Path("x.y.speechpub.toml")


def test_round_trip_save_load(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text(MID, encoding="utf-8")
    c = Corrections(meta={"speaker": "张 \"三\"\\", "date": "2011-11-21"},
                    restore=("分享到：",), drop=("责任编辑：王五", "tab\there"),
                    blocks=({"text": "一、充分肯定成绩", "kind": "heading", "level": 2},
                            {"text": "谢谢大家。", "kind": "paragraph"}))
    side = save(src, c)
    assert side == tmp_path / "s.speechpub.toml"
    text = side.read_text(encoding="utf-8")
    assert text.startswith("# speechpub corrections for s.txt")
    assert corrections.load(src) == c
    assert Corrections.from_dict(c.to_dict(), "x") == c
    assert c.to_dict()["blocks"][0] == {"text": "一、充分肯定成绩", "kind": "heading", "level": 2}
    assert not list(tmp_path.glob(".speechpub-tmp-*"))


def test_no_sidecar_is_no_corrections_and_empty_corrections_delete_it(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text(MID, encoding="utf-8")
    assert corrections.load(src).is_empty()
    save(src, Corrections(meta={"speaker": "李四"}))
    assert sidecar_path(src).exists()
    save(src, Corrections())
    assert not sidecar_path(src).exists()


def test_merge_meta_keys_lists_replace_and_null_removes():
    cur = Corrections(meta={"speaker": "李四", "title": "标题"}, restore=("a",), drop=("b", "c"))
    new = merge(cur, {"meta": {"speaker": None, "date": "2020-02-29"}, "drop": ["d"]})
    assert new.meta == {"title": "标题", "date": "2020-02-29"}
    assert new.restore == ("a",) and new.drop == ("d",)
    # a line moved from drop to restore leaves drop
    assert merge(cur, {"restore": ["a", "b"]}).drop == ("c",)
    with pytest.raises(SpeechpubError, match=r"meta\.date: '2021-02-29' is not a date YYYY-MM-DD"):
        merge(cur, {"meta": {"date": "2021-02-29"}}, "x.speechpub.toml")


@pytest.mark.parametrize("toml, message", [
    ('[meta]\ndate = "2026-13-01"\n', "meta.date: '2026-13-01' is not a date YYYY-MM-DD"),
    ('[meta]\ndate = "21 Nov 2011"\n', "meta.date: '21 Nov 2011' is not a date YYYY-MM-DD"),
    ('[meta]\nauthor = "x"\n', "meta.author: unknown key"),
    ('[meta]\nspeaker = 3\n', "meta.speaker: expected a string, got an integer"),
    ('[meta]\nrestore = ["x"]\n', "meta.restore: unknown key"),
    ('colour = "red"\n', "colour: unknown key"),
    ('restore = "字体:"\n', "restore: expected a list of strings, got a string"),
    ('drop = [1]\n', "drop[0]: expected a string, got an integer"),
    ('[[blocks]]\ntext = "x"\nkind = "heading"\nlevel = 5\n', "blocks[0].level: 5 is not a heading level 1-4"),
    ('[[blocks]]\ntext = "x"\nkind = "chapter"\n', "blocks[0].kind: 'chapter' is not a block kind"),
    ('[[blocks]]\ntext = "x"\nkind = "paragraph"\nlevel = 2\n', "blocks[0].level: only a heading has a level"),
    ('[[blocks]]\nkind = "heading"\n', "blocks[0].text: expected the block's text"),
    ('[[blocks]]\ntext = "x"\nsize = 3\n', "blocks[0].size: unknown key"),
    ('[meta\nspeaker = "x"\n', "not valid TOML"),
    ('restore = ["a"]\ndrop = ["a"]\n', "restore and drop both name 'a'"),
])
def test_validation_names_the_file_and_the_key(tmp_path, toml, message):
    src = tmp_path / "x.txt"
    src.write_text(MID, encoding="utf-8")
    side = write_sidecar(src, toml)
    with pytest.raises(SpeechpubError) as e:
        load(src)
    assert str(e.value).startswith(f"{side}: ")
    assert message in str(e.value)


def test_cli_bad_sidecar_is_one_line_and_exit_2(tmp_path):
    src = tmp_path / "x.txt"
    src.write_text(MID, encoding="utf-8")
    side = write_sidecar(src, '[meta]\ndate = "2026-13-01"\n')
    r = speechpub("inspect", src, "--json")
    no_traceback(r)
    assert r.returncode == 2
    assert r.stderr.strip() == f"speechpub: {side}: meta.date: '2026-13-01' is not a date YYYY-MM-DD"
    assert r.stdout == ""


# ---- applied to the seed ----------------------------------------------------------------------

def test_speaker_override_in_inspect_and_pdf_author(seed, tmp_path):
    from pypdf import PdfReader
    before = seed.read_bytes()
    write_sidecar(seed, '[meta]\nspeaker = "张三"\nposition = "区长"\ntitle = "改过的标题"\n')
    d = inspect(seed)
    assert d["meta"]["speaker"] == "张三" and d["meta"]["position"] == "区长"
    assert {"rule": "editor", "line": 0, "before": "meta.speaker: 鲍秀英",
            "after": "meta.speaker: 张三"} in d["changes"]
    r = CliRunner().invoke(main, ["convert", str(seed), "-o", str(tmp_path / "out"), "-f", "pdf", "--json"])
    assert r.exit_code == 0, r.output
    reader = PdfReader(tmp_path / "out" / "seed.pdf")
    assert (reader.metadata.author, reader.metadata.title) == ("张三", "改过的标题")
    # the printed title is the editor's; the old one is audited, not lost
    assert reader.pages[0].extract_text().replace(" ", "").startswith("改过的标题")
    assert [b["text"] for b in d["blocks"] if b["kind"] == "title"] == ["改过的标题"]
    old = [r for r in d["removed"] if r["reason"] == "editor"]
    assert len(old) == 1 and "讲话" in old[0]["text"]
    assert seed.read_bytes() == before          # the raw input is never modified


def test_a_title_for_a_speech_without_one_is_printed_at_the_top():
    from speechpub.pipeline import from_text
    doc = from_text("同志们：\n今天，我们召开这次会议。", corrections=Corrections(meta={"title": "目前的形势和任务"}))
    assert [(b.kind, b.text) for b in doc.blocks][:2] == [("title", "目前的形势和任务"), ("salutation", "同志们：")]
    assert not any(w.code == "no_title" for w in doc.warnings)


def test_restore_brings_a_removed_line_back_in_place(seed):
    plain = inspect(seed)
    assert {"text": "浏览:", "line": 5, "reason": "page label 浏览"} in plain["removed"]
    write_sidecar(seed, 'restore = ["浏览:"]\n')
    d = inspect(seed)
    assert "浏览:" not in [r["text"] for r in d["removed"]]
    lines = [b["text"] for b in d["blocks"]]
    # line 5 comes after lines 1-4 (all removed) and before the title on line 8
    assert lines[0] == "浏览：" and lines[1:] == [b["text"] for b in plain["blocks"]]
    assert {"rule": "editor", "line": 5, "before": "", "after": "浏览："} in d["changes"]
    assert not [w for w in d["warnings"] if w["code"] == "correction_unused"]


def test_restore_in_the_middle_of_a_speech(tmp_path):
    src = tmp_path / "mid.txt"
    src.write_text(MID, encoding="utf-8")
    write_sidecar(src, 'restore = ["责任编辑：王五"]\n')
    d = inspect(src)
    texts = [b["text"] for b in d["blocks"]]
    i = texts.index("责任编辑：王五")
    assert texts[i - 1].startswith("过去一年") and texts[i + 1] == "二、明确今年任务"
    assert [r["text"] for r in d["removed"]] == ["分享到："]


def test_restore_a_line_taken_as_chrome_of_the_title_block(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("在全市工作会议上的讲话\n（2020年1月6日）\n图为会议现场。\n同志们：\n"
                   "今天我们召开全市工作会议，主要任务是总结去年工作，部署今年任务。\n谢谢大家。\n", encoding="utf-8")
    assert inspect(src)["removed"] == [{"text": "图为会议现场。", "line": 3, "reason": "chrome inside the title block"}]
    write_sidecar(src, 'restore = ["图为会议现场。"]\n')
    d = inspect(src)
    assert [b["kind"] for b in d["blocks"]] == ["title", "dateline", "paragraph", "salutation", "paragraph", "closing"]
    assert d["blocks"][2]["text"] == "图为会议现场。" and d["removed"] == []
    assert editor_changes(d) == [{"rule": "editor", "line": 3, "before": "", "after": "图为会议现场。"}]


def test_drop_removes_a_body_line_with_reason_editor(seed):
    assert SEED_BODY in [b["text"] for b in inspect(seed)["blocks"]]
    write_sidecar(seed, f'drop = ["{SEED_BODY}"]\n')
    d = inspect(seed)
    assert SEED_BODY not in [b["text"] for b in d["blocks"]]
    assert {"text": SEED_BODY, "line": 26, "reason": "editor"} in d["removed"]
    r = CliRunner().invoke(main, ["clean", str(seed)])
    assert SEED_BODY not in r.output and "一、增强发展意识" in r.output


def test_drop_names_a_cleaned_paragraph_too(tmp_path):
    """A raw line that cleaning changed (half-width punctuation) is named as inspect shows it."""
    src = tmp_path / "s.txt"
    src.write_text(MID.replace("今年要抓好项目建设，抓好民生保障，", "今年要抓好项目建设,抓好民生保障,"), encoding="utf-8")
    write_sidecar(src, 'drop = ["今年要抓好项目建设，抓好民生保障，抓好安全生产。"]\n')
    d = inspect(src)
    assert [r["reason"] for r in d["removed"] if r["text"].startswith("今年")] == ["editor"]
    assert not any(b["text"].startswith("今年") for b in d["blocks"])


def test_block_made_heading_level_2_renders_as_a_heading(seed, tmp_path):
    import docx
    write_sidecar(seed, f'[[blocks]]\ntext = "{SEED_BODY}"\nkind = "heading"\nlevel = 2\n')
    d = inspect(seed)
    assert {"kind": "heading", "text": SEED_BODY, "level": 2} in d["blocks"]
    assert {"rule": "editor", "line": 26, "before": "paragraph", "after": "heading 2"} in d["changes"]
    r = CliRunner().invoke(main, ["convert", str(seed), "-o", str(tmp_path / "out"), "-f", "docx,epub", "--json"])
    assert r.exit_code == 0, r.output
    paras = docx.Document(tmp_path / "out" / "seed.docx").paragraphs
    assert next(p for p in paras if p.text == SEED_BODY).style.name == "Heading 2"
    import zipfile
    with zipfile.ZipFile(tmp_path / "out" / "seed.epub") as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert re.search(rf"<h\d[^>]*>{SEED_BODY}</h\d>", xhtml)


def test_unmatched_entries_are_warnings_not_errors(seed):
    write_sidecar(seed, 'restore = ["没有这一行"]\ndrop = ["也没有这一行"]\n'
                        '[[blocks]]\ntext = "没有这一段"\nkind = "heading"\n')
    d = inspect(seed)
    unused = [w["message"] for w in d["warnings"] if w["code"] == "correction_unused"]
    assert len(unused) == 3 and "没有这一行" in unused[0] and "也没有这一行" in unused[1]
    assert "没有这一段" in unused[2]
    r = CliRunner().invoke(main, ["check", str(seed)])
    assert "correction_unused" in r.output


def test_explicit_corrections_override_or_disable_the_sidecar(seed):
    write_sidecar(seed, '[meta]\nspeaker = "张三"\n')
    assert load(seed).meta.speaker == "张三"
    assert load(seed, corrections=Corrections()).meta.speaker == "鲍秀英"
    assert load(seed, corrections=Corrections(meta={"speaker": "王五"})).meta.speaker == "王五"


def test_book_honours_the_sidecar(seed, tmp_path):
    import zipfile
    write_sidecar(seed, f'drop = ["{SEED_BODY}"]\n')
    r = CliRunner().invoke(main, ["book", str(seed), "-o", str(tmp_path / "b.epub"), "-q"])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(tmp_path / "b.epub") as z:
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    assert "一、增强发展意识" in text and SEED_BODY not in text


# ---- batch -------------------------------------------------------------------------------

def _convert(*args) -> dict:
    r = CliRunner().invoke(main, ["convert", *map(str, args), "--json"])
    return json.loads(r.output[r.output.index("{"):])


def test_convert_reconverts_only_the_input_whose_sidecar_changed(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name in ("a", "b", "c"):
        (inp / f"{name}.txt").write_bytes(SEED.read_bytes())
    raw = {p.name: p.read_bytes() for p in inp.iterdir()}
    assert _convert(inp, "-o", out, "-f", "json")["converted"] == 3
    assert _convert(inp, "-o", out, "-f", "json")["converted"] == 0
    save(inp / "b.txt", Corrections(meta={"speaker": "张三"}))          # new sidecar
    s = _convert(inp, "-o", out, "-f", "json")
    assert (s["converted"], s["skipped"], s["failed"]) == (1, 2, 0)
    assert json.loads((out / "b.json").read_text(encoding="utf-8"))["meta"]["speaker"] == "张三"
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["meta"]["speaker"] == "鲍秀英"
    save(inp / "b.txt", Corrections(meta={"speaker": "李四"}))          # changed
    assert _convert(inp, "-o", out, "-f", "json")["converted"] == 1
    assert _convert(inp, "-o", out, "-f", "json")["converted"] == 0
    save(inp / "b.txt", Corrections())                                  # deleted
    assert not sidecar_path(inp / "b.txt").exists()
    assert _convert(inp, "-o", out, "-f", "json")["converted"] == 1
    assert json.loads((out / "b.json").read_text(encoding="utf-8"))["meta"]["speaker"] == "鲍秀英"
    assert {p.name: p.read_bytes() for p in inp.iterdir()} == raw      # raw inputs untouched


def test_bad_sidecar_fails_its_input_only_and_sidecars_are_not_inputs(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name in ("a", "b"):
        (inp / f"{name}.txt").write_bytes(SEED.read_bytes())
    side = write_sidecar(inp / "b.txt", '[meta]\nlevel = 3\n')
    s = _convert(inp, "-o", out, "-f", "json")
    assert s["converted"] == 1 and s["failed"] == 1
    assert s["failures"][0]["error"].startswith(f"{side}: meta.level: unknown key")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["a.json"]
    # a shell glob (input/*) names the sidecar too: it is not taken as a speech
    side.write_text('[meta]\nspeaker = "张三"\n', encoding="utf-8")
    s = _convert(*sorted(inp.iterdir()), "-o", out, "-f", "json")
    assert (s["converted"], s["failed"]) == (1, 0)
    assert not list(out.glob("*speechpub*.json"))


def test_cli_convert_bad_sidecar_no_traceback(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(SEED.read_bytes())
    write_sidecar(src, "[meta\n")
    r = speechpub("convert", src, "-o", tmp_path / "out", "-f", "txt", "-q")
    no_traceback(r)
    assert r.returncode == 1 and "x.speechpub.toml: not valid TOML" in r.stderr


# ---- nothing is lost ----------------------------------------------------------------------


_SEED_RAW = SEED.read_text(encoding="utf-8")
_SEED_LINES = [t.strip() for t in _SEED_RAW.split("\n") if HAN.search(t)]
_PLAIN = from_text(_SEED_RAW, "seed.txt")
_REMOVED = sorted({r.text for r in _PLAIN.removed})


@settings(max_examples=int(os.environ.get("SPEECHPUB_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drop=st.lists(st.sampled_from(_SEED_LINES), max_size=4, unique=True),
       restore=st.lists(st.sampled_from(_REMOVED), max_size=3, unique=True))
def test_dropped_and_restored_lines_lose_nothing(drop, restore):
    drop = [t for t in drop if t not in restore]
    c = Corrections(restore=tuple(restore), drop=tuple(drop))
    try:
        doc = from_text(_SEED_RAW, "seed.txt", corrections=c)
    except SpeechpubError:
        return                                  # everything dropped: a clear error
    assert "".join(HAN.findall(doc.text())) == unremoved_hanzi(_SEED_RAW, doc)
    text = "".join(HAN.findall(doc.text()))
    restored = ["".join(HAN.findall(ch.after)) for ch in doc.changes if ch.rule == "editor"]
    unused = " ".join(w.message for w in doc.warnings if w.code == "correction_unused")
    for t in restore:       # back in the text, recorded; or (a drop changed what cleaning removes) unused
        h = "".join(HAN.findall(t))
        assert (h in restored and h in text) or t[:20] in unused, (t, unused)
    editor = [r.text.strip() for r in doc.removed if r.reason == "editor"]
    for t in drop:
        assert t in editor or t[:20] in unused
