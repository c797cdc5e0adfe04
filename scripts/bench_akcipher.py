#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# The akcipher part's report (scripts/bench.sh): operations per second of each
# implementation (ours, the C driver, the kernel's software) for each key and
# operation, median (min-max) over the rounds, and the per-round paired ratios
# ours/software and ours/C with their median and 95 % bootstrap interval
# (scripts/bench_paired.py). Input: lines
#   VCRS-AKCIPHER ROUND IMPL ALG OP N SECONDS
# Usage: bench_akcipher.py LINES_FILE  (the table goes to standard output)
"""The akcipher benchmark's table."""

import sys
from collections import defaultdict

from bench_paired import bootstrap, median

IMPLS = ("rust", "c", "software")
NAMES = {"rust": "ours", "c": "C driver", "software": "software"}


def read(path):
    """Operations per second by (alg, op) -> impl -> round."""
    rates = defaultdict(lambda: defaultdict(dict))
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 7 or parts[0] != "VCRS-AKCIPHER":
                continue
            _, rnd, impl, alg, op, n, secs = parts
            try:
                seconds = float(secs)
                if seconds > 0:
                    rates[(alg, op)][impl][int(rnd)] = int(n) / seconds
            except ValueError:
                continue
    return rates


def paired(by_impl, top, bottom):
    """Per-round ratios TOP/BOTTOM, summarized (a bench_paired.Paired; None
    without common rounds)."""
    a, b = by_impl.get(top, {}), by_impl.get(bottom, {})
    return bootstrap([a[r] / b[r] for r in a if r in b and b[r] > 0])


def cell_rate(values):
    """Median (min-max) of a dict of per-round rates, or a dash."""
    if not values:
        return "-"
    v = sorted(values.values())
    return f"{median(v):.0f} ({v[0]:.0f}-{v[-1]:.0f})"


def cell_ratio(p):
    """A paired ratio with its interval, or a dash."""
    if p is None:
        return "-"
    return f"{p.point:.2f} [{p.lo:.2f}-{p.hi:.2f}]"


def main():
    rates = read(sys.argv[1])
    header = ["key", "operation"] + [f"{NAMES[i]} ops/s" for i in IMPLS] + [
        "ours/software",
        "ours/C",
    ]
    rows = []
    for (alg, op) in sorted(rates):
        by_impl = rates[(alg, op)]
        rows.append(
            [alg, op]
            + [cell_rate(by_impl.get(i, {})) for i in IMPLS]
            + [
                cell_ratio(paired(by_impl, "rust", "software")),
                cell_ratio(paired(by_impl, "rust", "c")),
            ]
        )
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    rule = "  ".join("=" * w for w in widths)
    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    print(rule)
    print(line(header))
    print(rule)
    for r in rows:
        print(line(r))
    print(rule)


if __name__ == "__main__":
    main()
