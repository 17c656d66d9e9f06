"""The command line as a user meets it: names, outputs, exit statuses, one-line errors."""
import json
import subprocess
import sys

from click.testing import CliRunner

from speechpub.cli import main

from conftest import FIXTURES, SEED


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_no_arguments_prints_help():
    r = run()
    assert r.exit_code == 0 and "convert" in r.output and "inspect" in r.output


def test_inspect_json_is_one_object_with_the_public_fields():
    r = run("inspect", SEED, "--json")
    assert r.exit_code == 0
    model = json.loads(r.output)
    assert set(model) >= {"meta", "blocks", "removed", "warnings"}
    assert set(model["meta"]) >= {"title", "subtitle", "speaker", "position", "occasion", "date", "published",
                                  "kind", "script", "source_encoding"}
    heading = next(b for b in model["blocks"] if b["kind"] == "heading")
    assert heading["level"] == 1
    assert all({"text", "line", "reason"} <= set(r) for r in model["removed"])
    assert all({"code", "message"} <= set(w) for w in model["warnings"])


def test_inspect_outline():
    r = run("inspect", SEED)
    assert r.exit_code == 0
    assert "鲍秀英代区长在区长办公会上的讲话" in r.output and "一、增强发展意识" in r.output and "truncated" in r.output


def test_clean_prints_one_paragraph_per_line():
    r = run("clean", SEED)
    lines = r.output.rstrip("\n").split("\n")
    assert r.exit_code == 0 and lines[0] == "鲍秀英代区长在区长办公会上的讲话" and lines[2] == "同志们："
    assert len(lines) == 1 + 1 + 1 + 5 + 21


def test_check_exit_status(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("某某在会上的讲话\n同志们：\n一、总体要求\n今天开会。\n", encoding="utf-8")
    assert run("check", ok).exit_code == 0
    r = run("check", ok, SEED)
    assert r.exit_code == 1 and "truncated" in r.output


def test_errors_are_one_line_with_exit_status_2(tmp_path):
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4\n")
    for args in (("inspect", pdf), ("clean", tmp_path / "missing.txt"), ("inspect", tmp_path)):
        r = run(*args)
        assert r.exit_code == 2
        err = r.output.strip().splitlines()
        assert len(err) == 1 and str(args[1]) in err[0]
        assert "Traceback" not in r.output


def test_bad_style_names_the_key(tmp_path):
    style = tmp_path / "bad.toml"
    text = (FIXTURES.parent.parent / "styles" / "gbt9704.toml").read_text(encoding="utf-8")
    style.write_text(text.replace("size_pt = 22", 'size_pt = "big"'), encoding="utf-8")
    r = run("convert", SEED, "-o", tmp_path / "out", "-f", "txt", "--style", style)
    assert r.exit_code == 2 and "elements.title.size_pt" in r.output


def test_convert_txt_and_json_mirrors_folders(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "deng.txt").write_bytes((FIXTURES / "12_deng-1978-science-conference-crlf.txt").read_bytes())
    (src / "notes.md").write_text("not a speech", encoding="utf-8")
    out = tmp_path / "out"
    r = run("convert", src, "-o", out, "-f", "txt,json")
    assert r.exit_code == 0, r.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name[0] != ".") == \
        ["deng.json", "deng.txt", "sub/seed.json", "sub/seed.txt"]
    assert (out / "sub" / "seed.txt").read_text(encoding="utf-8") == run("clean", SEED).output
    assert json.loads((out / "sub" / "seed.json").read_text(encoding="utf-8"))["meta"]["date"] == "2011-11-21"


def test_convert_keeps_going_past_a_bad_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes(SEED.read_bytes())
    (src / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out"
    r = run("convert", src, "-o", out, "-f", "txt")
    assert r.exit_code == 1
    assert (out / "good.txt").exists() and not (out / "bad.txt").exists()
    assert "bad.txt" in r.output and "PNG" in r.output


def test_unknown_format_is_a_usage_error(tmp_path):
    r = run("convert", SEED, "-o", tmp_path, "-f", "txt,odt")
    assert r.exit_code == 2 and "odt" in r.output


def test_script_option(tmp_path):
    r = run("clean", FIXTURES / "16_tsai-2016-inaugural-trad-bom.txt", "--script", "simplified")
    assert r.exit_code == 0 and "谢谢大家。" in r.output


def test_console_script_is_installed():
    r = subprocess.run([sys.executable, "-m", "speechpub.cli", "inspect", str(SEED), "--json"],
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0 and json.loads(r.stdout)["meta"]["speaker"] == "鲍秀英"


def test_starting_the_command_line_does_not_compile_the_cleaning_rules():
    """--version, --help and a re-run with nothing to convert start fast: the pipeline (its
    hundreds of regular expressions) is imported only when a command reads a speech."""
    code = "import sys, speechpub.cli; print(sorted(m for m in sys.modules if m.startswith(('speechpub.clean', 'speechpub.parse'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
