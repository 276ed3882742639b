"""Rewrite the golden record of the bundled sample after a deliberate change to extraction.

Usage: .venv/bin/python scripts/update_golden.py

`tests/test_golden.py` compares the extraction of `examples/forum-2024-11-18.txt`
with `tests/golden/forum-2024-11-18.json` byte for byte, so that a refactoring
that was meant to change nothing shows every difference it made. Run this only
when the change is meant; the diff of the golden file is then part of the
commit and says what changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from newsgraph.extract import Extractor
from newsgraph.read import read_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "forum-2024-11-18.txt"
GOLDEN = ROOT / "tests" / "golden" / "forum-2024-11-18.json"


def golden_text() -> str:
    """The sample's record as the golden file holds it: the record's JSON, keys in record order."""
    (article,) = list(read_file(SAMPLE.relative_to(ROOT)))
    return json.dumps(Extractor()(article), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    os.chdir(ROOT)
    GOLDEN.write_text(golden_text(), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
