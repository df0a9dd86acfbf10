"""Reference detection indices for model-care's concept-drift detectors.

river is not installable here, so this script carries a pure-Python port of river's detectors, written
from river's published source (not from model-care's TypeScript):
  - river/drift/adwin.py + river/drift/adwin_c.pyx (AdaptiveWindowing, Bucket), river 0.21/0.22
  - river/drift/binary/ddm.py
  - river/drift/page_hinkley.py (two-sided, `mode`)
  - river/stats/mean.py (stats.Mean used by DDM and PageHinkley)
The port is checked against the examples in river's docstrings (expected indices printed there), then
run on seeded streams whose values are stored in the JSON, so the TypeScript tests replay the same data.

Run: /usr/bin/python3 test/reference/quality/detectors_reference.py  ->  detectors_reference.json
"""

import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- river.stats.Mean
class Mean:
    def __init__(self):
        self.n = 0
        self.mean = 0.0

    def update(self, x, w=1.0):
        self.n += w
        if self.n > 0:
            self.mean += w * (x - self.mean) / self.n

    def get(self):
        return self.mean


# ---------------------------------------------------------------- river.drift.ADWIN (adwin_c.pyx)
class Bucket:
    def __init__(self, max_size):
        self.max_size = max_size
        self.current_idx = 0
        self.total_array = [0.0] * (max_size + 1)
        self.variance_array = [0.0] * (max_size + 1)

    def insert_data(self, value, variance):
        self.total_array[self.current_idx] = value
        self.variance_array[self.current_idx] = variance
        self.current_idx += 1

    def remove(self):
        self.compress(1)

    def compress(self, n_elements):
        window_len = len(self.total_array)
        for i in range(n_elements, window_len):
            self.total_array[i - n_elements] = self.total_array[i]
            self.variance_array[i - n_elements] = self.variance_array[i]
        for i in range(window_len - n_elements, window_len):
            self.total_array[i] = 0.0
            self.variance_array[i] = 0.0
        self.current_idx -= n_elements


class AdaptiveWindowing:
    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.delta = delta
        self.bucket_deque = [Bucket(max_buckets)]
        self.total = 0.0
        self.variance = 0.0
        self.width = 0.0
        self.n_buckets = 0
        self.grace_period = grace_period
        self.tick = 0
        self.n_detections = 0
        self.clock = clock
        self.min_window_length = min_window_length
        self.max_buckets = max_buckets

    def update(self, value):
        self._insert_element(float(value), 0.0)
        return self._detect_change()

    def _insert_element(self, value, variance):
        bucket = self.bucket_deque[0]
        bucket.insert_data(value, variance)
        self.n_buckets += 1
        self.width += 1
        incremental_variance = 0.0
        if self.width > 1.0:
            incremental_variance = (
                (self.width - 1.0)
                * (value - self.total / (self.width - 1.0))
                * (value - self.total / (self.width - 1.0))
                / self.width
            )
        self.variance += incremental_variance
        self.total += value
        self._compress_buckets()

    @staticmethod
    def _calculate_bucket_size(row):
        return math.pow(2, row)

    def _delete_element(self):
        bucket = self.bucket_deque[-1]
        n = self._calculate_bucket_size(len(self.bucket_deque) - 1)
        u = bucket.total_array[0]
        mu = u / n
        v = bucket.variance_array[0]
        self.width -= n
        self.total -= u
        mu_window = self.total / self.width
        incremental_variance = v + n * self.width * (mu - mu_window) * (mu - mu_window) / (n + self.width)
        self.variance -= incremental_variance
        bucket.remove()
        self.n_buckets -= 1
        if bucket.current_idx == 0:
            self.bucket_deque.pop()
        return n

    def _compress_buckets(self):
        bucket = self.bucket_deque[0]
        idx = 0
        while bucket is not None:
            k = bucket.current_idx
            if k == self.max_buckets + 1:
                if idx + 1 < len(self.bucket_deque):
                    next_bucket = self.bucket_deque[idx + 1]
                else:
                    self.bucket_deque.append(Bucket(self.max_buckets))
                    next_bucket = self.bucket_deque[-1]
                n1 = self._calculate_bucket_size(idx)
                n2 = self._calculate_bucket_size(idx)
                mu1 = bucket.total_array[0] / n1
                mu2 = bucket.total_array[1] / n2
                total12 = bucket.total_array[0] + bucket.total_array[1]
                temp = n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2)
                v12 = bucket.variance_array[0] + bucket.variance_array[1] + temp
                next_bucket.insert_data(total12, v12)
                self.n_buckets += 1
                bucket.compress(2)
                if next_bucket.current_idx <= self.max_buckets:
                    break
            else:
                break
            bucket = self.bucket_deque[idx + 1] if idx + 1 < len(self.bucket_deque) else None
            idx += 1

    def _detect_change(self):
        change_detected = False
        exit_flag = False
        self.tick += 1
        if (self.tick % self.clock == 0) and (self.width > self.grace_period):
            reduce_width = True
            while reduce_width:
                reduce_width = False
                exit_flag = False
                n0 = 0.0
                n1 = self.width
                u0 = 0.0
                u1 = self.total
                v0 = 0
                v1 = self.variance
                for idx in range(len(self.bucket_deque) - 1, -1, -1):
                    if exit_flag:
                        break
                    bucket = self.bucket_deque[idx]
                    # river 0.21/0.22: range(current_idx - 1), see river issue #1539
                    for k in range(bucket.current_idx - 1):
                        n2 = self._calculate_bucket_size(idx)
                        u2 = bucket.total_array[k]
                        mu2 = u2 / n2
                        if n0 > 0.0:
                            mu0 = u0 / n0
                            v0 += bucket.variance_array[k] + n0 * n2 * (mu0 - mu2) * (mu0 - mu2) / (n0 + n2)
                        if n1 > 0.0:
                            mu1 = u1 / n1
                            v1 -= bucket.variance_array[k] + n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2)
                        n0 += self._calculate_bucket_size(idx)
                        n1 -= self._calculate_bucket_size(idx)
                        u0 += bucket.total_array[k]
                        u1 -= bucket.total_array[k]
                        if (idx == 0) and (k == bucket.current_idx - 1):
                            exit_flag = True
                            break
                        delta_mean = (u0 / n0) - (u1 / n1)
                        if (
                            n1 >= self.min_window_length
                            and n0 >= self.min_window_length
                            and self._evaluate_cut(n0, n1, delta_mean, self.delta)
                        ):
                            reduce_width = True
                            change_detected = True
                            if self.width > 0:
                                n0 -= self._delete_element()
                                exit_flag = True
                                break
        if change_detected:
            self.n_detections += 1
        return change_detected

    def _evaluate_cut(self, n0, n1, delta_mean, delta):
        delta_prime = math.log(2 * math.log(self.width) / delta)
        m_recip = (1.0 / (n0 - self.min_window_length + 1)) + (1.0 / (n1 - self.min_window_length + 1))
        # Cython 3 (language_level 3) evaluates 2 / 3 as true division
        epsilon = math.sqrt(2 * m_recip * (self.variance / self.width) * delta_prime) + 2 / 3 * delta_prime * m_recip
        return abs(delta_mean) > epsilon


class ADWIN:
    def __init__(self, **kw):
        self.kw = kw
        self.drift_detected = False
        self._helper = AdaptiveWindowing(**kw)

    def update(self, x):
        if self.drift_detected:
            self._helper = AdaptiveWindowing(**self.kw)
            self.drift_detected = False
        self.drift_detected = self._helper.update(x)


# ---------------------------------------------------------------- river.drift.binary.DDM
class DDM:
    def __init__(self, warm_start=30, warning_threshold=2.0, drift_threshold=3.0):
        self.warm_start = warm_start
        self.warning_threshold = warning_threshold
        self.drift_threshold = drift_threshold
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self.warning_detected = False
        self._p = Mean()
        self._p_min = float("inf")
        self._s_min = float("inf")
        self._ps_min = float("inf")

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self._p.update(x)
        p_i = self._p.get()
        n = self._p.n
        s_i = math.sqrt(p_i * (1 - p_i) / n)
        if n > self.warm_start:
            if p_i + s_i <= self._ps_min:
                self._p_min = p_i
                self._s_min = s_i
                self._ps_min = self._p_min + self._s_min
            if p_i + s_i > self._p_min + self.warning_threshold * self._s_min:
                self.warning_detected = True
            else:
                self.warning_detected = False
            if p_i + s_i > self._p_min + self.drift_threshold * self._s_min:
                self.drift_detected = True
                self.warning_detected = False


# ---------------------------------------------------------------- river.drift.PageHinkley
class PageHinkley:
    def __init__(self, min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both"):
        self.min_instances = min_instances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode
        self._reset()

    def _reset(self):
        self.drift_detected = False
        self._x_mean = Mean()
        self._sum_increase = 0.0
        self._sum_decrease = 0.0
        self._min_increase = float("inf")
        self._max_decrease = -1

    def _test(self, inc, dec):
        if self.mode == "up":
            return inc > self.threshold
        if self.mode == "down":
            return dec > self.threshold
        return inc > self.threshold or dec > self.threshold

    def update(self, x):
        if self.drift_detected:
            self._reset()
        self._x_mean.update(x)
        dev = x - self._x_mean.get()
        self._sum_increase = self.alpha * self._sum_increase + dev - self.delta
        self._sum_decrease = self.alpha * self._sum_decrease + dev + self.delta
        if self._sum_increase < self._min_increase:
            self._min_increase = self._sum_increase
        if self._sum_decrease > self._max_decrease:
            self._max_decrease = self._sum_decrease
        if self._x_mean.n >= self.min_instances:
            test_increase = self._sum_increase - self._min_increase
            test_decrease = self._max_decrease - self._sum_decrease
            self.drift_detected = self._test(test_increase, test_decrease)


# ---------------------------------------------------------------- running
def run(detector, stream):
    drifts, warnings = [], []
    for i, x in enumerate(stream):
        detector.update(x)
        if detector.drift_detected:
            drifts.append(i)
        if getattr(detector, "warning_detected", False):
            warnings.append(i)
    return drifts, warnings


def check_docstring_examples():
    """The expected outputs printed in river's docstrings; the port must reproduce them."""
    rng = random.Random(12345)
    stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
    assert run(ADWIN(), stream)[0] == [1023], run(ADWIN(), stream)[0]
    assert run(PageHinkley(), stream)[0] == [1006], run(PageHinkley(), stream)[0]

    rng = random.Random(42)
    stream = rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
    ddm = DDM()
    printed, print_warning = [], True
    for i, x in enumerate(stream):
        ddm.update(x)
        if ddm.warning_detected and print_warning:
            printed.append(("warning", i))
            print_warning = False
        if ddm.drift_detected:
            printed.append(("drift", i))
            print_warning = True
    assert printed == [("warning", 1084), ("drift", 1334), ("warning", 1492)], printed
    return {
        "adwin": {"seed": 12345, "drifts": [1023]},
        "pageHinkley": {"seed": 12345, "drifts": [1006]},
        "ddm": {"seed": 42, "printed": [list(p) for p in printed]},
    }


def bernoulli(rng, p, k):
    return [1 if rng.random() < p else 0 for _ in range(k)]


def gaussian(rng, mu, sigma, k):
    # rounded so that the JSON carries the exact values both sides replay
    return [round(rng.gauss(mu, sigma), 6) for _ in range(k)]


def main():
    docstrings = check_docstring_examples()
    streams = []

    def add(name, values, change_at):
        entry = {"name": name, "changeAt": change_at, "values": values}
        for key, make in (("adwin", ADWIN), ("ddm", DDM), ("pageHinkley", PageHinkley)):
            if key == "ddm" and any(v not in (0, 1) for v in values):
                continue  # DDM takes a binary error stream only
            drifts, warnings = run(make(), values)
            entry[key] = {"drifts": drifts}
            if key == "ddm":
                entry[key]["warnings"] = warnings
        streams.append(entry)

    # the docstring streams themselves
    rng = random.Random(12345)
    add("river-docstring-adwin-ph", rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000), 1000)
    rng = random.Random(42)
    add(
        "river-docstring-ddm",
        rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7]),
        1000,
    )
    # error stream of a classifier whose error rate jumps from 10% to 50% at 1000
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        add(f"bernoulli-0.1-to-0.5-seed{seed}", bernoulli(rng, 0.1, 1000) + bernoulli(rng, 0.5, 1000), 1000)
    # per-prediction absolute errors whose mean shifts by one standard deviation at 1000
    for seed in (4, 5):
        rng = random.Random(seed)
        add(f"gaussian-mean-0-to-1-seed{seed}", gaussian(rng, 0, 1, 1000) + gaussian(rng, 1, 1, 1000), 1000)
    # stationary streams of 5000: any detection is a false alarm
    for seed in (6, 7):
        rng = random.Random(seed)
        add(f"stationary-bernoulli-0.1-seed{seed}", bernoulli(rng, 0.1, 5000), None)
    for seed in (8, 9):
        rng = random.Random(seed)
        add(f"stationary-gaussian-seed{seed}", gaussian(rng, 0, 1, 5000), None)

    out = {
        "generatedBy": "test/reference/quality/detectors_reference.py",
        "source": "pure-Python port of river 0.21/0.22 drift detectors (see module docstring)",
        "docstringExamples": docstrings,
        "streams": streams,
    }
    with open(os.path.join(HERE, "detectors_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for s in streams:
        print(s["name"], {k: s[k] for k in ("adwin", "ddm", "pageHinkley") if k in s})


if __name__ == "__main__":
    main()
