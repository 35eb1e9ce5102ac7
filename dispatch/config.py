"""Settings read once from ``DISPATCH_*`` environment variables, with defaults that run the demo."""

from __future__ import annotations

import os
import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import time
from pathlib import Path

from dispatch.domain.scheduling import WEEKDAYS
from dispatch.domain.scheduling import ScheduleRules
from dispatch.domain.scheduling import parse_clock
from routing.geocoding import PROVIDERS
from routing.geocoding import USER_AGENT

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OSM_PATH = REPO_ROOT.parent / "shared" / "data" / "osm" / "almaty-2012.osm.pbf"
DEFAULT_SERVICE_AREA = Path(__file__).resolve().parent / "data" / "almaty_service_area.geojson"


@dataclass(frozen=True)
class EligibilityRules:
    """Who may have books brought home, and how many; every number here is configuration."""

    eligible_disability_groups: frozenset[int] = frozenset({1, 2})
    min_age_years: int = 70
    accept_temporary_condition: bool = True
    require_phone: bool = True
    max_items_per_delivery: int = 10
    max_open_requests: int = 2
    max_days_ahead: int = 30


@dataclass(frozen=True)
class GeocodingSettings:
    """Which geocoder places imported addresses, and how gently it is asked; off unless configured."""

    enabled: bool = False
    provider: str = "nominatim"
    domain: str | None = None
    scheme: str = "https"
    api_key: str | None = None
    min_delay_s: float = 1.0
    timeout_s: float = 10.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class PlanningSettings:
    """How a day is planned: time at the door, the carrier's cars, solver budget, breaks and loans."""

    door_service_s: int = 600
    """At a reader's door: readers with limited mobility take time to open, sign and chat."""
    loading_s: int = 60
    """At the branch, per request: finding its bag on the shelf (or checking returned books in)."""
    time_limit_s: float = 10.0
    solution_limit: int | None = None
    """Stop the search after this many solutions: the same day then gets the same plan on a busy machine
    as on an idle one (``time_limit_s`` stays the upper bound). ``None``: the time limit alone decides."""
    solver_workers: int = 2
    snap_max_m: float = 300.0
    courier_fixed_cost_s: int = 3600
    """Cost of calling one more in-house courier out, in seconds of driving: fewer couriers are preferred."""
    yandex_vehicles: int = 2
    """Yandex cars the planner may use per branch and day (0: in-house couriers only)."""
    yandex_shift: tuple[time, time] = (time(9, 0), time(20, 0))
    yandex_capacity_books: int = 30
    yandex_capacity_g: int = 20000
    yandex_fixed_cost_s: int = 7200
    """Higher than an in-house courier's: Yandex is called when the branch's own couriers cannot cope."""
    break_minutes: int = 30
    break_window: tuple[time, time] = (time(13, 0), time(14, 0))
    break_after_hours: float = 6.0
    """A courier whose shift is longer than this takes a break within ``break_window``."""
    stairs_floor: int = 3
    """From this floor up, in a building without a lift, only couriers with the ``stairs`` skill go."""
    balance_coefficient: int = 0
    loan_days: int = 30
    """Loan period given to books handed over at the door, when the loans file has no open loan yet."""
    return_days_before_due: int = 3
    """A return pickup is planned this many days before the loan falls due."""
    return_job_hour: time = time(8, 0)
    """Local time at which the job creating a return pickup runs (before the cut-off of its day)."""


@dataclass(frozen=True)
class JobSettings:
    """Where background jobs run: inline in the calling process (demo) or on RQ workers through Redis."""

    mode: str = "inline"
    redis_url: str = "redis://127.0.0.1:6379/0"
    queue: str = "dispatch"
    retry_intervals_s: tuple[int, ...] = (10, 60, 300)
    timeout_s: int = 1800


@dataclass(frozen=True)
class YandexSettings:
    """Yandex Delivery: where its API is (the local stand-in in tests and the demo), and how routes are booked."""

    base_url: str | None = None
    """``YANDEX_BASE_URL``: ``https://b2b.taxi.yandex.net`` in production; unset, booking is off."""
    token: str | None = None
    """``YANDEX_TOKEN``: the business cabinet's OAuth token (a secret: never in the repository)."""
    language: str = "ru"
    taxi_class: str = "courier"
    confirm_above_kzt: int = 15000
    """A route whose estimate is above this many tenge is booked only when the dispatcher confirms it."""
    book_value_kzt: int = 5000
    """Declared value per book, for Yandex's insurance."""
    duty_name: str = "Дежурный библиотекарь"
    """Name on the emergency contact and the branch's source point (the branch's phone is the number)."""
    timeout_s: float = 20.0
    sync_every_s: int = 60
    """How often the cron process polls the claims journal."""
    accept_wait_s: float = 60.0
    """How long a booking job waits for the estimate before it leaves the accept to the journal sync."""

    @property
    def enabled(self) -> bool:
        """Whether routes can be booked: a base URL and a token are set."""
        return bool(self.base_url and self.token)


@dataclass(frozen=True)
class SmsSettings:
    """Twilio SMS: credentials and sender, when messages may go out, and how often a failure is retried."""

    account_sid: str | None = None
    auth_token: str | None = None
    messaging_service_sid: str | None = None
    sender_id: str | None = None
    """A registered alphanumeric sender (e.g. ``KITAPHANA``), used when there is no messaging service."""
    api_base_url: str | None = None
    """Tests and the demo only: the local Twilio stand-in that every Twilio call goes to instead."""
    quiet_hours: tuple[time, time] = (time(21, 0), time(9, 0))
    """No SMS between these local times: a message due at night waits for the morning."""
    evening_at: time = time(18, 0)
    """When the "delivery tomorrow" and "pickup tomorrow" messages go out the day before."""
    max_attempts: int = 3
    library_phone: str = "+7 727 000 00 00"
    """The number readers are told to call (rejections, failed attempts, opt-in)."""

    @property
    def enabled(self) -> bool:
        """Whether messages can be sent: an account and a token are set."""
        return bool(self.account_sid and self.auth_token)


@dataclass(frozen=True)
class Settings:
    """Everything configurable, in one frozen object passed to whoever needs it."""

    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'dispatch.sqlite3'}"
    osm_path: Path = DEFAULT_OSM_PATH
    service_area_path: Path = DEFAULT_SERVICE_AREA
    language: str = "ru"
    public_url: str | None = None
    """The web app's public address (``DISPATCH_PUBLIC_URL``): where Yandex and Twilio call us back; unset, no callbacks."""
    secret_key: str | None = None
    """Signs the web sessions (``DISPATCH_SECRET_KEY``); unset, a random key per process (sessions end on restart)."""
    ratelimit_storage: str = "memory://"
    """Where sign-in and one-time-code limits are counted (``DISPATCH_RATELIMIT_STORAGE``, e.g. ``redis://…`` with several web processes)."""
    undo_outcome_minutes: int = 5
    """``DISPATCH_UNDO_OUTCOME_MINUTES``: how long a courier may undo the last stop they recorded (0: never)."""
    demo: bool = False
    """``DISPATCH_DEMO``: the local demo's extra staff pages (the SMS outbox of the local Twilio); never on in production."""
    eligibility: EligibilityRules = field(default_factory=EligibilityRules)
    schedule: ScheduleRules = field(default_factory=ScheduleRules)
    geocoding: GeocodingSettings = field(default_factory=GeocodingSettings)
    planning: PlanningSettings = field(default_factory=PlanningSettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    yandex: YandexSettings = field(default_factory=YandexSettings)
    sms: SmsSettings = field(default_factory=SmsSettings)

    @classmethod
    def from_env(cls, environ: t.Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``DISPATCH_*`` variables (see ``.env.example`` for the full list)."""
        env = _Env(os.environ if environ is None else environ)
        base_rules = EligibilityRules()
        base_schedule = ScheduleRules()
        rules = EligibilityRules(
            eligible_disability_groups=env.int_set("ELIGIBLE_DISABILITY_GROUPS", base_rules.eligible_disability_groups),
            min_age_years=env.integer("MIN_AGE_YEARS", base_rules.min_age_years),
            accept_temporary_condition=env.boolean("ACCEPT_TEMPORARY_CONDITION", base_rules.accept_temporary_condition),
            require_phone=env.boolean("REQUIRE_PHONE", base_rules.require_phone),
            max_items_per_delivery=env.integer("MAX_ITEMS_PER_DELIVERY", base_rules.max_items_per_delivery),
            max_open_requests=env.integer("MAX_OPEN_REQUESTS", base_rules.max_open_requests),
            max_days_ahead=env.integer("MAX_DAYS_AHEAD", base_rules.max_days_ahead),
        )
        schedule = ScheduleRules(
            timezone=env.text("TIMEZONE", base_schedule.timezone),
            cutoff=env.clock("CUTOFF", base_schedule.cutoff),
            working_weekdays=env.weekdays("WORKING_DAYS", base_schedule.working_weekdays),
            holidays_country=env.text("HOLIDAYS_COUNTRY", base_schedule.holidays_country or "") or None,
            closed_dates=frozenset(env.items("CLOSED_DATES", [])),
            service_start=env.clock("SERVICE_START", base_schedule.service_start),
            service_end=env.clock("SERVICE_END", base_schedule.service_end),
            default_window=env.window("DEFAULT_WINDOW", base_schedule.default_window),
            min_window_minutes=env.integer("MIN_WINDOW_MINUTES", base_schedule.min_window_minutes),
        )
        return cls(
            database_url=env.text("DATABASE_URL", cls.database_url),
            osm_path=Path(env.text("OSM_PATH", str(DEFAULT_OSM_PATH))),
            service_area_path=Path(env.text("SERVICE_AREA", str(DEFAULT_SERVICE_AREA))),
            language=env.text("LANGUAGE", cls.language),
            public_url=env.text("PUBLIC_URL", "").rstrip("/") or None,
            secret_key=env.text("SECRET_KEY", "") or None,
            ratelimit_storage=env.text("RATELIMIT_STORAGE", cls.ratelimit_storage),
            undo_outcome_minutes=max(0, env.integer("UNDO_OUTCOME_MINUTES", cls.undo_outcome_minutes)),
            demo=env.boolean("DEMO", cls.demo),
            eligibility=rules,
            schedule=schedule,
            geocoding=_geocoding(env),
            planning=_planning(env),
            jobs=_jobs(env),
            yandex=_yandex(env, os.environ if environ is None else environ),
            sms=_sms(env, os.environ if environ is None else environ),
        )


def _planning(env: _Env) -> PlanningSettings:
    """``DISPATCH_*`` settings of the daily planning."""
    base = PlanningSettings()
    return PlanningSettings(
        door_service_s=env.integer("DOOR_SERVICE_MINUTES", base.door_service_s // 60) * 60,
        loading_s=env.integer("LOADING_SECONDS", base.loading_s),
        time_limit_s=env.number("PLAN_TIME_LIMIT_S", base.time_limit_s, low=0.1),
        solution_limit=_solution_limit(env),
        solver_workers=env.integer("SOLVER_WORKERS", base.solver_workers),
        snap_max_m=env.number("SNAP_MAX_M", base.snap_max_m, low=1.0),
        courier_fixed_cost_s=env.integer("COURIER_FIXED_COST_S", base.courier_fixed_cost_s),
        yandex_vehicles=env.integer("YANDEX_VEHICLES", base.yandex_vehicles),
        yandex_shift=env.window("YANDEX_SHIFT", base.yandex_shift),
        yandex_capacity_books=env.integer("YANDEX_CAPACITY_BOOKS", base.yandex_capacity_books),
        yandex_capacity_g=round(env.number("YANDEX_CAPACITY_KG", base.yandex_capacity_g / 1000, low=0.0) * 1000),
        yandex_fixed_cost_s=env.integer("YANDEX_FIXED_COST_S", base.yandex_fixed_cost_s),
        break_minutes=env.integer("BREAK_MINUTES", base.break_minutes),
        break_window=env.window("BREAK_WINDOW", base.break_window),
        break_after_hours=env.number("BREAK_AFTER_HOURS", base.break_after_hours, low=0.0),
        stairs_floor=env.integer("STAIRS_FLOOR", base.stairs_floor),
        balance_coefficient=env.integer("BALANCE_COEFFICIENT", base.balance_coefficient),
        loan_days=env.integer("LOAN_DAYS", base.loan_days),
        return_days_before_due=env.integer("RETURN_DAYS_BEFORE_DUE", base.return_days_before_due),
        return_job_hour=env.clock("RETURN_JOB_TIME", base.return_job_hour),
    )


def _solution_limit(env: _Env) -> int | None:
    """``DISPATCH_PLAN_SOLUTION_LIMIT``: unset or empty for none, else a whole number of at least 1."""
    if env.text("PLAN_SOLUTION_LIMIT", "") == "":
        return None
    limit = env.integer("PLAN_SOLUTION_LIMIT", 0)
    if limit < 1:
        env._fail("PLAN_SOLUTION_LIMIT", str(limit), "a whole number of at least 1, or nothing for no limit")
    return limit


def _yandex(env: _Env, environ: t.Mapping[str, str]) -> YandexSettings:
    """``YANDEX_BASE_URL`` and ``YANDEX_TOKEN`` (the names Yandex's own examples use), then ``DISPATCH_YANDEX_*``."""
    base = YandexSettings()
    base_url = (environ.get("YANDEX_BASE_URL") or "").strip().rstrip("/") or None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        msg = f"YANDEX_BASE_URL={base_url!r} is not valid: expected an http:// or https:// URL"
        raise ValueError(msg)
    return YandexSettings(
        base_url=base_url,
        token=(environ.get("YANDEX_TOKEN") or "").strip() or None,
        language=env.choice("YANDEX_LANGUAGE", ("ru", "en"), base.language),
        taxi_class=env.choice("YANDEX_TAXI_CLASS", ("courier", "express", "cargo"), base.taxi_class),
        confirm_above_kzt=env.integer("YANDEX_CONFIRM_ABOVE_KZT", base.confirm_above_kzt),
        book_value_kzt=env.integer("YANDEX_BOOK_VALUE_KZT", base.book_value_kzt),
        duty_name=env.text("YANDEX_DUTY_NAME", base.duty_name),
        timeout_s=env.number("YANDEX_TIMEOUT_S", base.timeout_s, low=0.1),
        sync_every_s=env.integer("YANDEX_SYNC_EVERY_S", base.sync_every_s),
        accept_wait_s=env.number("YANDEX_ACCEPT_WAIT_S", base.accept_wait_s, low=0.0),
    )


def _sms(env: _Env, environ: t.Mapping[str, str]) -> SmsSettings:
    """``TWILIO_*`` (the names Twilio's own client reads), then ``DISPATCH_SMS_*``."""
    base = SmsSettings()

    def twilio(name: str) -> str | None:
        return (environ.get(f"TWILIO_{name}") or "").strip() or None

    api_base_url = twilio("API_BASE_URL")
    if api_base_url is not None and not api_base_url.startswith(("http://", "https://")):
        msg = f"TWILIO_API_BASE_URL={api_base_url!r} is not valid: expected an http:// or https:// URL"
        raise ValueError(msg)
    return SmsSettings(
        account_sid=twilio("ACCOUNT_SID"),
        auth_token=twilio("AUTH_TOKEN"),
        messaging_service_sid=twilio("MESSAGING_SERVICE_SID"),
        sender_id=twilio("SENDER_ID"),
        api_base_url=api_base_url,
        quiet_hours=env.window("SMS_QUIET_HOURS", base.quiet_hours, overnight=True),
        evening_at=env.clock("SMS_EVENING_AT", base.evening_at),
        max_attempts=env.integer("SMS_MAX_ATTEMPTS", base.max_attempts),
        library_phone=env.text("LIBRARY_PHONE", base.library_phone),
    )


def _jobs(env: _Env) -> JobSettings:
    """``DISPATCH_JOBS`` (inline or rq), ``DISPATCH_REDIS_URL`` and the retry policy."""
    base = JobSettings()
    intervals = env.items("JOB_RETRY_INTERVALS_S", [str(s) for s in base.retry_intervals_s])
    try:
        retry = tuple(int(value) for value in intervals)
    except ValueError:
        env._fail("JOB_RETRY_INTERVALS_S", ",".join(intervals), "comma-separated whole seconds")
    return JobSettings(
        mode=env.choice("JOBS", ("inline", "rq"), base.mode),
        redis_url=env.text("REDIS_URL", base.redis_url),
        queue=env.text("QUEUE", base.queue),
        retry_intervals_s=retry,
        timeout_s=env.integer("JOB_TIMEOUT_S", base.timeout_s),
    )


def _geocoding(env: _Env) -> GeocodingSettings:
    """``DISPATCH_GEOCODING`` and ``DISPATCH_GEOCODER_*``; ``DISPATCH_GEOCODER_URL`` may carry its scheme."""
    base = GeocodingSettings()
    enabled = env.boolean("GEOCODING", base.enabled)
    provider = env.choice("GEOCODER", PROVIDERS, base.provider)
    scheme = env.choice("GEOCODER_SCHEME", ("https", "http"), base.scheme)
    domain = env.text("GEOCODER_URL", "") or None
    if domain is not None and "://" in domain:
        scheme, _, domain = domain.partition("://")
        if scheme not in ("https", "http"):
            env._fail("GEOCODER_URL", f"{scheme}://{domain}", "a host name, or an http:// or https:// URL")
    api_key = env.text("GEOCODER_API_KEY", "") or None
    if enabled and provider == "yandex" and api_key is None:
        env._fail("GEOCODER_API_KEY", "", "the Yandex Geocoder API key when DISPATCH_GEOCODER=yandex")
    return GeocodingSettings(
        enabled=enabled,
        provider=provider,
        domain=domain.rstrip("/") if domain else None,
        scheme=scheme,
        api_key=api_key,
        min_delay_s=env.number("GEOCODER_MIN_DELAY_S", base.min_delay_s, low=0.0),
        timeout_s=env.number("GEOCODER_TIMEOUT_S", base.timeout_s, low=0.1),
        user_agent=env.text("GEOCODER_USER_AGENT", base.user_agent),
    )


class _Env:
    """Typed reads of ``DISPATCH_``-prefixed variables that name the variable when a value is wrong."""

    PREFIX = "DISPATCH_"

    def __init__(self, environ: t.Mapping[str, str]) -> None:
        self._environ = environ

    def _raw(self, name: str) -> str | None:
        value = self._environ.get(self.PREFIX + name)
        return value.strip() if value is not None and value.strip() != "" else None

    def _fail(self, name: str, value: str, expected: str) -> t.NoReturn:
        msg = f"{self.PREFIX}{name}={value!r} is not valid: expected {expected}"
        raise ValueError(msg)

    def text(self, name: str, default: str) -> str:
        raw = self._raw(name)
        return default if raw is None else raw

    def integer(self, name: str, default: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            self._fail(name, raw, "a whole number")

    def number(self, name: str, default: float, *, low: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = None
        if value is None or not value >= low:
            self._fail(name, raw, f"a number not below {low:g}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() not in allowed:
            self._fail(name, raw, " or ".join(allowed))
        return raw.lower()

    def boolean(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        self._fail(name, raw, "true or false")

    def items(self, name: str, default: list[str]) -> list[str]:
        raw = self._raw(name)
        if raw is None:
            return default
        return [part.strip() for part in raw.split(",") if part.strip()]

    def int_set(self, name: str, default: frozenset[int]) -> frozenset[int]:
        parts = self.items(name, [])
        if not parts:
            return default
        try:
            return frozenset(int(part) for part in parts)
        except ValueError:
            self._fail(name, ",".join(parts), "comma-separated whole numbers")

    def clock(self, name: str, default: time) -> time:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            return parse_clock(raw)
        except ValueError:
            self._fail(name, raw, "a time HH:MM")

    def window(self, name: str, default: tuple[time, time], *, overnight: bool = False) -> tuple[time, time]:
        """``HH:MM-HH:MM`` with the start before the end, or (``overnight``) ending after midnight."""
        raw = self._raw(name)
        if raw is None:
            return default
        start, sep, end = raw.partition("-")
        try:
            window = (parse_clock(start), parse_clock(end))
        except ValueError:
            window = None
        wrong = window is None or (window[0] == window[1] if overnight else window[0] >= window[1])
        if not sep or window is None or wrong:
            expected = "HH:MM-HH:MM (the end may be after midnight)" if overnight else "HH:MM-HH:MM with the start before the end"
            self._fail(name, raw, expected)
        return window

    def weekdays(self, name: str, default: frozenset[int]) -> frozenset[int]:
        parts = [part.lower()[:3] for part in self.items(name, [])]
        if not parts:
            return default
        if any(part not in WEEKDAYS for part in parts):
            self._fail(name, ",".join(parts), "weekday names such as mon,tue,wed,thu,fri")
        return frozenset(WEEKDAYS.index(part) for part in parts)
