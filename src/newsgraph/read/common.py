"""What every reader shares: the result type, limits, bytes to text, and ISO dates.

A reader never raises for bad input: it raises `Reject` for a whole input,
which the entry points turn into a `Failure` value, or yields a `Failure`
for one item of an archive and goes on.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field

from newsgraph.article import Article
from newsgraph.dates import parse_date
from newsgraph.errors import Failure

MAX_TEXT_CHARS = 5_000_000  # "over 5 MB of text" is rejected

# UTF-8 needs at most 4 bytes a character: a file larger than this cannot
# decode to an acceptable body, so we refuse it before holding it in memory.
MAX_BYTES = 4 * MAX_TEXT_CHARS + 4
SNIFF_BYTES = 8192
BOM = b"\xef\xbb\xbf"


Items = tuple[int, int]  # [start, stop) item numbers of an archive file
Result = Article | Failure


@dataclass(frozen=True)
class Columns:
    """Which Parquet columns hold an article's text, date and id.

    `date` and `id` left as None mean the columns named `date` and `id` when
    present; a name given explicitly must exist. Columns `title`, `source` and
    `url` are taken when present.
    """

    text: str = "text"
    date: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Options:
    """What a reader is asked besides the path: the fallback date, Parquet columns, an archive slice."""

    fallback: str | None = None
    columns: Columns = field(default_factory=Columns)
    items: Items | None = None  # None: every item

    def item_range(self) -> tuple[int, int | None]:
        return self.items if self.items is not None else (0, None)


class Reject(Exception):
    """Abort one input; the message is its Failure reason."""


# --------------------------------------------------------------------------- bytes and decoding


def os_reason(err: OSError) -> str:
    return err.strerror.lower() if err.strerror else str(err)


def is_gzip_name(path: str) -> bool:
    return path.lower().endswith(".gz")


def read_bytes(path: str) -> bytes:
    try:
        if is_gzip_name(path):
            with gzip.open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise Reject(f"corrupt gzip: {exc}") from None
    except OSError as exc:
        raise Reject(os_reason(exc)) from None
    if len(data) > MAX_BYTES:
        raise Reject("oversized")
    return data


def gunzip(raw: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            return fh.read()
    except (gzip.BadGzipFile, EOFError, zlib.error, OSError) as exc:
        raise Reject(f"corrupt gzip: {exc}") from None


def looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    chars = sample.decode("utf-8", errors="replace")
    junk = sum(1 for c in chars if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f\v\x1b"))
    # A few stray bytes mean a mis-encoded text file (reported as such);
    # a large share means it was never text.
    return junk > 0.3 * len(chars)


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Reject("not valid UTF-8 at byte 0 (UTF-16 byte order mark)")
    if looks_binary(data[:SNIFF_BYTES]):
        raise Reject("binary")
    skip = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Reject(f"not valid UTF-8 at byte {exc.start + skip}") from None


def check_body(text: str) -> None:
    if not text.strip():
        raise Reject("empty")
    if len(text) > MAX_TEXT_CHARS:
        raise Reject("oversized")


# --------------------------------------------------------------------------- dates


def normalise_date(value: object) -> str | None:
    """ISO date or datetime string (or a TimeML value such as 1998-01-08TMO) -> YYYY-MM-DD;
    anything else -> None."""
    day = parse_date(value) if isinstance(value, str) else None
    return day.isoformat() if day else None


def fallback_date(date: str | None) -> str | None:
    """The `--date` option as YYYY-MM-DD; raises ValueError when it is not an ISO date."""
    if date is None:
        return None
    normal = normalise_date(date)
    if normal is None:
        raise ValueError(f"invalid date {date!r}: expected ISO YYYY-MM-DD")
    return normal
