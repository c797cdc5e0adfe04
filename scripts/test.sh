#!/usr/bin/env bash
# The whole test suite: host checks (format, lints, wire-format unit tests) and
# the guest tests on QEMU's virtio-crypto device. Ends with "N passed, N failed"
# and exits non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }

set -e
prepare_guest
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
cargo test --manifest-path "$REPO_ROOT/tests/host/Cargo.toml" >"$OUT_DIR/host-tests.log" 2>&1
line=$(grep -E '^test result:' "$OUT_DIR/host-tests.log" | head -1)
hp=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
hf=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
if [ -n "$hp" ] && [ "$hp" -gt 0 ]; then
    passed=$((passed + hp))
    failed=$((failed + ${hf:-0}))
    echo "host unit tests: $line"
    grep -E '^test .* FAILED' "$OUT_DIR/host-tests.log" || true
else
    fail host-unit-tests "no test result, see $OUT_DIR/host-tests.log"
fi

# run_suite NAME DEVICES [KERNEL_ARGS...]: boots a guest with DEVICES (QEMU
# arguments, or "none"), runs tests/guest/NAME in it and counts its results.
run_suite() {
    local suite=$1 devices=$2 log="$OUT_DIR/guest-$1.log" rc name reason verdict rest
    shift 2
    stage "guest suite '$suite': boot and run tests/guest/$suite"
    VCRS_QEMU_DEVICES=$devices "$REPO_ROOT/scripts/run-qemu.sh" "$KDIR" "$OUT_DIR/initramfs.cpio" \
        "$log" 900 vcrs.mode=test vcrs.suite="$suite" "$@"
    rc=$?
    while read -r _ verdict rest; do
        name=${rest%%:*}
        reason=${rest#*: }
        [ "$reason" = "$rest" ] && reason=""
        case "$verdict" in
        PASS) pass "$suite: $name" ;;
        FAIL) fail "$suite: $name" "$reason" ;;
        esac
    done < <(tr -d '\r' <"$log.results" 2>/dev/null | grep -a '^VCRS-RESULT ')
    if [ "$rc" -eq 0 ] && grep -aq '^VCRS-DONE' "$log"; then
        pass "$suite: guest-completed"
    else
        fail "$suite: guest-completed" "QEMU exit $rc (124 = timeout); log tail:"
        tail -25 "$log"
    fi
    if grep -aE "$BAD_LOG_PATTERNS" "$log" >"$OUT_DIR/guest-$suite-bad-lines.log"; then
        fail "$suite: guest-kernel-log-clean" "$(head -5 "$OUT_DIR/guest-$suite-bad-lines.log")"
    else
        pass "$suite: guest-kernel-log-clean"
    fi
}

qemu_version=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
echo "QEMU $qemu_version"
# The driver on QEMU's virtio-crypto-pci with the builtin backend.
run_suite qemu ""
# The simulated device (tests/simdev) on the vDPA simulator, no QEMU device,
# with kmemleak on (t-99-leaks.sh).
run_suite sim none kmemleak=on
stage "done (logs in $OUT_DIR)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
