"""The peer for model quality: what a team does today with pandas and scikit-learn.

pandas read_csv of the predictions (id, prediction, score) and the labels (id, label), the first row of a
repeated id kept on each side (as model-care does), an inner merge on id with the unmatched rows counted,
then scikit-learn's binary metrics at threshold 0.5. Prints one JSON line: the counts, the metrics, the
time after imports (elapsedMs), the time with imports (withImportsMs), the process's CPU time (cpuMs, imports
included) and peak RSS.

    /usr/bin/python3 bench/quality-peer.py <predictions.csv> <labels.csv>
"""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn import metrics  # noqa: E402


def main(predictions_path: str, labels_path: str) -> None:
    started = time.perf_counter()
    predictions = pd.read_csv(predictions_path)
    labels = pd.read_csv(labels_path)
    duplicates = int(predictions["id"].duplicated().sum())
    predictions = predictions.drop_duplicates("id", keep="first")
    merged = predictions.merge(labels, on="id", how="outer", indicator=True)
    matched = merged[merged["_merge"] == "both"]
    label_duplicates = int(matched["id"].duplicated().sum())
    matched = matched.drop_duplicates("id", keep="first")
    unmatched_predictions = int((merged["_merge"] == "left_only").sum())
    unmatched_labels = int((merged["_merge"] == "right_only").sum())
    y = matched["label"].to_numpy(dtype=np.int64)
    score = matched["score"].to_numpy(dtype=np.float64)
    predicted = (score >= 0.5).astype(np.int64)
    result = {
        "accuracy": metrics.accuracy_score(y, predicted),
        "precision": metrics.precision_score(y, predicted, zero_division=0),
        "recall": metrics.recall_score(y, predicted, zero_division=0),
        "f1": metrics.f1_score(y, predicted, zero_division=0),
        "aucRoc": metrics.roc_auc_score(y, score),
        "prAuc": metrics.average_precision_score(y, score),
        "logLoss": metrics.log_loss(y, score, labels=[0, 1]),
        "brier": metrics.brier_score_loss(y, score),
        "confusionMatrix": metrics.confusion_matrix(y, predicted, labels=[0, 1]).tolist(),
    }
    now = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "mode": "peer",
                "rows": int(len(matched)),
                "unmatched": {"predictions": unmatched_predictions, "labels": unmatched_labels},
                "duplicateIds": duplicates + label_duplicates,
                "metrics": {k: float(v) if not isinstance(v, list) else v for k, v in result.items()},
                "elapsedMs": (now - started) * 1000,
                "withImportsMs": (now - STARTED) * 1000,
                "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
                "peakRssBytes": usage.ru_maxrss * 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
