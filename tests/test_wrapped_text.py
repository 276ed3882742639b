"""Hard-wrapped text (wires, e-mail): a name wrapped over a line end is one name, while the line
breaks of ordinary text (headlines, credit lines, one paragraph a line) still end sentences."""

from __future__ import annotations

import pytest

from newsgraph.article import Article
from newsgraph.extract import Extractor
from newsgraph.nlp import _soft_wraps

WRAPPED = (
    "Brazil's government said on Tuesday that Finance Minister Luiz\n"
    "Carlos Bresser Pereira would present a new economic plan to the\n"
    "cabinet next week, after talks with creditor banks in New York\n"
    "ended without an agreement on the country's foreign debt.\n"
    "    Officials said the plan would include a wage and price freeze\n"
    "for ninety days and new targets for the public sector deficit.\n"
)


@pytest.fixture(scope="module")
def extractor(nlp) -> Extractor:
    return Extractor(nlp=nlp)


def test_a_name_wrapped_over_a_line_end_is_one_person(extractor):
    record = extractor(Article(WRAPPED, date="1987-06-02"))
    people = {e["name"] for e in record["entities"] if e["type"] == "PERSON"}
    assert "Luiz Carlos Bresser Pereira" in people
    (role,) = [r for r in record["roles"] if r["title"] == "Finance Minister"]
    assert role["evidence"]["text"].endswith("Bresser Pereira")


def test_a_short_first_line_whose_dateline_was_taken_off_still_wraps(extractor):
    lyng = "U.S. Agriculture Secretary Richard\nLyng said he would not agree to an extension of the\n"
    record = extractor(Article(lyng + WRAPPED, date="1987-04-02"))
    assert "Richard Lyng" in {e["name"] for e in record["entities"] if e["type"] == "PERSON"}


def test_only_the_breaks_inside_wrapped_sentences_are_soft():
    breaks = [i for i, c in enumerate(WRAPPED) if c == "\n"]
    # mid-sentence wraps are soft; the break after "debt." and before the indented paragraph is not
    assert _soft_wraps(WRAPPED) == set(breaks[:3]) | {breaks[4]}


@pytest.mark.parametrize(
    "text",
    [
        # a headline and one paragraph a line: long lines, no wrapping
        "Labour plans maternity pay rise\n\nMaternity pay for new mothers is to rise by 1,400 pounds "
        "as part of new proposals announced by the Trade and Industry Secretary Patricia Hewitt.\n"
        "It would mean paid leave would be raised to nine months by 2007, Ms Hewitt told GMTV.\n",
        # short lines: a list, a credit, a dateline
        "ASTANA\nPhoto: Kazinform\nBy Aigerim Sarsenova\nThe forum opened on Monday.\n",
        # one sentence a line, each ending its sentence
        "The minister arrived in Paris on Monday for two days of talks.\n"
        "He met the president of the republic and the prime minister.\n"
        "Both sides said the meeting had gone well and would be repeated.\n"
        "A joint statement is expected on Wednesday after the last meeting.\n",
    ],
)
def test_ordinary_line_breaks_stay_hard(text):
    assert _soft_wraps(text) == set()
