"""Booking a planned route with Yandex: claim rows stored first, the price checked, the claims created and accepted.

The order of steps is what makes a retry safe. Each claim's ``request_id`` is committed before the
first ``claims/create``, so a retried call or a second run of the job gets the claim already made
instead of a second courier. A price above the configured limit stops the booking until a
dispatcher confirms it. Accepting waits for Yandex's estimate for a short while only; a claim still
estimating is accepted later by the journal sync (:mod:`couriers.yandex.tracking`).
"""

from __future__ import annotations

import time
import typing as t
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from couriers.yandex import bodies
from couriers.yandex import tracking
from couriers.yandex.client import client_for
from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.errors import DispatchError
from dispatch.errors import NotFound
from dispatch.jobs.runner import TransientError
from dispatch.models import PlanRoute
from dispatch.models import YandexClaim
from dispatch.requests.transitions import move
from integrations.yandex.errors import ClaimErrorMessagesError
from integrations.yandex.errors import YandexClientError
from integrations.yandex.errors import YandexTransientError

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from integrations.yandex.client import YandexDeliveryClient

DELIVERY = "delivery"
RETURN = "return"
BOOKABLE = frozenset({RouteStatus.DRAFT, RouteStatus.DISPATCHED})
"""A draft route is booked; a dispatched one may still have claims that a crash left unbooked."""
ACCEPT_POLL_S = 2.0


@dataclass(frozen=True)
class Quote:
    """What booking a route would cost, as Yandex estimates it, against the configured limit."""

    route_id: int
    claims: int
    estimate_kzt: Decimal
    limit_kzt: int
    needs_confirmation: bool

    def as_dict(self) -> dict[str, t.Any]:
        """Plain data for the command line and the API."""
        return {
            "route_id": self.route_id,
            "claims": self.claims,
            "estimate_kzt": str(self.estimate_kzt),
            "limit_kzt": self.limit_kzt,
            "needs_confirmation": self.needs_confirmation,
        }


def yandex_routes(session: Session, route_ids: t.Iterable[int]) -> list[PlanRoute]:
    """The routes among ``route_ids`` that Yandex drives."""
    routes = session.scalars(select(PlanRoute).where(PlanRoute.id.in_(list(route_ids)))).all()
    return [route for route in routes if route.carrier is Carrier.YANDEX]


def quote_route(ctx: Context, route_id: int, *, client: YandexDeliveryClient | None = None) -> Quote:
    """Yandex's estimate for the route's claims (its deliveries, and each return pickup), stored on the claim rows."""
    client = client or client_for(ctx.settings.yandex)
    with ctx.uow() as uow:
        route = _bookable(uow.session, route_id)
        rows = _claim_rows(uow.session, route)
        uow.commit()
        quote = _quote(ctx, client, route, rows)
        uow.commit()
        return quote


def book_route(
    ctx: Context, route_id: int, *, actor: str, confirm: bool = False, client: YandexDeliveryClient | None = None
) -> dict[str, t.Any]:
    """Book the route's claims, hand the route to Yandex, and accept each claim once it is estimated.

    Raises :class:`DispatchError` ``yandex_price_needs_confirmation`` when the estimate is above the
    limit and ``confirm`` is false (nothing is created), ``yandex_rejected`` when Yandex refuses a
    claim's data (for a person to fix), and :class:`TransientError` when Yandex cannot be reached
    (the job is retried with the same request ids).
    """
    client = client or client_for(ctx.settings.yandex)
    with ctx.uow() as uow:
        route = _bookable(uow.session, route_id)
        rows = _claim_rows(uow.session, route)
        uow.commit()
        if any(row.claim_id is None for row in rows):
            quote = _quote(ctx, client, route, rows)
            if quote.needs_confirmation and not confirm:
                uow.commit()
                raise DispatchError(
                    "yandex_price_needs_confirmation", route=route.id, price=str(quote.estimate_kzt), limit=quote.limit_kzt
                )
            for row in rows:
                if confirm and quote.needs_confirmation and row.confirmed_by is None:
                    row.confirmed_by = actor
            uow.commit()
        for row in rows:
            if row.claim_id is None:
                _create(ctx, uow.session, client, route, row)
                uow.commit()
        _hand_over(ctx, uow.session, route, actor)
        uow.commit()
        claim_ids = [row.id for row in rows]
    accepted = _accept_when_ready(ctx, client, claim_ids)
    return {"route_id": route_id, "claims": len(claim_ids), "accepted": accepted}


def cancel_route(ctx: Context, route_id: int, *, actor: str, client: YandexDeliveryClient | None = None) -> dict[str, t.Any]:
    """Cancel the route's open claims (free or paid, as ``cancel-info`` says) and give its requests back to planning."""
    client = client or client_for(ctx.settings.yandex)
    cancelled: list[dict[str, str]] = []
    with ctx.uow() as uow:
        route = uow.session.get(PlanRoute, route_id)
        if route is None:
            raise NotFound(what="route", id=route_id)
        for row in _rows_of(uow.session, route):
            if row.claim_id is None or tracking.is_closed(row.status):
                continue
            info = client.cancel_info(row.claim_id)
            if info.cancel_state not in ("free", "paid"):
                raise DispatchError("yandex_cancel_unavailable", route=route_id, status=row.status)
            claim = client.claim_info(row.claim_id)
            state = client.cancel(row.claim_id, claim.version, info.cancel_state)
            row.cancel_state = info.cancel_state
            tracking.record_status(ctx, row, state.status, "cancel", {"cancel_state": info.cancel_state, "by": actor})
            tracking.back_to_dispatcher(ctx, uow.session, row, f"cancelled by {actor} ({info.cancel_state})")
            cancelled.append({"claim_id": row.claim_id, "cancel_state": info.cancel_state})
        uow.commit()
    return {"route_id": route_id, "cancelled": cancelled}


def _bookable(session: Session, route_id: int) -> PlanRoute:
    route = session.execute(select(PlanRoute).where(PlanRoute.id == route_id).with_for_update()).scalar_one_or_none()
    if route is None:
        raise NotFound(what="route", id=route_id)
    if route.carrier is not Carrier.YANDEX:
        raise DispatchError("yandex_route_not_yandex", route=route_id)
    if route.status not in BOOKABLE:
        raise DispatchError("route_not_current", route=route_id, status=route.status.value)
    return route


def _rows_of(session: Session, route: PlanRoute) -> list[YandexClaim]:
    return list(session.scalars(select(YandexClaim).where(YandexClaim.route_id == route.id).order_by(YandexClaim.id)))


def _claim_rows(session: Session, route: PlanRoute) -> list[YandexClaim]:
    """The route's open claim rows, made (with fresh request ids) where missing: one for the deliveries, one per return."""
    rows = [row for row in _rows_of(session, route) if not tracking.is_failed(row.status)]
    have = {(row.direction, row.request_id) for row in rows}
    wanted: list[tuple[str, int | None]] = []
    if any(stop.kind == "delivery" for stop in route.stops):
        wanted.append((DELIVERY, None))
    wanted += [(RETURN, stop.request_id) for stop in route.stops if stop.kind == "return_pickup"]
    attempts = len(_rows_of(session, route))
    for direction, request_id in wanted:
        if (direction, request_id) in have:
            continue
        attempts += 1
        row = YandexClaim(
            route_id=route.id,
            direction=direction,
            request_id=request_id,
            attempt=attempts,
            yandex_request_id=str(uuid.uuid4()),
        )
        session.add(row)
        rows.append(row)
    if not rows:
        raise DispatchError("yandex_route_empty", route=route.id)
    session.flush()
    return rows


def _body(ctx: Context, route: PlanRoute, row: YandexClaim) -> dict[str, t.Any]:
    settings = ctx.settings.yandex
    callback = tracking.callback_url(ctx.settings.public_url, row.callback_token)
    if row.direction == DELIVERY:
        return bodies.delivery_body(route, settings, callback)
    stop = next(s for s in route.stops if s.request_id == row.request_id and s.kind == "return_pickup")
    return bodies.return_body(route, stop, settings, callback)


def _quote(ctx: Context, client: YandexDeliveryClient, route: PlanRoute, rows: list[YandexClaim]) -> Quote:
    total = Decimal(0)
    for row in rows:
        if row.estimate_kzt is None:
            body = bodies.price_body(_body(ctx, route, row))
            estimate = _call(lambda: client.check_price(body))  # noqa: B023 (called at once)
            row.estimate_kzt = str(estimate.price) if estimate.price is not None else None
        total += Decimal(row.estimate_kzt or 0)
    limit = ctx.settings.yandex.confirm_above_kzt
    return Quote(route.id, len(rows), total, limit, total > limit)


def _create(ctx: Context, session: Session, client: YandexDeliveryClient, route: PlanRoute, row: YandexClaim) -> None:
    body = _body(ctx, route, row)
    try:
        claim = _call(lambda: client.create_claim(row.yandex_request_id, body))
    except ClaimErrorMessagesError as error:
        row.claim_id = error.claim.id
        tracking.apply_claim(ctx, session, row, error.claim, "create")
        messages = "; ".join(f"{m.code}: {m.message}" for m in error.messages)
        raise DispatchError("yandex_rejected", route=route.id, yandex_code="error_messages", message=messages) from error
    except YandexClientError as error:
        row.status, row.problem = "rejected", f"{error.code}: {error.message}"[:300]
        tracking.record_status(ctx, row, "rejected", "create", {"code": error.code, "message": error.message})
        session.commit()
        raise DispatchError("yandex_rejected", route=route.id, yandex_code=error.code, message=error.message) from error
    row.claim_id = claim.id
    tracking.apply_claim(ctx, session, row, claim, "create")


def _hand_over(ctx: Context, session: Session, route: PlanRoute, actor: str) -> None:
    """The claims exist: the route is Yandex's now, and its requests are dispatched."""
    if route.status is RouteStatus.DRAFT:
        route.status = RouteStatus.DISPATCHED
        route.dispatched_at = ctx.clock()
    for stop in route.stops:
        if stop.request is not None and stop.request.status is RequestStatus.PLANNED:
            move(session, stop.request, RequestStatus.DISPATCHED, actor=actor, reason=f"route {route.id}: Yandex claim")


def _accept_when_ready(ctx: Context, client: YandexDeliveryClient, claim_row_ids: list[int]) -> int:
    """Re-read the claims until each is accepted or the wait is over; the journal sync accepts the rest."""
    deadline = time.monotonic() + ctx.settings.yandex.accept_wait_s
    waiting = list(claim_row_ids)
    accepted = 0
    while waiting:
        still: list[int] = []
        for row_id in waiting:
            status = tracking.refresh_claim(ctx, row_id, source="info", client=client)
            if status in tracking.BEFORE_ACCEPTED:
                still.append(row_id)
            elif status not in tracking.FAILED_STATUSES:
                accepted += 1
        waiting = still
        if not waiting or time.monotonic() + ACCEPT_POLL_S > deadline:
            break
        time.sleep(ACCEPT_POLL_S)
    return accepted


T = t.TypeVar("T")


def _call(function: t.Callable[[], T]) -> T:
    """Yandex out of reach after the client's own retries: a transient failure, so the job is retried later."""
    try:
        return function()
    except YandexTransientError as error:
        raise TransientError(f"Yandex Delivery: {error}") from error
