"""Ordering by phone: the dispatch side of the phone menu (:class:`notifications.voice.port.VoicePort`).

Requests go through the same intake as the web, with channel ``phone`` and the call's id as the
idempotency key, so a webhook Twilio repeats creates nothing new. What is spoken is Russian (the
menu's language; Kazakh speech is not confirmed on Twilio).
"""

from __future__ import annotations

import typing as t
from datetime import date

from sqlalchemy import select

from dispatch.domain.phones import to_e164
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.errors import DispatchError
from dispatch.messages import render
from dispatch.models import DeliveryRequest
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.readers import lookup
from dispatch.readers.standing import standing_of
from dispatch.requests.intake import submit_request
from dispatch.sms.suppression import is_suppressed
from dispatch.sms.suppression import set_preference
from notifications.voice.port import OrderInfo
from notifications.voice.port import ReaderInfo
from notifications.voice.port import SubmitResult

if t.TYPE_CHECKING:
    from dispatch.context import Context

MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


class PhoneOrders:
    """The phone menu's view of readers, their books and the intake."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def find_reader(self, card: str) -> ReaderInfo | None:
        """The reader with this card, whether they may order, and why not."""
        with self.ctx.uow() as uow:
            reader = lookup.find_reader(uow.session, card)
            if reader is None:
                return None
            standing = standing_of(self.ctx, uow.session, reader)
        reason = standing.reasons[0].message("ru") if standing.reasons else None
        return ReaderInfo(
            name=standing.name,
            language=standing.language,
            eligible=standing.eligible,
            reason_text=reason,
            branch_phone=standing.branch_phone,
        )

    def last_order(self, card: str) -> OrderInfo | None:
        """The books of the reader's last delivery that are on the shelf again."""
        with self.ctx.uow() as uow:
            reader = lookup.find_reader(uow.session, card)
            if reader is None:
                return None
            last = uow.session.scalars(
                select(DeliveryRequest)
                .where(DeliveryRequest.reader_id == reader.id, DeliveryRequest.kind == RequestKind.DELIVERY)
                .where(DeliveryRequest.status != RequestStatus.REJECTED)
                .order_by(DeliveryRequest.received_at.desc())
                .limit(1)
            ).one_or_none()
            items = [line.item for line in last.lines if line.item.status is ItemStatus.AVAILABLE] if last else []
            return _order(items)

    def reserved_books(self, card: str) -> OrderInfo | None:
        """Books the library holds for the reader, on the shelf."""
        with self.ctx.uow() as uow:
            reader = lookup.find_reader(uow.session, card)
            if reader is None:
                return None
            holds = uow.session.scalars(select(Hold).where(Hold.reader_id == reader.id, Hold.fulfilled.is_(False)))
            return _order([hold.item for hold in holds if hold.item.status is ItemStatus.AVAILABLE])

    def loans_to_return(self, card: str) -> OrderInfo | None:
        """The reader's books on loan (a return pickup collects them)."""
        with self.ctx.uow() as uow:
            reader = lookup.find_reader(uow.session, card)
            if reader is None:
                return None
            loans = uow.session.scalars(
                select(Loan).where(Loan.reader_id == reader.id, Loan.returned_on.is_(None)).order_by(Loan.due_on)
            )
            return _order([loan.item for loan in loans])

    def submit(self, card: str, kind: str, barcodes: tuple[str, ...], call_sid: str) -> SubmitResult:
        """Take the request through the intake; the call's id makes a repeated webhook a repeat."""
        try:
            view = submit_request(
                self.ctx,
                card_number=card,
                barcodes=list(barcodes),
                kind=kind,
                channel=Channel.PHONE.value,
                idempotency_key=f"phone:{call_sid}:{kind}",
                actor="phone_menu",
            )
        except DispatchError as error:
            return SubmitResult(ok=False, reason_text=error.message("ru"))
        if view.status == RequestStatus.REJECTED.value:
            reasons = view.reasons
            text = render(reasons[0]["code"], "ru", reasons[0].get("params", {})) if reasons else None
            return SubmitResult(ok=False, number=str(view.id), reason_text=text)
        start, _, end = view.window.partition("-")
        return SubmitResult(
            ok=True,
            number=str(view.id),
            date_text=spoken_date(date.fromisoformat(view.service_date)) if view.service_date else None,
            window_text=f"с {start} до {end}",
        )

    def operator_number(self, card: str | None) -> str:
        """The reader's branch, or the library's desk."""
        if card:
            with self.ctx.uow() as uow:
                reader = lookup.find_reader(uow.session, card)
                phone = reader.home_branch.phone if reader is not None and reader.home_branch is not None else None
            if phone and (e164 := to_e164(phone)):
                return e164
        return to_e164(self.ctx.settings.sms.library_phone) or self.ctx.settings.sms.library_phone

    def sms_enabled(self, card: str) -> bool:
        """Whether the reader gets SMS (not opted out, number not on the suppression list)."""
        with self.ctx.uow() as uow:
            reader = lookup.find_reader(uow.session, card)
            if reader is None or reader.sms_opt_out:
                return False
            phone = to_e164(reader.phone or "")
            return phone is not None and not is_suppressed(uow.session, phone)

    def set_sms(self, card: str, enabled: bool) -> None:
        """The reader turns SMS off or on from the phone menu."""
        set_preference(self.ctx, card, sms=enabled, source="phone_menu")


def spoken_date(day: date) -> str:
    """``24 ноября``: a date as it is said in Russian."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def _order(items: list[Item]) -> OrderInfo | None:
    if not items:
        return None
    return OrderInfo(barcodes=tuple(i.barcode for i in items), titles=tuple(i.title for i in items))
