"""Canonical offices and countries: one office however the press writes it.

A role is stored as written (title, organisation, modifier) and read here as
an `Office`: a canonical title ("premier", "PM" and "Prime Minister" are
"prime minister"), a jurisdiction (`Country`, from names, aliases, demonyms
and adjectives anywhere in the title or organisation), an organisation other
than a country, and a status ("former", "then", "acting", ...) that is not
part of the office. Synonyms, portfolios and gazetteers are data under
`lexicon/data/`; this module holds only the rules that combine them.

Decisions worth knowing:
- England, Scotland and Wales (and their adjectives) are the United Kingdom;
  West Germany is Germany (DE); the Soviet Union (SU), East Germany (DD),
  Yugoslavia (YU) and Czechoslovakia (CS) keep codes of their own. Capitals
  are never countries; supranational bodies (EU, UN) are organisations.
- Portfolio offices: "X Minister" = "Minister of/for X" -> "X minister";
  "X Secretary" = "Secretary of (State for) X" -> "secretary of X"; the UK
  Foreign and Home Secretaries are the foreign and interior ministers.
- An organisation that is itself an office of a country ("Press Secretary
  of the Russian President") gives that office as the organisation
  ("president") with the country (RU); without a country it is dropped.
- A country after "to" is the host, not the jurisdiction: "Kazakhstan's
  Ambassador to Russia" is "ambassador to russia" of KZ.
- Some titles and institutions give the country themselves: a UK-only title
  ("Chancellor of the Exchequer"), a bare "Chancellor" of GB, an office of a
  national institution ("Bank of England Governor", "Fed chairman").
- Ranks (shadow, deputy, vice, ...) make another office; statuses (former,
  then, acting, designate, ...) do not, and "former"/"then" mark the past.

How a title is read: statuses out; a title listed whole stays whole; else
it splits at its first preposition ("Governor | of | the Bank of Japan"),
the run of title words at the end of the first part is the title ("Labour
| leader"), and the words before it and the complement name the country and
the organisation, the extractor's organisation first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, replace
from functools import lru_cache

from newsgraph.lexicon import (
    CAPITALS,
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    FIXED_TITLES,
    HONORIFICS,
    HOST_TITLES,
    MONTHS,
    OFFICE_COUNTRIES,
    OFFICE_PORTFOLIO_TITLES,
    OFFICE_PORTFOLIOS,
    OFFICE_RANKS,
    OFFICE_STATUSES,
    OFFICE_TITLES,
    ORGANISATION_COUNTRIES,
    ORGANISATIONS,
    PRONOUNS_FEMALE,
    PRONOUNS_MALE,
    PRONOUNS_OTHER,
    SINGLE_HOLDER_OFFICES,
    STATE_BODIES,
    TITLE_CASE_SMALL_WORDS,
    TITLE_WORDS,
    WEEKDAYS,
    word_set,
)
from newsgraph.names import plain

STATUSES = ("current", "former", "then", "acting", "interim", "designate", "outgoing", "incoming", "elect")
PAST_STATUSES = frozenset({"former", "then"})


@dataclass(frozen=True)
class Country:
    name: str  # canonical English short name ("United Kingdom")
    code: str  # ISO 3166-1 alpha-2 ("GB"), ISO 3166-3's for former states ("SU")


@dataclass(frozen=True)
class Office:
    title: str  # canonical, lower case, without country, organisation or status words
    country: Country | None  # jurisdiction
    org: str | None  # canonical organisation other than a country
    status: str  # one of STATUSES: how the report stands to the office, not part of it

    @property
    def key(self) -> str:
        """Groups reports of one office; status is left out, so "former" reports join the office."""
        return f"{self.title}|{self.country.code if self.country else ''}|{plain(self.org or '')}"

    @property
    def label(self) -> str:
        if self.org and self.country and self.org in _OFFICE_TITLE_SET:
            where = f"{_title_case(self.org)} of {self.country.name}"
        else:
            where = ", ".join(part for part in (self.org, self.country and self.country.name) if part)
        return f"{_title_case(self.title)} ({where})" if where else _title_case(self.title)

    @property
    def single_holder(self) -> bool:
        return is_single_holder(self.title)

    @property
    def past(self) -> bool:
        return self.status in PAST_STATUSES

    def in_country(self, country: Country) -> Office:
        """This office as held in `country`, for a report whose country is inferred: a title the
        country names otherwise is renamed ("chancellor" in the UK: "chancellor of the exchequer")."""
        renamed = _TITLES.get((country.code.lower(), *self.title.split()), self.title)
        return replace(self, title=renamed, country=country)


@dataclass(frozen=True)
class OfficeQuery:
    title: str
    country: Country | None
    org: str | None


# A word: letters and digits, with inner full stops kept ("U.K.", "U.S.");
# an apostrophe or hyphen splits ("Japan's" -> Japan, s; "Secretary-General").
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?|&")
_PREPOSITIONS = frozenset({"of", "for", "to", "at"})
_FILLERS = frozenset({"the", "a", "an", "of", "for", "to", "and", "s", "in", "on", "at"})
# Heads whose complement or qualifier may be a portfolio, and how the office is then called.
_PORTFOLIO_RULES = {
    "minister": "{} minister",
    "secretary": "secretary of {}",
    "commissioner": "{} commissioner",
}
_PORTFOLIO_HEADS = frozenset(_PORTFOLIO_RULES) | {head.split()[0] for head in OFFICE_PORTFOLIO_TITLES}


@dataclass(frozen=True)
class _Tok:
    word: str  # folded: lower case, no accents or full stops
    text: str  # as written


def _tokens(text: str | None) -> list[_Tok]:
    found = []
    for raw in _TOKEN.findall(text or ""):
        # decomposed first, so that case folding sees the letters (mathematical alphanumerics)
        word = "and" if raw == "&" else plain(unicodedata.normalize("NFKD", raw)).replace(" ", "")
        if word and word != "s":
            found.append(_Tok(word, raw))
    return found


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(tok.word for tok in _tokens(text))


def _country_index() -> dict[tuple[str, ...], Country]:
    by_name = {name: Country(name, code) for code, name in COUNTRIES.items()}
    index = {_phrase(name): country for name, country in by_name.items()}
    index.update({_phrase(alias): by_name[name] for alias, name in COUNTRY_ALIASES.items()})
    # Demonyms name a country by its name or an alias ("korean = Korea");
    # those that name no country ("european") are left to organisations.
    for demonym, name in DEMONYMS.items():
        if (target := index.get(_phrase(name))) is not None:
            index.setdefault(_phrase(demonym), target)
    return index


def _is_code(word: str) -> bool:
    return len(word) == 2 and word.upper() in COUNTRIES


def _phrase_table(table: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {_phrase(key): value for key, value in table.items()}


_COUNTRY_INDEX = _country_index()
_COUNTRY_BY_CODE = {country.code: country for country in _COUNTRY_INDEX.values()}
_LONGEST_COUNTRY = max(len(phrase) for phrase in _COUNTRY_INDEX)
_ORGS = _phrase_table(ORGANISATIONS)
_TITLES = _phrase_table(OFFICE_TITLES)
_PORTFOLIOS = _phrase_table(OFFICE_PORTFOLIOS)
_LONGEST_PORTFOLIO = max(len(phrase) for phrase in _PORTFOLIOS)
_STATUS_PHRASES = _phrase_table(OFFICE_STATUSES)
_STATUS_WORDS = frozenset(word for phrase in _STATUS_PHRASES for word in phrase)
_OFFICE_TITLE_SET = frozenset(OFFICE_TITLES.values()) | SINGLE_HOLDER_OFFICES
_PORTFOLIO_OFFICES = frozenset(OFFICE_PORTFOLIO_TITLES.values()) - {"minister of state"}
# Words a title is made of; other words before a title name its organisation ("Labour leader").
_TITLE_VOCAB = (
    frozenset(word for entry in TITLE_WORDS for word in _phrase(entry))
    | frozenset(word for phrase in _TITLES if "of" not in phrase for word in phrase if not _is_code(word))
    | frozenset(word for title in _TITLES.values() if " of " not in title for word in title.split())
    | OFFICE_RANKS
    | _PORTFOLIO_HEADS
) - _STATUS_WORDS
_HONORIFIC_WORDS = frozenset(word for entry in HONORIFICS for word in _phrase(entry))
_PORTFOLIO_WORDS = frozenset(word for phrase in _PORTFOLIOS for word in phrase)
_ORG_WORDS = frozenset(phrase[0] for phrase in _ORGS if len(phrase) == 1)
_ORG_SUFFIXES = frozenset(_phrase(" ".join(word_set("office_org_suffixes"))))
# "X's Y" (a possessive with something after it, not the trailing "Ministry's" of a name).
_POSSESSIVE = re.compile(r"['’]s\s+(?=\S)")
_STYLES = word_set("office_styles")
# Words that never name an organisation or a country by themselves.
_JUNK_WORDS = (
    (_TITLE_VOCAB - _PORTFOLIO_WORDS - _ORG_WORDS)
    | _STATUS_WORDS
    | _HONORIFIC_WORDS
    | WEEKDAYS
    | MONTHS
    | PRONOUNS_MALE
    | PRONOUNS_FEMALE
    | PRONOUNS_OTHER
    | _FILLERS
)


def country(text: str | None) -> Country | None:
    """The country a name, alias, demonym, adjective or ISO code names; None for anything else."""
    return _country(text)


def _country(text: str | None) -> Country | None:
    if text is None:
        return None
    stripped = text.strip()
    if re.fullmatch(r"[A-Z]{2}", stripped) and stripped in COUNTRIES:
        return _country_by_code(stripped)
    words = _phrase(stripped)
    if words[:1] == ("the",):
        words = words[1:]
    found = _COUNTRY_INDEX.get(words)
    if found is None and words and words[-1].endswith("s"):  # a people: "Russians", "Israelis"
        found = _COUNTRY_INDEX.get((*words[:-1], words[-1][:-1]))
    return found


def place_country(text: str | None) -> Country | None:
    """The country a place stands for when telling what an article is about: a country, or its
    capital ("London" -> United Kingdom). Never for an office: "Washington said" is no jurisdiction."""
    found = _country(text)
    if found is None and text:
        name = CAPITALS.get(" ".join(_phrase(text)))
        found = _COUNTRY_INDEX.get(_phrase(name)) if name else None
    return found


def _country_by_code(code: str) -> Country:
    return _COUNTRY_BY_CODE.get(code) or Country(COUNTRIES[code], code)


def status_of(modifier: str | None) -> str:
    """A role's modifier as one of STATUSES: "ex" and "late" are "former"; none is "current"."""
    words = _phrase(modifier or "")
    if not words:
        return "current"
    if words in _STATUS_PHRASES:
        return _STATUS_PHRASES[words]
    return next((_STATUS_PHRASES[(w,)] for w in words if (w,) in _STATUS_PHRASES), "current")


def is_single_holder(title: str) -> bool:
    """One holder at a time per jurisdiction or organisation; a shadow office is as its original."""
    title = title.removeprefix("shadow ")
    if title in SINGLE_HOLDER_OFFICES or title in _PORTFOLIO_OFFICES:
        return True
    words = title.split()
    if words[:2] == ["secretary", "of"]:
        return _portfolio_known(words[2:])
    return len(words) > 1 and words[-1] in {"minister", "commissioner"} and _portfolio_known(words[:-1])


def _portfolio_known(words: list[str]) -> bool:
    return tuple(w for w in words if w != "the") in _PORTFOLIOS


def is_junk_org(text: str | None) -> bool:
    """True when `text` names no organisation and no country: a weekday, month, honorific,
    status or rank word, an office title, a pronoun ("Tuesday", "Ms", "Shadow", "Prime Minister",
    "New"). The store drops such an organisation and keeps the role without one."""
    words = [tok.word for tok in _tokens(text)]
    if not words:
        return True
    if tuple(words) in _ORGS or _find_country(words) is not None:
        return False
    return all(word in _JUNK_WORDS or word.isdigit() for word in words)


def _find_country(words: list[str]) -> tuple[int, int, Country] | None:
    """The first country named in `words`: (start, end, country), longest name first."""
    for start in range(len(words)):
        for length in range(min(_LONGEST_COUNTRY, len(words) - start), 0, -1):
            found = _COUNTRY_INDEX.get(tuple(words[start : start + length]))
            if found is not None:
                return start, start + length, found
    return None


@dataclass
class _Parse:
    country: Country | None = None
    org: str | None = None
    status: str | None = None
    host: Country | None = None  # "ambassador to Russia"

    def take_status(self, toks: list[_Tok]) -> list[_Tok]:
        kept = []
        i = 0
        while i < len(toks):
            pair = (toks[i].word, toks[i + 1].word) if i + 1 < len(toks) else None
            if pair in _STATUS_PHRASES:
                self.status = self.status or _STATUS_PHRASES[pair]
                i += 2
                continue
            if (toks[i].word,) in _STATUS_PHRASES:
                self.status = self.status or _STATUS_PHRASES[(toks[i].word,)]
            else:
                kept.append(toks[i])
            i += 1
        return kept

    def take_countries(self, toks: list[_Tok]) -> list[_Tok]:
        """`toks` without the countries they name, each a jurisdiction (the first one wins)."""
        while (found := _find_country([t.word for t in toks])) is not None:
            start, end, named = found
            self.country = self.country or named
            toks = toks[:start] + toks[end:]
        return toks

    def take_edge_countries(self, toks: list[_Tok]) -> list[_Tok]:
        """Countries at the start or end of an organisation's name are its jurisdiction
        ("British Labour Party", "Cuban National Assembly"), but stays in a company's name
        ("British Airways"); one inside a name stays ("Majilis of the Kazakh Parliament"), and so
        does an "of X" that ends a name ("Bank of America") unless an office precedes it
        ("President of Russia")."""
        while toks := _strip_fillers(toks):
            words = [t.word for t in toks]
            found = _find_country(words)
            if found is None:
                break
            self.country = self.country or found[2]
            if found[0] == 0:
                rest = [t.word for t in _strip_fillers(toks[found[1] :])]
                if rest and not _is_body(rest):
                    break
                toks = toks[found[1] :]
                continue
            tail = _longest_at_end(words, _COUNTRY_INDEX, _LONGEST_COUNTRY)
            if not tail:
                break
            self.country = self.country or _COUNTRY_INDEX[tuple(words[-tail:])]
            named = [w for w in words[: -tail - 1] if w not in _FILLERS]
            if words[-tail - 1 : -tail] == ["of"] and not all(w in _TITLE_VOCAB for w in named):
                break
            toks = toks[:-tail]
        return toks

    def take_org(self, toks: list[_Tok]) -> list[_Tok]:
        """Organisation words: canonical name when known, else as written; leftovers returned
        when they are an office title (the office of a country), else consumed."""
        toks = _strip_fillers(toks)
        if not toks:
            return []
        code = (self.country.code.lower(),) if self.country else ()
        written = tuple(t.word for t in toks)
        if (alias := _ORGS.get(code + written) or _ORGS.get(written)) is not None:
            self.org = self.org or alias
            return []
        # Status words stay: "New" of "New York" is no status, and a lone "New" is junk anyway.
        toks = self.take_edge_countries(toks)
        words = tuple(t.word for t in toks)
        code = (self.country.code.lower(),) if self.country else ()
        alias = _ORGS.get(code + words) or _ORGS.get(words)
        if alias is not None:
            self.org = self.org or alias
        elif toks and all(w in _TITLE_VOCAB or w in _PORTFOLIO_WORDS for w in words):
            return toks
        elif toks and not is_junk_org(" ".join(t.text for t in toks)):
            self.org = self.org or _without_legal_form(toks)
        return []


def _without_legal_form(toks: list[_Tok]) -> str:
    """A company's name without the legal form the press writes only sometimes: "Pennzoil Co"
    and "Texaco Inc." are Pennzoil and Texaco ("& Co" goes with it)."""
    end = len(toks)
    while end > 1 and toks[end - 1].word in _ORG_SUFFIXES | {"and"}:
        end -= 1
    return " ".join(t.text for t in toks[:end])


def _is_body(words: list[str]) -> bool:
    """Names a country's public body or office rather than a company: "Labour Party",
    "Foreign Ministry", "President"."""
    return tuple(words) in _ORGS or words[-1] in STATE_BODIES or all(w in _TITLE_VOCAB for w in words)


def _longest_at_end(words: list[str], table: Container[tuple[str, ...]], longest: int) -> int:
    """How many of the last `words` make the longest phrase in `table` (0: none)."""
    return next((n for n in range(min(longest, len(words)), 0, -1) if tuple(words[-n:]) in table), 0)


def _strip_fillers(toks: list[_Tok]) -> list[_Tok]:
    start, end = 0, len(toks)
    while start < end and toks[start].word in _FILLERS:
        start += 1
    while end > start and toks[end - 1].word in _FILLERS:
        end -= 1
    return toks[start:end]


def _split_complement(toks: list[_Tok]) -> tuple[list[_Tok], str | None, list[_Tok]]:
    """ "Governor of the Bank of Japan" -> [Governor], "of", [the Bank of Japan]; a phrase whose
    title comes last ("Bank of Japan governor") is not split."""
    at = next((i for i, tok in enumerate(toks) if i and tok.word in _PREPOSITIONS), None)
    if at is None or (_title_run(toks[:at]) == at and _title_run(toks) < len(toks)):
        return toks, None, []
    return toks[:at], toks[at].word, toks[at + 1 :]


def _title_run(toks: list[_Tok]) -> int:
    """Where the title proper starts: the longest run of title words at the end of `toks`."""
    start = len(toks)
    while start > 0:
        # a whole portfolio before its head first: "Foreign and Commonwealth Affairs Secretary"
        if start < len(toks) and toks[start].word in _PORTFOLIO_HEADS:
            length = _longest_at_end([t.word for t in toks[:start]], _PORTFOLIOS, _LONGEST_PORTFOLIO)
        else:
            length = 0
        if length or toks[start - 1].word in _TITLE_VOCAB:
            start -= length or 1
            continue
        break
    return start


def _portfolio_words(toks: list[_Tok]) -> list[str]:
    """A complement's words as a portfolio: "State for Foreign Affairs of Kazakhstan" -> foreign affairs."""
    words = [t.word for t in _strip_fillers(_Parse().take_countries(toks))]
    return words[2:] if words[:2] == ["state", "for"] else words


def _portfolio_title(head: str, portfolio_words: list[str]) -> str | None:
    portfolio = _PORTFOLIOS.get(tuple(w for w in portfolio_words if w != "the"))
    if portfolio is None:
        return None
    named = OFFICE_PORTFOLIO_TITLES.get(f"{head} {portfolio}")
    if named is not None:
        return named
    rule = _PORTFOLIO_RULES.get(head)
    return rule.format(portfolio) if rule else None


def _variant(words: list[str], code: str | None) -> str | None:
    if code and (found := _TITLES.get((code.lower(), *words))) is not None:
        return found
    return _TITLES.get(tuple(words))


def _canonical_core(words: list[str], complement: list[str], code: str | None) -> str:
    """The canonical title of title words plus a portfolio complement ("minister", [foreign affairs])."""
    if not words:  # nothing but a country, status or junk: no office is named
        return ""
    whole = _variant(words, code)
    if whole is not None and not complement:
        return whole
    ranks: list[str] = []
    rest = list(words)
    while len(rest) > 1 and rest[0] in OFFICE_RANKS:
        ranks.append(rest.pop(0))
    head = rest[-1]
    if complement and len(rest) == 1:
        core = _portfolio_title(head, complement)
    elif len(rest) > 1 and head in _PORTFOLIO_HEADS and rest[:-1] != ["state"]:
        # "State Secretary" and "State Minister" are junior offices, not the Secretary of State.
        core = _portfolio_title(head, rest[:-1])
    else:
        core = None
    if core is None:
        # a title not listed whole has its words read one by one: "Lt. Gov." is a lieutenant governor
        core = _variant(rest, code) or " ".join(_variant([word], code) or word for word in rest)
    return " ".join([*ranks, core])


def _listed_whole(toks: list[_Tok]) -> tuple[str | None, Country | None]:
    """A title listed whole ("leader of the opposition", "Chief of Staff"), not to be split at its
    "of", with the country before or after it ("British ...", "... of the United States")."""
    whole, country = [t.word for t in _strip_fillers(toks)], None
    while (found := _find_country(whole)) is not None and found[0] == 0:
        whole, country = whole[found[1] :], country or found[2]
    if tail := _longest_at_end(whole, _COUNTRY_INDEX, _LONGEST_COUNTRY):
        end = len(whole) - tail
        while end and whole[end - 1] in _FILLERS:
            end -= 1
        if "of" in whole[end:-tail]:
            whole, country = whole[:end], country or _COUNTRY_INDEX[tuple(whole[-tail:])]
    listed = _variant(whole, None) or (" ".join(whole) if " ".join(whole) in FIXED_TITLES else None)
    return listed, country


def _listed(toks: list[_Tok]) -> tuple[str | None, Country | None, list[_Tok], list[_Tok]]:
    """A title listed whole, alone or between the body or rank that holds it and a complement
    ("White House Chief of Staff", "Shadow Chancellor of the Exchequer", "Chief of Staff of the
    Kremlin"): (title, its country, words before it, the body it names). A listed "X of Y" whose Y
    is a known organisation is that organisation's X ("Speaker of the House" is the House's
    speaker, as "House Speaker" is)."""
    words = [t.word for t in toks]
    for start, end in _spans(words):
        listed, country = _listed_whole(toks[start:end])
        if listed is not None and (end == len(toks) or " of " in listed):
            break
    else:
        return None, None, [], []
    ranks = [t.word for t in toks[:start] if t.word in OFFICE_RANKS]
    prefix = [t for t in toks[:start] if t.word not in OFFICE_RANKS]
    head, of, body = listed.partition(" of ")
    named = tuple(t.word for t in _strip_fillers(_tokens(body)))
    if of and (named in _ORGS or any(key[1:] == named for key in _ORGS if _is_code(key[0]))):
        listed, complement = _variant(head.split(), None) or head, _tokens(body)
    else:
        complement = []
    return " ".join([*ranks, listed]), country, prefix, complement or toks[end + 1 :]


def _spans(words: list[str]) -> list[tuple[int, int]]:
    """Where a listed title may stand, longest first: the whole; else from a title word on, to the
    end or to an "of", holding an "of" itself ("White House | Chief of Staff | of the Kremlin")."""
    spans = [(0, len(words))]
    for start in range(1, len(words)):
        if words[start] in _TITLE_VOCAB:
            spans.append((start, len(words)))
    for start in range(len(words)):
        if start == 0 or words[start] in _TITLE_VOCAB:
            # only "of": "Secretary of State for Defence" is a portfolio, not a body
            ends = [i for i in range(start + 2, len(words)) if words[i] == "of"]
            spans.extend((start, end) for end in reversed(ends))
    return [
        (start, end)
        for start, end in spans
        if "of" in words[start + 1 : end] or (start, end) == (0, len(words))
    ]


def _possessive_chain(text: str) -> str:
    """ "X's Y" is "Y of X" when X is an office or a body ("Russian President's Press Secretary" is
    the Press Secretary of the Russian President); a country's stays ("Japan's prime minister",
    "Kazakhstan's Ambassador to Russia"): its country is read wherever it stands."""
    parts = _POSSESSIVE.split(text)
    owner = _tokens(parts[0])
    if (
        not owner
        or len(parts) == 1
        or (owner[0].word in _TITLE_VOCAB and any(t.word in _PREPOSITIONS for t in owner))
    ):
        # an owner inside a title's complement ("Director at Columbia University's Institute")
        # is left as written; a name with "of" owns ("Bank of England's chief economist")
        return text
    if len(parts) == 2 and not _strip_fillers(_Parse().take_countries(_Parse().take_status(owner))):
        return text
    return " of ".join(reversed(parts))


def _known_org_length(toks: list[_Tok]) -> int:
    """How many first words of a title name known organisations ("U.N. | weapons inspector");
    0 when none do; never the whole title."""
    words = tuple(t.word for t in toks)
    at = 0
    while n := next((n for n in range(len(words) - at - 1, 0, -1) if words[at : at + n] in _ORGS), 0):
        at += n
    return at


def _without_styles(toks: list[_Tok]) -> list[_Tok]:
    """The office without a style of address written after it ("Chair Rep.", "Adviser Vice Adm."),
    with the rank words of that style; a style with no office before it stays ("Sen.")."""
    end = len(toks)
    while end and toks[end - 1].word in _STYLES and toks[end - 1].text.endswith("."):
        cut = end - 1
        while cut and toks[cut - 1].word in OFFICE_RANKS:
            cut -= 1
        before = toks[cut - 1] if cut else None
        # a portfolio word makes the style an office of its own: "state Rep." is a state representative
        if before is None or before.word not in _TITLE_VOCAB - _PORTFOLIO_WORDS or before.text.endswith("."):
            break
        end = cut
    return toks[:end]


def _parse(title: str, org: str | None, modifier: str | None, forced: Country | None) -> tuple[str, _Parse]:
    parse = _Parse(country=forced)
    toks = _without_styles(parse.take_status(_tokens(_possessive_chain(title))))
    fixed, leading, fixed_prefix, fixed_body = _listed(toks)
    if fixed is not None:
        parse.country = parse.country or leading
        toks = []
    toks, preposition, complement = _split_complement(toks)
    complement = complement or fixed_body
    # Country words end the title run, so they fall to the prefix: "US Defense Secretary".
    toks = _strip_fillers(toks)
    start = _title_run(toks)
    if start == len(toks):  # no title word last: countries out ("Prime Minister Britain"), and try again
        toks = _strip_fillers(parse.take_countries(toks))
        start = _title_run(toks)
        if start == len(toks):  # a title our vocabulary lacks ("astronaut") is a title, not an organisation
            start = len(toks) if all(t.word in _JUNK_WORDS for t in toks) else _known_org_length(toks)
    prefix, words = toks[:start], [t.word for t in toks[start:]]
    portfolio: list[str] = []
    leftover_org = _strip_fillers(complement)
    named = [t.word for t in leftover_org]
    sent = bool(words) and (words[-1] in HOST_TITLES or " ".join(words[-2:]) in HOST_TITLES)
    if preposition == "to" and sent and (host := _country(" ".join(named))) is not None:
        parse.host, leftover_org = host, []
    elif words and _portfolio_title(words[-1], bare := _portfolio_words(leftover_org)) is not None:
        portfolio, leftover_org = bare, []
        parse.take_countries(complement)
    elif tuple(named) not in _ORGS:
        leftover_org = parse.take_edge_countries(leftover_org)
    org_toks = _tokens(org)
    if len(words) == 1 and words[0] in _PORTFOLIO_HEADS and not portfolio:
        # ("Secretary", "US Defense"): the organisation, or what precedes the title, is its portfolio
        for part in (org_toks, prefix):
            bare = [t.word for t in _strip_fillers(_Parse().take_status(_Parse().take_countries(part)))]
            if _portfolio_title(words[0], bare) is not None:
                portfolio = bare
                parse.take_countries(part)
                org_toks, prefix = ([], prefix) if part is org_toks else (org_toks, [])
                break
    # The extractor's organisation first, then the title's own: "of X", then "X leader".
    office_org = (
        parse.take_org(org_toks) + parse.take_org(leftover_org) + parse.take_org(prefix or fixed_prefix)
    )
    code = parse.country.code if parse.country else None
    canonical = fixed or _canonical_core(words, portfolio, code)
    if parse.host is not None:
        canonical = f"{canonical} to {parse.host.name.lower()}"
    if office_org and parse.country is not None and parse.org is None:
        parse.org = _canonical_core([t.word for t in office_org], [], code)
    if parse.country is None and canonical in OFFICE_COUNTRIES:
        parse.country = _country_by_code(OFFICE_COUNTRIES[canonical])
    if parse.country is None and parse.org in ORGANISATION_COUNTRIES:
        parse.country = _country_by_code(ORGANISATION_COUNTRIES[parse.org])
    # The extractor's modifier wins over a status word left in the title, unless it says nothing.
    stated = status_of(modifier)
    if stated != "current" or parse.status is None:
        parse.status = stated
    return canonical, parse


# A store repeats a few thousand (title, org, modifier) triples over its reports.
@lru_cache(maxsize=1 << 16)
def canonical_office(title: str, org: str | None = None, modifier: str | None = None) -> Office:
    """The office a role's title, organisation and modifier (as the extractor stores them) mean."""
    canonical, parse = _parse(title, org, modifier, None)
    return Office(title=canonical, country=parse.country, org=parse.org, status=parse.status or "current")


def office_query(text: str, country: str | None = None, org: str | None = None) -> OfficeQuery:
    """What a user asks `newsgraph who` for ("UK PM", "Fed chairman"), with an explicit
    --country (a name, alias, demonym or ISO code) and --org winning over the text's own."""
    forced = None
    if country is not None:
        forced = _country(country)
        if forced is None:
            raise ValueError(f"not a country: {country!r}")
    canonical, parse = _parse(text, org, None, forced)
    return OfficeQuery(title=canonical, country=parse.country, org=parse.org)


def bare_titles(query: OfficeQuery) -> frozenset[str]:
    """The titles that reports naming no country carry for the office asked: its own, and those
    its country renames (a bare "chancellor" may be the UK's "chancellor of the exchequer")."""
    if query.country is None:
        return frozenset({query.title})
    code = query.country.code.lower()
    renamed = {" ".join(key[1:]) for key, title in _TITLES.items() if key[0] == code and title == query.title}
    return frozenset({query.title, *renamed})


def match_strength(query: OfficeQuery, office: Office) -> int:
    """2: the office is the one asked for; 1: same title, but the office lacks the country or
    organisation the query names (a weaker answer, to rank lower); 0: another office."""
    if query.title != office.title:
        return 0
    strength = 2
    if query.country is not None:
        if office.country is None:
            strength = 1
        elif office.country.code != query.country.code:
            return 0
    if query.org is not None:
        if office.org is None:
            strength = 1
        elif plain(office.org) != plain(query.org):
            return 0
    return strength


def matches(query: OfficeQuery, office: Office) -> bool:
    return match_strength(query, office) > 0


def _title_case(text: str) -> str:
    words = text.split()
    return " ".join(
        w if i and w in TITLE_CASE_SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
