"""Reference figures for model-care's per-segment metrics and fairness gaps, from numpy and sklearn.

A synthetic scored population with a segment feature `region` (four groups of different size, base
rate and score quality; one group has no positive label at all). For each group: sklearn's binary
metrics at threshold 0.5. Then, as fairlearn defines them:
  demographic parity difference = max - min over groups of the positive-prediction rate
  equal opportunity difference  = max - min over groups of the true-positive rate (recall),
                                  over the groups that have at least one positive label
Run: /usr/bin/python3 test/reference/quality/fairness_reference.py  ->  fairness_reference.json
"""

import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

HERE = os.path.dirname(os.path.abspath(__file__))
THRESHOLD = 0.5
warnings.simplefilter("ignore")


def main():
    rng = np.random.RandomState(11)
    groups = {  # name: (size, base rate, separation of the scores)
        "north": (300, 0.30, 2.0),
        "south": (200, 0.50, 1.0),
        "east": (120, 0.15, 0.5),
        "west": (40, 0.0, 1.0),
    }
    segments, labels, scores = [], [], []
    for name, (size, rate, sep) in groups.items():
        y = rng.binomial(1, rate, size=size)
        logit = -0.5 + sep * (y - 0.3) + rng.normal(0, 1, size=size)
        s = np.round(1 / (1 + np.exp(-logit)), 6)
        segments += [name] * size
        labels += y.tolist()
        scores += s.tolist()
    segments = np.array(segments)
    labels = np.array(labels)
    scores = np.array(scores)
    pred = (scores >= THRESHOLD).astype(int)

    per_group = {}
    positive_rates, tprs = {}, {}
    for g in sorted(groups):
        m = segments == g
        y, p, s = labels[m], pred[m], scores[m]
        try:
            auc = roc_auc_score(y, s)
        except ValueError:
            auc = None
        per_group[g] = {
            "count": int(m.sum()),
            "accuracy": accuracy_score(y, p),
            "precision": precision_score(y, p, zero_division=0),
            "recall": recall_score(y, p, zero_division=0),
            "f1": f1_score(y, p, zero_division=0),
            "aucRoc": auc,
        }
        positive_rates[g] = float(np.mean(p))
        if y.sum() > 0:
            tprs[g] = recall_score(y, p)

    out = {
        "generatedBy": "test/reference/quality/fairness_reference.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "threshold": THRESHOLD,
        "segments": segments.tolist(),
        "labels": labels.tolist(),
        "scores": scores.tolist(),
        "perGroup": per_group,
        "positiveRates": positive_rates,
        "truePositiveRates": tprs,
        "demographicParityDifference": max(positive_rates.values()) - min(positive_rates.values()),
        "equalOpportunityDifference": max(tprs.values()) - min(tprs.values()),
        "excludedFromEqualOpportunity": sorted(set(groups) - set(tprs)),
    }
    with open(os.path.join(HERE, "fairness_reference.json"), "w") as f:
        json.dump(out, f, allow_nan=False)
        f.write("\n")
    print({k: v for k, v in out.items() if k not in ("segments", "labels", "scores")})


if __name__ == "__main__":
    main()
