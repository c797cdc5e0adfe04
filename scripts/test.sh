#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: host checks (format, lints, wire-format unit tests,
# layering, module map, SPDX lines, shellcheck, rstcheck, the module's version),
# the guest suites (QEMU's virtio-crypto device, the simulated device) on the
# 6.12 guest kernel this project builds ("normal") and on Debian's unmodified
# 7.3.4 kernel ("stock": tests/guest/stock-qemu and stock-sim, through the
# kernel's own users since AF_ALG cannot reach the driver there), and the
# demo's guest (scripts/demo.sh) on the normal kernel. The 6.12 debug kernel
# (KASAN, lockdep) is scripts/reliability.sh's, or VCRS_KERNELS="normal stock
# debug". Ends with "N passed, N failed, N skipped" alone on its last line and
# exits non-zero on any failure.
#
# Usage: scripts/test.sh [--host-only | --software | --record-durations | --help]
#   --host-only         only the host checks (formatting, lints, unit tests,
#                       layering, module map, SPDX lines, shellcheck, rstcheck,
#                       the module's version): builds the normal guest kernel
#                       unless cached and the module, boots no guest.
#   --software          diagnosis: every request of the driver goes to software
#                       (guest argument vcrs.force_software=1; the normal
#                       kernel unless VCRS_KERNELS says otherwise); prints which
#                       scripts passed and compares them with
#                       tests/guest/software-passes.txt: exit 0 when equal.
#   --record-durations  runs nothing: merges the per-script seconds of the last
#                       run (out/durations.txt) into tests/guest/durations.txt,
#                       which the progress lines' "~N min left" comes from.
#   --help              this text.
# Environment (all for debugging or longer runs; the contract is the whole run):
#   VCRS_KERNELS="normal stock"  the guest kernels to run on (also: debug)
#   VCRS_SUITES="qemu sim demo"  the guest suites (folders of tests/guest; demo:
#                                the demo's guest, normal kernel only)
#   VCRS_ONLY=t-10,t-52          only the scripts with these prefixes
#   VCRS_EXTRA_ARGS="..."        more guest kernel arguments
#   VCRS_TIME_FACTOR=N           multiplies the guests' time limits (default 1)
#   VCRS_QEMU_KMEMLEAK=1         the qemu suite's leak check (t-00, t-99) too
#   VCRS_FULL_MATRIX=1           no script skipped on the debug kernel
#   VCRS_CACHE=DIR               where the guest kernels are cached
# Output: one line per script as it finishes ("[i/N] normal/sim t-52-hash.sh
# ... PASS (101 s) ~23 min left") and every failed check; all check lines go
# to out/results-KERNEL-SUITE.txt, the guest console to
# out/guest-KERNEL-SUITE.log. At the end: the failures with where to look, and
# the time of each stage.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

DURATIONS="$REPO_ROOT/tests/guest/durations.txt"
# suite_dir KERNEL SUITE: the folder of tests/guest that holds SUITE's scripts
# on KERNEL: on the stock 7.x kernel, AF_ALG never reaches the driver, so its
# suites are folders of their own (stock-qemu, stock-sim), whose scripts use
# in-kernel users (tests/guest/kapi.sh, tcrypt, dm-crypt, IPsec...); several
# are the 6.12 suites' own scripts, linked.
suite_dir() {
    case "$1" in
    stock) echo "stock-$2" ;;
    *) echo "$2" ;;
    esac
}
SOFTWARE_PASSES="$REPO_ROOT/tests/guest/software-passes.txt"
software=0
host_only=0
for arg in "$@"; do
    case "$arg" in
    --host-only) host_only=1 ;;
    --software) software=1 ;;
    --record-durations)
        # The last run's seconds replace the recorded ones of the same
        # scripts; the others stay.
        [ -s "$OUT_DIR/durations.txt" ] || die "no $OUT_DIR/durations.txt: run scripts/test.sh first"
        {
            grep '^#' "$DURATIONS"
            awk 'NR == FNR { new[$1 " " $2] = $3; next }
                 /^#/ || NF < 3 { next }
                 ($1 " " $2) in new { next }
                 { print }
                 END { for (k in new) print k, new[k] }' "$OUT_DIR/durations.txt" "$DURATIONS" | LC_ALL=C sort
        } >"$DURATIONS.tmp" && mv "$DURATIONS.tmp" "$DURATIONS"
        echo "recorded $(wc -l <"$OUT_DIR/durations.txt") durations into $DURATIONS"
        exit 0
        ;;
    *) die "unknown argument '$arg' (see scripts/test.sh --help)" ;;
    esac
done

# Host checks print their verdicts; the guests' checks are counted quietly
# (every line in out/results-KERNEL-SUITE.txt; the live lines come from
# follow_results). Every failure is kept for the recap at the end, with where
# to look.
passed=0 failed=0 skipped=0
FAILURES=()
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() {
    failed=$((failed + 1))
    echo "FAIL $1${2:+: $2}"
    FAILURES+=("$1${2:+: $2}${3:+ (see $3)}")
}
indent() { sed 's/^/  /'; }
pass_quiet() { passed=$((passed + 1)); }
skip_quiet() { skipped=$((skipped + 1)); }
fail_quiet() {
    failed=$((failed + 1))
    FAILURES+=("$1${2:+: $2}${3:+ (see $3)}")
}

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
KERNELS=${VCRS_KERNELS:-normal stock}
# --software asks whether each check can tell the device from software, which
# the normal kernel answers for every script (the debug one runs a subset).
[ "$software" = 1 ] && KERNELS=${VCRS_KERNELS:-normal}
# --host-only: no guest kernel to run on (the module still builds against the
# normal one).
[ "$host_only" = 1 ] && KERNELS=""
SUITES=${VCRS_SUITES:-qemu sim demo}
NARROW_ARGS="${VCRS_ONLY:+vcrs.only=$VCRS_ONLY} ${VCRS_EXTRA_ARGS:-}"
# VCRS_TIME_FACTOR (a whole number, default 1) multiplies both, for longer
# runs (scripts/reliability.sh).
factor=${VCRS_TIME_FACTOR:-1}
declare -A SUITE_TIMEOUT=([normal]=$((1800 * factor)) [debug]=$((3000 * factor)) [stock]=$((1200 * factor)))
declare -A SCRIPT_TIMEOUT=([normal]=$((600 * factor)) [debug]=$((900 * factor)) [stock]=$((600 * factor)))
# The self-tests' extra fuzz tests (random requests compared with the generic
# code, 100 per algorithm by default) run in full on the normal kernel; on the
# debug kernel, where they are the bulk of the time and what matters is what
# KASAN and lockdep see along the driver's paths, 5 per algorithm (20 made the
# CI run 87 minutes of its 90). The debug kernel also gets a soft-lockup
# threshold of 2 x 40 s and an RCU stall timeout of 60 s: under TCG on a busy
# host, ACPI's _PRT method (run when virtio_pci enables QEMU's device at boot)
# held CPU 0 for 26 s in KASAN's kernel and the default 2 x 10 s paniced the
# guest before any test (seen with a second guest running beside it). A real
# lockup in the driver still shows, 80 s later.
declare -A KERNEL_ARGS=([normal]="" [debug]="cryptomgr.fuzz_iterations=5 watchdog_thresh=40 rcupdate.rcu_cpu_stall_timeout=60" [stock]="")
# The debug kernel (KASAN, lockdep, DEBUG_OBJECTS: several times slower) runs
# the scripts that drive the paths of the driver's abstraction layer
# (kernel_api: registration, devices, queues, sessions, requests' completion
# and errors) in ways the normal run of a request does not: load and unload,
# removal and hot-unplug with requests in flight, suspend and resume, resets,
# the hostile device, faults, concurrency and churn, errno and error paths,
# HW_READY, the software fallback. The data path of every algorithm runs under
# KASAN anyway: every insmod runs the Crypto API's self-tests (fuzz tests
# included) on each algorithm registered. So the scripts that only bring more
# users or more algorithm data along paths those already run are left to the
# normal kernel, which runs every script (reported as skipped here; the whole
# run must fit in 40 minutes warm on 2 cores):
#   debug/sim skips the C driver's and the device's own tests t-20 and t-30
#   (t-30 needs the C driver t-20 binds; neither runs our code), t-40
#   (a configuration of QEMU's offer), the algorithm and consumer scripts t-50,
#   t-52, t-54 to t-59 (ciphers, hashes, AEADs, tcrypt modes, templates, queue
#   limits), t-60, t-62, t-64, t-66, t-68 (dm-crypt, dm-verity, AH, ESP,
#   dm-integrity as users), t-76 and t-78 (a concurrency soak and faults
#   under dm-crypt: long, and their paths run in t-67, t-70, t-72, t-74 here;
#   scripts/reliability.sh runs them on debug) and t-97 (a 30-second control
#   timeout, pure waiting). It keeps t-00, t-10, t-67 (removal under IPsec),
#   t-70 (lifecycle, removal under load), t-72 (churn), t-74 (hostile device),
#   t-80 (HW_READY), t-85 (fallback), t-90 (debugfs), t-95, t-96, t-98
#   (device statuses as errnos, lost requests on unbind), t-99.
#   debug/qemu keeps t-10, t-25 (errno paths), t-27, t-28, t-29 (sessions,
#   many keys, churn), t-30 (reload), t-60, t-62 (suspend, under load), t-70
#   (hot-unplug) and skips t-05, t-20, t-22, t-40, t-45, t-46, t-50, t-52
#   (AF_ALG, tcrypt and dm-crypt as users, QEMU refusing sessions, usage.rst's
#   dm-crypt instructions); t-00 and t-99 only
#   run with VCRS_QEMU_KMEMLEAK=1 (below).
# VCRS_FULL_MATRIX=1 (scripts/reliability.sh) skips nothing on debug.
# The sim suite always runs with kmemleak (its t-00, t-99); the qemu suite's
# leak check only with VCRS_QEMU_KMEMLEAK=1 (scripts/reliability.sh): it
# doubles that suite's time. On the debug kernel, kmemleak makes ACPI's _PRT
# method (run at every PCI device's enable: boot and each hot-add) so slow
# under TCG that it hits ACPICA's 30 s loop timeout while holding the CPU
# (which the debug kernel's longer soft-lockup threshold, above, tolerates).
declare -A SKIP_SCRIPTS=([debug/qemu]="t-00,t-05,t-20,t-22,t-40,t-45,t-46,t-50,t-52,t-99"
    [debug/sim]="t-20,t-30,t-40,t-50,t-52,t-54,t-55,t-56,t-57,t-58,t-59,t-60,t-62,t-64,t-66,t-68,t-76,t-78,t-97")
# (Debian's kernel has no kmemleak: its suites have no t-00, t-99.)
declare -A LEAK_ARGS=([normal/qemu]="kmemleak=on" [debug/qemu]="" [normal/sim]="kmemleak=on" [debug/sim]="kmemleak=on")
if [ -n "${VCRS_FULL_MATRIX:-}" ]; then
    SKIP_SCRIPTS[debug/qemu]="t-00,t-99"
    SKIP_SCRIPTS[debug/sim]=""
fi
if [ -n "${VCRS_QEMU_KMEMLEAK:-}" ]; then
    SKIP_SCRIPTS[debug/qemu]=$(echo "${SKIP_SCRIPTS[debug/qemu]}" | tr , '\n' | grep -vx 't-00\|t-99' | paste -sd, -)
    LEAK_ARGS[debug/qemu]="kmemleak=on"
else
    SKIP_SCRIPTS[normal/qemu]="t-00,t-99"
    LEAK_ARGS[normal/qemu]=""
fi

# The guests' devices per kernel/suite, where not run-qemu.sh's default (one
# virtio-crypto-pci) or "none" (the sim suite: the simulated device only). On
# the stock kernel QEMU's device sits alone behind a PCI bridge, so the guest
# can reset its PCI function (a secondary bus reset: 7.x's reset_prepare and
# reset_done, stock-qemu/t-64).
declare -A SUITE_DEVICES=([stock/qemu]="-object cryptodev-backend-builtin,id=cryptodev0 -device pci-bridge,id=bridge1,chassis_nr=1 -device virtio-crypto-pci,id=crypto0,cryptodev=cryptodev0,bus=bridge1,addr=0x1")

# --software: every request of the driver in software (tests/guest/lib.sh
# turns vcrs.force_software=1 into the module parameter force_software=1).
[ "$software" = 1 ] && NARROW_ARGS+=" vcrs.force_software=1"

mkdir -p "$OUT_DIR"
export VCRS_STAGES="$OUT_DIR/stages.txt"
: >"$VCRS_STAGES"
# (--host-only keeps the last run's per-script seconds for --record-durations.)
[ "$host_only" = 1 ] || : >"$OUT_DIR/durations.txt"

# The plan: every script of the run in order ("KERNEL/SUITE t-NN-name.sh"),
# for the progress lines' [i/N], with its recorded seconds (tests/guest/
# durations.txt; 60 when unknown, 0 when skipped) for their "~N min left".
declare -A EST=()
declare -A SUITE_EST=()
declare -A SUITE_COUNT=()
TOTAL_SCRIPTS=0 TOTAL_EST=0
declare -A RECORDED=()
while read -r key name secs; do
    [ -n "${secs:-}" ] && RECORDED["$key $name"]=$secs
done < <(grep -v '^#' "$DURATIONS" 2>/dev/null)
for kernel in $KERNELS; do
    for suite in $SUITES; do
        dir=$(suite_dir "$kernel" "$suite")
        [ -d "$REPO_ROOT/tests/guest/$dir" ] || continue
        prefix=$kernel/$suite
        SUITE_EST[$prefix]=0 SUITE_COUNT[$prefix]=0
        for t in "$REPO_ROOT/tests/guest/$dir"/t-*.sh; do
            name=$(basename "$t")
            [ -n "${VCRS_ONLY:-}" ] && [[ ",$VCRS_ONLY," != *",${name:0:4},"* ]] && continue
            secs=${RECORDED["$prefix $name"]:-60}
            [[ ",${SKIP_SCRIPTS[$prefix]:-}," == *",${name:0:4},"* ]] && secs=0
            EST["$prefix $name"]=$secs
            SUITE_EST[$prefix]=$((SUITE_EST[$prefix] + secs))
            SUITE_COUNT[$prefix]=$((SUITE_COUNT[$prefix] + 1))
            TOTAL_EST=$((TOTAL_EST + secs))
            TOTAL_SCRIPTS=$((TOTAL_SCRIPTS + 1))
        done
    done
done
DONE_SCRIPTS=0 DONE_EST=0

set -e
t0=$(date +%s)
setup_toolchain
stage_done "setup: toolchain" "$t0"
# Both kernels first: a cold run builds them back to back, a warm one finds both.
declare -A KDIRS
for kernel in $KERNELS; do
    t0=$(date +%s)
    KDIRS[$kernel]=$(guest_kernel "$kernel")
    stage_done "kernel: $kernel (build or cache)" "$t0"
done
t0=$(date +%s)
KDIR=${KDIRS[normal]:-$(guest_kernel normal)}
export KDIR
# The module for the normal kernel with clippy; the host checks read its log.
build_guest "$KDIR" "$OUT_DIR/module-build.log" "$OUT_DIR/initramfs.cpio" CLIPPY=1
stage_done "module: normal (clippy), simulated device, test modules, initramfs" "$t0"
set +e

t0=$(date +%s)
stage "host: formatting, lints, wire-format unit tests, layering, module map, SPDX lines, shellcheck, rstcheck, module version"
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

# Every error or warning the driver can print (pr_err!/pr_warn! in the
# sources; the first string of each) must match DRIVER_ERRORS in
# tests/guest/run-tests.sh, which fails a script that makes the driver print
# one it does not declare expected (# vcrs-expect-log).
eval "$(grep '^DRIVER_ERRORS=' "$REPO_ROOT/tests/guest/run-tests.sh")"
# shellcheck disable=SC2016 # perl's variables, not the shell's
driver_msgs=$(find "$REPO_ROOT/virtio_crypto" "$REPO_ROOT/virtio_crypto.rs" -name '*.rs' -print0 |
    xargs -0 perl -0777 -ne 'while (/\b(?:pr_err|pr_warn|pr_crit|pr_alert|pr_emerg|dev_err|dev_warn)!\s*\(\s*"((?:[^"\\]|\\.)*)"/g) { my $m = $1; $m =~ s/\{[^}]*\}/0/g; $m =~ s/\\n$//; print "virtio_crypto_rs: $m\n" }')
unknown=$(echo "$driver_msgs" | grep -vE "$DRIVER_ERRORS")
if [ -z "$driver_msgs" ]; then
    fail driver-messages-known "no pr_err!/pr_warn! found in the sources"
elif [ -z "$unknown" ]; then
    pass driver-messages-known
else
    fail driver-messages-known "not in run-tests.sh's DRIVER_ERRORS: $(echo "$unknown" | tr '\n' ';')"
fi

# The layering (Documentation/design.rst, "Layers"): no module uses one above
# it, no service another, no raw bindings outside kernel_api, every module but
# kernel_api forbids unsafe code. The check runs on its fixtures first
# (tests/host/layering-fixtures), which it must fail and pass as each one's
# expected.txt says: a check that cannot fail proves nothing.
if "$REPO_ROOT/scripts/check-layering.py" --self-test >"$OUT_DIR/layering.log" 2>&1; then
    pass layering-check-self-test
else
    fail layering-check-self-test "its fixtures gave other edges, see $OUT_DIR/layering.log"
fi
if layering=$("$REPO_ROOT/scripts/check-layering.py" 2>&1); then
    pass layering
else
    echo "$layering" | grep -v '^layering:'
    fail layering "$(echo "$layering" | grep -c ' -> ') offending edges (scripts/check-layering.py)"
fi
# The module map (Documentation/design.rst, "Module map"): every source file
# listed with its concern, and no listed file missing. The check first proves on
# trees it builds that it fails on each kind of mistake.
if map_test=$("$REPO_ROOT/scripts/check-module-map.py" --self-test 2>&1); then
    pass module-map-check-self-test
else
    echo "$map_test" | grep -v 'as expected$'
    fail module-map-check-self-test "scripts/check-module-map.py --self-test"
fi
if module_map=$("$REPO_ROOT/scripts/check-module-map.py" 2>&1); then
    pass module-map
else
    echo "$module_map" | grep -v '^module map:'
    fail module-map "$(echo "$module_map" | grep -vc '^module map:') problems (scripts/check-module-map.py)"
fi
# Release hygiene. Every tracked file but the license text, the documentation
# and data files (lists, logs, images, Cargo.lock, Kconfig fragments, whose
# text is also the kernel cache's key) names its license on its first line, or
# on its second after a #! line.
if tracked=$(git -C "$REPO_ROOT" ls-files); then
    no_spdx=$(echo "$tracked" |
        grep -vE '^(LICENSE|Documentation/.*)$|\.(txt|rst|md|json|csv|svg|png|lock|config)$|(^|/)README$' |
        while read -r f; do
            [ -f "$REPO_ROOT/$f" ] || continue
            n=1
            head -1 "$REPO_ROOT/$f" | grep -q '^#!' && n=2
            sed -n "${n}p" "$REPO_ROOT/$f" | grep -q 'SPDX-License-Identifier: ' || echo "$f"
        done)
    if [ -z "$no_spdx" ]; then
        pass spdx-lines
    else
        while read -r f; do echo "  no SPDX-License-Identifier line: $f"; done <<<"$no_spdx"
        fail spdx-lines "$(echo "$no_spdx" | wc -l) tracked files without one"
    fi
else
    fail spdx-lines "git ls-files failed: not a git checkout?"
fi
# Every tracked shell script passes shellcheck: *.sh and those with a #! line
# naming a shell (.ci/run, tests/guest/init). The dialect is bash from the #!
# line or scripts/lib.sh's directive, dash (how shellcheck checks busybox's ash)
# for tests/guest (its .shellcheckrc); sourced files are followed
# (.shellcheckrc). No finding of any level passes.
shell_scripts=$(echo "$tracked" | while read -r f; do
    [ -f "$REPO_ROOT/$f" ] || continue
    case "$f" in
    *.sh) echo "$f" ;;
    *) head -1 "$REPO_ROOT/$f" | grep -qE '^#!.*[/ ](ba|da)?sh( |$)' && echo "$f" ;;
    esac
done)
if ! command -v shellcheck >/dev/null; then
    fail shellcheck "shellcheck is not installed (scripts/setup.sh installs it)"
elif (cd "$REPO_ROOT" && echo "$shell_scripts" | xargs -n 10 -P "$(nproc)" shellcheck -f gcc) >"$OUT_DIR/shellcheck.log" 2>&1; then
    pass "shellcheck ($(echo "$shell_scripts" | wc -l) scripts)"
else
    head -20 "$OUT_DIR/shellcheck.log"
    fail shellcheck "$(grep -c ': \(error\|warning\|note\|style\): ' "$OUT_DIR/shellcheck.log") findings" "$OUT_DIR/shellcheck.log"
fi
# The documentation is valid reStructuredText: no docutils warning or error
# (toctree is Sphinx's, unknown to docutils).
rst_files=$(echo "$tracked" | grep '\.rst$')
if ! command -v rstcheck >/dev/null; then
    fail rstcheck "rstcheck is not installed (scripts/setup.sh installs it)"
elif (cd "$REPO_ROOT" && echo "$rst_files" | xargs rstcheck --report-level warning --ignore-directives toctree) \
    >"$OUT_DIR/rstcheck.log" 2>&1; then
    pass "rstcheck ($(echo "$rst_files" | wc -l) files)"
else
    grep -v '^Error! Issues detected' "$OUT_DIR/rstcheck.log" | head -20
    fail rstcheck "$(grep -c '(\(WARNING\|ERROR\|SEVERE\)/' "$OUT_DIR/rstcheck.log") findings" "$OUT_DIR/rstcheck.log"
fi
# The module built above carries its version (kernel_api::VERSION, as
# MODULE_VERSION() would), the srcversion modpost adds to a module with one,
# CHANGELOG.md has an entry for it and dkms.conf names it.
ko_version=$(modinfo -F version "$REPO_ROOT/virtio_crypto_rs.ko" 2>&1)
ko_srcversion=$(modinfo -F srcversion "$REPO_ROOT/virtio_crypto_rs.ko" 2>&1)
if ! [[ "$ko_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    fail module-version "modinfo shows no version x.y.z: '$ko_version'"
elif ! [[ "$ko_srcversion" =~ ^[0-9A-F]+$ ]]; then
    fail module-version "modinfo shows no srcversion: '$ko_srcversion'"
elif [ -f "$REPO_ROOT/CHANGELOG.md" ] && ! grep -qF "$ko_version" "$REPO_ROOT/CHANGELOG.md"; then
    fail module-version "version $ko_version is not in CHANGELOG.md"
elif ! grep -qx "PACKAGE_VERSION=\"$ko_version\"" "$REPO_ROOT/dkms.conf"; then
    fail module-version "dkms.conf's PACKAGE_VERSION is not $ko_version"
else
    pass "module-version ($ko_version, srcversion $ko_srcversion)"
fi
stage_done "host checks" "$t0"

# where_script LOG SUITE NAME: "LOG line N", N the line of NAME's "== ..."
# marker in the console log LOG.
where_script() {
    local n
    n=$(grep -an "^== /vcrs/tests/$2/$3" "$1" | head -1 | cut -d: -f1)
    echo "$1${n:+ line $n}"
}

# script_verdicts PREFIX SUITE RESULTS CONSOLE RC: run-tests.sh gives every
# script a verdict of its own; a script without one never finished because the
# guest stopped (hang, panic, timeout). Fails each such script, naming the one
# that was running (the last "== /vcrs/tests/SUITE/t-NN.sh" marker; the
# results port has it whole, the console as a fallback) and those never run.
# VERDICTS (an associative array of the scripts with a verdict) must be filled.
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
            fail "$prefix: $name" "was running when the guest stopped (QEMU exit $rc, 124 = timeout)" \
                "$(where_script "$console" "$suite" "$name")"
        else
            fail "$prefix: $name" "never ran: the guest stopped${running:+ in $running}" "$console"
        fi
    done
}

# follow_results PREFIX SUITE RESULTS_FILE: reads the results port's lines as
# the guest writes them (stdin) and shows, per script, one progress line as it
# finishes, and every failed check at once; all lines go to RESULTS_FILE.
# Counts nothing (run_suite counts the port's file once QEMU is gone).
follow_results() {
    local prefix=$1 suite=$2 out=$3 i=$DONE_SCRIPTS left=$((TOTAL_EST - DONE_EST)) line verdict rest name reason secs
    local -A took=()
    while IFS= read -r line; do
        line=${line%$'\r'}
        printf '%s\n' "$line" >>"$out"
        case "$line" in
        "VCRS-TIME "*)
            read -r _ name secs <<<"$line"
            took[$name]=$secs
            ;;
        "VCRS-RESULT "*)
            read -r _ verdict rest <<<"$line"
            name=${rest%%:*}
            reason=${rest#*: }
            [ "$reason" = "$rest" ] && reason=""
            if [ -z "$name" ] || [[ "$name" == *" "* ]] || [[ " PASS FAIL SKIP " != *" $verdict "* ]]; then
                echo "  FAIL $prefix: garbled verdict line: $line"
            elif [ -f "$REPO_ROOT/tests/guest/$suite/$name" ]; then
                i=$((i + 1))
                left=$((left - ${EST["$prefix $name"]:-0}))
                [ "$left" -lt 0 ] && left=0
                printf '[%d/%d] %s %s ... %s%s ~%d min left\n' "$i" "$TOTAL_SCRIPTS" "$prefix" "$name" \
                    "$verdict" "${took[$name]:+ (${took[$name]} s)}" $(((left + 59) / 60))
                [ "$verdict" != FAIL ] || [ -z "$reason" ] || echo "      $reason"
            elif [ "$verdict" = FAIL ]; then
                echo "  FAIL $prefix: $name${reason:+: $reason}"
            fi
            ;;
        "VCRS-RESULT"*) echo "  FAIL $prefix: garbled verdict line: $line" ;;
        esac
    done
}

# run_suite KERNEL SUITE DEVICES [KERNEL_ARGS...]: boots a guest of KERNEL with
# DEVICES (QEMU arguments, or "none"), runs SUITE's folder of tests/guest
# (suite_dir) in it and counts its results as "KERNEL/SUITE: name".
run_suite() {
    local kernel=$1 suite devices=$3 prefix="$1/$2" log="$OUT_DIR/guest-$1-$2.log" rc name reason verdict rest t0 line
    local results="$OUT_DIR/results-$1-$2.txt" bad="$OUT_DIR/guest-$1-$2-bad-lines.log" current="" qpid rpid
    # From here on, SUITE is the suite's folder of tests/guest.
    suite=$(suite_dir "$kernel" "$2")
    shift 3
    stage "guest suite '$prefix': boot and run tests/guest/$suite (${SUITE_COUNT[$prefix]} scripts, ~$(((SUITE_EST[$prefix] + 59) / 60)) min)"
    echo "    console: $log"
    echo "    results: $results"
    echo "    bad log lines: $bad"
    t0=$(date +%s)
    rm -f "$log" "$log.results" "$log.agent" "$results"
    : >"$results"
    # shellcheck disable=SC2086 # KERNEL_ARGS: several arguments, split on purpose
    VCRS_QEMU_DEVICES=$devices "$REPO_ROOT/scripts/run-qemu.sh" "${KDIRS[$kernel]}" \
        "$OUT_DIR/initramfs-$kernel.cpio" "$log" "${SUITE_TIMEOUT[$kernel]}" \
        vcrs.mode=test vcrs.suite="$suite" vcrs.script_timeout="${SCRIPT_TIMEOUT[$kernel]}" \
        ${SKIP_SCRIPTS[$prefix]:+vcrs.skip=${SKIP_SCRIPTS[$prefix]}} ${KERNEL_ARGS[$kernel]} "$@" &
    qpid=$!
    # Follows the results port while QEMU runs (tail ends once it is gone,
    # after reading the file to its end).
    tail -n +1 -s 1 -F --pid="$qpid" "$log.results" 2>/dev/null | follow_results "$prefix" "$suite" "$results" &
    rpid=$!
    wait "$qpid"
    rc=$?
    wait "$rpid"
    stage_done "guest suite $prefix (QEMU exit $rc)" "$t0"
    # The counts: every line of the results port, once. A verdict line with an
    # unknown verdict word or no name fails; only a script's own verdict
    # (named t-NN-name.sh) marks it as having run.
    declare -A VERDICTS=() CHECK_FAILED=()
    tr -d '\r' <"$log.results" >"$results" 2>/dev/null
    while IFS= read -r line; do
        case "$line" in
        "== /vcrs/tests/$suite/"*)
            current=${line##*/}
            continue
            ;;
        "VCRS-TIME "*)
            read -r _ name rest <<<"$line"
            echo "$prefix $name $rest" >>"$OUT_DIR/durations.txt"
            continue
            ;;
        "VCRS-RESULT "*) read -r _ verdict rest <<<"$line" ;;
        *) verdict="" rest="" ;;
        esac
        name=${rest%%:*}
        reason=${rest#*: }
        [ "$reason" = "$rest" ] && reason=""
        case "$verdict" in
        PASS | FAIL | SKIP) ;;
        *) name="" ;;
        esac
        if [ -z "$name" ] || [[ "$name" == *" "* ]]; then
            fail_quiet "$prefix: garbled-verdict-line" "'$line'" \
                "${current:+$(where_script "$log" "$suite" "$current")}"
            continue
        fi
        if [ -f "$REPO_ROOT/tests/guest/$suite/$name" ]; then
            VERDICTS[$name]=$verdict
            # A script passed when it ran to its end and none of its checks
            # failed (what --software compares).
            [ "$verdict" = PASS ] && [ -z "${CHECK_FAILED[$name]:-}" ] && SCRIPT_PASSES+=("$prefix $name")
        elif [ "$verdict" = FAIL ] && [ -n "${current:-}" ]; then
            CHECK_FAILED[$current]=1
        fi
        case "$verdict" in
        PASS) pass_quiet ;;
        FAIL) fail_quiet "$prefix: $name" "$reason" "${current:+$(where_script "$log" "$suite" "$current")}" ;;
        SKIP) skip_quiet ;;
        esac
    done < <(grep -a '^\(VCRS-RESULT\|VCRS-TIME \|== \)' "$results")
    DONE_EST=$((DONE_EST + SUITE_EST[$prefix]))
    DONE_SCRIPTS=$((DONE_SCRIPTS + SUITE_COUNT[$prefix]))
    script_verdicts "$prefix" "$suite" "$log.results" "$log" "$rc"
    if [ "$rc" -eq 0 ] && grep -aq '^VCRS-DONE' "$log"; then
        pass "$prefix: guest-completed"
    else
        fail "$prefix: guest-completed" "QEMU exit $rc (124 = timeout); log tail:" "$log"
        tail -25 "$log"
    fi
    # A suite whose last script leaves the driver loaded with requests in
    # flight (stock-qemu's t-99-shutdown.sh): the reboot after VCRS-DONE runs
    # the driver's shutdown callback (7.x), which releases the device as at
    # remove and logs it.
    if [ "${VERDICTS[t-99-shutdown.sh]:-}" = PASS ]; then
        if sed -n '/^VCRS-DONE/,$p' "$log" | grep -aqE 'virtio_crypto_rs: virtio[0-9]+: removed \('; then
            pass "$prefix: shutdown-released-the-device"
        else
            fail "$prefix: shutdown-released-the-device" "no removal line after VCRS-DONE" "$log"
        fi
    fi
    if grep -anE "$BAD_LOG_PATTERNS" "$log" >"$bad"; then
        fail "$prefix: guest-kernel-log-clean" "$(head -5 "$bad")" "$bad (line numbers of $log)"
    else
        pass "$prefix: guest-kernel-log-clean"
    fi
}

# run_demo: the guest of the README's main command (scripts/demo.sh,
# tests/guest/demo.sh) on the normal kernel, so that it cannot rot: each of its
# checks counts as "normal/demo: NAME", and its guest must finish with a clean
# log. (Not under --software, where its device claims fail by design.)
run_demo() {
    local log="$OUT_DIR/guest-normal-demo.log" rc=0 t0 verdict name reason
    t0=$(date +%s)
    stage "guest: normal/demo (console in $log)"
    "$REPO_ROOT/scripts/run-qemu.sh" "${KDIRS[normal]}" "$OUT_DIR/initramfs-normal.cpio" "$log" \
        $((300 * factor)) vcrs.mode=demo >/dev/null 2>&1 || rc=$?
    while read -r verdict name reason; do
        name=${name%:}
        case "$verdict" in
        PASS) pass "normal/demo: $name" ;;
        *) fail "normal/demo: $name" "$reason" "$log" ;;
        esac
    done < <(tr -d '\r' <"$log.results" 2>/dev/null | sed -n 's/^VCRS-RESULT //p')
    if [ "$rc" -eq 0 ] && grep -aq '^VCRS-DONE' "$log" && tr -d '\r' <"$log.results" | grep -aqx 'VCRS-RESULT PASS demo'; then
        pass "normal/demo: guest-completed"
    else
        fail "normal/demo: guest-completed" "QEMU exit $rc (124 = timeout), or no final verdict" "$log"
    fi
    if grep -anE "$BAD_LOG_PATTERNS" "$log" >"$OUT_DIR/guest-normal-demo-bad-lines.log"; then
        fail "normal/demo: guest-kernel-log-clean" "$(head -5 "$OUT_DIR/guest-normal-demo-bad-lines.log")" "$log"
    else
        pass "normal/demo: guest-kernel-log-clean"
    fi
    stage_done "guest: normal/demo" "$t0"
}

SCRIPT_PASSES=()
qemu_version=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
echo "QEMU $qemu_version; $TOTAL_SCRIPTS scripts to run, about $(((TOTAL_EST + 59) / 60)) min of them by tests/guest/durations.txt"
for kernel in $KERNELS; do
    # Modules built for one kernel do not load in the other: build for each
    # (the Makefiles build clean when KDIR changes). The normal kernel's
    # initramfs is also the one demo.sh and bench.sh use.
    t0=$(date +%s)
    # The module for the stock kernel is built with clippy too (its lints on
    # the code behind vcrs_kernel_7); the debug kernel's is the normal one's.
    build_args=()
    [ "$kernel" = stock ] && build_args=(CLIPPY=1)
    if [ "$kernel" = normal ]; then
        cp "$OUT_DIR/initramfs.cpio" "$OUT_DIR/initramfs-normal.cpio"
    elif ! (build_guest "${KDIRS[$kernel]}" "$OUT_DIR/module-build-$kernel.log" \
        "$OUT_DIR/initramfs-$kernel.cpio" "${build_args[@]}"); then
        fail "$kernel: module-build-clean" "build failed" "$OUT_DIR/module-build-$kernel.log"
        continue
    elif grep -qE '^(warning|error)|objtool: .*warning|: warning:' "$OUT_DIR/module-build-$kernel.log"; then
        fail "$kernel: module-build-clean" "warnings" "$OUT_DIR/module-build-$kernel.log"
        stage_done "module: $kernel, simulated device, test modules, initramfs" "$t0"
    else
        pass "$kernel: module-build-clean"
        stage_done "module: $kernel, simulated device, test modules, initramfs" "$t0"
    fi
    # The driver on QEMU's virtio-crypto-pci with the builtin backend, and on
    # the simulated device (tests/simdev) on the vDPA simulator, no QEMU device.
    # shellcheck disable=SC2086 # several arguments, split on purpose
    [[ " $SUITES " == *" qemu "* ]] && run_suite "$kernel" qemu "${SUITE_DEVICES[$kernel/qemu]:-}" ${LEAK_ARGS[$kernel/qemu]:-} $NARROW_ARGS
    # shellcheck disable=SC2086
    [[ " $SUITES " == *" sim "* ]] && run_suite "$kernel" sim none ${LEAK_ARGS[$kernel/sim]:-} $NARROW_ARGS
    if [ "$kernel" = normal ] && [[ " $SUITES " == *" demo "* ]] && [ "$software" = 0 ] && [ -z "${VCRS_ONLY:-}" ]; then
        run_demo
    fi
done

stage "done (logs in $OUT_DIR)"
if [ "${#FAILURES[@]}" -gt 0 ]; then
    echo "Failures (${#FAILURES[@]}):"
    printf '  %s\n' "${FAILURES[@]}"
fi
echo "Stages (seconds):"
awk -F'\t' '{ printf "  %6d  %s\n", $2, $1; total += $2 } END { printf "  %6d  total\n", total }' "$VCRS_STAGES"
echo "Per-script seconds of this run: $OUT_DIR/durations.txt (scripts/test.sh --record-durations keeps them)"
if [ "$host_only" = 1 ]; then
    echo "NOTE: host checks only (--host-only): no guest ran"
elif [ -n "${VCRS_KERNELS:-}${VCRS_SUITES:-}${VCRS_ONLY:-}${VCRS_EXTRA_ARGS:-}${VCRS_TIME_FACTOR:-}${VCRS_FULL_MATRIX:-}" ]; then
    echo "NOTE: partial or modified run (VCRS_KERNELS/VCRS_SUITES/VCRS_ONLY/VCRS_EXTRA_ARGS/VCRS_TIME_FACTOR/VCRS_FULL_MATRIX set)"
fi
status=0
[ "$failed" -eq 0 ] || status=1
if [ "$software" = 1 ]; then
    # Every script that claims the device served something must fail with the
    # driver in software: the scripts that pass are compared with the list of
    # those expected to (with VCRS_KERNELS/SUITES/ONLY, only its part of it).
    printf '%s\n' "${SCRIPT_PASSES[@]}" | sed '/^$/d' | LC_ALL=C sort >"$OUT_DIR/software-passes.txt"
    expected=$(sed 's/#.*//; s/[[:space:]]*$//; /^$/d' "$SOFTWARE_PASSES" | while read -r key name; do
        [ -n "${EST["$key $name"]+set}" ] && echo "$key $name"
    done | LC_ALL=C sort)
    echo "--software: scripts that passed with every request in software ($OUT_DIR/software-passes.txt):"
    sed 's/^/  /' "$OUT_DIR/software-passes.txt"
    unexpected=$(comm -23 "$OUT_DIR/software-passes.txt" <(echo "$expected" | sed '/^$/d'))
    missing=$(comm -13 "$OUT_DIR/software-passes.txt" <(echo "$expected" | sed '/^$/d'))
    status=0
    if [ -n "$unexpected" ]; then
        echo "--software: passed, but not in $SOFTWARE_PASSES (a check that the device served is missing?):"
        indent <<<"$unexpected"
        status=1
    fi
    if [ -n "$missing" ]; then
        echo "--software: in $SOFTWARE_PASSES, but did not pass:"
        indent <<<"$missing"
        status=1
    fi
    [ "$status" -eq 0 ] && echo "--software: the scripts that passed are exactly those of $SOFTWARE_PASSES"
    echo "--software: the failures above are expected in this mode and do not count for its exit status"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
