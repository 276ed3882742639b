"""One behaviour per test, each on a short made-up article."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.article import Article
from newsgraph.extract import extract
from newsgraph.extract.credits import find_credits
from newsgraph.extract.quotes.marks import scan_quote_marks


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, date: str | None = "2024-11-18"):
        return extract(Article(text, date=date), nlp)

    return _run


def names(record):
    return {e["id"]: e["name"] for e in record["entities"]}


def only_quote(record):
    assert len(record["quotes"]) == 1, record["quotes"]
    quote = record["quotes"][0]
    return quote, names(record).get(quote["speaker"])


# ---- quote marks ------------------------------------------------------------


def test_scanner_pairs_curly_straight_and_guillemets():
    text = 'A “one two” B "three four" C «five six» D'
    inner = [text[m.inner_start : m.inner_end] for m in scan_quote_marks(text)]
    assert inner == ["one two", "three four", "five six"]


def test_scanner_joins_reopened_paragraphs():
    text = "“First paragraph goes on.\n\n“Second one ends here,” she said."
    (mark,) = scan_quote_marks(text)
    assert text[mark.inner_start : mark.inner_end].startswith("First")
    assert text[mark.inner_start : mark.inner_end].endswith("ends here,")
    assert mark.closed


def test_scanner_closes_unbalanced_quote_at_paragraph_end():
    text = "He said “this never closes\n\nNext paragraph."
    (mark,) = scan_quote_marks(text)
    assert not mark.closed
    assert text[mark.inner_start : mark.inner_end] == "this never closes"


# ---- direct quotes ------------------------------------------------------------


def test_direct_quote_cue_after(run):
    quote, speaker = only_quote(run("“We will build the new bridge next year,” said Maria Lopez, the mayor."))
    assert quote["type"] == "direct"
    assert speaker == "Maria Lopez"
    assert quote["cue"]["text"] == "said"
    assert quote["content"]["text"] == "We will build the new bridge next year"


def test_direct_quote_straight_marks_cue_before(run):
    quote, speaker = only_quote(
        run('John Smith told reporters: "The talks have failed completely and we are leaving."')
    )
    assert speaker == "John Smith"
    assert quote["cue"]["text"] == "told"


def test_guillemets(run):
    _quote, speaker = only_quote(
        run("«The economy will grow by three percent this year,» Anna Petrova said.")
    )
    assert speaker == "Anna Petrova"


def test_multi_paragraph_quote_is_one_quote(run):
    text = (
        "Anna Petrova spoke at the opening.\n\n"
        "“The first thing we need is money for the schools.\n\n"
        "“The second thing is time to spend it well,” she said."
    )
    record = run(text)
    assert len(record["quotes"]) == 1
    quote = record["quotes"][0]
    assert "first thing" in quote["content"]["text"] and "second thing" in quote["content"]["text"]
    assert names(record)[quote["speaker"]] == "Anna Petrova"
    assert quote["speaker_mention"]["text"] == "she"


def test_mixed_quote(run):
    text = "Anna Petrova said that the plan, in her view, “will fail within a year unless it changes.”"
    quote, speaker = only_quote(run(text))
    assert quote["type"] == "mixed"
    assert speaker == "Anna Petrova"
    assert quote["content"]["text"].startswith("that the plan")


def test_scare_quotes_are_not_statements(run):
    record = run("The so-called “reform” was passed on Monday by the parliament.")
    assert record["quotes"] == []


# ---- indirect quotes ------------------------------------------------------------


def test_indirect_that_clause(run):
    quote, speaker = only_quote(run("Anna Petrova said that the government would cut taxes next year."))
    assert quote["type"] == "indirect"
    assert speaker == "Anna Petrova"
    assert quote["content"]["text"] == "that the government would cut taxes next year"


def test_indirect_cue_after_content(run):
    quote, _ = only_quote(run("The government will cut taxes next year, officials said."))
    assert quote["content"]["text"] == "The government will cut taxes next year"
    assert quote["speaker_mention"]["text"] == "officials"
    assert quote["speaker"] is None


def test_according_to(run):
    text = "Anna Petrova spoke on Monday. According to her, the bridge will open in May."
    record = run(text)
    quote = next(q for q in record["quotes"] if q["cue"]["text"] == "According to")
    assert quote["content"]["text"] == "the bridge will open in May"
    assert names(record)[quote["speaker"]] == "Anna Petrova"


def test_in_his_words(run):
    text = "Ivan Petrov arrived in Moscow. In his words, the talks were productive and friendly."
    record = run(text)
    quote = next(q for q in record["quotes"] if q["cue"]["text"] == "In his words")
    assert names(record)[quote["speaker"]] == "Ivan Petrov"
    assert quote["content"]["text"] == "the talks were productive and friendly"


def test_expressed_confidence(run):
    quote, speaker = only_quote(
        run("Ivan Petrov expressed confidence that the agreement would be signed soon.")
    )
    assert speaker == "Ivan Petrov"
    assert quote["cue"]["text"] == "expressed confidence"


def test_reporting_verb_inside_direct_quote_is_not_a_second_quote(run):
    text = "“You know that we are ready to help you with everything,” Ivan Petrov said."
    assert len(run(text)["quotes"]) == 1


# ---- speakers ------------------------------------------------------------


def test_surname_speaker_joins_full_name(run):
    text = "Ivan Petrov opened the meeting. “We are ready to sign the agreement today,” Petrov said."
    record = run(text)
    _quote, speaker = only_quote(record)
    assert speaker == "Ivan Petrov"
    petrov = next(e for e in record["entities"] if e["name"] == "Ivan Petrov")
    assert {m["kind"] for m in petrov["mentions"]} == {"name", "surname"}


def test_pronoun_skips_people_named_in_quotes_and_credits(run):
    text = (
        "Ivan Petrov opened the meeting.\n\n"
        "Photo credit: Oleg Sidorov\n\n"
        "“Nobody believed Maria Lopez when she said it,” he said."
    )
    record = run(text)
    quote = record["quotes"][0]
    assert names(record)[quote["speaker"]] == "Ivan Petrov"


def test_title_only_speaker_known_from_roles(run):
    text = (
        "The visit was announced by the Russian President, Vladimir Putin, on Monday. "
        "“The visit will strengthen our friendship with the neighbours,” the Russian President said."
    )
    record = run(text)
    quote = next(q for q in record["quotes"] if "friendship" in q["content"]["text"])
    assert names(record)[quote["speaker"]] == "Vladimir Putin"
    assert not any(r["inferred"] for r in record["roles"])


def test_title_only_speaker_inferred_from_discourse(run):
    text = (
        "Erlan Karin spoke at the forum. “We are grateful to our hosts for the warm welcome,” he said.\n\n"
        "“A lot of work has been done this year,” the State Counselor said."
    )
    record = run(text)
    quote = record["quotes"][-1]
    assert names(record)[quote["speaker"]] == "Erlan Karin"
    (role,) = [r for r in record["roles"] if r["inferred"]]
    assert role["title"] == "State Counselor"
    assert quote["speaker_title"] == "State Counselor"


# ---- roles ------------------------------------------------------------


def _role(record, person):
    by_id = names(record)
    return [r for r in record["roles"] if by_id[r["person"]] == person]


def test_role_title_before_name_with_org_prefix(run):
    (role,) = _role(
        run("TASS Director General Andrey Kondrashov opened the exhibition."), "Andrey Kondrashov"
    )
    assert (role["title"], role["org_name"]) == ("Director General", "TASS")
    assert role["evidence"]["text"] == "TASS Director General Andrey Kondrashov"


def test_role_possessive(run):
    record = run("Kazakhstan’s Ambassador to Russia Dauren Abayev attended the reception.")
    (role,) = _role(record, "Dauren Abayev")
    assert role["title"] == "Ambassador to Russia"
    assert role["org_name"] == "Kazakhstan"


def test_role_apposition_after(run):
    record = run("Dmitry Peskov, the Press Secretary of the Russian President, spoke to reporters.")
    (role,) = _role(record, "Dmitry Peskov")
    assert role["title"] == "Press Secretary"
    assert role["org_name"] == "Russian President"


def test_role_copula(run):
    record = run("John Smith is the chief executive of Acme Corporation.")
    (role,) = _role(record, "John Smith")
    assert "executive" in role["title"].lower()


def test_role_modifier_former(run):
    record = run("Former Prime Minister John Major criticised the plan on Tuesday.")
    (role,) = _role(record, "John Major")
    assert role["modifier"] == "former"
    assert role["title"] == "Prime Minister"


def test_retired_title_is_not_the_speaker_title(run):
    record = run("Retired General John Smith said that the army would need more soldiers.")
    quote, speaker = only_quote(record)
    assert speaker == "John Smith"
    (role,) = _role(record, "John Smith")
    assert (role["title"], role["modifier"]) == ("General", "retired")
    # an ending modifier: the office is not the speaker's title at the time of the quote
    assert quote["speaker_title"] is None


def test_title_not_inside_person_span(run):
    record = run(
        "The delegation includes Vice Speaker of the Majilis of the Kazakh Parliament Daniya Yespayeva."
    )
    people = [e["name"] for e in record["entities"] if e["type"] == "PERSON"]
    assert people == ["Daniya Yespayeva"]


def test_possessive_not_in_span(run):
    record = run("Vladimir Putin’s visit to Astana was a success, Vladimir Putin said later.")
    putin = next(e for e in record["entities"] if e["name"] == "Vladimir Putin")
    assert [m["text"] for m in putin["mentions"] if m["kind"] == "name"] == [
        "Vladimir Putin",
        "Vladimir Putin",
    ]


# ---- credits ------------------------------------------------------------


def test_credit_forms():
    text = "By Jane Doe\n\nMOSCOW (Reuters) - Prices rose.\n\nPhoto: Ivan Ivanov/TASS\n\nPhoto credit: Saparbek Zhaksylyk"
    credits, _lines = find_credits(text)
    kinds = [(c["kind"], c["name"]) for c in credits]
    assert kinds == [
        ("byline", "Jane Doe"),
        ("agency", "Reuters"),
        ("photo", "Ivan Ivanov"),
        ("photo", "Saparbek Zhaksylyk"),
    ]
    assert credits[2]["agency"] == "TASS"
    for credit in credits:
        assert text[credit["start"] : credit["end"]] == credit["name"]


def test_credit_line_is_never_a_quote(run):
    record = run("Photo credit: “Saparbek Zhaksylyk of the Kazakh press agency”\n\nThe forum opened.")
    assert record["quotes"] == []


def test_by_in_a_sentence_is_not_a_byline():
    credits, _ = find_credits("By 2030 the government plans to double the number of schools in the region.")
    assert credits == []


# ---- robustness ------------------------------------------------------------

_QUOTEY = st.sampled_from([*"“”«»\"'‘’„ \n.,;:", "he said", " She ", "According to", "President "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=30), _QUOTEY), max_size=40).map("".join))
def test_no_text_crashes_the_extractor(nlp, text):
    record = extract(Article(text or " ", date="2024-11-18"), nlp)
    body = record["article"]["text"]
    for quote in record["quotes"]:
        for key in ("content", "cue", "speaker_mention"):
            part = quote[key]
            if part:
                assert 0 <= part["start"] <= part["end"] <= len(body)
                assert body[part["start"] : part["end"]] == part["text"]
    for time in record["times"]:
        assert body[time["start"] : time["end"]] == time["text"]


def test_very_long_sentence(run):
    text = "He said that " + ", and ".join(["the “plan” will work"] * 800) + "."
    record = run(text)
    assert isinstance(record["quotes"], list)


def test_transcript_lines(run):
    text = (
        "Chris Wallace interviewed Mike Pence on Sunday.\n\n"
        "WALLACE: Will Gennifer Flowers be at the debate tomorrow?\n\n"
        "PENCE: Gennifer Flowers will not be attending the debate tomorrow night."
    )
    record = run(text)
    by_id = names(record)
    said = [
        (by_id.get(q["speaker"]), q["speaker_mention"]["text"], q["cue"]["text"]) for q in record["quotes"]
    ]
    assert said == [("Chris Wallace", "WALLACE", ":"), ("Mike Pence", "PENCE", ":")]


def _pieces(record) -> tuple[list[str], set[str | None], set[str | None]]:
    """The contents of a quotation cut by its attribution, and the speakers and cues they share."""
    quotes = record["quotes"]
    names = {e["id"]: e["name"] for e in record["entities"]}
    return (
        [q["content"]["text"] for q in quotes],
        {names.get(q["speaker"] or "") for q in quotes},
        {(q["cue"] or {}).get("text") for q in quotes},
    )


def test_quote_split_by_its_cue_is_two_pieces_of_one_speaker(run):
    # a direct quote never contains its own attribution (issue 11)
    text = "“It's heartbreaking,” Ryan said. “This country has to find new ways to heal.”"
    contents, speakers, cues = _pieces(run(text))
    assert contents == ["It's heartbreaking", "This country has to find new ways to heal."]
    assert (speakers, cues) == ({"Ryan"}, {"said"})


def test_cue_after_content_takes_the_whole_clause(run):
    text = "Clinton had told police that she did not want the escort, but the police overruled that request, the source added."
    quote, _ = only_quote(run(text))
    assert quote["content"]["text"].startswith("Clinton had told police")
    assert quote["speaker_mention"]["text"] == "the source"


def test_trailing_aside_is_not_content(run):
    text = (
        "Trump said that paying no income taxes was smart, although he again refused to release his returns."
    )
    said = next(q for q in run(text)["quotes"] if q["cue"]["text"] == "said")
    assert said["content"]["text"] == "that paying no income taxes was smart"


def test_parenthetical_cue(run):
    quote, _ = only_quote(run("But to prevent problems, he said, local officials should be vigilant."))
    assert quote["cue"]["text"] == "said"
    assert quote["content"]["text"] == "But to prevent problems, he said, local officials should be vigilant"


def test_according_to_at_the_end(run):
    text = "Donald Trump repeatedly demeaned women with sexist language, according to show insiders."
    quote, _ = only_quote(run(text))
    assert quote["content"]["text"] == "Donald Trump repeatedly demeaned women with sexist language"
    assert "insiders" in quote["speaker_mention"]["text"]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Trump called for female contestants to wear shorter dresses.",
            "called for",
            "female contestants to wear shorter dresses",
        ),
        (
            "She wants to triple the size of the AmeriCorps program.",
            "wants",
            "to triple the size of the AmeriCorps program",
        ),
    ],
)
def test_object_attributions_have_low_confidence(run, text, cue, content):
    quote, _ = only_quote(run(text))
    assert (quote["cue"]["text"], quote["content"]["text"]) == (cue, content)
    assert quote["confidence"] < 0.5


def test_quote_resumed_after_cue_with_comma(run):
    text = "“Now that I am free,” he told the host, “it was demoralizing to work there.”"
    contents, _, cues = _pieces(run(text))
    assert contents == ["Now that I am free", "it was demoralizing to work there."]
    assert len(cues) == 1


def test_double_apostrophe_quotes(run):
    text = "''That's Mexico's vulnerability,'' said Luis Rubio, who heads a research center."
    quote, speaker = only_quote(run(text))
    assert quote["content"]["text"] == "That's Mexico's vulnerability"
    assert speaker == "Luis Rubio"


def test_noun_cue_with_that_clause(run):
    record = run("Politifact checked Trump’s claim that there have been thousands of shootings in Chicago.")
    quote = next(q for q in record["quotes"] if q["cue"]["text"] == "claim")
    assert quote["content"]["text"] == "that there have been thousands of shootings in Chicago"
    assert quote["speaker_mention"]["text"] == "Trump’s"


def test_role_modifier_newly_appointed(run):
    record = run("Newly appointed Foreign Minister Murat Nurtleu met the press on Friday.")
    (role,) = _role(record, "Murat Nurtleu")
    assert role["modifier"] == "newly appointed"
    assert role["title"] == "Foreign Minister"


def test_indefinite_title_speaker_is_not_inferred(run):
    text = "Bill Clinton arrived in Ohio. “The president will speak on Friday,” a White House spokesman said."
    record = run(text)
    quote = record["quotes"][0]
    assert quote["speaker"] is None
    assert not any(r["inferred"] for r in record["roles"])


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # the date after the verb is not part of the cue
        ("Obama said Friday that the plan would lower premiums for families.", "said"),
        # auxiliaries join the cue of an object attribution
        ("Trump is promising to lift environmental regulations across the country.", "is promising"),
        # a raising verb joins the infinitive it completes
        ("Trump appeared to suggest that the election was rigged against him.", "appeared to suggest"),
    ],
)
def test_cue_span(run, text, cue):
    quote, _ = only_quote(run(text))
    assert quote["cue"]["text"] == cue


def test_object_cue_learnt_from_polnear_train(run):
    quote, speaker = only_quote(run("Senator Sanders has denounced the trade deal with Mexico."))
    assert speaker == "Sanders"
    assert quote["cue"]["text"] == "has denounced"
    assert quote["content"]["text"] == "the trade deal with Mexico"
    assert quote["confidence"] < 0.5


def test_quote_continued_after_its_cue(run):
    text = "“We will not back down on this,” she continued. “Our families deserve better than that.”"
    contents, _, cues = _pieces(run(text))
    assert contents == ["We will not back down on this", "Our families deserve better than that."]
    assert cues == {"continued"}


def test_object_attribution_keeps_its_modifiers(run):
    quote, _ = only_quote(
        run("Strada accused the Saudi government of attempting to intimidate the families.")
    )
    assert quote["content"]["text"] == "the Saudi government of attempting to intimidate the families"


def test_including_is_part_of_a_reported_clause(run):
    quote, _ = only_quote(
        run("Officials said that several agencies would take part, including the Federal Reserve.")
    )
    assert quote["content"]["text"].endswith("including the Federal Reserve")


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        (
            "WASHINGTON -- President Obama said the deal was a good one for American workers.",
            "President Obama",
        ),
        (
            "Sen. Ted Cruz (R-Tex.) said the deal was a bad one for American workers.",
            "Sen. Ted Cruz (R-Tex.)",
        ),
    ],
)
def test_speaker_mention_bounds(run, text, mention):
    quote, _ = only_quote(run(text))
    assert quote["speaker_mention"]["text"] == mention


def test_a_title_in_quote_marks_is_not_a_statement(run):
    record = run(
        "On Tuesday’s episode of “The Steve Harvey Morning Show,” the former secretary of state spoke."
    )
    assert record["quotes"] == []


def test_bare_surname_after_the_full_name_is_the_same_person(run):
    record = run(
        "Russian security chief Alexander Lebed flew to Chechnya on Friday. "
        "Interfax said Lebed would meet rebel leaders. Lebed arrived late."
    )
    people = [e for e in record["entities"] if e["type"] == "PERSON"]
    lebed = next(p for p in people if p["name"] == "Alexander Lebed")
    assert sum(m["text"] == "Lebed" for m in lebed["mentions"]) == 2
    assert not any(e["name"] == "Lebed" and e["type"] != "PERSON" for e in record["entities"])


def test_relative_pronoun_speaker_is_its_antecedent(run):
    record = run(
        "Celebrities attended, including Stevie Wonder, who joked of the museum, ''I haven't seen it yet, but I'm going to.''"
    )
    quote, speaker = only_quote(record)
    assert speaker == "Stevie Wonder"
    assert quote["speaker_mention"]["text"] == "who"
    assert quote["cue"]["text"] == "joked"


def test_quote_signed_with_a_dash(run):
    record = run(
        "“The most unqualified child to ever run for president.” ― Francisco Herrero\nMore letters follow."
    )
    quote, speaker = only_quote(record)
    assert speaker == "Francisco Herrero"
    assert quote["speaker_mention"]["text"] == "Francisco Herrero"


def test_long_subject_between_quote_and_cue(run):
    quote, speaker = only_quote(
        run(
            "“They wouldn’t get an immunity deal,” Rep. Jim Jordan (R-Ohio), an oversight panel member, said."
        )
    )
    assert speaker == "Jim Jordan"
    assert quote["cue"]["text"] == "said"
