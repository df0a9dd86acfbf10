"""Wilson score intervals for proportions, from scipy (BinomTestResult.proportion_ci(method='wilson')).

Read by test/engine/stats/wilson-interval.test.ts. Regenerate with /usr/bin/python3 (scipy >= 1.7):

    /usr/bin/python3 test/reference/stats/make_wilson_reference.py
"""
import json
import os

import scipy
from scipy.stats import binomtest

CASES = [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (81, 263), (500, 1000), (1, 1000), (999, 1000),
         (9_950, 10_000), (123_456, 250_000)]

out = {"generator": f"scipy {scipy.__version__} binomtest(k, n).proportion_ci(0.95, 'wilson')", "cases": []}
for k, n in CASES:
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    out["cases"].append({"successes": k, "n": n, "low": ci.low, "high": ci.high})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wilson-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
