"""A planned route's PDF manifest speaks in words: the carrier, the kinds, the request numbers, no code or random id."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from couriers.manifests.build import build_manifest
from couriers.manifests.pdf import render_pdf
from dispatch.planning.export import day_document
from dispatch.planning.service import plan_day
from tests.integration.browser.raw_codes import assert_no_raw_codes
from tests.integration.day_world import TUESDAY
from tests.integration.day_world import make_day

pytestmark = pytest.mark.integration


@pytest.fixture
def day_ctx(ctx):
    ctx.settings = replace(ctx.settings, planning=replace(ctx.settings.planning, solver_workers=1, yandex_vehicles=0))
    return ctx


@pytest.mark.parametrize(("language", "carrier"), [("ru", "Курьер библиотеки"), ("kk", "Кітапхана курьері")])
def test_the_manifest_of_a_planned_route_prints_words_not_codes(day_ctx, almaty_graph, language, carrier) -> None:
    make_day(day_ctx, almaty_graph, readers=6)
    plan_day(day_ctx, TUESDAY, "B01")
    route = day_document(day_ctx, TUESDAY)["plans"][0]["routes"][0]
    manifest = build_manifest(day_ctx, route["id"], language=language)
    assert manifest.carrier == "in_house"  # the data keeps the code, for the API
    reader = PdfReader(BytesIO(render_pdf(manifest)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert carrier in text
    assert_no_raw_codes(text, where="the PDF manifest")
    for stop in manifest.stops:
        if stop.request_number is not None:
            assert stop.request_id not in text  # the public id stays off paper
            assert str(stop.request_number) in text
    assert "https://" not in text and "yandex_maps" not in text
