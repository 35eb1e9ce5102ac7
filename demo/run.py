"""The demo day: export files imported, then a day of requests taken through the intake service."""

from __future__ import annotations

import random
import typing as t
from collections import Counter
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from couriers import roster
from demo import population as pop
from demo.accounts import demo_accounts
from demo.day_plan import plan_demo_day
from demo.osm_places import read_places
from demo.sms_day import local_twilio
from demo.sms_day import report_sms
from demo.yandex_day import leave_yandex_routes
from demo.yandex_day import play_yandex_day
from dispatch.config import REPO_ROOT
from dispatch.domain.scheduling import earliest_service_date
from dispatch.errors import DispatchError
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.messages import render
from dispatch.requests.intake import submit_request

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from dispatch.context import Context

CHANNELS = (("operator", 40), ("phone", 20), ("web", 28), ("api", 12))
WINDOWS = ("10:00-14:00", "14:00-18:00", None, None)
ELIGIBLE_PROFILES = {"group", "age", "temporary"}


@dataclass(frozen=True)
class DemoOutcome:
    """What the demo did, and the day whose batches it shows."""

    service_day: date
    summary: dict[str, t.Any]


def run_demo(
    ctx: Context,
    *,
    readers: int,
    seed: int,
    echo: Callable[[str], None],
    export_dir: Path | None = None,
    plan_seconds: float = 1.0,
    play_yandex: bool = True,
) -> DemoOutcome:
    """Create the demo city and day; running it again the same day changes nothing.

    The export files are written to ``export_dir`` (default ``var/demo``) and imported from there.
    Readers' SMS go to the local Twilio, and are summed up at the end. Without ``play_yandex`` the
    day's Yandex routes stay drafts, for the dispatcher to book in the served demo (``make demo``).
    """
    with local_twilio(ctx) as twilio:
        outcome = _demo_day(
            ctx, readers=readers, seed=seed, echo=echo, export_dir=export_dir, plan_seconds=plan_seconds, play_yandex=play_yandex
        )
        outcome.summary["sms"] = report_sms(ctx, twilio, echo)
    outcome.summary["accounts"] = len(demo_accounts(ctx, echo))
    return outcome


def _demo_day(
    ctx: Context,
    *,
    readers: int,
    seed: int,
    echo: Callable[[str], None],
    export_dir: Path | None,
    plan_seconds: float,
    play_yandex: bool,
) -> DemoOutcome:
    tz = ZoneInfo(ctx.settings.schedule.timezone)
    intake_day = ctx.clock().astimezone(tz).date()
    rng = random.Random(seed)
    echo(f"Reading the map {ctx.settings.osm_path} …")
    streets, buildings = read_places(ctx.settings.osm_path)
    people = pop.build(rng, streets, buildings, ctx.area, readers=readers, today=intake_day)
    people.couriers = pop.couriers_for(rng, people.branches)
    paths = pop.write_csvs(people, export_dir or REPO_ROOT / "var" / "demo")
    echo(
        f"Export files written to {paths['readers'].parent} (the readers file has {len(pop.BAD_READER_ROWS)} bad rows on purpose)."
    )
    imports = {}
    for kind in ("branches", "readers", "items", "loans", "couriers"):
        report = run_import(ctx, SPECS[kind], paths[kind])
        imports[kind] = report.as_dict(ctx.settings.language)
        echo(report.summary(ctx.settings.language))
        for row in report.rejected:
            echo(f"  {row.message(ctx.settings.language)}")
        for noted in report.needs_attention:
            echo(f"  {render('import_needs_attention', ctx.settings.language, {'row': noted.message(ctx.settings.language)})}")
    requests = _take_requests(ctx, rng, people, intake_day, seed, tz)
    received = datetime.combine(intake_day, time(9, 0), tzinfo=tz)
    service_day = earliest_service_date(received, ctx.settings.schedule, ctx.calendar)
    statuses = Counter(r["status"] for r in requests if not r["duplicate"])
    reasons = Counter(code for r in requests if not r["duplicate"] for code in r["reasons"])
    echo(
        f"Requests taken on {intake_day.isoformat()}: {sum(statuses.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}), "
        f"{sum(r['duplicate'] for r in requests)} repeats answered with the stored request."
    )
    if reasons:
        echo("Rejection reasons: " + ", ".join(f"{code} {n}" for code, n in reasons.most_common()))
    days = Counter(r["service_date"] for r in requests if r["service_date"] and not r["duplicate"])
    echo("Service days: " + ", ".join(f"{day} {n}" for day, n in sorted(days.items())))
    off_sick = _couriers_off_sick(ctx, people, echo)
    summary = {
        "couriers_off_sick": off_sick,
        "plan": plan_demo_day(
            ctx, service_day, time_limit_s=plan_seconds, folder=(export_dir or REPO_ROOT / "var" / "demo"), echo=echo
        ),
        "yandex": play_yandex_day(ctx, service_day, echo=echo)
        if play_yandex
        else leave_yandex_routes(ctx, service_day, echo=echo),
        "intake_day": intake_day.isoformat(),
        "imports": imports,
        "requests": dict(statuses),
        "repeats": sum(r["duplicate"] for r in requests),
        "rejection_reasons": dict(reasons),
        "service_days": dict(days),
    }
    return DemoOutcome(service_day=service_day, summary=summary)


def _couriers_off_sick(ctx: Context, people: pop.Population, echo: Callable[[str], None]) -> list[str]:
    """The couriers of the branch with most readers are off sick: its day goes to Yandex's cars."""
    if not people.couriers:
        return []
    busiest = Counter(reader["home_branch"] for reader in people.readers if reader.get("home_branch")).most_common(1)[0][0]
    codes = [c["code"] for c in people.couriers if c["branch"] == busiest]
    for code in codes:
        roster.set_active(ctx, code, active=False)
    echo(f"Couriers of branch {busiest} are off sick today ({', '.join(codes)}): the planner calls Yandex there.")
    return codes


def _take_requests(
    ctx: Context,
    rng: random.Random,
    people: pop.Population,
    intake_day: date,
    seed: int,
    tz: ZoneInfo,
) -> list[dict[str, t.Any]]:
    """A day of requests from every channel, at times spread over the day, with a few repeats."""
    shelf: dict[str, list[str]] = {}
    for item in people.items:
        if item["status"] == "available":
            shelf.setdefault(item["branch"], []).append(item["barcode"])
    on_loan: dict[str, list[str]] = {}
    for loan in people.loans:
        if not loan["returned_on"]:
            on_loan.setdefault(loan["card_number"], []).append(loan["barcode"])
    asks = []
    for reader in people.readers:
        card, profile = reader["card_number"], people.profiles[reader["card_number"]]
        eligible = profile in ELIGIBLE_PROFILES
        if card in on_loan and rng.random() < 0.3:
            asks.append((card, "return_pickup", on_loan[card]))
        elif rng.random() < (0.55 if eligible else 0.6):
            books = _nearest_shelf(people, shelf, reader)
            chosen = [books.pop(rng.randrange(len(books))) for _ in range(min(len(books), rng.randint(1, 4)))]
            if chosen:
                asks.append((card, "delivery", chosen))
    results = []
    original_clock = ctx.clock
    try:
        for n, (card, kind, barcodes) in enumerate(asks):
            minute = rng.randint(8 * 60, 20 * 60 - 1)
            at = datetime.combine(intake_day, time(minute // 60, minute % 60), tzinfo=tz)
            ctx.clock = _fixed_clock(at)
            channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
            window = rng.choice(WINDOWS)
            wished = intake_day + timedelta(days=rng.randint(2, 6)) if rng.random() < 0.1 else None
            key = f"demo-{seed}-{intake_day.isoformat()}-{n}"
            repeats = 2 if rng.random() < 0.05 else 1
            for _ in range(repeats):
                results.append(_submit(ctx, card, kind, barcodes, channel, window, wished, key))
    finally:
        ctx.clock = original_clock
    return results


def _fixed_clock(moment: datetime) -> Callable[[], datetime]:
    """A clock that always says ``moment``: the demo replays a day's requests at their own times."""
    return lambda: moment


def _nearest_shelf(people: pop.Population, shelf: dict[str, list[str]], reader: dict[str, t.Any]) -> list[str]:
    """The reader's home branch shelf, or the nearest branch that still has books (as a reader would ask)."""
    if shelf.get(reader["home_branch"]) or not reader["lat"]:
        return shelf.get(reader["home_branch"], [])
    by_distance = sorted(people.branches, key=lambda b: (b["lat"] - reader["lat"]) ** 2 + (b["lon"] - reader["lon"]) ** 2)
    for branch in by_distance:
        if shelf.get(branch["code"]):
            return shelf[branch["code"]]
    return []


def _submit(
    ctx: Context,
    card: str,
    kind: str,
    barcodes: list[str],
    channel: str,
    window: str | None,
    wished: date | None,
    key: str,
) -> dict[str, t.Any]:
    try:
        view = submit_request(
            ctx,
            card_number=card,
            barcodes=barcodes,
            kind=kind,
            channel=channel,
            window=window,
            wished_date=wished,
            idempotency_key=key,
            actor=f"demo:{channel}",
        )
    except DispatchError as e:
        return {"status": "error", "reasons": [e.code], "duplicate": False, "service_date": None}
    return {
        "status": view.status,
        "reasons": [r["code"] for r in view.reasons],
        "duplicate": view.duplicate,
        "service_date": view.service_date,
    }
