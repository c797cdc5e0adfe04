# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
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

# stage_done NAME T0: prints how long the stage NAME took (T0: its start, in
# seconds since the epoch) and, when VCRS_STAGES names a file, adds
# "NAME<TAB>SECONDS" to it (scripts/test.sh prints them as a table at the end;
# a file, so that stages run in subshells count too).
stage_done() {
    local secs=$(($(date +%s) - $2))
    stage "$1: took $secs s"
    if [ -n "${VCRS_STAGES:-}" ]; then
        printf '%s\t%s\n' "$1" "$secs" >>"$VCRS_STAGES"
    fi
}

# help_option "$@": with -h or --help as the first argument, prints the calling
# script's header comment (its usage: options and environment variables; not
# its SPDX line) and exits 0 before it does anything.
help_option() {
    case "${1:-}" in
    -h | --help)
        sed -n '2,/^[^#]/{/^# SPDX-License-Identifier:/d;/^#/{s/^# \{0,1\}//;p}}' "$0"
        exit 0
        ;;
    esac
}

# Prints an error and exits.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Output directory for logs and images of a run (ignored by git).
OUT_DIR="$REPO_ROOT/out"
export OUT_DIR

# Installs the toolchain (idempotent; no network work when all is there).
setup_toolchain() {
    mkdir -p "$OUT_DIR"
    stage "setup: toolchain"
    "$REPO_ROOT/scripts/setup.sh"
}

# guest_kernel [VARIANT]: prints the build directory of the guest kernel
# VARIANT (normal, the default, or debug), building it unless cached. Its
# progress lines go to stderr, only the directory (the last line) to stdout.
guest_kernel() {
    stage "kernel: ${1:-normal}" >&2
    "$REPO_ROOT/scripts/build-kernel.sh" "${1:-normal}" | sed -n '$p; $!w /dev/stderr'
}

# build_guest KDIR LOG INITRAMFS [MAKE_ARGS...]: builds the module (output in
# LOG), the simulated device and the test modules of tests/speed against KDIR,
# then the initramfs INITRAMFS.
# The Makefiles build clean whenever KDIR differs from their last build.
build_guest() {
    local kdir=$1 log=$2 initramfs=$3
    shift 3
    stage "module: make KDIR=$kdir $*"
    # Always recompile the Rust object, so the compiler's findings are in this log.
    rm -f "$REPO_ROOT/virtio_crypto.o"
    if ! make -C "$REPO_ROOT" KDIR="$kdir" "$@" >"$log" 2>&1; then
        tail -30 "$log"
        die "module build failed, full log: $log"
    fi
    stage "test device: make -C tests/simdev"
    if ! make -C "$REPO_ROOT/tests/simdev" KDIR="$kdir" >"$OUT_DIR/simdev-build.log" 2>&1; then
        tail -30 "$OUT_DIR/simdev-build.log"
        die "simulated device build failed, full log: $OUT_DIR/simdev-build.log"
    fi
    stage "test modules: make -C tests/speed"
    if ! make -C "$REPO_ROOT/tests/speed" KDIR="$kdir" >"$OUT_DIR/speed-build.log" 2>&1; then
        tail -30 "$OUT_DIR/speed-build.log"
        die "test module build failed, full log: $OUT_DIR/speed-build.log"
    fi
    stage "guest: initramfs $initramfs"
    "$REPO_ROOT/scripts/build-initramfs.sh" "$kdir" "$initramfs" \
        "$REPO_ROOT/virtio_crypto_rs.ko" "$REPO_ROOT"/tests/simdev/*.ko \
        "$REPO_ROOT"/tests/speed/*.ko
}

# Builds everything a guest run on the normal kernel needs: toolchain, kernel
# (cached), module (with clippy), and the initramfs ($OUT_DIR/initramfs.cpio).
# Sets KDIR. Module build output goes to $OUT_DIR/module-build.log.
prepare_guest() {
    setup_toolchain
    KDIR=$(guest_kernel normal)
    export KDIR
    build_guest "$KDIR" "$OUT_DIR/module-build.log" "$OUT_DIR/initramfs.cpio" CLIPPY=1
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

# Patterns in a guest kernel log that mean something went wrong. Besides the
# generic ones, each report of the debug kernel's checkers is named (strings as
# printed by 6.12.117: mm/kasan/report.c, kernel/locking/lockdep.c,
# kernel/sched/core.c, lib/debugobjects.c, mm/kmemleak.c, lib/list_debug.c),
# so none depends on the generic "BUG:"/"WARNING:" staying in the list.
# BAD_LOG_SAMPLES holds one line of each, which scripts/test.sh checks match.
BAD_LOG_PATTERNS='BUG:|WARNING:|Oops|Call Trace|alg: .*self-tests .* failed|alg: .*test failed|soft lockup|hard LOCKUP|rcu_sched detected stall|rcu: INFO|blocked for more than|Kernel panic|general protection fault|UBSAN'
# KASAN (also its "KASAN: null-ptr-deref in range" note on a GPF).
BAD_LOG_PATTERNS+='|BUG: KASAN: |KASAN: .* in range'
# Lockdep: every report starts "WARNING: possible ...", "WARNING: inconsistent
# lock state" and the like, "INFO: trying to register non-static key" (a lock
# used without init), or lockdep switching itself off.
BAD_LOG_PATTERNS+='|WARNING: possible |WARNING: inconsistent lock state|WARNING: bad unlock balance|WARNING: suspicious RCU usage|WARNING: held lock freed|WARNING: .* still has locks held|WARNING: lock held when returning|INFO: possible |INFO: trying to register non-static key|INFO: lockdep is turned off|BUG: MAX_LOCK|DEBUG_LOCKS_WARN_ON'
# Sleeping in atomic context (DEBUG_ATOMIC_SLEEP).
BAD_LOG_PATTERNS+='|sleeping function called from invalid context|scheduling while atomic'
# DEBUG_OBJECTS (work items, timers, RCU heads freed or re-initialised while active).
BAD_LOG_PATTERNS+='|ODEBUG:'
# kmemleak and DEBUG_LIST.
BAD_LOG_PATTERNS+='|kmemleak: .* new suspected|list_(add|del) corruption'
export BAD_LOG_PATTERNS
BAD_LOG_SAMPLES='[   12.345678] BUG: KASAN: slab-use-after-free in vcrs_complete+0x42/0x100 [virtio_crypto_rs]
[   12.345678] KASAN: null-ptr-deref in range [0x0000000000000010-0x0000000000000017]
[   12.345678] WARNING: possible circular locking dependency detected
[   12.345678] WARNING: possible recursive locking detected
[   12.345678] WARNING: possible irq lock inversion dependency detected
[   12.345678] WARNING: inconsistent lock state
[   12.345678] INFO: trying to register non-static key.
[   12.345678] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585
[   12.345678] ODEBUG: free active (active state 0) object: 00000000a1b2c3d4 object type: work_struct hint: vcrs_work+0x0/0x10
[   12.345678] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
[   12.345678] list_del corruption. prev->next should be ffff888003a1b2c0, but was dead000000000100'
export BAD_LOG_SAMPLES
