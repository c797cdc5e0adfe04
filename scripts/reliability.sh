#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The long reliability runs, too long for the test command (CI's limit): on the
# normal and on the debug kernel, 20 hot-unplug cycles of QEMU's device under
# load (qemu t-70), 10 removals of the simulated device under IPsec ESP traffic
# (sim t-67), 10,000 setkey/free cycles per service on both devices
# (qemu t-29, sim t-72), suspend under load (qemu t-62), the hostile device
# (sim t-74), a 10-minute soak of mixed work on every service (sim t-76) and
# dm-crypt and the authenticated dm-integrity mapping under injected faults
# (sim t-78), with kmemleak (t-00, t-99) in both suites on both kernels. It
# runs scripts/test.sh narrowed to those scripts with longer counts and 4 times
# its time limits, so it ends the same way ("N passed, N failed, N skipped",
# non-zero on any failure), and collects the scripts' VCRS-RELIABILITY count
# lines into out/reliability.txt.
#   HOTPLUG_CYCLES (20), IPSEC_CYCLES (10), CHURN (10000), SOAK_SECONDS (600)
#   change the counts;
#   VCRS_KERNELS ("normal debug") the kernels, VCRS_SUITES ("qemu sim") the
#   suites, VCRS_TIME_FACTOR (4) the factor of the time limits.
# Usage: scripts/reliability.sh [--all | --help]
#   --all   the full matrix: every script of both suites on both kernels with
#           the longer counts (scripts/test.sh skips none on the debug kernel
#           here either: VCRS_FULL_MATRIX=1).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

# The long counts need longer limits than the suite's.
export VCRS_TIME_FACTOR=${VCRS_TIME_FACTOR:-4}
# kmemleak over the hot-unplug cycles too (the qemu suite, both kernels).
export VCRS_QEMU_KMEMLEAK=1
export VCRS_EXTRA_ARGS="vcrs.hotplug_cycles=${HOTPLUG_CYCLES:-20} vcrs.ipsec_cycles=${IPSEC_CYCLES:-10} vcrs.churn=${CHURN:-10000} vcrs.soak=${SOAK_SECONDS:-600}"
# The debug kernel runs every script named (and with --all, every script). The
# test command's default kernels are normal and stock; these runs are the debug
# kernel's (KASAN, lockdep, DEBUG_OBJECTS) beside the normal one.
export VCRS_KERNELS=${VCRS_KERNELS:-normal debug}
export VCRS_FULL_MATRIX=1
if [ "${1:-}" = --all ]; then
    unset VCRS_ONLY
else
    export VCRS_ONLY=t-00,t-10,t-29,t-62,t-67,t-70,t-72,t-74,t-76,t-78,t-99
fi
"$REPO_ROOT/scripts/test.sh"
rc=$?
for log in "$OUT_DIR"/guest-*-{qemu,sim}.log; do
    [ -f "$log" ] || continue
    name=$(basename "$log" .log)
    tr -d '\r' <"$log" | sed -n "s/^VCRS-RELIABILITY /${name#guest-} /p"
done >"$OUT_DIR/reliability.txt"
echo "counts (out/reliability.txt):"
cat "$OUT_DIR/reliability.txt"
exit "$rc"
