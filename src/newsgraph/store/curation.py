"""Curation as the store applies it: merges, splits and rejections, read once per transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from newsgraph.store import schema as t


@dataclass
class Curation:
    """Merges, splits and rejections, applied whenever facts are written or read."""

    merged_into: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, conn: Connection) -> Curation:
        curation = cls()
        for row in conn.execute(select(t.curation).order_by(t.curation.c.id)):
            if row.action == "merge":
                curation.merged_into[row.subject] = row.target
            elif row.action == "split" and row.article_id:
                curation.splits[(row.subject, row.article_id)] = row.target
            elif row.action == "reject":
                curation.rejected.add(row.subject)
        return curation

    def canonical(self, entity: str) -> str:
        seen = set()
        while entity in self.merged_into and entity not in seen:
            seen.add(entity)
            entity = self.merged_into[entity]
        return entity

    def for_article(self, entity: str, article_id: str) -> str:
        return self.canonical(self.splits.get((entity, article_id), entity))
