# SPDX-License-Identifier: GPL-2.0
# Paired comparisons for scripts/bench-report.py: two implementations measured
# in the same round (same boot, same placement, minutes apart) give one ratio
# per round; the report gives their median with a bootstrap confidence
# interval, and a target's verdict from it: met, missed, or not resolved when
# the interval straddles the target. The median, not the mean: this machine is
# itself a virtual machine, and a round that falls into a stretch of the
# outer host's steal time can be off by a factor of ten or more.
"""Per-round paired ratios with bootstrap confidence intervals."""

import random
from collections import namedtuple

# point: median of the per-round ratios; lo, hi: the 95 % percentile
# bootstrap interval of that median; n: rounds paired.
Paired = namedtuple("Paired", "point lo hi n")

RESAMPLES = 4000
SEED = 20261207


def rate(record):
    """The operations per second of RECORD (None for a failed one).

    Operation counts rather than MB/s rounded to 0.01: a 16-byte row's MB/s
    carries two significant digits."""
    if record.failed:
        return None
    if record.ops is not None:
        return record.ops
    return record.mbps


def median(values):
    """The median of VALUES (a non-empty sorted list)."""
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def bootstrap(ratios, resamples=RESAMPLES, seed=SEED):
    """Return the Paired summary of RATIOS (positive floats), None if empty."""
    values = sorted(r for r in ratios if r and r > 0)
    if not values:
        return None
    n = len(values)
    point = median(values)
    if n == 1:
        return Paired(point, point, point, 1)
    rng = random.Random(seed)
    medians = sorted(median(sorted(rng.choice(values) for _ in range(n)))
                     for _ in range(resamples))
    lo = medians[int(0.025 * (resamples - 1))]
    hi = medians[int(0.975 * (resamples - 1))]
    return Paired(point, lo, hi, n)


def index_rates(records):
    """Map (device, impl, kind, alg, dir, size, depth, round) to a rate."""
    index = {}
    for r in records:
        value = rate(r)
        if value:
            index[(r.device, r.impl, r.kind, r.alg, r.dir, r.size, r.depth,
                   r.round)] = value
    return index


def paired(index, top, bottom):
    """Return the Paired summary of TOP/BOTTOM over the rounds both have.

    TOP and BOTTOM are (device, impl, kind, alg, dir, size, depth) keys."""
    ratios = []
    rounds = {key[-1] for key in index if key[:-1] == top}
    for rnd in sorted(rounds):
        a, b = index.get(top + (rnd,)), index.get(bottom + (rnd,))
        if a and b:
            ratios.append(a / b)
    return bootstrap(ratios)


def verdict(summary, target, lower=None):
    """Return "met", "missed" or "not resolved" for SUMMARY >= TARGET.

    Met: the interval's lower end is at least LOWER (default TARGET) and the
    point at least TARGET; missed: the whole interval is below TARGET; not
    resolved otherwise (also with one round, which has no interval)."""
    if summary is None:
        return "no data"
    lower = target if lower is None else lower
    if summary.n > 1 and summary.point >= target and summary.lo >= lower:
        return "met"
    if summary.n > 1 and summary.hi < target:
        return "missed"
    return "not resolved"


def fmt(summary):
    """Format a Paired summary as "1.03 [0.97-1.10]", "-" for None."""
    if summary is None:
        return "-"
    if summary.n == 1:
        return "%.2f (1 round)" % summary.point
    return "%.2f [%.2f-%.2f]" % (summary.point, summary.lo, summary.hi)


def overall(verdicts):
    """One verdict for a target made of several rows' VERDICTS."""
    verdicts = [v for v in verdicts if v != "no data"]
    if not verdicts:
        return "no data"
    if "missed" in verdicts:
        return "missed"
    if "not resolved" in verdicts:
        return "not resolved"
    return "met"
