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

# guest_image KDIR: the kernel image a guest of KDIR boots: $VCRS_KERNEL_IMAGE if
# set, else the distribution's own image of a tree prepared by
# scripts/stock-kernel.sh (KDIR/vcrs-stock/vmlinuz), else the tree's bzImage.
guest_image() {
    if [ -n "${VCRS_KERNEL_IMAGE:-}" ]; then
        echo "$VCRS_KERNEL_IMAGE"
    elif [ -f "$1/vcrs-stock/vmlinuz" ]; then
        echo "$1/vcrs-stock/vmlinuz"
    else
        echo "$1/arch/x86/boot/bzImage"
    fi
}

# guest_modules_root KDIR: the directory holding lib/modules/RELEASE for a guest
# of KDIR: $VCRS_MODULES_ROOT if set, else the distribution's modules of a
# stock tree (KDIR/vcrs-stock), else the tree's modules_install (KDIR/mod-install).
guest_modules_root() {
    if [ -n "${VCRS_MODULES_ROOT:-}" ]; then
        echo "$VCRS_MODULES_ROOT"
    elif [ -d "$1/vcrs-stock/lib/modules" ]; then
        echo "$1/vcrs-stock"
    else
        echo "$1/mod-install"
    fi
}

# guest_kernel [VARIANT]: prints the build directory of the guest kernel
# VARIANT (normal, the default, or debug: 6.12 built by scripts/build-kernel.sh;
# stock: Debian's unmodified 7.3.4 kernel, its tree prepared by
# scripts/stock-kernel.sh), building it unless cached. Its progress lines go to
# stderr, only the directory (the last line) to stdout.
guest_kernel() {
    stage "kernel: ${1:-normal}" >&2
    if [ "${1:-}" = stock ]; then
        "$REPO_ROOT/scripts/stock-kernel.sh" | sed -n '$p; $!w /dev/stderr'
    else
        "$REPO_ROOT/scripts/build-kernel.sh" "${1:-normal}" | sed -n '$p; $!w /dev/stderr'
    fi
}

# build_module KDIR LOG [MAKE_ARGS...]: builds the driver against KDIR (output in LOG).
build_module() {
    local kdir=$1 log=$2
    shift 2
    stage "module: make KDIR=$kdir $*"
    if ! make -C "$REPO_ROOT" KDIR="$kdir" "$@" >"$log" 2>&1; then
        tail -30 "$log"
        die "module build failed, full log: $log"
    fi
}

# build_test_module KDIR DIR: builds the test modules of tests/DIR (simdev:
# the simulated device; speed: the benchmark's and tests' helpers) against
# KDIR, output in $OUT_DIR/DIR-build.log.
build_test_module() {
    local kdir=$1 dir=$2
    stage "test modules: make -C tests/$dir"
    if ! make -C "$REPO_ROOT/tests/$dir" KDIR="$kdir" >"$OUT_DIR/$dir-build.log" 2>&1; then
        tail -30 "$OUT_DIR/$dir-build.log"
        die "tests/$dir build failed, full log: $OUT_DIR/$dir-build.log"
    fi
}

# build_vdpa_sim KDIR DIR: for a tree whose kernel has no vDPA simulator (Debian
# builds neither CONFIG_VDPA_SIM nor CONFIG_VHOST_RING), builds vdpa_sim.ko, and
# vringh.ko where needed, from the tree's own source as external modules in DIR
# (output in DIR/build.log), and exports KBUILD_EXTRA_SYMBOLS for the modules
# built on them (tests/simdev). Nothing for a tree that has them.
build_vdpa_sim() {
    local kdir=$1 dir=$2
    if grep -q '^CONFIG_VDPA_SIM=[ym]' "$kdir/.config"; then
        unset KBUILD_EXTRA_SYMBOLS
        return 0
    fi
    stage "test modules: vdpa_sim (external, from $kdir's source)"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$kdir"/drivers/vdpa/vdpa_sim/vdpa_sim.[ch] "$dir/"
    echo "obj-m := vdpa_sim.o" >"$dir/Kbuild"
    if ! grep -q '^CONFIG_VHOST_RING=[ym]' "$kdir/.config"; then
        cp "$kdir/drivers/vhost/vringh.c" "$dir/"
        echo "obj-m += vringh.o" >>"$dir/Kbuild"
    fi
    # The tree's toolchain and LLVM=1 or not, as for every module (kdir.mk).
    # shellcheck disable=SC2016 # make variables, expanded by make
    printf 'KDIR := %s\ninclude %s/scripts/kdir.mk\nall:\n\t$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) modules\n' \
        "$kdir" "$REPO_ROOT" >"$dir/Makefile"
    if ! make -C "$dir" >"$dir/build.log" 2>&1; then
        tail -20 "$dir/build.log"
        die "vdpa_sim build failed, full log: $dir/build.log"
    fi
    KBUILD_EXTRA_SYMBOLS="$dir/Module.symvers"
    export KBUILD_EXTRA_SYMBOLS
}

# build_guest KDIR LOG INITRAMFS [MAKE_ARGS...]: builds the module (output in
# LOG), the simulated device (on the tree's own vDPA simulator, or on one built
# from its source where the kernel has none: build_vdpa_sim) and the test
# modules of tests/speed against KDIR, then the initramfs INITRAMFS.
# The Makefiles build clean whenever KDIR differs from their last build.
build_guest() {
    local kdir=$1 log=$2 initramfs=$3 external externals
    shift 3
    # Always recompile the Rust object, so the compiler's findings are in this log.
    rm -f "$REPO_ROOT/virtio_crypto.o"
    build_module "$kdir" "$log" "$@"
    # (Only a tree without a vDPA simulator ever has this folder; build_vdpa_sim
    # makes it afresh.)
    external="$OUT_DIR/vdpa_sim-$(basename "$kdir")"
    build_vdpa_sim "$kdir" "$external"
    build_test_module "$kdir" simdev
    build_test_module "$kdir" speed
    mapfile -t externals < <(find "$external" -name '*.ko' 2>/dev/null)
    stage "guest: initramfs $initramfs"
    "$REPO_ROOT/scripts/build-initramfs.sh" "$kdir" "$initramfs" \
        "$REPO_ROOT/virtio_crypto_rs.ko" "$REPO_ROOT"/tests/simdev/*.ko \
        "$REPO_ROOT"/tests/speed/*.ko "${externals[@]}"
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

# boot_guest MODE TIMEOUT LOG [INITRAMFS]: boots the guest (vcrs.mode=MODE)
# with QEMU's device and INITRAMFS (default $OUT_DIR/initramfs.cpio); dies,
# showing the log's tail, unless the guest ran to its end.
boot_guest() {
    local mode=$1 timeout_s=$2 log=$3 initramfs=${4:-$OUT_DIR/initramfs.cpio} rc=0
    stage "guest: $mode (serial console in $log)"
    "$REPO_ROOT/scripts/run-qemu.sh" "$KDIR" "$initramfs" "$log" "$timeout_s" \
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

# libclang_dir MAJOR: prints the directory holding libclang of LLVM MAJOR (the
# version the kernel tree was built with), or fails. bindgen loads the newest
# libclang it finds unless LIBCLANG_PATH names one, and a newer libclang
# rejects flags the tree saved for its older clang (6.12 with clang 14 passes
# -enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang,
# which clang 16 removed), so bindgen must use the tree's own.
libclang_dir() {
    local major=$1 dir clang_bin
    clang_bin=$(command -v "clang-$major" || true)
    if [ -z "$clang_bin" ] && command -v clang >/dev/null &&
        clang --version | head -1 | grep -q "version $major\."; then
        clang_bin=$(command -v clang)
    fi
    for dir in "$(llvm-config-"$major" --libdir 2>/dev/null)" "/usr/lib/llvm-$major/lib" \
        "/usr/lib64/llvm$major/lib" "${clang_bin:+$(dirname "$(readlink -f "$clang_bin")")/../lib}" \
        "$(private_llvm_root "$major")/usr/lib/llvm-$major/lib"; do
        [ -n "$dir" ] || continue
        if compgen -G "$dir/libclang.so*" >/dev/null || compgen -G "$dir/libclang-$major*.so*" >/dev/null; then
            (cd "$dir" && pwd)
            return 0
        fi
    done
    return 1
}

# pin_libclang MAJOR: exports LIBCLANG_PATH for LLVM MAJOR unless the caller
# set it; dies when that libclang is not installed. A private LLVM (see
# private_llvm) also needs its shared libraries on LD_LIBRARY_PATH.
pin_libclang() {
    [ -n "${LIBCLANG_PATH:-}" ] && return 0
    LIBCLANG_PATH=$(libclang_dir "$1") ||
        die "libclang $1 (the version the kernel tree is built with) not found: install libclang-$1-dev, or set LIBCLANG_PATH"
    export LIBCLANG_PATH
    local root
    root=$(private_llvm_root "$1")
    case "$LIBCLANG_PATH" in
    "$root"/*) prepend_ld_library_path "$root/usr/lib/x86_64-linux-gnu" ;;
    esac
}

prepend_ld_library_path() {
    case ":${LD_LIBRARY_PATH:-}:" in
    *":$1:"*) ;;
    *) LD_LIBRARY_PATH="$1${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
    esac
    export LD_LIBRARY_PATH
}

# Private toolchains, unpacked from packages under the cache so that they change
# nothing on the host (a system-wide libclang-19 would become the libclang that
# bindgen loads for every other tree).
TOOLCHAINS_DIR="$CACHE_DIR/toolchains"

# private_llvm_root MAJOR: where private_llvm unpacks LLVM MAJOR.
private_llvm_root() {
    echo "$TOOLCHAINS_DIR/llvm-$1"
}

# private_llvm MAJOR: unpacks Debian's clang-MAJOR, libclang-MAJOR-dev and the
# LLVM libraries they need (apt-get download from the host's own apt lists,
# dpkg-deb -x) into $(private_llvm_root MAJOR), unless they are there.
private_llvm() {
    local major=$1 root debs p
    root=$(private_llvm_root "$major")
    [ -f "$root/.vcrs-unpacked" ] && return 0
    debs="$TOOLCHAINS_DIR/debs-llvm-$major"
    stage "toolchain: unpacking LLVM $major into $root"
    mkdir -p "$debs"
    # What these packages depend on beyond the LLVM set is in Debian 12's base
    # toolchain (libstdc++-12-dev, libz3-4, libxml2...): check, don't install.
    for p in $(apt-cache depends "clang-$major" "libclang1-$major" "libllvm$major" "llvm-$major" |
        sed -n 's/^ *Depends: \([^<>]*\)$/\1/p' | sort -u); do
        case "$p" in
        *"$major"*) ;;
        *) dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            echo "  note: $p (a dependency of LLVM $major) is not installed" >&2 ;;
        esac
    done
    (cd "$debs" && apt-get -o APT::Sandbox::User=root download -q "clang-$major" "libclang-$major-dev" "libclang1-$major" \
        "libllvm$major" "llvm-$major" "libclang-common-$major-dev" "libclang-cpp$major" \
        "llvm-$major-linker-tools" "llvm-$major-runtime" >/dev/null) ||
        die "apt-get download of LLVM $major failed (is it in the host's apt lists?)"
    rm -rf "$root"
    mkdir -p "$root"
    for p in "$debs"/*.deb; do dpkg-deb -x "$p" "$root"; done
    touch "$root/.vcrs-unpacked"
}

# private_pahole: a pahole for BTF (kernels with DEBUG_INFO_BTF): the host's if
# installed, else Debian's unpacked under the cache. Prints its directory.
private_pahole() {
    if command -v pahole >/dev/null; then
        dirname "$(command -v pahole)"
        return 0
    fi
    local root="$TOOLCHAINS_DIR/pahole"
    if [ ! -x "$root/usr/bin/pahole" ]; then
        stage "toolchain: unpacking pahole into $root" >&2
        mkdir -p "$TOOLCHAINS_DIR/debs-pahole" "$root"
        (cd "$TOOLCHAINS_DIR/debs-pahole" && apt-get -o APT::Sandbox::User=root download -q pahole >/dev/null) ||
            die "apt-get download pahole failed"
        dpkg-deb -x "$TOOLCHAINS_DIR"/debs-pahole/pahole_*.deb "$root"
    fi
    echo "$root/usr/bin"
}

# private_bindgen VERSION: a bindgen-cli VERSION installed with cargo under the
# cache (~/.cargo/bin/bindgen stays the one the project's own kernel uses).
# Prints its directory.
private_bindgen() {
    local root="$TOOLCHAINS_DIR/bindgen-$1"
    if [ ! -x "$root/bin/bindgen" ]; then
        stage "toolchain: cargo install bindgen-cli $1 into $root" >&2
        nice -n 10 cargo install --quiet --locked --root "$root" bindgen-cli --version "$1" >&2 ||
            die "cargo install bindgen-cli $1 failed"
    fi
    echo "$root/bin"
}

# rust_toolchain VERSION: rustc VERSION from rustup (minimal profile plus
# rust-src; the default toolchain stays as it is). Prints its bin directory.
rust_toolchain() {
    if ! rustup run "$1" rustc --version >/dev/null 2>&1 ||
        ! rustup component list --installed --toolchain "$1" 2>/dev/null | grep -q '^rust-src'; then
        stage "toolchain: rustup toolchain install $1" >&2
        rustup toolchain install "$1" --profile minimal -c rust-src >&2 ||
            die "rustup toolchain install $1 failed"
    fi
    dirname "$(rustup which --toolchain "$1" rustc)"
}
