"""scipy's large-sample KS p-values (scipy.stats.kstwo.sf(d, round(n1 n2 / (n1 + n2))), what ks_2samp's
asymptotic branch returns), to check the engine's constant-time approximation used on sketched samples.

Run from the repository root:  python3 test/reference/stats/make_ks_asymptotic_reference.py
"""
import json

import scipy
from scipy import stats

cases = []
for d, n1, n2 in [
    (0.01, 100000, 100000),
    (0.005, 200000, 150000),
    (0.02, 50000, 120000),
    (0.003, 500000, 500000),
    (0.05, 20000, 30000),
    (0.001, 1000000, 1000000),
    (0.0015, 1000000, 800000),
    (0.008, 60000, 60000),
]:
    en = round(n1 * n2 / (n1 + n2))
    cases.append({"d": d, "n1": n1, "n2": n2, "pValue": float(stats.kstwo.sf(d, en))})

with open("test/reference/stats/ks-asymptotic-reference.json", "w") as out:
    json.dump({"scipy": scipy.__version__, "cases": cases}, out, indent=2)
