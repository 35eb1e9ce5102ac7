"""Fixtures shared by every level of tests: settings, the service area and a fixed clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dispatch.config import Settings
from dispatch.domain.scheduling import WorkCalendar
from dispatch.domain.service_area import ServiceArea

ALMATY = ZoneInfo("Asia/Almaty")
# Monday 23 November 2026, 10:00 in Almaty: before the 14:00 cut-off, so requests go to Tuesday.
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
CENTRE = (43.2389, 76.9455)  # near the Republic Square, inside the service area
TALGAR = (43.3030, 77.2350)  # a town east of the city, outside it


PLAN_SOLUTION_LIMIT = 100
"""Solutions after which every planning search in the tests stops: the same plan on every run, however
busy the machine, and no test waits for the solver's time limit (which stays only as an upper bound)."""


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Defaults, untouched by the developer's environment, except the solution limit of planning."""
    return Settings.from_env({"DISPATCH_PLAN_SOLUTION_LIMIT": str(PLAN_SOLUTION_LIMIT)})


@pytest.fixture(scope="session")
def area(settings: Settings) -> ServiceArea:
    return ServiceArea.from_geojson(settings.service_area_path)


@pytest.fixture(scope="session")
def calendar(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.schedule)


@pytest.fixture(scope="session")
def almaty_graph(settings: Settings):
    """The compiled Almaty street graph (built into the cache once, then loaded in milliseconds)."""
    from routing.graph import load_graph

    return load_graph(settings.osm_path)
