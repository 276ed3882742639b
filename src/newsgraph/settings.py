"""Every tunable of newsgraph in one table: name, default, environment variable and help.

Like Datasette's SETTINGS: commands, the web app and the docs read the same
entry, so a default is written once. `value(name)` is the environment's
value where its variable is set, else the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: int | str | None
    help: str
    env: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newsgraph.db", "Store: a SQLite path or a database URL.", "NEWSGRAPH_DB"),
    Setting("model", "en_core_web_sm", "Installed spaCy English pipeline.", "NEWSGRAPH_MODEL"),
    Setting("data", None, "Folder of the evaluation corpora (default: ../shared/data).", "NEWSGRAPH_DATA"),
    Setting("token", None, "Token that allows writing through the web app.", "NEWSGRAPH_TOKEN"),
    Setting("max_body", 2 * 1024 * 1024, "Largest request body the web app accepts, in bytes."),
    Setting(
        "max_article_chars",
        1_000_000,
        "Longest article text read, extracted or posted, in characters (spaCy's own limit); "
        "longer inputs are reported with their path, never parsed.",
    ),
    Setting("max_query_text", 500, "Longest search string, name or title a web request may carry."),
    Setting(
        "article_seconds",
        30,
        "Time budget of one article's extraction, in seconds; an article over it is recorded as a failure.",
        "NEWSGRAPH_ARTICLE_SECONDS",
    ),
    Setting(
        "article_memory_mb",
        2048,
        "Address space an extraction worker may add to what it holds at start, in MiB; an article that "
        "needs more is recorded as a failure (MemoryError) instead of exhausting the machine. 0: no limit.",
        "NEWSGRAPH_ARTICLE_MEMORY_MB",
    ),
    Setting(
        "extract_workers", 1, "Processes the web app extracts posted articles in (off the request loop)."
    ),
    Setting("extract_queue", 4, "Extractions the web app lets wait; more are refused with 429."),
    Setting(
        "extract_per_minute", 30, "Extractions one client may ask of the web app a minute; more get 429."
    ),
    Setting(
        "extract_needs_token",
        "no",
        "yes: POST /api/extract needs the write token too.",
        "NEWSGRAPH_EXTRACT_NEEDS_TOKEN",
    ),
    Setting("read_timeout", 30, "Seconds the server waits for a client's request before closing it."),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Setting:
    return _BY_NAME[name]


def value(name: str) -> int | str | None:
    entry = _BY_NAME[name]
    if entry.env and (found := os.environ.get(entry.env)):
        return type(entry.default)(found) if isinstance(entry.default, int) else found
    return entry.default


def default(name: str) -> int | str | None:
    return _BY_NAME[name].default
