"""The street graph: building from OSM, one-way streets, speeds, trimming, the cache, the real Almaty map."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from routing import graph as graph_module
from routing.errors import GraphError
from routing.graph import GraphSettings
from routing.graph import load_graph

# A square block: 1-2-3-4 two-way residential, 4->5->1 one-way primary, a footway 2-5, a way that
# runs off the extract (node 99 missing) and an unconnected road 7-8.
SMALL_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="43.2400" lon="76.9000"/>
  <node id="2" lat="43.2400" lon="76.9100"/>
  <node id="3" lat="43.2500" lon="76.9100"/>
  <node id="4" lat="43.2500" lon="76.9000"/>
  <node id="5" lat="43.2450" lon="76.8950"/>
  <node id="6" lat="43.2550" lon="76.9150"/>
  <node id="7" lat="43.3000" lon="77.0000"/>
  <node id="8" lat="43.3010" lon="77.0010"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="maxspeed" v="5"/></way>
  <way id="11"><nd ref="4"/><nd ref="5"/><nd ref="1"/><tag k="highway" v="primary"/><tag k="oneway" v="yes"/></way>
  <way id="12"><nd ref="2"/><nd ref="5"/><tag k="highway" v="footway"/></way>
  <way id="13"><nd ref="3"/><nd ref="6"/><nd ref="99"/><tag k="highway" v="residential"/></way>
  <way id="14"><nd ref="7"/><nd ref="8"/><tag k="highway" v="residential"/></way>
</osm>
"""


@pytest.fixture
def small_osm(tmp_path):
    path = tmp_path / "block.osm"
    path.write_text(SMALL_OSM, encoding="utf-8")
    return path


def edges_by_osm(g) -> dict[tuple[int, int], int]:
    return {(int(g.osm_id[u]), int(g.osm_id[v])): k for k, (u, v) in enumerate(zip(g.tail, g.head, strict=True))}


def test_small_graph_keeps_the_strongly_connected_drivable_part(small_osm, tmp_path):
    g = load_graph(small_osm, cache_dir=tmp_path / "cache")
    # Simplified: 2 and 5 are bends, not junctions (they would be, had the footway 2-5 been kept);
    # 6 is the end of a two-way spur whose last node is missing from the extract; 7-8 is cut off.
    assert sorted(g.osm_id.tolist()) == [1, 3, 4, 6]
    pairs = edges_by_osm(g)
    assert (4, 1) in pairs and (1, 4) not in pairs  # the one-way street through 5
    assert {(1, 3), (3, 1), (3, 4), (4, 3), (3, 6), (6, 3)} <= set(pairs)
    through_five = g.edge_polyline(pairs[(4, 1)])
    assert (43.245, 76.895) in through_five


def test_speeds_come_from_the_road_class_not_the_maxspeed_tag(small_osm, tmp_path):
    g = load_graph(small_osm, cache_dir=tmp_path / "cache")
    k = edges_by_osm(g)[(1, 3)]
    assert g.speed_kph[k] == 25.0
    expected_ds = round(g.length_dm[k] / 10 / (25 / 3.6) * 10)
    assert abs(int(g.travel_ds[k]) - expected_ds) <= 1
    faster = load_graph(small_osm, cache_dir=tmp_path / "cache", settings=GraphSettings(speeds_kph={"residential": 50.0}))
    assert faster.travel_ds[edges_by_osm(faster)[(1, 3)]] < g.travel_ds[k]


def test_the_cache_is_used_and_rebuilt_when_the_source_changes(small_osm, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = load_graph(small_osm, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 1

    def must_not_build(*_args, **_kwargs):
        raise AssertionError("rebuilt although the source did not change")

    monkeypatch.setattr(graph_module, "build_graph", must_not_build)
    again = load_graph(small_osm, cache_dir=cache)
    assert np.array_equal(first.travel_ds, again.travel_ds)
    monkeypatch.undo()
    small_osm.write_text(SMALL_OSM.replace('lon="76.8950"', 'lon="76.8900"'), encoding="utf-8")
    changed = load_graph(small_osm, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 2
    assert not np.array_equal(first.geometry_lon, changed.geometry_lon)


def test_missing_file_and_empty_map(tmp_path):
    with pytest.raises(GraphError, match="not found"):
        load_graph(tmp_path / "nope.osm.pbf", cache_dir=tmp_path)
    empty = tmp_path / "empty.osm"
    empty.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="43" lon="76"/></osm>', encoding="utf-8")
    with pytest.raises(GraphError):
        load_graph(empty, cache_dir=tmp_path)


def test_way_runs_cut_at_missing_nodes():
    assert graph_module._present_runs([1, 2, 99, 3, 4, 5, 98, 6], {1, 2, 3, 4, 5, 6}) == [[1, 2], [3, 4, 5]]


def test_the_real_almaty_graph(almaty_graph):
    g = almaty_graph
    assert 7000 < g.node_count < 9000 and 18000 < g.edge_count < 25000
    adjacency = csr_matrix((np.ones(g.edge_count), (g.tail, g.head)), shape=(g.node_count, g.node_count))
    assert connected_components(adjacency, directed=True, connection="strong")[0] == 1
    assert (g.travel_ds > 0).all() and (g.length_dm > 0).all()
    assert len(set(zip(g.tail.tolist(), g.head.tolist(), strict=True))) == g.edge_count  # one edge per pair
    assert g.lat.min() > 43.0 and g.lat.max() < 43.6
