"""The 400s Yandex answers to a bad ``claims/create`` body, and the ``not_fit_in_car`` warning a good one may get."""

from __future__ import annotations

import re
import typing as t
from datetime import timedelta

from integrations.yandex.standin.clock import parse_ts
from integrations.yandex.standin.geo import coordinates
from integrations.yandex.standin.geo import in_zone
from integrations.yandex.standin.wire import error

if t.TYPE_CHECKING:
    from integrations.yandex.standin.clock import Clock
    from integrations.yandex.standin.geo import Zone
    from integrations.yandex.standin.wire import Answer
    from integrations.yandex.standin.wire import Json

TAXI_CLASSES = frozenset({"courier", "express", "cargo", "sdd_multislot"})
#: Largest parcel sides (m) and total weight (kg) per class; beyond them the claim gets a ``not_fit_in_car`` warning.
CLASS_LIMITS = {"courier": ((0.80, 0.50, 0.50), 10.0), "express": ((1.00, 0.60, 0.50), 20.0)}

_PHONE_CHARS = re.compile(r"^[0-9 ()\-+]+$")
_COST = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def validate_create(body: Json, zone: Zone, clock: Clock) -> Answer | None:
    """The 400 Yandex would answer for this create body, or ``None``."""
    if not isinstance(body, dict):
        return error(400, "bad_request", "Parse error: a JSON object expected")
    items, points = body.get("items"), body.get("route_points")
    if not isinstance(items, list) or not items:
        return error(400, "validation_error", "items: at least one item required")
    if not isinstance(points, list) or not 2 <= len(points) <= 300:
        return error(400, "unsupported_points_count", "route_points: 2 to 300 points required")
    kinds: dict[int, str] = {}
    orders: list[int] = []
    for n, point in enumerate(points):
        problem = _validate_point(n, point, zone)
        if problem is not None:
            return problem
        if point["point_id"] in kinds:
            return error(400, "validation_error", f"route_points[{n}].point_id: {point['point_id']} is used twice")
        kinds[point["point_id"]] = point["type"]
        orders.append(point["visit_order"])
    if sorted(orders) != list(range(1, len(points) + 1)):
        return error(400, "validation_error", "route_points.visit_order: 1..N, each once")
    sources = [pid for pid, kind in kinds.items() if kind == "source"]
    if len(sources) != 1 or not any(kind == "destination" for kind in kinds.values()):
        return error(400, "validation_error", "route_points: one source and at least one destination required")
    currencies: set[str] = set()
    served: set[int] = set()
    for n, item in enumerate(items):
        problem = _validate_item(n, item, kinds)
        if problem is not None:
            return problem
        currencies.add(item["cost_currency"])
        served.add(item.get("dropoff_point", item.get("droppof_point")))
    if len(currencies) > 1:
        return error(400, "different_cost_currencies", "Все товары должны быть в одной валюте")
    if any(kind == "destination" and pid not in served for pid, kind in kinds.items()):
        return error(400, "invalid_destination_point", "В точку назначения не доставляется ни один товар")
    return _validate_terms(body, clock)


def outside_zone() -> Answer:
    """Yandex's answer to a point it does not serve, which is also what a swapped ``[lat, lon]`` gets."""
    return error(400, "unknown_zone", "Точка вне зоны обслуживания (проверьте порядок [lon, lat])")


def _validate_point(n: int, point: Json, zone: Zone) -> Answer | None:
    if not isinstance(point, dict):
        return error(400, "validation_error", f"route_points[{n}]: an object expected")
    for key in ("point_id", "visit_order"):
        if not isinstance(point.get(key), int) or isinstance(point.get(key), bool):
            return error(400, "validation_error", f"route_points[{n}].{key}: integer required")
    if point.get("type") not in ("source", "destination", "return"):
        return error(400, "validation_error", f"route_points[{n}].type: source, destination or return")
    contact = point.get("contact")
    if not isinstance(contact, dict) or not contact.get("name") or not isinstance(contact.get("phone"), str):
        return error(400, "validation_error", f"route_points[{n}].contact: name and phone required")
    phone = contact["phone"]
    if not phone.startswith("+"):
        return error(400, "invalid_phone_must_start_plus_symbol", f"Телефон {phone} должен начинаться с +")
    if not _PHONE_CHARS.match(phone):
        return error(400, "invalid_phone_incorrect_symbol", f"Недопустимые символы в телефоне {phone}")
    if len(phone) > 30 or len(re.sub(r"\D", "", phone)) < 10:
        return error(400, "invalid_phone_size_incorrect", f"Неверная длина телефона {phone}")
    address = point.get("address")
    if not isinstance(address, dict) or not address.get("fullname"):
        return error(400, "validation_error", f"route_points[{n}].address.fullname required")
    lon_lat = coordinates(address.get("coordinates"))
    if lon_lat is None:
        return error(400, "validation_error", f"route_points[{n}].address.coordinates: [lon, lat] required")
    if not in_zone(zone, lon_lat):
        return outside_zone()
    return None


def _validate_item(n: int, item: Json, kinds: dict[int, str]) -> Answer | None:
    if not isinstance(item, dict) or not item.get("title"):
        return error(400, "validation_error", f"items[{n}].title required")
    if not isinstance(item.get("cost_value"), str) or not _COST.match(item["cost_value"]):
        return error(400, "validation_error", f'items[{n}].cost_value: a decimal string such as "1500.00" required')
    if not isinstance(item.get("cost_currency"), str) or not _CURRENCY.match(item["cost_currency"]):
        return error(400, "validation_error", f"items[{n}].cost_currency: ISO 4217 code required")
    quantity = item.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        return error(400, "validation_error", f"items[{n}].quantity: at least 1")
    if kinds.get(item.get("pickup_point")) != "source":  # type: ignore[arg-type]
        return error(400, "item_source_point_not_found", f"items[{n}].pickup_point: no such source point")
    dropoff = item.get("dropoff_point", item.get("droppof_point"))
    if dropoff not in kinds:
        return error(400, "item_destination_point_not_found", f"items[{n}].dropoff_point: no such point")
    if kinds[dropoff] != "destination":
        return error(400, "invalid_item_destination_point", f"items[{n}].dropoff_point: not a destination")
    size = item.get("size")
    if size is not None:
        sides = [size.get(k) for k in ("length", "width", "height")] if isinstance(size, dict) else []
        if len(sides) != 3 or not all(isinstance(s, int | float) and 0 <= s <= 500 for s in sides):
            return error(400, "validation_error", f"items[{n}].size: length, width, height in 0..500 m")
    weight = item.get("weight")
    if weight is not None and not (isinstance(weight, int | float) and weight >= 0):
        return error(400, "validation_error", f"items[{n}].weight: kilograms, not negative")
    return None


def _validate_terms(body: dict[str, Json], clock: Clock) -> Answer | None:
    """Class, same-day, due, callback and comment rules."""
    same_day = body.get("same_day_data")
    requirements = body.get("client_requirements")
    if same_day is not None:
        if requirements is not None:
            return error(400, "sdd_client_requirements_forbidden", "Для доставки в течение дня не указывайте client_requirements")
        if any("size" not in item or "weight" not in item for item in body["items"]):
            return error(400, "sdd_items_without_parameters_forbidden", "Для доставки в течение дня нужны габариты и вес")
    elif not isinstance(requirements, dict) or requirements.get("taxi_class") not in TAXI_CLASSES:
        return error(400, "validation_error", f"client_requirements.taxi_class: one of {sorted(TAXI_CLASSES)}")
    if "due" in body:
        due = parse_ts(body["due"])
        if due is None:
            return error(400, "validation_error", "due: ISO 8601 with a time zone required")
        now = clock()
        if due < now - timedelta(minutes=1):
            return error(400, "due_in_past", "Время подачи в прошлом")
        if due > now + timedelta(days=3):
            return error(400, "delay_too_long", "Время подачи не позже чем через 3 дня")
    url = body.get("callback_properties", {}).get("callback_url") if isinstance(body.get("callback_properties"), dict) else None
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        return error(400, "validation_error", "callback_properties.callback_url: http or https URL required")
    if len(str(body.get("comment", ""))) > 7000:
        return error(400, "validation_error", "comment: at most 7000 characters")
    return None


def fit_warnings(body: dict[str, Json]) -> list[dict[str, Json]]:
    """``not_fit_in_car`` when a parcel or the load exceeds the class's limits (a warning: the claim goes on)."""
    requirements = body.get("client_requirements")
    taxi_class = requirements.get("taxi_class") if isinstance(requirements, dict) else None
    limits = CLASS_LIMITS.get(str(taxi_class))
    if limits is None:
        return []
    max_sides, max_kg = limits
    total_kg = 0.0
    too_big = False
    for item in body["items"]:
        total_kg += float(item.get("weight") or 0) * item["quantity"]
        size = item.get("size")
        if isinstance(size, dict):
            sides = sorted((float(size["length"]), float(size["width"]), float(size["height"])), reverse=True)
            too_big = too_big or any(s > m for s, m in zip(sides, sorted(max_sides, reverse=True), strict=True))
    if too_big or total_kg > max_kg:
        return [
            {"source": "client_requirements", "code": "not_fit_in_car", "message": "Груз может не поместиться в выбранный тариф"}
        ]
    return []
