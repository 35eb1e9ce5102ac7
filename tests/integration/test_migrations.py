"""Migrations build exactly the schema the models describe, on PostgreSQL and on SQLite."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from dispatch.db import upgrade
from dispatch.models import Base

pytestmark = pytest.mark.integration


def differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_postgresql_schema_matches_the_models(pg_url):
    assert differences(pg_url) == []


def test_sqlite_schema_matches_the_models_and_upgrade_is_repeatable(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    upgrade(url)
    assert differences(url) == []
