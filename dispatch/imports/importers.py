"""The import files and how each row becomes (or updates) a record, keyed as the library keys it.

Keys: branches by ``code``, readers by ``card_number``, items by ``barcode``, loans by ``barcode`` and
``issued_on``, holds by ``card_number`` and ``barcode``, couriers by ``code``. A re-import updates in place. Each row is written inside its own savepoint, so a row
the database refuses is reported like any other bad row and the good rows are still committed
together at the end (a crash part-way commits nothing).

Readers that come with an address but without coordinates are geocoded when geocoding is on. The
geocoder is asked for the whole file before the writing transaction opens, so no lock is held while
it answers. A reader it cannot place (unknown, not a house, outside the service area, service down)
is imported without coordinates and listed in the report's ``needs_attention`` for a person to
place on the map; a point stored earlier for the same address (by the geocoder or by an operator)
is kept.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.domain.statuses import CourierKind
from dispatch.domain.statuses import ItemStatus
from dispatch.geocoding import geocode_addresses
from dispatch.imports.csv_source import read_rows
from dispatch.imports.fields import RowReader
from dispatch.imports.report import AttentionRow
from dispatch.imports.report import ImportReport
from dispatch.imports.report import RejectedRow
from dispatch.imports.report import RowProblem
from dispatch.models import Base
from dispatch.models import Branch
from dispatch.models import Courier
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Loan
from dispatch.models import Reader
from dispatch.readers.lookup import find_reader
from dispatch.readers.lookup import normalise_card
from routing.geocoding import Located

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping
    from pathlib import Path

    from sqlalchemy.orm import Session

    from dispatch.context import Context
    from routing.geocoding import GeocodeOutcome

Values = dict[str, t.Any]


class _RowRefused(Exception):
    """A row that parsed but contradicts what is stored (raised inside the row's savepoint)."""

    def __init__(self, code: str, **params: t.Any) -> None:
        super().__init__(code)
        self.problem = RowProblem(code, params)


@dataclass(frozen=True)
class FileSpec:
    """One export file: its columns, how to read a row, and how to store it."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: Callable[[dict[str, str]], str]
    parse: Callable[[RowReader, _Lookups], Values | None]
    store: Callable[[Session, Values], str]
    place_query: Callable[[dict[str, str]], str | None] | None = None
    """For files whose rows may lack coordinates: the address to geocode for a raw row, if any."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the file may have, required first."""
        return self.required + self.optional


class _Lookups:
    """Cached look-ups of referenced records by their library keys, within one import."""

    def __init__(self, session: Session, places: Mapping[str, GeocodeOutcome] | None = None) -> None:
        self.session = session
        self.places: Mapping[str, GeocodeOutcome] = places or {}
        self._branches: dict[str, Branch | None] = {}

    def branch(self, code: str) -> Branch | None:
        if code not in self._branches:
            self._branches[code] = self.session.execute(select(Branch).where(Branch.code == code)).scalar_one_or_none()
        return self._branches[code]

    def reader(self, card: str) -> Reader | None:
        return find_reader(self.session, card)

    def item(self, barcode: str) -> Item | None:
        return self.session.execute(select(Item).where(Item.barcode == barcode)).scalar_one_or_none()


def run_import(ctx: Context, spec: FileSpec, path: Path) -> ImportReport:
    """Import one file; every row is either stored or listed in the report's ``rejected``.

    Stored rows that a person must still finish (an address the geocoder could not place) are also
    listed in ``needs_attention``.
    """
    report = ImportReport(kind=spec.kind, path=str(path))
    first_seen: dict[str, int] = {}
    rows = list(read_rows(path, required=spec.required, known=spec.columns))
    places = _geocode(ctx, spec, rows)
    with ctx.uow() as uow:
        session = uow.session
        lookups = _Lookups(session, places)
        for line, row in rows:
            key = spec.key(row)
            if key and key in first_seen:
                problem = RowProblem("row_duplicate_key", {"value": key, "first_line": first_seen[key]})
                report.rejected.append(RejectedRow(line, key, (problem,)))
                continue
            fields = RowReader(row)
            values = spec.parse(fields, lookups)
            if fields.problems or values is None:
                report.rejected.append(RejectedRow(line, key, tuple(fields.problems)))
                continue
            first_seen[key] = line
            outcome = _store_row(session, spec, values)
            if isinstance(outcome, RowProblem):
                report.rejected.append(RejectedRow(line, key, (outcome,)))
                first_seen.pop(key)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if fields.notes:
                report.needs_attention.append(AttentionRow(line, key, tuple(fields.notes)))
        uow.commit()
    return report


def _geocode(ctx: Context, spec: FileSpec, rows: list[tuple[int, dict[str, str]]]) -> dict[str, GeocodeOutcome]:
    """Outcomes for the addresses of rows without coordinates, asked before any write (no locks held)."""
    if spec.place_query is None or ctx.geocoder is None:
        return {}
    wanted = (spec.place_query(row) for _, row in rows)
    return geocode_addresses(ctx.geocoder, (address for address in wanted if address))


def _store_row(session: Session, spec: FileSpec, values: Values) -> str | RowProblem:
    savepoint = session.begin_nested()
    try:
        outcome = spec.store(session, values)
        savepoint.commit()
    except _RowRefused as refused:
        savepoint.rollback()
        return refused.problem
    except IntegrityError as e:
        savepoint.rollback()
        return RowProblem("row_refused", {"detail": str(e.orig).splitlines()[0][:200]})
    return outcome


def _upsert(session: Session, model: type[Base], key: dict[str, t.Any], values: Values) -> tuple[str, t.Any]:
    """Create or update the record found by ``key``; say which ('created', 'updated', 'unchanged')."""
    query = select(model).filter_by(**key)
    record = session.execute(query).scalar_one_or_none()
    if record is None:
        record = model(**key, **values)
        session.add(record)
        session.flush()
        return "created", record
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    if changed:
        session.flush()
    return ("updated" if changed else "unchanged"), record


# --- branches -------------------------------------------------------------------------------------


def _parse_branch(fields: RowReader, _lookups: _Lookups) -> Values | None:
    code = fields.text("code", required=True, max_length=32)
    name = fields.text("name", required=True, max_length=200)
    lat, lon = fields.coordinates(required=True)
    values = {
        "code": code,
        "name": name,
        "address": fields.text("address", max_length=300) or "",
        "lat": lat,
        "lon": lon,
        "phone": fields.phone("phone"),
        "email": fields.text("email", max_length=200),
        "open_24_7": bool(fields.flag("open_24_7", default=False)),
    }
    return values


def _store_branch(session: Session, values: Values) -> str:
    code = values.pop("code")
    outcome, _ = _upsert(session, Branch, {"code": code}, values)
    return outcome


BRANCHES = FileSpec(
    kind="branches",
    required=("code", "name", "lat", "lon"),
    optional=("address", "phone", "email", "open_24_7"),
    key=lambda row: row.get("code", ""),
    parse=_parse_branch,
    store=_store_branch,
)


# --- readers --------------------------------------------------------------------------------------


def _parse_reader(fields: RowReader, lookups: _Lookups) -> Values | None:
    card = fields.card("card_number", required=True, max_length=32)
    home_code = fields.text("home_branch")
    home = lookups.branch(home_code) if home_code else None
    if home_code and home is None:
        fields.problem("row_unknown_branch", value=home_code)
    address = fields.text("address", max_length=300) or ""
    lat, lon = _reader_point(fields, lookups, card, address)
    return {
        "card_number": card,
        "full_name": fields.text("full_name", required=True, max_length=200),
        "birth_date": fields.date("birth_date"),
        "phone": fields.phone("phone"),
        "language": fields.choice("language", ("ru", "kk"), default="ru"),
        "address": address,
        "entrance": fields.text("entrance", max_length=10),
        "floor": fields.text("floor", max_length=10),
        "flat": fields.text("flat", max_length=10),
        "door_code": fields.text("door_code", max_length=20),
        "has_lift": fields.flag("has_lift"),
        "access_notes": fields.text("access_notes"),
        "lat": lat,
        "lon": lon,
        "home_branch_id": home.id if home else None,
        "card_expires_on": fields.date("card_expires_on"),
        "blocked": bool(fields.flag("blocked", default=False)),
        "block_reason": fields.text("block_reason", max_length=200),
        "disability_group": fields.integer("disability_group", low=1, high=3),
        "disability_until": fields.date("disability_until"),
        "temporary_until": fields.date("temporary_until"),
    }


def _reader_point(fields: RowReader, lookups: _Lookups, card: str | None, address: str) -> tuple[float | None, float | None]:
    """The reader's (lat, lon): from the file, else the point stored for the same address, else the geocoder's.

    An address the geocoder could not place becomes a note for a person, and no point: never a guess.
    """
    if fields.row.get("lat") or fields.row.get("lon"):
        return fields.coordinates()
    stored = lookups.reader(card) if card else None
    if stored is not None and stored.address == address and stored.lat is not None and stored.lon is not None:
        return (stored.lat, stored.lon)
    outcome = lookups.places.get(address) if address else None
    if outcome is None:
        return (None, None)
    if isinstance(outcome, Located):
        return (outcome.place.lat, outcome.place.lon)
    candidate = outcome.candidate
    fields.note(
        f"geocode_{outcome.reason.value}",
        address=address,
        found=candidate.address if candidate else "",
        lat=f"{candidate.lat:.5f}" if candidate else "",
        lon=f"{candidate.lon:.5f}" if candidate else "",
        detail=outcome.detail,
    )
    return (None, None)


def _reader_place_query(row: dict[str, str]) -> str | None:
    """A reader row's address when it has no coordinates to go with it (and is short enough to store)."""
    address = row.get("address", "")
    if row.get("lat") or row.get("lon") or not row.get("card_number") or not address or len(address) > 300:
        return None
    return address


def _store_reader(session: Session, values: Values) -> str:
    card = values.pop("card_number")
    outcome, _ = _upsert(session, Reader, {"card_number": card}, values)
    return outcome


READERS = FileSpec(
    kind="readers",
    required=("card_number", "full_name"),
    optional=(
        "birth_date",
        "phone",
        "language",
        "address",
        "entrance",
        "floor",
        "flat",
        "door_code",
        "has_lift",
        "access_notes",
        "lat",
        "lon",
        "home_branch",
        "card_expires_on",
        "blocked",
        "block_reason",
        "disability_group",
        "disability_until",
        "temporary_until",
    ),
    key=lambda row: normalise_card(row.get("card_number", "")),
    parse=_parse_reader,
    store=_store_reader,
    place_query=_reader_place_query,
)


# --- items ----------------------------------------------------------------------------------------


def _parse_item(fields: RowReader, lookups: _Lookups) -> Values | None:
    barcode = fields.text("barcode", required=True, max_length=32)
    branch_code = fields.text("branch", required=True)
    branch = lookups.branch(branch_code) if branch_code else None
    if branch_code and branch is None:
        fields.problem("row_unknown_branch", value=branch_code)
    status = fields.choice("status", [s.value for s in ItemStatus], default=ItemStatus.AVAILABLE.value)
    return {
        "barcode": barcode,
        "title": fields.text("title", required=True, max_length=300),
        "author": fields.text("author", max_length=200) or "",
        "branch_id": branch.id if branch else None,
        "status": ItemStatus(status),
        "weight_g": fields.integer("weight_g", low=1, high=20000),
    }


def _store_item(session: Session, values: Values) -> str:
    barcode = values.pop("barcode")
    outcome, _ = _upsert(session, Item, {"barcode": barcode}, values)
    return outcome


ITEMS = FileSpec(
    kind="items",
    required=("barcode", "title", "branch"),
    optional=("author", "status", "weight_g"),
    key=lambda row: row.get("barcode", ""),
    parse=_parse_item,
    store=_store_item,
)


# --- loans ----------------------------------------------------------------------------------------


def _parse_loan(fields: RowReader, lookups: _Lookups) -> Values | None:
    barcode = fields.text("barcode", required=True)
    card = fields.card("card_number", required=True)
    issued_on = fields.date("issued_on", required=True)
    due_on = fields.date("due_on", required=True)
    returned_on = fields.date("returned_on")
    item = lookups.item(barcode) if barcode else None
    if barcode and item is None:
        fields.problem("row_unknown_item", value=barcode)
    reader = lookups.reader(card) if card else None
    if card and reader is None:
        fields.problem("row_unknown_reader", value=card)
    if issued_on and due_on and due_on < issued_on:
        fields.problem("row_bad_dates_order", due_on=due_on.isoformat(), issued_on=issued_on.isoformat())
    return {"item": item, "reader": reader, "issued_on": issued_on, "due_on": due_on, "returned_on": returned_on}


def _store_loan(session: Session, values: Values) -> str:
    item: Item = values["item"]
    reader: Reader = values["reader"]
    if values["returned_on"] is None:
        other = session.execute(
            select(Loan).where(Loan.item_id == item.id, Loan.returned_on.is_(None), Loan.issued_on != values["issued_on"])
        ).scalar_one_or_none()
        if other is not None:
            raise _RowRefused(
                "row_item_on_loan_elsewhere",
                barcode=item.barcode,
                card=other.reader.card_number,
                issued_on=other.issued_on.isoformat(),
            )
    outcome, _ = _upsert(
        session,
        Loan,
        {"item_id": item.id, "issued_on": values["issued_on"]},
        {"reader_id": reader.id, "due_on": values["due_on"], "returned_on": values["returned_on"]},
    )
    _sync_item_status(session, item)
    return outcome


def _sync_item_status(session: Session, item: Item) -> None:
    """The loans file is the authority on who holds a copy: on loan while any loan of it is open."""
    open_loan = session.execute(select(Loan.id).where(Loan.item_id == item.id, Loan.returned_on.is_(None))).first()
    if open_loan is not None:
        item.status = ItemStatus.ON_LOAN
    elif item.status is ItemStatus.ON_LOAN:
        item.status = ItemStatus.AVAILABLE
    session.flush()


LOANS = FileSpec(
    kind="loans",
    required=("barcode", "card_number", "issued_on", "due_on"),
    optional=("returned_on",),
    key=lambda row: f"{row.get('barcode', '')}@{row.get('issued_on', '')}",
    parse=_parse_loan,
    store=_store_loan,
)


# --- holds ----------------------------------------------------------------------------------------


def _parse_hold(fields: RowReader, lookups: _Lookups) -> Values | None:
    card = fields.card("card_number", required=True)
    barcode = fields.text("barcode", required=True)
    placed_on = fields.date("placed_on", required=True)
    reader = lookups.reader(card) if card else None
    if card and reader is None:
        fields.problem("row_unknown_reader", value=card)
    item = lookups.item(barcode) if barcode else None
    if barcode and item is None:
        fields.problem("row_unknown_item", value=barcode)
    return {"reader": reader, "item": item, "placed_on": placed_on, "fulfilled": bool(fields.flag("fulfilled", default=False))}


def _store_hold(session: Session, values: Values) -> str:
    reader: Reader = values["reader"]
    item: Item = values["item"]
    outcome, _ = _upsert(
        session,
        Hold,
        {"reader_id": reader.id, "item_id": item.id},
        {"placed_on": values["placed_on"], "fulfilled": values["fulfilled"]},
    )
    return outcome


HOLDS = FileSpec(
    kind="holds",
    required=("card_number", "barcode", "placed_on"),
    optional=("fulfilled",),
    key=lambda row: f"{normalise_card(row.get('card_number', ''))}/{row.get('barcode', '')}",
    parse=_parse_hold,
    store=_store_hold,
)


# --- couriers -------------------------------------------------------------------------------------

COURIER_SKILLS = ("stairs", "heavy")
"""``stairs``: carries to upper floors without a lift; ``heavy``: takes loads over the usual weight."""


def _parse_courier(fields: RowReader, lookups: _Lookups) -> Values | None:
    branch_code = fields.text("branch", required=True)
    branch = lookups.branch(branch_code) if branch_code else None
    if branch_code and branch is None:
        fields.problem("row_unknown_branch", value=branch_code)
    shift_start = fields.clock("shift_start", required=True)
    shift_end = fields.clock("shift_end", required=True)
    if shift_start and shift_end and shift_end <= shift_start:
        fields.problem("row_bad_shift", start=f"{shift_start:%H:%M}", end=f"{shift_end:%H:%M}")
    days = fields.words("working_days", allowed=WEEKDAYS) or ["mon", "tue", "wed", "thu", "fri"]
    capacity_kg = fields.integer("capacity_kg", low=1, high=500)
    return {
        "code": fields.text("code", required=True, max_length=32),
        "full_name": fields.text("full_name", required=True, max_length=200),
        "phone": fields.phone("phone"),
        "kind": CourierKind(fields.choice("kind", [k.value for k in CourierKind], default=CourierKind.STAFF.value)),
        "branch_id": branch.id if branch else None,
        "shift_start": shift_start,
        "shift_end": shift_end,
        "working_days": ",".join(day for day in WEEKDAYS if day in days),
        "capacity_books": fields.integer("capacity_books", low=1, high=500) or 30,
        "capacity_g": (capacity_kg or 15) * 1000,
        "skills": fields.words("skills", allowed=COURIER_SKILLS),
        "active": bool(fields.flag("active", default=True)),
    }


def _store_courier(session: Session, values: Values) -> str:
    code = values.pop("code")
    outcome, _ = _upsert(session, Courier, {"code": code}, values)
    return outcome


COURIERS = FileSpec(
    kind="couriers",
    required=("code", "full_name", "branch", "shift_start", "shift_end"),
    optional=("phone", "kind", "working_days", "capacity_books", "capacity_kg", "skills", "active"),
    key=lambda row: row.get("code", ""),
    parse=_parse_courier,
    store=_store_courier,
)

SPECS: dict[str, FileSpec] = {spec.kind: spec for spec in (BRANCHES, READERS, ITEMS, LOANS, HOLDS, COURIERS)}
