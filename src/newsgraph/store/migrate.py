"""Bring a store's schema up to date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.store.schema import metadata

if TYPE_CHECKING:
    from newsgraph.store import Store


def upgrade(store: Store) -> None:
    metadata.create_all(store.engine)
