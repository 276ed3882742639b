"""Where a quote starts and ends (issue 11): never across its own attribution, whole over
paragraphs, and nothing from headlines, titles or scare quotes. Each test runs a short
made-up article through the real pipeline."""

from __future__ import annotations

import pytest

from newsgraph.article import Article
from newsgraph.extract import Extractor
from newsgraph.extract.quotes.finder import headline_end
from newsgraph.extract.quotes.marks import scan_quote_marks


@pytest.fixture(scope="module")
def extractor(nlp) -> Extractor:
    return Extractor(nlp=nlp)


@pytest.fixture(scope="module")
def run(extractor):
    def _run(text: str):
        record = extractor(Article(text, date="2005-03-01"))
        names = {e["id"]: e["name"] for e in record["entities"]}
        return [
            {
                "content": q["content"]["text"],
                "cue": q["cue"]["text"] if q["cue"] else None,
                "speaker": names.get(q["speaker"]),
                "via": q.get("speaker_via"),
            }
            for q in record["quotes"]
        ]

    return _run


def quoting(quotes, fragment):
    found = [q for q in quotes if fragment in q["content"]]
    assert len(found) == 1, (fragment, quotes)
    return found[0]


# ---- a quote never contains its own attribution ---------------------------------


def test_quote_cut_by_its_attribution_is_two_pieces_of_one_speaker(run):
    quotes = run(
        'Mayor Anna Berg spoke to reporters on Tuesday.\n\n"We will win," she said. "The people want it."'
    )
    first, second = quoting(quotes, "We will win"), quoting(quotes, "The people want it")
    assert first["content"] == "We will win"
    assert second["content"] == "The people want it."
    assert first["speaker"] == second["speaker"] == "Anna Berg"
    assert first["cue"] == second["cue"] == "said"
    assert not any("she said" in q["content"] for q in quotes)


def test_named_speaker_with_apposition_between_the_pieces(run):
    quotes = run(
        "The pound fell against the dollar.\n\n"
        "“The market is nervous about the deficit,” said Robert Sinche, head of currency strategy "
        "at Harlow Bank. “Nobody wants to hold sterling this week.”"
    )
    assert not any("Sinche" in q["content"] for q in quotes)
    first = quoting(quotes, "The market is nervous")
    second = quoting(quotes, "Nobody wants to hold sterling")
    assert first["speaker"] == second["speaker"] == "Robert Sinche"


def test_quote_resumed_after_a_comma_cue(run):
    quotes = run("“Now that I am free,” he told the host, “it was demoralizing to work there.”")
    assert [q["content"] for q in quotes] == ["Now that I am free", "it was demoralizing to work there."]


def test_parenthetical_attribution_inside_a_quotation_is_left_out(run):
    quotes = run(
        "Senator Tom Hale spoke about the deficit.\n\n"
        '"That," he added, "promises to make life a lot more difficult for our children."'
    )
    assert not any("he added" in q["content"] for q in quotes)
    rest = quoting(quotes, "promises to make life")
    assert rest["content"] == "promises to make life a lot more difficult for our children."
    assert rest["speaker"] == "Tom Hale"


def test_attribution_after_a_question_is_the_cue_of_both_pieces(run):
    quotes = run(
        "Senator Lindsey Graham spoke on Friday.\n\n"
        "“Does anybody know what the environmental platform of the party is?” Graham asked. “Neither do I.”"
    )
    question, answer = quoting(quotes, "Does anybody know"), quoting(quotes, "Neither do I")
    assert question["cue"] == answer["cue"] == "asked"
    assert question["speaker"] == answer["speaker"] == "Lindsey Graham"


def test_attribution_with_a_long_apposition_after_the_quote(run):
    quotes = run(
        "''It has the important virtue of being fiscally responsible,'' Leonard Burman, director of the "
        "Tax Policy Center and a professor at the Maxwell School of Syracuse University, said of the plan. "
        "''It doesn't make our long-term fiscal problems worse.''"
    )
    first, second = quoting(quotes, "important virtue"), quoting(quotes, "fiscal problems worse")
    assert first["speaker"] == second["speaker"] == "Leonard Burman"
    assert first["cue"] == "said"


def test_quoted_words_inside_a_reported_sentence_are_not_pieces_of_one_quotation(run):
    quotes = run(
        "Bernie Sanders spoke in Iowa on Monday. Mr Sanders said that there are still "
        '"some people" who feel that way, "but not among the vast majority."'
    )
    assert [q["content"] for q in quotes] == [
        'that there are still "some people" who feel that way, "but not among the vast majority.'
    ]


def test_a_second_statement_between_two_quotations_is_no_attribution_of_the_first(run):
    quotes = run(
        "The foundation did not want to address “that person,” telling reporters that the "
        "organization is focused on “ending senseless gun violence.”"
    )
    focused = quoting(quotes, "ending senseless gun violence")
    assert focused["content"].startswith("that the organization is focused on")


def test_indirect_parenthetical_keeps_its_content_whole(run):
    # nothing is in quote marks, so PolNeAR's one content through the cue stands
    quotes = run("But to prevent problems, he said, local officials should be vigilant.")
    assert [q["content"] for q in quotes] == [
        "But to prevent problems, he said, local officials should be vigilant"
    ]


def test_quotation_inside_a_quotation_does_not_cut_it(run):
    quotes = run(
        "Finance Minister Paul Karlsson defended the budget.\n\n"
        "“It keeps our promise to pensioners, who told us “enough is enough” last year,” Mr Karlsson said."
    )
    said = quoting(quotes, "It keeps our promise")
    assert said["content"].endswith("“enough is enough” last year")
    assert said["speaker"] == "Paul Karlsson"


# ---- quotations over several paragraphs ----------------------------------------


def test_quotation_over_paragraphs_is_one_statement_with_its_speaker(run):
    quotes = run(
        "Finance Minister Paul Karlsson defended the budget on Monday.\n\n"
        '"This is a budget for growth," Mr Karlsson told parliament. "It cuts taxes for families.\n\n'
        '"It also keeps our promise to pensioners. We said we would protect them and we have.\n\n'
        '"Nobody should doubt our commitment."\n\n'
        "The opposition leader, Maria Lund, said the plan would fail."
    )
    rest = quoting(quotes, "It cuts taxes")
    assert "It also keeps our promise" in rest["content"]
    assert rest["content"].endswith("Nobody should doubt our commitment.")
    assert "told parliament" not in rest["content"]
    assert rest["speaker"] == "Paul Karlsson"
    assert quoting(quotes, "This is a budget for growth")["speaker"] == "Paul Karlsson"


def test_quotation_in_straight_marks_over_paragraphs_is_not_cut_at_its_inner_quotation(run):
    quotes = run(
        "Police chief Tom Harris closed the inquiry.\n\n"
        '"We told the family "no" and they accepted it, and we thank them," he said.\n\n'
        '"We have found no evidence of a crime.\n\n'
        '"The case is now over."'
    )
    assert quoting(quotes, "We told the family")["content"].endswith("and we thank them")
    rest = quoting(quotes, "We have found no evidence")
    assert rest["content"].endswith("The case is now over.")
    assert rest["speaker"] == "Tom Harris"


def test_paragraph_that_only_quotes_continues_the_speaker_before_it(run):
    quotes = run(
        "Health Secretary John Reid visited the hospital on Friday.\n\n"
        '"The staff here do remarkable work," Mr Reid said.\n\n'
        '"We have cut waiting times by half in two years."\n\n'
        "Critics were not convinced."
    )
    follow = quoting(quotes, "We have cut waiting times")
    assert follow["speaker"] == "John Reid"
    assert follow["via"] == "continuation"


def test_no_continuation_after_a_quote_without_a_speaker(run):
    quotes = run(
        'The report was published on Friday.\n\n"Nobody reads these reports any more at all."\n\n'
        '"They go straight into a drawer in the ministry."'
    )
    follow = quoting(quotes, "They go straight into a drawer")
    assert follow["speaker"] is None
    assert follow["via"] is None


def test_cue_ending_the_paragraph_above(run):
    quotes = run(
        'Pollster Pat Caddell spoke on Monday. "Voters are worried," said Caddell.\n\n'
        "Caddell continued:\n\n"
        '"The health issue is very much a partisan issue, but the numbers are the same."'
    )
    follow = quoting(quotes, "The health issue")
    assert follow["cue"] == "continued"
    assert follow["speaker"] == "Pat Caddell"


# ---- headlines, titles and scare quotes ---------------------------------------------


def test_headline_is_no_statement(run):
    quotes = run(
        "Labour plans maternity pay rise\n\n"
        "Maternity pay for new mothers is to rise, Health Secretary John Reid said on Sunday."
    )
    assert [q["content"] for q in quotes] == ["Maternity pay for new mothers is to rise"]


def test_quoted_words_in_a_headline_are_no_statement(run):
    quotes = run(
        'Blair "sorry" over hospital closures\n\nThe prime minister visited Leeds on Friday to open a school.'
    )
    assert quotes == []


@pytest.mark.parametrize(
    ("text", "has_headline"),
    [
        ("Labour plans maternity pay rise\n\nBody.", True),
        ("Pence: Trump will win the debate.\n\nBody.", False),
        ("“The most unqualified child to ever run for president.” ― Francisco Herrero\nMore.", False),
        ("Talks collapse;\nBody.", False),
        ("One line only, no break", False),
    ],
)
def test_what_counts_as_a_headline(text, has_headline):
    assert (headline_end(text) > 0) is has_headline


def test_scare_quotes_and_titles_are_no_statements(run):
    quotes = run(
        'The government unveiled its so-called "reforms" on Monday.\n\n'
        'The minister wrote a book titled "How the war was really lost in the end" last year.\n\n'
        "The programme, dubbed “the people's plan for a new century”, will cost 2bn.\n\n"
        'Critics see a sequel to the "Axis of Evil" in it.'
    )
    assert quotes == []


def test_a_thing_called_something_is_no_statement_but_what_somebody_called_it_is(run):
    quotes = run(
        "A man in Nova Scotia has set up a website called “Cape Breton if the other man wins in November”.\n\n"
        "The plan was drawn up in 2009, under what Mayor John Hedge called “the failed economic model of the past decade”."
    )
    assert [(q["content"], q["speaker"]) for q in quotes] == [
        ("the failed economic model of the past decade", "John Hedge")
    ]


def test_calling_somebody_something_is_still_an_attribution(run):
    quotes = run('Senator Ted Cruz called Donald Trump a "pathological liar" on Tuesday.')
    assert len(quotes) == 1
    assert "pathological liar" in quotes[0]["content"]


def test_agency_rubric_is_no_speaker(run):
    quotes = run("The Latest: Trump delivers a speech in Iowa.\n\nThe Republican nominee spoke for an hour.")
    assert quotes == []


def test_quote_signed_on_its_own_line(run):
    quotes = run(
        "Readers wrote to us after the debate.\n"
        "“He can’t even answer a question without scaring people about something else first.”\n"
        "― Esther Tapia\u00a0\n"
        "More letters follow."
    )
    signed = quoting(quotes, "He can’t even answer")
    assert signed["speaker"] == "Esther Tapia"


# ---- the scanner --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('"A," he said. "B."', ["A,", "B."]),
        ("“A,” he said. “B.”", ["A,", "B."]),
        ('"We told them "no" and they listened," he said.', ['We told them "no" and they listened,']),
        ("“It told us “enough” last year.”", ["It told us “enough” last year."]),
        # a lost closing mark: the new quote after a sentence end is a new quote
        ("“A, he said. “B.”", ["A, he said. ", "B."]),
        # a straight opener closed by a curly mark
        ("\"A bully pulpit,” said David Gorski. “He can't.”", ["A bully pulpit,", "He can't."]),
        ('"A\n\n"B," he said', ['A\n\n"B,']),
        # a curly opener closed by a straight mark, and a straight quotation inside a curly one
        ('“Deals are no requirement," he said.', ["Deals are no requirement,"]),
        ('“He said "no" to me,” she said.', ['He said "no" to me,']),
    ],
)
def test_scan_quote_marks(text, inner):
    assert [text[m.inner_start : m.inner_end] for m in scan_quote_marks(text)] == inner
