"""Reference data for model-care's label-free performance estimate (CBPE-style) and its calibrators.

A logistic-regression model is scored on scikit-learn's breast-cancer dataset with 5-fold
out-of-fold predictions (each score comes from a model that never saw that record). The first 269
records are the labelled reference set (for calibration); the other 300 form six analysis chunks of 50.
For each chunk the JSON holds the realised accuracy, precision, recall and F1 from sklearn at
threshold 0.5: the truth a label-free estimate is judged against.

Two models: C=1.0 (sklearn's default, reasonably calibrated) and C=0.01 (heavily regularised, so its
scores are squeezed towards 0.5: under-confident, the case calibration exists for).

Calibration references: sklearn's IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1) fitted on
the reference set, and 10-bin equal-width histogram binning computed with numpy (empty bin -> score
unchanged), both applied to the analysis scores.

Run: /usr/bin/python3 test/reference/quality/estimate_reference.py  ->  estimate_reference.json
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
N_REFERENCE = 269
CHUNK = 50
THRESHOLD = 0.5
BINS = 10

warnings.simplefilter("ignore")


def histogram_binning(ref_scores, ref_labels, scores, bins=BINS):
    """Mean label of the reference records in each equal-width bin of [0, 1]; empty bin -> identity."""
    def bin_of(s):
        return np.minimum((np.asarray(s) * bins).astype(int), bins - 1)

    ref_bins = bin_of(ref_scores)
    means = [
        float(np.mean(ref_labels[ref_bins == b])) if np.any(ref_bins == b) else None for b in range(bins)
    ]
    out = [means[b] if means[b] is not None else float(s) for s, b in zip(scores, bin_of(scores))]
    return out, means


def model_case(name, C, X, y):
    model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = cross_val_predict(model, X, y, cv=cv, method="predict_proba")[:, 1]
    ref_s, ref_y = scores[:N_REFERENCE], y[:N_REFERENCE]
    ana_s, ana_y = scores[N_REFERENCE:], y[N_REFERENCE:]

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(ref_s, ref_y)
    hist, bin_means = histogram_binning(ref_s, ref_y, ana_s)

    chunks = []
    for c in range(len(ana_s) // CHUNK):
        sl = slice(c * CHUNK, (c + 1) * CHUNK)
        yy = ana_y[sl]
        pred = (ana_s[sl] >= THRESHOLD).astype(int)
        chunks.append(
            {
                "start": c * CHUNK,
                "end": (c + 1) * CHUNK,
                "realised": {
                    "accuracy": accuracy_score(yy, pred),
                    "precision": precision_score(yy, pred, zero_division=0),
                    "recall": recall_score(yy, pred, zero_division=0),
                    "f1": f1_score(yy, pred, zero_division=0),
                },
            }
        )
    return {
        "name": name,
        "C": C,
        "threshold": THRESHOLD,
        "reference": {"scores": ref_s.tolist(), "labels": ref_y.tolist()},
        "analysis": {"scores": ana_s.tolist(), "labels": ana_y.tolist()},
        "isotonic": iso.predict(ana_s).tolist(),
        "histogram": {"bins": BINS, "binMeans": bin_means, "calibrated": hist},
        "chunks": chunks,
    }


def main():
    X, y = load_breast_cancer(return_X_y=True)
    perm = np.random.RandomState(0).permutation(len(y))
    X, y = X[perm], y[perm]
    out = {
        "generatedBy": "test/reference/quality/estimate_reference.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "dataset": "sklearn.datasets.load_breast_cancer, rows permuted with RandomState(0)",
        "models": [model_case("logistic-C1", 1.0, X, y), model_case("logistic-C0.01", 0.01, X, y)],
    }
    with open(os.path.join(HERE, "estimate_reference.json"), "w") as f:
        json.dump(out, f, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
