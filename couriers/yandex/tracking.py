"""Following Yandex claims to their end: the journal as the source of truth, claims/info for the details.

Each status Yandex reports is stored with the time we saw it. A reader's point marked visited
records the delivery at that stop (which opens the loans); a skipped point records a failed attempt
(planned again on the next working day). A claim that fails (no courier found, cancelled by the
courier, estimating failed…) goes back to the dispatcher with the reason, and its requests become
plannable again. The callback only makes us read sooner: its payload is never trusted.
"""

from __future__ import annotations

import typing as t

from sqlalchemy import select

from couriers.outcomes import apply_outcome
from couriers.outcomes import start_route
from couriers.yandex.client import client_for
from dispatch.domain.statuses import FailureReason
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StopOutcome
from dispatch.errors import NotFound
from dispatch.models import PlanRoute
from dispatch.models import PlanStop
from dispatch.models import SyncCursor
from dispatch.models import YandexClaim
from dispatch.models import YandexClaimEvent
from dispatch.requests.transitions import move
from dispatch.sms import events as sms_events
from integrations.yandex.models import ClaimStatus
from integrations.yandex.models import VisitStatus

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from integrations.yandex.client import YandexDeliveryClient
    from integrations.yandex.models import Claim

BOOKING = "booking"
"""Our own status of a claim row before Yandex has answered its create."""
REJECTED = "rejected"
"""Our own status of a claim whose data Yandex refused (4xx): a person fixes the data."""
BEFORE_ACCEPTED = frozenset({BOOKING, ClaimStatus.NEW, ClaimStatus.ESTIMATING, ClaimStatus.READY_FOR_APPROVAL})
FAILED_STATUSES = frozenset(
    {
        REJECTED,
        ClaimStatus.ESTIMATING_FAILED,
        ClaimStatus.PERFORMER_NOT_FOUND,
        ClaimStatus.FAILED,
        ClaimStatus.CANCELLED,
        ClaimStatus.CANCELLED_WITH_PAYMENT,
        ClaimStatus.CANCELLED_BY_TAXI,
        ClaimStatus.CANCELLED_WITH_ITEMS_ON_HANDS,
    }
)
"""Statuses that end a claim without its work done: the route goes back to the dispatcher."""
FINISHED_STATUSES = frozenset({ClaimStatus.DELIVERED_FINISH, ClaimStatus.RETURNED_FINISH})
ON_THE_ROAD = frozenset(
    {
        ClaimStatus.PICKUPED,
        ClaimStatus.DELIVERY_ARRIVED,
        ClaimStatus.READY_FOR_DELIVERY_CONFIRMATION,
        ClaimStatus.PAY_WAITING,
        ClaimStatus.DELIVERED,
        ClaimStatus.RETURNING,
        ClaimStatus.RETURN_ARRIVED,
        ClaimStatus.READY_FOR_RETURN_CONFIRMATION,
        ClaimStatus.RETURNED,
        *FINISHED_STATUSES,
    }
)
"""The courier has the books: the route is under way."""
JOURNAL = "yandex_journal"
ACTOR = "yandex"


def is_closed(status: str) -> bool:
    """Whether a claim in ``status`` will never move again."""
    return status in FAILED_STATUSES or status in FINISHED_STATUSES


def is_failed(status: str) -> bool:
    """Whether a claim in ``status`` ended without its work done."""
    return status in FAILED_STATUSES


def callback_url(public_url: str | None, token: str) -> str | None:
    """Where Yandex nudges us about a claim: the unguessable token in the path, ending in ``?`` for the query Yandex appends."""
    if public_url is None:
        return None
    return f"{public_url}/hooks/yandex/{token}?"


def record_status(ctx: Context, row: YandexClaim, status: str, source: str, details: dict[str, t.Any] | None = None) -> None:
    """Store ``status`` with the time we saw it (once per change)."""
    if row.events and row.events[-1].status == status:
        return
    row.events.append(YandexClaimEvent(status=status, seen_at=ctx.clock(), source=source, details=details or {}))
    row.status = status


def refresh_claim(ctx: Context, row_id: int, *, source: str, client: YandexDeliveryClient | None = None) -> str:
    """Read the claim and apply it; accept it when it waits for approval. Returns its status afterwards."""
    client = client or client_for(ctx.settings.yandex)
    with ctx.uow() as uow:
        row = uow.session.get(YandexClaim, row_id)
        if row is None:
            raise NotFound(what="claim", id=row_id)
        if row.claim_id is None or is_closed(row.status):
            return row.status
        claim = client.claim_info(row.claim_id)
        apply_claim(ctx, uow.session, row, claim, source, client=client)
        if row.status == ClaimStatus.READY_FOR_APPROVAL and row.version is not None:
            state = client.accept(row.claim_id, row.version)
            record_status(ctx, row, state.status, "accept", {"version": row.version})
            row.version = state.version
        uow.commit()
        return row.status


def apply_claim(
    ctx: Context, session: Session, row: YandexClaim, claim: Claim, source: str, *, client: YandexDeliveryClient | None = None
) -> None:
    """Bring our records in line with ``claim`` (an older read than the last one applied changes nothing)."""
    if claim.updated_ts is not None and row.yandex_updated_at is not None and claim.updated_ts < row.yandex_updated_at:
        return
    details: dict[str, t.Any] = {"updated_ts": claim.updated_ts.isoformat() if claim.updated_ts else None}
    if claim.error_messages:
        details["error_messages"] = [{"code": m.code, "message": m.message} for m in claim.error_messages]
    record_status(ctx, row, claim.status, source, details)
    row.version, row.yandex_updated_at = claim.version, claim.updated_ts or row.yandex_updated_at
    if claim.pricing is not None and claim.pricing.final_price is not None:
        row.final_price_kzt = str(claim.pricing.final_price)
    if client is not None and claim.status == ClaimStatus.PERFORMER_FOUND and not row.tracking_links:
        row.tracking_links = _links(client, claim)
    route = row.route
    if claim.status in ON_THE_ROAD:
        start_route(session, route, ACTOR)
        sms_events.courier_heading(ctx, session, route)
    _apply_points(ctx, session, row, claim)
    if claim.status in FAILED_STATUSES:
        reason = "; ".join(f"{m.code}: {m.message}" for m in claim.error_messages) or claim.status
        back_to_dispatcher(ctx, session, row, f"{claim.status}: {reason}"[:300])


def back_to_dispatcher(ctx: Context, session: Session, row: YandexClaim, problem: str) -> None:
    """The claim ended without its work done: unserved requests become plannable again; the route is cancelled once all its claims are closed."""
    row.problem = problem
    for stop in _stops_of(row):
        request = stop.request
        if stop.outcome is not None or request is None:
            continue
        if request.status is RequestStatus.IN_TRANSIT:
            apply_outcome(ctx, session, stop, StopOutcome.FAILED, FailureReason.OTHER, actor=ACTOR, note=problem[:200])
        elif request.status in (RequestStatus.DISPATCHED, RequestStatus.PLANNED):
            move(session, request, RequestStatus.SCHEDULED, actor=ACTOR, reason=f"Yandex claim: {problem}"[:200])
    route = row.route
    open_claims = session.scalars(select(YandexClaim).where(YandexClaim.route_id == route.id, YandexClaim.id != row.id)).all()
    if all(is_closed(other.status) for other in open_claims) and route.status is not RouteStatus.COMPLETED:
        route.status = RouteStatus.CANCELLED


def sync_journal(ctx: Context, *, client: YandexDeliveryClient | None = None, max_pages: int = 50) -> dict[str, int]:
    """Read the claims journal from the stored cursor; each page's changes are committed with the cursor after it."""
    client = client or client_for(ctx.settings.yandex)
    events_seen = claims_read = 0
    for _ in range(max_pages):
        with ctx.uow() as uow:
            session = uow.session
            cursor_row = session.get(SyncCursor, JOURNAL) or SyncCursor(name=JOURNAL)
            session.add(cursor_row)
            events, next_cursor = client.journal(cursor_row.cursor)
            events_seen += len(events)
            ids = list(dict.fromkeys(event.claim_id for event in events))
            rows = session.scalars(select(YandexClaim).where(YandexClaim.claim_id.in_(ids))).all() if ids else []
            for row in rows:
                if is_closed(row.status) or row.claim_id is None:
                    continue
                for event in events:
                    if event.claim_id == row.claim_id and event.new_status:
                        stamp = event.updated_ts.isoformat() if event.updated_ts else None
                        record_status(ctx, row, event.new_status, "journal", {"updated_ts": stamp})
                apply_claim(ctx, session, row, client.claim_info(row.claim_id), "journal", client=client)
                claims_read += 1
            moved = next_cursor is not None and next_cursor != cursor_row.cursor
            if moved:
                cursor_row.cursor = next_cursor
            uow.commit()
        if not events or not moved:
            break
    accepted = _accept_waiting(ctx, client)
    return {"events": events_seen, "claims_read": claims_read, "accepted": accepted}


def _accept_waiting(ctx: Context, client: YandexDeliveryClient) -> int:
    """Accept every claim that is (or may by now be) ready for approval."""
    with ctx.uow() as uow:
        waiting = uow.session.scalars(
            select(YandexClaim.id).where(
                YandexClaim.claim_id.is_not(None), YandexClaim.status.in_(sorted(str(s) for s in BEFORE_ACCEPTED - {BOOKING}))
            )
        ).all()
    accepted = 0
    for row_id in waiting:
        if refresh_claim(ctx, row_id, source="journal", client=client) not in BEFORE_ACCEPTED | FAILED_STATUSES:
            accepted += 1
    return accepted


def _apply_points(ctx: Context, session: Session, row: YandexClaim, claim: Claim) -> None:
    """Per-reader results: a destination visited is a delivery; a reader's point skipped is a failed attempt."""
    stops = {stop.request.public_id: stop for stop in _stops_of(row) if stop.request is not None}
    for point in claim.route_points:
        stop = stops.get(point.external_order_id or "")
        if stop is None or stop.outcome is not None:
            continue
        if point.visit_status == VisitStatus.SKIPPED:
            note = ", ".join(point.return_reasons) or "skipped by the Yandex courier"
            apply_outcome(ctx, session, stop, StopOutcome.FAILED, FailureReason.NOT_AT_HOME, actor=ACTOR, note=note[:200])
        elif point.visit_status == VisitStatus.PARTIAL_DELIVERY:
            apply_outcome(ctx, session, stop, StopOutcome.FAILED, FailureReason.OTHER, actor=ACTOR, note="partial delivery")
        elif point.visit_status == VisitStatus.VISITED and row.direction == "delivery" and point.type == "destination":
            apply_outcome(ctx, session, stop, StopOutcome.DELIVERED, None, actor=ACTOR)
    if row.direction == "return" and claim.status == ClaimStatus.DELIVERED_FINISH:
        for stop in stops.values():
            if stop.outcome is None:
                # Collected books count as back once they are at the branch.
                apply_outcome(ctx, session, stop, StopOutcome.COLLECTED, None, actor=ACTOR)


def _stops_of(row: YandexClaim) -> list[PlanStop]:
    route: PlanRoute = row.route
    if row.direction == "delivery":
        return [stop for stop in route.stops if stop.kind == "delivery"]
    return [stop for stop in route.stops if stop.kind == "return_pickup" and stop.request_id == row.request_id]


def _links(client: YandexDeliveryClient, claim: Claim) -> dict[str, str]:
    """The sharing link of each reader's point, by our request's public id."""
    by_point = {p.id: p.external_order_id for p in claim.route_points if p.external_order_id}
    links: dict[str, str] = {}
    for link in client.tracking_links(claim.id):
        public_id = by_point.get(link.point_id)
        if public_id and link.sharing_link:
            links[public_id] = link.sharing_link
    return links


def claims(ctx: Context, *, route_id: int | None = None) -> list[dict[str, t.Any]]:
    """Claims (all, or one route's) as plain data: ids, status, prices, problem and every status seen, with when."""
    with ctx.uow() as uow:
        query = select(YandexClaim).order_by(YandexClaim.id)
        if route_id is not None:
            query = query.where(YandexClaim.route_id == route_id)
        return [_claim_document(row) for row in uow.session.scalars(query)]


def _claim_document(row: YandexClaim) -> dict[str, t.Any]:
    return {
        "id": row.id,
        "route_id": row.route_id,
        "direction": row.direction,
        "claim_id": row.claim_id,
        "status": row.status,
        "estimate_kzt": row.estimate_kzt,
        "final_price_kzt": row.final_price_kzt,
        "cancel_state": row.cancel_state,
        "problem": row.problem,
        "tracking_links": row.tracking_links,
        "events": [{"status": e.status, "at": e.seen_at.isoformat(), "source": e.source} for e in row.events],
    }
