"""Reference figures for model-care's quality metrics, computed with scikit-learn.

Run with Debian's interpreter (numpy, scikit-learn 1.2.x):
    /usr/bin/python3 test/reference/quality/metrics_reference.py
It writes metrics_reference.json next to this file. NaN is written as null (JSON has no NaN).
Inputs are stored in the JSON, so the TypeScript tests see exactly the data sklearn saw.
"""

import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "model-monitor", "model_quality--baseline_dataset.csv")

warnings.simplefilter("ignore")  # zero_division warnings are the behaviour under test


def clean(value):
    """JSON-safe: NaN -> None, numpy scalars -> python."""
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) else f
    return value


def binary_case(name, labels, scores, threshold):
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    try:
        auc = roc_auc_score(y, s)
    except ValueError:
        auc = float("nan")  # sklearn raises when y has one class
    fpr = fp / (fp + tn) if (fp + tn) > 0 else 0.0
    return {
        "name": name,
        "threshold": threshold,
        "labels": y.tolist(),
        "scores": s.tolist(),
        "expected": {
            "accuracy": accuracy_score(y, pred),
            "precision": precision_score(y, pred, zero_division="warn"),
            "recall": recall_score(y, pred, zero_division="warn"),
            "f1": f1_score(y, pred, zero_division="warn"),
            "aucRoc": auc,
            "prAuc": average_precision_score(y, s),
            "logLoss": log_loss(y, s, labels=[0, 1]),
            "brier": brier_score_loss(y, s),
            "tpr": recall_score(y, pred, zero_division="warn"),
            "fpr": fpr,
            "confusionMatrix": [[int(tn), int(fp)], [int(fn), int(tp)]],
        },
    }


def multiclass_case(name, y_true, y_pred):
    labels = sorted(set(y_true) | set(y_pred))
    return {
        "name": name,
        "yTrue": list(y_true),
        "yPred": list(y_pred),
        "expected": {
            "labels": labels,
            "accuracy": accuracy_score(y_true, y_pred),
            "macroPrecision": precision_score(y_true, y_pred, average="macro"),
            "macroRecall": recall_score(y_true, y_pred, average="macro"),
            "macroF1": f1_score(y_true, y_pred, average="macro"),
            "weightedPrecision": precision_score(y_true, y_pred, average="weighted"),
            "weightedRecall": recall_score(y_true, y_pred, average="weighted"),
            "weightedF1": f1_score(y_true, y_pred, average="weighted"),
            "confusionMatrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        },
    }


def regression_case(name, y_true, y_pred):
    yt = np.asarray(y_true, dtype=float)
    yp = np.asarray(y_pred, dtype=float)
    return {
        "name": name,
        "yTrue": yt.tolist(),
        "yPred": yp.tolist(),
        "expected": {
            "mae": mean_absolute_error(yt, yp),
            "mse": mean_squared_error(yt, yp),
            "rmse": mean_squared_error(yt, yp, squared=False),
            "r2": r2_score(yt, yp),
            "mape": mean_absolute_percentage_error(yt, yp),
        },
        # Model Monitor's r2 is r2_score with the arguments swapped (see the fixtures README)
        "r2Swapped": r2_score(yp, yt),
    }


def main():
    rng = np.random.RandomState(20240601)

    binary = []
    # continuous scores, a fair classifier
    y = rng.binomial(1, 0.3, size=400)
    s = np.clip(0.3 * y + rng.beta(2, 4, size=400), 0, 1)
    binary.append(binary_case("continuous-0.5", y, s, 0.5))
    binary.append(binary_case("continuous-0.3", y, s, 0.3))
    # heavy ties: scores on a 0.1 grid, including exact 0 and 1 (log-loss clipping)
    y = rng.binomial(1, 0.5, size=300)
    s = np.round(np.clip(0.25 * y + rng.uniform(0, 0.75, size=300), 0, 1), 1)
    s[:5] = 0.0
    s[5:10] = 1.0
    binary.append(binary_case("ties-and-extremes", y, s, 0.5))
    # no predicted positive at this threshold: precision 0 by zero_division
    binary.append(binary_case("no-predicted-positive", [0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.45], 0.9))
    # one class only: AUC undefined (NaN), AP as sklearn 1.2 reports it
    binary.append(binary_case("only-negatives", [0, 0, 0, 0], [0.1, 0.7, 0.3, 0.9], 0.5))
    binary.append(binary_case("only-positives", [1, 1, 1], [0.1, 0.7, 0.3], 0.5))
    # tiny worked example from Model Monitor's docs shape
    binary.append(binary_case("small", [0, 0, 1, 1, 0, 1], [0.2, 0.6, 0.6, 0.9, 0.1, 0.4], 0.5))

    multiclass = []
    labels = ["cat", "dog", "bird", "fish"]
    y_true = [labels[i] for i in rng.choice(4, size=300, p=[0.4, 0.3, 0.2, 0.1])]
    y_pred = [t if rng.uniform() < 0.7 else labels[rng.randint(4)] for t in y_true]
    multiclass.append(multiclass_case("four-classes", y_true, y_pred))
    # a label that occurs only in the predictions (support 0: recall 0/0 -> 0)
    multiclass.append(multiclass_case("label-only-predicted", ["a", "b", "a", "b", "a"], ["a", "c", "a", "b", "c"]))
    # case-sensitive, code-point order ("B" < "a")
    multiclass.append(multiclass_case("code-point-order", ["a", "B", "a", "B", "10", "9"], ["B", "B", "a", "a", "9", "9"]))

    regression = []
    yt = rng.normal(10, 3, size=500)
    yp = yt + rng.normal(0.5, 1.5, size=500)
    regression.append(regression_case("normal", yt, yp))
    # zeros in y_true: MAPE divides by max(|y|, eps)
    regression.append(regression_case("zeros-in-truth", [0.0, 1.0, -2.0, 0.0, 3.5], [0.5, 1.0, -1.0, 0.0, 3.0]))
    # constant truth: sklearn's force_finite gives 1.0 for a perfect fit, else 0.0
    regression.append(regression_case("constant-truth-perfect", [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]))
    regression.append(regression_case("constant-truth-imperfect", [2.0, 2.0, 2.0], [2.0, 2.5, 1.0]))
    # fewer than two samples: r2 is NaN
    regression.append(regression_case("single-sample", [1.0], [2.0]))

    data = np.genfromtxt(FIXTURE, delimiter=",", names=True)
    fixture = regression_case("model-monitor-fixture", data["Label"], data["Prediction"])

    out = {
        "generatedBy": "test/reference/quality/metrics_reference.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "binary": binary,
        "multiclass": multiclass,
        "regression": regression,
        "fixture": fixture,
    }
    with open(os.path.join(HERE, "metrics_reference.json"), "w") as f:
        json.dump(clean(out), f, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
