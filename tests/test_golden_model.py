"""Golden model dumps: `speechpub inspect --json` for the seed and each corpus file.

Regenerate with `pytest tests/test_golden_model.py --update-golden`, read the diff, commit it."""
import json
from pathlib import Path

import pytest

from speechpub.render.model_json import dumps

from conftest import ALL_INPUTS

GOLDEN = Path(__file__).parent / "golden" / "model"


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.name)
def test_model_matches_golden(path, corpus_docs, update_golden):
    got = dumps(corpus_docs[path.name])
    golden = GOLDEN / (path.stem + ".json")
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run pytest --update-golden and review it")
    want = json.loads(golden.read_text(encoding="utf-8"))
    have = json.loads(got)
    for part in ("meta", "blocks", "removed", "warnings", "changes"):
        assert have[part] == want[part], f"{path.name}: {part} differs from the golden dump"
