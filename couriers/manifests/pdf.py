"""The courier's printable manifest: an A4 PDF drawn from a :class:`Manifest`, in Russian or Kazakh.

A courier works from paper: first the load list, ticked off at the branch shelf, then one block per
stop in route order, each kept on one page where possible so nothing is missed at the door. The text
is set in a Unicode TrueType font, because the core PDF fonts have no Cyrillic, let alone the Kazakh
letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і).
"""

from __future__ import annotations

import typing as t
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.enums import WrapMode
from fpdf.enums import XPos
from fpdf.enums import YPos
from fpdf.fonts import FontFace

from dispatch.labels import label
from notifications.plurals import counted

if t.TYPE_CHECKING:
    from couriers.manifests.model import Manifest
    from couriers.manifests.model import ManifestItem
    from couriers.manifests.model import ManifestStop

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""DejaVu Sans, shipped by Debian's ``fonts-dejavu-core``; its bold face sits beside it as ``DejaVuSans-Bold.ttf``."""

FONT_PACKAGE = "fonts-dejavu-core"

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "Маршрутный лист № {route}",
        "date": "Дата",
        "branch": "Филиал",
        "branch_address": "Адрес филиала",
        "branch_phone": "Телефон филиала",
        "courier": "Курьер",
        "carrier": "Перевозчик",
        "time": "Время",
        "distance": "Пробег",
        "km": "км",
        "stops": "Остановок",
        "plan_version": "Версия плана",
        "load": "Загрузка в филиале",
        "load_hint": "Отметьте каждую книгу, когда кладёте её в машину.",
        "stop": "Остановка",
        "barcode": "Штрихкод",
        "book_title": "Название",
        "author": "Автор",
        "route": "Маршрут",
        "window": "окно",
        "kind_delivery": "Доставка",
        "kind_return_pickup": "Забрать книги",
        "kind_branch_visit": "Заезд в филиал",
        "branch_visit_hint": "Вернуться в филиал и загрузить / выгрузить книги",
        "items_delivery": "Передать",
        "items_return_pickup": "Забрать",
        "items_branch_visit": "Загрузить / выгрузить",
        "items": "Книги",
        "entrance": "подъезд",
        "floor": "этаж",
        "flat": "кв.",
        "door_code": "домофон",
        "phone": "тел.",
        "access_notes": "Как пройти",
        "signature": "Подпись / заметки",
        "request": "заявка № {number}",
        "page": "стр. {page} / {pages}",
        "none": "нет",
        "open_in": "Открыть на карте",
        "app_2gis": "2ГИС",
        "app_yandex_maps": "Яндекс Карты",
        "point": "точка",
    },
    "kk": {
        "title": "Маршруттық парақ № {route}",
        "date": "Күні",
        "branch": "Филиал",
        "branch_address": "Филиал мекенжайы",
        "branch_phone": "Филиал телефоны",
        "courier": "Курьер",
        "carrier": "Тасымалдаушы",
        "time": "Уақыты",
        "distance": "Жол ұзындығы",
        "km": "км",
        "stops": "Аялдамалар саны",
        "plan_version": "Жоспар нұсқасы",
        "load": "Филиалда тиеу",
        "load_hint": "Әр кітапты көлікке салғанда белгілеңіз.",
        "stop": "Аялдама",
        "barcode": "Штрихкод",
        "book_title": "Атауы",
        "author": "Авторы",
        "route": "Маршрут",
        "window": "уақыт аралығы",
        "kind_delivery": "Жеткізу",
        "kind_return_pickup": "Кітаптарды алу",
        "kind_branch_visit": "Филиалға оралу",
        "branch_visit_hint": "Филиалға оралып, кітаптарды тиеу / түсіру",
        "items_delivery": "Тапсыру",
        "items_return_pickup": "Алу",
        "items_branch_visit": "Тиеу / түсіру",
        "items": "Кітаптар",
        "entrance": "кіреберіс",
        "floor": "қабат",
        "flat": "пәтер",
        "door_code": "домофон",
        "phone": "тел.",
        "access_notes": "Қалай кіруге болады",
        "signature": "Қолы / ескертпелер",
        "request": "№ {number} өтінім",
        "page": "бет {page} / {pages}",
        "none": "жоқ",
        "open_in": "Картадан ашу",
        "app_2gis": "2ГИС",
        "app_yandex_maps": "Яндекс Карталар",
        "point": "нүкте",
    },
}
"""Every printed label by manifest ``language``; an unknown language falls back to Russian."""

BOOK_FORMS: dict[str, dict[str, str]] = {
    "ru": {"one": "книга", "few": "книги", "many": "книг", "other": "книги"},
    "kk": {"one": "кітап", "other": "кітап"},
}
"""The word "book" after a number, by plural category ("1 книга", "3 книги", "5 книг"; Kazakh keeps "кітап")."""

_FAMILY = "manifest"
_LINE_MM = 5.5
_CHECKBOX_MM = 3.8
_LABEL_MM = 42.0
_KIND_FILL: dict[str, tuple[int, int, int]] = {
    "delivery": (222, 235, 247),
    "return_pickup": (253, 234, 204),
    "branch_visit": (225, 225, 225),
}


def render_pdf(manifest: Manifest, *, font_path: Path | None = None) -> bytes:
    """The manifest as a printable A4 PDF.

    Parameters
    ----------
    manifest
        The route to print; labels follow ``manifest.language`` (``ru`` or ``kk``).
    font_path
        A TrueType font with Cyrillic and Kazakh letters, instead of DejaVu Sans. A bold face named
        ``<stem>-Bold<suffix>`` beside it is used when present, otherwise the regular face.

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    FileNotFoundError
        The font file does not exist.
    """
    regular, bold = _font_files(font_path)
    labels = LABELS.get(manifest.language, LABELS["ru"])
    pdf = _ManifestPDF(manifest, labels)
    pdf.add_font(_FAMILY, "", regular)
    pdf.add_font(_FAMILY, "B", bold)
    title = labels["title"].format(route=manifest.route_id)
    pdf.set_title(f"{title} — {_day(manifest.service_date)}")
    pdf.set_author(manifest.branch_name)
    pdf.set_subject(f"{manifest.courier}, {manifest.branch_name}")
    pdf.set_creator("almaty-library-dispatch")
    pdf.set_lang(manifest.language)
    pdf.add_page()
    pdf.summary()
    pdf.load_list()
    if not manifest.stops:
        pdf.section(labels["route"])
    for index, stop in enumerate(manifest.stops):
        with pdf.unbreakable() as recorder:
            # The recorder replays the whole block on a fresh page if it would straddle a break; a block
            # taller than a page is still split there, so long text never runs off the page. The route's
            # heading rides with the first stop, so it is never left alone at the foot of a page.
            if index == 0:
                recorder.section(labels["route"])
            recorder.stop_block(stop)
    return bytes(pdf.output())


def _font_files(font_path: Path | None) -> tuple[Path, Path]:
    """The regular and bold font files; fail early, naming what to install, rather than deep in fpdf2."""
    regular = Path(font_path) if font_path is not None else DEFAULT_FONT
    if not regular.is_file():
        msg = (
            f"font file not found: {regular}; install the Debian package {FONT_PACKAGE} "
            f"(apt-get install {FONT_PACKAGE}) or pass font_path to a TrueType font with Cyrillic letters"
        )
        raise FileNotFoundError(msg)
    bold = regular.with_name(f"{regular.stem}-Bold{regular.suffix}")
    return regular, bold if bold.is_file() else regular


def _day(service_date: str) -> str:
    """``2026-11-24`` as ``24.11.2026``, the way dates are written in Kazakhstan; anything else as is."""
    try:
        return date.fromisoformat(service_date).strftime("%d.%m.%Y")
    except ValueError:
        return service_date


class _ManifestPDF(FPDF):
    """An A4 page with the route's running header from page 2 on and "page n / total" in the footer."""

    def __init__(self, manifest: Manifest, labels: dict[str, str]) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.manifest = manifest
        self.labels = labels
        self.set_margins(left=12, top=12, right=12)
        self.set_auto_page_break(auto=True, margin=16)

    def header(self) -> None:
        """From page 2 on, say whose route a loose page belongs to."""
        if self.page_no() == 1:
            return
        m = self.manifest
        self.set_font(_FAMILY, "", 8)
        self.set_text_color(110)
        title = self.labels["title"].format(route=m.route_id)
        self.multi_cell(0, 4, f"{title} · {_day(m.service_date)} · {m.courier}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(3)

    def footer(self) -> None:
        """Page number out of the total, so a missing sheet is noticed."""
        self.set_y(-11)
        self.set_font(_FAMILY, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self.labels["page"].format(page=self.page_no(), pages=self.str_alias_nb_pages), align="C")
        self.set_text_color(0)

    def field(self, label: str, value: str) -> None:
        """A bold label and a value that wraps beside it."""
        self.set_font(_FAMILY, "B", 10)
        self.cell(_LABEL_MM, _LINE_MM, label)
        self.set_font(_FAMILY, "", 10)
        self.multi_cell(0, _LINE_MM, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def section(self, title: str) -> None:
        """A section heading, moved to the next page rather than left alone at the bottom."""
        if self.will_page_break(30):
            self.add_page()
        self.ln(4)
        self.set_font(_FAMILY, "B", 14)
        self.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.ln(2)

    def summary(self) -> None:
        """The title and the route's facts: who, where from, when, how far."""
        m, lb = self.manifest, self.labels
        self.set_font(_FAMILY, "B", 18)
        self.multi_cell(0, 9, lb["title"].format(route=m.route_id), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.field(lb["date"], _day(m.service_date))
        self.field(lb["branch"], m.branch_name)
        self.field(lb["branch_address"], m.branch_address)
        if m.branch_phone:
            self.field(lb["branch_phone"], m.branch_phone)
        self.field(lb["courier"], m.courier)
        self.field(lb["carrier"], label("carrier", m.carrier, m.language))
        self.field(lb["time"], f"{m.start}–{m.end}")
        self.field(lb["distance"], f"{m.distance_km:.1f} {lb['km']}".replace(".", ","))
        self.field(lb["stops"], str(len(m.stops)))
        self.field(lb["plan_version"], str(m.plan_version))

    def load_list(self) -> None:
        """Per stop, a table of the books to load, with an empty first column to tick."""
        lb = self.labels
        self.section(lb["load"])
        self.set_font(_FAMILY, "", 9)
        self.multi_cell(0, _LINE_MM, lb["load_hint"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if not self.manifest.load:
            self.cell(0, _LINE_MM, lb["none"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for group in self.manifest.load:
            if self.will_page_break(4 * _LINE_MM):  # keep the heading with its first rows
                self.add_page()
            self.ln(2)
            self.set_font(_FAMILY, "B", 11)
            heading = f"{lb['stop']} {group.stop_number} · {group.reader_name} · {self.books(len(group.items))}"
            self.multi_cell(0, 6, heading, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(_FAMILY, "", 9)
            with self.table(
                col_widths=(7, 38, 95, 50),
                line_height=5,
                text_align="LEFT",
                padding=1,
                headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            ) as table:
                table.row(("", lb["barcode"], lb["book_title"], lb["author"]))
                for item in group.items:
                    table.row(("", item.barcode, item.title, item.author))

    def stop_block(self, stop: ManifestStop) -> None:
        """Everything needed at one stop; called through ``unbreakable()``, so it never calls ``get_y()``."""
        lb = self.labels
        self.ln(3)
        self.set_fill_color(*_KIND_FILL.get(stop.kind, (235, 235, 235)))
        self.set_font(_FAMILY, "B", 22)
        self.cell(18, 12, str(stop.number), align="C", fill=True)
        self.set_font(_FAMILY, "B", 15)
        self.cell(22, 12, stop.eta, fill=True)
        self.set_font(_FAMILY, "", 10)
        self.cell(60, 12, f"{lb['window']} {stop.window}" if stop.window else "", fill=True)
        self.set_font(_FAMILY, "B", 12)
        kind = lb.get(f"kind_{stop.kind}") or label("request_kind", stop.kind, self.manifest.language)
        self.cell(0, 12, kind, align="R", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        if stop.kind == "branch_visit":
            self.set_font(_FAMILY, "B", 11)
            self.multi_cell(0, _LINE_MM, lb["branch_visit_hint"], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(_FAMILY, "B", 12)
        self.multi_cell(0, 6, stop.address, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(_FAMILY, "", 10)
        access = [
            f"{lb[name]} {value}"
            for name, value in (
                ("entrance", stop.entrance),
                ("floor", stop.floor),
                ("flat", stop.flat),
                ("door_code", stop.door_code),
            )
            if value
        ]
        if access:
            self.multi_cell(0, _LINE_MM, " · ".join(access), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        reader = " · ".join(part for part in (stop.reader_name, f"{lb['phone']} {stop.phone}" if stop.phone else "") if part)
        if reader:
            self.multi_cell(0, _LINE_MM, reader, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if stop.access_notes:
            self.keep_with_next(2 * _LINE_MM)
            self.set_font(_FAMILY, "B", 10)
            self.cell(0, _LINE_MM, f"{lb['access_notes']}:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(_FAMILY, "", 10)
            for note in stop.access_notes:
                self.multi_cell(0, _LINE_MM, f"– {note}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.stop_items(stop)
        self.signature_line()
        self.stop_footer(stop)

    def stop_footer(self, stop: ManifestStop) -> None:
        """The request's number as the reader knows it, and the map apps named in words (the link under each name)."""
        lb = self.labels
        self.set_font(_FAMILY, "", 8.5)
        self.set_text_color(70)
        if stop.request_number is not None:
            self.cell(0, 4.2, lb["request"].format(number=stop.request_number), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if stop.navigation:
            self.cell(self.get_string_width(f"{lb['open_in']}:") + 2, 4.2, f"{lb['open_in']}:")
            for app, url in stop.navigation.items():
                name = lb.get(f"app_{app}", app)
                self.set_text_color(11, 74, 139)
                self.cell(self.get_string_width(name) + 4, 4.2, name, link=url)
                self.set_text_color(70)
            self.cell(0, 4.2, f"({lb['point']} {stop.lat:.5f}, {stop.lon:.5f})", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)

    def books(self, count: int) -> str:
        """``count`` books in the manifest's language, with the right plural form."""
        language = self.manifest.language if self.manifest.language in BOOK_FORMS else "ru"
        return counted(count, language, BOOK_FORMS[language])

    def keep_with_next(self, height: float) -> None:
        """Start a new page when a heading and ``height`` of what follows it would not fit: no heading ends a page."""
        if self.will_page_break(height + _LINE_MM):
            self.add_page()

    def stop_items(self, stop: ManifestStop) -> None:
        """The books to hand over or collect, each with a square to tick."""
        lb = self.labels
        self.ln(1)
        self.keep_with_next(_LINE_MM if stop.items else 0)
        self.set_font(_FAMILY, "B", 10)
        self.cell(
            0, _LINE_MM, f"{lb.get('items_' + stop.kind, lb['items'])} ({len(stop.items)}):", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if not stop.items:
            return
        barcode_mm = min(55.0, max(self.get_string_width(item.barcode) for item in stop.items) + 4)
        for item in stop.items:
            self.item_row(item, barcode_mm)

    def item_row(self, item: ManifestItem, barcode_mm: float) -> None:
        """A checkbox, the barcode in bold and the title (and author) wrapping to the right of it."""
        text = f"{item.title} — {item.author}" if item.author else item.title
        indent = _CHECKBOX_MM + 3
        text_mm = self.epw - indent - barcode_mm
        self.set_font(_FAMILY, "B", 10)
        height = max(self._height(barcode_mm, item.barcode, WrapMode.CHAR), _LINE_MM)
        self.set_font(_FAMILY, "", 10)
        height = max(height, self._height(text_mm, text, WrapMode.WORD))
        if self.will_page_break(height):
            self.add_page()
        top = self.y
        self.rect(self.l_margin, top + (_LINE_MM - _CHECKBOX_MM) / 2, _CHECKBOX_MM, _CHECKBOX_MM)
        self.set_xy(self.l_margin + indent, top)
        self.set_font(_FAMILY, "B", 10)
        self.multi_cell(barcode_mm, _LINE_MM, item.barcode, align="L", wrapmode=WrapMode.CHAR, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(_FAMILY, "", 10)
        self.multi_cell(text_mm, _LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(top + height)

    def signature_line(self) -> None:
        """Room for the reader's signature or the courier's note (not at home, wrong flat...)."""
        self.ln(2)
        self.set_font(_FAMILY, "", 9)
        label = f"{self.labels['signature']}:"
        self.cell(self.get_string_width(label) + 2, 7, label)
        self.line(self.x, self.y + 6, self.w - self.r_margin, self.y + 6)
        self.ln(8)
        self.line(self.l_margin, self.y + 1, self.w - self.r_margin, self.y + 1)
        self.ln(3)

    def _height(self, width_mm: float, text: str, wrapmode: WrapMode) -> float:
        """The height ``text`` would take in a column of ``width_mm`` in the current font."""
        return t.cast(
            float,
            self.multi_cell(
                width_mm, _LINE_MM, text, align="L", wrapmode=wrapmode, dry_run=True, output=MethodReturnValue.HEIGHT
            ),
        )
