"""Which files the inputs name: files as given, directories walked, globs expanded.

Whatever a directory holds that is not read is reported, never passed over in
silence and never allowed to stop the walk: names that are not valid UTF-8
(by a printable form), unknown extensions, FIFOs, sockets and devices (whose
reads can block forever), symlinks to directories (not followed) and broken
or looping symlinks. Only hidden entries and metadata sidecars
(`NAME.meta.json`, read with the article beside them) are left out without a
word.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.errors import Failure
from newsgraph.read.common import not_regular, os_reason, printable
from newsgraph.read.formats import FORMATS, format_of
from newsgraph.read.meta import is_sidecar

_READABLE = ", ".join(sorted(FORMATS))


def input_files(inputs: Iterable[str]) -> Iterator[str | Failure]:
    """The files `read_inputs` reads, in its order, and what the inputs name that is not read.

    Directories give their readable files (recursively, hidden ones left out,
    sorted by path components) and a failure for every other entry; globs
    their sorted matches; a file named explicitly is kept whatever its
    extension. Metadata sidecars are left out wherever they are met (their
    article reads them). `-` (stdin) is not a file and is reported as a failure here.
    """
    for spec in inputs:
        spec = str(spec)
        if spec == "-":
            yield Failure(spec, "stdin is not a file")
        elif undecodable(spec):
            yield Failure(printable(spec), "file name is not valid UTF-8 (skipped)")
        elif _sidecar_file(spec):
            # Named by a shell's `dir/*` as often as on purpose: it is read with its article.
            continue
        elif os.path.lexists(spec):
            yield from _path_files(spec)
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield Failure(spec, "no files match pattern")
            for match in matches:
                if not _sidecar_file(match):
                    yield from _path_files(match)
        else:
            yield Failure(spec, "no such file or directory")


def undecodable(name: str) -> bool:
    """A name the file system gave as bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which no store or terminal can take)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _sidecar_file(path: str) -> bool:
    return is_sidecar(path) and os.path.isfile(path)


def _path_files(path: str) -> Iterator[str | Failure]:
    if undecodable(path):
        yield Failure(printable(path), "file name is not valid UTF-8 (skipped)")
    elif os.path.isdir(path):
        yield from _dir_files(path)
    else:
        yield path


def _dir_files(root: str) -> Iterator[str | Failure]:
    found: list[tuple[tuple[str, ...], str | Failure]] = []
    errors: list[OSError] = []
    hidden = 0
    sidecars = 0

    def add(full: str, what: str | Failure) -> None:
        found.append((Path(os.path.relpath(full, root)).parts, what))

    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        kept = []
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if name.startswith("."):
                # Hidden directories (.git, .cache) are never article collections.
                hidden += 1
            elif undecodable(name):
                add(full, Failure(printable(full), "directory name is not valid UTF-8 (skipped)"))
            elif os.path.islink(full):
                add(full, Failure(printable(full), "symlink to a directory (not followed)"))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            full = os.path.join(dirpath, name)
            if name.startswith("."):
                hidden += 1
            elif is_sidecar(name):
                sidecars += 1
            elif (reason := _unread(full, name)) is not None:
                add(full, Failure(printable(full), reason))
            else:
                add(full, full)
    for err in errors:
        yield Failure(printable(str(err.filename or root)), os_reason(err))
    if not found and not errors:
        what = "empty directory"
        if hidden or sidecars:
            left = [f"{hidden} hidden entries"] * bool(hidden) + [f"{sidecars} metadata sidecars"] * bool(
                sidecars
            )
            what = f"only {' and '.join(left)}, which are left out"
        yield Failure(printable(root), f"no files to read ({what})")
    # Sort by path components so the order is the same on every machine.
    for _, what in sorted(found, key=lambda entry: entry[0]):
        yield what


def _unread(full: str, name: str) -> str | None:
    """Why a directory entry is not read, or None for a file to read."""
    if undecodable(name):
        return "file name is not valid UTF-8 (skipped)"
    if format_of(name) is None:
        ext = os.path.splitext(name.removesuffix(".gz"))[1] or "none"
        return f"skipped: unknown extension ({printable(ext)}); readable: {_READABLE}"
    try:
        mode = os.stat(full).st_mode  # follows symlinks: a link is read as what it points to
    except OSError as exc:
        return os_reason(exc)
    reason = not_regular(mode)
    return f"skipped: {reason}" if reason is not None else None
