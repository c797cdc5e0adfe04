#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds a guest kernel from Debian's linux-source-6.12 with LLVM=1 and the
# repository's config fragments, caching the result outside the repository.
#   build-kernel.sh [normal|debug] [--print-dir | --prune] [--help]
# Environment: VCRS_CACHE the cache directory (default ~/.cache/virtio-crypto-rs);
# VCRS_CACHE_KEEP_DAYS (default 7) see below.
# normal (the default): kernel/guest.config. debug: kernel/guest.config plus
# kernel/debug.config (KASAN, lockdep, DEBUG_OBJECTS; see that file).
# The cache key is the kernel package version, every fragment and the
# toolchain, so a warm run does nothing. Prints the build directory on its
# last line. With --print-dir it only prints where the build is (or would be).
# Pruning: a tree (with its .build.log) that neither current configuration
# (normal, debug: the names --print-dir gives) uses is removed by --prune, and
# after each build once unused for VCRS_CACHE_KEEP_DAYS days (a tree's use: its
# build, or a run of this script that found it; another branch's or worktree's
# configuration counts as unused here). Trees still being built (no
# .vcrs-built) and anything not named like a tree stay. Prints what went and
# the space freed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

VARIANTS="normal debug"
variant=normal
print_dir=0
prune_only=0
for arg in "$@"; do
    case "$arg" in
    normal | debug) variant=$arg ;;
    --print-dir) print_dir=1 ;;
    --prune) prune_only=1 ;;
    *) die "usage: build-kernel.sh [normal|debug] [--print-dir | --prune]" ;;
    esac
done

# prune MIN_IDLE_DAYS: removes each cached tree "linux-...-<key>" (and its
# .build.log) that no current configuration uses and that was last used
# MIN_IDLE_DAYS days ago or more (its .vcrs-used stamp, else .vcrs-built);
# one not built to its end (a build may be running) only gets named. Returns 1
# without removing anything when no current configuration's tree is built: a
# tool of the key failing (the key hashes its output) gives every tree a new
# name, and then none of those cached would count as in use.
prune() {
    local min_days=$1 keep=() v kdir d name used idle kb freed=0 built=0
    for v in $VARIANTS; do
        kdir=$("$REPO_ROOT/scripts/build-kernel.sh" "$v" --print-dir) || die "prune: no name for the $v tree"
        [[ "$(basename "$kdir")" =~ ^linux-.+-[0-9a-f]{16}$ ]] || die "prune: unexpected tree name '$kdir'"
        keep+=("$(basename "$kdir")")
        [ -f "$kdir/.vcrs-built" ] && built=1
    done
    if [ "$built" = 0 ]; then
        stage "kernel cache: not pruned: no tree of the current configurations (${keep[*]}) is built; build one first (a changed or failing tool of the cache key?)"
        return 1
    fi
    for d in "$CACHE_DIR"/linux-*; do
        # A tree's log goes with its tree (below); alone, it is a removed tree's.
        [[ "$d" == *.build.log && -d "${d%.build.log}" ]] && continue
        name=$(basename "$d")
        name=${name%.build.log}
        kb=""
        [[ "$name" =~ ^linux-.+-[0-9a-f]{16}$ ]] || continue
        [[ " ${keep[*]} " == *" $name "* ]] && continue
        if [ -d "$CACHE_DIR/$name" ]; then
            used="$CACHE_DIR/$name/.vcrs-used"
            [ -f "$used" ] || used="$CACHE_DIR/$name/.vcrs-built"
            if [ ! -f "$used" ]; then
                stage "kernel cache: kept $name: not built to its end (a build running? if not, remove it)"
                continue
            fi
            idle=$((($(date +%s) - $(stat -c %Y "$used")) / 86400))
            [ "$idle" -ge "$min_days" ] || continue
            kb=$(du -sk "$CACHE_DIR/$name" | cut -f1)
            rm -rf "${CACHE_DIR:?}/$name"
            stage "kernel cache: removed $name ($(numfmt --to=iec --from-unit=1024 "$kb"), last used $idle day(s) ago)"
            freed=$((freed + kb))
        fi
        # The log of a tree removed now or before.
        if [ -f "$CACHE_DIR/$name.build.log" ] && [ ! -d "$CACHE_DIR/$name" ]; then
            freed=$((freed + $(du -sk "$CACHE_DIR/$name.build.log" | cut -f1)))
            rm -f "$CACHE_DIR/$name.build.log"
            [ -n "$kb" ] || stage "kernel cache: removed $name.build.log (its tree was gone)"
        fi
    done
    stage "kernel cache: $(numfmt --to=iec --from-unit=1024 "$freed") freed in $CACHE_DIR (in use: ${keep[*]})"
}
if [ "$prune_only" = 1 ]; then
    prune 0 || exit 1
    exit 0
fi

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
    touch "$KDIR/.vcrs-used"
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
prune "${VCRS_CACHE_KEEP_DAYS:-7}" || true
stage "kernel: built at $KDIR"
echo "$KDIR"
