from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "forum-2024-11-18.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def nlp():
    from newsgraph.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared evaluation data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_record(nlp):
    from newsgraph.extract import extract
    from newsgraph.read import read_file

    (article,) = list(read_file(SAMPLE))
    return extract(article, nlp)


# Store fixtures (SQLite file and, where configured, PostgreSQL) live in their own plugin.
pytest_plugins = ["tests.store_fixtures"]
