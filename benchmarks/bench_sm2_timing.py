"""Does SM2 signing time depend on secret bits? (`make bench-sm2`; ADR 0011)

Signs with keys (and, for gmssl, nonces) of low and of high Hamming weight, all of the same bit length, in a random
interleaved order so that load on the machine falls on both classes alike, and compares the two distributions:
the ratio of medians and Welch's t statistic (dudect's rule: |t| > 4.5 means the classes are distinguishable).
Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other processes on a shared machine do not
blur them; absolute times are printed for orientation only. Backends: gmssl (pure Python, the old path) and OpenSSL 3 through
`smartjustice.crypto.openssl_sm2` (the path `crypto.sign` takes when libcrypto is present).

    python benchmarks/bench_sm2_timing.py [--repetitions N]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from smartjustice import crypto  # noqa: E402
from smartjustice.crypto import openssl_sm2  # noqa: E402

N = crypto._N
T_THRESHOLD = 4.5
MESSAGE = "检查点 smartjustice/ledger 42\n".encode()


def low_weight(bits: int = 16) -> int:
    """A 256-bit scalar (top bit set) with `bits` ones: the multiplication adds few points."""
    value = 1 << 255
    while bin(value).count("1") < bits:
        value |= 1 << secrets.randbelow(255)
    return value


def high_weight(cleared: int = 16) -> int:
    """A 256-bit scalar below n with all but ~`cleared` of its low 224 bits set (0xFFFFFFFD in the top word)."""
    value = (0xFFFFFFFD << 224) | ((1 << 224) - 1)
    for _ in range(cleared):
        value &= ~(1 << secrets.randbelow(224))
    assert value < N - 1
    return value


def measure(operation, low_inputs, high_inputs, repetitions: int) -> dict:
    """Times `operation(x)` for both classes, interleaved at random; returns the two samples in microseconds."""
    order = [0] * repetitions + [1] * repetitions
    random.shuffle(order)
    samples: tuple[list[float], list[float]] = ([], [])
    for index, kind in enumerate(order):
        inputs = low_inputs if kind == 0 else high_inputs
        value = inputs[index % len(inputs)]
        start = time.thread_time_ns()
        operation(value)
        samples[kind].append((time.thread_time_ns() - start) / 1000)
    return {"low": samples[0], "high": samples[1]}


def welch_t(a: list[float], b: list[float]) -> float:
    variance = statistics.variance(a) / len(a) + statistics.variance(b) / len(b)
    return (statistics.fmean(a) - statistics.fmean(b)) / variance**0.5 if variance else 0.0


def trimmed(values: list[float], keep: float = 0.9) -> list[float]:
    """Drops the slowest tenth (preemption by other processes), as dudect does with its percentile crops."""
    ordered = sorted(values)
    return ordered[: max(2, int(len(ordered) * keep))]


def nonce_of(signature: bytes, d: int) -> int:
    """k recovered from r||s and the key: s = (1+d)^-1 (k - r d)  ⇒  k = s (1 + d) + r d  (mod n)."""
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    return (s * (1 + d) + r * d) % N


def nonce_correlation(label: str, sign, d: int, repetitions: int) -> bool:
    """Pearson r between signing time and the Hamming weight of the nonce the signer drew itself."""
    times, weights = [], []
    for _ in range(repetitions):
        start = time.thread_time_ns()
        signature = sign()
        times.append((time.thread_time_ns() - start) / 1000)
        weights.append(bin(nonce_of(signature, d)).count("1"))
    cutoff = sorted(times)[int(len(times) * 0.9)]  # drop preempted runs
    pairs = [(w, t) for w, t in zip(weights, times, strict=True) if t <= cutoff]
    r = statistics.correlation([w for w, _ in pairs], [t for _, t in pairs])
    # Under no dependence r is ~N(0, 1/sqrt(n)); |z| > 4.5 is the same bar as the t test's.
    z = r * len(pairs) ** 0.5
    leaks = abs(z) > T_THRESHOLD
    print(
        f"{label:<46} {len(pairs)} signatures: r(time, weight of k) = {r:+.3f} (z {z:+6.1f})  "
        f"→ {'DEPENDS on secret bits' if leaks else 'no dependence found'}"
    )
    return leaks


def report(label: str, result: dict) -> bool:
    low, high = trimmed(result["low"]), trimmed(result["high"])
    ratio = statistics.median(high) / statistics.median(low)
    t = welch_t(high, low)
    leaks = abs(t) > T_THRESHOLD
    print(
        f"{label:<46} median low {statistics.median(low):9.1f} µs  high {statistics.median(high):9.1f} µs  "
        f"high/low {ratio:5.3f}  Welch t {t:8.1f}  → {'DEPENDS on secret bits' if leaks else 'no dependence found'}"
    )
    return leaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repetitions", type=int, default=300, help="signatures per class for gmssl (x10 OpenSSL)"
    )
    args = parser.parse_args()
    keys = {kind: [make() for _ in range(16)] for kind, make in (("low", low_weight), ("high", high_weight))}
    as_bytes = {kind: [d.to_bytes(32, "big") for d in values] for kind, values in keys.items()}
    print(f"SM2 signing time vs. Hamming weight of secrets (crypto.SM2_BACKEND = {crypto.SM2_BACKEND})")
    print(
        f"low-weight scalars: 16 of 256 bits set; high-weight: ~240 of 256; both 256 bits long; |t| > {T_THRESHOLD}"
    )

    findings = {}
    fixed_key = secrets.randbelow(N - 2) + 1
    fixed_private = fixed_key.to_bytes(32, "big")
    findings["gmssl nonce"] = report(
        "gmssl sign, fixed key, nonce k low vs high",
        measure(
            lambda k: crypto._sm2_sign_gmssl(fixed_private, MESSAGE, nonce=k),
            [low_weight() for _ in range(16)],
            [high_weight() for _ in range(16)],
            args.repetitions,
        ),
    )
    findings["gmssl random nonce"] = nonce_correlation(
        "gmssl sign, random nonce (the method's check)",
        lambda: crypto._sm2_sign_gmssl(fixed_private, MESSAGE),
        fixed_key,
        args.repetitions * 2,
    )
    findings["gmssl key"] = report(
        "gmssl sign (random k), key d low vs high",
        measure(
            lambda d: crypto._sm2_sign_gmssl(d, MESSAGE), as_bytes["low"], as_bytes["high"], args.repetitions
        ),
    )
    backend = openssl_sm2.load()
    if backend is None:
        print(f"OpenSSL SM2 unavailable: {openssl_sm2.UNAVAILABLE}")
    else:
        publics = {d: backend.public_key(d) for d in as_bytes["low"] + as_bytes["high"]}
        uid = crypto.SM2_USER_ID
        findings["openssl key"] = report(
            "OpenSSL sign (its own k), key d low vs high",
            measure(
                lambda d: backend.sign(d, publics[d], MESSAGE, uid),
                as_bytes["low"],
                as_bytes["high"],
                args.repetitions * 10,
            ),
        )
        findings["openssl public"] = report(
            "OpenSSL public key d·G, d low vs high",
            measure(backend.public_key, as_bytes["low"], as_bytes["high"], args.repetitions * 10),
        )
        d = as_bytes["high"][0]
        findings["openssl nonce"] = nonce_correlation(
            "OpenSSL sign, nonce drawn by OpenSSL",
            lambda: backend.sign(d, publics[d], MESSAGE, uid),
            int.from_bytes(d, "big"),
            args.repetitions * 10,
        )
        findings["crypto.sign"] = report(
            "crypto.sign('sm2') as the platform calls it",
            measure(
                lambda d: crypto.sign("sm2", d, MESSAGE),
                as_bytes["low"],
                as_bytes["high"],
                args.repetitions * 10,
            ),
        )
    print("Verdict: " + ", ".join(f"{name}: {'leaks' if leak else 'ok'}" for name, leak in findings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
