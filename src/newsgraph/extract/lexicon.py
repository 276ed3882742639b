"""Word lists the extraction rules share.

Kept in one place so that a rule change in one stage (say, a new reporting
verb) is seen by every stage that depends on it.
"""

from __future__ import annotations

# Lemmas of verbs that introduce what somebody said, wrote or thinks.
REPORTING_VERBS = frozenset(
    """
    say tell state add note stress emphasize emphasise underline underscore point explain
    claim argue announce insist suggest warn report write declare reply respond answer
    admit acknowledge confirm deny recall remark comment observe assert maintain contend
    complain reveal indicate mention tweet post promise vow pledge urge predict concede
    conclude estimate disclose testify allege charge caution signal hint assure reiterate
    repeat retort counter quip joke lament boast brag recount describe affirm agree
    believe think feel expect hope fear worry doubt know learn hear understand
    argue propose recommend demand ask wonder guess figure reckon speculate
    """.split()
)

# Reporting verbs that only report when they govern a clause, never alone:
# "she knows that ..." reports; "she knows him" does not.
CLAUSE_ONLY_VERBS = frozenset(
    "believe think feel expect hope fear worry doubt know learn hear understand figure guess".split()
)

# Nouns that, as the object of "express", "voice", "state", carry the content
# of a statement: "expressed confidence that ...", "stated the readiness to ...".
STANCE_NOUNS = frozenset(
    """
    confidence hope belief view opinion concern fear doubt conviction certainty readiness
    willingness intention desire commitment support opposition gratitude regret satisfaction
    disappointment surprise position assurance optimism skepticism scepticism
    """.split()
)
STANCE_VERBS = frozenset("express voice state declare reaffirm reiterate confirm share convey".split())

# Words a title is built from, lower-cased. Multi-word titles are recognised
# as runs of these ("Deputy Minister", "Director General", "Vice Speaker").
TITLE_WORDS = frozenset(
    """
    president vice deputy prime minister secretary press speaker chairman chairwoman chairperson
    chair director general ambassador senator governor mayor representative congressman
    congresswoman chief executive officer ceo head leader chancellor king queen prince
    princess commander justice judge attorney counselor counsellor adviser advisor aide
    editor correspondent spokesman spokeswoman spokesperson envoy consul commissioner
    founder cofounder co-founder manager coach captain economist analyst professor chief
    treasurer comptroller nominee candidate premier minister-counsellor sheriff
    state foreign first assistant associate managing lieutenant colonel major sergeant
    admiral marshal pope cardinal archbishop bishop rabbi imam sen. rep. gov. gen. dr.
    prof. lt. col. sgt. adm. pres. ambassador-at-large president-elect secretary-general
    director-general editor-in-chief attorney-general
    """.split()
)

# Words that may be part of a title but never head one on their own.
TITLE_QUALIFIERS = frozenset(
    "vice deputy first assistant associate managing state foreign press general executive".split()
)

# Title heads that an apposition or copula must end in for us to call it a role.
TITLE_HEADS = TITLE_WORDS - TITLE_QUALIFIERS | {"general", "secretary", "executive"}

ROLE_MODIFIERS = (
    ("newly", "appointed"),
    ("newly", "elected"),
    ("former",),
    ("ex",),
    ("acting",),
    ("interim",),
    ("incoming",),
    ("outgoing",),
    ("then",),
    ("late",),
    ("current",),
    ("retired",),
)

# Nouns that end an organisation's name: a capitalised run after one of
# these inside an ORG entity is a person ("the Kazakh Parliament Daniya Yespayeva").
ORG_HEADS = frozenset(
    """
    parliament ministry agency council committee office company corporation group bank party
    government majilis senate assembly duma court service department bureau commission union
    association institute university college school foundation fund administration house
    complex center centre board authority army navy police news times post journal network
    """.split()
)

PRONOUNS_MALE = frozenset({"he", "him", "his", "himself"})
PRONOUNS_FEMALE = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = PRONOUNS_MALE | PRONOUNS_FEMALE

# Demonyms to countries, for "Russian President" -> President of Russia.
DEMONYMS = {
    "american": "United States",
    "russian": "Russia",
    "kazakh": "Kazakhstan",
    "kazakhstani": "Kazakhstan",
    "chinese": "China",
    "british": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "italian": "Italy",
    "spanish": "Spain",
    "japanese": "Japan",
    "korean": "Korea",
    "indian": "India",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "israeli": "Israel",
    "palestinian": "Palestine",
    "turkish": "Turkey",
    "ukrainian": "Ukraine",
    "belarusian": "Belarus",
    "uzbek": "Uzbekistan",
    "kyrgyz": "Kyrgyzstan",
    "tajik": "Tajikistan",
    "turkmen": "Turkmenistan",
    "azerbaijani": "Azerbaijan",
    "armenian": "Armenia",
    "georgian": "Georgia",
    "polish": "Poland",
    "canadian": "Canada",
    "mexican": "Mexico",
    "brazilian": "Brazil",
    "egyptian": "Egypt",
    "saudi": "Saudi Arabia",
    "syrian": "Syria",
    "afghan": "Afghanistan",
    "pakistani": "Pakistan",
    "australian": "Australia",
    "mongolian": "Mongolia",
    "european": "European Union",
    "u.s.": "United States",
    "us": "United States",
}

AGENCIES = (
    "AP",
    "AFP",
    "Reuters",
    "TASS",
    "Xinhua",
    "Kazinform",
    "Interfax",
    "RIA Novosti",
    "dpa",
    "ANSA",
    "EFE",
    "Bloomberg",
    "UPI",
    "PA",
    "Kyodo",
    "Yonhap",
)
