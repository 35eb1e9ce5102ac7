"""The monthly report: a month's figures per branch and for the city, with the month's days for the chart.

Only the current plan version of each branch and day counts (the highest version; the routes it
replaced are superseded and would count twice). The figures are defined in :mod:`dispatch.reports.figures`.
"""

from __future__ import annotations

import re
import typing as t
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select

from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import Plan
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import YandexClaim
from dispatch.reports.figures import ClaimFact
from dispatch.reports.figures import DoorFact
from dispatch.reports.figures import Figures
from dispatch.reports.figures import RouteFact
from dispatch.reports.figures import figures

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import Subquery

    from dispatch.context import Context

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DOOR_BOOKS = ("drop", "collect")
"""The keys of a door stop's ``items`` that hold the books handed over or collected there."""


class UnknownBranch(LookupError):
    """No branch has the code asked for: the page says so and shows the city."""


@dataclass(frozen=True)
class BranchLine:
    """One branch's month."""

    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class DayLine:
    """One day of the month, for the chart: doors served by kind, and failed attempts."""

    day: date
    deliveries: int
    pickups: int
    failed: int


@dataclass(frozen=True)
class MonthReport:
    """A month for one branch (``branch_code``) or for the city (``branch_code`` ``None``: every branch)."""

    month: date
    branch_code: str | None
    branch_name: str | None
    lines: tuple[BranchLine, ...]
    total: Figures
    days: tuple[DayLine, ...]


@dataclass(frozen=True)
class _Facts:
    doors: list[DoorFact]
    routes: list[RouteFact]
    claims: list[ClaimFact]


def parse_month(text: str | None) -> date | None:
    """``YYYY-MM`` (as the month picker sends it, years 2000-2999) as the month's first day; ``None`` for anything else."""
    found = MONTH.match((text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2999:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def this_month(ctx: Context) -> date:
    """The first day of the current month in Almaty's time."""
    return local_now(ctx.clock(), ctx.settings.schedule).date().replace(day=1)


def month_end(month: date) -> date:
    """The last day of ``month``."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def month_report(ctx: Context, month: date, branch_code: str | None = None) -> MonthReport:
    """The figures of ``month`` for ``branch_code``, or for the city with one line per branch.

    Raises :class:`UnknownBranch` for a code no branch has.
    """
    month = month.replace(day=1)
    with ctx.uow() as uow:
        session = uow.session
        branches = list(session.execute(select(Branch.id, Branch.code, Branch.name).order_by(Branch.code)))
        if branch_code:
            branches = [b for b in branches if b.code == branch_code]
            if not branches:
                raise UnknownBranch(branch_code)
        facts = _facts(session, month, [b.id for b in branches])
    lines = tuple(BranchLine(b.code, b.name, _branch_figures(facts, b.id)) for b in branches)
    return MonthReport(
        month=month,
        branch_code=branches[0].code if branch_code else None,
        branch_name=branches[0].name if branch_code else None,
        lines=lines,
        total=figures(facts.doors, facts.routes, facts.claims),
        days=_days(month, facts.doors),
    )


def _branch_figures(facts: _Facts, branch_id: int) -> Figures:
    return figures(
        [d for d in facts.doors if d.branch_id == branch_id],
        [r for r in facts.routes if r.branch_id == branch_id],
        [c for c in facts.claims if c.branch_id == branch_id],
    )


def _days(month: date, doors: list[DoorFact]) -> tuple[DayLine, ...]:
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for door in doors:
        counts[door.day][door.outcome] += 1
    last = month_end(month).day
    return tuple(
        DayLine(
            day,
            counts[day][StopOutcome.DELIVERED.value],
            counts[day][StopOutcome.COLLECTED.value],
            counts[day][StopOutcome.FAILED.value],
        )
        for day in (month.replace(day=n) for n in range(1, last + 1))
    )


def _current_plans(month: date, branch_ids: list[int]) -> Subquery:
    """The highest plan version of each branch and day of ``month`` (of ``branch_ids``)."""
    latest = (
        select(Plan.branch_id, Plan.service_date, func.max(Plan.version).label("version"))
        .where(Plan.service_date.between(month, month_end(month)), Plan.branch_id.in_(branch_ids))
        .group_by(Plan.branch_id, Plan.service_date)
        .subquery()
    )
    return (
        select(Plan.id, Plan.branch_id, Plan.service_date)
        .join(
            latest,
            and_(
                Plan.branch_id == latest.c.branch_id,
                Plan.service_date == latest.c.service_date,
                Plan.version == latest.c.version,
            ),
        )
        .subquery()
    )


def _facts(session: Session, month: date, branch_ids: list[int]) -> _Facts:
    plans = _current_plans(month, branch_ids)
    routes = (
        select(PlanRoute.id, PlanRoute.status, PlanRoute.distance_m, plans.c.branch_id, plans.c.service_date)
        .join(plans, PlanRoute.plan_id == plans.c.id)
        .where(PlanRoute.status != RouteStatus.SUPERSEDED)
        .subquery()
    )
    doors = session.execute(
        select(
            routes.c.branch_id,
            routes.c.service_date,
            DeliveryRequest.reader_id,
            PlanStop.outcome,
            PlanStop.outcome_reason,
            PlanStop.items,
            PlanStop.outcome_at,
            PlanStop.window_start,
            PlanStop.window_end,
        )
        .join(routes, PlanStop.route_id == routes.c.id)
        .join(DeliveryRequest, PlanStop.request_id == DeliveryRequest.id)
        .where(PlanStop.outcome.is_not(None))
    )
    claims = session.execute(
        select(
            routes.c.branch_id,
            routes.c.service_date,
            YandexClaim.status,
            YandexClaim.estimate_kzt,
            YandexClaim.final_price_kzt,
        ).join(routes, YandexClaim.route_id == routes.c.id)
    )
    return _Facts(
        doors=[
            DoorFact(
                branch_id=row.branch_id,
                day=row.service_date,
                reader_id=row.reader_id,
                outcome=str(row.outcome),
                reason=row.outcome_reason,
                books=sum(len((row.items or {}).get(key, [])) for key in DOOR_BOOKS),
                recorded_at=row.outcome_at,
                window_start=row.window_start,
                window_end=row.window_end,
            )
            for row in doors
        ],
        routes=[
            RouteFact(row.branch_id, row.service_date, row.status is RouteStatus.COMPLETED, row.distance_m)
            for row in session.execute(select(routes))
        ],
        claims=[ClaimFact(*row) for row in claims],
    )
