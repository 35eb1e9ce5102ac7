"""SQLAlchemy 2 persistence model: library records, requests, couriers, versioned plans and job runs.

The request keeps ``service_date`` and ``branch_id`` so the planner can pick a day's batch by index;
each planning run stores a new :class:`Plan` version for a branch and day, with its routes, ordered
stops and the requests it could not place (with reasons).
"""

from __future__ import annotations

import secrets
import typing as t
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Enum
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Time
from sqlalchemy import TypeDecorator
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from dispatch.domain.statuses import Carrier
from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import CourierKind
from dispatch.domain.statuses import ItemStatus
from dispatch.domain.statuses import JobState
from dispatch.domain.statuses import RequestKind
from dispatch.domain.statuses import RequestStatus
from dispatch.domain.statuses import RouteStatus
from dispatch.domain.statuses import StaffRole

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_public_id() -> str:
    """An unguessable id for public URLs and for readers to quote (22 url-safe characters)."""
    return secrets.token_urlsafe(16)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC and always gives back an aware datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: t.Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given where UTC is required"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: t.Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum_cls: type[t.Any], name: str) -> Enum:
    """Store an enum by its lowercase value, as a plain string column checked by a constraint."""
    return Enum(enum_cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them on SQLite too)."""

    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    """Created and updated times, in UTC."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Branch(Timestamped, Base):
    """A city library branch: it holds books and is the depot its routes start and end at."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    open_24_7: Mapped[bool] = mapped_column(Boolean, default=False)


class Reader(Timestamped, Base):
    """A library reader as the library system exports them, with what home delivery needs."""

    __tablename__ = "readers"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_number: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="ru")
    address: Mapped[str] = mapped_column(String(300), default="")
    entrance: Mapped[str | None] = mapped_column(String(10))
    floor: Mapped[str | None] = mapped_column(String(10))
    flat: Mapped[str | None] = mapped_column(String(10))
    door_code: Mapped[str | None] = mapped_column(String(20))
    has_lift: Mapped[bool | None] = mapped_column(Boolean)
    access_notes: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    home_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    card_expires_on: Mapped[date | None] = mapped_column(Date)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    block_reason: Mapped[str | None] = mapped_column(String(200))
    disability_group: Mapped[int | None] = mapped_column(Integer)
    disability_until: Mapped[date | None] = mapped_column(Date)
    temporary_until: Mapped[date | None] = mapped_column(Date)
    sms_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_problem: Mapped[str | None] = mapped_column(String(40))
    """Set when SMS cannot reach the number (Twilio: invalid or a landline), for staff to check it."""

    home_branch: Mapped[Branch | None] = relationship()


class Item(Timestamped, Base):
    """One physical copy, known by its barcode, held by one branch."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200), default="")
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus, "item_status"), default=ItemStatus.AVAILABLE)
    weight_g: Mapped[int | None] = mapped_column(Integer)

    branch: Mapped[Branch] = relationship()


class Loan(Timestamped, Base):
    """A copy lent to a reader; open while ``returned_on`` is empty."""

    __tablename__ = "loans"
    __table_args__ = (UniqueConstraint("item_id", "issued_on", name="uq_loans_item_issued"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)

    item: Mapped[Item] = relationship()
    reader: Mapped[Reader] = relationship()


class DeliveryRequest(Base):
    """A delivery of books to a reader's home, or a pickup of books back from it."""

    __tablename__ = "delivery_requests"
    __table_args__ = (
        Index("ix_delivery_requests_day", "service_date", "branch_id", "status"),
        Index("ix_delivery_requests_reader_status", "reader_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind, "request_kind"))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "request_status"))
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "request_channel"))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    wished_date: Mapped[date | None] = mapped_column(Date)
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    service_date: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[list[dict[str, t.Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    reader: Mapped[Reader] = relationship()
    branch: Mapped[Branch | None] = relationship()
    lines: Mapped[list[RequestItem]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestItem.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it as is


class RequestItem(Base):
    """One copy carried by a request: to hand over (delivery) or to collect (return pickup)."""

    __tablename__ = "request_items"
    __table_args__ = (UniqueConstraint("request_id", "item_id", name="uq_request_items_request_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("delivery_requests.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))

    request: Mapped[DeliveryRequest] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    loan: Mapped[Loan | None] = relationship()


class StaffUser(Timestamped, Base):
    """A staff account: administrator, dispatcher, operator or courier."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEvent(Base):
    """One recorded state change: who moved what from which status to which, when and why."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)


class GeocodeCacheEntry(Timestamped, Base):
    """A geocoder's answer to one normalised query: a point, or ``found`` false when it knew no such address.

    Service errors are never stored. Whether the point is inside the service area is judged when the
    answer is used, so a changed area needs no purge.
    """

    __tablename__ = "geocode_cache"
    __table_args__ = (UniqueConstraint("provider", "query", name="uq_geocode_cache_provider_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    query: Mapped[str] = mapped_column(String(500))
    found: Mapped[bool] = mapped_column(Boolean)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(64))
    precision: Mapped[str | None] = mapped_column(String(16))


class Courier(Timestamped, Base):
    """An in-house courier (staff or volunteer) of one branch, with shift, capacity and skills.

    Yandex couriers are not stored here: the carrier is configuration, and its routes become claims.
    """

    __tablename__ = "couriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[CourierKind] = mapped_column(_enum(CourierKind, "courier_kind"), default=CourierKind.STAFF)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    shift_start: Mapped[time] = mapped_column(Time)
    shift_end: Mapped[time] = mapped_column(Time)
    working_days: Mapped[str] = mapped_column(String(40), default="mon,tue,wed,thu,fri")
    capacity_books: Mapped[int] = mapped_column(Integer)
    capacity_g: Mapped[int] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    branch: Mapped[Branch] = relationship()


class Plan(Base):
    """One planning run's result for a branch and day; the highest ``version`` is the current plan.

    ``run_key`` is the planning job's idempotency key: a job run twice (or retried after its worker
    died) finds its plan already stored and writes nothing more.
    """

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("branch_id", "service_date", "version", name="uq_plans_branch_day_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_date: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    run_key: Mapped[str] = mapped_column(String(64), unique=True)
    input_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    time_limit_s: Mapped[float] = mapped_column(Float)
    solver: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    changes: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)

    branch: Mapped[Branch] = relationship()
    routes: Mapped[list[PlanRoute]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanRoute.number"
    )
    unassigned: Mapped[list[PlanUnassigned]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanUnassigned.id"
    )


class PlanRoute(Base):
    """One courier's (or the carrier's) route in a plan: times, totals, street geometry and status."""

    __tablename__ = "plan_routes"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_routes_plan_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[Carrier] = mapped_column(_enum(Carrier, "carrier"))
    courier_id: Mapped[int | None] = mapped_column(ForeignKey("couriers.id"))
    vehicle: Mapped[str] = mapped_column(String(64))
    status: Mapped[RouteStatus] = mapped_column(_enum(RouteStatus, "route_status"), default=RouteStatus.DRAFT)
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    distance_m: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    load_books: Mapped[int] = mapped_column(Integer, default=0)
    load_g: Mapped[int] = mapped_column(Integer, default=0)
    geometry: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    plan: Mapped[Plan] = relationship(back_populates="routes")
    courier: Mapped[Courier | None] = relationship()
    stops: Mapped[list[PlanStop]] = relationship(
        back_populates="route", cascade="all, delete-orphan", order_by="PlanStop.sequence"
    )


class PlanStop(Base):
    """A stop of a route in order: a reader's door (deliver or collect), or the branch (load, unload).

    ``items`` lists the barcodes handed over or collected at a reader's door, or loaded and unloaded
    at a branch visit; ``outcome`` is what the courier recorded there.
    """

    __tablename__ = "plan_stops"
    __table_args__ = (UniqueConstraint("route_id", "sequence", name="uq_plan_stops_route_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("plan_routes.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_requests.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    arrival_at: Mapped[datetime] = mapped_column(UtcDateTime)
    eta: Mapped[datetime] = mapped_column(UtcDateTime)
    departure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    window_start: Mapped[datetime | None] = mapped_column(UtcDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UtcDateTime)
    items: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    load_books: Mapped[int] = mapped_column(Integer, default=0)
    load_g: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_reason: Mapped[str | None] = mapped_column(String(200))
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    route: Mapped[PlanRoute] = relationship(back_populates="stops")
    request: Mapped[DeliveryRequest | None] = relationship()


class PlanUnassigned(Base):
    """A request of the batch the plan could not place, with a stable reason code and a sentence."""

    __tablename__ = "plan_unassigned"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("delivery_requests.id"))
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(300))

    plan: Mapped[Plan] = relationship(back_populates="unassigned")
    request: Mapped[DeliveryRequest] = relationship()


class JobRun(Base):
    """A background job as the dispatcher sees it: stage, percent, attempts, and the error if it failed.

    Kept in the database (not only in Redis) so a failure stays visible after Redis forgets the job.
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[JobState] = mapped_column(_enum(JobState, "job_state"), default=JobState.QUEUED)
    stage: Mapped[str] = mapped_column(String(40), default="")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    arguments: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    run_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When a scheduled job is due; ``None`` for a job to run as soon as a worker is free."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class StandingOrder(Timestamped, Base):
    """A reader's regular visit (e.g. every second Tuesday, afternoons) that creates requests ahead of time.

    Each visit collects the books on loan that fall due before the next visit and brings the books the
    reader has on hold; both go through the intake like any other request.
    """

    __tablename__ = "standing_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    every_weeks: Mapped[int] = mapped_column(Integer, default=1)
    first_date: Mapped[date] = mapped_column(Date)
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    reader: Mapped[Reader] = relationship()


class Hold(Timestamped, Base):
    """A copy the library has set aside for a reader (a reservation), waiting to be delivered."""

    __tablename__ = "holds"
    __table_args__ = (UniqueConstraint("reader_id", "item_id", name="uq_holds_reader_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    placed_on: Mapped[date] = mapped_column(Date)
    fulfilled: Mapped[bool] = mapped_column(Boolean, default=False)

    reader: Mapped[Reader] = relationship()
    item: Mapped[Item] = relationship()


class ApiToken(Base):
    """A staff member's API token, known only by its SHA-256: the token itself is shown once, when issued."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_staff_name", "staff_user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    staff_user: Mapped[StaffUser] = relationship()


class YandexClaim(Base):
    """A Yandex Delivery claim for a route: the branch's books to its readers, or one reader's books back.

    ``yandex_request_id`` (Yandex's idempotency key) is stored and committed before the first
    ``claims/create``, so a retry or a second run of the job asks for the same claim and can never
    book a second courier. ``status`` is Yandex's, or ``booking`` until Yandex has answered.
    """

    __tablename__ = "yandex_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("plan_routes.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    """``delivery`` (branch to readers) or ``return`` (one reader's books back to the branch)."""
    request_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_requests.id"))
    """For a return claim, the return pickup it serves; ``None`` for a delivery claim (one per route)."""
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    yandex_request_id: Mapped[str] = mapped_column(String(64), unique=True)
    claim_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    callback_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    status: Mapped[str] = mapped_column(String(40), default="booking")
    version: Mapped[int | None] = mapped_column(Integer)
    estimate_kzt: Mapped[str | None] = mapped_column(String(24))
    final_price_kzt: Mapped[str | None] = mapped_column(String(24))
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    """Who confirmed booking above the price limit, if it was above."""
    cancel_state: Mapped[str | None] = mapped_column(String(16))
    """``free`` or ``paid``: what our own cancellation cost."""
    problem: Mapped[str | None] = mapped_column(String(300))
    """Why the claim came back to the dispatcher (Yandex's status and message), if it did."""
    tracking_links: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """Yandex's sharing link per reader (our request's public id to the link), for the reader's SMS and page."""
    yandex_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    route: Mapped[PlanRoute] = relationship()
    request: Mapped[DeliveryRequest | None] = relationship()
    events: Mapped[list[YandexClaimEvent]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="YandexClaimEvent.id"
    )


class YandexClaimEvent(Base):
    """Every status we saw for a claim, when we saw it, and from where (create, info, journal, callback…)."""

    __tablename__ = "yandex_claim_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_row_id: Mapped[int] = mapped_column(ForeignKey("yandex_claims.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)

    claim: Mapped[YandexClaim] = relationship(back_populates="events")


class SyncCursor(Base):
    """Where reading an external feed stopped (the Yandex claims journal), kept with the changes it brought."""

    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SmsMessage(Base):
    """One SMS to a reader about one event of one request, sent at most once (``key`` is unique).

    ``state`` is ours (``waiting`` for its time, ``sending``, ``sent``, ``failed``, ``suppressed``
    when the number opted out, ``bad_number``, ``skipped`` when the event no longer applies,
    ``not_configured`` without Twilio); ``status`` is Twilio's, moved forward only by the receipts.
    """

    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_requests.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    service_date: Mapped[date | None] = mapped_column(Date)
    """The service day the message speaks of, where it speaks of one: it is not sent once the day has changed."""
    phone: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    segments: Mapped[int] = mapped_column(Integer)
    send_after: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str | None] = mapped_column(String(24))
    error_code: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    reader: Mapped[Reader] = relationship()


class SmsSuppression(Base):
    """A phone number we must not text: the reader opted out (phone menu, web page, operator, STOP) or Twilio said 21610."""

    __tablename__ = "sms_suppressions"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    """``phone_menu``, ``web``, ``operator``, ``sms`` (STOP) or ``twilio`` (error 21610)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReaderCode(Base):
    """A one-time sign-in code sent to a reader by SMS, known only by its salted SHA-256.

    It is good for ``expires_at`` and a few ``attempts``; ``used_at`` is set when it signs the reader
    in, after which it is spent.
    """

    __tablename__ = "reader_codes"
    __table_args__ = (Index("ix_reader_codes_reader_created", "reader_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id"))
    code_hash: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    reader: Mapped[Reader] = relationship()


class CourierLeave(Base):
    """A period a courier does not work (holiday, illness), both days included; planning leaves them out on those days."""

    __tablename__ = "courier_leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    courier_id: Mapped[int] = mapped_column(ForeignKey("couriers.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ImportRun(Base):
    """One upload of a library-system export through the admin pages: who sent which file, and its report.

    ``report`` keeps the counts and each listed row's line, key and problem codes with their
    parameters, so the report can be shown again later in any language.
    """

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    report: Mapped[dict[str, t.Any]] = mapped_column(JSON, default=dict)
