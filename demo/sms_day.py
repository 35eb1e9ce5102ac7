"""The demo's SMS: every message of the demo day goes to the local Twilio (never to a real phone), then a summary.

The stand-in (:mod:`integrations.twilio.standin`) runs in this process; the real ``twilio`` client is
pointed at it, so sending, receipts and opt-outs follow the production code paths.
"""

from __future__ import annotations

import contextlib
import typing as t
from collections import Counter
from dataclasses import replace

from sqlalchemy import select

from dispatch.config import SmsSettings
from dispatch.models import SmsMessage
from integrations.twilio.standin import TwilioFake

if t.TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Iterator

    from dispatch.context import Context

DEMO_SENDER = "KITAPHANA"


@contextlib.contextmanager
def local_twilio(ctx: Context) -> Iterator[TwilioFake]:
    """Run the demo against the local Twilio; the context's SMS settings are put back after."""
    with TwilioFake() as fake:
        saved = ctx.settings
        sms = SmsSettings(
            account_sid=fake.account_sid,
            auth_token=fake.auth_token,
            sender_id=DEMO_SENDER,
            api_base_url=fake.url,
            quiet_hours=saved.sms.quiet_hours,
            evening_at=saved.sms.evening_at,
            library_phone=saved.sms.library_phone,
        )
        ctx.settings = replace(saved, sms=sms)
        try:
            yield fake
        finally:
            ctx.settings = saved


def report_sms(ctx: Context, fake: TwilioFake, echo: Callable[[str], None]) -> dict[str, t.Any]:
    """Print what the readers were told: messages by event and state, and one text of each event."""
    with ctx.uow() as uow:
        rows = [(m.event, m.state, m.language, m.body) for m in uow.session.scalars(select(SmsMessage).order_by(SmsMessage.id))]
    by_state = Counter(state for _, state, _, _ in rows)
    by_event = Counter(event for event, _, _, _ in rows)
    echo(
        f"SMS: {len(rows)} messages ({', '.join(f'{k} {v}' for k, v in sorted(by_state.items()))}); "
        f"{len(fake.messages)} reached the local Twilio."
    )
    shown: set[tuple[str, str]] = set()
    for event, _, language, body in rows:
        if (event, language) not in shown:
            shown.add((event, language))
            echo(f"  {event} [{language}]: {body}")
    return {"messages": len(rows), "by_state": dict(by_state), "by_event": dict(by_event), "sent_to_twilio": len(fake.messages)}
