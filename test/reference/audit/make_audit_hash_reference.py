"""Reference hashes for model-care's audit chain, computed independently of the TypeScript code.

The recipe (functions/shared/audit/audit-chain.ts, docs/audit.md):
  hash = hex(SHA-256(canonical JSON of {format, model, seq, at, principal, action, reason, before, after, prevHash}))
with canonical JSON = sorted keys, no whitespace, UTF-8 (RFC 8785). For the values below (integers, strings
without astral-plane keys) Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes
exactly that text.

Run: python3 test/reference/audit/make_audit_hash_reference.py > test/reference/audit/audit-hash-reference.json
"""
import hashlib
import json

GENESIS = "0" * 64

ACTIONS = [
    {
        "at": "2026-11-23T08:00:00.000Z",
        "principal": "arn:aws:iam::123456789012:role/deployer",
        "action": "config.put",
        "reason": "first deployment",
        "before": None,
        "after": {"version": 1, "configHash": "a" * 64, "change": "put"},
    },
    {
        "at": "2026-11-23T09:30:12.345Z",
        "principal": "arn:aws:sts::123456789012:assumed-role/on-call/zoë",
        "action": "alert.muted",
        "reason": "maintenance window: «upstream» migration ☕",
        "before": {"check": "baseline_drift_check", "mutedUntil": None},
        "after": {"check": "baseline_drift_check", "mutedUntil": "2026-11-23T12:00:00.000Z"},
    },
    {
        "at": "2026-11-23T09:30:12.345Z",
        "principal": "model-care:retraining",
        "action": "traffic.shifted",
        "reason": "challenger won by 0.04 accuracy",
        "before": {"endpoint": "churn-prod", "weights": {"B": 0, "A": 1}},
        "after": {"endpoint": "churn-prod", "weights": {"A": 0, "B": 1}},
    },
]


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main():
    model = "churn-model"
    prev = GENESIS
    entries = []
    for seq, action in enumerate(ACTIONS, start=1):
        hashed = {"format": 1, "model": model, "seq": seq, **action, "prevHash": prev}
        text = canonical(hashed)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        entries.append({"model": model, "seq": seq, **action, "prevHash": prev, "hash": digest, "canonical": text})
        prev = digest
    print(json.dumps({"genesis": GENESIS, "entries": entries}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
