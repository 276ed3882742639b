"""Covering indexes for `who` at corpus scale.

`who` sums up reports per person and office in SQL; with every column it
reads in one index, SQLite and PostgreSQL answer from the index alone
instead of visiting each matching role row. The evidence it shows for the
holders it names is the first few reports of each, found by person and office.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OFFICE_COLUMNS = ["title_key", "person_id", "org_key", "as_of", "modifier", "inferred", "title", "org"]


def upgrade() -> None:
    op.create_index("ix_roles_office", "roles", OFFICE_COLUMNS)
    op.create_index("ix_roles_person_office", "roles", ["person_id", "title_key", "as_of"])


def downgrade() -> None:
    op.drop_index("ix_roles_person_office", table_name="roles")
    op.drop_index("ix_roles_office", table_name="roles")
