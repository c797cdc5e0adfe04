#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prepares a tree to build the module for a distribution's own kernel: Debian's
# unmodified linux-image-KVER (default 7.3.4+deb13-amd64, from trixie-backports),
# caching the result outside the repository. Prints the tree on its last line.
#   stock-kernel.sh [KVER] [--print-dir] [--help]
# Then:  make KDIR=$(scripts/stock-kernel.sh --print-dir)
#
# Debian's headers package has no Rust metadata (rust/*.rmeta, libmacros.so), so
# an out-of-tree Rust module cannot be built from it alone. This script:
#  1. downloads, with a private apt list directory (the host's apt sources and
#     lists are left alone), linux-source-X.Y, linux-headers-KVER and its
#     -common package, the kernel image (linux-binary-KVER, or linux-image-KVER
#     where the image holds vmlinuz), the modules (linux-modules-KVER) and
#     linux-base-KVER (modules.builtin) where the image is split so;
#  2. unpacks the source, takes the headers package's .config and prepares the
#     tree (make olddefconfig modules_prepare KERNELRELEASE=KVER) with the
#     toolchain the .config names: rustc CONFIG_RUSTC_VERSION_TEXT from rustup,
#     with RUSTC_FORCE_RUSTC_VERSION set to Debian's full version string (Rust
#     symbol names carry a hash of it), bindgen CONFIG_BINDGEN_VERSION_TEXT
#     (cargo install under the cache), libclang VCRS_LIBCLANG_MAJOR (default 19;
#     unpacked under the cache unless installed), gcc for C (the host's: the
#     tree is not built with LLVM=1 since Debian's kernel was built with gcc),
#     pahole for BTF;
#  3. copies Module.symvers, include/config/kernel.release,
#     include/generated/utsrelease.h and vmlinux (BTF for modules) from the
#     headers package, so the module links against Debian's exports and its
#     vermagic is Debian's;
#  4. checks, on every run, cached or not, that the Rust symbols the tree
#     exports (rust/exports_*_generated.h) are exactly the `_R...` exports of
#     vmlinux in Debian's Module.symvers, per crate: a module built here links
#     against names that exist in the running kernel, or the script fails;
#  5. unpacks the image and the modules beside the tree (TREE/vcrs-stock/:
#     vmlinuz, lib/modules/KVER), which scripts/run-qemu.sh and
#     scripts/build-initramfs.sh use instead of a built kernel's.
# The tree gets vcrs-toolchain.mk (read by the project's Makefiles): the PATH
# with that rustc, bindgen and pahole first, RUSTC_FORCE_RUSTC_VERSION and
# LIBCLANG_PATH, so `make KDIR=TREE` uses them too.
#
# Any kernel whose source package matches its headers package works: the
# source package's version must equal the headers' (the script checks), the
# kernel needs CONFIG_RUST=y, and the host needs that rustc (rustup), bindgen
# (crates.io) and a libclang recent enough for the kernel, and a gcc (a
# different major than the distribution's only warns). Other distributions:
# a tree prepared the same way by hand works with `make KDIR=`.
#
# Environment:
#   VCRS_CACHE           the cache directory (default ~/.cache/virtio-crypto-rs)
#   VCRS_STOCK_SUITE     the Debian suite (default trixie-backports)
#   VCRS_STOCK_MIRROR    the Debian mirror (default http://deb.debian.org/debian)
#   VCRS_LIBCLANG_MAJOR  the libclang for bindgen (default 19; LIBCLANG_PATH wins)
#   VCRS_RUSTC_FULL_VERSION  the version string Debian's rustc reports, when it
#                        is not CONFIG_RUSTC_VERSION_TEXT's (default: taken from it)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

kver=7.3.4+deb13-amd64
print_dir=0
for arg in "$@"; do
    case "$arg" in
    --print-dir) print_dir=1 ;;
    -*) die "usage: stock-kernel.sh [KVER] [--print-dir]" ;;
    *) kver=$arg ;;
    esac
done
case "$kver" in
[0-9]*.[0-9]*) ;;
*) die "KVER '$kver' is not a kernel release (like 7.3.4+deb13-amd64)" ;;
esac

KDIR="$CACHE_DIR/linux-stock-$kver"
if [ "$print_dir" = 1 ]; then
    echo "$KDIR"
    exit 0
fi

suite=${VCRS_STOCK_SUITE:-trixie-backports}
mirror=${VCRS_STOCK_MIRROR:-http://deb.debian.org/debian}
clang_major=${VCRS_LIBCLANG_MAJOR:-19}
log="$KDIR.build.log"
stock="$KDIR/vcrs-stock"
headers_rel="usr/src/linux-headers-$kver"

# --- The check of step 4: the tree's Rust exports against Module.symvers. ---

# rust_symbols: reads exports (rust/exports_*_generated.h lines, or
# Module.symvers lines of vmlinux), prints their `_R` names, sorted.
rust_symbols() {
    sed -nE 's/^EXPORT_SYMBOL_RUST_GPL\((_R[^)]*)\);$/\1/p; s/^[^\t]*\t(_R[^\t]*)\tvmlinux\t.*/\1/p' | LC_ALL=C sort -u
}

# crate_of: reads mangled names, prints "crate name" (the first crate root in
# the v0 mangling: C, an optional disambiguator s<base62>_, the name's length,
# the name).
crate_of() {
    perl -ne 'chomp; if (/^_R.*?C(?:s[0-9A-Za-z]*_)?(\d+)(?=[A-Za-z_])/) { print substr($_, $+[0], $1), " $_\n" } else { print "? $_\n" }'
}

# check_exports TREE SYMVERS: fails unless the tree's Rust exports equal the
# vmlinux `_R` exports of SYMVERS; prints the counts per crate.
check_exports() {
    local tree=$1 symvers=$2 ours theirs
    ours=$(mktemp) theirs=$(mktemp)
    # shellcheck disable=SC2064
    trap "rm -f '$ours' '$theirs'" RETURN
    compgen -G "$tree/rust/exports_*_generated.h" >/dev/null ||
        die "$tree has no rust/exports_*_generated.h (modules_prepare did not build rust/)"
    cat "$tree"/rust/exports_*_generated.h | rust_symbols >"$ours"
    rust_symbols <"$symvers" >"$theirs"
    [ -s "$theirs" ] || die "$symvers exports no Rust symbols of vmlinux (is CONFIG_RUST=y in that kernel?)"
    stage "exports: comparing the tree's Rust exports with Debian's Module.symvers"
    local crate total_ours total_theirs only_ours only_theirs bad=0
    printf '  %-20s %8s %8s %8s %8s\n' crate tree debian "only-tree" "only-deb"
    for crate in $( (crate_of <"$ours"; crate_of <"$theirs") | awk '{print $1}' | LC_ALL=C sort -u); do
        total_ours=$(crate_of <"$ours" | awk -v c="$crate" '$1 == c' | wc -l)
        total_theirs=$(crate_of <"$theirs" | awk -v c="$crate" '$1 == c' | wc -l)
        only_ours=$(LC_ALL=C comm -23 "$ours" "$theirs" | crate_of | awk -v c="$crate" '$1 == c' | wc -l)
        only_theirs=$(LC_ALL=C comm -13 "$ours" "$theirs" | crate_of | awk -v c="$crate" '$1 == c' | wc -l)
        printf '  %-20s %8d %8d %8d %8d\n' "$crate" "$total_ours" "$total_theirs" "$only_ours" "$only_theirs"
        [ "$only_ours" -eq 0 ] && [ "$only_theirs" -eq 0 ] || bad=1
    done
    printf '  %-20s %8d %8d %8d %8d\n' all "$(wc -l <"$ours")" "$(wc -l <"$theirs")" \
        "$(LC_ALL=C comm -23 "$ours" "$theirs" | wc -l)" "$(LC_ALL=C comm -13 "$ours" "$theirs" | wc -l)"
    if [ "$bad" -ne 0 ]; then
        echo "  first differences (< only in the tree, > only in Debian's):"
        LC_ALL=C diff "$ours" "$theirs" | grep '^[<>]' | head -10 | sed 's/^/    /'
        die "the tree's Rust exports differ from Debian's Module.symvers: a module built here would not load (wrong rustc, RUSTC_FORCE_RUSTC_VERSION, bindgen or .config?)"
    fi
    # The C helpers the Rust code calls (rust_helper_*) depend on the
    # configuration only: equal sets say the .config is Debian's.
    local helpers_ours helpers_theirs
    helpers_ours=$(sed -n 's/^EXPORT_SYMBOL_RUST_GPL(\(rust_helper_[^)]*\));$/\1/p' "$tree"/rust/exports_*_generated.h | LC_ALL=C sort -u)
    helpers_theirs=$(awk -F'\t' '$3 == "vmlinux" && $2 ~ /^rust_helper_/ { print $2 }' "$symvers" | LC_ALL=C sort -u)
    [ "$helpers_ours" = "$helpers_theirs" ] ||
        die "the tree's rust_helper_* exports differ from Debian's ($(echo "$helpers_ours" | wc -l) here, $(echo "$helpers_theirs" | wc -l) there): the configuration differs"
    stage "exports: all $(wc -l <"$ours") Rust exports and $(echo "$helpers_ours" | wc -l) rust_helper_* exports equal Debian's"
}

# What a prepared tree holds; a tree of another format is prepared again. Bump it
# when this script changes what it leaves in the tree.
TREE_FORMAT=2
if [ -f "$KDIR/.vcrs-built" ] && [ "$(sed -n 's/^format //p' "$KDIR/.vcrs-built")" = "$TREE_FORMAT" ]; then
    stage "stock kernel: cached at $KDIR ($(head -1 "$KDIR/.vcrs-built"))"
    check_exports "$KDIR" "$KDIR/Module.symvers"
    echo "$KDIR"
    exit 0
fi

# --- Step 1: the packages. ---
apt_root="$CACHE_DIR/apt-$suite"
debs="$CACHE_DIR/debs-$kver"
mkdir -p "$apt_root/etc" "$apt_root/lists/partial" "$apt_root/cache/archives/partial" "$debs"
echo "deb $mirror $suite main" >"$apt_root/etc/sources.list"
# Only the private list directory and cache: the host's sources.list and
# sources.list.d are not read, its lists not touched. (No _apt sandbox user:
# it cannot write into a cache under root's home.)
APT_OPTS=(-o "Dir::Etc::sourcelist=$apt_root/etc/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$apt_root/lists" -o "Dir::Cache=$apt_root/cache"
    -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root -q)
t0=$(date +%s)
stage "stock kernel: apt lists of $suite ($mirror) in $apt_root"
apt-get "${APT_OPTS[@]}" update >/dev/null || die "apt-get update for $suite failed"

pkg_field() { apt-cache "${APT_OPTS[@]}" show "$1" 2>/dev/null | sed -n "0,/^$2: /s/^$2: //p"; }
pkg_exists() { [ -n "$(pkg_field "$1" Version)" ]; }

upstream=${kver%%[-+]*}
series=$(echo "$upstream" | cut -d. -f1,2)
headers=linux-headers-$kver
pkg_exists "$headers" || die "$headers is not in $suite"
headers_version=$(pkg_field "$headers" Version)
common=$(pkg_field "$headers" Depends | tr ',' '\n' | sed -n 's/^ *\(linux-headers-[^ ]*-common\) .*/\1/p' | head -1)
source_pkg=linux-source-$series
pkg_exists "$source_pkg" || die "$source_pkg is not in $suite"
source_version=$(pkg_field "$source_pkg" Version)
[ "$source_version" = "$headers_version" ] ||
    die "$source_pkg is $source_version but $headers is $headers_version: the source must match the headers"
if pkg_exists "linux-binary-$kver"; then image=linux-binary-$kver; else image=linux-image-$kver; fi
pkgs=("$source_pkg" "$headers" "$image")
[ -n "$common" ] && pkgs+=("$common")
# 7.x splits the image: linux-modules-KVER holds the modules, linux-base-KVER
# modules.builtin and the like (depmod needs them).
for p in "linux-modules-$kver" "linux-base-$kver"; do
    pkg_exists "$p" && pkgs+=("$p")
done
stage "stock kernel: downloading ${pkgs[*]} ($headers_version) into $debs"
(cd "$debs" && apt-get "${APT_OPTS[@]}" download "${pkgs[@]}" >/dev/null) || die "apt-get download failed"
stage "stock kernel: $(du -sh "$debs" | cut -f1) of packages"
stage_done "stock: download" "$t0"

deb_of() {
    local v
    v=$(pkg_field "$1" Version)
    find "$debs" -maxdepth 1 -name "$1_${v//:/%3a}_*.deb" | head -1
}

# --- Step 2: the tree. ---
rm -rf "$KDIR" "$KDIR.tmp"
mkdir -p "$KDIR.tmp/.deb" "$KDIR.tmp/vcrs-stock/root"
t0=$(date +%s)
stage "stock kernel: unpacking $source_pkg and $headers (log: $log)"
for p in "${pkgs[@]}"; do
    f=$(deb_of "$p")
    [ -n "$f" ] || die "no downloaded package for $p in $debs"
    case "$p" in
    "$image" | linux-modules-* | linux-base-*) dpkg-deb -x "$f" "$KDIR.tmp/vcrs-stock/root" ;;
    *) dpkg-deb -x "$f" "$KDIR.tmp/.deb" ;;
    esac
done
src_tar=$(ls "$KDIR.tmp/.deb/usr/src/$source_pkg".tar.*)
tar -xf "$src_tar" -C "$KDIR.tmp" --strip-components=1
hdr="$KDIR.tmp/.deb/$headers_rel"
[ -f "$hdr/.config" ] || die "$headers has no .config"
cp "$hdr/.config" "$KDIR.tmp/.config"
cp "$hdr/.config" "$KDIR.tmp/.config.debian"
mv "$KDIR.tmp" "$KDIR"
hdr="$KDIR/.deb/$headers_rel"

# The image and modules, where run-qemu.sh and build-initramfs.sh look.
mkdir -p "$stock"
vmlinuz=$(find "$stock/root" -name "vmlinuz*" -type f | head -1)
[ -n "$vmlinuz" ] || die "no vmlinuz in $image"
mv "$vmlinuz" "$stock/vmlinuz"
if [ -d "$stock/root/usr/lib/modules" ]; then
    mkdir -p "$stock/lib"
    mv "$stock/root/usr/lib/modules" "$stock/lib/modules"
elif [ -d "$stock/root/lib/modules" ]; then
    mv "$stock/root/lib" "$stock/lib"
fi
rm -rf "$stock/root"
[ -d "$stock/lib/modules/$kver/kernel" ] || die "no modules for $kver in the packages"
# The package leaves modules.dep to the installing system's depmod.
depmod -b "$stock" "$kver" || die "depmod of $kver's modules failed"
# The toolchain the .config names.
config_text() { sed -n "s/^$1=\"\\(.*\\)\"$/\\1/p" "$KDIR/.config.debian"; }
rustc_text=$(config_text CONFIG_RUSTC_VERSION_TEXT)
bindgen_text=$(config_text CONFIG_BINDGEN_VERSION_TEXT)
[ -n "$rustc_text" ] || die "the .config has no CONFIG_RUSTC_VERSION_TEXT: is CONFIG_RUST=y?"
rustc_version=$(echo "$rustc_text" | awk '{print $2}')
bindgen_version=$(echo "$bindgen_text" | awk '{print $2}')
# rustc hashes its full version string into every crate's symbol names; a
# distribution's rustc built from a source tarball says so in that string.
export RUSTC_FORCE_RUSTC_VERSION="${VCRS_RUSTC_FULL_VERSION:-${rustc_text#rustc }}"
rust_bin=$(rust_toolchain "$rustc_version")
bindgen_bin=$(private_bindgen "$bindgen_version")
pahole_bin=$(private_pahole)
if [ -z "${LIBCLANG_PATH:-}" ] && ! libclang_dir "$clang_major" >/dev/null; then
    private_llvm "$clang_major"
fi
pin_libclang "$clang_major"
PATH="$rust_bin:$bindgen_bin:$pahole_bin:$PATH"
export PATH
grep -q '^CONFIG_CC_IS_GCC=y' "$KDIR/.config" || die "this script prepares gcc-built kernels only"
stage "stock kernel: $(rustc --version) (RUSTC_FORCE_RUSTC_VERSION='$RUSTC_FORCE_RUSTC_VERSION'), $(bindgen --version), libclang $LIBCLANG_PATH, $(gcc --version | head -1), pahole $(pahole --version)"

kmake() { make -C "$KDIR" ARCH=x86_64 KERNELRELEASE="$kver" "$@"; }
{
    kmake rustavailable
    kmake olddefconfig
} >"$log" 2>&1 || { tail -30 "$log"; die "configuration failed, full log: $log"; }
grep -q '^CONFIG_RUST=y' "$KDIR/.config" || { tail -30 "$log"; die "CONFIG_RUST=y did not survive olddefconfig (rustc, bindgen or libclang refused? log: $log)"; }
# What olddefconfig changed with this host's compilers (the compiler's version
# and capability symbols): listed for the record, in TREE/.config.diff.
diff <(grep '^CONFIG_' "$KDIR/.config.debian" | sort) <(grep '^CONFIG_' "$KDIR/.config" | sort) \
    >"$KDIR/.config.diff" || true
stage "stock kernel: olddefconfig changed $(grep -c '^>' "$KDIR/.config.diff" || true) lines of Debian's .config (see $KDIR/.config.diff)"
grep '^[<>]' "$KDIR/.config.diff" | sed 's/^/  /' | head -40

stage "stock kernel: make modules_prepare with $(nproc) jobs"
if ! nice -n 10 make -C "$KDIR" ARCH=x86_64 KERNELRELEASE="$kver" -j"$(nproc)" modules_prepare >>"$log" 2>&1; then
    tail -40 "$log"
    die "modules_prepare failed, full log: $log"
fi
stage_done "stock: modules_prepare" "$t0"

# --- Step 3: Debian's exports and release. ---
cp "$hdr/Module.symvers" "$KDIR/Module.symvers"
cp "$hdr/include/config/kernel.release" "$KDIR/include/config/kernel.release" 2>/dev/null ||
    echo "$kver" >"$KDIR/include/config/kernel.release"
cp "$hdr/include/generated/utsrelease.h" "$KDIR/include/generated/utsrelease.h"
[ -f "$hdr/vmlinux" ] && cp "$hdr/vmlinux" "$KDIR/vmlinux"
[ "$(cat "$KDIR/include/config/kernel.release")" = "$kver" ] || die "kernel.release is not $kver"

# --- Step 4, then the toolchain file and the stamp. ---
check_exports "$KDIR" "$KDIR/Module.symvers"

# The project's Makefiles include this file when KDIR has it.
cat >"$KDIR/vcrs-toolchain.mk" <<EOF
# Written by scripts/stock-kernel.sh: the toolchain this tree was prepared with,
# for every module built against it. Debian's $kver was built with
# $(config_text CONFIG_CC_VERSION_TEXT), $rustc_text, $bindgen_text;
# C here with $(gcc --version | head -1).
export PATH := $rust_bin:$bindgen_bin:$pahole_bin:\$(PATH)
export RUSTC_FORCE_RUSTC_VERSION := $RUSTC_FORCE_RUSTC_VERSION
export LIBCLANG_PATH := $LIBCLANG_PATH
export LD_LIBRARY_PATH := ${LD_LIBRARY_PATH:-}
# The libclang major the tree's own bindings were generated with (gen-bindings.sh).
VCRS_LIBCLANG_MAJOR := $clang_major
EOF
echo "$clang_major" >"$KDIR/.vcrs-libclang-major"
rm -rf "$KDIR/.deb"
printf '%s %s\nrustc %s, bindgen %s, libclang %s\nformat %s\n' "$kver" "$headers_version" \
    "$RUSTC_FORCE_RUSTC_VERSION" "$bindgen_version" "$clang_major" "$TREE_FORMAT" >"$KDIR/.vcrs-built"
stage "stock kernel: prepared at $KDIR ($(du -sh "$KDIR" | cut -f1))"
echo "$KDIR"
