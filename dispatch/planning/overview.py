"""The city's day at a glance: one row per branch with its figures and the alerts a dispatcher must act on."""

from __future__ import annotations

import typing as t
from collections import Counter
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from sqlalchemy import func
from sqlalchemy import select

from dispatch.domain.scheduling import local_now
from dispatch.domain.statuses import PLANNABLE_STATUSES
from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.models import Branch
from dispatch.models import DeliveryRequest
from dispatch.models import YandexClaim
from dispatch.planning import fleet
from dispatch.planning.board import day_figures
from dispatch.planning.inputs import current_plan
from dispatch.planning.pin_outcomes import pin_outcomes

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.context import Context

NOT_COUNTED = (RequestStatus.REJECTED, RequestStatus.CANCELLED)


@dataclass(frozen=True)
class Alert:
    """Something to act on: ``kind`` is ``left_out`` (with an ``unassigned_reason`` code), ``not_planned``,
    ``pins_not_kept`` or ``claim_problem``; ``count`` how many requests or claims it concerns."""

    kind: str
    count: int
    reason: str | None = None


@dataclass(frozen=True)
class BranchRow:
    """One branch's day in figures."""

    code: str
    name: str
    requests: int
    planned: int
    unassigned: int
    couriers: int
    yandex_routes: int
    km: float
    on_time_share: float | None
    plan_version: int | None
    alerts: list[Alert] = field(default_factory=list)

    def as_dict(self) -> dict[str, t.Any]:
        """JSON-ready mapping."""
        return asdict(self)


def next_service_day(ctx: Context) -> date:
    """The day the dispatcher prepares: the next working day after today (today's day is already under way)."""
    today = local_now(ctx.clock(), ctx.settings.schedule).date()
    return ctx.calendar.next_working_day(today)


def city_day(ctx: Context, day: date) -> list[BranchRow]:
    """Every branch on ``day``, in code order; branches without work show zeros."""
    with ctx.uow() as uow:
        session = uow.session
        counted = dict(
            session.execute(
                select(DeliveryRequest.branch_id, func.count())
                .where(DeliveryRequest.service_date == day, DeliveryRequest.status.not_in(NOT_COUNTED))
                .group_by(DeliveryRequest.branch_id)
            ).all()
        )
        rows = [
            _row(session, branch, day, int(counted.get(branch.id, 0)))
            for branch in session.scalars(select(Branch).order_by(Branch.code))
        ]
    return [_with_figures(ctx, day, row) for row in rows]


def _row(session: Session, branch: Branch, day: date, requests: int) -> BranchRow:
    plan = current_plan(session, branch.id, day)
    routes = [r for r in plan.routes if r.status is not RouteStatus.SUPERSEDED] if plan else []
    placed = {s.request_id for r in routes for s in r.stops if s.request_id is not None}
    left_out = Counter(u.reason for u in plan.unassigned) if plan else Counter()
    plannable = set(
        session.scalars(
            select(DeliveryRequest.id).where(
                DeliveryRequest.service_date == day,
                DeliveryRequest.branch_id == branch.id,
                DeliveryRequest.status.in_(PLANNABLE_STATUSES),
            )
        )
    )
    unassigned_ids = {u.request_id for u in plan.unassigned} if plan else set()
    not_planned = len(plannable - placed - unassigned_ids)
    alerts = [Alert("left_out", count, reason) for reason, count in left_out.most_common()]
    if not_planned:
        alerts.append(Alert("not_planned", not_planned))
    pins_lost = sum(1 for o in pin_outcomes(session, branch.id, day, plan).values() if o.state in ("moved", "left_out"))
    if pins_lost:
        alerts.append(Alert("pins_not_kept", pins_lost))
    problems = _claim_problems(session, [r.id for r in routes])
    if problems:
        alerts.append(Alert("claim_problem", problems))
    return BranchRow(
        code=branch.code,
        name=branch.name,
        requests=requests,
        planned=len(placed),
        unassigned=sum(left_out.values()) + not_planned,
        couriers=len(fleet.available(session, branch.id, day)),
        yandex_routes=sum(1 for r in routes if r.carrier is Carrier.YANDEX),
        km=0.0,
        on_time_share=None,
        plan_version=plan.version if plan else None,
        alerts=alerts,
    )


def _claim_problems(session: Session, route_ids: list[int]) -> int:
    if not route_ids:
        return 0
    found = session.scalar(
        select(func.count()).select_from(YandexClaim).where(YandexClaim.route_id.in_(route_ids), YandexClaim.problem.is_not(None))
    )
    return int(found or 0)


def _with_figures(ctx: Context, day: date, row: BranchRow) -> BranchRow:
    if row.plan_version is None:
        return row
    figures = day_figures(ctx, day, row.code)
    return replace(row, km=figures.km, on_time_share=figures.on_time_share)


def totals(rows: t.Sequence[BranchRow]) -> dict[str, t.Any]:
    """The city's sums (the on-time share weighted by nothing: the mean of branches that served doors)."""
    shares = [r.on_time_share for r in rows if r.on_time_share is not None]
    return {
        "requests": sum(r.requests for r in rows),
        "planned": sum(r.planned for r in rows),
        "unassigned": sum(r.unassigned for r in rows),
        "couriers": sum(r.couriers for r in rows),
        "yandex_routes": sum(r.yandex_routes for r in rows),
        "km": round(sum(r.km for r in rows), 1),
        "on_time_share": round(sum(shares) / len(shares), 3) if shares else None,
    }
