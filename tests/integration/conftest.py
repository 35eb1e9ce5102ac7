"""A real PostgreSQL database for the integration tests: created for the session, dropped after."""

from __future__ import annotations

import os
import secrets
import typing as t
from dataclasses import replace

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dispatch.context import Context
from dispatch.db import upgrade
from dispatch.jobs.handover import start
from dispatch.models import Base
from tests.conftest import MONDAY_MORNING
from tests.integration import factories
from tests.integration import rq_support

ADMIN_URL = os.environ.get("DISPATCH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def pg_url() -> t.Iterator[str]:
    """URL of a fresh database with the schema migrated to head."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"dispatch_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as e:
        pytest.fail(f"PostgreSQL is needed for the integration tests ({ADMIN_URL}; set DISPATCH_TEST_DATABASE_URL): {e}")
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def ctx(pg_url: str, settings) -> t.Iterator[Context]:
    """A context on the test database with the clock at Monday 10:00 in Almaty; emptied after each test."""
    context = start(replace(settings, database_url=pg_url), migrate=False, pool_size=25, max_overflow=5)
    context.clock = lambda: MONDAY_MORNING
    try:
        yield context
    finally:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        with context.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        context.close()


@pytest.fixture
def rq_ctx(ctx: Context) -> t.Iterator[Context]:
    """The test context on real RQ (see :mod:`rq_support`)."""
    yield from rq_support.rq_context(ctx)


@pytest.fixture
def world(ctx: Context) -> factories.World:
    """Two branches, an eligible reader and a handful of books (see :mod:`factories`)."""
    return factories.standard_world(ctx)
