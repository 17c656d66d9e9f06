"""Batch conversion: incremental re-runs, failures listed, safe names, kills and crashes survived."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from speechpub import batch
from speechpub.batch import MANIFEST, find_inputs, run_batch, safe_name
from speechpub.cli import main
from speechpub.errors import SpeechpubError
from speechpub.outfile import TMP_PREFIX
from speechpub.render import RenderOptions

from conftest import ALL_INPUTS, SEED

FAST = "txt,json"


def make_tree(root: Path, copies: int = 2, broken: bool = True) -> list[Path]:
    """The seed and corpus copied under varied names and subfolders, a few broken files among them."""
    made = []
    for i in range(copies):
        for j, src in enumerate(ALL_INPUTS):
            p = root / f"group{i % 3}" / ("deep" if j % 2 else "") / f"{src.stem}-{i}.txt"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(src.read_bytes())
            made.append(p)
    if broken:
        (root / "broken-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        (root / "empty.txt").write_bytes(b"")
        (root / "boilerplate-only.txt").write_text("字体:\n浏览:\n打印本页\n关闭窗口\n", encoding="utf-8")
    return made


def convert(*args):
    r = CliRunner().invoke(main, ["convert", *map(str, args), "--json"])
    return r.exit_code, (json.loads(r.output[r.output.index("{"):]) if "{" in r.output else r.output)


def outputs(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_failures_are_listed_and_the_rest_converted(tmp_path):
    made = make_tree(tmp_path / "in")
    code, summary = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST, "-j", "2")
    assert code == 1
    assert summary["converted"] == len(made)
    failed = {Path(f["source"]).name: f["error"] for f in summary["failures"]}
    assert set(failed) == {"broken-image.txt", "empty.txt", "boilerplate-only.txt"}
    assert "PNG" in failed["broken-image.txt"] and "empty" in failed["empty.txt"]
    for p in made:
        rel = p.relative_to(tmp_path / "in").with_suffix("")
        for suffix in (".txt", ".json"):
            assert (tmp_path / "out" / (rel.as_posix() + suffix)).is_file()


def test_second_run_skips_unchanged_and_redoes_exactly_the_changed(tmp_path):
    made = make_tree(tmp_path / "in", broken=False)
    code, first = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST)
    assert code == 0 and first["converted"] == len(made)
    code, second = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST)
    assert (second["converted"], second["skipped"]) == (0, len(made))
    for p in made[:3]:
        p.write_text(p.read_text(encoding="utf-8-sig") + "\n谢谢大家。\n", encoding="utf-8")
    code, third = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST)
    assert (third["converted"], third["skipped"]) == (3, len(made) - 3)
    code, forced = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST, "--force")
    assert forced["converted"] == len(made)


def test_a_new_format_or_a_changed_style_reconverts(tmp_path):
    make_tree(tmp_path / "in", copies=1, broken=False)
    n = len(ALL_INPUTS)
    convert(tmp_path / "in", "-o", tmp_path / "out", "-f", "txt")
    assert convert(tmp_path / "in", "-o", tmp_path / "out", "-f", "txt,json")[1]["converted"] == n
    style = tmp_path / "style.toml"
    style.write_text((Path(__file__).parents[1] / "styles" / "gbt9704.toml").read_text(encoding="utf-8")
                     .replace("size_pt = 22", "size_pt = 20"), encoding="utf-8")
    assert convert(tmp_path / "in", "-o", tmp_path / "out", "-f", "txt,json", "--style", style)[1]["converted"] == n
    assert convert(tmp_path / "in", "-o", tmp_path / "out", "-f", "txt,json", "--style", style)[1]["converted"] == 0


def test_prune_removes_outputs_of_inputs_that_are_gone(tmp_path):
    made = make_tree(tmp_path / "in", copies=1, broken=False)
    convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST)
    gone = made[0].relative_to(tmp_path / "in").with_suffix("").as_posix()
    made[0].unlink()
    convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST)
    assert (tmp_path / "out" / (gone + ".txt")).exists()          # kept without --prune
    code, summary = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", FAST, "--prune")
    assert summary["pruned"] == 2 and not (tmp_path / "out" / (gone + ".txt")).exists()
    assert len(outputs(tmp_path / "out")) == 2 * (len(made) - 1)


def test_fail_fast_stops_at_the_first_failure(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-broken.txt").write_bytes(b"%PDF-1.4")
    for i in range(5):
        shutil.copy(SEED, src / f"b{i}.txt")
    code, summary = convert(src, "-o", tmp_path / "out", "-f", FAST, "-j", "1", "--fail-fast")
    assert code == 1 and summary["failed"] == 1 and summary["converted"] == 0


def test_names_never_collide_and_are_safe_everywhere(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("Speech.txt", "speech.txt", "CON.txt", "-rf.txt", "a:b?.txt", "报告 (1).txt"):
        shutil.copy(SEED, src / name)
    jobs, _ = find_inputs([src])
    stems = [j.out_stem.as_posix() for j in jobs]
    assert len({s.lower() for s in stems}) == len(stems)
    assert "_CON" in stems and "_-rf" in stems and "a_b_" in stems and "报告 (1)" in stems
    assert safe_name("../../etc/passwd") == ".._.._etc_passwd" and safe_name("..") == "speech"
    code, summary = convert(src, "-o", tmp_path / "out", "-f", "txt")
    assert code == 0 and summary["converted"] == 6 and len(outputs(tmp_path / "out")) == 6


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path):
    src, outside = tmp_path / "in", tmp_path / "secret.txt"
    src.mkdir()
    shutil.copy(SEED, outside)
    shutil.copy(SEED, src / "real.txt")
    (src / "link.txt").symlink_to(outside)
    (src / "inner.txt").symlink_to(src / "real.txt")
    code, summary = convert(src, "-o", tmp_path / "out", "-f", "txt")
    assert summary["converted"] == 2 and code == 1
    assert [Path(f["source"]).name for f in summary["failures"]] == ["link.txt"]


def test_output_inside_the_input_folder_is_refused(tmp_path):
    make_tree(tmp_path / "in", copies=1, broken=False)
    code, out = convert(tmp_path / "in", "-o", tmp_path / "in" / "out", "-f", "txt")
    assert code == 2 and "must not be inside" in out


def _crash_on_marked(job, outdir, formats, options, script="auto", digest=""):
    if "crash" in job.source.name:
        os._exit(1)                         # a worker dying hard, as a segfault would
    return _REAL_CONVERT(job, outdir, formats, options, script, digest)


_REAL_CONVERT = batch.convert_one


def test_a_crashing_worker_costs_only_its_own_document(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        shutil.copy(SEED, src / f"ok{i}.txt")
    shutil.copy(SEED, src / "crash.txt")
    monkeypatch.setattr(batch, "convert_one", _crash_on_marked)     # workers are forked: they see it
    summary = run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=2)
    assert summary.converted == 6
    assert [(Path(s).name, "crash" in e) for s, e in summary.failed] == [("crash.txt", True)]


def test_a_rerun_with_nothing_changed_starts_no_worker_and_loads_no_font(tmp_path, monkeypatch):
    """Issue 14: the broken inputs fail again from the manifest, not by converting them again."""
    made = make_tree(tmp_path / "in", copies=1, broken=True)
    first = run_batch([tmp_path / "in"], tmp_path / "out", ["txt", "pdf"], RenderOptions(), jobs=2)
    assert (first.converted, len(first.failed)) == (len(made), 3)

    def forbidden(*a, **k):
        raise AssertionError("a re-run with nothing changed started work")
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", forbidden)
    monkeypatch.setattr(batch, "_warm_up", forbidden)
    monkeypatch.setattr(batch, "convert_one", forbidden)
    again = run_batch([tmp_path / "in"], tmp_path / "out", ["txt", "pdf"], RenderOptions(), jobs=2)
    assert (again.converted, again.skipped) == (0, len(made))
    assert sorted(again.failed) == sorted(first.failed)         # the same failures, the same messages


def test_the_manifest_is_rewritten_only_when_it_holds_old_lines(tmp_path):
    """One line per input after every run; a run that changed nothing leaves the file alone."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        shutil.copy(SEED, src / f"{name}.txt")
    out = tmp_path / "out"
    run_batch([src], out, ["txt"], RenderOptions(), jobs=1)
    manifest = out / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(x)["key"] for x in lines) == ["a", "b"]
    before = manifest.stat()
    run_batch([src], out, ["txt"], RenderOptions(), jobs=1)
    after = manifest.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    manifest.write_text("\n".join([lines[0], "{cut off by a ki", *lines]) + "\n", encoding="utf-8")
    assert run_batch([src], out, ["txt"], RenderOptions(), jobs=1).skipped == 2
    assert manifest.read_text(encoding="utf-8").splitlines() == lines


def test_a_failure_while_rendering_is_tried_again(tmp_path, monkeypatch):
    """A missing font or pandoc is the machine's fault, not the input's: the next run retries."""
    from speechpub import render as renderers
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    real = renderers.render

    def no_font(doc, fmt, path, options=None):
        raise SpeechpubError(path, "no usable font for class fangsong")
    monkeypatch.setattr(renderers, "render", no_font)
    first = run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=1)
    assert first.converted == 0 and "font" in first.failed[0][1]
    monkeypatch.setattr(renderers, "render", real)
    assert run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=1).converted == 1


def test_a_changed_broken_input_is_tried_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    assert len(run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=1).failed) == 1
    assert len(run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=1).failed) == 1
    shutil.copy(SEED, src / "empty.txt")
    again = run_batch([src], tmp_path / "out", ["txt"], RenderOptions(), jobs=1)
    assert (again.converted, again.failed) == (1, [])


def _cli(*args, output=subprocess.DEVNULL):
    return subprocess.Popen([sys.executable, "-m", "speechpub.cli", *map(str, args)], start_new_session=True,
                            stdout=output, stderr=output)


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_tree_without_temporaries(tmp_path):
    make_tree(tmp_path / "in", copies=6, broken=True)
    fmts = "txt,json,docx,pdf"
    full = subprocess.run([sys.executable, "-m", "speechpub.cli", "convert", tmp_path / "in", "-o", tmp_path / "ref",
                           "-f", fmts, "-j", "2", "-q"], capture_output=True)
    assert full.returncode == 1
    proc = _cli("convert", tmp_path / "in", "-o", tmp_path / "out", "-f", fmts, "-j", "2", "-q")
    manifest = tmp_path / "out" / MANIFEST
    deadline = time.time() + 120
    while time.time() < deadline and (not manifest.exists() or manifest.read_text().count("\n") < 10):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)                  # the run and its workers, mid-batch
    proc.wait()
    done_before = manifest.read_text().count("\n")
    assert 10 <= done_before < len(outputs(tmp_path / "ref")) // 4
    again = subprocess.run([sys.executable, "-m", "speechpub.cli", "convert", tmp_path / "in", "-o", tmp_path / "out",
                            "-f", fmts, "-j", "2", "--json"], capture_output=True, text=True)
    summary = json.loads(again.stdout)
    assert summary["skipped"] >= 10 - summary["failed"]
    assert outputs(tmp_path / "out") == outputs(tmp_path / "ref")
    assert not list((tmp_path / "out").rglob(TMP_PREFIX + "*"))
    for rel in outputs(tmp_path / "ref"):
        if rel.endswith((".txt", ".json")):
            assert (tmp_path / "out" / rel).read_bytes() == (tmp_path / "ref" / rel).read_bytes(), rel


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_a_rerun_finishes(tmp_path):
    make_tree(tmp_path / "in", copies=4, broken=False)
    proc = _cli("convert", tmp_path / "in", "-o", tmp_path / "out", "-f", "txt,json,pdf", "-j", "2", "-q",
                output=subprocess.PIPE)
    manifest = tmp_path / "out" / MANIFEST
    deadline = time.time() + 120
    while time.time() < deadline and (not manifest.exists() or manifest.read_text().count("\n") < 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and b"Traceback" not in err
    assert not list((tmp_path / "out").rglob(TMP_PREFIX + "*"))
    code, summary = convert(tmp_path / "in", "-o", tmp_path / "out", "-f", "txt,json,pdf")
    assert code == 0 and summary["converted"] + summary["skipped"] == 4 * len(ALL_INPUTS)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_outputs_and_manifest(tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="pip install 'speechpub[dask]'")
    make_tree(tmp_path / "in", copies=1, broken=True)
    local = run_batch([tmp_path / "in"], tmp_path / "local", ["txt", "json", "docx"], RenderOptions(), jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_batch([tmp_path / "in"], tmp_path / "dask", ["txt", "json", "docx"], RenderOptions(),
                           executor="dask", scheduler=cluster.scheduler_address)
    assert (remote.converted, len(remote.failed)) == (local.converted, len(local.failed))
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")

    def manifest(out):
        entries = [json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()]
        return sorted((e["key"], e["digest"], e["settings"], sorted(e["outputs"].items()), e["error"]) for e in entries)
    assert manifest(tmp_path / "dask") == manifest(tmp_path / "local")
    for rel in outputs(tmp_path / "local"):
        if rel.endswith(".txt"):
            assert (tmp_path / "dask" / rel).read_bytes() == (tmp_path / "local" / rel).read_bytes()


def test_dask_without_scheduler_is_a_usage_error(tmp_path):
    code, out = convert(SEED, "-o", tmp_path / "out", "-f", "txt", "--executor", "dask")
    assert code == 2 and "--scheduler" in out


@pytest.mark.slow
def test_a_thousand_speeches_in_all_formats(tmp_path):
    """The everyday job at scale: 1,001 speeches in subfolders and three broken files, -j 2."""
    made = make_tree(tmp_path / "in", copies=143, broken=True)
    assert len(made) == 1001
    code, first = convert(tmp_path / "in", "-o", tmp_path / "out", "-j", "2")
    assert code == 1 and first["converted"] == len(made) and first["failed"] == 3
    suffixes = (".txt", ".json", ".docx", ".pdf", ".epub")
    for p in made:
        stem = (tmp_path / "out" / p.relative_to(tmp_path / "in")).with_suffix("")
        assert all(stem.with_name(stem.name + s).stat().st_size > 0 for s in suffixes), stem
    assert not list((tmp_path / "out").rglob(TMP_PREFIX + "*"))
    code, second = convert(tmp_path / "in", "-o", tmp_path / "out", "-j", "2")
    assert (second["converted"], second["skipped"], second["failed"]) == (0, len(made), 3)
    for p in made[:1000:100]:                           # ten edited inputs
        p.write_text(p.read_text(encoding="utf-8-sig") + "\n谢谢大家。\n", encoding="utf-8")
    code, third = convert(tmp_path / "in", "-o", tmp_path / "out", "-j", "2")
    assert (third["converted"], third["skipped"]) == (10, len(made) - 10)


def test_the_collector_is_tuned_while_converting_and_restored_after(tmp_path, monkeypatch):
    import gc
    seen = []
    real = batch.convert_one

    def spy(*a, **k):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return real(*a, **k)

    monkeypatch.setattr(batch, "convert_one", spy)
    before = gc.get_threshold(), gc.get_freeze_count()
    (tmp_path / "in").mkdir()
    shutil.copy(SEED, tmp_path / "in" / "a.txt")
    s = run_batch([tmp_path / "in"], tmp_path / "out", ["txt"], RenderOptions(), jobs=1)
    assert s.converted == 1
    assert seen == [(batch.GC_YOUNG, True)]       # the loaded fonts and rules frozen meanwhile
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
