"""A reader's standing for home delivery, whatever the books: what the phone menu, the web page and the operator show."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from dispatch.domain import eligibility
from dispatch.domain.eligibility import Reason
from dispatch.domain.scheduling import earliest_service_date
from dispatch.domain.scheduling import local_now
from dispatch.models import Reader
from dispatch.readers.lookup import get_reader
from dispatch.requests.intake import reader_facts

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dispatch.context import Context


@dataclass(frozen=True)
class Standing:
    """Whether the reader may order now, and if not every reason; whom to call."""

    card_number: str
    name: str
    language: str
    eligible: bool
    reasons: tuple[Reason, ...]
    branch_code: str | None
    branch_phone: str | None

    def as_dict(self, lang: str = "ru") -> dict[str, t.Any]:
        """Plain data with the reasons in ``lang``."""
        return {
            "card_number": self.card_number,
            "name": self.name,
            "eligible": self.eligible,
            "reasons": [{"code": r.code, "message": r.message(lang)} for r in self.reasons],
            "branch_code": self.branch_code,
            "branch_phone": self.branch_phone,
        }


def standing(ctx: Context, card_number: str) -> Standing:
    """The reader's standing today; :class:`UnknownReader` when no reader has the card."""
    with ctx.uow() as uow:
        reader = get_reader(uow.session, card_number)
        return standing_of(ctx, uow.session, reader)


def standing_of(ctx: Context, session: Session, reader: Reader) -> Standing:
    """``reader``'s standing, read in the caller's session."""
    now = ctx.clock()
    today = local_now(now, ctx.settings.schedule).date()
    reasons = eligibility.reader_reasons(
        reader_facts(session, reader),
        on_date=earliest_service_date(now, ctx.settings.schedule, ctx.calendar),
        today=today,
        rules=ctx.settings.eligibility,
        area=ctx.area,
    )
    branch = reader.home_branch
    return Standing(
        card_number=reader.card_number,
        name=reader.full_name,
        language=reader.language,
        eligible=not reasons,
        reasons=tuple(reasons),
        branch_code=branch.code if branch else None,
        branch_phone=branch.phone if branch else None,
    )
