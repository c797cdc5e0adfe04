#!/usr/bin/env bash
# Builds the guest kernel from Debian's linux-source-6.12 with LLVM=1 and the
# repository's config fragment, caching the result outside the repository.
# The cache key is the kernel package version, the fragment and the toolchain,
# so a warm run does nothing. Prints the build directory on its last line.
# With --print-dir it only prints where the build is (or would be).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src_tar=/usr/src/linux-source-6.12.tar.xz
[ -f "$src_tar" ] || die "$src_tar missing: run scripts/setup.sh"
fragment="$REPO_ROOT/kernel/guest.config"

pkg_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( {
    echo "$pkg_version"
    cat "$fragment"
    rustc --version
    clang --version | head -1
    bindgen --version
} | sha256sum | cut -c1-16)
KDIR="$CACHE_DIR/linux-$pkg_version-$key"
log="$CACHE_DIR/linux-$pkg_version-$key.build.log"

if [ "${1:-}" = "--print-dir" ]; then
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

stage "kernel: configuring (allnoconfig + kernel/guest.config)"
{
    kmake rustavailable
    kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig
} >"$log" 2>&1 || { tail -30 "$log"; die "kernel configuration failed, full log: $log"; }

# Every option the fragment asks for must have survived dependency resolution.
missing=0
while IFS= read -r line; do
    case "$line" in
    CONFIG_*=*)
        grep -qx -- "$line" "$KDIR/.config" || { echo "  not applied: $line"; missing=1; } ;;
    "# CONFIG_"*" is not set")
        sym=${line#\# }; sym=${sym%% *}
        if grep -q "^$sym=" "$KDIR/.config"; then echo "  not applied: $line"; missing=1; fi ;;
    esac
done <"$fragment"
[ "$missing" -eq 0 ] || die "kernel/guest.config has options whose dependencies are unmet"

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
