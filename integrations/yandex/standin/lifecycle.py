"""The claim state machine: one step at a time along the happy path, the return path or into a failure."""

from __future__ import annotations

import typing as t
from datetime import timedelta
from decimal import Decimal

from integrations.yandex.models import CLOSED_STATUSES
from integrations.yandex.models import ClaimStatus as S
from integrations.yandex.models import VisitStatus
from integrations.yandex.standin.book import SimulatorError
from integrations.yandex.standin.geo import route_m
from integrations.yandex.standin.pricing import price
from integrations.yandex.standin.statuses import AT_DOOR
from integrations.yandex.standin.statuses import FAILURES

if t.TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime

    from integrations.yandex.standin.book import ClaimBook
    from integrations.yandex.standin.records import Claim
    from integrations.yandex.standin.records import Point

#: The courier every claim gets.
PERFORMER = {
    "courier_name": "Ерлан Н.",
    "legal_name": "ИП Нурланов",
    "car_model": "Hyundai Accent",
    "car_number": "123ABC02",
    "car_color": "белый",
    "transport_type": "car",
}


class Lifecycle:
    """Moves the claims of a book; the public moves take the book's lock, the single steps expect it held."""

    def __init__(self, book: ClaimBook) -> None:
        self._book = book

    def advance(self, claim_id: str, *, skip_point: bool, fail_with: str | None) -> str:
        """One step (or a failure) for :meth:`~.server.YandexSimulator.advance`: the new status."""
        with self._book.lock:
            claim = self._book.get(claim_id)
            if fail_with is not None:
                self.fail(claim, fail_with)
            else:
                self.step(claim, skip_point=skip_point)
            return claim.status

    def play(self, claim_id: str, *, accept: bool, skip: Collection[str], fail_with: str | None, until: str | None) -> list[str]:
        """Steps until the end for :meth:`~.server.YandexSimulator.play`: every status passed through."""
        if fail_with is not None and fail_with not in FAILURES:
            msg = f"cannot fail with {fail_with!r}; one of {sorted(FAILURES)}"
            raise SimulatorError(msg)
        passed: list[str] = []
        with self._book.lock:
            claim = self._book.get(claim_id)
            while claim.status not in CLOSED_STATUSES and claim.status != until:
                if fail_with is not None and FAILURES[fail_with][1] in (None, claim.status):
                    self.fail(claim, fail_with)
                elif claim.status == S.READY_FOR_APPROVAL:
                    if not accept:
                        break
                    self.accept(claim)
                elif claim.status == S.ESTIMATING_FAILED:
                    break
                else:
                    here = claim.current
                    at_door = claim.status in AT_DOOR and here is not None and here.external_order_id in skip
                    self.step(claim, skip_point=at_door)
                passed.append(claim.status)
        return passed

    def tick(self) -> None:
        """Advance every claim that can move by itself one step (the ``--step-s`` clock)."""
        with self._book.lock:
            for claim in self._book.claims:
                if claim.status not in CLOSED_STATUSES and claim.status not in (S.READY_FOR_APPROVAL, S.ESTIMATING_FAILED):
                    self.step(claim, skip_point=False)

    def change_price(self, claim_id: str, new_price: Decimal | str) -> None:
        """Re-estimate a claim (as after ``claims/edit``): a new version and a ``price_changed`` event."""
        with self._book.lock:
            claim = self._book.get(claim_id)
            claim.price = Decimal(new_price)
            self._book.touch(claim)
            self._book.record_price(claim)

    def accept(self, claim: Claim) -> None:
        """The client's accept (or a test's, in :meth:`play`)."""
        self._book.set_status(claim, S.ACCEPTED)

    def fail(self, claim: Claim, status: str) -> None:
        """Move to a failure status where that failure can strike."""
        if status not in FAILURES:
            msg = f"cannot fail with {status!r}; one of {sorted(FAILURES)}"
            raise SimulatorError(msg)
        allowed = FAILURES[status][0]
        if claim.status in CLOSED_STATUSES or (allowed and claim.status not in allowed):
            msg = f"claim {claim.id} in {claim.status} cannot become {status}"
            raise SimulatorError(msg)
        if status == S.ESTIMATING_FAILED:
            claim.error_messages = [{"code": "estimating.cant_construct_route", "message": "Не удалось построить маршрут"}]
        claim.current_point_id = None
        self._book.set_status(claim, status)

    def step(self, claim: Claim, *, skip_point: bool) -> None:
        """Move one status on along the happy path (or the return path once a point was skipped)."""
        now = self._book.now()
        status = claim.status
        if status == S.NEW:
            self._book.set_status(claim, S.ESTIMATING)
        elif status == S.ESTIMATING:
            claim.price = price(route_m(claim.driven), len(claim.destinations))
            claim.ready_since = now
            self._book.set_status(claim, S.READY_FOR_APPROVAL)
            self._book.record_price(claim)
        elif status == S.READY_FOR_APPROVAL:
            msg = f"claim {claim.id} waits for claims/accept"
            raise SimulatorError(msg)
        elif status == S.ACCEPTED:
            self._book.set_status(claim, S.PERFORMER_LOOKUP)
        elif status == S.PERFORMER_LOOKUP:
            self._book.set_status(claim, S.PERFORMER_DRAFT)
        elif status == S.PERFORMER_DRAFT:
            claim.performer = dict(PERFORMER)
            for n, point in enumerate(claim.points):
                point.expected = now + timedelta(minutes=15 + 12 * n)
            claim.current_point_id = claim.source.id
            self._book.set_status(claim, S.PERFORMER_FOUND)
        elif status == S.PERFORMER_FOUND:
            _arrive(claim.source, now)
            self._book.set_status(claim, S.PICKUP_ARRIVED)
        elif status in (S.PICKUP_ARRIVED, S.READY_FOR_PICKUP_CONFIRMATION):
            if self._at_branch(claim, claim.source, S.READY_FOR_PICKUP_CONFIRMATION, now):
                first = claim.next_pending()
                claim.current_point_id = first.id if first is not None else None
                self._book.set_status(claim, S.PICKUPED)
        elif status in (S.PICKUPED, S.DELIVERED):
            upcoming = claim.next_pending()
            if upcoming is not None:
                claim.current_point_id = upcoming.id
                _arrive(upcoming, now)
                self._book.set_status(claim, S.DELIVERY_ARRIVED)
            else:
                self._finish_route(claim)
        elif status in AT_DOOR:
            self._at_door(claim, now, skip_point=skip_point)
        elif status == S.RETURNING:
            _arrive(claim.return_point, now)
            self._book.set_status(claim, S.RETURN_ARRIVED)
        elif status in (S.RETURN_ARRIVED, S.READY_FOR_RETURN_CONFIRMATION):
            if self._at_branch(claim, claim.return_point, S.READY_FOR_RETURN_CONFIRMATION, now):
                self._book.set_status(claim, S.RETURNED)
        elif status == S.RETURNED:
            claim.final_price = claim.price
            claim.current_point_id = None
            self._book.set_status(claim, S.RETURNED_FINISH)
        else:
            msg = f"claim {claim.id} in {status} does not move by itself"
            raise SimulatorError(msg)

    def _at_branch(self, claim: Claim, point: Point, waiting: str, now: datetime) -> bool:
        """At the branch (pickup or return): wait for the code unless the point skips it; whether the visit is done."""
        if claim.status != waiting and not point.skip_confirmation:
            self._book.set_status(claim, waiting)
            return False
        _visit(point, now, VisitStatus.VISITED)
        return True

    def _at_door(self, claim: Claim, now: datetime, *, skip_point: bool) -> None:
        point = claim.current
        if point is None:  # pragma: no cover - a claim at a door always has a current point
            msg = f"claim {claim.id} is at a door without a current point"
            raise SimulatorError(msg)
        if skip_point:
            _visit(point, now, VisitStatus.SKIPPED)
            point.return_reasons = ["recipient_not_available"]
            next_point = claim.next_pending()
            if next_point is None:
                self._finish_route(claim)
            else:
                claim.current_point_id = next_point.id
                self._book.set_status(claim, S.PICKUPED)
        elif claim.status == S.DELIVERY_ARRIVED and not point.skip_confirmation:
            self._book.set_status(claim, S.READY_FOR_DELIVERY_CONFIRMATION)
        else:
            _visit(point, now, VisitStatus.VISITED)
            self._book.set_status(claim, S.DELIVERED)

    def _finish_route(self, claim: Claim) -> None:
        if any(p.visit_status == VisitStatus.SKIPPED for p in claim.destinations):
            claim.current_point_id = claim.return_point.id
            self._book.set_status(claim, S.RETURNING)
        else:
            claim.final_price = claim.price
            claim.current_point_id = None
            self._book.set_status(claim, S.DELIVERED_FINISH)


def _arrive(point: Point, now: datetime) -> None:
    point.visit_status = VisitStatus.ARRIVED.value
    point.actual = now


def _visit(point: Point, now: datetime, how: VisitStatus) -> None:
    point.visit_status = how.value
    point.actual = point.actual or now
