"""Initial schema: the tables of newsgraph.store.schema, and full-text search.

A frozen snapshot: later schema changes get their own revision, never an edit here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# --- Full-text search -------------------------------------------------------
# SQLite: FTS5 external-content tables (the text lives only in quotes/articles),
# indexed by the source rows' rowid and kept in sync by triggers.
# PostgreSQL: a stored generated tsvector column per table with a GIN index.

SQLITE_FTS_UP = [
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='rowid')",
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid')",
    """CREATE TRIGGER quotes_fts_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.rowid, new.text);
    END""",
    """CREATE TRIGGER quotes_fts_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END""",
    """CREATE TRIGGER quotes_fts_au AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO quotes_fts(rowid, text) VALUES (new.rowid, new.text);
    END""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
    # rows already present (none on a fresh store) get indexed too
    "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]

SQLITE_FTS_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}"
        for table in ("quotes", "articles")
        for suffix in ("ai", "ad", "au")
    ),
    "DROP TABLE IF EXISTS quotes_fts",
    "DROP TABLE IF EXISTS articles_fts",
]

POSTGRESQL_FTS_UP = [
    "ALTER TABLE quotes ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', text), 'B')) STORED",
    "CREATE INDEX ix_quotes_tsv ON quotes USING gin (tsv)",
    "CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)",
]

POSTGRESQL_FTS_DOWN = [
    "DROP INDEX IF EXISTS ix_quotes_tsv",
    "DROP INDEX IF EXISTS ix_articles_tsv",
    "ALTER TABLE quotes DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE articles DROP COLUMN IF EXISTS tsv",
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "curation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("article_id", sa.String(length=128), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curation")),
    )
    op.create_index(op.f("ix_curation_subject"), "curation", ["subject"], unique=False)
    op.create_table(
        "entities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_index(op.f("ix_entities_type"), "entities", ["type"], unique=False)
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("command", sa.Text(), nullable=True),
        sa.Column("extractor_version", sa.String(length=32), nullable=True),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "aliases",
        sa.Column("entity_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_aliases_entity_id_entities")),
        sa.UniqueConstraint("type", "key", "entity_id", name="uq_aliases_type_key_entity"),
    )
    op.create_index(op.f("ix_aliases_entity_id"), "aliases", ["entity_id"], unique=False)
    op.create_index("ix_aliases_type_key", "aliases", ["type", "key"], unique=False)
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_articles_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    op.create_index(op.f("ix_articles_date"), "articles", ["date"], unique=False)
    op.create_table(
        "ingest_errors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_ingest_errors_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_errors")),
    )
    op.create_index(op.f("ix_ingest_errors_run_id"), "ingest_errors", ["run_id"], unique=False)
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=True),
        sa.Column("first_article_id", sa.String(length=128), nullable=True),
        sa.Column("speaker_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["speaker_id"], ["entities.id"], name=op.f("fk_quotes_speaker_id_entities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    op.create_index(op.f("ix_quotes_first_seen"), "quotes", ["first_seen"], unique=False)
    op.create_index(op.f("ix_quotes_speaker_id"), "quotes", ["speaker_id"], unique=False)
    op.create_table(
        "credits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_credits_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credits")),
    )
    op.create_index(op.f("ix_credits_article_id"), "credits", ["article_id"], unique=False)
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("entity_id", sa.String(length=32), nullable=False),
        sa.Column("local_id", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_mentions_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_mentions_entity_id_entities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
    )
    op.create_index(op.f("ix_mentions_article_id"), "mentions", ["article_id"], unique=False)
    op.create_index(op.f("ix_mentions_entity_id"), "mentions", ["entity_id"], unique=False)
    op.create_table(
        "quote_occurrences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fact_key", sa.String(length=64), nullable=False),
        sa.Column("quote_id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("speaker_id", sa.String(length=32), nullable=True),
        sa.Column("speaker_mention_start", sa.Integer(), nullable=True),
        sa.Column("speaker_mention_end", sa.Integer(), nullable=True),
        sa.Column("speaker_mention", sa.Text(), nullable=True),
        sa.Column("speaker_title", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_quote_occurrences_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_quote_occurrences_quote_id_quotes")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["entities.id"], name=op.f("fk_quote_occurrences_speaker_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_occurrences")),
    )
    op.create_index(
        op.f("ix_quote_occurrences_article_id"), "quote_occurrences", ["article_id"], unique=False
    )
    op.create_index(op.f("ix_quote_occurrences_date"), "quote_occurrences", ["date"], unique=False)
    op.create_index(op.f("ix_quote_occurrences_fact_key"), "quote_occurrences", ["fact_key"], unique=False)
    op.create_index(op.f("ix_quote_occurrences_quote_id"), "quote_occurrences", ["quote_id"], unique=False)
    op.create_index(
        op.f("ix_quote_occurrences_speaker_id"), "quote_occurrences", ["speaker_id"], unique=False
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fact_key", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("org", sa.Text(), nullable=True),
        sa.Column("org_key", sa.Text(), nullable=True),
        sa.Column("org_entity_id", sa.String(length=32), nullable=True),
        sa.Column("modifier", sa.String(length=32), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("inferred", sa.Boolean(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_roles_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["entities.id"], name=op.f("fk_roles_person_id_entities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    op.create_index(op.f("ix_roles_article_id"), "roles", ["article_id"], unique=False)
    op.create_index(op.f("ix_roles_as_of"), "roles", ["as_of"], unique=False)
    op.create_index(op.f("ix_roles_fact_key"), "roles", ["fact_key"], unique=False)
    op.create_index(op.f("ix_roles_person_id"), "roles", ["person_id"], unique=False)
    op.create_index(op.f("ix_roles_title_key"), "roles", ["title_key"], unique=False)
    op.create_table(
        "times",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_times_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_times")),
    )
    op.create_index(op.f("ix_times_article_id"), "times", ["article_id"], unique=False)
    op.create_index(op.f("ix_times_day"), "times", ["day"], unique=False)
    _run({"sqlite": SQLITE_FTS_UP, "postgresql": POSTGRESQL_FTS_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_FTS_DOWN, "postgresql": POSTGRESQL_FTS_DOWN})
    op.drop_index(op.f("ix_times_day"), table_name="times")
    op.drop_index(op.f("ix_times_article_id"), table_name="times")
    op.drop_table("times")
    op.drop_index(op.f("ix_roles_title_key"), table_name="roles")
    op.drop_index(op.f("ix_roles_person_id"), table_name="roles")
    op.drop_index(op.f("ix_roles_fact_key"), table_name="roles")
    op.drop_index(op.f("ix_roles_as_of"), table_name="roles")
    op.drop_index(op.f("ix_roles_article_id"), table_name="roles")
    op.drop_table("roles")
    op.drop_index(op.f("ix_quote_occurrences_speaker_id"), table_name="quote_occurrences")
    op.drop_index(op.f("ix_quote_occurrences_quote_id"), table_name="quote_occurrences")
    op.drop_index(op.f("ix_quote_occurrences_fact_key"), table_name="quote_occurrences")
    op.drop_index(op.f("ix_quote_occurrences_date"), table_name="quote_occurrences")
    op.drop_index(op.f("ix_quote_occurrences_article_id"), table_name="quote_occurrences")
    op.drop_table("quote_occurrences")
    op.drop_index(op.f("ix_mentions_entity_id"), table_name="mentions")
    op.drop_index(op.f("ix_mentions_article_id"), table_name="mentions")
    op.drop_table("mentions")
    op.drop_index(op.f("ix_credits_article_id"), table_name="credits")
    op.drop_table("credits")
    op.drop_index(op.f("ix_quotes_speaker_id"), table_name="quotes")
    op.drop_index(op.f("ix_quotes_first_seen"), table_name="quotes")
    op.drop_table("quotes")
    op.drop_index(op.f("ix_ingest_errors_run_id"), table_name="ingest_errors")
    op.drop_table("ingest_errors")
    op.drop_index(op.f("ix_articles_date"), table_name="articles")
    op.drop_table("articles")
    op.drop_index("ix_aliases_type_key", table_name="aliases")
    op.drop_index(op.f("ix_aliases_entity_id"), table_name="aliases")
    op.drop_table("aliases")
    op.drop_table("runs")
    op.drop_index(op.f("ix_entities_type"), table_name="entities")
    op.drop_table("entities")
    op.drop_index(op.f("ix_curation_subject"), table_name="curation")
    op.drop_table("curation")
