"""How far each kind of evidence for a quote is trusted, in one table.

A quote starts from the confidence of the evidence that found it; an
indirect quote that takes in a quote in marks is raised to at least
`with_quote_marks`; the factors then scale it for a quote whose closing mark
never came and for what is known of the speaker. The result is clipped to
[0, 1] and rounded to three places.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Confidences:
    """Starting confidences by the evidence that found a quote, then the factors that scale them."""

    # Direct quotes, found from quote marks.
    direct_with_cue: float = 0.9  # a reporting verb after or before the marks, or a dash signature
    direct_continuing: float = 0.5  # no cue, but a paragraph of its own right after another quote
    direct_without_cue: float = 0.3
    transcript_turn: float = 0.6  # "PENCE: ..." in an interview transcript
    # Indirect quotes, found from the parse.
    verb_with_clause: float = 0.75  # "said that ...", "..., officials said"
    parenthetical_verb: float = 0.7  # "But, he said, local officials should be vigilant."
    stance_noun: float = 0.7  # "expressed confidence that ..."
    according_to: float = 0.75  # "according to X, ..."
    in_words: float = 0.75  # "in his words, ..."
    noun_with_clause: float = 0.5  # "Trump's claim that ..."
    # "called for a repeal": an attribution in the PolNeAR sense rather than a statement.
    verb_with_object: float = 0.45
    # An indirect quote that takes in a quote in marks: the marks confirm it.
    with_quote_marks: float = 0.85
    # Factors.
    unclosed: float = 0.8  # the paragraph ended before the closing mark came
    no_speaker: float = 0.6  # the speaker is no known entity ("officials", "I")
    pronoun_speaker: float = 0.95  # the speaker is a pronoun resolved to a person


CONFIDENCE = Confidences()
