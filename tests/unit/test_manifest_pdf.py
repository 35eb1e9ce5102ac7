"""The printable courier manifest: text in route order, Cyrillic and Kazakh intact, every barcode, the font."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace

import pytest
from pypdf import PdfReader

from couriers.manifests.model import LoadGroup
from couriers.manifests.model import Manifest
from couriers.manifests.model import ManifestItem
from couriers.manifests.model import ManifestStop
from couriers.manifests.pdf import DEFAULT_FONT
from couriers.manifests.pdf import FONT_PACKAGE
from couriers.manifests.pdf import render_pdf

LONG_NOTE = (
    "Вход со двора через арку, шлагбаум открывает охранник по звонку; подъезд без номера, "
    "серая металлическая дверь справа от магазина, лифт не работает по вторникам, "
    "собака во дворе добрая, но громкая — позвоните за десять минут до приезда"
)
ABAI = ManifestItem("0100200300401", "Қара сөздер", "Абай Құнанбайұлы")
AUEZOV = ManifestItem("0100200300402", "Абай жолы. Том 1", "Мұхтар Әуезов")
BULGAKOV = ManifestItem("0100200300403", "Мастер и Маргарита", "Михаил Булгаков")
TOLSTOY = ManifestItem("0100200300404", "Война и мир", "Лев Толстой")
RETURNED = ManifestItem("0100200300405", "Мың бала", "")
RELOAD = ManifestItem("0100200300406", "Көшпенділер", "Ілияс Есенберлин")


def stop(number: int, kind: str, address: str, reader: str, items: tuple[ManifestItem, ...], **extra) -> ManifestStop:
    fields = {
        "number": number,
        "kind": kind,
        "request_id": f"R-{100 + number}",
        "request_number": 100 + number,
        "eta": f"{9 + number // 4:02d}:{number * 7 % 60:02d}",
        "window": "10:00–14:00",
        "reader_name": reader,
        "phone": "+7 701 555 01 0" + str(number),
        "address": address,
        "entrance": "2",
        "floor": "5",
        "flat": str(40 + number),
        "door_code": "41К",
        "access_notes": (),
        "items": items,
        "lat": 43.24 + number / 1000,
        "lon": 76.94 + number / 1000,
        "navigation": {"2gis": f"https://2gis.kz/almaty/geo/{76.94 + number / 1000:.5f},{43.24 + number / 1000:.5f}"},
    }
    return ManifestStop(**(fields | extra))


@pytest.fixture
def manifest() -> Manifest:
    stops = (
        stop(1, "delivery", "проспект Абая, 52", "Айгерим Сәрсенбаева", (BULGAKOV, TOLSTOY), access_notes=(LONG_NOTE,)),
        stop(2, "delivery", "көшесі Төле би, 187, Қоңыраулы шағын ауданы", "Нұрлан Өтегенұлы", (ABAI, AUEZOV)),
        stop(3, "return_pickup", "микрорайон Самал-2, 58", "Гүлшаһар Ким", (RETURNED,)),
        stop(
            4,
            "branch_visit",
            "улица Курмангазы, 100 (филиал)",
            "",
            (RELOAD,),
            phone=None,
            entrance=None,
            floor=None,
            flat=None,
            door_code=None,
            navigation={},
        ),
    )
    load = (
        LoadGroup(1, "Айгерим Сәрсенбаева", (BULGAKOV, TOLSTOY)),
        LoadGroup(2, "Нұрлан Өтегенұлы", (ABAI, AUEZOV)),
    )
    return Manifest(
        route_id=12,
        plan_version=3,
        service_date="2026-11-24",
        branch_code="CL-01",
        branch_name="Центральная библиотека",
        branch_address="улица Курмангазы, 100",
        branch_phone="+7 727 272 00 00",
        courier="Ерлан Жақсылықов",
        carrier="Жеткізу Сервис ЖШС",
        start="09:00",
        end="13:30",
        distance_km=23.4,
        load=load,
        stops=stops,
    )


def text_of(pdf: bytes) -> tuple[str, PdfReader]:
    """All pages' text with runs of whitespace made single spaces, so wrapped lines read as one."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), reader


def test_the_pdf_lists_every_stop_in_route_order_with_its_books(manifest):
    pdf = render_pdf(manifest)
    text, reader = text_of(pdf)
    assert pdf.startswith(b"%PDF-")
    assert len(reader.pages) >= 1
    positions = [text.index(s.address) for s in manifest.stops]
    assert positions == sorted(positions)
    for item in (ABAI, AUEZOV, BULGAKOV, TOLSTOY, RETURNED, RELOAD):
        assert item.barcode in text
        assert item.title in text
    load_part = text[: positions[0]]  # the load list comes before the first stop
    for item in (ABAI, AUEZOV, BULGAKOV, TOLSTOY):
        assert item.barcode in load_part


def test_cyrillic_and_kazakh_letters_survive(manifest):
    text, _ = text_of(render_pdf(manifest))
    for phrase in (
        "Нұрлан Өтегенұлы",
        "Қоңыраулы шағын ауданы",
        "Абай Құнанбайұлы",
        "Ілияс Есенберлин",
        "Жеткізу Сервис ЖШС",
        "Гүлшаһар Ким",
    ):
        assert phrase in text
    assert set("әғқңөұүһі") <= set(text.lower())


def test_the_header_kinds_access_and_a_long_note(manifest):
    text, reader = text_of(render_pdf(manifest))
    for fact in ("Маршрутный лист № 12", "24.11.2026", "Центральная библиотека", "Ерлан Жақсылықов", "09:00–13:30", "23,4 км"):
        assert fact in text
    assert "Доставка" in text and "Забрать книги" in text and "Вернуться в филиал" in text
    assert "подъезд 2 · этаж 5 · кв. 41 · домофон 41К" in text
    assert LONG_NOTE in text  # wrapped over several lines, but all of it printed
    assert "Открыть на карте: 2ГИС" in text  # the map app by name, its link under the name
    assert "https://" not in text and "2gis:" not in text
    links = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    assert any(str(uri).startswith("https://2gis.kz/almaty/geo/") for uri in links)
    assert "заявка № 101" in text and "R-101" not in text  # the number the reader's SMS gives, not the public id
    assert f"стр. 1 / {len(reader.pages)}" in text
    assert reader.metadata.title.startswith("Маршрутный лист № 12")
    assert reader.metadata.author == "Центральная библиотека"


def test_kazakh_labels(manifest):
    text, reader = text_of(render_pdf(replace(manifest, language="kk")))
    for label in ("Маршруттық парақ № 12", "Жеткізу", "Кітаптарды алу", "Филиалға оралу", "Филиалда тиеу"):
        assert label in text
    assert "Доставка" not in text
    assert f"бет 1 / {len(reader.pages)}" in text


def test_a_long_route_runs_over_pages_without_splitting_a_stop(manifest):
    many = tuple(
        replace(manifest.stops[i % 3], number=i + 1, request_number=i + 1, address=f"улица Сатпаева, {i + 1}") for i in range(30)
    )
    pdf = render_pdf(replace(manifest, stops=many))
    text, reader = text_of(pdf)
    assert len(reader.pages) > 2
    positions = [text.index(f"улица Сатпаева, {i + 1} ") for i in range(30)]
    assert positions == sorted(positions)
    pages = [re.sub(r"\s+", " ", page.extract_text()) + " " for page in reader.pages]
    for i in range(30):  # a stop's address (near its top) and request id (its last lines) share a page
        address_pages = [n for n, page in enumerate(pages) if f"улица Сатпаева, {i + 1} " in page]
        request_pages = [n for n, page in enumerate(pages) if f"заявка № {i + 1} " in page]
        assert address_pages == request_pages and len(address_pages) == 1, f"stop {i + 1} is split across pages"
    last = len(reader.pages)
    assert f"стр. {last} / {last}" in text


def test_a_font_can_be_given_and_a_missing_one_names_the_package(manifest, tmp_path):
    custom = tmp_path / "Custom.ttf"  # no Custom-Bold.ttf beside it: the regular face serves for bold too
    shutil.copyfile(DEFAULT_FONT, custom)
    assert "Нұрлан Өтегенұлы" in text_of(render_pdf(manifest, font_path=custom))[0]
    missing = tmp_path / "NoSuchFont.ttf"
    with pytest.raises(FileNotFoundError) as error:
        render_pdf(manifest, font_path=missing)
    assert str(missing) in str(error.value) and FONT_PACKAGE in str(error.value)


def test_a_stop_taller_than_a_page_breaks_rather_than_running_off_it(manifest):
    books = tuple(
        ManifestItem(f"02000000{n:05d}", f"Том {n}: собрание сочинений в тридцати томах, издание второе", "") for n in range(90)
    )
    huge = replace(manifest.stops[0], items=books, access_notes=(LONG_NOTE,) * 4)
    text, reader = text_of(render_pdf(replace(manifest, stops=(huge,), load=())))
    assert len(reader.pages) >= 3
    for book in books:
        assert book.barcode in text
    bottom_margin_pt = 16 / 25.4 * 72
    for page in reader.pages:  # only the page number sits in the bottom margin
        for y, line in _text_baselines(page):
            assert y > bottom_margin_pt - 6 or line.startswith("стр."), f"{line!r} runs into the bottom margin"


def _text_baselines(page) -> list[tuple[float, str]]:
    """(baseline height above the page's bottom edge in points, text) of every run of text on ``page``."""
    found: list[tuple[float, str]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: found.append((tm[5], text)) if text.strip() else None)
    return found


@pytest.mark.parametrize(
    ("language", "carrier", "kind", "books"),
    [("ru", "Курьер библиотеки", "Возврат книг", "2 книги"), ("kk", "Кітапхана курьері", "Кітаптарды қайтару", "2 кітап")],
)
def test_codes_are_printed_as_words_with_plural_forms(manifest, language, carrier, kind, books):
    odd = replace(manifest.stops[2], kind="return_pickup")
    text, _ = text_of(render_pdf(replace(manifest, carrier="in_house", language=language, stops=(*manifest.stops[:2], odd))))
    assert carrier in text
    assert "in_house" not in text and "return_pickup" not in text
    assert f"Айгерим Сәрсенбаева · {books}" in text


def test_no_heading_is_left_alone_at_the_foot_of_a_page(manifest):
    for extra in range(0, 40, 3):  # push the route's heading to every height of the first page
        groups = tuple(LoadGroup(100 + n, f"Читатель {n}", (TOLSTOY,)) for n in range(extra))
        _text, reader = text_of(render_pdf(replace(manifest, load=manifest.load + groups)))
        pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
        heading = [n for n, page in enumerate(pages) if re.search(r"(^| )Маршрут( |$)", page)]
        first_stop = [n for n, page in enumerate(pages) if manifest.stops[0].address in page]
        assert heading == first_stop[:1], f"with {extra} more load groups the route heading is alone on page {heading}"
        for n, page in enumerate(pages):
            assert not page.rstrip().endswith(("Как пройти:", "Передать (2):")), f"a heading ends page {n + 1}"
