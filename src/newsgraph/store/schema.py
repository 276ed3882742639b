"""The knowledge base's tables (SQLAlchemy Core), for SQLite and PostgreSQL alike.

Every fact row carries its evidence: the article id, character offsets into
that article's text and the extractor version that produced it. Global ids
of people, organisations and places are minted once and never change;
curation (merge, split, reject) is recorded, not applied destructively, so
re-ingesting an article reproduces the same curated view.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text),
    Column("extractor_version", String(32)),
    Column("added", Integer, nullable=False, default=0),
    Column("replaced", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("path", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("path", Text),
    Column("date", Date, index=True),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("meta", JSON, nullable=False, default=dict),
    Column("extractor_version", String(32), nullable=False),
    Column("model", String(128), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("type", String(16), nullable=False, index=True),
    Column("name", Text, nullable=False),
    # the normalised full name the id was minted for
    Column("key", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

aliases = Table(
    "aliases",
    metadata,
    Column("entity_id", String(32), ForeignKey("entities.id"), nullable=False, index=True),
    Column("type", String(16), nullable=False),
    Column("key", Text, nullable=False),
    Column("alias", Text, nullable=False),
    UniqueConstraint("type", "key", "entity_id", name="uq_aliases_type_key_entity"),
    Index("ix_aliases_type_key", "type", "key"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(128), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("entity_id", String(32), ForeignKey("entities.id"), nullable=False, index=True),
    Column("local_id", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fact_key", String(64), nullable=False, index=True),
    Column(
        "article_id", String(128), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("person_id", String(32), ForeignKey("entities.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("title_key", Text, nullable=False, index=True),
    Column("org", Text),
    Column("org_key", Text),
    Column("org_entity_id", String(32)),
    Column("modifier", String(32)),
    Column("as_of", Date, index=True),
    Column("inferred", Boolean, nullable=False, default=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("extractor_version", String(32), nullable=False),
    # The office as meant, derived from title/org/modifier by `newsgraph.canonical` at write time
    # (and again by migration 0004 and `rederive_offices`), so that "premier", "Prime Minister
    # of Britain" and "British PM" are one office whatever the wording.
    Column("office_title", Text),
    Column("country_code", String(8)),
    Column("office_org", Text),
    Column("office_key", Text),
    Column("status", String(16)),
    # The country the article is mostly about: a weak hint for a report that names none.
    Column("context_country", String(8)),
    # covers `who`: reports summed up per person and office from the index alone
    Index(
        "ix_roles_office",
        "title_key",
        "person_id",
        "org_key",
        "as_of",
        "modifier",
        "inferred",
        "title",
        "org",
    ),
    # evidence for a holder `who` names: the first reports of one person in one office
    Index("ix_roles_person_office", "person_id", "title_key", "as_of"),
    # covers `who`: reports of an office summed up per person, country and organisation
    Index(
        "ix_roles_canonical_office",
        "office_title",
        "person_id",
        "country_code",
        "office_org",
        "status",
        "context_country",
        "as_of",
        "fact_key",
    ),
)

# Corpus-level identity: a person named only by honorific or surname ("Mr Blair") is one with the
# full-name person it can mean. Derived again after every ingest by `store.identity.link_people`;
# unlike a curator's merge it never re-points stored rows, so a later corpus can undo it.
identity_links = Table(
    "identity_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alias_id", String(32), ForeignKey("entities.id"), nullable=False, index=True),
    Column("person_id", String(32), ForeignKey("entities.id"), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Wikidata ids attached by a curator, for an entity id or "office:" + canonical office key.
wikidata_ids = Table(
    "wikidata_ids",
    metadata,
    Column("subject", Text, primary_key=True),
    Column("qid", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

quotes = Table(
    "quotes",
    metadata,
    # hash of the normalised statement: the same words reported twice are one quote
    Column("id", String(32), primary_key=True),
    Column("text", Text, nullable=False),
    Column("first_seen", Date, index=True),
    Column("first_article_id", String(128)),
    Column("speaker_id", String(32), ForeignKey("entities.id"), index=True),
)

quote_occurrences = Table(
    "quote_occurrences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fact_key", String(64), nullable=False, index=True),
    Column("quote_id", String(32), ForeignKey("quotes.id"), nullable=False, index=True),
    Column(
        "article_id", String(128), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("date", Date, index=True),
    Column("type", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("cue", Text),
    Column("speaker_id", String(32), ForeignKey("entities.id"), index=True),
    Column("speaker_mention_start", Integer),
    Column("speaker_mention_end", Integer),
    Column("speaker_mention", Text),
    Column("speaker_title", Text),
    Column("confidence", Float, nullable=False),
    Column("extractor_version", String(32), nullable=False),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(128), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", Text, nullable=False),
    # the value's calendar day where it has one, for timeline queries
    Column("day", Date, index=True),
)

credits = Table(
    "credits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(128), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("agency", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

curation = Table(
    "curation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # merge: subject merged into target; split: subject's mentions in article become target;
    # reject: subject is a fact key
    Column("action", String(16), nullable=False),
    Column("subject", Text, nullable=False, index=True),
    Column("target", Text),
    Column("article_id", String(128)),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)
