"""Quotes: direct, indirect and mixed, with cue, speaker and confidence.

Direct quotes come from a quote-mark scanner (the parser does not know
quote marks are paired). Indirect quotes come from the dependency parse: a
reporting verb and its clausal complement, "according to X", "in his words",
"expressed confidence that". A direct quote inside the content of an
indirect one becomes one quote, "mixed" unless it is nearly all of it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsgraph.extract.coref import Discourse
from newsgraph.extract.entities import EntityDraft, EntityTable
from newsgraph.extract.roles import title_matches
from newsgraph.lexicon import (
    DEMONYMS,
    OBJECT_VERBS,
    PERSON_PRONOUNS,
    REPORTING_VERBS,
    STANCE_NOUNS,
    STANCE_VERBS,
    TITLE_HEADS,
    TITLE_WORDS,
)
from newsgraph.names import plain
from newsgraph.record import Quote, Role, Span, span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

OPENERS = {"“": "”", "«": "»", "„": "“”", '"': '"', "‹": "›"}
_CLOSERS_ONLY = frozenset("”»›")
_WIDE_OPENERS = {"''": ("''",), "``": ("''",)}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_MIN_DIRECT_WORDS = 4
_MIXED_COVER = 0.85
_TRIM = " \t\r\n,;:"
_CUE_NOUNS = frozenset(
    """claim statement assertion suggestion argument allegation accusation promise pledge warning
    belief view fear hope remark comment insistence denial admission acknowledgment prediction
    report finding announcement contention charge concern speculation notion idea rumor rumour""".split()
)
_CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})
_SIGNATURE = re.compile(
    r"[ \t]*(?P<dash>―|—|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*$", re.MULTILINE
)
# "Sen. Ted Cruz (R-Tex.)": the party and state belong to the speaker mention.
_PARTY = re.compile(r"[ \t]*\([DRI]-[A-Z][\w. ]{0,20}\)")
# "WASHINGTON -- President Obama said": the dateline is not part of the speaker.
_DATELINE = re.compile(r"[A-Z][A-Z.]{2,}(?:[ ,]+[A-Z][A-Za-z.]+){0,3}[ \t]+(?:--|-|—|–|―)[ \t]+")
# Verbs that report speech only right after a quote: "“...,” she continued."
_AFTER_QUOTE_VERBS = frozenset(
    {"continue", "shout", "yell", "scream", "exclaim", "chant", "interject", "muse", "sigh", "laugh"}
)
_CONCESSIONS = frozenset({"although", "though", "despite", "even", "but"})
# Verbs whose infinitive complement is the real cue: "appeared to suggest".
_RAISING_VERBS = frozenset({"appear", "seem", "go", "continue", "begin", "start", "try", "proceed"})
_STATEMENT_NOUNS = frozenset(
    {"statement", "interview", "speech", "tweet", "post", "letter", "release", "email"}
)
_CUE_VERBS = REPORTING_VERBS | STANCE_VERBS | OBJECT_VERBS
# "PENCE: Well, look, ..." in interview transcripts.
_SPEAKER_LABEL = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+(?P<body>\S[^\n]*)$",
    re.MULTILINE,
)
_NOT_SPEAKERS = frozenset(
    """photo photos photograph picture image credit credits note update updated related read more source
    sources watch video caption editor editors correction clarification by tags share follow email
    subscribe advertisement ad listen see also warning breaking exclusive live""".split()
)


@dataclass
class Marked:
    """Text between quote marks; may run over several paragraphs."""

    open: int  # index of the opening mark
    close: int  # index just past the closing mark (or the paragraph end)
    inner_start: int
    inner_end: int
    closed: bool


def _mark_at(text: str, i: int) -> str | None:
    """The quote mark starting at i, if any; NYT-style '' and PTB `` count as one mark."""
    pair = text[i : i + 2]
    if pair in {"''", "``"}:
        return pair
    char = text[i]
    return char if char in OPENERS or char in _CLOSERS_ONLY else None


def scan_quote_marks(text: str) -> list[Marked]:
    """Pair quote marks paragraph by paragraph.

    A paragraph that ends inside a quote continues it when the next
    paragraph reopens with a quote mark, the newspaper convention for
    multi-paragraph quotes; otherwise the quote ends with its paragraph.
    """
    found: list[Marked] = []
    opened: tuple[int, str] | None = None  # (position, opening mark)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            if opened is not None:
                j = i
                while j < n and text[j] in " \t\r\n":
                    j += 1
                if j < n and text.startswith(opened[1], j):
                    i = j + len(opened[1])  # the reopening mark continues the same quote
                    continue
                start, mark = opened
                found.append(Marked(start, i, start + len(mark), i, closed=False))
                opened = None
            i += 1
            continue
        mark = _mark_at(text, i)
        if mark is None:
            i += 1
            continue
        if opened is None:
            straight = mark in {'"', "''"}
            # a straight mark followed by a space closes something; it cannot open
            if (mark in OPENERS or mark in _WIDE_OPENERS) and not (
                straight and (i + len(mark) >= n or text[i + len(mark)] in " \t\n")
            ):
                opened = (i, mark)
        else:
            start, opener = opened
            closers = _WIDE_OPENERS.get(opener) or OPENERS.get(opener, "")
            fits = (
                mark in closers
                if len(mark) > 1
                else (mark in closers or (mark in _CLOSERS_ONLY and len(opener) == 1 and opener != '"'))
            )
            if fits:
                found.append(Marked(start, i + len(mark), start + len(opener), i, closed=True))
                opened = None
        i += len(mark)
    if opened is not None:
        start, mark = opened
        found.append(Marked(start, n, start + len(mark), n, closed=False))
    return found


_TITLE_SMALL_WORDS = frozenset("a an the and or of in on at to for with by from as but nor vs".split())


def _looks_like_title(text: str) -> bool:
    """A name in quote marks (a show, a book, a slogan) rather than something said:
    every significant word capitalised and no closing sentence punctuation."""
    words = text.split()
    if not words or len(words) > 12 or text.rstrip()[-1:] in {".", "!", "?", ","}:
        return False
    significant = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS and w[:1].isalpha()]
    return bool(significant) and all(w[:1].isupper() for w in significant)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _without_final_stop(text: str, start: int, end: int, stops: str = ".!?") -> tuple[int, int]:
    """A span trimmed like any content and without the sentence's closing punctuation."""
    start, end = _trimmed(text, start, end)
    while end > start and text[end - 1] in stops:
        end -= 1
    return start, end


@dataclass
class Draft:
    type: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker_token: Token | None
    confidence: float
    marks: list[Marked] = field(default_factory=list)
    speaker_entity: EntityDraft | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker_title: str | None = None


class QuoteFinder:
    def __init__(
        self,
        doc: Doc,
        table: EntityTable,
        roles: list[Role],
        discourse: Discourse,
        credit_lines: list[tuple[int, int]],
        as_of: str | None,
    ) -> None:
        self.doc = doc
        self.text = doc.text
        self.table = table
        self.roles = roles
        self.discourse = discourse
        self.credit_lines = credit_lines
        self.as_of = as_of
        self.inferred_roles: list[Role] = []
        self._token_starts = [t.idx for t in doc]

    # ---- token helpers -------------------------------------------------
    def token_at(self, char: int) -> Token | None:
        i = bisect_right(self._token_starts, char) - 1
        if i < 0:
            return None
        return self.doc[i]

    def in_credit(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.credit_lines)

    # ---- speakers --------------------------------------------------------
    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, climbing from participles and conjuncts to the clause that has one."""
        current = verb
        for _ in range(4):
            for child in current.children:
                if child.dep_ in _SUBJECT_DEPS:
                    return child
                if child.dep_ == "agent":
                    for grandchild in child.children:
                        if grandchild.dep_ == "pobj":
                            return grandchild
            if current.dep_ in {"advcl", "conj", "xcomp", "acl"} and current.head is not current:
                if current.dep_ == "acl":
                    return None
                current = current.head
                continue
            break
        return None

    def noun_phrase(self, head: Token) -> tuple[int, int]:
        """The subject as written, titles included, cut before a comma or a clause.

        "Republican nominee Gov. Mike Pence (R-IN) said": the whole phrase is
        the speaker mention; its entity is the name inside it.
        """
        start_token = head.left_edge
        while start_token.i < head.i and start_token.is_punct:
            start_token = self.doc[start_token.i + 1]
        last = head.right_edge
        while last.i > head.i and (last.is_punct or last.is_space):
            last = self.doc[last.i - 1]
        words = self.doc[start_token.i : last.i + 1]
        # Appositions and relative clauses are part of the phrase ("Michael
        # Tanner, an analyst at the Cato Institute,"); a quote inside it is not.
        if len(words) > 40 or any(t.text in OPENERS or t.text in _CLOSERS_ONLY for t in words):
            last = head
        if words.text.count("(") != words.text.count(")"):
            last = head
        last = last.i
        entity = self.table.token_entity.get(head.i)
        start_char, end_char = start_token.idx, self.doc[last].idx + len(self.doc[last])
        if entity is not None:
            for start, end, _ in entity.mentions:
                if start <= head.idx < end:
                    start_char, end_char = min(start_char, start), max(end_char, end)
        dateline = _DATELINE.match(self.text, start_char, end_char)
        if dateline and dateline.end() < end_char:
            start_char = dateline.end()
        party = _PARTY.match(self.text, end_char)
        if party:
            end_char = party.end()
        return start_char, end_char

    def resolve(self, draft: Draft) -> None:
        """Fill the speaker entity, mention span and title of a draft quote."""
        head = draft.speaker_token
        if head is None:
            if draft.speaker_entity is not None:
                draft.speaker_title = self.title_of(draft.speaker_entity)
            return
        entity = self.table.token_entity.get(head.i)
        mention = self.noun_phrase(head)
        if head.lower_ in PERSON_PRONOUNS:
            entity = self.discourse.pronouns.get(head.i) or self.discourse.antecedent(head)
            mention = (head.idx, head.idx + len(head))
        elif head.lower_ in {"who", "which", "that"} and head.head.dep_ == "relcl":
            # "Stevie Wonder, who joked ...": the relative pronoun is the
            # mention, the noun it refers back to is the speaker.
            mention = (head.idx, head.idx + len(head))
            entity = self.table.token_entity.get(head.head.head.i)
        elif head.lower_ in {"i", "we", "you", "it", "they", "who", "which", "that"}:
            draft.speaker_mention = (head.idx, head.idx + len(head))
            return
        elif entity is None:
            included = self._included_person(head)
            if included is not None:
                entity, mention = included
            elif head.lower_ in TITLE_WORDS:
                entity = self._title_holder(head, mention)
        if entity is not None and entity.type not in {"PERSON", "ORG", "NORP", "GPE"}:
            entity = None
        draft.speaker_entity = entity
        draft.speaker_mention = mention
        if entity is not None:
            self.discourse.note_speaker(head, entity)
            draft.speaker_title = self.title_of(entity)

    def _included_person(self, head: Token) -> tuple[EntityDraft, tuple[int, int]] | None:
        """ "The forum participants, including Dmitry Peskov, ...": the named member speaks."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "including":
                for grandchild in child.children:
                    entity = self.table.token_entity.get(grandchild.i)
                    if grandchild.dep_ == "pobj" and entity is not None and entity.type == "PERSON":
                        return entity, self.noun_phrase(grandchild)
        return None

    def _title_holder(self, head: Token, mention: tuple[int, int]) -> EntityDraft | None:
        """A title-only speaker: a known holder of the title, else the current speaker."""
        words = self.text[mention[0] : mention[1]].split()
        hint = next((DEMONYMS[w.lower()] for w in words if w.lower() in DEMONYMS), None)
        title_words = [w for w in words if w.lower() in TITLE_WORDS]
        title = " ".join(title_words)
        holders = {role["person"] for role in self.roles if title_matches(role, title, hint)}
        if len(holders) == 1:
            entity = self.table.by_id(holders.pop())
            entity.add(mention[0], mention[1], "title")
            return entity
        # Only a definite description ("the State Counselor") points back to
        # somebody already in the story; "a White House spokesman" does not.
        definite = bool(words) and words[0].lower() in {"the", "this", "that"}
        if holders or not definite or not any(w.lower() in TITLE_HEADS for w in title_words):
            return None
        entity = self.discourse.antecedent(head)
        if entity is None or entity.type != "PERSON":
            return None
        entity.add(mention[0], mention[1], "title")
        self.inferred_roles.append(
            {
                "person": entity.id,
                "title": title,
                "org": None,
                "modifier": None,
                "as_of": self.as_of,
                "inferred": True,
                "evidence": span(self.text, mention[0], mention[1]),
            }
        )
        return entity

    def title_of(self, entity: EntityDraft) -> str | None:
        for role in [*self.roles, *self.inferred_roles]:
            if role["person"] == entity.id and role["modifier"] not in {"former", "ex", "late"}:
                org = role.get("org_name")
                title = role["title"]
                if org and plain(org) not in plain(title):
                    return f"{title}, {org}"
                return title
        return None

    # ---- direct ----------------------------------------------------------
    def direct(self, marks: list[Marked]) -> list[Draft]:
        drafts = []
        previous: Draft | None = None
        for mark in marks:
            if self.in_credit(mark.open):
                continue
            start, end = _trimmed(self.text, mark.inner_start, mark.inner_end)
            if end <= start:
                continue
            if _SPEAKER_LABEL.match(self.text, mark.open):
                continue  # a transcript line; see transcript()
            words = len(self.text[start:end].split())
            if _looks_like_title(self.text[start:end]):
                continue  # “The Steve Harvey Morning Show”, MSNBC's “Morning Joe”
            previous_cue = previous.cue if previous is not None else None
            cue, speaker = self._cue_after(mark)
            if cue is None and (signed := _SIGNATURE.match(self.text, mark.close)):
                # “...” ― Francisco Herrero: a quote signed at the end of its line.
                cue = signed.span("dash")
                speaker = self.token_at(signed.end("name") - 1)
            before = None
            if cue is None:
                before = self._cue_before(mark)
                if before is not None:
                    cue, speaker = before
            confidence = 0.9 if cue is not None else 0.0
            if (
                (cue is None or cue == previous_cue)
                and previous is not None
                and self._continues(previous, mark)
            ):
                # “A,” she said. “B.” is one statement cut by its cue.
                previous.content = (previous.content[0], end)
                previous.marks.append(mark)
                continue
            if cue is None:
                if words < _MIN_DIRECT_WORDS:
                    continue
                # A quote standing as its own paragraph right after another
                # quote continues the previous speaker.
                if previous is not None and self._alone_in_paragraph(mark) and self._adjacent(previous, mark):
                    speaker = previous.speaker_token
                    confidence = 0.5
                else:
                    confidence = 0.3
            elif words < 2:
                continue
            if not mark.closed:
                confidence *= 0.8
            draft = Draft("direct", (start, end), cue, speaker, confidence, [mark])
            drafts.append(draft)
            previous = draft
        return drafts

    def _continues(self, previous: Draft, mark: Marked) -> bool:
        """Is `mark` the second half of a quote split by its own cue?"""
        if previous.cue is None or previous.cue[0] < previous.marks[-1].close:
            return False
        between = self.text[previous.marks[-1].close : mark.open]
        return "\n" not in between and len(between) < 200 and previous.cue[1] <= mark.open

    def _alone_in_paragraph(self, mark: Marked) -> bool:
        line_start = self.text.rfind("\n", 0, mark.open) + 1
        line_end = self.text.find("\n", mark.close)
        line_end = len(self.text) if line_end < 0 else line_end
        return not self.text[line_start : mark.open].strip() and not self.text[mark.close : line_end].strip()

    def _adjacent(self, previous: Draft, mark: Marked) -> bool:
        between = self.text[previous.marks[-1].close : mark.open]
        return between.count("\n") <= 4 and len(between.strip()) < 120

    def _cue_after(self, mark: Marked) -> tuple[tuple[int, int] | None, Token | None]:
        close = self.token_at(mark.close - 1)
        if close is None:
            return None, None
        sentence = close.sent
        # Room for a long subject: "“...,” Rep. Jim Jordan (R-Ohio), an
        # oversight panel member, said."
        window_end = min(sentence.end, close.i + 20)
        # A quote followed by a new quote or a new paragraph has no cue after it.
        for token in self.doc[close.i + 1 : window_end]:
            if "\n" in token.text_with_ws and token.i < window_end - 1 and "\n" in token.whitespace_:
                window_end = token.i + 1
                break
        for token in self.doc[close.i + 1 : window_end]:
            if token.text in OPENERS or token.text in _CLOSERS_ONLY:
                break
            if token.pos_ in {"VERB", "AUX"} and (
                token.lemma_ in REPORTING_VERBS or token.lemma_ in _AFTER_QUOTE_VERBS
            ):
                return self._cue_span(token), self.subject_of(token)
        return None, None

    def _cue_before(self, mark: Marked) -> tuple[tuple[int, int], Token | None] | None:
        opener = self.token_at(mark.open)
        if opener is None:
            return None
        sentence = opener.sent
        first_inner = self.token_at(mark.inner_start)
        for token in reversed(self.doc[sentence.start : opener.i]):
            if token.pos_ not in {"VERB", "AUX"}:
                continue
            between = self.doc[token.i + 1 : opener.i]
            if token.lemma_ not in REPORTING_VERBS and not (
                # "She continued, “...”"
                token.lemma_ in _AFTER_QUOTE_VERBS and all(t.is_punct for t in between)
            ):
                continue
            # "who joked of the museum, ''...''": only the verb's own modifiers between.
            own = all(t.is_punct or token in t.ancestors for t in between)
            governs = first_inner is not None and any(t.i == token.i for t in first_inner.ancestors)
            if len(between) <= 4 or own or governs:
                return self._cue_span(token), self.subject_of(token)
        return None

    def _cue_start(self, verb: Token) -> int:
        """Where a cue verb's span starts: with its auxiliaries, negation and
        adverbs ("has also strongly denied"), and with a raising verb it
        completes ("appeared to suggest", "went on to explain")."""
        first = verb
        while first.i > 0:
            previous = self.doc[first.i - 1]
            if previous.head.i == verb.i and previous.dep_ in _CUE_LEFT_DEPS and previous.i != verb.i:
                first = previous
            else:
                break
        head = verb.head
        if (
            verb.dep_ == "xcomp"
            and head.i < verb.i
            and head.lemma_ in _RAISING_VERBS
            and all(t.dep_ in {"aux", "prt", "advmod", "neg"} for t in self.doc[head.i + 1 : first.i])
        ):
            return self._cue_start(head)
        return first.idx

    def _cue_span(self, verb: Token) -> tuple[int, int]:
        """The verb from `_cue_start` with its particle: "has also strongly denied"."""
        last = verb
        while last.i + 1 < len(self.doc):
            following = self.doc[last.i + 1]
            # "said Friday": PolNeAR's cues stop before the date twice as often
            # as they take it in (train: 164 to 73), so only particles join.
            if following.head.i == verb.i and following.dep_ == "prt":
                last = following
            elif following.head.i == verb.i and following.dep_ == "prep" and following.lower_ == "in":
                objects = [c for c in following.children if c.dep_ == "pobj" and c.lower_ in _STATEMENT_NOUNS]
                if not objects:
                    break
                last = objects[0]
            else:
                break
        return self._cue_start(verb), last.idx + len(last)

    # ---- indirect --------------------------------------------------------
    def indirect(self, direct_spans: list[tuple[int, int]]) -> list[Draft]:
        drafts: list[Draft] = []

        def inside_direct(char: int) -> bool:
            return any(s <= char < e for s, e in direct_spans)

        for token in self.doc:
            if inside_direct(token.idx) or self.in_credit(token.idx):
                continue
            lower = token.lower_
            if lower == "according":
                draft = self._according(token)
            elif lower == "words" and token.dep_ == "pobj" and token.head.lower_ == "in":
                draft = self._in_words(token)
            elif token.pos_ in {"VERB", "AUX"} and token.lemma_ in _CUE_VERBS:
                draft = self._reporting(token)
            elif token.pos_ == "NOUN" and token.lemma_ in _CUE_NOUNS:
                draft = self._noun_cue(token)
            else:
                draft = None
            if draft is not None and draft.content[1] - draft.content[0] > 8:
                drafts.append(draft)
        return drafts

    def _noun_cue(self, noun: Token) -> Draft | None:
        """ "Trump's claim that ...", "the warning that ...": a noun with its clause."""
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in {"acl", "ccomp"}
                and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
            ),
            None,
        )
        if clause is None:
            return None
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next(
                (c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}), None
            )
            owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        start, end = self._clause_span(clause)
        return Draft("indirect", (start, end), (noun.idx, noun.idx + len(noun)), owner, 0.5)

    def _clause_span(self, head: Token) -> tuple[int, int]:
        """A clause without its trailing comma-separated asides.

        "... that paying no income taxes was smart, although he refused ..."
        reports only the part before the comma.
        """
        left, right = head.left_edge, head.right_edge
        for child in head.rights:
            before = self.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
            # In PolNeAR train, content runs on through ", including ...",
            # ", because ...", ", if ..." and ", while ..." but stops before a
            # participle that starts another statement (", saying ...") and
            # before a concession (", although ...").
            aside = (
                child.dep_ in {"appos", "npadvmod"}
                or (child.dep_ == "advcl" and (child.tag_ == "VBG" or child.left_edge.lower_ in _CONCESSIONS))
                or (child.dep_ == "prep" and child.i == child.left_edge.i and child.lower_ == "citing")
            )
            if before is not None and before.text in {",", "—", "–", ";"} and aside and before.i > head.i:
                right = self.doc[before.i - 1]
                break
        return _trimmed(self.text, left.idx, right.idx + len(right))

    def _reporting(self, verb: Token) -> Draft | None:
        subject = self.subject_of(verb)
        for child in verb.children:
            if child.dep_ == "ccomp" and verb.lemma_ in REPORTING_VERBS:
                start, end = self._clause_span(child)
                if start <= verb.idx < end:
                    continue
                if child.i < verb.i:
                    # "A, but B, the source added": the content is all that
                    # precedes the cue in its sentence, not just the last clause.
                    first = verb.sent[0]
                    while first.i < child.i and (first.is_punct or first.is_space):
                        first = self.doc[first.i + 1]
                    start = min(start, first.idx)
                return Draft("indirect", (start, end), self._cue_span(verb), subject, 0.75)
        if verb.dep_ == "parataxis" and verb.lemma_ in REPORTING_VERBS and subject is not None:
            # "But, he said, local officials should be vigilant."
            sentence = verb.sent
            start, end = _without_final_stop(self.text, sentence[0].idx, sentence[-1].idx + len(sentence[-1]))
            return Draft("indirect", (start, end), self._cue_span(verb), subject, 0.7)
        if verb.lemma_ in STANCE_VERBS:
            stance = self._stance(verb, subject)
            if stance is not None:
                return stance
        if (
            verb.lemma_ in OBJECT_VERBS
            and subject is not None
            and subject.lower_ not in {"it", "that", "this"}
        ):
            return self._object_content(verb, subject)
        return None

    def _object_content(self, verb: Token, subject: Token) -> Draft | None:
        """ "called for a repeal", "wants to triple the program", "called them “deplorables”"."""
        children = list(verb.children)
        cue_end = verb.idx + len(verb)
        parts: list[Token] = []
        for child in children:
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
            elif child.dep_ == "prep" and child.lower_ in {"for", "on", "to", "against"} and child.i == verb.i + 1:
                cue_end = child.idx + len(child)
                parts.extend(c for c in child.children if c.dep_ in {"pobj", "pcomp"})
        if not parts:
            return None
        first = min(p.left_edge.i for p in parts)
        last = max(p.right_edge.i for p in parts)
        start, end = _without_final_stop(
            self.text, self.doc[first].idx, self.doc[last].idx + len(self.doc[last])
        )
        if len(self.text[start:end].split()) < 2:
            return None
        return Draft("indirect", (start, end), (self._cue_start(verb), cue_end), subject, 0.45)

    def _stance(self, verb: Token, subject: Token | None) -> Draft | None:
        for child in verb.children:
            if child.dep_ != "dobj" or child.lemma_ not in STANCE_NOUNS:
                continue
            clause = next((c for c in child.children if c.dep_ in {"ccomp", "acl", "relcl"}), None)
            if clause is not None and any(c.dep_ == "mark" for c in clause.children):
                start, end = self._clause_span(clause)
                cue = (self._cue_start(verb), child.idx + len(child))
            elif clause is not None or any(c.dep_ == "prep" for c in child.children):
                start, end = self._clause_span(child)
                cue = self._cue_span(verb)
            else:
                continue
            return Draft("indirect", (start, end), cue, subject, 0.7)
        return None

    def _rest_of_sentence(self, phrase_start: int, phrase_end: int, sentence) -> tuple[int, int] | None:
        """Content around an "according to X" phrase: the rest of its sentence."""
        first, last = sentence[0], sentence[-1]
        if phrase_start <= first.i + 1:
            start_char = self.doc[phrase_end].idx if phrase_end < sentence.end else None
            if start_char is None:
                return None
            end_char = last.idx + len(last)
        else:
            start_char = first.idx
            end_char = self.doc[phrase_start - 1].idx + len(self.doc[phrase_start - 1])
        start, end = _without_final_stop(self.text, start_char, end_char, '.!?"”')
        return (start, end) if end > start else None

    def _according(self, token: Token) -> Draft | None:
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None and token.i + 1 < len(self.doc) and self.doc[token.i + 1].lower_ == "to":
            to = self.doc[token.i + 1]
        if to is None:
            return None
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            # "according to show insiders" parses as a clause; its last noun is the source
            nouns = [t for t in to.subtree if t.i > to.i and t.pos_ in {"NOUN", "PROPN", "PRON"}]
            source = nouns[-1] if nouns else None
        if source is None:
            return None
        phrase_start = token.i
        phrase_end = source.right_edge.i + 1
        content = self._rest_of_sentence(phrase_start, phrase_end, token.sent)
        if content is None:
            return None
        cue = (token.idx, to.idx + len(to))
        return Draft("indirect", content, cue, source, 0.75)

    def _in_words(self, words: Token) -> Draft | None:
        owner = next((c for c in words.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next((c for c in words.children if c.lower_ == "of"), None)
            owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if owner is None:
            return None
        preposition = words.head
        phrase_end = max(words.right_edge.i, owner.right_edge.i) + 1
        content = self._rest_of_sentence(preposition.i, phrase_end, words.sent)
        if content is None:
            return None
        cue = (preposition.idx, words.idx + len(words))
        return Draft("indirect", content, cue, owner, 0.75)

    # ---- transcripts -----------------------------------------------------
    def transcript(self) -> list[Draft]:
        """Lines of an interview transcript: "WALLACE: ..." / "Pence: ..."."""
        drafts = []
        for match in _SPEAKER_LABEL.finditer(self.text):
            label = match.group("label")
            words = plain(label).split()
            if not words or any(w in _NOT_SPEAKERS for w in words) or self.in_credit(match.start()):
                continue
            start, end = _trimmed(self.text, match.start("body"), match.end("body"))
            if len(self.text[start:end].split()) < 2:
                continue
            colon = self.text.index(":", match.end("label"))
            draft = Draft("direct", (start, end), (colon, colon + 1), None, 0.6)
            draft.speaker_mention = (match.start("label"), match.end("label"))
            draft.speaker_entity = self._person_named(words)
            drafts.append(draft)
        return drafts

    def _person_named(self, words: list[str]) -> EntityDraft | None:
        for entity in self.table.people():
            tokens = entity.name_tokens
            if tuple(words) == tokens or (len(words) == 1 and tokens and tokens[-1] == words[0]):
                return entity
        return None

    # ---- assembly --------------------------------------------------------
    def run(self) -> list[Quote]:
        marks = scan_quote_marks(self.text)
        direct = self.direct(marks)
        direct_inner = [(m.inner_start, m.inner_end) for d in direct for m in d.marks]
        direct_whole = [(d.marks[0].open, d.marks[-1].close) for d in direct]
        indirect = [
            d
            for d in _outermost(self.indirect(direct_inner))
            # "..., I would like to thank them,” said X": the parser's clause
            # is the quote's last sentence; the direct quote already has it.
            if not any(s <= d.content[0] < e for s, e in direct_inner)
            and not any(s < d.content[0] and d.content[1] <= e for s, e in direct_whole)
        ]
        merged: list[Draft] = []
        absorbed: set[int] = set()
        for draft in indirect:
            start, end = draft.content
            inside = [d for d in direct if start <= d.marks[0].open < end]
            if inside:
                end = max(end, *(d.content[1] for d in inside))
                draft.content = (start, end)
                quoted = sum(d.content[1] - d.content[0] for d in inside)
                draft.type = "direct" if quoted >= _MIXED_COVER * (end - start) else "mixed"
                draft.confidence = max(draft.confidence, 0.85)
                draft.marks = [m for d in inside for m in d.marks]
                absorbed.update(id(d) for d in inside)
                # the quote marks themselves are not part of what was said
                if draft.marks[0].open == start:
                    draft.content = (inside[0].content[0], draft.content[1])
            merged.append(draft)
        merged.extend(d for d in direct if id(d) not in absorbed)
        # A transcript turn ("PENCE: ...") is one statement; what the parser
        # found inside it would split it.
        turns = self.transcript()
        merged = [
            d
            for d in merged
            if not any(
                t.speaker_mention[0] <= d.content[1] and d.content[0] < t.content[1]
                for t in turns
                if t.speaker_mention
            )
        ]
        merged.extend(turns)
        merged.sort(key=lambda d: d.content[0])
        for draft in merged:
            self.resolve(draft)
        quotes: list[Quote] = []
        for number, draft in enumerate(merged, 1):
            if draft.speaker_entity is not None:
                # a title learnt later in the article held at the same date
                draft.speaker_title = self.title_of(draft.speaker_entity)
            confidence = draft.confidence
            if draft.speaker_entity is None:
                confidence *= 0.6
            elif draft.speaker_token is not None and draft.speaker_token.lower_ in PERSON_PRONOUNS:
                confidence *= 0.95
            quotes.append(
                {
                    "id": f"q{number}",
                    "type": draft.type,  # type: ignore[typeddict-item]
                    "content": span(self.text, *draft.content),
                    "cue": span(self.text, *draft.cue) if draft.cue else None,
                    "speaker": draft.speaker_entity.id if draft.speaker_entity else None,
                    "speaker_mention": _span_or_none(self.text, draft.speaker_mention),
                    "speaker_title": draft.speaker_title,
                    "confidence": round(min(max(confidence, 0.0), 1.0), 3),
                }
            )
        return quotes


def _span_or_none(text: str, pair: tuple[int, int] | None) -> Span | None:
    return span(text, *pair) if pair else None


def _outermost(drafts: list[Draft]) -> list[Draft]:
    """Nested reports ("he said she thought that ...") count once, as the outer one."""
    drafts = sorted(drafts, key=lambda d: (d.content[0], -d.content[1]))
    kept: list[Draft] = []
    for draft in drafts:
        if kept and draft.content[0] < kept[-1].content[1]:
            continue
        kept.append(draft)
    return kept
