"""Reference KS and Wasserstein figures for samples too large for exact computation in the engine.

The samples are closed-form grids, so the TypeScript test rebuilds the identical values without shipping
them: baseline b_i = i / n (i = 0..n-1), current c_j = (j / m) ** power (j = 0..m-1). The engine sketches
them (KLL, k = 2048) and must land within the documented error: KS D within 0.01.

Run from the repository root:  python3 test/reference/drift/make_sketch_accuracy_reference.py
"""
import json

import numpy as np
import scipy
from scipy import stats

cases = []
for n, m, power in [(200_000, 150_000, 1.2), (100_000, 100_000, 1.0), (50_000, 120_000, 0.9)]:
    b = np.arange(n) / n
    c = (np.arange(m) / m) ** power
    ks = stats.ks_2samp(b, c)
    cases.append(
        {
            "n": n,
            "m": m,
            "power": power,
            "ks": float(ks.statistic),
            "pValue": float(ks.pvalue),
            "wasserstein": float(stats.wasserstein_distance(b, c)),
        }
    )

with open("test/reference/drift/sketch-accuracy.json", "w") as out:
    json.dump({"scipy": scipy.__version__, "cases": cases}, out, indent=2)
