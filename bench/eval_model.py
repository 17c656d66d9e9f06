"""How right the model is on the labelled real corpus (issue 11).

Runs read -> clean -> parse over every document labelled in tests/corpus/labels/ (labels written
by reading the raw text; tests/corpus/LABELS.md says what each field means) and prints, per field,
the share of documents where the model agrees with the label, boilerplate precision and recall,
nothing-lost, and the long-paragraph count.

Run: .venv/bin/python bench/eval_model.py [--json] [--misses FIELD]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

from speechpub.hanzi import converter
from speechpub.errors import SpeechpubError
from speechpub.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "corpus" / "labels"
SEARCH = (ROOT / "tests" / "corpus", ROOT / "tests" / "fixtures")
FIELDS = ("title", "subtitle", "speaker", "position", "date", "kind", "salutation",
          "body_first", "body_last", "paragraphs", "damaged")
HEAD_KINDS = {"title", "subtitle", "dateline", "speaker", "salutation"}
LONG = 1500
_DASHES = str.maketrans({"―": "—", "─": "—", "－": "—", "○": "〇"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """Comparison key: NFKC, simplified script, one dash form, no spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return re.sub(r"\s+", "", converter("t2s").convert(text))


def _sub(text: str) -> str:
    return fold(text).strip("—-()（）")


def raw_path(label: dict) -> Path:
    for base in SEARCH:
        p = base / label["file"]
        if p.exists():
            return p
        p = base / Path(label["file"]).name
        if p.exists():
            return p
    raise FileNotFoundError(label["file"])


def judge(label: dict, doc, raw: str) -> dict:
    m = doc.meta
    body = [b for b in doc.blocks if b.kind not in HEAD_KINDS]
    flat = fold("".join(b.text for b in body))
    salutation = next((b.text for b in doc.blocks if b.kind == "salutation"), "")
    titles = [label["title"]] + list(label.get("title_also", []))
    dates = [label["date"]] + list(label.get("date_also", []))
    if not label["date"]:
        dates = dates[1:] + [""]
    damaged = any(w.code == "damaged_text" for w in doc.warnings)
    ok = {
        "title": fold(m.title) in {fold(t) for t in titles} or (not m.title and not label["title"]),
        "subtitle": _sub(m.subtitle) == _sub(label["subtitle"]),
        "speaker": fold(m.speaker) == fold(label["speaker"]),
        "position": fold(m.position) == fold(label["position"]),
        "date": m.date in dates,
        "kind": fold(m.kind) == fold(label["kind"]),
        "salutation": fold(salutation) == fold(label["salutation"]),
        "body_first": flat.startswith(fold(label["body_first"])),
        "body_last": flat.endswith(fold(label["body_last"])),
        "paragraphs": len(body) >= label["min_paragraphs"],
        "damaged": damaged == bool(label.get("damaged")),
    }
    got = {
        "title": m.title, "subtitle": m.subtitle, "speaker": m.speaker, "position": m.position,
        "date": m.date, "kind": m.kind, "salutation": salutation,
        "body_first": flat[:10], "body_last": flat[-10:], "paragraphs": len(body), "damaged": damaged,
    }
    want = dict(label, paragraphs=label["min_paragraphs"], title=titles, date=dates)
    return {"ok": ok, "got": got, "want": want, **_boilerplate(label, doc), **_lost(raw, doc),
            "long": max((len(b.text) for b in body), default=0) > LONG and bool(label.get("unmarked"))}


def _boilerplate(label: dict, doc) -> dict:
    """Recall: each must-go piece is in `removed` (or, markup with no hanzi, gone from the
    text). Precision: each removed entry holding hanzi is some must-go or news-wrap piece."""
    chrome = [fold(x) for x in label.get("must_go", []) + label.get("news_wrap", []) if fold(x)]
    removed = [fold(r.text) for r in doc.removed if fold(r.text)]
    text = fold(doc.text())
    hit = 0
    missed = []
    for raw_item, item in zip(label.get("must_go", []), [fold(x) for x in label.get("must_go", [])]):
        if not item:
            continue
        if any(item in r or (len(r) >= 2 and r in item) for r in removed) or \
                (not _HAN.search(item) and item not in text):
            hit += 1
        else:
            missed.append(raw_item)
    wrong = [r for r in removed if _HAN.search(r) and
             not any(c in r or r in c for c in chrome)]
    return {"must_go": len(missed) + hit, "recalled": hit, "missed": missed,
            "removed_han": sum(1 for r in removed if _HAN.search(r)), "wrongly_removed": wrong}


def _lost(raw: str, doc) -> dict:
    """Every hanzi of the input is in the text or in `removed` (as a multiset)."""
    t2s = converter("t2s").convert
    have = Counter(_HAN.findall(t2s(raw)))
    kept = Counter(_HAN.findall(t2s(doc.text() + "".join(r.text for r in doc.removed))))
    for c in doc.changes:      # characters a rule changed on purpose (recorded)
        kept.update(_HAN.findall(t2s(c.before)))
        kept.subtract(_HAN.findall(t2s(c.after)))
    missing = have - kept
    return {"lost": "".join(sorted(missing.elements()))[:40]}


def evaluate(names=None) -> list[dict]:
    rows = []
    for path in sorted(LABELS.glob("*.toml")):
        label = tomllib.loads(path.read_text(encoding="utf-8"))
        if names and path.stem not in names:
            continue
        raw_file = raw_path(label)
        raw = raw_file.read_bytes().decode("utf-8-sig", "replace")
        try:
            doc = load(raw_file)
        except SpeechpubError as e:
            rows.append({"name": path.stem, "error": str(e)})
            continue
        rows.append({"name": path.stem, **judge(label, doc, raw)})
    return rows


def summary(rows: list[dict]) -> dict:
    good = [r for r in rows if "error" not in r]
    n = len(rows)
    out = {f: sum(r["ok"][f] for r in good) / n for f in FIELDS}
    must, rec = sum(r["must_go"] for r in good), sum(r["recalled"] for r in good)
    rem = sum(r["removed_han"] for r in good)
    wrong = sum(len(r["wrongly_removed"]) for r in good)
    out["boilerplate_recall"] = rec / must if must else 1.0
    out["boilerplate_precision"] = (rem - wrong) / rem if rem else 1.0
    out["nothing_lost"] = sum(1 for r in good if not r["lost"]) / n
    out["long_paragraph_docs"] = sum(1 for r in good if r["long"])
    out["documents"] = n
    return out


def table(s: dict) -> str:
    lines = ["| measure | value |", "|---|---|"]
    for k, v in s.items():
        lines.append(f"| {k} | {v:.1%} |" if isinstance(v, float) else f"| {k} | {v} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--misses", metavar="FIELD", help="list the documents that miss FIELD "
                    "(a field name, boilerplate, lost or long)")
    ap.add_argument("names", nargs="*", help="only these labels (file stems)")
    args = ap.parse_args(argv)
    rows = evaluate(args.names)
    s = summary(rows)
    if args.misses:
        for r in rows:
            if "error" in r:
                print(f"{r['name']}: ERROR {r['error']}")
            elif args.misses == "boilerplate":
                if r["missed"] or r["wrongly_removed"]:
                    print(f"{r['name']}: missed {r['missed'][:6]} wrongly {[w[:30] for w in r['wrongly_removed'][:6]]}")
            elif args.misses == "lost":
                if r["lost"]:
                    print(f"{r['name']}: lost {r['lost']}")
            elif args.misses == "long":
                if r["long"]:
                    print(r["name"])
            elif not r["ok"][args.misses]:
                print(f"{r['name']}: got {r['got'][args.misses]!r} want {r['want'].get(args.misses)!r}")
    print(json.dumps(s, ensure_ascii=False, indent=1) if args.json else table(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
