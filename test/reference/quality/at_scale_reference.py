"""scikit-learn's figures for the benchmark's 1M-prediction window, the reference at scale.

The inputs are too big to commit: bench/quality-data.ts writes them, seeded (`npx tsx bench/quality-data.ts
--sizes 1m`), and the test regenerates them the same way; their SHA-256 are stored here so the test knows it
compares the same bytes. Run with Debian's interpreter (pandas 1.5, scikit-learn 1.2):

    /usr/bin/python3 test/reference/quality/at_scale_reference.py bench/data/quality-1m-predictions.csv \
        bench/data/quality-1m-labels.csv

It writes at_scale_reference.json next to this file. The join rules are model-care's: a repeated id keeps its
first row on each side and counts as a duplicate; labels without a prediction and predictions without a label
are counted.
"""

import hashlib
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(predictions_path, labels_path):
    predictions = pd.read_csv(predictions_path, dtype={"id": str})
    labels = pd.read_csv(labels_path, dtype={"id": str})
    duplicates = int(predictions["id"].duplicated().sum())
    predictions = predictions.drop_duplicates("id", keep="first")
    merged = predictions.merge(labels, on="id", how="outer", indicator=True)
    matched = merged[merged["_merge"] == "both"]
    duplicates += int(matched["id"].duplicated().sum())
    matched = matched.drop_duplicates("id", keep="first")
    y = matched["label"].to_numpy(dtype=np.int64)
    score = matched["score"].to_numpy(dtype=np.float64)
    predicted = (score >= 0.5).astype(np.int64)
    tn, fp, fn, tp = metrics.confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    out = {
        "generatedBy": "test/reference/quality/at_scale_reference.py",
        "versions": {"sklearn": sklearn.__version__, "pandas": pd.__version__, "numpy": np.__version__},
        "inputs": {
            "predictions": {"file": os.path.basename(predictions_path), "sha256": sha256(predictions_path)},
            "labels": {"file": os.path.basename(labels_path), "sha256": sha256(labels_path)},
        },
        "rows": int(len(matched)),
        "unmatched": {
            "predictions": int((merged["_merge"] == "left_only").sum()),
            "labels": int((merged["_merge"] == "right_only").sum()),
        },
        "duplicateIds": duplicates,
        "metrics": {
            "accuracy": float(metrics.accuracy_score(y, predicted)),
            "precision": float(metrics.precision_score(y, predicted, zero_division=0)),
            "recall": float(metrics.recall_score(y, predicted, zero_division=0)),
            "f1": float(metrics.f1_score(y, predicted, zero_division=0)),
            "aucRoc": float(metrics.roc_auc_score(y, score)),
            "prAuc": float(metrics.average_precision_score(y, score)),
            "logLoss": float(metrics.log_loss(y, score, labels=[0, 1])),
            "brier": float(metrics.brier_score_loss(y, score)),
            "fpr": float(fp / (fp + tn)),
            "confusionMatrix": [[int(tn), int(fp)], [int(fn), int(tp)]],
        },
    }
    with open(os.path.join(HERE, "at_scale_reference.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
