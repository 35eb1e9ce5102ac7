"""Whether a queued message still says something true when its time to go out comes."""

from __future__ import annotations

import typing as t

from dispatch.domain.statuses import RequestStatus
from dispatch.models import DeliveryRequest

if t.TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.models import SmsMessage

AHEAD = frozenset({RequestStatus.SCHEDULED, RequestStatus.PLANNED, RequestStatus.DISPATCHED})
"""A request in one of these has not been served yet: a reminder about its day still holds."""
ON_THE_WAY = frozenset({RequestStatus.DISPATCHED, RequestStatus.IN_TRANSIT})


def still_relevant(session: Session, message: SmsMessage, today: date) -> bool:
    """A reminder about a day is dropped when the request moved to another day or was served or cancelled,
    or when it could only go out on the day itself (its "tomorrow" would be wrong).

    Messages about what already happened (accepted, delivered, failed…) always go.
    """
    if message.service_date is not None and message.service_date <= today:
        return False
    if message.request_id is None:
        return True
    request = session.get(DeliveryRequest, message.request_id)
    if request is None:
        return False
    if message.event in ("delivery_planned", "return_tomorrow"):
        return request.status in AHEAD and request.service_date == message.service_date
    if message.event == "courier_on_the_way":
        return request.status in ON_THE_WAY
    return True
