#!/usr/bin/env python3
"""Time shequ's walking engine beside pyosmium (PBF -> walking graph) and scipy (nearest facility),
in the same run, on the same machine, on the OSM extracts in the shared data directory.

Usage (a throwaway virtual environment, nothing installed system-wide):
    python3 -m venv /tmp/osmvenv && /tmp/osmvenv/bin/pip install osmium scipy numpy
    cargo build --release -p circle --example circle_bench
    cargo build --release -p shequ     # or SHEQU_BIN=target/debug/shequ: used only to check the distances
    /tmp/osmvenv/bin/python scripts/circle-bench.py [OSM_DIR] [--runs N]

What is compared (medians of N runs, each side in its own process, files in the page cache):
  graph  - from the .osm.pbf file to the walking graph: node ids, coordinates, the merged
           undirected edge list with haversine lengths. pyosmium is timed two ways, keeping its
           faster: two passes (ways, then the locations of their nodes, as the references were
           made) and one pass with pyosmium's own node-location index (locations=True). shequ
           (`crates/circle/examples/circle_bench.rs`) includes reading the file and building its CSR adjacency; it
           is timed on all cores and on one (libosmium also decodes blocks on a thread pool).
  query  - one multi-source Dijkstra from the 50 reference facilities, cut at 1200 m, giving
           every node's distance and nearest facility: scipy.sparse.csgraph.dijkstra(min_only=True,
           limit=1200, return_predecessors=True) on a CSR matrix built beforehand (not timed), both
           as the references call it (upper-triangular matrix, directed=False) and on a symmetric
           matrix with directed=True (no transpose inside the call); shequ's `circle::nearest` on
           its CSR graph. Not timed on either side: building the matrix / graph, placing facilities.
The distances are checked too: shequ's `circle nearest` output against this run's scipy result.
"""
import argparse, json, os, statistics, subprocess, sys, time
from importlib.metadata import version

import numpy as np
import osmium
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

NOT_WALKABLE = frozenset(
    "motorway motorway_link bus_guideway busway construction proposed planned abandoned razed raceway "
    "platform escape no disused elevator corridor emergency_bay rest_area services".split())
EARTH_R = 6371008.8


def walkable(t):
    hw = t.get("highway")
    if hw is None or hw in NOT_WALKABLE or t.get("area") == "yes":
        return False
    foot = t.get("foot")
    if foot in ("no", "private"):
        return False
    return not (t.get("access") in ("no", "private") and foot not in ("yes", "designated", "permissive"))


def finish(way_refs, loc):
    """Merged undirected pairs -> sorted node ids, coordinates, edge index arrays, lengths."""
    pairs = set()
    for refs in way_refs:
        for a, b in zip(refs, refs[1:]):
            if a != b and a in loc and b in loc:
                pairs.add((a, b) if a < b else (b, a))
    ids = np.array(sorted({n for p in pairs for n in p}), dtype=np.int64)
    xy = np.array([loc[n] for n in ids])
    e = np.array(sorted(pairs), dtype=np.int64)
    u, v = np.searchsorted(ids, e[:, 0]), np.searchsorted(ids, e[:, 1])
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    h = np.sin((lat[v] - lat[u]) / 2) ** 2 + np.cos(lat[u]) * np.cos(lat[v]) * np.sin((lon[v] - lon[u]) / 2) ** 2
    return ids, u, v, 2 * EARTH_R * np.arcsin(np.sqrt(h))


def graph_two_passes(path):
    way_refs, wanted = [], set()

    class Ways(osmium.SimpleHandler):
        def way(self, w):
            if len(w.nodes) >= 2 and walkable({t.k: t.v for t in w.tags}):
                refs = [n.ref for n in w.nodes]
                way_refs.append(refs)
                wanted.update(refs)

    loc = {}

    class Nodes(osmium.SimpleHandler):
        def node(self, n):
            if n.id in wanted and n.location.valid():
                loc[n.id] = (n.location.lon, n.location.lat)

    Ways().apply_file(path)
    Nodes().apply_file(path)
    return finish(way_refs, loc)


def graph_one_pass(path):
    way_refs, loc = [], {}

    class Ways(osmium.SimpleHandler):
        def way(self, w):
            if len(w.nodes) >= 2 and walkable({t.k: t.v for t in w.tags}):
                refs = []
                for n in w.nodes:
                    refs.append(n.ref)
                    if n.location.valid():
                        loc[n.ref] = (n.location.lon, n.location.lat)
                way_refs.append(refs)

    Ways().apply_file(path, locations=True)
    return finish(way_refs, loc)


def median_s(f, runs):
    out, times = None, []
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("osm_dir", nargs="?",
                    default=os.environ.get("SHEQU_OSM_DIR", os.path.join(here, "../../shared/data/osm")))
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    data, runs = a.osm_dir, a.runs
    bench = os.path.join(here, "../target/release/examples/circle_bench")
    shequ = os.environ.get("SHEQU_BIN", os.path.join(here, "../target/release/shequ"))
    print(f"runs={runs}, {os.cpu_count()} cores, osmium {version('osmium')}, "
          f"scipy {version('scipy')}, numpy {version('numpy')}\n")
    rows = []
    for name in ["porto", "helsinki"]:
        pbf = os.path.join(data, f"{name}.osm.pbf")
        fac_csv = os.path.join(data, f"reference_{name}_facilities.csv")
        t2, (ids, u, v, w) = median_s(lambda: graph_two_passes(pbf), runs)
        t1, (ids1, *_rest) = median_s(lambda: graph_one_pass(pbf), runs)
        assert np.array_equal(ids, ids1)
        n = len(ids)
        fac_ids = np.loadtxt(fac_csv, delimiter=",", skiprows=1, usecols=1, dtype=np.int64)
        fac = np.searchsorted(ids, fac_ids)
        upper = coo_matrix((w, (u, v)), shape=(n, n)).tocsr()
        sym = coo_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n)).tocsr()
        q_runs = max(runs, 50)
        tq_ref, (d_sp, _, _) = median_s(lambda: dijkstra(upper, directed=False, indices=fac, min_only=True,
                                                         limit=1200.0, return_predecessors=True), q_runs)
        tq_sym, (d_sym, _, _) = median_s(lambda: dijkstra(sym, directed=True, indices=fac, min_only=True,
                                                          limit=1200.0, return_predecessors=True), q_runs)
        assert np.array_equal(np.isinf(d_sp), np.isinf(d_sym))
        b = json.loads(subprocess.run([bench, pbf, fac_csv, str(max(runs, 20))],
                                      capture_output=True, text=True, check=True).stdout)
        assert b["nodes"] == n and b["edges"] == len(w), (b, n, len(w))
        out = subprocess.run([shequ, "circle", "nearest", "--osm", pbf, "--facilities", fac_csv, "--max-m", "1200"],
                             capture_output=True, text=True, check=True).stdout.split("\n")[1:-1]
        ours = np.array([float(l.split(",")[1]) if l.split(",")[1] else np.inf for l in out])
        both = ~np.isinf(d_sp)
        assert np.array_equal(np.isinf(ours), ~both), "reach differs"
        diff = float(np.max(np.abs(ours[both] - d_sp[both])))
        py_graph = min(t1, t2)
        sq = b["query"]["median_ms"] / 1000
        rows.append(f"| {name} | {n:,} | {len(w):,} | {t2 * 1000:.0f} ms | {t1 * 1000:.0f} ms | "
                    f"{b['graph']['median_ms']:.1f} ms | {b['graph_1_thread']['median_ms']:.1f} ms | "
                    f"{py_graph * 1000 / b['graph']['median_ms']:.0f}× | "
                    f"{tq_ref * 1000:.2f} ms | {tq_sym * 1000:.2f} ms | {sq * 1000:.2f} ms | "
                    f"{sq / min(tq_ref, tq_sym):.2f}× | {diff:.1e} m |")
        print(f"{name}: done", file=sys.stderr)
    print("| extract | nodes | edges | pyosmium graph, 2 passes | pyosmium graph, 1 pass + location index "
          "| shequ graph, all cores | shequ graph, 1 thread | graph speed-up (vs faster pyosmium) "
          "| scipy query (as the references) | scipy query (symmetric, directed) | shequ query "
          "| shequ / faster scipy | largest difference from scipy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
