"""Cues: the verb that reports a quote, as PolNeAR marks it, and the subject that says it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.coref import SUBJECT_DEPS
from newsgraph.extract.quotes.drafts import Parsed
from newsgraph.extract.quotes.marks import Marked, is_quote_mark
from newsgraph.lexicon import AFTER_QUOTE_VERBS, RAISING_VERBS, REPORTING_VERBS, STATEMENT_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How far before a quote its cue is looked for: a "sentence" of thousands of quotes (hostile
# input, an unpunctuated transcript) would otherwise be rescanned for each of them.
CUE_BEFORE_TOKENS = 100
_CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, climbing from participles and conjuncts to the clause that has one."""
    current = verb
    for _ in range(4):
        # "Sanders was asked by host Bill Maher, “...”": the agent speaks, the passive
        # subject is spoken to; without an agent ("he was quoted as saying") it speaks.
        for child in current.children:
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if current.dep_ in {"advcl", "conj", "xcomp", "acl"} and current.head is not current:
            if current.dep_ == "acl":
                return None
            current = current.head
            continue
        break
    return None


def cue_start(doc: Doc, verb: Token) -> int:
    """Where a cue verb's span starts: with its auxiliaries, negation and
    adverbs ("has also strongly denied"), and with a raising verb it
    completes ("appeared to suggest", "went on to explain")."""
    first = verb
    while first.i > 0:
        previous = doc[first.i - 1]
        if previous.head.i == verb.i and previous.dep_ in _CUE_LEFT_DEPS and previous.i != verb.i:
            first = previous
        else:
            break
    head = verb.head
    if (
        verb.dep_ == "xcomp"
        and head.i < verb.i
        and head.lemma_ in RAISING_VERBS
        and all(t.dep_ in {"aux", "prt", "advmod", "neg"} for t in doc[head.i + 1 : first.i])
    ):
        return cue_start(doc, head)
    return first.idx


def cue_span(doc: Doc, verb: Token) -> tuple[int, int]:
    """The verb from `cue_start` with its particle: "has also strongly denied"."""
    last = verb
    while last.i + 1 < len(doc):
        following = doc[last.i + 1]
        # "said Friday": PolNeAR's cues stop before the date twice as often
        # as they take it in (train: 164 to 73), so only particles join.
        if following.head.i == verb.i and following.dep_ == "prt":
            last = following
        elif following.head.i == verb.i and following.dep_ == "prep" and following.lower_ == "in":
            objects = [c for c in following.children if c.dep_ == "pobj" and c.lower_ in STATEMENT_NOUNS]
            if not objects:
                break
            last = objects[0]
        else:
            break
    return cue_start(doc, verb), last.idx + len(last)


def cue_after(parsed: Parsed, mark: Marked) -> tuple[tuple[int, int] | None, Token | None]:
    """A reporting verb after the quote in its sentence ("“...,” she said"), and its subject."""
    doc = parsed.doc
    close = parsed.token_at(mark.close - 1)
    if close is None:
        return None, None
    _, sentence_end = parsed.sentence_of(close)
    # Room for a long subject: "“...,” Rep. Jim Jordan (R-Ohio), an
    # oversight panel member, said."
    window_end = min(sentence_end, close.i + 20)
    # A quote followed by a new quote or a new paragraph has no cue after it.
    for token in doc[close.i + 1 : window_end]:
        if "\n" in token.text_with_ws and token.i < window_end - 1 and "\n" in token.whitespace_:
            window_end = token.i + 1
            break
    for token in doc[close.i + 1 : window_end]:
        if is_quote_mark(token.text):
            break
        if token.pos_ in {"VERB", "AUX"} and (
            token.lemma_ in REPORTING_VERBS or token.lemma_ in AFTER_QUOTE_VERBS
        ):
            return cue_span(doc, token), subject_of(token)
    return None, None


def cue_before(parsed: Parsed, mark: Marked) -> tuple[tuple[int, int], Token | None] | None:
    """A reporting verb before the quote in its sentence ("She told reporters: “...”"), and its subject."""
    doc = parsed.doc
    opener = parsed.token_at(mark.open)
    if opener is None:
        return None
    sentence_start, _ = parsed.sentence_of(opener)
    first_inner = parsed.token_at(mark.inner_start)
    for token in reversed(doc[max(sentence_start, opener.i - CUE_BEFORE_TOKENS) : opener.i]):
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        between = doc[token.i + 1 : opener.i]
        if token.lemma_ not in REPORTING_VERBS and not (
            # "She continued, “...”"
            token.lemma_ in AFTER_QUOTE_VERBS and all(t.is_punct for t in between)
        ):
            continue
        # "who joked of the museum, ''...''": only the verb's own modifiers between.
        own = all(t.is_punct or token in t.ancestors for t in between)
        governs = first_inner is not None and any(t.i == token.i for t in first_inner.ancestors)
        if len(between) <= 4 or own or governs:
            return cue_span(doc, token), subject_of(token)
    return None
