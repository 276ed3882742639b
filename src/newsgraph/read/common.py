"""What every reader shares: the result type, limits, bytes to text, and ISO dates.

A reader never raises for bad input: it raises `Reject` for a whole input,
which the entry points turn into a `Failure` value, or yields a `Failure`
for one item of an archive and goes on.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from newsgraph.article import Article
from newsgraph.dates import parse_date
from newsgraph.errors import Failure
from newsgraph.settings import value

if TYPE_CHECKING:
    from newsgraph.read.meta import MetaTable

MAX_TEXT_CHARS = int(value("max_article_chars") or 0)
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
    """What a reader is asked besides the path: the fallback date, Parquet columns, an archive
    slice, and where else metadata may come from (`read.meta`)."""

    fallback: str | None = None
    columns: Columns = field(default_factory=Columns)
    items: Items | None = None  # None: every item
    max_chars: int = MAX_TEXT_CHARS  # the `max_article_chars` setting; tests lower it
    date_from_path: bool = False  # `--date-from-path`: a date written in the path dates the file
    table: MetaTable | None = None  # the `--meta` CSV

    def item_range(self) -> tuple[int, int | None]:
        return self.items if self.items is not None else (0, None)

    @property
    def max_bytes(self) -> int:
        return max_bytes(self.max_chars)


def max_bytes(max_chars: int) -> int:
    # UTF-8 needs at most 4 bytes a character: more bytes than this cannot
    # decode to an acceptable body, so they are refused before being held in
    # memory (compressed or not).
    return 4 * max_chars + 4


class Reject(Exception):
    """Abort one input; the message is its Failure reason."""


# --------------------------------------------------------------------------- bytes and decoding


def os_reason(err: OSError) -> str:
    return err.strerror.lower() if err.strerror else str(err)


# Terminal controls (escape sequences start with ESC), and the line and bidi
# controls that can make a printed name lie about itself.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(name: str) -> str:
    """A file name safe to print and store: bytes that are not UTF-8 and control characters
    shown as escapes (`\\xff`, `\\x1b`); a name that needs none comes back unchanged."""
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate that did not come from the file system
        raw = name.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_gzip_name(path: str) -> bool:
    return path.lower().endswith(".gz")


def oversized(max_chars: int) -> str:
    return f"oversized: over the {max_chars:,}-character limit (setting max_article_chars)"


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read (reading a FIFO or a device can block forever); None
    for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = next((name for test, name in _KINDS if test(mode)), None)
    return f"not a regular file ({kind})" if kind else "not a regular file"


def open_regular(path: str) -> BinaryIO:
    """`path` opened for reading in binary, only when it is a regular file.

    Opened without blocking and checked on the open descriptor, so a FIFO
    (whose open and read wait for a writer) or a file swapped for one after a
    directory listing is refused, never waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise Reject(os_reason(exc)) from None
    try:
        reason = not_regular(os.fstat(fd).st_mode)
    except OSError as exc:
        os.close(fd)
        raise Reject(os_reason(exc)) from None
    if reason is not None:
        os.close(fd)
        raise Reject(reason)
    return os.fdopen(fd, "rb")


class _GzipInput(gzip.GzipFile):
    """A gzip stream that closes the file it reads when it is closed."""

    def close(self) -> None:
        raw = self.fileobj
        try:
            super().close()
        finally:
            if raw is not None:
                raw.close()


def open_input(path: str) -> BinaryIO:
    """A regular file's bytes, decompressed as they are read when its name ends in `.gz`."""
    fh = open_regular(path)
    return _GzipInput(fileobj=fh, mode="rb") if is_gzip_name(path) else fh  # type: ignore[return-value]


def read_bytes(path: str, max_chars: int = MAX_TEXT_CHARS) -> bytes:
    limit = max_bytes(max_chars)
    try:
        with open_input(path) as fh:
            # Bounded: a gzip bomb is cut off at the limit, never unpacked whole.
            data = fh.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise Reject(f"corrupt gzip: {exc}") from None
    except OSError as exc:
        raise Reject(os_reason(exc)) from None
    if len(data) > limit:
        raise Reject(oversized(max_chars))
    return data


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


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why no store can keep `text` faithfully, or None.

    NUL and lone surrogates (JSON escapes can carry both) are refused at the
    door: PostgreSQL refuses NUL, UTF-8 cannot encode a surrogate, and every
    offset indexes the text as read, so neither can be cleaned away.
    """
    if found := _UNSTORABLE.search(text):
        char = found.group(0)
        what = "a NUL character" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
        return f"contains {what} at character {found.start()}"
    return None


def body_problem(text: str, max_chars: int) -> str | None:
    """Why `text` cannot be an article body; None when it can."""
    if not text.strip():
        return "empty"
    if len(text) > max_chars:
        return oversized(max_chars)
    if (problem := unstorable(text)) is not None:
        return f"text {problem}"
    return None


def check_body(text: str, max_chars: int = MAX_TEXT_CHARS) -> None:
    if (problem := body_problem(text, max_chars)) is not None:
        raise Reject(problem)


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
