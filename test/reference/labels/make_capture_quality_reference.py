"""scikit-learn's metrics for Model Monitor's own capture + ground-truth fixtures, joined by eventId.

Run from the repository root with Debian's python (it has scikit-learn):
  /usr/bin/python3 test/reference/labels/make_capture_quality_reference.py
"""
import json

import numpy as np
import sklearn
from sklearn import metrics

FIXTURES = "test/fixtures/model-monitor"


def records(name):
    with open(f"{FIXTURES}/{name}") as f:
        return [json.loads(line) for line in f if line.strip()]


scores = {r["eventMetadata"]["eventId"]: float(r["captureData"]["endpointOutput"]["data"]) for r in records("monitor--capture.jsonl")}
labels = {r["eventMetadata"]["eventId"]: int(r["groundTruthData"]["data"]) for r in records("monitor--actuals.jsonl")}
ids = [i for i in scores if i in labels]
y = np.array([labels[i] for i in ids])
p = np.array([scores[i] for i in ids])
pred = (p >= 0.5).astype(int)
tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()

reference = {
    "sklearn": sklearn.__version__,
    "rows": len(ids),
    "unmatchedPredictions": len(scores) - len(ids),
    "unmatchedLabels": len(labels) - len(ids),
    "metrics": {
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred, zero_division=0),
        "f1": metrics.f1_score(y, pred, zero_division=0),
        "aucRoc": metrics.roc_auc_score(y, p),
        "prAuc": metrics.average_precision_score(y, p),
        "logLoss": metrics.log_loss(y, p, labels=[0, 1]),
        "brier": metrics.brier_score_loss(y, p),
        "tpr": tp / (tp + fn),
        "fpr": fp / (fp + tn),
        "confusionMatrix": [[int(tn), int(fp)], [int(fn), int(tp)]],
    },
}
with open("test/reference/labels/capture-quality.json", "w") as out:
    json.dump(reference, out, indent=2)
