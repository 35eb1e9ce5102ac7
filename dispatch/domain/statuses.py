"""String enums for every status, kind and channel the domain knows."""

from __future__ import annotations

from enum import StrEnum


class RequestKind(StrEnum):
    """What a courier does at the reader's door."""

    DELIVERY = "delivery"
    RETURN_PICKUP = "return_pickup"


class RequestStatus(StrEnum):
    """Where a delivery request or return pickup stands."""

    RECEIVED = "received"
    VALIDATED = "validated"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    PLANNED = "planned"
    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    COLLECTED = "collected"
    RETURNED = "returned"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """How a request reached us."""

    WEB = "web"
    OPERATOR = "operator"
    PHONE = "phone"
    API = "api"
    STANDING_ORDER = "standing_order"
    SYSTEM = "system"


class ItemStatus(StrEnum):
    """Shelf status of one copy, as the library system reports it."""

    AVAILABLE = "available"
    ON_LOAN = "on_loan"
    NOT_FOR_LOAN = "not_for_loan"
    IN_TRANSIT = "in_transit"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


class StaffRole(StrEnum):
    """What a staff account may do."""

    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    OPERATOR = "operator"
    COURIER = "courier"


class CourierKind(StrEnum):
    """Who the in-house courier is."""

    STAFF = "staff"
    VOLUNTEER = "volunteer"


class Carrier(StrEnum):
    """Who drives a route: the branch's own courier, or Yandex Delivery (the route becomes a claim)."""

    IN_HOUSE = "in_house"
    YANDEX = "yandex"


class RouteStatus(StrEnum):
    """Where a planned route stands; a dispatched route's stops stay pinned when the day is re-planned."""

    DRAFT = "draft"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


LIVE_ROUTE_STATUSES: frozenset[RouteStatus] = frozenset({RouteStatus.DISPATCHED, RouteStatus.IN_PROGRESS})
"""Routes handed to a courier and not yet finished: re-planning keeps their stops in place."""


class StopOutcome(StrEnum):
    """What the courier recorded at a reader's door."""

    DELIVERED = "delivered"
    COLLECTED = "collected"
    FAILED = "failed"


class FailureReason(StrEnum):
    """Why a stop failed, as the courier picks it."""

    NOT_AT_HOME = "not_at_home"
    WRONG_ADDRESS = "wrong_address"
    REFUSED = "refused"
    NO_ACCESS = "no_access"
    BOOKS_NOT_READY = "books_not_ready"
    OTHER = "other"


class JobState(StrEnum):
    """A background job's state as the dispatcher sees it."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


OPEN_STATUSES: frozenset[RequestStatus] = frozenset(
    {
        RequestStatus.RECEIVED,
        RequestStatus.VALIDATED,
        RequestStatus.SCHEDULED,
        RequestStatus.PLANNED,
        RequestStatus.DISPATCHED,
        RequestStatus.IN_TRANSIT,
        RequestStatus.FAILED,
    }
)
"""Statuses of a request that still occupies the reader's and the items' limits."""

PLANNABLE_STATUSES: frozenset[RequestStatus] = frozenset({RequestStatus.SCHEDULED, RequestStatus.PLANNED})
"""Statuses of a request that belongs in a day's batch for the planner."""
