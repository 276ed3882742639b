"""Which files the inputs name: files as given, directories walked, globs expanded."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsgraph.errors import Failure
from newsgraph.read.common import os_reason
from newsgraph.read.formats import format_of


def input_files(inputs: Iterable[str]) -> Iterator[str | Failure]:
    """The files `read_inputs` reads, in its order, and the inputs that name none.

    Directories give their readable files (recursively, hidden ones left out,
    sorted by path components); globs their sorted matches; a file named
    explicitly is kept whatever its extension. `-` (stdin) is not a file and
    is reported as a failure here.
    """
    for spec in inputs:
        spec = str(spec)
        if spec == "-":
            yield Failure(spec, "stdin is not a file")
        elif os.path.lexists(spec):
            yield from _path_files(spec)
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield Failure(spec, "no files match pattern")
            for match in matches:
                yield from _path_files(match)
        else:
            yield Failure(spec, "no such file or directory")


def _path_files(path: str) -> Iterator[str | Failure]:
    if os.path.isdir(path):
        yield from _dir_files(path)
    else:
        yield path


def _dir_files(root: str) -> Iterator[str | Failure]:
    found: list[tuple[tuple[str, ...], str]] = []
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        # Hidden directories (.git, .cache) are never article collections.
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or format_of(name) is None:
                continue
            full = os.path.join(dirpath, name)
            found.append((Path(os.path.relpath(full, root)).parts, full))
    for err in errors:
        yield Failure(str(err.filename or root), os_reason(err))
    # Sort by path components so the order is the same on every machine.
    for _, full in sorted(found):
        yield full
