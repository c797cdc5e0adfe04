# Shared helpers for the project's shell scripts. Source it, don't run it.

# Repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Cache for expensive artifacts (kernel builds), outside the repository.
CACHE_DIR="${VCRS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtio-crypto-rs}"
export CACHE_DIR

# Ensure cargo-installed tools (bindgen) are found.
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
export PATH

: "${VCRS_T0:=$(date +%s)}"
export VCRS_T0

# Prints one progress line with the time elapsed since the first script started.
stage() {
    local now
    now=$(date +%s)
    printf '[%4ds] %s\n' "$((now - VCRS_T0))" "$*"
}

# Prints an error and exits.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Output directory for logs and images of a run (ignored by git).
OUT_DIR="$REPO_ROOT/out"
export OUT_DIR

# Builds everything a guest run needs: toolchain, kernel (cached), module, and
# the initramfs. Sets KDIR. Module build output goes to $OUT_DIR/module-build.log.
prepare_guest() {
    mkdir -p "$OUT_DIR"
    stage "setup: toolchain"
    "$REPO_ROOT/scripts/setup.sh"
    stage "kernel"
    KDIR=$("$REPO_ROOT/scripts/build-kernel.sh" | tail -1)
    export KDIR
    stage "module: make KDIR=$KDIR CLIPPY=1"
    # Always recompile the Rust object, so clippy's findings are in this log.
    rm -f "$REPO_ROOT/virtio_crypto.o"
    if ! make -C "$REPO_ROOT" KDIR="$KDIR" CLIPPY=1 >"$OUT_DIR/module-build.log" 2>&1; then
        tail -30 "$OUT_DIR/module-build.log"
        die "module build failed, full log: $OUT_DIR/module-build.log"
    fi
    stage "test device: make -C tests/simdev"
    if ! make -C "$REPO_ROOT/tests/simdev" KDIR="$KDIR" >"$OUT_DIR/simdev-build.log" 2>&1; then
        tail -30 "$OUT_DIR/simdev-build.log"
        die "simulated device build failed, full log: $OUT_DIR/simdev-build.log"
    fi
    stage "guest: initramfs"
    "$REPO_ROOT/scripts/build-initramfs.sh" "$KDIR" "$OUT_DIR/initramfs.cpio" \
        "$REPO_ROOT/virtio_crypto_rs.ko" "$REPO_ROOT"/tests/simdev/*.ko
}

# boot_guest MODE TIMEOUT LOG: boots the guest (vcrs.mode=MODE) with QEMU's
# device; dies, showing the log's tail, unless the guest ran to its end.
boot_guest() {
    local mode=$1 timeout_s=$2 log=$3 rc=0
    stage "guest: $mode (serial console in $log)"
    "$REPO_ROOT/scripts/run-qemu.sh" "$KDIR" "$OUT_DIR/initramfs.cpio" "$log" "$timeout_s" \
        "vcrs.mode=$mode" || rc=$?
    if [ "$rc" -ne 0 ] || ! grep -aq '^VCRS-DONE' "$log"; then
        tail -20 "$log"
        die "$mode guest failed (QEMU exit $rc)"
    fi
}

# Patterns in a guest kernel log that mean something went wrong.
BAD_LOG_PATTERNS='BUG:|WARNING:|Oops|Call Trace|alg: .*self-tests .* failed|alg: .*test failed|soft lockup|hard LOCKUP|rcu_sched detected stall|rcu: INFO|blocked for more than|Kernel panic|general protection fault|UBSAN|kmemleak: .* new suspected'
export BAD_LOG_PATTERNS
