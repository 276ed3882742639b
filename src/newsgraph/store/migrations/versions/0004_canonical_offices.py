"""Canonical offices on role reports, corpus-level identity links and Wikidata ids.

Role reports gain the office they mean (title, country, organisation, key
and status from `newsgraph.canonical`) and the country their article is
mostly about; existing reports get them here, derived from what was stored,
so an old store answers `who` by office without re-extraction and keeps
its curation. `identity_links` holds the links that `store.identity`
derives after each ingest; `wikidata_ids` the ids a curator attaches.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsgraph.store.offices import rederive_offices

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROLE_COLUMNS = [
    sa.Column("office_title", sa.Text()),
    sa.Column("country_code", sa.String(8)),
    sa.Column("office_org", sa.Text()),
    sa.Column("office_key", sa.Text()),
    sa.Column("status", sa.String(16)),
    sa.Column("context_country", sa.String(8)),
]


def upgrade() -> None:
    with op.batch_alter_table("roles") as batch:
        for column in ROLE_COLUMNS:
            batch.add_column(column)
    op.create_index(
        "ix_roles_canonical_office",
        "roles",
        [
            "office_title",
            "person_id",
            "country_code",
            "office_org",
            "status",
            "context_country",
            "as_of",
            "fact_key",
        ],
    )
    op.create_table(
        "identity_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alias_id", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alias_id"], ["entities.id"], name=op.f("fk_identity_links_alias_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["entities.id"], name=op.f("fk_identity_links_person_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_links")),
    )
    op.create_index(op.f("ix_identity_links_alias_id"), "identity_links", ["alias_id"], unique=False)
    op.create_index(op.f("ix_identity_links_person_id"), "identity_links", ["person_id"], unique=False)
    op.create_table(
        "wikidata_ids",
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("qid", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_wikidata_ids")),
    )
    rederive_offices(op.get_bind())


def downgrade() -> None:
    op.drop_table("wikidata_ids")
    op.drop_index("ix_identity_links_person_id", table_name="identity_links")
    op.drop_index("ix_identity_links_alias_id", table_name="identity_links")
    op.drop_table("identity_links")
    op.drop_index("ix_roles_canonical_office", table_name="roles")
    with op.batch_alter_table("roles") as batch:
        for column in reversed(ROLE_COLUMNS):
            batch.drop_column(column.name)
