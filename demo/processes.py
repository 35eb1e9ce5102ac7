"""The served demo's processes and their wiring: the Procfile's web, worker and cron plus the local Yandex and Twilio.

Everything is connected through the same environment variables production sets (``DISPATCH_JOBS=rq``,
``YANDEX_BASE_URL``, ``TWILIO_API_BASE_URL``, ``DISPATCH_PUBLIC_URL``…), in this one place; the
processes themselves cannot tell the demo from production, except that ``DISPATCH_DEMO`` shows the
SMS outbox page.
"""

from __future__ import annotations

import shlex
import sys
import typing as t
from dataclasses import dataclass

from demo.yandex_day import DEMO_TOKEN
from dispatch.config import PlanningSettings
from integrations.twilio.standin import DEFAULT_ACCOUNT_SID
from integrations.twilio.standin import DEFAULT_AUTH_TOKEN

if t.TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_PORT = 8000
HOST = "127.0.0.1"
SMS_SENDER = "KITAPHANA"
#: Signs the sessions of the demo's web workers (they must share it); a demo on 127.0.0.1 only.
DEMO_SECRET_KEY = "demo-only-secret-key-never-used-in-production"
#: The local Yandex moves each claim one status on this often, and the cron reads the journal this often.
YANDEX_STEP_S = 15
YANDEX_SYNC_S = 10
#: Return pickups are asked for this many days before a loan falls due: longer than a loan, so in the demo
#: a delivery's return pickup fires as soon as the books are delivered, even when the demo plays a later
#: service day's route today (in production: a few days before the loan ends).
RETURN_AT_ONCE_DAYS = PlanningSettings().loan_days + 7
#: The local Twilio reports each message sent, then delivered, this many seconds after taking it.
TWILIO_DELIVER_S = 2


@dataclass(frozen=True)
class Ports:
    """Where the demo listens: the web app, and beside it the local Yandex and the local Twilio."""

    web: int = DEFAULT_PORT
    yandex: int = DEFAULT_PORT + 1
    twilio: int = DEFAULT_PORT + 2

    @classmethod
    def from_web(cls, web: int, yandex: int | None = None, twilio: int | None = None) -> Ports:
        """The web port, the two stand-ins on the next two ports unless given."""
        return cls(web=web, yandex=yandex or web + 1, twilio=twilio or web + 2)

    def url(self, port: int) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{port}"


@dataclass(frozen=True)
class Process:
    """One named process of the demo, as a Procfile line would give it."""

    name: str
    command: str
    what: str
    port: int | None = None


def demo_environment(ports: Ports, base: Mapping[str, str]) -> dict[str, str]:
    """``base`` (the caller's environment: its database and Redis are kept) with the demo's wiring on top."""
    env = dict(base)
    redis_url = env.get("DISPATCH_REDIS_URL") or "redis://127.0.0.1:6379/0"
    env.update(
        {
            "DISPATCH_DEMO": "true",
            "DISPATCH_JOBS": "rq",
            "DISPATCH_REDIS_URL": redis_url,
            "DISPATCH_RATELIMIT_STORAGE": redis_url,
            "DISPATCH_PUBLIC_URL": ports.url(ports.web),
            "DISPATCH_SECRET_KEY": env.get("DISPATCH_SECRET_KEY") or DEMO_SECRET_KEY,
            "DISPATCH_YANDEX_SYNC_EVERY_S": env.get("DISPATCH_YANDEX_SYNC_EVERY_S") or str(YANDEX_SYNC_S),
            "DISPATCH_RETURN_DAYS_BEFORE_DUE": env.get("DISPATCH_RETURN_DAYS_BEFORE_DUE") or str(RETURN_AT_ONCE_DAYS),
            "YANDEX_BASE_URL": ports.url(ports.yandex),
            "YANDEX_TOKEN": DEMO_TOKEN,
            "TWILIO_ACCOUNT_SID": DEFAULT_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": DEFAULT_AUTH_TOKEN,
            "TWILIO_SENDER_ID": SMS_SENDER,
            "TWILIO_API_BASE_URL": ports.url(ports.twilio),
            "PORT": str(ports.web),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("TWILIO_MESSAGING_SERVICE_SID", None)
    return env


def demo_processes(ports: Ports, python: str = sys.executable, *, yandex_step_s: float = YANDEX_STEP_S) -> list[Process]:
    """The Procfile's processes (the web app bound to this machine only) and the two local stand-ins."""
    py = shlex.quote(python)
    return [
        Process(
            "web",
            f"{py} -m gunicorn --bind {HOST}:{ports.web} --workers 2 'web:create_app()'",
            "the web app (gunicorn, 2 workers)",
            ports.web,
        ),
        Process("worker", f"{py} -m cli jobs worker", "RQ worker with its scheduler (planning, SMS, bookings, returns)"),
        Process("cron", f"{py} -m cli jobs cron", "periodic jobs (nightly plan, standing orders, Yandex journal)"),
        Process(
            "yandex",
            f"{py} -m integrations.yandex.standin --port {ports.yandex} --token {DEMO_TOKEN} --step-s {yandex_step_s:g}",
            "local Yandex Delivery (claims move on by themselves)",
            ports.yandex,
        ),
        Process(
            "twilio",
            f"{py} -m integrations.twilio.standin --port {ports.twilio} --account-sid {DEFAULT_ACCOUNT_SID} "
            f"--auth-token {DEFAULT_AUTH_TOKEN} --callback-base-url {ports.url(ports.web)} --auto-deliver-s {TWILIO_DELIVER_S}",
            "local Twilio (texts are shown on the SMS outbox page)",
            ports.twilio,
        ),
    ]
