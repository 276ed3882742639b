"""The read side of the knowledge base, one module per subject; the CLI and the web app call
the same functions.

* `quotes`: reports of statements, newest or best match first; one quote and its articles
* `people`: a person's names, roles, quotes and who is mentioned with them; people by name
* `offices`: role timelines per person and office; who held an office on a date
* `timeline`: dated time expressions with their sentence and statement
* `articles`: one article with every fact; articles newest first
* `search`: quotes matching some words with facets, and matching articles
* `stats`: counts, and an overview with the most quoted people

Every function takes a `Store` and returns dataclasses whose fields are
JSON-ready (dates as ISO strings); `to_jsonable` turns a result into lists
and dicts. A list is read whole or a page at a time through the same SQL
statement. Curation applies on read, in SQL: rejected facts are left out, and a
merged (or split) entity's facts show under the entity they now belong to.
Names are resolved by `newsgraph.store.resolve`, the one resolver, raising
`NotFound` or `Ambiguous`.
"""

from newsgraph.errors import Ambiguous, NotFound
from newsgraph.query.articles import ArticleSummary, ArticleView, article, article_list
from newsgraph.query.common import Page, to_jsonable
from newsgraph.query.offices import Conflict, Holder, WhoAnswer, who
from newsgraph.query.people import CoMention, PersonView, find_people, people, person, resolve_person
from newsgraph.query.quotes import QuoteHit, QuoteView, quote, quote_page, quotes
from newsgraph.query.roles import Evidence, RoleSpan
from newsgraph.query.search import Facet, QuoteResult, SearchResult, search
from newsgraph.query.stats import Overview, Stats, overview, stats
from newsgraph.query.timeline import TimelineEntry, timeline, timeline_page

__all__ = [
    "Ambiguous",
    "ArticleSummary",
    "ArticleView",
    "CoMention",
    "Conflict",
    "Evidence",
    "Facet",
    "Holder",
    "NotFound",
    "Overview",
    "Page",
    "PersonView",
    "QuoteHit",
    "QuoteResult",
    "QuoteView",
    "RoleSpan",
    "SearchResult",
    "Stats",
    "TimelineEntry",
    "WhoAnswer",
    "article",
    "article_list",
    "find_people",
    "overview",
    "people",
    "person",
    "quote",
    "quote_page",
    "quotes",
    "resolve_person",
    "search",
    "stats",
    "timeline",
    "timeline_page",
    "to_jsonable",
    "who",
]
