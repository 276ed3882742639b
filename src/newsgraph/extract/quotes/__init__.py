"""Quotes: direct, indirect and mixed, with cue, speaker and confidence.

Direct quotes come from a quote-mark scanner (`marks`; the parser does not
know quote marks are paired) and the cue verbs around them (`cues`).
Indirect quotes come from the dependency parse (`indirect`): a reporting
verb and its clausal complement, "according to X", "in his words",
"expressed confidence that". A direct quote inside the content of an
indirect one becomes one quote, "mixed" unless it is nearly all of it
(`content`). `speakers` links each quote to an entity and its title;
`confidence` says how far each kind of evidence is trusted.
"""

from newsgraph.extract.quotes.finder import QuoteFinder

__all__ = ["QuoteFinder"]
