#!/usr/bin/env bash
# The whole test suite: host checks (format, lints, wire-format unit tests) and
# the guest suites (QEMU's virtio-crypto device, the simulated device), each on
# the normal and on the debug guest kernel. Ends with "N passed, N failed,
# N skipped" and exits non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1${2:+: $2}"; }

# Every guest suite runs on two kernels: "normal" (kernel/guest.config) and
# "debug" (plus kernel/debug.config: KASAN, lockdep, DEBUG_OBJECTS), which is
# slower but reports memory errors, lock-order problems and object misuse in
# the log. Per suite: the time QEMU gets, and the time each script gets
# (measured alone on 2 cores: the debug kernel's sim suite takes longest, about
# 30 minutes, its longest scripts about 4; the limits are there so that a hang
# fails the run with the log of what hung well within the CI's 90 minutes).
# For debugging only (the contract is the whole run): VCRS_KERNELS="normal",
# VCRS_SUITES="sim" and VCRS_ONLY="t-50,t-52" narrow the run. VCRS_EXTRA_ARGS
# adds guest kernel arguments (scripts/reliability.sh: longer runs of some
# scripts).
KERNELS=${VCRS_KERNELS:-normal debug}
SUITES=${VCRS_SUITES:-qemu sim}
NARROW_ARGS="${VCRS_ONLY:+vcrs.only=$VCRS_ONLY} ${VCRS_EXTRA_ARGS:-}"
# VCRS_TIME_FACTOR (a whole number, default 1) multiplies both, for longer
# runs (scripts/reliability.sh).
factor=${VCRS_TIME_FACTOR:-1}
declare -A SUITE_TIMEOUT=([normal]=$((1800 * factor)) [debug]=$((3000 * factor)))
declare -A SCRIPT_TIMEOUT=([normal]=$((600 * factor)) [debug]=$((900 * factor)))
# The self-tests' extra fuzz tests (random requests compared with the generic
# code, 100 per algorithm by default) run in full on the normal kernel; on the
# debug kernel, where they are the bulk of the time and what matters is what
# KASAN and lockdep see along the driver's paths, 5 per algorithm (20 made the
# CI run 87 minutes of its 90).
declare -A KERNEL_ARGS=([normal]="" [debug]="cryptomgr.fuzz_iterations=5")
# The debug kernel runs every script that drives a path of the driver's own;
# the scripts that only bring other users of paths it already runs there are
# left to the normal kernel (reported as skipped; the CI has 90 minutes):
# tcrypt's test modes t-54, t-55, t-57 (testmgr's requests, as at every
# registration), t-58 (more AEAD queues and size limits: t-76 runs 4 queues,
# t-85 the software fallback), t-59 (templates over t-56's AEADs), t-62 and
# t-64 (hash users: dm-verity, AH) and t-68 (authenc under dm-integrity; t-66
# runs authenc under IPsec ESP); and the scripts of pure logic or waiting that
# the normal kernel runs alike: qemu t-45, t-46 (QEMU's device refuses hash and
# AEAD sessions), sim t-97 (a control command's 30-second timeout).
# The sim suite always runs with kmemleak (its t-00, t-99); the qemu suite's
# leak check only with VCRS_QEMU_KMEMLEAK=1 (scripts/reliability.sh): it
# doubles that suite's time. On the debug kernel, kmemleak makes ACPI's _PRT
# method (run at every PCI device's enable: boot and each hot-add) so slow
# under TCG that it hits ACPICA's 30 s loop timeout while holding the CPU;
# that guest gets a longer soft-lockup threshold (2 x 40 s) and RCU stall
# timeout (60 s) so that the boot's run of it is not taken for a hang.
declare -A SKIP_SCRIPTS=([debug/qemu]="t-00,t-45,t-46,t-99"
    [debug/sim]="t-54,t-55,t-57,t-58,t-59,t-62,t-64,t-68,t-97")
declare -A LEAK_ARGS=([normal/qemu]="kmemleak=on" [debug/qemu]="" [normal/sim]="kmemleak=on" [debug/sim]="kmemleak=on")
if [ -n "${VCRS_QEMU_KMEMLEAK:-}" ]; then
    SKIP_SCRIPTS[debug/qemu]="t-45,t-46"
    LEAK_ARGS[debug/qemu]="kmemleak=on watchdog_thresh=40 rcupdate.rcu_cpu_stall_timeout=60"
else
    SKIP_SCRIPTS[normal/qemu]="t-00,t-99"
    LEAK_ARGS[normal/qemu]=""
fi

set -e
setup_toolchain
# Both kernels first: a cold run builds them back to back, a warm one finds both.
declare -A KDIRS
for kernel in $KERNELS; do
    KDIRS[$kernel]=$(guest_kernel "$kernel")
done
KDIR=${KDIRS[normal]:-$(guest_kernel normal)}
export KDIR
# The module for the normal kernel with clippy; the host checks read its log.
build_guest "$KDIR" "$OUT_DIR/module-build.log" "$OUT_DIR/initramfs.cpio" CLIPPY=1
set +e

stage "host: formatting, lints, wire-format unit tests"
if rustfmt --check --edition 2021 --config-path "$KDIR/.rustfmt.toml" \
    "$REPO_ROOT/virtio_crypto.rs" "$REPO_ROOT/tests/host/src/lib.rs" >"$OUT_DIR/rustfmt.log" 2>&1; then
    pass rustfmt-clean
else
    fail rustfmt-clean "see $OUT_DIR/rustfmt.log"
fi
if grep -E '^(warning|error)' "$OUT_DIR/module-build.log" >/dev/null ||
    grep -q 'objtool: .*warning\|: warning:' "$OUT_DIR/module-build.log"; then
    fail module-build-clippy-clean "warnings in $OUT_DIR/module-build.log"
else
    pass module-build-clippy-clean
fi
# The counts come from cargo's "test result:" lines (one per test binary, doc
# tests included); its exit status counts too: a build error, a crashed test
# binary or a failure the summary does not show fails the run.
cargo test --manifest-path "$REPO_ROOT/tests/host/Cargo.toml" >"$OUT_DIR/host-tests.log" 2>&1
cargo_rc=$?
grep -E '^test result:' "$OUT_DIR/host-tests.log" | sed 's/^/host unit tests: /'
read -r hp hf < <(grep -E '^test result:' "$OUT_DIR/host-tests.log" |
    awk '{ for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i - 1); if ($i ~ /^failed/) f += $(i - 1) } }
         END { print p + 0, f + 0 }')
passed=$((passed + hp))
failed=$((failed + hf))
grep -E '^test .* FAILED' "$OUT_DIR/host-tests.log"
if [ "$cargo_rc" -ne 0 ]; then
    fail host-unit-tests "cargo test exited with status $cargo_rc, see $OUT_DIR/host-tests.log"
elif [ "$hp" -eq 0 ]; then
    fail host-unit-tests "no test passed, see $OUT_DIR/host-tests.log"
fi

# The log check must catch each checker's report: every sample line must match.
unmatched=$(echo "$BAD_LOG_SAMPLES" | grep -vE "$BAD_LOG_PATTERNS")
if [ -z "$unmatched" ]; then
    pass bad-log-patterns-match-every-checker
else
    fail bad-log-patterns-match-every-checker "not matched: $unmatched"
fi

# script_verdicts PREFIX SUITE RESULTS CONSOLE RC: run-tests.sh gives every
# script a verdict of its own; a script without one never finished because the
# guest stopped (hang, panic, timeout). Fails each such script, naming the one
# that was running (the last "== /vcrs/tests/SUITE/t-NN.sh" marker; the
# results port has it whole, the console as a fallback) and those never run.
# VERDICTS (an associative array of the names seen) must be filled.
script_verdicts() {
    local prefix=$1 suite=$2 results=$3 console=$4 rc=$5 running t name
    running=$( { tr -d '\r' <"$results" 2>/dev/null || tr -d '\r' <"$console"; } |
        sed -n "s|^== /vcrs/tests/$suite/\(t-.*\.sh\)\$|\1|p" | tail -1)
    for t in "$REPO_ROOT/tests/guest/$suite"/t-*.sh; do
        name=$(basename "$t")
        [ -n "${VERDICTS[$name]:-}" ] && continue
        # Left out on purpose by VCRS_ONLY (t-NN prefixes).
        [ -n "${VCRS_ONLY:-}" ] && [[ ",$VCRS_ONLY," != *",${name:0:4},"* ]] && continue
        if [ "$name" = "$running" ]; then
            fail "$prefix: $name" "was running when the guest stopped (QEMU exit $rc, 124 = timeout)"
        else
            fail "$prefix: $name" "never ran: the guest stopped${running:+ in $running}"
        fi
    done
}

# run_suite KERNEL SUITE DEVICES [KERNEL_ARGS...]: boots a guest of KERNEL with
# DEVICES (QEMU arguments, or "none"), runs tests/guest/SUITE in it and counts
# its results as "KERNEL/SUITE: name".
run_suite() {
    local kernel=$1 suite=$2 devices=$3 prefix="$1/$2" log="$OUT_DIR/guest-$1-$2.log" rc name reason verdict rest t0
    shift 3
    stage "guest suite '$prefix': boot and run tests/guest/$suite"
    t0=$(date +%s)
    # shellcheck disable=SC2086 # KERNEL_ARGS: several arguments, split on purpose
    VCRS_QEMU_DEVICES=$devices "$REPO_ROOT/scripts/run-qemu.sh" "${KDIRS[$kernel]}" \
        "$OUT_DIR/initramfs-$kernel.cpio" "$log" "${SUITE_TIMEOUT[$kernel]}" \
        vcrs.mode=test vcrs.suite="$suite" vcrs.script_timeout="${SCRIPT_TIMEOUT[$kernel]}" \
        ${SKIP_SCRIPTS[$prefix]:+vcrs.skip=${SKIP_SCRIPTS[$prefix]}} ${KERNEL_ARGS[$kernel]} "$@"
    rc=$?
    stage "guest suite '$prefix': QEMU exited ($rc) after $(($(date +%s) - t0)) s"
    declare -A VERDICTS=()
    while read -r _ verdict rest; do
        name=${rest%%:*}
        reason=${rest#*: }
        [ "$reason" = "$rest" ] && reason=""
        VERDICTS[$name]=1
        case "$verdict" in
        PASS) pass "$prefix: $name" ;;
        FAIL) fail "$prefix: $name" "$reason" ;;
        SKIP) skip "$prefix: $name" "$reason" ;;
        esac
    done < <(tr -d '\r' <"$log.results" 2>/dev/null | grep -a '^VCRS-RESULT ')
    script_verdicts "$prefix" "$suite" "$log.results" "$log" "$rc"
    if [ "$rc" -eq 0 ] && grep -aq '^VCRS-DONE' "$log"; then
        pass "$prefix: guest-completed"
    else
        fail "$prefix: guest-completed" "QEMU exit $rc (124 = timeout); log tail:"
        tail -25 "$log"
    fi
    if grep -aE "$BAD_LOG_PATTERNS" "$log" >"$OUT_DIR/guest-$kernel-$suite-bad-lines.log"; then
        fail "$prefix: guest-kernel-log-clean" "$(head -5 "$OUT_DIR/guest-$kernel-$suite-bad-lines.log")"
    else
        pass "$prefix: guest-kernel-log-clean"
    fi
}

qemu_version=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
echo "QEMU $qemu_version"
for kernel in $KERNELS; do
    # Modules built for one kernel do not load in the other: build for each
    # (the Makefiles build clean when KDIR changes). The normal kernel's
    # initramfs is also the one demo.sh and bench.sh use.
    if [ "$kernel" = normal ]; then
        cp "$OUT_DIR/initramfs.cpio" "$OUT_DIR/initramfs-normal.cpio"
    elif ! (build_guest "${KDIRS[$kernel]}" "$OUT_DIR/module-build-$kernel.log" \
        "$OUT_DIR/initramfs-$kernel.cpio"); then
        fail "$kernel: module-build-clean" "build failed, see $OUT_DIR/module-build-$kernel.log"
        continue
    elif grep -qE '^(warning|error)|objtool: .*warning|: warning:' "$OUT_DIR/module-build-$kernel.log"; then
        fail "$kernel: module-build-clean" "warnings in $OUT_DIR/module-build-$kernel.log"
    else
        pass "$kernel: module-build-clean"
    fi
    # The driver on QEMU's virtio-crypto-pci with the builtin backend, and on
    # the simulated device (tests/simdev) on the vDPA simulator, no QEMU device.
    [[ " $SUITES " == *" qemu "* ]] && run_suite "$kernel" qemu "" ${LEAK_ARGS[$kernel/qemu]} $NARROW_ARGS
    [[ " $SUITES " == *" sim "* ]] && run_suite "$kernel" sim none ${LEAK_ARGS[$kernel/sim]} $NARROW_ARGS
done
if [ -n "${VCRS_KERNELS:-}${VCRS_SUITES:-}${VCRS_ONLY:-}${VCRS_EXTRA_ARGS:-}${VCRS_TIME_FACTOR:-}" ]; then
    echo "NOTE: partial or modified run (VCRS_KERNELS/VCRS_SUITES/VCRS_ONLY/VCRS_EXTRA_ARGS/VCRS_TIME_FACTOR set)"
fi
stage "done (logs in $OUT_DIR)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
