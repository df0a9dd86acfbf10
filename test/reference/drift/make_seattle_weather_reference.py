"""Reference drift figures for seattle-weather (vega-datasets): 2012 as baseline, 2015 as current.

Computed with scipy/numpy only, from the definitions model-care documents, so the engine's golden test
compares against an independent implementation:
  numerical  - scipy.stats.ks_2samp (method auto), scipy.stats.wasserstein_distance, W1 / np.std(baseline)
               (population std), PSI / Jensen-Shannon / KL on baseline-decile bins (lower quantile, type 1;
               bins (-inf, e0], (e0, e1], ..., (e_last, inf)) with proportions floored at 1e-4 then renormalised
               for PSI and KL, raw proportions for Jensen-Shannon (scipy.spatial.distance.jensenshannon),
               Model Monitor's Robust distance max(0, D - 1.8 sqrt((n + m) / (n m)));
  categorical - scipy.stats.chi2_contingency(correction=False) on the 2 x k table, L-infinity of the
               frequency vectors, Jensen-Shannon, PSI.

Run from the repository root:  python3 test/reference/drift/make_seattle_weather_reference.py
"""
import json

import csv

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

EPS = 1e-4
with open("node_modules/vega-datasets/data/seattle-weather.csv", newline="") as f:
    rows = list(csv.DictReader(f))
baseline = [r for r in rows if r["date"].startswith("2012")]
current = [r for r in rows if r["date"].startswith("2015")]


def column(table, name, cast=float):
    return np.array([cast(r[name]) for r in table])


def smoothed(counts):
    p = np.maximum(np.asarray(counts, float) / np.sum(counts), EPS)
    return p / p.sum()


def psi(expected, actual):
    e, a = smoothed(expected), smoothed(actual)
    return float(np.sum((a - e) * np.log(a / e)))


def decile_edges(values, bins=10):
    v = np.sort(values)
    cumulative = np.arange(1, len(v) + 1)
    edges = []
    for k in range(1, bins):
        edge = v[np.argmax(cumulative >= k * len(v) / bins)]
        if not edges or edge > edges[-1]:
            edges.append(edge)
    return edges


def bin_counts(values, edges):
    # right-closed bins: value == edge falls in the bin that edge closes
    return np.bincount(np.searchsorted(edges, values, side="left"), minlength=len(edges) + 1)


features = {}
for name in ["precipitation", "temp_max", "temp_min", "wind"]:
    b, c = column(baseline, name), column(current, name)
    ks = stats.ks_2samp(b, c)
    w1 = stats.wasserstein_distance(b, c)
    edges = decile_edges(b)
    e, a = bin_counts(b, edges), bin_counts(c, edges)
    n, m = len(b), len(c)
    features[name] = {
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "wasserstein": float(w1),
        "wassersteinNormed": float(w1 / np.std(b)),
        "psi": psi(e, a),
        "jensenShannon": float(jensenshannon(e / e.sum(), a / a.sum())),
        "kl": float(stats.entropy(smoothed(e), smoothed(a))),
        "robust": max(0.0, float(ks.statistic) - 1.8 * np.sqrt((n + m) / (n * m))),
        "mean": float(np.mean(c)),
        "stdDev": float(np.std(c)),
    }

bw, cw = column(baseline, "weather", str), column(current, "weather", str)
values = sorted(set(bw) | set(cw))
e = np.array([(bw == v).sum() for v in values], float)
a = np.array([(cw == v).sum() for v in values], float)
chi2, p, dof, _ = stats.chi2_contingency(np.vstack([e, a]), correction=False)
features["weather"] = {
    "chiSquare": {"statistic": float(chi2), "pValue": float(p), "dof": int(dof)},
    "linf": float(np.max(np.abs(e / e.sum() - a / a.sum()))),
    "jensenShannon": float(jensenshannon(e / e.sum(), a / a.sum())),
    "psi": psi(e, a),
    "categories": values,
}

with open("test/reference/drift/seattle-weather-2012-vs-2015.json", "w") as out:
    json.dump(
        {"scipy": scipy.__version__, "rowsBaseline": len(baseline), "rowsCurrent": len(current), "features": features},
        out,
        indent=2,
    )
