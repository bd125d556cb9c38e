"""Tests of netwerkonderzoek.network on textbook graphs and the tiny network.

Reference values are computed by hand (shown in the comments) from the
definitions in the docstrings: Freeman (1979) with R sna's star maxima,
Gould & Fernandez (1989) with R sna's brokerage() moments, Borgatti &
Everett (1999) / Boyd et al. (2006) for core-periphery.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.network import (
    NetworkDataError,
    adjusted_rand_index,
    brokerage,
    build_graph,
    burt_constraint,
    busiest_partners,
    community_stability,
    core_change,
    core_periphery,
    directed_transitivity,
    freeman_centralization,
    layer_overlap,
    measure_change,
    membership_changes,
    network_load,
    network_measures,
    network_trust,
    normalized_mutual_information,
    partner_measures,
    partner_trust,
    tie_change,
    wave_communities,
    wave_graphs,
)


def two_cliques_with_broker(directed: bool = True):
    """Triangles a1-a2-a3 (care) and b1-b2-b3 (housing), broker m (welfare) tied to a1 and b1."""
    G = nx.Graph()
    G.add_edges_from([("a1", "a2"), ("a1", "a3"), ("a2", "a3")])
    G.add_edges_from([("b1", "b2"), ("b1", "b3"), ("b2", "b3")])
    G.add_edges_from([("m", "a1"), ("m", "b1")])
    if directed:
        G = G.to_directed()
    kinds = {"a1": "care", "a2": "care", "a3": "care", "m": "welfare"}
    kinds |= {"b1": "housing", "b2": "housing", "b3": "housing"}
    nx.set_node_attributes(G, kinds, "kind")
    return G


# --- Freeman centralization ----------------------------------------------------------


def test_centralization_star_is_one():
    # the star is the normalising maximum by definition (Freeman 1979)
    star = nx.star_graph(5)
    assert freeman_centralization(star, "degree") == pytest.approx(1.0)
    assert freeman_centralization(star, "betweenness") == pytest.approx(1.0)
    both_ways = star.to_directed()
    # total degree: hub 10, leaves 2 -> 5 * 8 = 40 of 2(n-1)(n-2) = 40
    assert freeman_centralization(both_ways, "degree") == pytest.approx(1.0)
    assert freeman_centralization(both_ways, "betweenness") == pytest.approx(1.0)
    # in-degree: hub 5, leaves 1 -> 5 * 4 = 20 of (n-1)^2 = 25 (the maximum is the one-way in-star)
    assert freeman_centralization(both_ways, "indegree") == pytest.approx(20 / 25)
    in_star = nx.DiGraph([(leaf, 0) for leaf in range(1, 6)])
    assert freeman_centralization(in_star, "indegree") == pytest.approx(1.0)


def test_centralization_line():
    # path of 5, undirected: degrees 1,2,2,2,1 -> sum of differences 2; max (n-1)(n-2) = 12
    line = nx.path_graph(5)
    assert freeman_centralization(line, "degree") == pytest.approx(2 / 12)
    # betweenness (unordered pairs) 0,3,4,3,0 -> differences 4+1+0+1+4 = 10; max (n-1)^2(n-2)/2 = 24
    assert freeman_centralization(line, "betweenness") == pytest.approx(10 / 24)
    # both directions: total degree 2,4,4,4,2 -> 4 of 2(n-1)(n-2) = 24;
    # betweenness over ordered pairs 0,6,8,6,0 -> 20 of (n-1)^2(n-2) = 48
    directed = line.to_directed()
    assert freeman_centralization(directed, "degree") == pytest.approx(4 / 24)
    assert freeman_centralization(directed, "betweenness") == pytest.approx(20 / 48)


def test_centralization_out_star_and_one_way_line():
    # out-star with 4 leaves: in-degrees 0,1,1,1,1 -> 1 of (n-1)^2 = 16; total degree 4,1,1,1,1
    # -> 12 of 2(n-1)(n-2) = 24
    out_star = nx.DiGraph([("hub", x) for x in "abcd"])
    assert freeman_centralization(out_star, "indegree") == pytest.approx(1 / 16)
    assert freeman_centralization(out_star, "outdegree") == pytest.approx(1.0)
    assert freeman_centralization(out_star, "degree") == pytest.approx(0.5)
    # one-way line a->b->c: betweenness 0,1,0 -> 2 of (n-1)^2(n-2) = 4
    assert freeman_centralization(nx.DiGraph([("a", "b"), ("b", "c")]), "betweenness") == 0.5


def test_centralization_two_cliques_with_broker():
    G = two_cliques_with_broker(directed=False)
    # degrees a1=b1=3, a2=a3=b2=b3=2, m=2: differences 4*1 + 1 = 5 of (n-1)(n-2) = 30
    assert freeman_centralization(G, "degree") == pytest.approx(5 / 30)
    # betweenness: m lies on the 9 A-B pairs; a1 on a2,a3 x {m,b1,b2,b3} = 8, b1 likewise;
    # differences 1 + 1 + 4 * 9 = 38 of (n-1)^2(n-2)/2 = 90
    assert freeman_centralization(G, "betweenness") == pytest.approx(38 / 90)


def test_centralization_rejects_bad_input():
    with pytest.raises(ValueError, match="'measure' parameter"):
        freeman_centralization(nx.star_graph(3), "closeness")
    with pytest.raises(NetworkDataError, match="needs at least 3 partners"):
        freeman_centralization(nx.path_graph(2))


# --- Gould-Fernandez brokerage --------------------------------------------------------


def test_brokerage_two_cliques_raw_counts():
    table = brokerage(two_cliques_with_broker())
    roles = ["coordinator", "itinerant", "gatekeeper", "representative", "liaison"]
    # m: a1 -> m -> b1 and b1 -> m -> a1, three different kinds: liaison twice
    assert table.loc["m", roles].tolist() == [0, 0, 0, 0, 2]
    # a1: a2 -> a1 -> m, a3 -> a1 -> m (a and b care, c welfare): representative twice;
    # m -> a1 -> a2, m -> a1 -> a3: gatekeeper twice
    assert table.loc["a1", roles].tolist() == [0, 0, 2, 2, 0]
    assert table.loc["b1", roles].tolist() == [0, 0, 2, 2, 0]
    assert table.loc[["a2", "a3", "b2", "b3"], roles].to_numpy().sum() == 0


def test_brokerage_expected_and_z_as_sna():
    table = brokerage(two_cliques_with_broker())
    # sna::brokerage moments: d = m / (N (N-1)) = 16 / 42; p = d^2 (1-d), q = d^3 (1-d)^3
    d = 16 / 42
    p, q = d**2 * (1 - d), d**3 * (1 - d) ** 3
    assert table.attrs["density"] == pytest.approx(d)
    # broker m, own group size 1, others 3 and 3:
    # E[liaison] = p ((3+3)^2 - (9+9)) = 18 p; V = E (1-p) + 4 * (3 C(3,2) + 3 C(3,2)) q = ... + 72 q
    e_liaison = 18 * p
    v_liaison = e_liaison * (1 - p) + 72 * q
    assert table.loc["m", "liaison_expected"] == pytest.approx(e_liaison)
    assert table.loc["m", "liaison_z"] == pytest.approx((2 - e_liaison) / math.sqrt(v_liaison))
    # E[itinerant] = p (3*2 + 3*2) = 12 p; coordinator impossible in a group of one: z NaN
    assert table.loc["m", "itinerant_expected"] == pytest.approx(12 * p)
    assert np.isnan(table.loc["m", "coordinator_z"])
    # a1 (care, size 3): E[representative] = p (N - n)(n - 1) = 8 p;
    # V = E (1-p) + 2 ((n-1) C(N-n, 2) + (N-n) C(n-1, 2)) q = ... + 2 (2*6 + 4*1) q = ... + 32 q
    e_rep = 8 * p
    v_rep = e_rep * (1 - p) + 32 * q
    assert table.loc["a1", "representative_expected"] == pytest.approx(e_rep)
    assert table.loc["a1", "gatekeeper_z"] == pytest.approx((2 - e_rep) / math.sqrt(v_rep))


def test_brokerage_matches_brute_force_enumeration():
    # enumerate every two-path i -> j -> k with i -> k absent (sna's C loop) on random graphs
    rng = np.random.default_rng(5)
    for trial in range(5):
        n = 15
        G = nx.gnp_random_graph(n, 0.25, seed=trial, directed=True)
        kinds = rng.choice(["care", "housing", "welfare"], size=n)
        nx.set_node_attributes(G, dict(enumerate(kinds)), "kind")
        expected = pd.DataFrame(0, index=range(n), columns=["w_I", "w_O", "b_IO", "b_OI", "b_O"])
        for i, j in G.edges:
            for k in G.successors(j):
                if k == i or G.has_edge(i, k):
                    continue
                ki, kj, kk = kinds[i], kinds[j], kinds[k]
                if ki == kj:
                    expected.loc[j, "w_I" if kj == kk else "b_IO"] += 1
                elif kj == kk:
                    expected.loc[j, "b_OI"] += 1
                elif ki == kk:
                    expected.loc[j, "w_O"] += 1
                else:
                    expected.loc[j, "b_O"] += 1
        table = brokerage(G).sort_index()
        assert table["coordinator"].tolist() == expected["w_I"].tolist()
        assert table["itinerant"].tolist() == expected["w_O"].tolist()
        assert table["representative"].tolist() == expected["b_IO"].tolist()
        assert table["gatekeeper"].tolist() == expected["b_OI"].tolist()
        assert table["liaison"].tolist() == expected["b_O"].tolist()


def test_brokerage_needs_kind():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    with pytest.raises(NetworkDataError, match=r"node attribute 'kind'.*a, b, c"):
        brokerage(G)


# --- core-periphery -------------------------------------------------------------------


def ideal_core_periphery():
    """Clique of 4 core partners, each with two peripheral partners of its own."""
    G = nx.complete_graph(["c0", "c1", "c2", "c3"])
    G.add_edges_from((f"c{i}", f"p{i}{k}") for i in range(4) for k in range(2))
    return G


def test_core_periphery_ideal_pattern():
    cp = core_periphery(ideal_core_periphery())
    # discrete model: the clique is the core and the pattern is matched exactly (phi = 1)
    assert sorted(cp.index[cp["core"]]) == ["c0", "c1", "c2", "c3"]
    assert cp.attrs["fit_discrete"] == pytest.approx(1.0)
    # continuous minres model by hand: core c, periphery r c with
    #   c (3c^2 + 8r^2c^2) = 3c + 2rc  and  rc (4c^2 + 7r^2c^2) = c
    # which give 14 r^4 + 21 r^3 + 12 r - 3 = 0 (root in (0, 1))
    roots = np.roots([14, 21, 0, 12, -3])
    r = next(x.real for x in roots if abs(x.imag) < 1e-12 and 0 < x.real < 1)
    assert cp.loc["c0", "coreness"] == pytest.approx(1.0)
    assert cp.loc["p01", "coreness"] == pytest.approx(r, abs=1e-6)


def test_core_periphery_star_and_two_cliques():
    # star: the centre is the most core partner, leaves tend to 0 (degenerate minres solution)
    cp = core_periphery(nx.star_graph(5))
    assert cp.loc[0, "coreness"] == 1.0 and bool(cp.loc[0, "core"])
    assert (cp.loc[1:, "coreness"] < 0.1).all()
    # two cliques joined by a broker (symmetric): the attachment partners a1, b1 are the most
    # core, then the broker m, then the four pendant clique members (equal)
    cp = core_periphery(two_cliques_with_broker())
    assert cp.loc["a1", "coreness"] == pytest.approx(1.0) == cp.loc["b1", "coreness"]
    assert cp.loc["a2", "coreness"] < cp.loc["m", "coreness"] < 1.0
    assert cp.loc[["a2", "a3", "b2", "b3"], "coreness"].nunique() == 1
    # discrete: best core {m, a1} (or {m, b1}): core pair tied (n11 = 2, n10 = 0); periphery of
    # 5 has 4 ties = 8 of 20 ordered pairs (n01 = 8, n00 = 12):
    # phi = (2 * 12 - 0 * 8) / sqrt(2 * 20 * 10 * 12) = 24 / sqrt(4800)
    assert cp.attrs["fit_discrete"] == pytest.approx(24 / math.sqrt(4800))
    assert sorted(cp.index[cp["core"]]) in (["a1", "m"], ["b1", "m"])


def test_core_periphery_too_small():
    with pytest.raises(NetworkDataError, match=r"has 3 partners.*at least 4"):
        core_periphery(nx.path_graph(3))


# --- other measures -------------------------------------------------------------------


def test_constraint_matches_networkx():
    G = nx.gnp_random_graph(30, 0.2, seed=3, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = 1.0 + (u * v) % 3
    G.add_node(99)  # an isolate: NaN, as networkx
    ours = burt_constraint(G)
    reference = nx.constraint(G, weight="weight")
    for node in G.nodes:
        if node == 99:
            assert np.isnan(ours[node]) and np.isnan(reference[node])
        else:
            assert ours[node] == pytest.approx(reference[node])


def test_transitivity():
    # undirected: equals networkx transitivity (3 x triangles / connected triples)
    G = nx.karate_club_graph()
    assert directed_transitivity(G) == pytest.approx(nx.transitivity(G))
    # a -> b -> c, a -> c, c -> a: two-paths a-b-c (closed), b-c-a (open: b -> a absent),
    # c-a-b (closed: c -> b? absent -> open); closed 1 of 3
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "a")])
    # two-paths: a->b->c (a->c yes), b->c->a (b->a no), c->a->b (c->b no), a->c->a excluded
    assert directed_transitivity(D) == pytest.approx(1 / 3)


def test_community_agreement_scores():
    # scikit-learn user guide values: ARI([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24, NMI = 0.52
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(
        0.242424, abs=1e-6
    )
    assert normalized_mutual_information([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == (
        pytest.approx(0.515803, abs=1e-6)
    )
    assert adjusted_rand_index([1, 1, 2, 2], [2, 2, 1, 1]) == 1.0
    assert normalized_mutual_information([1, 1, 2, 2], [2, 2, 1, 1]) == pytest.approx(1.0)


# --- the tiny network -----------------------------------------------------------------


@pytest.fixture
def tiny_data(tiny):
    config_dir, data_dir = tiny
    config = load_config("tiny", config_dir)
    return config, load_network(config, data_dir)


def test_tiny_network_measures(tiny_data):
    config, data = tiny_data
    measures = network_measures(data.ties, data.partners, config.wave_dates)
    assert measures.columns[:6].tolist() == [
        "wave",
        "layer",
        "partners",
        "ties",
        "density",
        "reciprocity",
    ]
    first = measures[(measures.wave == 1) & (measures.layer == "all")].iloc[0]
    # wave 1: gemeente, corporatie, welzijn (bewoners joined later); g<->c, w->g
    assert (first.partners, first.ties) == (3, 3)
    assert first.density == pytest.approx(3 / 6)
    assert first.reciprocity == pytest.approx(2 / 3)
    # total degree g=3, c=2, w=1: (0 + 1 + 2) of 2(n-1)(n-2) = 4
    assert first.degree_centralization == pytest.approx(3 / 4)
    # trust of rated ties (3+4+3)/3, (3+3+3)/3, (4+4+4)/3 -> mean 31/9
    assert first.trust == pytest.approx(31 / 9)
    # value (3+3+2)/3, (3+2+2)/3, (2+3+2)/3 -> mean 22/9
    assert first.value == pytest.approx(22 / 9)
    # the shared_resources layer has no ties: its missing values are explained
    empty = measures[(measures.wave == 1) & (measures.layer == "shared_resources")].iloc[0]
    assert empty.ties == 0 and np.isnan(empty.reciprocity)
    assert "no ties in this layer" in empty.note
    assert first.note == ""


def test_tiny_partner_measures_and_trust(tiny_data):
    config, data = tiny_data
    pm = partner_measures(data.ties, data.partners, config.wave_dates).set_index(
        ["wave", "partner_id"]
    )
    g = pm.loc[(1, "gemeente")]
    assert (g.in_degree, g.out_degree) == (2, 1)
    # gemeente is rated by corporatie (3+3+3)/3 = 3 and welzijn 4: mean 3.5
    assert g.trust == pytest.approx(3.5)
    assert g.raters == 2
    # welzijn -> gemeente -> corporatie (welfare, municipality, housing), w -> c absent: liaison
    assert g.liaison == 1
    # wave 2: welzijn -> bewoners has no ratings; bewoners rated welzijn only: welzijn trust
    # (3 + 3 + 2) / 3, bewoners unrated (NaN, raters 0)
    assert pm.loc[(2, "welzijn"), "trust"] == pytest.approx(8 / 3)
    assert np.isnan(pm.loc[(2, "bewoners"), "trust"]) and pm.loc[(2, "bewoners"), "raters"] == 0
    trust = network_trust(data.ties)
    assert trust.loc[trust.wave == 1, "trust"].item() == pytest.approx(31 / 9)
    pt = partner_trust(data.ties)
    assert pt[(pt.wave == 1) & (pt.partner_id == "welzijn")]["trust_given"].item() == 4.0


def test_tiny_change_between_waves(tiny_data):
    config, data = tiny_data
    change = tie_change(data.ties, data.partners, config.wave_dates).iloc[0]
    # wave 1: g->c, c->g, w->g; wave 2: g->c, b->w, w->b: kept 1, gained 2, lost 2, J = 1/5
    assert (change.kept, change.gained, change.lost) == (1, 2, 2)
    assert change.jaccard == pytest.approx(0.2)
    assert change.joined_partners == "bewoners" and change.left == 0
    measures = network_measures(data.ties, data.partners, config.wave_dates, layers=("all",))
    delta = measure_change(measures)
    density = delta[delta.measure == "density"].iloc[0]
    # density 3/6 -> 3/12
    assert density.change == pytest.approx(0.25 - 0.5)


def test_membership_by_dates_needs_wave_dates(tiny_data):
    # issue 15: without wave dates the residents' council (joined 2023-06-01, after
    # wave 1 on 2023-03-01) was a node of wave 1, an isolate: density 3/12 instead of
    # 3/6 (hand count, see test_tiny_network_measures), silently.
    config, data = tiny_data
    assert network_measures(data.ties, data.partners, config.wave_dates, layers=("all",))[
        "density"
    ].tolist() == pytest.approx([3 / 6, 3 / 12])
    with pytest.raises(NetworkDataError, match=r"wave 1 has no fieldwork date.*\(bewoners\)"):
        network_measures(data.ties, data.partners)
    with pytest.raises(NetworkDataError, match=r"wave_dates=config\.wave_dates"):
        partner_measures(data.ties, data.partners)
    for call in (wave_graphs, tie_change):
        with pytest.raises(NetworkDataError, match="no fieldwork date"):
            call(data.ties, data.partners)
    with pytest.raises(NetworkDataError, match="no fieldwork date"):
        build_graph(data.ties, data.partners, 1)
    # the same partners all joined on one date and none left: membership is fixed,
    # and the measures without dates are the ones with dates
    fixed = data.partners.assign(joined=pd.Timestamp("2020-01-01"), left=pd.NaT)
    assert membership_changes(fixed) == []
    assert network_measures(data.ties, fixed, layers=("all",))["density"].tolist() == (
        pytest.approx([3 / 12, 3 / 12])
    )
    assert membership_changes(data.partners) == ["bewoners"]


def test_wijk_noord_density_counts_only_joined_partners():
    # issue 15: wave 2 (2023-04-15) of wijk-noord has 23 active partners; the
    # sports club joined 2023-06-01. Counting it as an isolate gave 0.527 (= 291 / 552);
    # the right density is 291 / (23 * 22) = 0.575 (hand count from data/wijk-noord).
    root = Path(__file__).resolve().parent.parent
    config = load_config("wijk-noord", root / "config")
    data = load_network(config, root / "data")
    measures = network_measures(data.ties, data.partners, config.wave_dates, layers=("all",))
    wave2 = measures[measures.wave == 2].iloc[0]
    assert (wave2.partners, wave2.ties) == (23, 291)
    assert wave2.density == pytest.approx(291 / (23 * 22))
    assert round(wave2.density, 3) == 0.575
    with pytest.raises(NetworkDataError, match="sportvereniging-noord"):
        network_measures(data.ties, data.partners)


def test_core_change_and_layer_overlap():
    table = pd.DataFrame(
        {
            "wave": [1, 1, 2, 2],
            "partner_id": ["a", "b", "a", "b"],
            "core": [True, False, True, True],
            "coreness": [1.0, 0.1, 1.0, 0.9],
        }
    )
    moved = core_change(table)
    assert moved[["partner_id", "movement"]].values.tolist() == [["b", "into core"]]
    ties = pd.DataFrame(
        {
            "wave": [1, 1, 1],
            "source": ["a", "a", "b"],
            "target": ["b", "b", "a"],
            "tie_type": ["information", "joint_delivery", "joint_delivery"],
        }
    )
    overlap = layer_overlap(ties).set_index(["layer_a", "layer_b"])
    # information {a->b}, joint delivery {a->b, b->a}: 1 / 2
    assert overlap.loc[("information", "joint_delivery"), "jaccard"] == 0.5
    assert np.isnan(overlap.loc[("shared_resources", "shared_clients"), "jaccard"])


def test_communities_and_stability():
    G = two_cliques_with_broker()
    G.graph["wave"] = 1
    H = G.copy()
    labels = wave_communities({1: G, 2: H}, seed=3)
    stability = community_stability(labels)
    assert stability.loc[0, "adjusted_rand"] == 1.0  # the same graph twice
    first = labels[labels.wave == 1].set_index("partner_id")["community"]
    assert first["a2"] == first["a3"] and first["b2"] == first["b3"]
    assert first["a2"] != first["b2"]


# --- faulty input ---------------------------------------------------------------------


def test_errors_name_wave_and_partner():
    partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3})
    ties = pd.DataFrame(
        {
            "wave": [1, 1],
            "source": ["a", "b"],
            "target": ["b", "x"],
            "tie_type": ["information"] * 2,
            "weight": [1.0, 1.0],
        }
    )
    with pytest.raises(
        NetworkDataError, match="wave 1 name partners that are not in the partners table: x"
    ):
        build_graph(ties, partners, 1)
    selfie = ties.assign(target=["a", "a"])
    with pytest.raises(NetworkDataError, match=r"wave 1 has self-ties.*: a"):
        build_graph(selfie, partners, 1)
    with pytest.raises(NetworkDataError, match="wave 2 has no ties"):
        build_graph(ties, partners, 2)
    with pytest.raises(NetworkDataError, match="wave 3 has no ties in the ties table"):
        network_measures(ties.iloc[:1], partners, {1: "2023-01-01", 3: "2024-01-01"})
    # one partner active at the wave's date
    alone = pd.DataFrame(
        {"partner_id": ["a", "b"], "kind": ["care"] * 2, "joined": ["2020-01-01", "2025-01-01"]}
    )
    one_tie = pd.DataFrame(
        {
            "wave": [1],
            "source": ["a"],
            "target": ["b"],
            "tie_type": ["information"],
            "weight": [1.0],
        }
    )
    with pytest.raises(NetworkDataError, match=r"not active partners.*: b"):
        network_measures(one_tie, alone, {1: "2023-01-01"})
    solo = pd.DataFrame({"partner_id": ["a"], "kind": ["care"]})
    G = nx.DiGraph(wave=4)
    G.add_node("a", kind="care")
    with pytest.raises(NetworkDataError, match="wave 4: the network has 1 partner \\(a\\)"):
        brokerage(G)
    assert isinstance(NetworkDataError("x"), ValueError)
    assert solo is not None


def test_network_graph_layers(tiny_data):
    config, data = tiny_data
    graphs = wave_graphs(data.ties, data.partners, config.wave_dates)
    assert sorted(graphs) == [1, 2]
    assert sorted(graphs[2].nodes) == ["bewoners", "corporatie", "gemeente", "welzijn"]
    G = build_graph(data.ties, data.partners, 1, layer="joint_delivery", date=config.wave_dates[1])
    assert list(G.edges) == [("welzijn", "gemeente")]
    assert G.nodes["gemeente"]["kind"] == "municipality"


def test_layer_graphs_in_one_pass_equal_build_graph():
    from netwerkonderzoek.network.graphs import LAYERS, layer_graphs

    # d left before the wave's date: not a node; a->b is tied in two layers, rated in one
    partners = pd.DataFrame(
        {
            "partner_id": ["a", "b", "c", "d"],
            "kind": ["care", "housing", "care", "welfare"],
            "joined": ["2020-01-01"] * 4,
            "left": ["2030-01-01", "2030-01-01", "2030-01-01", "2022-01-01"],
        }
    )
    nan = np.nan
    ties = pd.DataFrame(
        {
            "wave": [1, 1, 1, 1, 2],
            "source": ["a", "a", "b", "c", "a"],
            "target": ["b", "b", "c", "a", "c"],
            "tie_type": [
                "joint_delivery",
                "information",
                "information",
                "joint_delivery",
                "information",
            ],
            "weight": [1.0, 2.0, 1.0, 0.5, 1.0],
            "reliability": [nan, 4, nan, 1, 2],
            "mission_support": [nan, 3, nan, 2, 2],
            "open_discussion": [nan, 2, nan, 3, 2],
            "power_influence": [nan, 4, nan, 2, 2],
            "involvement": [nan, 4, nan, 2, 2],
            "resource_contribution": [nan, 1, nan, 2, 2],
        }
    )
    date = "2023-01-01"
    graphs = layer_graphs(ties, partners, 1, LAYERS, date=date)
    assert list(graphs) == list(LAYERS)
    for layer, G in graphs.items():
        expected = build_graph(ties, partners, 1, layer=layer, date=date)
        assert G.graph == expected.graph == {"wave": 1, "layer": layer}
        # repr: exact floats, NaN equal to NaN, attribute order included
        assert repr(list(G.nodes(data=True))) == repr(list(expected.nodes(data=True)))
        assert repr(list(G.edges(data=True))) == repr(list(expected.edges(data=True)))
        assert list(G.nodes) == ["a", "b", "c"]
    # hand calculation: a->b weights 2 + 1, trust (4 + 3 + 2) / 3 and value (4 + 4 + 1) / 3 of
    # the one rated tie; c->a trust (1 + 2 + 3) / 3
    edges = {(u, v): d for u, v, d in graphs["all"].edges(data=True)}
    assert list(edges) == [("a", "b"), ("b", "c"), ("c", "a")]
    assert edges["a", "b"] == {
        "weight": 3.0,
        "layers": ("information", "joint_delivery"),
        "trust": 3.0,
        "value": 3.0,
    }
    assert math.isnan(edges["b", "c"]["trust"])
    assert edges["c", "a"]["trust"] == 2.0
    assert list(graphs["information"].edges) == [("a", "b"), ("b", "c")]
    assert graphs["joint_delivery"].edges["a", "b"]["weight"] == 1.0
    assert math.isnan(graphs["joint_delivery"].edges["a", "b"]["trust"])
    assert graphs["shared_clients"].number_of_edges() == 0
    # network_measures works on these graphs
    measures = network_measures(ties, partners, {1: date, 2: date}).set_index(["wave", "layer"])
    assert measures.loc[1, "ties"].to_dict() == {
        "all": 3,
        "information": 2,
        "joint_delivery": 2,
        "shared_resources": 0,
        "shared_clients": 0,
    }
    assert measures.loc[(1, "all"), "partners"] == 3
    # an inactive partner in the ties: the same error for one layer or several
    late = ties.assign(source=["a", "a", "b", "d", "a"])
    message = r"ties of wave 1 name partners that are not active partners on 2023-01-01: d"
    with pytest.raises(NetworkDataError, match=message):
        layer_graphs(late, partners, 1, LAYERS, date=date)
    with pytest.raises(NetworkDataError, match=message):
        build_graph(late, partners, 1, layer="information", date=date)


def test_network_load_matches_by_registry_id_or_name():
    from types import SimpleNamespace as NS

    def net(network_id, ids, names, registry, hours):
        partners = pd.DataFrame({"partner_id": ids, "name": names, "kind": ["other"] * len(ids)})
        if registry is not None:
            partners["registry_id"] = registry
        contributions = pd.DataFrame(
            {
                "partner_id": [i for i in ids for _ in range(2)],
                "activity": ["netwerkoverleg", "uitvoering"] * len(ids),
                "hours": [h for pair in hours for h in pair],
            }
        )
        return NS(network_id=network_id, partners=partners, contributions=contributions)

    a = net("a", ["gem", "zorg"], ["Gemeente", "Zorg"], ["kvk-1", "kvk-2"], [(4, 6), (1, 1)])
    b = net("b", ["gemeente"], ["Gemeente X"], ["kvk-1"], [(10, 0)])
    load = network_load([a, b])
    gem = load[load.organisation == "kvk-1"]
    assert gem["networks"].tolist() == [2, 2]
    assert gem["meeting_hours"].tolist() == [4.0, 10.0]
    busiest = busiest_partners(load, top=1)
    # kvk-1: 2 networks, 4 + 6 + 10 = 20 hours, 14 of them in meetings
    assert busiest.loc[0, ["organisation", "networks", "hours"]].tolist() == ["kvk-1", 2, 20.0]
    assert busiest.loc[0, "meeting_share"] == pytest.approx(14 / 20)
    c = net("c", ["g"], ["Gemeente"], None, [(1, 1)])
    by_name = network_load([a, c])
    assert set(by_name.loc[by_name.network_id == "c", "matched_by"]) == {"name"}


def test_example_networks_share_the_police():
    """The simulator's planted shared organisation: both police basic teams are one legal entity."""
    from netwerkonderzoek.simulate import EXAMPLE_NETWORKS
    from netwerkonderzoek.simulate.network import registry_id

    root = Path(__file__).resolve().parent.parent
    networks = [
        load_network(load_config(n, root / "config"), root / "data") for n in EXAMPLE_NETWORKS
    ]
    load = network_load(networks)
    shared = load[load["networks"] > 1]
    assert set(shared["organisation"]) == {registry_id("Politie")}
    assert set(shared["matched_by"]) == {"registry_id"}
    assert sorted(shared["network_id"]) == ["ggz-netwerk", "wijk-noord"]
    assert sorted(shared["partner_id"]) == ["politie-maasoever", "politie-noord"]
    assert (shared["hours"] > 0).all()


def test_partner_load_counts_other_networks_without_their_figures():
    from netwerkonderzoek.network import partner_load

    def net(network_id, partners, hours):
        return SimpleNamespace(
            network_id=network_id,
            partners=pd.DataFrame(
                {
                    "partner_id": [p for p, _ in partners],
                    "name": [f"Naam {p}" for p, _ in partners],
                    "kind": "other",
                    "registry_id": [k for _, k in partners],
                }
            ),
            contributions=pd.DataFrame(
                {"partner_id": [p for p, _ in partners], "activity": "overleg", "hours": hours}
            ),
        )

    a = net("a", [("gem", "k1"), ("wijk", "k2")], [10.0, 4.0])
    b = net("b", [("gemeente", "k1"), ("zorg", "k3")], [7.0, 3.0])
    c = net("c", [("gem-c", "k1")], [2.0])
    load = network_load([a, b, c])
    table = partner_load(load, "a")
    # hand count: k1 sits in b and c; k2 nowhere else
    assert table[["partner_id", "hours", "other_networks"]].values.tolist() == [
        ["gem", 10.0, 2],
        ["wijk", 4.0, 0],
    ]
    assert set(table["programme_networks"]) == {""} and table["programme_hours"].sum() == 0
    assert "zorg" not in table.to_csv() and "gemeente" not in table.to_csv()
    shared = partner_load(load, "a", share_with=["b"])  # one programme with b, not with c
    assert shared.loc[0, ["programme_networks", "programme_hours"]].tolist() == ["b", 7.0]
    with pytest.raises(NetworkDataError, match="network 'x' is not in the network load table"):
        partner_load(load, "x")
