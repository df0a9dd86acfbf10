"""The peer: what a team does today to check a capture window for drift with pandas and scipy.

pandas read_json(lines=True) over the capture file (in chunks of 100k records, or it needs tens of GB at
5M), the CSV payloads split into the feature columns, numeric columns parsed, then per feature
scipy.stats.ks_2samp (numbers) or chi2_contingency (categories) against the training set, plus missing
counts. Prints one JSON line: records, elapsed ms (after imports), peak RSS.

    /usr/bin/python3 bench/peer.py <capture.jsonl[.gz]> <train.csv>
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

CHUNK = 100_000


def main(capture_path: str, train_path: str) -> None:
    started = time.perf_counter()
    train = pd.read_csv(train_path)
    names = list(train.columns)
    inputs, output = names[:-1], names[-1]
    numeric = [n for n in names if pd.api.types.is_numeric_dtype(train[n])]
    categorical = [n for n in names if n not in numeric]

    values = {n: [] for n in numeric}
    counts = {n: pd.Series(dtype="int64") for n in categorical}
    missing = {n: 0 for n in names}
    records = 0
    for chunk in pd.read_json(capture_path, lines=True, chunksize=CHUNK, compression="infer"):
        records += len(chunk)
        capture = chunk["captureData"]
        cells = capture.map(lambda c: c["endpointInput"]["data"]).str.split(",", expand=True)
        cells.columns = inputs
        cells[output] = capture.map(lambda c: c["endpointOutput"]["data"])
        cells = cells.replace("", np.nan)
        for n in names:
            missing[n] += int(cells[n].isna().sum())
        for n in numeric:
            values[n].append(pd.to_numeric(cells[n], errors="coerce").dropna().to_numpy())
        for n in categorical:
            counts[n] = counts[n].add(cells[n].value_counts(), fill_value=0)
    read_ms = (time.perf_counter() - started) * 1000

    drifted = []
    for n in numeric:
        result = stats.ks_2samp(train[n].dropna().to_numpy(), np.concatenate(values[n]))
        if result.pvalue < 0.05:
            drifted.append(n)
    for n in categorical:
        base = train[n].value_counts()
        table = pd.concat([base, counts[n]], axis=1).fillna(0).to_numpy().T
        _, p, _, _ = stats.chi2_contingency(table, correction=False)
        if p < 0.05:
            drifted.append(n)
    elapsed_ms = (time.perf_counter() - started) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "mode": "peer",
                "records": records,
                "drifted": drifted,
                "missing": sum(missing.values()),
                "readMs": read_ms,
                "elapsedMs": elapsed_ms,
                "peakRssBytes": peak,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
