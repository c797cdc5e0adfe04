#!/usr/bin/env bash
# Builds a guest kernel from Debian's linux-source-6.12 with LLVM=1 and the
# repository's config fragments, caching the result outside the repository.
#   build-kernel.sh [normal|debug] [--print-dir] [--help]
# Environment: VCRS_CACHE the cache directory (default ~/.cache/virtio-crypto-rs).
# normal (the default): kernel/guest.config. debug: kernel/guest.config plus
# kernel/debug.config (KASAN, lockdep, DEBUG_OBJECTS; see that file).
# The cache key is the kernel package version, every fragment and the
# toolchain, so a warm run does nothing. Prints the build directory on its
# last line. With --print-dir it only prints where the build is (or would be).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

variant=normal
print_dir=0
for arg in "$@"; do
    case "$arg" in
    normal | debug) variant=$arg ;;
    --print-dir) print_dir=1 ;;
    *) die "usage: build-kernel.sh [normal|debug] [--print-dir]" ;;
    esac
done

src_tar=/usr/src/linux-source-6.12.tar.xz
[ -f "$src_tar" ] || die "$src_tar missing: run scripts/setup.sh"
fragments=("$REPO_ROOT/kernel/guest.config")
[ "$variant" = debug ] && fragments+=("$REPO_ROOT/kernel/debug.config")

pkg_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
# For the normal kernel this hashes exactly what it always did, so existing
# caches stay valid.
key=$( {
    echo "$pkg_version"
    cat "${fragments[@]}"
    rustc --version
    clang --version | head -1
    bindgen --version
} | sha256sum | cut -c1-16)
name="linux-$pkg_version-$key"
[ "$variant" = normal ] || name="linux-$pkg_version-$variant-$key"
KDIR="$CACHE_DIR/$name"
log="$CACHE_DIR/$name.build.log"

if [ "$print_dir" = 1 ]; then
    echo "$KDIR"
    exit 0
fi

if [ -f "$KDIR/.vcrs-built" ]; then
    stage "kernel: cached at $KDIR"
    echo "$KDIR"
    exit 0
fi

mkdir -p "$CACHE_DIR"
rm -rf "$KDIR" "$KDIR.tmp"
stage "kernel: unpacking linux-source $pkg_version (log: $log)"
mkdir -p "$KDIR.tmp"
tar -xf "$src_tar" -C "$KDIR.tmp" --strip-components=1
mv "$KDIR.tmp" "$KDIR"

kmake() { make -C "$KDIR" ARCH=x86_64 LLVM=1 "$@"; }

# The kernel's own bindgen run must load the libclang of the clang that
# compiles it, not the newest one installed (see libclang_dir in lib.sh).
pin_libclang "$(clang --version | sed -n '1s/.*clang version \([0-9]*\)\..*/\1/p')"

# allnoconfig takes one file: the fragments in order (a later line for the
# same symbol wins, as in Kconfig).
merged="$KDIR/.vcrs-fragments.config"
cat "${fragments[@]}" >"$merged"
stage "kernel: configuring (allnoconfig + ${fragments[*]##*/})"
{
    kmake rustavailable
    kmake KCONFIG_ALLCONFIG="$merged" allnoconfig
} >"$log" 2>&1 || { tail -30 "$log"; die "kernel configuration failed, full log: $log"; }

# Every option the fragments ask for must have survived dependency resolution
# (the last line for a symbol is the one that counts).
missing=0
while IFS= read -r line; do
    case "$line" in
    CONFIG_*=*)
        grep -qx -- "$line" "$KDIR/.config" || { echo "  not applied: $line"; missing=1; } ;;
    "# CONFIG_"*" is not set")
        sym=${line#\# }; sym=${sym%% *}
        if grep -q "^$sym=" "$KDIR/.config"; then echo "  not applied: $line"; missing=1; fi ;;
    esac
done < <(tac "$merged" | awk '{ s = $0; sub(/^# /, "", s); sub(/[= ].*/, "", s) }
    s ~ /^CONFIG_/ && !seen[s]++' | tac)
[ "$missing" -eq 0 ] || die "${fragments[*]##*/}: options whose dependencies are unmet"

jobs=$(nproc)
stage "kernel: building with $jobs jobs (takes several minutes cold)"
if ! kmake -j"$jobs" bzImage modules >>"$log" 2>&1; then
    tail -40 "$log"
    die "kernel build failed, full log: $log"
fi
stage "kernel: installing modules"
kmake INSTALL_MOD_PATH="$KDIR/mod-install" INSTALL_MOD_STRIP=1 modules_install >>"$log" 2>&1 \
    || die "modules_install failed, full log: $log"
touch "$KDIR/.vcrs-built"
stage "kernel: built at $KDIR"
echo "$KDIR"
