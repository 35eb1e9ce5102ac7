"""A plausible population for the demo: branches, readers, books and loans, written as export CSVs.

Everything is drawn from one seeded random generator, so a seed always gives the same city.
"""

from __future__ import annotations

import csv
import random
import typing as t
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from pathlib import Path

import numpy as np

from dispatch.imports.importers import BRANCHES
from dispatch.imports.importers import COURIERS
from dispatch.imports.importers import ITEMS
from dispatch.imports.importers import LOANS
from dispatch.imports.importers import READERS

if t.TYPE_CHECKING:
    from demo.osm_places import Place
    from dispatch.domain.service_area import ServiceArea

BRANCH_COUNT = 30
OPEN_24_7 = 5

KAZAKH_MEN = ["Ерлан", "Нурлан", "Серик", "Болат", "Мухтар", "Даурен", "Аскар", "Бауыржан", "Канат", "Жанибек"]
KAZAKH_WOMEN = ["Айгуль", "Гульнара", "Сауле", "Жанар", "Динара", "Алия", "Бибигуль", "Куляш", "Раушан", "Макпал"]
KAZAKH_SURNAMES = [
    "Ахметов",
    "Жумабаев",
    "Сейтказин",
    "Нурпеисов",
    "Абенов",
    "Омаров",
    "Касымов",
    "Тулегенов",
    "Искаков",
    "Байжанов",
]
RUSSIAN_MEN = ["Владимир", "Николай", "Сергей", "Александр", "Виктор", "Юрий", "Геннадий", "Михаил", "Анатолий", "Борис"]
RUSSIAN_WOMEN = ["Валентина", "Галина", "Людмила", "Тамара", "Нина", "Вера", "Татьяна", "Лидия", "Зинаида", "Раиса"]
RUSSIAN_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Новиков", "Морозов", "Волков", "Павлов"]
ACCESS_NOTES = [
    "передвигается на инвалидной коляске, дверь открывает соцработник",
    "позвонить за час до приезда",
    "плохо слышит: звонить долго, можно отправить SMS",
    "незрячий читатель: назвать себя у двери",
    "домофон не работает, позвонить по телефону",
    "",
    "",
    "",
]
TITLES = [
    ("Абай жолы", "Мухтар Ауэзов"),
    ("Путь Абая", "Мухтар Ауэзов"),
    ("Кочевники", "Ильяс Есенберлин"),
    ("Слова назидания", "Абай Кунанбаев"),
    ("Қара сөздер", "Абай Құнанбайұлы"),
    ("Менің атым Қожа", "Бердібек Соқпақбаев"),
    ("Ақ кеме", "Шыңғыс Айтматов"),
    ("Белый пароход", "Чингиз Айтматов"),
    ("Плаха", "Чингиз Айтматов"),
    ("Джамиля", "Чингиз Айтматов"),
    ("Волоколамское шоссе", "Александр Бек"),
    ("Аз и Я", "Олжас Сулейменов"),
    ("Война и мир", "Лев Толстой"),
    ("Анна Каренина", "Лев Толстой"),
    ("Преступление и наказание", "Фёдор Достоевский"),
    ("Братья Карамазовы", "Фёдор Достоевский"),
    ("Мастер и Маргарита", "Михаил Булгаков"),
    ("Тихий Дон", "Михаил Шолохов"),
    ("Доктор Живаго", "Борис Пастернак"),
    ("Евгений Онегин", "Александр Пушкин"),
    ("Мёртвые души", "Николай Гоголь"),
    ("Отцы и дети", "Иван Тургенев"),
    ("Обломов", "Иван Гончаров"),
    ("Рассказы", "Антон Чехов"),
    ("Дни Турбиных", "Михаил Булгаков"),
    ("Жизнь и судьба", "Василий Гроссман"),
    ("Живи и помни", "Валентин Распутин"),
    ("Зулейха открывает глаза", "Гузель Яхина"),
    ("Лавр", "Евгений Водолазкин"),
    ("Лето Господне", "Иван Шмелёв"),
    ("Сто лет одиночества", "Габриэль Гарсиа Маркес"),
    ("Три товарища", "Эрих Мария Ремарк"),
    ("Старик и море", "Эрнест Хемингуэй"),
    ("Маленький принц", "Антуан де Сент-Экзюпери"),
    ("Гордость и предубеждение", "Джейн Остин"),
    ("Джейн Эйр", "Шарлотта Бронте"),
    ("Унесённые ветром", "Маргарет Митчелл"),
    ("Граф Монте-Кристо", "Александр Дюма"),
    ("Шерлок Холмс. Рассказы", "Артур Конан Дойл"),
    ("Убийство в «Восточном экспрессе»", "Агата Кристи"),
    ("Ұлпан", "Ғабит Мүсірепов"),
    ("Қан мен тер", "Әбдіжәміл Нұрпейісов"),
    ("Көшпенділер", "Ілияс Есенберлин"),
    ("Атаманның ақыры", "Шахмет Құсайынов"),
    ("Махаббат, қызық мол жылдар", "Әзілхан Нұршайықов"),
    ("Сказки народов Казахстана", "Сборник"),
    ("Садоводство на дачном участке", "Н. Ким"),
    ("Лечебное питание", "М. Певзнер"),
    ("История Казахстана", "Коллектив авторов"),
    ("Алматы: история города", "В. Проскурин"),
]


@dataclass
class Population:
    """The rows of the four export files, and which readers the demo should ask for what."""

    branches: list[dict[str, t.Any]] = field(default_factory=list)
    readers: list[dict[str, t.Any]] = field(default_factory=list)
    items: list[dict[str, t.Any]] = field(default_factory=list)
    loans: list[dict[str, t.Any]] = field(default_factory=list)
    couriers: list[dict[str, t.Any]] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    """card number -> the demo's intent for that reader (eligible, or the reason they are not)."""


def build(
    rng: random.Random,
    street_points: list[Place],
    buildings: list[Place],
    area: ServiceArea,
    *,
    readers: int,
    today: date,
) -> Population:
    """Draw the whole population; locations are real points of the map."""
    inside_streets = [p for p in street_points if area.contains(p.lat, p.lon)]
    outside_streets = [p for p in street_points if not area.contains(p.lat, p.lon)]
    inside_buildings = [p for p in buildings if area.contains(p.lat, p.lon)]
    population = Population()
    population.branches = _branches(rng, inside_streets)
    population.items = _items(rng, population.branches)
    _readers(rng, population, inside_buildings, inside_streets, outside_streets, readers, today)
    population.loans = _loans(rng, population, today)
    return population


def _branches(rng: random.Random, points: list[Place]) -> list[dict[str, t.Any]]:
    """Branches where people live: k-means centres of street points, moved onto the nearest street."""
    coords = np.array([(p.lat, p.lon) for p in points])
    centres = coords[rng.sample(range(len(coords)), BRANCH_COUNT)]
    for _ in range(25):
        nearest = np.argmin(((coords[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        for k in range(BRANCH_COUNT):
            members = coords[nearest == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    chosen = sorted({int(np.argmin(((coords - centre) ** 2).sum(axis=1))) for centre in centres})
    round_the_clock = set(rng.sample(range(len(chosen)), OPEN_24_7))
    rows = []
    for number, index in enumerate(chosen, start=1):
        place = points[index]
        rows.append(
            {
                "code": f"B{number:02d}",
                "name": f"Библиотека-филиал № {number} ЦБС г. Алматы",
                "address": f"{place.street}, {rng.randint(1, 180)}",
                "lat": round(place.lat, 6),
                "lon": round(place.lon, 6),
                "phone": f"+7 727 {rng.randint(220, 399)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"filial{number:02d}@almatylib.kz",
                "open_24_7": "да" if number - 1 in round_the_clock else "нет",
            }
        )
    return rows


def _items(rng: random.Random, branches: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    rows = []
    for number, branch in enumerate(branches, start=1):
        sequence = 0
        for title, author in rng.sample(TITLES, 36):
            for _ in range(rng.choice((1, 1, 2))):
                sequence += 1
                status = rng.choices(["available", "not_for_loan", "lost", "withdrawn"], weights=[92, 4, 2, 2])[0]
                rows.append(
                    {
                        "barcode": f"20{number:02d}{sequence:05d}",
                        "title": title,
                        "author": author,
                        "branch": branch["code"],
                        "status": status,
                        "weight_g": rng.randint(250, 900),
                    }
                )
    return rows


_PROFILES = [
    ("group", 27),
    ("age", 36),
    ("temporary", 15),
    ("group_iii", 3),
    ("card_expired", 3),
    ("blocked", 3),
    ("mobility_expired", 3),
    ("no_mobility", 3),
    ("outside_area", 3),
    ("no_coordinates", 2),
    ("no_phone", 2),
]


def _readers(
    rng: random.Random,
    population: Population,
    buildings: list[Place],
    streets: list[Place],
    outside: list[Place],
    count: int,
    today: date,
) -> None:
    branch_coords = np.array([(b["lat"], b["lon"]) for b in population.branches])
    # Half the readers at real addressed buildings, half spread along the streets of every district.
    homes = rng.sample(buildings, min(len(buildings), count // 2))
    profiles, weights = zip(*_PROFILES, strict=False)
    for n in range(count):
        profile = rng.choices(profiles, weights=weights)[0]
        if profile == "outside_area":
            place = rng.choice(outside)
            place = type(place)(place.lat, place.lon, place.street, str(rng.randint(1, 120)))
        elif n < len(homes):
            place = homes[n]
        else:
            street = rng.choice(streets)
            place = type(street)(street.lat, street.lon, street.street, str(rng.randint(1, 200)))
        kazakh = rng.random() < 0.6
        woman = rng.random() < 0.62
        name = _name(rng, kazakh=kazakh, woman=woman)
        age = rng.randint(70, 94) if profile == "age" else rng.randint(28, 68)
        home = int(np.argmin(((branch_coords - (place.lat, place.lon)) ** 2).sum(axis=1)))
        card = f"0{1000000 + n * 7919 % 900000:07d}"
        row: dict[str, t.Any] = {
            "card_number": card,
            "full_name": name,
            "birth_date": (today - timedelta(days=age * 365 + rng.randint(0, 360))).strftime("%d.%m.%Y"),
            "phone": f"8 7{rng.choice(['01', '02', '05', '07', '08', '47', '71', '75', '76', '77'])} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "language": "kk" if kazakh and rng.random() < 0.55 else "ru",
            "address": place.address,
            "entrance": rng.randint(1, 6),
            "floor": rng.randint(1, 9),
            "flat": rng.randint(1, 140),
            "door_code": f"{rng.randint(1, 140)}К{rng.randint(1000, 9999)}" if rng.random() < 0.5 else "",
            "has_lift": rng.choice(["да", "нет"]),
            "access_notes": rng.choice(ACCESS_NOTES),
            "lat": round(place.lat, 6),
            "lon": round(place.lon, 6),
            "home_branch": population.branches[home]["code"],
            "card_expires_on": (today + timedelta(days=rng.randint(60, 900))).isoformat(),
            "blocked": "нет",
            "block_reason": "",
            "disability_group": "",
            "disability_until": "",
            "temporary_until": "",
        }
        _apply_profile(rng, row, profile, today)
        population.readers.append(row)
        population.profiles[card] = profile


def _apply_profile(rng: random.Random, row: dict[str, t.Any], profile: str, today: date) -> None:
    """Give the reader the record that makes them (in)eligible the way their profile says."""
    if profile in {"group", "card_expired", "blocked", "outside_area", "no_coordinates", "no_phone"}:
        row["disability_group"] = rng.choice([1, 2])
        row["disability_until"] = "" if rng.random() < 0.5 else (today + timedelta(days=rng.randint(90, 700))).isoformat()
    elif profile == "temporary":
        row["temporary_until"] = (today + timedelta(days=rng.randint(20, 120))).isoformat()
        row["access_notes"] = "после операции, временно не выходит из дома"
    elif profile == "group_iii":
        row["disability_group"] = 3
    elif profile == "mobility_expired":
        row["disability_group"] = 2
        row["disability_until"] = (today - timedelta(days=rng.randint(5, 200))).isoformat()
    if profile == "card_expired":
        row["card_expires_on"] = (today - timedelta(days=rng.randint(3, 300))).isoformat()
    elif profile == "blocked":
        row["blocked"] = "да"
        row["block_reason"] = "не возвращены книги с прошлого года"
    elif profile == "no_coordinates":
        row["lat"] = row["lon"] = ""
    elif profile == "no_phone":
        row["phone"] = ""


def patronymic(father: str, *, woman: bool) -> str:
    """Russian-style patronymic: Николай -> Николаевна, Анатолий -> Анатольевич, Болат -> Болатович."""
    if father.endswith("ий"):
        stem, suffix = father[:-2] + "ь", "ев"
    elif father.endswith(("ай", "ей")):
        stem, suffix = father[:-1], "ев"
    else:
        stem, suffix = father, "ов"
    return stem + suffix + ("на" if woman else "ич")


def _name(rng: random.Random, *, kazakh: bool, woman: bool) -> str:
    men, women, surnames = (
        (KAZAKH_MEN, KAZAKH_WOMEN, KAZAKH_SURNAMES) if kazakh else (RUSSIAN_MEN, RUSSIAN_WOMEN, RUSSIAN_SURNAMES)
    )
    first = rng.choice(women if woman else men)
    surname = rng.choice(surnames) + ("а" if woman else "")
    return f"{surname} {first} {patronymic(rng.choice(men), woman=woman)}"


def _loans(rng: random.Random, population: Population, today: date) -> list[dict[str, t.Any]]:
    """Books already at some readers' homes: open loans from their home branch, plus returned history."""
    free: dict[str, list[dict[str, t.Any]]] = {}
    for item in population.items:
        if item["status"] == "available":
            free.setdefault(item["branch"], []).append(item)
    rows = []
    for reader in population.readers:
        if population.profiles[reader["card_number"]] not in {"group", "age", "temporary"} or rng.random() > 0.45:
            continue
        shelf = free.get(reader["home_branch"], [])
        for _ in range(min(len(shelf), rng.randint(1, 3))):
            item = shelf.pop(rng.randrange(len(shelf)))
            issued = today - timedelta(days=rng.randint(5, 40))
            rows.append(
                {
                    "barcode": item["barcode"],
                    "card_number": reader["card_number"],
                    "issued_on": issued.isoformat(),
                    "due_on": (issued + timedelta(days=30)).isoformat(),
                    "returned_on": "",
                }
            )
            item["status"] = "on_loan"
        if shelf and rng.random() < 0.5:
            item = rng.choice(shelf)
            issued = today - timedelta(days=rng.randint(60, 120))
            rows.append(
                {
                    "barcode": item["barcode"],
                    "card_number": reader["card_number"],
                    "issued_on": issued.isoformat(),
                    "due_on": (issued + timedelta(days=30)).isoformat(),
                    "returned_on": (issued + timedelta(days=rng.randint(10, 30))).isoformat(),
                }
            )
    return rows


BAD_READER_ROWS = [
    {"card_number": "", "full_name": "Строка без номера билета", "phone": "8 701 555 12 12"},
    {"card_number": "0999901", "full_name": "Неверный телефон", "phone": "12-34", "birth_date": "31.02.1950"},
    {"card_number": "0999902", "full_name": "Неизвестный филиал", "home_branch": "B99"},
]
"""Rows as a real export sometimes has them; the demo appends them to show how they are reported."""


def write_csvs(population: Population, folder: Path) -> dict[str, Path]:
    """Write the export files (and the courier roster) (semicolon-separated, UTF-8 with BOM, as Excel saves them)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "branches": (BRANCHES.columns, population.branches),
        "readers": (READERS.columns, population.readers + BAD_READER_ROWS),
        "items": (ITEMS.columns, population.items),
        "loans": (LOANS.columns, population.loans),
        "couriers": (COURIERS.columns, population.couriers),
    }
    paths = {}
    for kind, (columns, rows) in files.items():
        path = folder / f"{kind}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), delimiter=";", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        paths[kind] = path
    return paths


COURIER_NAMES = ("Айбек Садыков", "Мария Ким", "Ерлан Жумабаев", "Светлана Орлова", "Дана Нурланова", "Тимур Ахметов")


def couriers_for(rng: random.Random, branches: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """One or two couriers per branch: staff on full days, volunteers on shorter ones, some who climb stairs."""
    rows = []
    for branch in branches:
        for k in range(rng.choice((1, 2))):
            volunteer = k == 1
            rows.append(
                {
                    "code": f"{branch['code']}-C{k + 1}",
                    "full_name": rng.choice(COURIER_NAMES),
                    "branch": branch["code"],
                    "phone": f"+7701{rng.randint(1000000, 9999999)}",
                    "kind": "volunteer" if volunteer else "staff",
                    "shift_start": "10:00" if volunteer else "09:00",
                    "shift_end": "16:00" if volunteer else "18:00",
                    "working_days": "mon,tue,wed,thu,fri",
                    "capacity_books": 20 if volunteer else 40,
                    "capacity_kg": 8 if volunteer else 15,
                    "skills": "" if volunteer else "stairs",
                }
            )
    return rows
