"""Timing that survives a noisy machine: A/B alternated, ratio pair by pair.

Every candidate of a group is warmed up first (tracing, XLA compilation),
then timed in rounds. Each round times every candidate once, in an order
that alternates between forward and reverse, so a load spike or a frequency
change hits both sides of a pair alike. The ratio keras_act / reference is
taken round by round and summarised by its median and quartiles: a ratio of
two neighbouring measurements is far steadier than a ratio of two medians
taken minutes apart.
"""

import gc
import math
import statistics
import time


def _quantile(values, q):
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    pos = q * (len(values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def summarize(ratios):
    """Median and quartiles of per-pair ratios."""
    return {
        "median": statistics.median(ratios),
        "q1": _quantile(ratios, 0.25),
        "q3": _quantile(ratios, 0.75),
        "pairs": [round(r, 4) for r in ratios],
    }


def _time_once(fn, reps):
    start = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - start) / reps


def compare(candidates, subject="keras_act", pairs=7, warmup=1, min_sample_s=0.02, max_reps=20):
    """Time `candidates` (name -> zero-argument callable) against `subject`.

    Returns `{"seconds": {name: median seconds per call},
    "ratios": {name: summarize(subject / name)}, "first_call_s": {name:
    seconds}}` for every other name; the first call's time is what tracing
    and compilation (XLA, torch.compile's Inductor) cost.
    """
    names = list(candidates)
    if subject not in candidates:
        raise ValueError(f"compare needs the subject {subject!r} among the candidates. Received: {names}.")
    first_call = {}
    for name in names:
        for i in range(warmup):
            start = time.perf_counter()
            candidates[name]()
            if i == 0:
                first_call[name] = time.perf_counter() - start
    # One sample lasts at least min_sample_s, so timer resolution and Python
    # overhead stay small; every candidate repeats the same number of times.
    single = _time_once(candidates[subject], 1)
    reps = max(1, min(max_reps, math.ceil(min_sample_s / max(single, 1e-9))))
    samples = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(pairs):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                samples[name].append(_time_once(candidates[name], reps))
            gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    result = {
        "seconds": {name: statistics.median(s) for name, s in samples.items()},
        "reps": reps,
        "first_call_s": first_call,
        "ratios": {},
    }
    for name in names:
        if name == subject:
            continue
        ratios = [a / b for a, b in zip(samples[subject], samples[name])]
        result["ratios"][name] = summarize(ratios)
    return result
