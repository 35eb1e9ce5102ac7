"""The picture of routes on the Almaty streets: a PNG of the asked size with streets and each route's colour."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from routing.errors import RoutingError
from routing.picture import RouteDrawing
from routing.picture import draw_routes
from routing.picture import route_colours
from tests.conftest import CENTRE


def nearest_node(graph, lat: float, lon: float) -> int:
    squash = math.cos(math.radians(lat))
    return int(np.argmin((graph.lat - lat) ** 2 + ((graph.lon - lon) * squash) ** 2))


def drive(graph, start: int, steps: int, label: str) -> RouteDrawing:
    """Follow real edges from ``start`` without revisiting a node; every fourth node is a stop."""
    polyline = [(float(graph.lat[start]), float(graph.lon[start]))]
    stops = []
    node, seen = start, {start}
    for step in range(steps):
        edges = [k for k in np.flatnonzero(graph.tail == node).tolist() if int(graph.head[k]) not in seen]
        if not edges:
            break
        edge = edges[0]
        polyline.extend(graph.edge_polyline(edge)[1:])
        node = int(graph.head[edge])
        seen.add(node)
        if step % 4 == 3:
            stops.append((float(graph.lat[node]), float(graph.lon[node])))
    assert len(stops) >= 3, "the walk should reach a few stops"
    return RouteDrawing(label=label, polyline=tuple(polyline), stops=tuple(stops), depot=polyline[0])


@pytest.fixture(scope="module")
def two_routes(almaty_graph):
    north = drive(almaty_graph, nearest_node(almaty_graph, *CENTRE), 24, "Маршрут 1 · Ерлан")
    south = drive(almaty_graph, nearest_node(almaty_graph, CENTRE[0] - 0.01, CENTRE[1] + 0.01), 24, "Маршрут 2 · Гүлнұр")
    return [north, south]


def pixels_near(image: np.ndarray, rgb: tuple[float, float, float], tolerance: float = 0.06) -> int:
    return int((np.abs(image[:, :, :3] - np.array(rgb)).max(axis=2) < tolerance).sum())


def test_the_png_has_the_size_streets_and_both_route_colours(almaty_graph, two_routes, tmp_path):
    path = tmp_path / "maps" / "2026-11-24" / "routes.png"  # folders that do not exist yet
    assert draw_routes(almaty_graph, two_routes, path=path, title="Центральная · 24.11.2026", size_px=900) == path
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = imread(path)
    assert abs(image.shape[0] - 900) <= 2 and abs(image.shape[1] - 900) <= 2
    total = image.shape[0] * image.shape[1]
    white = pixels_near(image, (1.0, 1.0, 1.0), 0.02)
    assert total * 0.5 < white < total * 0.995  # mostly background, but something is drawn
    assert pixels_near(image, to_rgb("#cccccc"), 0.04) > total * 0.005  # streets around the routes
    for colour in route_colours(2):
        assert pixels_near(image, to_rgb(colour)) > 300, f"no pixels in route colour {colour}"


def test_the_colours_are_distinct_and_the_picture_zooms_on_the_routes(almaty_graph, two_routes, tmp_path):
    colours = route_colours(12)
    assert len(set(colours)) == 12
    wide = RouteDrawing("far", two_routes[0].polyline, two_routes[0].stops, (43.35, 76.80))  # depot far away
    near_path = draw_routes(almaty_graph, two_routes[:1], path=tmp_path / "near.png", size_px=400)
    wide_path = draw_routes(almaty_graph, [wide], path=tmp_path / "wide.png", size_px=400)
    grey = to_rgb("#cccccc")
    # Zoomed out, the city's streets crowd the same pixels: more street pixels than zoomed in.
    assert pixels_near(imread(wide_path), grey, 0.04) > pixels_near(imread(near_path), grey, 0.04)


def test_bad_input_is_refused_before_drawing(almaty_graph, two_routes, tmp_path):
    with pytest.raises(RoutingError, match="no routes"):
        draw_routes(almaty_graph, [], path=tmp_path / "none.png")
    with pytest.raises(RoutingError, match="size_px"):
        draw_routes(almaty_graph, two_routes, path=tmp_path / "tiny.png", size_px=50)
    bad = RouteDrawing("bad point", ((143.2, 76.9),), (), (43.2, 76.9))  # lat out of range
    with pytest.raises(RoutingError, match="bad point"):
        draw_routes(almaty_graph, [bad], path=tmp_path / "bad.png")
    assert not list(tmp_path.iterdir())
