"""Reference figures for the sequential-verdict tests (run from the repository root:
python3 test/reference/verdicts/make_verdicts_reference.py). scipy and numpy only; nothing from model-care."""
import json
import math

import numpy as np
from scipy import stats

out = {}

# Clopper-Pearson one-sided upper bound at level 1 - risk: beta.ppf(1 - risk, e + 1, n - e)
out["clopperPearson"] = [
    {"errors": e, "n": n, "risk": r, "upper": float(stats.beta.ppf(1 - r, e + 1, n - e))}
    for (e, n, r) in [(0, 10, 0.05), (3, 20, 0.05), (21, 104, 0.05), (180, 1000, 0.05), (2000, 100000, 0.01)]
]

# e-BH (Wang & Ramdas 2022) written out from the paper's definition, on fixed and random e-values
def ebh(e, alpha):
    m = len(e)
    order = np.argsort(-np.asarray(e), kind="stable")
    k_star = 0
    for k in range(1, m + 1):
        if e[order[k - 1]] >= m / (alpha * k):
            k_star = k
    rejected = [False] * m
    for k in range(k_star):
        rejected[order[k]] = True
    return rejected

rng = np.random.default_rng(12)
cases = [
    {"evidence": [100.0, 1.0, 0.5, 30.0, 45.0], "alpha": 0.05},
    {"evidence": [19.9, 20.0, 0.1], "alpha": 0.1},
    {"evidence": [1.0] * 10, "alpha": 0.05},
]
for _ in range(5):
    cases.append({"evidence": [float(x) for x in np.exp(rng.normal(1.5, 2.0, size=12))], "alpha": 0.05})
out["eBH"] = [dict(c, rejected=ebh(c["evidence"], c["alpha"])) for c in cases]

# Kolmogorov limiting survival function at the reduced statistic, with Stephens' correction, for the
# sketch-aware p-value: Q((sqrt(ne) + 0.12 + 0.11/sqrt(ne)) * max(0, d - eps1 - eps2)) + eta1 + eta2
def sketch_p(d, n1, n2, eps1, eps2, eta1, eta2):
    ne = n1 * n2 / (n1 + n2)
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * max(0.0, d - eps1 - eps2)
    return min(1.0, float(stats.kstwobign.sf(lam)) + eta1 + eta2)

eps = 3.4 / 2048 ** 0.9723
out["sketchKs"] = [
    {"d": d, "n1": n1, "n2": n2, "exact1": x1, "exact2": x2,
     "p": sketch_p(d, n1, n2, 0 if x1 else eps, 0 if x2 else eps, 0 if x1 else 1e-4, 0 if x2 else 1e-4)}
    for (d, n1, n2, x1, x2) in [
        (0.01, 1_000_000, 1_000_000, False, False),
        (0.006, 1_000_000, 2_000_000, False, False),
        (0.05, 1_000, 5_000, True, False),
        (0.08, 500, 800, True, True),
        (0.003, 10_000_000, 10_000_000, False, False),
    ]
]

with open("test/reference/verdicts/verdicts-reference.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote test/reference/verdicts/verdicts-reference.json")
