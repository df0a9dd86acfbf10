#!/usr/bin/env python3
"""Reference figures for functions/engine/stats, computed by scipy / numpy.

Run from the repository root:  python3 test/reference/stats/make_stats_reference.py
Writes test/reference/stats/stats-reference.json next to this script. Deterministic (seeded).
Tests read the JSON; they never run Python.

The gamma family is also evaluated with mpmath at 40 digits ("highPrecision"): scipy's cephes
routines are themselves off by up to ~1e-10 relative for large shape parameters, and the TypeScript
aims at ~1e-13 against the true value.

Where scipy has no function for a rule of ours (the binning rule, the PSI smoothing, the
Benjamini-Hochberg adjustment of statsmodels, which is not installed here), numpy implements the rule
as documented in the TypeScript doc comments, independently of the TypeScript code.
"""
import json
import math
import pathlib

import mpmath
import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance
from scipy.stats._stats_py import _attempt_exact_2kssamp

OUT = pathlib.Path(__file__).with_name("stats-reference.json")
rng = np.random.default_rng(20260501)


def f(x):
    """A JSON-safe float (json writes repr, which round-trips exactly)."""
    x = float(x)
    assert math.isfinite(x), x
    return x


def floats(xs):
    return [f(x) for x in xs]


# ---------------------------------------------------------------- KS two-sample
def ks2_pvalue(d, n1, n2):
    """ks_2samp(method='auto', alternative='two-sided')'s p-value as a function of the statistic:
    the branch logic of scipy's ks_2samp after d is known. Checked against ks_2samp itself below."""
    g = math.gcd(n1, n2)
    if max(n1, n2) <= 10000:
        ok, _, prob = _attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
        if ok:
            return float(np.clip(prob, 0, 1))
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    return float(np.clip(stats.kstwo.sf(d, np.round(en)), 0, 1))


def ks_case(name, a, b, weights_a=None, weights_b=None):
    """a, b: values; optional integer weights = repeat counts (scipy sees the expanded data)."""
    xa = np.repeat(a, weights_a) if weights_a is not None else np.asarray(a)
    xb = np.repeat(b, weights_b) if weights_b is not None else np.asarray(b)
    res = stats.ks_2samp(xa, xb, method="auto")
    p = ks2_pvalue(float(res.statistic), len(xa), len(xb))
    assert p == float(res.pvalue), (name, p, res.pvalue)
    case = {
        "name": name,
        "a": floats(a),
        "b": floats(b),
        "statistic": f(res.statistic),
        "pValue": f(res.pvalue),
        "n1": len(xa),
        "n2": len(xb),
    }
    if weights_a is not None:
        case["weightsA"] = [int(w) for w in weights_a]
        case["weightsB"] = [int(w) for w in weights_b]
    return case


def normal(n, loc=0.0, scale=1.0, decimals=4):
    # rounded so the JSON stays small; scipy sees exactly the rounded values
    return np.round(rng.normal(loc, scale, n), decimals)


ks_samples = [
    ks_case("normal 5 vs 7", normal(5), normal(7)),
    ks_case("normal 50 vs 50", normal(50), normal(50, 0.3)),
    ks_case("normal 100 vs 80", normal(100), normal(80)),
    ks_case("normal 1000 vs 900", normal(1000), normal(900, 0.05)),
    ks_case("normal 3000 vs 3000", normal(3000), normal(3000, 0.04)),
    ks_case("normal 12000 vs 9000 (asymptotic)", normal(12000, decimals=3), normal(9000, 0.02, decimals=3)),
    ks_case("shifted 200 vs 150 (tiny exact p)", normal(200), normal(150, 2.0)),
    ks_case("shifted 60 vs 60 (tiny exact p, square)", normal(60), normal(60, 3.0)),
    ks_case("identical", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ks_case("disjoint", [1.0, 2.0], [3.0, 4.0, 5.0]),
]
# ties-heavy integer data, stored as (value, count) so it is also a weighted-sample case
for name, values, sizes, probs_a, probs_b in [
    ("ties 0..9, 300 vs 200", np.arange(10), (300, 200), None, None),
    ("ties 0..4, 4000 vs 3500", np.arange(5), (4000, 3500), [0.2] * 5, [0.18, 0.2, 0.2, 0.2, 0.22]),
    ("ties 0..9, 15000 vs 11000 (asymptotic)", np.arange(10), (15000, 11000), None, None),
    ("ties 0..2, 20000 vs 20000 shifted (asymptotic, tiny p)", np.arange(3), (20000, 20000),
     [0.3, 0.4, 0.3], [0.25, 0.4, 0.35]),
]:
    ca = rng.multinomial(sizes[0], probs_a or [1 / len(values)] * len(values))
    cb = rng.multinomial(sizes[1], probs_b or [1 / len(values)] * len(values))
    keep_a, keep_b = ca > 0, cb > 0
    ks_samples.append(ks_case(name, values[keep_a].astype(float), values[keep_b].astype(float),
                              ca[keep_a], cb[keep_b]))

# p-value as a function of (d, n1, n2), covering the exact square / strip methods and every
# kstwo branch the asymptotic path reaches
ks_pvalue_grid = []
size_pairs = [(1, 1), (1, 5), (2, 3), (3, 3), (5, 7), (10, 10), (20, 30), (50, 50), (100, 80), (333, 500),
              (1000, 900), (1000, 1000), (2500, 4000), (3000, 3000), (9999, 10000), (10000, 10000),
              (10001, 10001), (12000, 9000), (20000, 20000), (50000, 3), (100000, 150), (10001, 1),
              (1_000_000, 1_000_000), (3_000_000, 5_000_000)]
d_grid = [1e-5, 0.001, 0.004, 0.01, 0.017, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95,
          0.999, 1.0]
for n1, n2 in size_pairs:
    for d in d_grid:
        if n1 != n2 and max(n1, n2) >= 2500 and max(n1, n2) <= 10000 and d > 0.2:
            continue  # the O(n1·n2·d) strip method: keep the test fast, small d is the realistic case
        ks_pvalue_grid.append({"d": d, "n1": n1, "n2": n2, "pValue": ks2_pvalue(d, n1, n2)})
# d between lattice points (rounded sketches), and tiny p-values that must match relatively
for n1, n2, d in [(7, 5, 0.371), (50, 50, 0.2049), (100, 80, 0.33333), (1000, 900, 0.1234567),
                  (200, 150, 0.83), (60, 60, 0.9), (12000, 9000, 0.08), (11000, 10500, 0.1),
                  (20000, 20000, 0.05), (500000, 400000, 0.01), (3000, 3000, 0.2)]:
    ks_pvalue_grid.append({"d": d, "n1": n1, "n2": n2, "pValue": ks2_pvalue(d, n1, n2)})


# ---------------------------------------------------------------- kstwo.sf
def kstwo_branch(n, x):
    """Which method scipy's _kolmogn(n, x, cdf=False) uses (mirrors its tests, for labels only)."""
    if x >= 1.0:
        return "x>=1"
    if x <= 0:
        return "x<=0"
    t = n * x
    if t <= 1.0:
        return "ruben-gambino low" if t > 0.5 else "t<=0.5"
    if t >= n - 1:
        return "ruben-gambino high"
    if x >= 0.5:
        return "2*smirnov (x>=0.5)"
    nx2 = t * x
    if n <= 140:
        if nx2 <= 0.754693:
            return "durbin"
        if nx2 <= 4:
            return "pomeranz"
        return "2*smirnov"
    if nx2 >= 370:
        return "zero"
    if nx2 >= 2.2:
        return "2*smirnov"
    if n <= 100000 and n * x ** 1.5 <= 1.4:
        return "durbin"
    return "pelz-good"


kstwo_grid = []
for n in [1, 2, 3, 5, 10, 25, 64, 100, 140, 141, 200, 500, 1000, 5000, 10000, 50000, 100000, 100001, 250000,
          1_000_000, 2_000_000]:
    xs = set()
    for nx2 in [0.05, 0.2, 0.5, 0.754, 0.76, 1.0, 1.5, 2.1, 2.3, 3.0, 3.9, 4.1, 8.0, 17.0, 19.0, 40.0, 100.0,
                250.0, 369.0, 371.0]:
        xs.add(math.sqrt(nx2 / n))
    for t in [0.3, 0.5, 0.51, 0.75, 1.0, 1.3, 2.5]:
        xs.add(t / n)
    for x in [0.5, 0.55, 0.7, 0.9, 0.99, 1 - 0.5 / n, 1 - 1.0 / n, 1.0, 0.0]:
        xs.add(x)
    if n <= 100000:  # around Durbin's n·x^1.5 <= 1.4 limit
        xs.add((1.39 / n) ** (2 / 3))
        xs.add((1.41 / n) ** (2 / 3))
    for x in sorted(xs):
        if x < 0 or x > 1:
            continue
        sf = float(stats.kstwo.sf(x, n))
        kstwo_grid.append({"n": n, "x": f(x), "sf": sf, "branch": kstwo_branch(n, x)})

smirnov_grid = []
for n in [1, 2, 5, 10, 11, 50, 100, 140, 1000, 10000, 100000, 1_000_000, 2_000_000]:
    for x in sorted({0.0, 0.5 / n, 1.0 / n, 1.5 / n, 2.5 / n, 0.4 / math.sqrt(n), 1 / math.sqrt(n),
                     2 / math.sqrt(n), 5 / math.sqrt(n), 0.3, 0.5, 0.75, 1 - 1.0 / n, 1.0}):
        if 0 <= x <= 1:
            smirnov_grid.append({"n": n, "x": f(x), "sf": f(special.smirnov(n, x))})

# ---------------------------------------------------------------- gamma family
gammaln_grid = []
for x in [1e-300, 1e-10, 1e-3, 0.1, 0.2, 0.25, 0.5, 0.8, 0.9, 0.999, 1.0, 1.0 + 1e-9, 1.001, 1.1, 1.2, 1.5,
          1.8, 1.9, 1.99999, 2.0, 2.00001, 2.1, 2.2, 2.5, 3.0, 3.7, 5.5, 10.0, 17.3, 50.5, 100.0, 171.5, 1000.0,
          12345.678, 1e6, 1e10, 1e15, 1e100, -0.5, -1.5, -2.25, -10.1, -100.7]:
    gammaln_grid.append({"x": f(x), "lnGamma": f(special.gammaln(x))})

gamma_inc_grid = []
for a in [0.01, 0.1, 0.5, 1.0, 1.5, 2.5, 4.0, 10.0, 19.5, 20.5, 30.0, 50.0, 150.0, 199.0, 250.0, 1000.0, 5000.0,
          1e4, 1e5, 1e6]:
    xs = {a * r for r in [1e-3, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0, 1.01, 1.05, 1.1, 1.2, 1.5, 2.0, 3.0, 5.0]}
    xs |= {0.05, 0.3, 0.5, 0.7, 1.0, 1.1, 1.3, 3.0, 30.0}
    for x in sorted(xs):
        p, q = special.gammainc(a, x), special.gammaincc(a, x)
        gamma_inc_grid.append({"a": f(a), "x": f(x), "p": f(p), "q": f(q)})

chi2_grid = []
for dof in [1, 2, 3, 4, 5, 7, 10, 30, 99, 100, 250, 1000, 10000, 100000]:
    xs = {dof * r for r in [1e-4, 0.01, 0.1, 0.5, 0.9, 1.0, 1.1, 1.5, 2.0, 5.0]}
    xs |= {float(stats.chi2.isf(p, dof)) for p in [0.5, 0.05, 1e-3, 1e-10, 1e-30, 1e-100, 1e-250]}
    xs |= {0.001, 0.5, 1.0, 3.84, 50.0, 700.0, 1400.0}
    for x in sorted(xs):
        sf = float(stats.chi2.sf(x, dof))
        if sf > 0:
            chi2_grid.append({"x": f(x), "dof": dof, "sf": sf})


# ---------------------------------------------------------------- chi-square contingency
def contingency_case(name, a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    keep = (a > 0) | (b > 0)  # the documented rule: drop columns where both counts are 0
    table = np.vstack([a[keep], b[keep]])
    if keep.sum() < 2:
        stat, p, dof = 0.0, 1.0, 0
    else:
        res = stats.chi2_contingency(table, correction=False)
        stat, p, dof = res.statistic, res.pvalue, int(res.dof)
    return {"name": name, "a": floats(a), "b": floats(b), "statistic": f(stat), "pValue": f(p), "dof": dof}


contingency = [
    contingency_case("2x2", [12, 3], [17, 16]),
    contingency_case("2x3 with a zero column", [10, 0, 20], [12, 0, 25]),
    contingency_case("one column left", [5, 0], [7, 0]),
    contingency_case("zero cell in one row", [10, 0, 5], [8, 4, 6]),
    contingency_case("weighted (non-integer) counts", [10.5, 3.25, 7.75], [9.0, 6.5, 2.125]),
    contingency_case("strong drift (tiny p)", [900, 50, 50], [100, 450, 450]),
]
for k in [2, 3, 5, 10, 30]:
    probs = rng.dirichlet(np.ones(k))
    a = rng.multinomial(5000, probs)
    b = rng.multinomial(4000, probs)
    contingency.append(contingency_case(f"same distribution, k={k}", a, b))
    b2 = rng.multinomial(4000, rng.dirichlet(np.ones(k)))
    contingency.append(contingency_case(f"different distribution, k={k}", a, b2))

# ---------------------------------------------------------------- Wasserstein
wasserstein = []


def wasserstein_case(name, u, v, wu=None, wv=None):
    u, v = np.sort(np.asarray(u, float)), np.sort(np.asarray(v, float))
    case = {"name": name, "u": floats(u), "v": floats(v)}
    if wu is not None:
        case["uWeights"], case["vWeights"] = floats(wu), floats(wv)
    case["distance"] = f(stats.wasserstein_distance(u, v, wu, wv))
    wasserstein.append(case)


wasserstein_case("scipy example", [0, 1, 3], [5, 6, 8])
wasserstein_case("identical", [1, 2, 2, 5], [1, 2, 2, 5])
wasserstein_case("normal 30 vs 45", normal(30), normal(45, 0.5))
wasserstein_case("normal 1000 vs 800", normal(1000), normal(800, 0.1, 2.0))
wasserstein_case("ties", [0, 0, 1, 1, 1, 2], [0, 1, 2, 2, 2, 2, 3])
wasserstein_case("weighted, scipy example", [0, 1], [0, 1], [3, 1], [2, 2])
wasserstein_case("weighted, KLL-like powers of two", normal(40), normal(35, 0.4),
                 2.0 ** rng.integers(0, 4, 40), 2.0 ** rng.integers(0, 4, 35))
wasserstein_case("weighted, real weights", normal(25, 10, 3), normal(20, 12, 3),
                 rng.uniform(0.1, 5, 25), rng.uniform(0.1, 5, 20))
wasserstein_case("single points", [2.5], [-1.0])

# ---------------------------------------------------------------- histogram divergences
EPS = 1e-4


def smoothed(counts):
    """The documented smoothing: proportions floored at 1e-4, then renormalised."""
    p = np.asarray(counts, float) / np.sum(counts)
    p = np.maximum(p, EPS)
    return p / p.sum()


def divergence_case(name, p, q):
    p = np.asarray(p, float)
    q = np.asarray(q, float)
    ps, qs = smoothed(p), smoothed(q)
    return {
        "name": name,
        "p": floats(p),
        "q": floats(q),
        "linf": f(np.max(np.abs(p / p.sum() - q / q.sum()))),
        "psi": f(np.sum((qs - ps) * np.log(qs / ps))),
        "kl": f(stats.entropy(ps, qs)),
        "jensenShannon": f(distance.jensenshannon(p, q)),
    }


divergences = [
    divergence_case("identical", [10, 20, 30], [10, 20, 30]),
    divergence_case("proportional", [1, 2, 3], [100, 200, 300]),
    divergence_case("empty bins on both sides", [10, 0, 5, 0], [0, 7, 5, 0]),
    divergence_case("tiny bin below epsilon", [100000, 3, 50000], [90000, 20000, 40000]),
    divergence_case("disjoint", [5, 0], [0, 5]),
    divergence_case("weighted counts", [1.5, 2.25, 0.125], [0.5, 3.0, 1.0]),
]
for k in [2, 5, 10, 20]:
    divergences.append(divergence_case(f"random k={k}", rng.integers(0, 200, k), rng.integers(0, 200, k)))


# ---------------------------------------------------------------- quantile bins
def quantile_edges(values, weights, bins):
    """The documented rule: edge k = values[first i with C_i >= k*W/bins], C = cumsum (index order),
    W = C[-1]; repeated edges kept once."""
    c = np.cumsum(weights)
    total = c[-1]
    edges = []
    for k in range(1, bins):
        i = min(int(np.searchsorted(c, k * total / bins, side="left")), len(values) - 1)
        e = float(values[i])
        if not edges or e > edges[-1]:
            edges.append(e)
    return edges


def bin_counts(values, weights, edges):
    """(-inf, e0], (e0, e1], ..., (e_last, inf): index = number of edges < v."""
    idx = np.searchsorted(np.asarray(edges, float), values, side="left")
    return np.bincount(idx, weights=weights, minlength=len(edges) + 1)


binning = []


def binning_case(name, base, base_w, cur, cur_w, bins):
    order_b, order_c = np.argsort(base, kind="stable"), np.argsort(cur, kind="stable")
    base, base_w = np.asarray(base, float)[order_b], np.asarray(base_w, float)[order_b]
    cur, cur_w = np.asarray(cur, float)[order_c], np.asarray(cur_w, float)[order_c]
    edges = quantile_edges(base, base_w, bins)
    cb, cc = bin_counts(base, base_w, edges), bin_counts(cur, cur_w, edges)
    case = divergence_case(name, cb, cc)
    case.update({"baseline": floats(base), "baselineWeights": floats(base_w), "current": floats(cur),
                 "currentWeights": floats(cur_w), "bins": bins, "edges": floats(edges),
                 "baselineCounts": floats(cb), "currentCounts": floats(cc)})
    binning.append(case)


binning_case("normal 1000, 10 bins", normal(1000), np.ones(1000), normal(800, 0.2), np.ones(800), 10)
binning_case("normal 97, 20 bins", normal(97), np.ones(97), normal(130), np.ones(130), 20)
binning_case("KLL-like weights", normal(64), 2.0 ** rng.integers(0, 5, 64), normal(50, 0.5),
             2.0 ** rng.integers(0, 5, 50), 10)
binning_case("heavy ties 0..3", rng.integers(0, 4, 500).astype(float), np.ones(500),
             rng.integers(0, 5, 400).astype(float), np.ones(400), 10)
binning_case("one bin", normal(10), np.ones(10), normal(12), np.ones(12), 1)
binning_case("current outside baseline range", normal(200), np.ones(200), normal(150, 5.0), np.ones(150), 5)

# ---------------------------------------------------------------- Benjamini-Hochberg


def bh(p):
    """statsmodels multipletests(method='fdr_bh')'s pvals_corrected, in numpy."""
    p = np.asarray(p, float)
    order = np.argsort(p)
    ps = p[order]
    ecdf = np.arange(1, len(p) + 1) / float(len(p))
    adj = np.minimum.accumulate((ps / ecdf)[::-1])[::-1]
    adj[adj > 1] = 1
    out = np.empty_like(adj)
    out[order] = adj
    return out


bh_cases = []
for p in [[0.01], [0.04, 0.01, 0.03, 0.02], [0.5, 0.5, 0.5], [0.0, 1.0, 0.2, 0.0, 0.9],
          list(rng.uniform(0, 1, 50)), list(np.round(rng.uniform(0, 0.1, 40), 2)),
          list(np.concatenate([rng.uniform(0, 1e-6, 10), rng.uniform(0, 1, 90)]))]:
    bh_cases.append({"pValues": floats(p), "adjusted": floats(bh(p))})

# ---------------------------------------------------------------- high-precision gamma family
mpmath.mp.dps = 40


def lower_regularized(a, x):
    """P(a, x) by its power series at 40 digits (mpmath's own hypergeometric sum gives up for a ~ 1e6)."""
    term = total = mpmath.mpf(1)
    n = 0
    while term > total * mpmath.mpf("1e-45"):
        n += 1
        term *= x / (a + n)
        total += term
    return mpmath.exp(a * mpmath.log(x) - x - mpmath.loggamma(a + 1)) * total


def gamma_pq(a, x):
    """(P, Q) at 40 digits: the smaller tail directly, the other as its complement."""
    a, x = mpmath.mpf(a), mpmath.mpf(x)
    if x < a or x < 1:
        p = lower_regularized(a, x)
        return p, 1 - p
    q = mpmath.gammainc(a, x, mpmath.inf, regularized=True)
    return 1 - q, q


high_precision = {
    "lnGamma": [{"x": g["x"], "lnGamma": f(mpmath.loggamma(mpmath.mpf(g["x"])).real)} for g in gammaln_grid],
    "regularizedGamma": [],
    "chiSquareSf": [],
}
for g in gamma_inc_grid:
    p, q = gamma_pq(g["a"], g["x"])
    if p > mpmath.mpf("1e-300") and q > mpmath.mpf("1e-300"):
        high_precision["regularizedGamma"].append({"a": g["a"], "x": g["x"], "p": f(p), "q": f(q)})
for g in chi2_grid:
    _, q = gamma_pq(mpmath.mpf(g["dof"]) / 2, mpmath.mpf(g["x"]) / 2)
    high_precision["chiSquareSf"].append({"x": g["x"], "dof": g["dof"], "sf": f(q)})

reference = {
    "generator": "test/reference/stats/make_stats_reference.py",
    "versions": {"scipy": scipy.__version__, "numpy": np.__version__, "mpmath": mpmath.__version__},
    "proportionEpsilon": EPS,
    "ksSamples": ks_samples,
    "ksPValueGrid": ks_pvalue_grid,
    "kstwoSf": kstwo_grid,
    "smirnovSf": smirnov_grid,
    "lnGamma": gammaln_grid,
    "regularizedGamma": gamma_inc_grid,
    "chiSquareSf": chi2_grid,
    "chiSquareContingency": contingency,
    "wasserstein": wasserstein,
    "divergences": divergences,
    "binning": binning,
    "benjaminiHochberg": bh_cases,
    "highPrecision": high_precision,
}
OUT.write_text(json.dumps(reference, separators=(",", ":")) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")
