"""Canonical offices and countries: one office and one country however the press writes them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.canonical import (
    STATUSES,
    Country,
    Office,
    OfficeQuery,
    bare_titles,
    canonical_office,
    country,
    is_junk_org,
    match_strength,
    matches,
    office_query,
    place_country,
    status_of,
)
from newsgraph.lexicon import (
    CAPITALS,
    COUNTRIES,
    DEMONYMS,
    OFFICE_PORTFOLIO_TITLES,
    OFFICE_TITLES,
    SINGLE_HOLDER_OFFICES,
)

GB = Country("United Kingdom", "GB")
US = Country("United States", "US")
RU = Country("Russia", "RU")
DE = Country("Germany", "DE")
CN = Country("China", "CN")
KZ = Country("Kazakhstan", "KZ")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("British", "GB"),
        ("United Kingdom", "GB"),
        ("the United Kingdom", "GB"),
        ("England", "GB"),
        ("Scottish", "GB"),
        ("US", "US"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("American", "US"),
        ("United States", "US"),
        ("Russian", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("RF", "RU"),
        ("Soviet", "SU"),
        ("USSR", "SU"),
        ("West German", "DE"),
        ("East German", "DD"),
        ("Japanese", "JP"),
        ("Israeli", "IL"),
        ("Chinese", "CN"),
        ("PRC", "CN"),
        ("Kazakh", "KZ"),
        ("Kazakhstani", "KZ"),
        ("Zairean", "CD"),
        ("Korean", "KR"),
        ("North Korean", "KP"),
        ("Côte d'Ivoire", "CI"),
        ("Dutch", "NL"),
        ("GB", "GB"),
        ("SU", "SU"),
        ("Russians", "RU"),
        ("Israelis", "IL"),
        ("Britons", "GB"),
        ("the U.S.", "US"),
    ],
)
def test_country_from_names_aliases_and_demonyms(text: str, code: str) -> None:
    found = country(text)
    assert found is not None and found.code == code
    assert found.name == COUNTRIES[code]


@pytest.mark.parametrize(
    "text", ["Washington", "Moscow", "European", "EU", "United Nations", "Labour", "", None, "in"]
)
def test_capitals_bodies_and_words_are_not_countries(text: str | None) -> None:
    assert country(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("London", "GB"),
        ("Washington", "US"),
        ("Moscow", "RU"),
        ("Kiev", "UA"),
        ("New Delhi", "IN"),
        ("Britain", "GB"),
    ],
)
def test_a_capital_is_the_place_of_its_country(text: str, code: str) -> None:
    found = place_country(text)
    assert found is not None and found.code == code
    assert canonical_office("Prime Minister", text).country == (None if text != "Britain" else found)


def test_every_capital_names_a_country() -> None:
    assert [city for city, name in CAPITALS.items() if country(name) is None] == []


def test_every_demonym_of_a_country_resolves() -> None:
    unresolved = [d for d, name in DEMONYMS.items() if country(d) is None and country(name) is not None]
    assert unresolved == []
    assert len({country(d) for d in DEMONYMS} - {None}) > 180


@pytest.mark.parametrize(
    ("title", "org", "modifier", "expected", "code", "expected_org", "status"),
    [
        ("Prime Minister", None, None, "prime minister", None, None, "current"),
        ("premier", "China", None, "prime minister", "CN", None, "current"),
        ("PM", "UK", None, "prime minister", "GB", None, "current"),
        ("British Prime Minister", None, None, "prime minister", "GB", None, "current"),
        ("Prime Minister of Britain", None, None, "prime minister", "GB", None, "current"),
        ("UK Prime Minister", None, None, "prime minister", "GB", None, "current"),
        ("Prime Minister", "United Kingdom", None, "prime minister", "GB", None, "current"),
        ("Secretary", "Defense", None, "secretary of defense", None, None, "current"),
        ("Defense Secretary", "US", None, "secretary of defense", "US", None, "current"),
        ("US Defense Secretary", None, None, "secretary of defense", "US", None, "current"),
        ("Secretary of Defense", "U.S.", None, "secretary of defense", "US", None, "current"),
        ("defence secretary", None, "former", "secretary of defense", None, None, "former"),
        ("Chancellor of the Exchequer", None, None, "chancellor of the exchequer", "GB", None, "current"),
        ("chancellor", "exchequer", None, "chancellor of the exchequer", "GB", None, "current"),
        ("Chancellor", "British", None, "chancellor of the exchequer", "GB", None, "current"),
        ("Chancellor", "German", None, "chancellor", "DE", None, "current"),
        ("Shadow Chancellor", None, None, "shadow chancellor of the exchequer", "GB", None, "current"),
        ("president", "Congress", None, "president", "IN", "Congress Party", "current"),
        ("Congress party president", None, None, "president", "IN", "Congress Party", "current"),
        ("leader", "Labor Party", None, "leader", None, "Labor Party", "current"),
        ("leader", "Israel", None, "leader", "IL", None, "current"),
        ("Labour leader", None, None, "leader", None, "Labour Party", "current"),
        ("leader", "Tories", None, "leader", None, "Conservative Party", "current"),
        ("CEO", "Microsoft", None, "chief executive officer", None, "Microsoft", "current"),
        ("chief executive", "Microsoft", None, "chief executive officer", None, "Microsoft", "current"),
        (
            "chief executive officer",
            "Microsoft",
            "former",
            "chief executive officer",
            None,
            "Microsoft",
            "former",
        ),
        ("Fed chairman", None, None, "chairman", "US", "Federal Reserve", "current"),
        ("chairwoman", "Federal Reserve", None, "chairman", "US", "Federal Reserve", "current"),
        (
            "Press Secretary of the Russian President",
            None,
            None,
            "press secretary",
            "RU",
            "president",
            "current",
        ),
        ("Press Secretary", "President of Russia", None, "press secretary", "RU", "president", "current"),
        ("Foreign Secretary", "Britain", None, "foreign minister", "GB", None, "current"),
        ("Foreign Minister", "UK", None, "foreign minister", "GB", None, "current"),
        ("Minister of Foreign Affairs", "Kazakhstan", None, "foreign minister", "KZ", None, "current"),
        ("minister for foreign affairs", None, None, "foreign minister", None, None, "current"),
        ("Foreign and Commonwealth Affairs Secretary", None, None, "foreign minister", None, None, "current"),
        ("Secretary of State for Defence", None, None, "secretary of defense", None, None, "current"),
        ("Secretary of State", "US", None, "secretary of state", "US", None, "current"),
        ("Treasury Secretary", "US", None, "secretary of the treasury", "US", None, "current"),
        ("Secretary of the Treasury", None, None, "secretary of the treasury", None, None, "current"),
        ("Home Secretary", None, None, "interior minister", None, None, "current"),
        ("spokeswoman", "Foreign Ministry", None, "spokesman", None, "Foreign Ministry", "current"),
        (
            "spokesperson",
            "Ministry of Foreign Affairs",
            None,
            "spokesman",
            None,
            "Foreign Ministry",
            "current",
        ),
        ("Foreign Ministry spokesman", None, None, "spokesman", None, "Foreign Ministry", "current"),
        ("secretary-general", "UN", None, "secretary general", None, "United Nations", "current"),
        ("Deputy Prime Minister", None, None, "deputy prime minister", None, None, "current"),
        ("Vice-President", "US", None, "vice president", "US", None, "current"),
        ("Japan's then prime minister", None, None, "prime minister", "JP", None, "then"),
        ("prime minister", "Japan", "then", "prime minister", "JP", None, "then"),
        ("former defence secretary", None, None, "secretary of defense", None, None, "former"),
        ("President-elect", None, None, "president", None, None, "elect"),
        ("prime minister", None, "acting", "prime minister", None, None, "acting"),
        ("prime minister", "New Zairean", None, "prime minister", "CD", None, "current"),
        ("Foreign Secretary", "Tuesday", None, "foreign minister", None, None, "current"),
        ("head", "Mr", None, "head", None, None, "current"),
        ("Ambassador to Russia", "Kazakhstan", None, "ambassador to russia", "KZ", None, "current"),
        ("Kazakhstan's Ambassador to Russia", None, None, "ambassador to russia", "KZ", None, "current"),
        (
            "British High Commissioner to India",
            None,
            None,
            "high commissioner to india",
            "GB",
            None,
            "current",
        ),
        ("Special Envoy to Syria", "UN", None, "special envoy to syria", None, "United Nations", "current"),
        ("adviser to Russia", None, None, "adviser", "RU", None, "current"),
        ("Director General", "TASS", None, "director general", None, "TASS", "current"),
        ("Soviet President", None, None, "president", "SU", None, "current"),
        ("governor", "New York", None, "governor", None, "New York", "current"),
        ("analyst at Goldman", None, None, "analyst", None, "Goldman", "current"),
        ("Chief of Staff", "White House", None, "chief of staff", "US", "White House", "current"),
        ("Speaker of the House", None, None, "speaker", None, "House of Representatives", "current"),
        ("Speaker of the House", "UK", None, "speaker", "GB", "House of Commons", "current"),
        ("Speaker", "House of Commons", None, "speaker", "GB", "House of Commons", "current"),
        ("Leader of the House of Lords", None, None, "leader", "GB", "House of Lords", "current"),
        (
            "Deputy White House Chief of Staff",
            None,
            None,
            "deputy chief of staff",
            "US",
            "White House",
            "current",
        ),
        (
            "Shadow Chancellor of the Exchequer",
            None,
            None,
            "shadow chancellor of the exchequer",
            "GB",
            None,
            "current",
        ),
        ("Russian President's Press Secretary", None, None, "press secretary", "RU", "president", "current"),
        ("the Pentagon's spokesman", None, None, "spokesman", "US", "Department of Defense", "current"),
        (
            "Bank of England's chief economist",
            None,
            None,
            "chief economist",
            "GB",
            "Bank of England",
            "current",
        ),
        ("Kremlin's then chief of staff", None, None, "chief of staff", "RU", "Kremlin", "then"),
        (
            "analyst at Columbia University's Institute",
            None,
            None,
            "analyst",
            None,
            "Columbia University Institute",
            "current",
        ),
        ("chairman", "Texaco Inc.", None, "chairman", None, "Texaco", "current"),
        ("chief executive", "Smith & Co", None, "chief executive officer", None, "Smith", "current"),
        ("chairman", "Deutsche Bank AG", None, "chairman", None, "Deutsche Bank", "current"),
        ("Chair Rep.", "DNC", None, "chairman", "US", "Democratic National Committee", "current"),
        ("Security Adviser Vice Adm.", None, None, "security adviser", None, None, "current"),
        ("Sen.", None, None, "senator", None, None, "current"),
        ("state Rep.", "Ohio", None, "state representative", None, "Ohio", "current"),
        ("Lt. Gov.", None, None, "lieutenant governor", None, None, "current"),
        ("Attorney Gen.", None, None, "attorney general", None, None, "current"),
        ("U.N. weapons inspector", None, None, "weapons inspector", None, "United Nations", "current"),
        ("NASA astronaut", None, None, "nasa astronaut", None, None, "current"),
        (
            "Palestinian Authority President",
            None,
            None,
            "president",
            "PS",
            "Palestinian Authority",
            "current",
        ),
        ("Joint Chiefs Chairman", None, None, "chairman", "US", "Joint Chiefs of Staff", "current"),
        ("press spokeswoman", None, None, "press spokesman", None, None, "current"),
        (
            "Vice Speaker",
            "Majilis of the Kazakh Parliament",
            None,
            "vice speaker",
            "KZ",
            "Majilis of the Kazakh Parliament",
            "current",
        ),
        ("president", "Cuban National Assembly", None, "president", "CU", "National Assembly", "current"),
        ("Sen.", "Democratic", None, "senator", None, "Democratic Party", "current"),
        ("State Secretary", None, None, "state secretary", None, None, "current"),
        ("nominee", "Republican", None, "nominee", None, "Republican Party", "current"),
        ("astronaut", None, None, "astronaut", None, None, "current"),
        ("Bank of Japan governor", None, None, "governor", "JP", "Bank of Japan", "current"),
        ("Governor of the Bank of Japan", None, None, "governor", "JP", "Bank of Japan", "current"),
        ("Chairman of the Federal Reserve Board", None, None, "chairman", "US", "Federal Reserve", "current"),
        ("leader", "Labour", None, "leader", None, "Labour Party", "current"),
        ("Minister of Foreign Affairs of Kazakhstan", None, None, "foreign minister", "KZ", None, "current"),
        (
            "Secretary of State for Foreign and Commonwealth Affairs",
            None,
            None,
            "foreign minister",
            None,
            None,
            "current",
        ),
        ("adviser to the President of Russia", None, None, "adviser", "RU", "president", "current"),
        ("ambassador to the U.N.", "Iraq", None, "ambassador", "IQ", "United Nations", "current"),
        ("leader", "Israeli Labor Party", None, "leader", "IL", "Labor Party", "current"),
        ("Bank of America chairman", None, None, "chairman", "US", "Bank of America", "current"),
        ("British Airways chairman", None, None, "chairman", "GB", "British Airways", "current"),
        ("chairman", "American Express", None, "chairman", "US", "American Express", "current"),
        ("spokesman", "Russian Defence Ministry", None, "spokesman", "RU", "Defence Ministry", "current"),
        ("leader", "Chinese Communist Party", None, "leader", "CN", "Communist Party", "current"),
        ("chairman", "Royal Bank of Scotland", None, "chairman", "GB", "Royal Bank of Scotland", "current"),
        ("Governor of the Bank of Canada", None, None, "governor", "CA", "Bank of Canada", "current"),
        ("British Leader of the Opposition", None, None, "opposition leader", "GB", None, "current"),
        ("Chief of Staff of the United States", None, None, "chief of staff", "US", None, "current"),
        ("newly appointed Foreign Minister", "Japan", None, "foreign minister", "JP", None, "current"),
        ("then-Prime Minister", "Japan", None, "prime minister", "JP", None, "then"),
        ("ex-President", "Zaire", None, "president", "CD", None, "former"),
    ],
)
def test_canonical_office(
    title: str,
    org: str | None,
    modifier: str | None,
    expected: str,
    code: str | None,
    expected_org: str | None,
    status: str,
) -> None:
    office = canonical_office(title, org, modifier)
    assert office.title == expected
    assert (office.country.code if office.country else None) == code
    assert office.org == expected_org
    assert office.status == status


@pytest.mark.parametrize(
    "spellings",
    [
        [("premier", None), ("Prime Minister", None), ("PM", None)],
        [("CEO", "Microsoft"), ("chief executive officer", "Microsoft"), ("Microsoft CEO", None)],
        [("Chancellor of the Exchequer", None), ("chancellor", "exchequer"), ("Chancellor", "UK")],
        [("Congress party president", None), ("president", "Congress")],
        [("Prime Minister", "UK"), ("Prime Minister", "Britain"), ("Prime Minister", "British")],
        [("Prime Minister", "United Kingdom"), ("British Prime Minister", None)],
        [
            ("US Defense Secretary", None),
            ("Defense Secretary", "US"),
            ("Secretary of Defense", "United States"),
        ],
        [("Labour leader", None), ("leader", "Labour"), ("Leader", "Labour Party")],
        [("Speaker of the House", None), ("House Speaker", None), ("Speaker", "House")],
        [("White House Chief of Staff", None), ("chief of staff", "White House")],
        [
            ("Press Secretary of the Kremlin", None),
            ("Kremlin's Press Secretary", None),
            ("Kremlin press secretary", None),
        ],
        [("Pennzoil chairman", None), ("chairman", "Pennzoil Co"), ("Chairman", "Pennzoil Company")],
        [("chairwoman", "DNC"), ("Chair Rep.", "Democratic National Committee")],
    ],
)
def test_spellings_of_one_office_share_a_key(spellings: list[tuple[str, str | None]]) -> None:
    keys = {canonical_office(title, org).key for title, org in spellings}
    assert len(keys) == 1


def test_every_canonical_title_is_its_own_canonical_title() -> None:
    titles = {*OFFICE_TITLES.values(), *OFFICE_PORTFOLIO_TITLES.values(), *SINGLE_HOLDER_OFFICES}
    assert {t for t in titles if canonical_office(t).title != t} == set()


def test_key_label_and_flags() -> None:
    pm = canonical_office("British Prime Minister", modifier="former")
    assert pm.key == "prime minister|GB|"
    assert pm.label == "Prime Minister (United Kingdom)"
    assert pm.single_holder and pm.past
    labour = canonical_office("leader", "Labour")
    assert labour.key == "leader||labour party"
    assert labour.label == "Leader (Labour Party)"
    ceo = canonical_office("CEO", "Microsoft", "then")
    assert ceo.key == "chief executive officer||microsoft"
    assert ceo.label == "Chief Executive Officer (Microsoft)"
    assert ceo.past
    peskov = canonical_office("Press Secretary of the Russian President")
    assert peskov.label == "Press Secretary (President of Russia)"
    assert not canonical_office("prime minister", modifier="acting").past


@pytest.mark.parametrize(
    ("title", "single"),
    [
        ("prime minister", True),
        ("president", True),
        ("chancellor of the exchequer", True),
        ("shadow chancellor of the exchequer", True),
        ("chief executive officer", True),
        ("chairman", True),
        ("foreign minister", True),
        ("secretary of defense", True),
        ("shadow foreign minister", True),
        ("spokesman", False),
        ("minister", False),
        ("minister of state", False),
        ("ambassador", False),
        ("senator", False),
        ("adviser", False),
        ("deputy prime minister", False),
        ("deputy foreign minister", False),
    ],
)
def test_single_holder(title: str, single: bool) -> None:
    assert Office(title, None, None, "current").single_holder is single


@pytest.mark.parametrize(
    ("modifier", "status"),
    [
        (None, "current"),
        ("former", "former"),
        ("ex", "former"),
        ("late", "former"),
        ("retired", "former"),
        ("then", "then"),
        ("acting", "acting"),
        ("interim", "interim"),
        ("designate", "designate"),
        ("outgoing", "outgoing"),
        ("incoming", "incoming"),
        ("elect", "elect"),
        ("newly appointed", "current"),
        ("Former", "former"),
        ("nonsense", "current"),
    ],
)
def test_status_of(modifier: str | None, status: str) -> None:
    assert status_of(modifier) == status


@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("Tuesday", True),
        ("Wednesday", True),
        ("March", True),
        ("Ms", True),
        ("Mr", True),
        ("Lord", True),
        ("Shadow", True),
        ("Prime Minister", True),
        ("New", True),
        ("the", True),
        ("", True),
        ("2005", True),
        ("New Zairean", False),
        ("Tory", False),
        ("Labour", False),
        ("Treasury", False),
        ("Microsoft", False),
        ("United Kingdom", False),
        ("Defense", False),
    ],
)
def test_is_junk_org(text: str, junk: bool) -> None:
    assert is_junk_org(text) is junk


@pytest.mark.parametrize(
    ("text", "country_arg", "org_arg", "title", "code", "org"),
    [
        ("British Prime Minister", None, None, "prime minister", "GB", None),
        ("Prime Minister", None, None, "prime minister", None, None),
        ("Prime Minister of the United Kingdom", None, None, "prime minister", "GB", None),
        ("UK PM", None, None, "prime minister", "GB", None),
        ("Prime Minister", "United Kingdom", None, "prime minister", "GB", None),
        ("Prime Minister", "UK", None, "prime minister", "GB", None),
        ("German Chancellor", None, None, "chancellor", "DE", None),
        ("Chancellor", "UK", None, "chancellor of the exchequer", "GB", None),
        ("Fed chairman", None, None, "chairman", "US", "Federal Reserve"),
        ("chairman", None, "Fed", "chairman", "US", "Federal Reserve"),
        ("Governor", "UK", "Bank of England", "governor", "GB", "Bank of England"),
        ("Labour leader", None, None, "leader", None, "Labour Party"),
        ("Microsoft CEO", None, None, "chief executive officer", None, "Microsoft"),
        ("Press Secretary", None, None, "press secretary", None, None),
        ("US Defense Secretary", None, None, "secretary of defense", "US", None),
        ("Foreign Minister", "UK", None, "foreign minister", "GB", None),
        ("leader", None, "Israel", "leader", "IL", None),
        ("Speaker of the House", None, None, "speaker", None, "House of Representatives"),
        ("White House chief of staff", None, None, "chief of staff", "US", "White House"),
        ("Russian President's Press Secretary", None, None, "press secretary", "RU", "president"),
        ("Texaco chairman", None, "Texaco Inc", "chairman", None, "Texaco"),
    ],
)
def test_office_query(
    text: str, country_arg: str | None, org_arg: str | None, title: str, code: str | None, org: str | None
) -> None:
    query = office_query(text, country=country_arg, org=org_arg)
    assert query.title == title
    assert (query.country.code if query.country else None) == code
    assert query.org == org


@pytest.mark.parametrize("text", ["", "the", "former", "British", "Tuesday"])
def test_a_title_without_an_office_word_names_no_office(text: str) -> None:
    assert office_query(text).title == ""


def test_an_inferred_country_renames_the_title_it_names_otherwise() -> None:
    bare = canonical_office("Chancellor")
    assert bare.key == "chancellor||"
    assert bare.in_country(GB).key == "chancellor of the exchequer|GB|"
    assert bare.in_country(DE).key == "chancellor|DE|"
    assert canonical_office("Prime Minister", modifier="then").in_country(GB).status == "then"
    assert bare_titles(office_query("Chancellor of the Exchequer")) == {
        "chancellor of the exchequer",
        "chancellor",
    }
    assert bare_titles(office_query("Prime Minister")) == {"prime minister"}
    assert bare_titles(office_query("Chancellor", country="UK")) == {
        "chancellor of the exchequer",
        "chancellor",
    }
    assert bare_titles(office_query("Chancellor", country="Germany")) == {"chancellor"}


def test_office_query_refuses_an_unknown_country() -> None:
    with pytest.raises(ValueError, match="not a country"):
        office_query("Prime Minister", country="Atlantis")


def test_match_strength() -> None:
    uk_pm = office_query("Prime Minister", country="UK")
    assert match_strength(uk_pm, canonical_office("British Prime Minister")) == 2
    assert match_strength(uk_pm, canonical_office("Prime Minister")) == 1
    assert match_strength(uk_pm, canonical_office("premier", "China")) == 0
    assert match_strength(uk_pm, canonical_office("Deputy Prime Minister", "UK")) == 0
    any_pm = office_query("Prime Minister")
    assert match_strength(any_pm, canonical_office("premier", "China")) == 2
    labour = office_query("leader", org="Labour")
    assert match_strength(labour, canonical_office("Labour leader")) == 2
    assert match_strength(labour, canonical_office("leader")) == 1
    assert match_strength(labour, canonical_office("leader", "Tories")) == 0
    assert matches(
        office_query("Foreign Minister", country="GB"), canonical_office("Foreign Secretary", "UK")
    )
    assert not matches(OfficeQuery("president", None, None), canonical_office("vice president"))


_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=40)
_WORDS = st.lists(
    st.sampled_from(
        "prime minister of the British UK former then shadow deputy chancellor exchequer secretary defence "
        "foreign affairs Labour leader CEO Microsoft US Russian president press for to s new Tuesday Mr "
        "state ambassador Kazakhstan's chief executive officer Fed chairman".split()
    ),
    max_size=8,
).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    title=st.one_of(_TEXT, _WORDS),
    org=st.one_of(st.none(), _TEXT, _WORDS),
    modifier=st.one_of(st.none(), _TEXT),
)
def test_canonical_office_is_total_and_stable(title: str, org: str | None, modifier: str | None) -> None:
    office = canonical_office(title, org, modifier)
    assert office.status in STATUSES
    assert office.title == office.title.casefold()
    assert office.key == canonical_office(title, org, modifier).key
    # The canonical office read back as a query is itself.
    again = office_query(office.title, country=office.country and office.country.code, org=office.org)
    assert (again.title, again.country, again.org) == (office.title, office.country, office.org)
