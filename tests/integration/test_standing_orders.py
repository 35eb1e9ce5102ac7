"""Standing orders create their visits' requests ahead of time through the intake, once each."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dispatch.domain.statuses import Channel
from dispatch.domain.statuses import RequestKind
from dispatch.models import DeliveryRequest
from dispatch.models import Hold
from dispatch.models import Item
from dispatch.models import Reader
from dispatch.requests.standing_orders import add_standing_order
from dispatch.requests.standing_orders import create_due


def test_a_fortnightly_visit_collects_what_falls_due_and_brings_what_is_held(ctx, world) -> None:
    with ctx.uow() as uow:
        reader = uow.session.execute(select(Reader).where(Reader.card_number == world.reader)).scalar_one()
        item = uow.session.execute(select(Item).where(Item.barcode == world.books_b01[0])).scalar_one()
        uow.session.add(Hold(reader_id=reader.id, item_id=item.id, placed_on=date(2026, 11, 20)))
        uow.commit()
    order = add_standing_order(
        ctx, card_number=world.reader, weekday="tue", every_weeks=2, first_date=date(2026, 11, 24), window="14:00-18:00"
    )
    assert order["weekday"] == "tue" and order["window"] == "14:00-18:00"
    first = create_due(ctx, days_ahead=7)
    again = create_due(ctx, days_ahead=7)
    assert first["created"] == 2 and again["created"] == 0
    with ctx.uow() as uow:
        made = uow.session.scalars(select(DeliveryRequest).order_by(DeliveryRequest.kind)).all()
        assert {(r.kind, r.service_date, r.channel) for r in made} == {
            (RequestKind.DELIVERY, date(2026, 11, 24), Channel.STANDING_ORDER),
            (RequestKind.RETURN_PICKUP, date(2026, 11, 24), Channel.STANDING_ORDER),
        }
        assert uow.session.scalars(select(Hold.fulfilled)).all() == [True]
