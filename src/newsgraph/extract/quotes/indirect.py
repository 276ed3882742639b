"""Indirect quotes from the parse: a reporting verb and its clause, "according to X",
"in his words", "expressed confidence that", "Trump's claim that", "called for"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.quotes.confidence import CONFIDENCE
from newsgraph.extract.quotes.content import clause_span, rest_of_sentence, without_final_stop
from newsgraph.extract.quotes.cues import cue_span, cue_start, subject_of
from newsgraph.extract.quotes.drafts import Draft, Parsed
from newsgraph.lexicon import CUE_NOUNS, OBJECT_VERBS, REPORTING_VERBS, STANCE_NOUNS, STANCE_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Token

_CUE_VERBS = REPORTING_VERBS | STANCE_VERBS | OBJECT_VERBS


def indirect_drafts(parsed: Parsed, direct_spans: list[tuple[int, int]]) -> list[Draft]:
    """Every indirect quote outside the direct quotes' spans and the credit lines."""
    drafts: list[Draft] = []

    def inside_direct(char: int) -> bool:
        return any(s <= char < e for s, e in direct_spans)

    for token in parsed.doc:
        if inside_direct(token.idx) or parsed.in_credit(token.idx):
            continue
        lower = token.lower_
        if lower == "according":
            draft = _according(parsed, token)
        elif lower == "words" and token.dep_ == "pobj" and token.head.lower_ == "in":
            draft = _in_words(parsed, token)
        elif token.pos_ in {"VERB", "AUX"} and token.lemma_ in _CUE_VERBS:
            draft = _reporting(parsed, token)
        elif token.pos_ == "NOUN" and token.lemma_ in CUE_NOUNS:
            draft = _noun_cue(parsed, token)
        else:
            draft = None
        if draft is not None and draft.content[1] - draft.content[0] > 8:
            drafts.append(draft)
    return drafts


def _reporting(parsed: Parsed, verb: Token) -> Draft | None:
    doc, text = parsed.doc, parsed.text
    subject = subject_of(verb)
    for child in verb.children:
        if child.dep_ == "ccomp" and verb.lemma_ in REPORTING_VERBS:
            start, end = clause_span(parsed, child)
            if start <= verb.idx < end:
                continue
            if child.i < verb.i:
                # "A, but B, the source added": the content is all that
                # precedes the cue in its sentence, not just the last clause.
                first = verb.sent[0]
                while first.i < child.i and (first.is_punct or first.is_space):
                    first = doc[first.i + 1]
                start = min(start, first.idx)
            return Draft("indirect", (start, end), cue_span(doc, verb), subject, CONFIDENCE.verb_with_clause)
    if verb.dep_ == "parataxis" and verb.lemma_ in REPORTING_VERBS and subject is not None:
        # "But, he said, local officials should be vigilant."
        sentence = verb.sent
        start, end = without_final_stop(text, sentence[0].idx, sentence[-1].idx + len(sentence[-1]))
        return Draft("indirect", (start, end), cue_span(doc, verb), subject, CONFIDENCE.parenthetical_verb)
    if verb.lemma_ in STANCE_VERBS:
        stance = _stance(parsed, verb, subject)
        if stance is not None:
            return stance
    if verb.lemma_ in OBJECT_VERBS and subject is not None and subject.lower_ not in {"it", "that", "this"}:
        return _object_content(parsed, verb, subject)
    return None


def _object_content(parsed: Parsed, verb: Token, subject: Token) -> Draft | None:
    """ "called for a repeal", "wants to triple the program", "called them “deplorables”"."""
    doc, text = parsed.doc, parsed.text
    cue_end = verb.idx + len(verb)
    parts: list[Token] = []
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ == "prt" and child.i == verb.i + 1:
            cue_end = child.idx + len(child)
        elif child.dep_ in {"dobj", "oprd", "xcomp", "ccomp"}:
            parts.append(child)
        elif parts and child.dep_ in {"punct", "cc", "conj"}:
            break
        elif parts and child.dep_ in {"prep", "advcl", "dative", "acomp"}:
            # "described the incident as a “terrible situation”", "accused
            # the government of attempting ...": the verb phrase's modifiers
            # after the object belong to what is attributed.
            parts.append(child)
        elif (
            child.dep_ == "prep" and child.lower_ in {"for", "on", "to", "against"} and child.i == verb.i + 1
        ):
            cue_end = child.idx + len(child)
            parts.extend(c for c in child.children if c.dep_ in {"pobj", "pcomp"})
    if not parts:
        return None
    first = min(p.left_edge.i for p in parts)
    last = max(p.right_edge.i for p in parts)
    start, end = without_final_stop(text, doc[first].idx, doc[last].idx + len(doc[last]))
    if len(text[start:end].split()) < 2:
        return None
    cue = (cue_start(doc, verb), cue_end)
    return Draft("indirect", (start, end), cue, subject, CONFIDENCE.verb_with_object)


def _stance(parsed: Parsed, verb: Token, subject: Token | None) -> Draft | None:
    """ "expressed confidence that ...", "stated the readiness to ..."."""
    for child in verb.children:
        if child.dep_ != "dobj" or child.lemma_ not in STANCE_NOUNS:
            continue
        clause = next((c for c in child.children if c.dep_ in {"ccomp", "acl", "relcl"}), None)
        if clause is not None and any(c.dep_ == "mark" for c in clause.children):
            start, end = clause_span(parsed, clause)
            cue = (cue_start(parsed.doc, verb), child.idx + len(child))
        elif clause is not None or any(c.dep_ == "prep" for c in child.children):
            start, end = clause_span(parsed, child)
            cue = cue_span(parsed.doc, verb)
        else:
            continue
        return Draft("indirect", (start, end), cue, subject, CONFIDENCE.stance_noun)
    return None


def _according(parsed: Parsed, token: Token) -> Draft | None:
    doc = parsed.doc
    if _relays(parsed, token):
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        to = doc[token.i + 1]
    if to is None:
        return None
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        # "according to show insiders" parses as a clause; its last noun is the source
        nouns = [t for t in to.subtree if t.i > to.i and t.pos_ in {"NOUN", "PROPN", "PRON"}]
        source = nouns[-1] if nouns else None
    if source is None:
        return None
    content = rest_of_sentence(parsed, token.i, source.right_edge.i + 1, token.sent)
    if content is None:
        return None
    cue = (token.idx, to.idx + len(to))
    return Draft("indirect", content, cue, source, CONFIDENCE.according_to)


def _relays(parsed: Parsed, according: Token) -> bool:
    """ "According to the Financial Times, the company said ...": a named source before the
    subject of a reporting verb only passes on what that subject said. "According to her
    account, she insisted ..." is an attribution of its own, as PolNeAR marks it."""
    verb = according.head
    if verb.i <= according.i or verb.lemma_ not in REPORTING_VERBS:
        return False
    subject = subject_of(verb)
    to = next((c for c in according.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    return (
        subject is not None
        and subject.i > according.i
        and source is not None
        and parsed.doc[source.i].ent_type_ in {"ORG", "PERSON", "GPE", "NORP"}
    )


def _in_words(parsed: Parsed, words: Token) -> Draft | None:
    owner = next((c for c in words.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in words.children if c.lower_ == "of"), None)
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    if owner is None:
        return None
    preposition = words.head
    phrase_end = max(words.right_edge.i, owner.right_edge.i) + 1
    content = rest_of_sentence(parsed, preposition.i, phrase_end, words.sent)
    if content is None:
        return None
    cue = (preposition.idx, words.idx + len(words))
    return Draft("indirect", content, cue, owner, CONFIDENCE.in_words)


def _noun_cue(parsed: Parsed, noun: Token) -> Draft | None:
    """ "Trump's claim that ...", "the warning that ...": a noun with its clause."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in {"acl", "ccomp"} and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}), None)
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    start, end = clause_span(parsed, clause)
    return Draft(
        "indirect", (start, end), (noun.idx, noun.idx + len(noun)), owner, CONFIDENCE.noun_with_clause
    )
