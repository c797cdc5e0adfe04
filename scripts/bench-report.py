#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Turns a raw benchmark log into reStructuredText tables and PNG plots.
#   bench-report.py RAW [OUTDIR] [--title TEXT] [--meta TEXT] [--help]
# OUTDIR defaults to out/bench (scripts/bench.sh --update-docs copies the
# report into Documentation/benchmarks, the committed pages).
# RAW holds lines (anything else is ignored)
#   VCRS-BENCH device impl kind alg dir size depth round mbps ops cpu
# where mbps is MB/s (10^6 bytes), ops is operations per second, cpu is guest
# CPU ns per operation; each may be "-", and "failed" in mbps marks a failed
# measurement. Writes OUTDIR/results.rst (targets, one table per kind, device,
# algorithm and direction) and one PNG per table and depth with several sizes.
# The plots need matplotlib from the Debian package python3-matplotlib, hence
# the system interpreter; it is imported only to plot (--help needs none).
"""Benchmark report generator: raw VCRS-BENCH lines to rst tables and plots."""

import argparse
import math
import re
import statistics
import sys
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_paired as bp  # noqa: E402 (the script's own folder first)

# matplotlib's classes plot() uses, set by load_matplotlib() once there is
# something to plot.
Figure = NullLocator = None
# The report's default folder: out/bench of the repository (ignored by git).
DEFAULT_OUTDIR = Path(__file__).resolve().parent.parent / "out" / "bench"


def load_matplotlib():
    """Import matplotlib (Agg backend) for plot(), or exit saying how to get it."""
    global Figure, NullLocator
    try:
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib.figure import Figure
        from matplotlib.ticker import NullLocator
    except ImportError:
        sys.exit("bench-report.py: matplotlib is missing for %s; install the Debian "
                 "package python3-matplotlib (apt-get install python3-matplotlib)"
                 % sys.executable)

FIELDS = ("device", "impl", "kind", "alg", "dir", "size", "depth", "round",
          "mbps", "ops", "cpu")
Record = namedtuple("Record", FIELDS + ("failed",))
# median, min and max of the measured values (None if none succeeded), the
# number of failed measurements and of rounds, median CPU ns per operation.
Summary = namedtuple("Summary", "median lo hi failed rounds cpu")
Row = namedtuple("Row", "size depth cells")  # cells: impl -> Summary
Group = namedtuple("Group", "kind device alg dir unit impls rows")

IMPL_ORDER = ("rust", "rust-worker", "rust-default", "c", "software", "ceiling",
              "ceiling-loaded")
RATIO_BASES = ("c", "software", "ceiling")
CEILING, CEILING_DEVICE, CEILING_USER = "ceiling", "host", "qemu"


def parse_value(text):
    """Return the float in TEXT, or None for "-" and "failed"."""
    return None if text in ("-", "failed") else float(text)


def parse_line(line):
    """Return the Record on a VCRS-BENCH line, None for other lines.

    Raises ValueError for a malformed VCRS-BENCH line."""
    fields = line.split()
    if "VCRS-BENCH" not in fields:
        return None
    fields = fields[fields.index("VCRS-BENCH") + 1:]
    if len(fields) != len(FIELDS):
        raise ValueError("expected %d fields" % len(FIELDS))
    device, impl, kind, alg, dir_, size, depth, rnd, mbps, ops, cpu = fields
    return Record(device, impl, kind, alg, dir_, int(size), int(depth),
                  int(rnd), parse_value(mbps), parse_value(ops),
                  parse_value(cpu), "failed" in (mbps, ops))


def parse_rounds(path):
    """Return {(device, round): placement} from the VCRS-ROUND lines at PATH
    ("VCRS-ROUND DEVICE ROUND PLACEMENT ORDER...")."""
    placements = {}
    with open(path, encoding="utf-8", errors="replace", newline="\n") as raw:
        for line in raw:
            fields = line.split()
            if len(fields) >= 4 and fields[0] == "VCRS-ROUND" and fields[2].isdigit():
                placements[(fields[1], int(fields[2]))] = fields[3]
    return placements


def parse_raw(path):
    """Return the Records in the file at PATH, in file order."""
    records = []
    with open(path, encoding="utf-8", errors="replace", newline="\n") as raw:
        for number, line in enumerate(raw, 1):
            try:
                record = parse_line(line.strip())
            except ValueError as err:
                print("bench-report.py: %s:%d: ignoring malformed line: %s"
                      % (path, number, err), file=sys.stderr)
                continue
            if record:
                records.append(record)
    return records


def metric_of(kind, records):
    """Return the Record field and unit a table of KIND reports.

    Session setup (keys) counts operations; so does any kind whose records
    carry no MB/s at all."""
    if kind == "keys" or all(r.mbps is None for r in records):
        return "ops", "ops/s"
    return "mbps", "MB/s"


def summarize(records, metric):
    """Return the Summary of RECORDS' METRIC values."""
    values = [getattr(r, metric) for r in records
              if not r.failed and getattr(r, metric) is not None]
    cpus = [r.cpu for r in records if not r.failed and r.cpu is not None]
    return Summary(statistics.median(values) if values else None,
                   min(values, default=None), max(values, default=None),
                   sum(r.failed for r in records),
                   len({r.round for r in records}),
                   statistics.median(cpus) if cpus else None)


def ceiling_index(records):
    """Map (kind, alg, dir, size) to {depth: records} for the host ceiling."""
    index = {}
    for r in records:
        if r.device == CEILING_DEVICE and r.impl == CEILING:
            key = (r.kind, r.alg, r.dir, r.size)
            index.setdefault(key, {}).setdefault(r.depth, []).append(r)
    return index


def best_ceiling(index, kind, alg, dir_, size, metric):
    """Return the Summary of the best host ceiling depth for a row, or None.

    Multi-buffer and one-at-a-time rows both compare with the mb ceiling."""
    ceiling_kind = "mb" if kind in ("mb", "one") else kind
    by_depth = index.get((ceiling_kind, alg, dir_, size), {})
    summaries = [summarize(rs, metric) for rs in by_depth.values()]
    return max(summaries, default=None,
               key=lambda s: (s.median is not None, s.median or 0))


def order_impls(names):
    """Sort implementation NAMES (in first-appearance order) for display."""
    def rank(item):
        position, name = item
        known = IMPL_ORDER.index(name) if name in IMPL_ORDER else len(IMPL_ORDER)
        return known, position
    return [name for _, name in sorted(enumerate(names), key=rank)]


def build_group(key, records, ceilings):
    """Return the Group for KEY = (kind, device, alg, dir) and its RECORDS."""
    kind, device, alg, dir_ = key
    metric, unit = metric_of(kind, records)
    cells = {}
    for r in records:
        cells.setdefault((r.depth, r.size), {}).setdefault(r.impl, []).append(r)
    rows = []
    for depth, size in sorted(cells):
        summaries = {impl: summarize(rs, metric)
                     for impl, rs in cells[(depth, size)].items()}
        if device == CEILING_USER:
            ceiling = best_ceiling(ceilings, kind, alg, dir_, size, metric)
            if ceiling:
                summaries.setdefault(CEILING, ceiling)
        rows.append(Row(size, depth, summaries))
    names = dict.fromkeys(r.impl for r in records)
    names.update(dict.fromkeys(impl for row in rows for impl in row.cells))
    return Group(kind, device, alg, dir_, unit, order_impls(list(names)), rows)


def build_groups(records):
    """Return one Group per (kind, device, alg, dir), in input order."""
    by_key = {}
    for r in records:
        by_key.setdefault((r.kind, r.device, r.alg, r.dir), []).append(r)
    ceilings = ceiling_index(records)
    return [build_group(key, rs, ceilings) for key, rs in by_key.items()]


def median_of(row, impl):
    """Return IMPL's median in ROW, or None."""
    cell = row.cells.get(impl)
    return cell.median if cell else None


def ratio(row, impl, base):
    """Return the ratio of IMPL's and BASE's medians in ROW, or None."""
    top, bottom = median_of(row, impl), median_of(row, base)
    if top is None or not bottom:
        return None
    return top / bottom


def fmt_value(value):
    """Format a throughput: 2 decimals below 10, else 1."""
    return "%.2f" % value if abs(value) < 10 else "%.1f" % value


def fmt_cell(summary):
    """Format a Summary as "median (min-max)", "failed" or "-"."""
    if summary is None or (summary.median is None and not summary.failed):
        return "-"
    if summary.median is None:
        return "failed"
    text = fmt_value(summary.median)
    if summary.lo != summary.hi:
        text += " (%s-%s)" % (fmt_value(summary.lo), fmt_value(summary.hi))
    if summary.failed:
        text += ", %d failed" % summary.failed
    return text


def fmt_ratio(value):
    """Format a ratio with 2 decimals, "-" for None."""
    return "-" if value is None else "%.2f" % value


def fmt_cpu(summary):
    """Format a median CPU ns/op as microseconds with 1 decimal."""
    if summary is None or summary.cpu is None:
        return "-"
    return "%.1f" % (summary.cpu / 1000)


def rst_escape(text):
    """Escape reStructuredText inline markup characters in TEXT."""
    return re.sub(r"([\\`*_|])", r"\\\1", text)


def simple_table(headers, rows):
    """Return the lines of an rst simple table."""
    widths = [max(len(cell) for cell in column)
              for column in zip(headers, *rows)]
    border = "  ".join("=" * width for width in widths)

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return [border, line(headers), border] + [line(r) for r in rows] + [border]


def cpu_impls(group):
    """Return the group's own implementations that report CPU time."""
    return [impl for impl in group.impls if impl != CEILING and any(
        impl in row.cells and row.cells[impl].cpu is not None
        for row in group.rows)]


def group_table(group):
    """Return the lines of GROUP's table."""
    impls = [rst_escape(impl) for impl in group.impls]
    bases = [b for b in RATIO_BASES if "rust" in group.impls and b in group.impls]
    cpus = cpu_impls(group)
    headers = (["size", "depth"] + ["%s %s" % (i, group.unit) for i in impls]
               + ["rust/%s" % b for b in bases]
               + ["%s CPU us/op" % rst_escape(i) for i in cpus])
    rows = [[str(row.size), str(row.depth)]
            + [fmt_cell(row.cells.get(impl)) for impl in group.impls]
            + [fmt_ratio(ratio(row, "rust", b)) for b in bases]
            + [fmt_cpu(row.cells.get(impl)) for impl in cpus]
            for row in group.rows]
    return simple_table(headers, rows)


def caption(group):
    """Return the line describing GROUP's table."""
    rounds = sorted({cell.rounds for row in group.rows
                     for cell in row.cells.values()})
    count = str(rounds[0]) if len(rounds) == 1 else "%d-%d" % (rounds[0], rounds[-1])
    text = ("%s as median (min-max) over %s round%s per row; ratios of medians"
            % (group.unit, count, "" if count == "1" else "s"))
    if group.device == CEILING_USER and CEILING in group.impls:
        text += "; ceiling from device %s at its best depth" % CEILING_DEVICE
    return "*%s.*" % text


def section(title, char):
    """Return the lines of an rst section title underlined with CHAR."""
    return [title, char * len(title), ""]


def rows_where(groups, **match):
    """Yield (group, row) for the groups whose fields equal MATCH."""
    for group in groups:
        if all(getattr(group, k) == v for k, v in match.items()):
            for row in group.rows:
                yield group, row


def status(misses, total):
    """Return "met", "not met" or "no data"."""
    if not total:
        return "no data"
    return "not met" if misses else "met"


def qemu_devices(records):
    """The QEMU device names with paired rust and c rows (qemu, qemu-7.3...)."""
    return sorted({r.device for r in records
                   if r.device.startswith("qemu") and r.impl == "c" and r.kind == "mb"})


def mb_cells(records, device, impl):
    """The sorted (alg, dir, size, depth) of IMPL's mb rows on DEVICE."""
    return sorted({(r.alg, r.dir, r.size, r.depth) for r in records
                   if r.device == device and r.impl == impl and r.kind == "mb"},
                  key=lambda c: (c[0], c[1] != "enc", c[3], c[2]))


def pair(index, device, top, bottom, cell, bottom_device=None, bottom_depth=None):
    """The Paired summary of TOP/BOTTOM (implementations) for one mb CELL."""
    alg, dir_, size, depth = cell
    return bp.paired(index, (device, top, "mb", alg, dir_, size, depth),
                     (bottom_device or device, bottom, "mb", alg, dir_, size,
                      bottom_depth or depth))


def target_rust_vs_c(records, index):
    """(a) qemu mb: rust/c >= 1.0 in every row, the interval's lower end >= 0.95."""
    lines = []
    for device in qemu_devices(records):
        verdicts, details = [], []
        for cell in mb_cells(records, device, "c"):
            summary = pair(index, device, "rust", "c", cell)
            v = bp.verdict(summary, 1.0, 0.95)
            verdicts.append(v)
            if v != "met":
                details.append("%s %s, size %d, depth %d: %s, %s" % (
                    cell[0], cell[1], cell[2], cell[3], bp.fmt(summary), v))
        counts = {v: verdicts.count(v) for v in ("met", "missed", "not resolved")}
        lines.append(("%s, mb, every row: rust/c >= 1.0 (interval's lower end >= 0.95)"
                      % device, bp.overall(verdicts),
                      "%(met)d met, %(missed)d missed, %(not resolved)d not resolved" % counts,
                      details))
    return lines


def target_cbc_4k(records, index):
    """(b) qemu mb cbc(aes)-128, 4096 bytes, depth 32, enc and dec: rust/c >= 1.5."""
    lines = []
    for device in qemu_devices(records):
        parts, verdicts = [], []
        for dir_ in ("enc", "dec"):
            summary = pair(index, device, "rust", "c", ("cbc(aes)-128", dir_, 4096, 32))
            verdicts.append(bp.verdict(summary, 1.5))
            parts.append("%s %s, %s" % (dir_, bp.fmt(summary), verdicts[-1]))
        lines.append(("%s, mb, cbc(aes)-128, 4096 bytes, depth 32: rust/c >= 1.5" % device,
                      bp.overall(verdicts), "; ".join(parts), []))
    return lines


def target_ceiling(records, index):
    """(c) qemu mb, 65536 bytes, depth 32: rust >= 0.9 * the ceiling measured
    on the host in the same round while the guest loaded QEMU's device."""
    lines = []
    for device in qemu_devices(records):
        parts, verdicts = [], []
        for dir_ in ("enc", "dec"):
            summary = pair(index, device, "rust", "ceiling-loaded",
                           ("cbc(aes)-128", dir_, 65536, 32), "host-" + device, 1)
            verdicts.append(bp.verdict(summary, 0.9))
            parts.append("%s %s, %s" % (dir_, bp.fmt(summary), verdicts[-1]))
        lines.append(("%s, mb, cbc(aes)-128, 65536 bytes, depth 32: rust >= 0.9 x the "
                      "device's ceiling under the same contention" % device,
                      bp.overall(verdicts), "rust/ceiling " + "; ".join(parts), []))
    return lines


def target_default_vs_software(records, index):
    """(e) qemu mb: ours with its defaults never slower than software by more
    than the noise (missed where the whole interval is below 1.0)."""
    lines = []
    for device in qemu_devices(records):
        verdicts, details = [], []
        for cell in mb_cells(records, device, "rust-default"):
            summary = pair(index, device, "rust-default", "software", cell)
            if summary is None:
                continue
            v = "missed" if summary.n > 1 and summary.hi < 1.0 else (
                "met" if summary.n > 1 else "not resolved")
            verdicts.append(v)
            if v != "met":
                details.append("%s %s, size %d, depth %d: %s, %s" % (
                    cell[0], cell[1], cell[2], cell[3], bp.fmt(summary), v))
        lines.append(("%s, mb, every row: rust-default not slower than software "
                      "(interval's upper end >= 1.0)" % device, bp.overall(verdicts),
                      "%d rows, %d met" % (len(verdicts), verdicts.count("met")), details))
    return lines


def best_by_depth(rows, impl):
    """Return (median, depth) of IMPL's best row in ROWS, or None."""
    found = [(median_of(row, impl), row.depth) for row in rows
             if median_of(row, impl) is not None]
    return max(found, default=None)


def target_software(groups):
    """(d) every device, mb, size >= 4096: best rust > best software."""
    misses, total = [], 0
    for group in groups:
        if group.kind != "mb":
            continue
        for size in sorted({row.size for row in group.rows if row.size >= 4096}):
            rows = [row for row in group.rows if row.size == size]
            rust, soft = best_by_depth(rows, "rust"), best_by_depth(rows, "software")
            if soft is None:
                continue
            total += 1
            if rust is None:
                misses.append("%s %s %s, size %d: rust failed or missing"
                              % (group.device, group.alg, group.dir, size))
            elif rust[0] <= soft[0]:
                misses.append("%s %s %s, size %d: rust %s (depth %d), software %s (depth %d)"
                              % (group.device, group.alg, group.dir, size,
                                 fmt_value(rust[0]), rust[1], fmt_value(soft[0]), soft[1]))
    return ("every device, mb, size >= 4096, best depth of each: rust faster "
            "than software", status(misses, total),
            "%d/%d sizes met" % (total - len(misses), total), misses)


def targets(groups, records):
    """Return the lines of the Targets section."""
    lines = section("Targets", "=")
    lines += ["Ratios are medians of per-round paired ratios (both sides "
              "measured in the same round, operations per second) with 95 % "
              "bootstrap intervals in brackets. A target is met when its "
              "interval lies at or above it, missed when the whole interval is "
              "below it, not resolved otherwise.", ""]
    index = bp.index_rates(records)
    found = []
    for letter, check in zip("abc", (target_rust_vs_c, target_cbc_4k, target_ceiling)):
        found += [(letter, line) for line in check(records, index)]
    text, result, numbers, details = target_software(groups)
    found.append(("d", (text, result, numbers, details)))
    found += [("e", line) for line in target_default_vs_software(records, index)]
    for letter, (text, result, numbers, details) in found:
        lines.append("- \\(%s) %s: **%s** (%s)" % (
            letter, rst_escape(text), result, rst_escape(numbers)))
        if details:
            lines.append("")
            lines += ["  - %s" % rst_escape(d) for d in details]
            lines.append("")
    return lines if lines[-1] == "" else lines + [""]


def paired_tables(records, placements):
    """Return the lines of the Paired ratios section: per QEMU device, one
    table per algorithm and direction with rust/c, rust/rust-worker (the
    completion path's A/B) and rust-default/software; then rust/c by
    placement of the device's interrupt."""
    index = bp.index_rates(records)
    lines = []
    for device in qemu_devices(records):
        lines += section(rst_escape("Paired ratios: %s" % device), "=")
        lines += ["*Per-round ratios of operations per second, median "
                  "[95 % bootstrap interval].*", ""]
        cells = mb_cells(records, device, "rust")
        for alg, dir_ in dict.fromkeys((c[0], c[1]) for c in cells):
            rows = []
            for cell in [c for c in cells if c[:2] == (alg, dir_)]:
                rows.append([str(cell[2]), str(cell[3])] + [
                    bp.fmt(pair(index, device, top, bottom, cell))
                    for top, bottom in (("rust", "c"), ("rust", "rust-worker"),
                                        ("rust-default", "software"),
                                        ("rust", "software"))])
            lines += section(rst_escape("%s %s %s" % (device, alg, dir_)), "-")
            lines += simple_table(["size", "depth", "rust/c", "rust/rust-worker",
                                   "rust-default/software", "rust/software"], rows)
            lines.append("")
        by_place = {}
        for key in index:
            dev, impl, kind, alg, dir_, size, depth, rnd = key
            if dev == device and impl == "rust" and kind == "mb":
                place = placements.get((device, rnd), "?")
                other = index.get((dev, "c", kind, alg, dir_, size, depth, rnd))
                if other:
                    by_place.setdefault((place, depth), []).append(index[key] / other)
        if by_place:
            lines += section(rst_escape("%s: rust/c by interrupt placement" % device), "-")
            lines += ["*All sizes and directions of a depth pooled; same: the interrupt "
                      "on the submitter's CPU 0, cross: on CPU 1.*", ""]
            rows = [[place, str(depth), str(len(ratios)), bp.fmt(bp.bootstrap(ratios))]
                    for (place, depth), ratios in sorted(by_place.items())]
            lines += simple_table(["placement", "depth", "pairs", "rust/c"], rows)
            lines.append("")
    return lines


def size_label(size):
    """Return SIZE in bytes as 16, 1K, 64K, 1M..."""
    for shift, suffix in ((20, "M"), (10, "K")):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return "%d%s" % (size >> shift, suffix)
    return str(size)


def size_ticks(sizes):
    """Return at most 8 x ticks: the powers of two among SIZES, if any."""
    ticks = [s for s in sorted(sizes) if s & (s - 1) == 0] or sorted(sizes)
    return ticks[::math.ceil(len(ticks) / 8)]


def plot_name(group, depth):
    """Return the PNG file name for GROUP at DEPTH, in [a-z0-9_.-]."""
    name = "%s-%s-%s-%s-d%d" % (group.kind, group.device, group.alg, group.dir, depth)
    return re.sub(r"[^a-z0-9_.-]", "_", name.lower()) + ".png"


def plot(group, depth, rows, path):
    """Plot ROWS of GROUP at DEPTH into PATH; return False if nothing to plot."""
    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    axes = fig.subplots()
    plotted = False
    for impl in group.impls:
        cells = [(row.size, row.cells[impl]) for row in rows
                 if impl in row.cells and (row.cells[impl].lo or 0) > 0]
        if not cells:
            continue
        sizes = [size for size, _ in cells]
        medians = [c.median for _, c in cells]
        errors = [[c.median - c.lo for _, c in cells],
                  [c.hi - c.median for _, c in cells]]
        axes.errorbar(sizes, medians, yerr=errors, marker="o", capsize=3, label=impl)
        plotted = True
    if not plotted:
        return False
    axes.set_xscale("log", base=2)
    axes.set_yscale("log")
    ticks = size_ticks(row.size for row in rows)
    axes.set_xticks(ticks)
    axes.set_xticklabels([size_label(t) for t in ticks])
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_xlabel("request size (bytes)")
    axes.set_ylabel(group.unit)
    axes.set_title("%s %s %s, %d in flight" % (group.device, group.alg, group.dir, depth))
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    fig.tight_layout()
    fig.savefig(path)
    return True


def plot_group(group, outdir):
    """Write GROUP's plots (one per depth with several sizes); return names."""
    names = []
    for depth in sorted({row.depth for row in group.rows}):
        rows = [row for row in group.rows if row.depth == depth]
        name = plot_name(group, depth)
        if len(rows) > 1 and plot(group, depth, rows, outdir / name):
            names.append(name)
    return names


def render(title, meta, groups, plots, records, placements):
    """Return the text of results.rst."""
    lines = [".. SPDX-License-Identifier: GPL-2.0", ""]
    lines += ["=" * len(title), title, "=" * len(title), ""]
    if meta:
        lines += [meta, ""]
    lines += targets(groups, records)
    lines += paired_tables(records, placements)
    lines += section("Results", "=")
    for group, names in zip(groups, plots):
        lines += section(rst_escape("%s: %s %s %s" % (
            group.kind, group.device, group.alg, group.dir)), "-")
        lines += [caption(group), ""] + group_table(group) + [""]
        for name in names:
            lines += [".. image:: %s" % name,
                      "   :alt: %s" % name[:-len(".png")], ""]
    return "\n".join(lines).rstrip() + "\n"


def main():
    """Parse the arguments, read RAW, write the report into OUTDIR."""
    parser = argparse.ArgumentParser(
        description="Turn VCRS-BENCH lines into rst tables and PNG plots.")
    parser.add_argument("raw", metavar="RAW", help="raw benchmark output")
    parser.add_argument("outdir", metavar="OUTDIR", type=Path, nargs="?",
                        default=DEFAULT_OUTDIR,
                        help="directory for results.rst and the PNGs "
                        "(default: %(default)s)")
    parser.add_argument("--title", default="Benchmark results")
    parser.add_argument("--meta", default="",
                        help="paragraph after the title (setup, versions...)")
    args = parser.parse_args()
    records = parse_raw(args.raw)
    if not records:
        sys.exit("bench-report.py: no VCRS-BENCH lines in %s" % args.raw)
    groups = build_groups(records)
    load_matplotlib()
    args.outdir.mkdir(parents=True, exist_ok=True)
    plots = [plot_group(group, args.outdir) for group in groups]
    (args.outdir / "results.rst").write_text(
        render(args.title, args.meta, groups, plots, records, parse_rounds(args.raw)),
        encoding="utf-8")
    print("bench-report.py: wrote %s and %d plots"
          % (args.outdir / "results.rst", sum(map(len, plots))))


if __name__ == "__main__":
    main()
