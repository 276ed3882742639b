"""Word lists the extraction rules share, kept as data files under `lexicon/data/`.

Each list lives in exactly one file, so a rule change in one stage (say, a
new reporting verb) is seen by every stage that depends on it, and a regex
over a list is generated from the list rather than written out again.

File format: one entry per line; `#` starts a comment; blank lines are
ignored; a mapping line is `key = value`. Lists keep their file order, which
regexes generated from them rely on only through `alternation` (longest
first), never otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of `lexicon/data/<name>.txt`, in file order."""
    text = resources.files(__name__).joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            entries.append(entry)
    return tuple(entries)


def word_set(name: str) -> frozenset[str]:
    return frozenset(words(name))


def table(name: str) -> dict[str, str]:
    """`key = value` lines as a dict, in file order."""
    pairs = {}
    for entry in words(name):
        key, separator, value = entry.partition(" = ")
        if not separator:
            raise ValueError(f"lexicon {name}: {entry!r} is not a `key = value` line")
        pairs[key.strip()] = value.strip()
    return pairs


def alternation(entries: Iterable[str], *, flexible_space: bool = True) -> str:
    """A regex group matching any entry: longest first, so "New Year's Eve" wins over "New Year";
    with `flexible_space`, a space in an entry matches any run of white space."""
    ordered = sorted(set(entries), key=lambda e: (-len(e), e))
    escaped = [re.escape(e) for e in ordered]
    if flexible_space:
        escaped = [e.replace(r"\ ", r"\s+") for e in escaped]
    return "(?:" + "|".join(escaped) + ")"


# Lemmas of verbs that introduce what somebody said, wrote or thinks.
REPORTING_VERBS = word_set("reporting_verbs")
OBJECT_VERBS = word_set("object_verbs")
STANCE_NOUNS = word_set("stance_nouns")
STANCE_VERBS = word_set("stance_verbs")
TITLE_WORDS = word_set("title_words")
TITLE_QUALIFIERS = word_set("title_qualifiers")
# Title heads that an apposition or copula must end in for us to call it a role.
TITLE_HEADS = TITLE_WORDS - TITLE_QUALIFIERS | {"general", "secretary", "executive"}
ROLE_MODIFIERS = tuple(tuple(phrase.split()) for phrase in words("role_modifiers"))
# Of those, the ones that say the office had ended by the report's date.
ENDING_MODIFIERS = word_set("ending_modifiers")
ORG_HEADS = word_set("org_heads")
PRONOUNS_MALE = word_set("pronouns_male")
PRONOUNS_FEMALE = word_set("pronouns_female")
PERSON_PRONOUNS = PRONOUNS_MALE | PRONOUNS_FEMALE
# Demonyms to countries, for "Russian President" -> President of Russia.
DEMONYMS = table("demonyms")
AGENCIES = words("agencies")
# Every word of the role modifiers, "appointed" and "elected" included: none
# of them belongs to a name or starts a title.
ROLE_MODIFIER_WORDS = frozenset(word for phrase in ROLE_MODIFIERS for word in phrase)
TITLE_PREPOSITIONS = word_set("title_prepositions")
TITLE_CONNECTORS = TITLE_PREPOSITIONS | word_set("title_connectors")
PORTFOLIO_HEADS = word_set("portfolio_heads")
POSSESSIVE_MARKERS = word_set("possessive_markers")
NAME_PARTICLES = words("name_particles")
CUE_NOUNS = word_set("cue_nouns")
AFTER_QUOTE_VERBS = word_set("after_quote_verbs")
CONCESSIONS = word_set("concessions")
RAISING_VERBS = word_set("raising_verbs")
STATEMENT_NOUNS = word_set("statement_nouns")
NOT_SPEAKER_LABELS = word_set("not_speaker_labels")
TITLE_CASE_SMALL_WORDS = word_set("title_case_small_words")
PRONOUNS_RELATIVE = word_set("pronouns_relative")
PRONOUNS_OTHER = word_set("pronouns_other")
# Honorifics to the gender they say ("mr" -> male); never part of a name.
HONORIFICS = table("honorifics")
PARTIES = word_set("parties")
GROUP_NOUNS = word_set("group_nouns")
SLOGAN_VERBS = word_set("slogan_verbs")
FIXED_TITLES = word_set("fixed_titles")
FIRST_NAMES = {"female": word_set("first_names_female"), "male": word_set("first_names_male")}
# Canonical offices and countries (`newsgraph.canonical`).
COUNTRIES = table("countries")
COUNTRY_ALIASES = table("country_aliases")
OFFICE_TITLES = table("office_titles")
OFFICE_RANKS = word_set("office_ranks")
OFFICE_STATUSES = table("office_statuses")
OFFICE_PORTFOLIOS = table("office_portfolios")
OFFICE_PORTFOLIO_TITLES = table("office_portfolio_titles")
OFFICE_COUNTRIES = table("office_countries")
SINGLE_HOLDER_OFFICES = word_set("single_holder_offices")
ORGANISATIONS = table("organisations")
WEEKDAYS = frozenset(table("timex_weekdays"))
MONTHS = frozenset(table("timex_months"))
CAPITALS = table("capitals")
ORGANISATION_COUNTRIES = table("organisation_countries")
STATE_BODIES = word_set("state_bodies")
HOST_TITLES = word_set("host_titles")
ORGANISATION_PRONOUNS = word_set("organisation_pronouns")
ORGANISATION_NOUNS = word_set("organisation_nouns")
UNNAMED_TITLES = word_set("unnamed_titles")
EPITHET_NOUNS = word_set("epithet_nouns")
PEERAGES = word_set("peerages")
