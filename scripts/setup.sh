#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs everything the project needs (with --bench also what the benchmark
# needs), idempotently: Debian packages, the rustup rust-src component and a
# pinned bindgen-cli. Safe to run repeatedly; a machine that already has
# everything does no network work.
# Usage: scripts/setup.sh [--bench | --help]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

BINDGEN_VERSION=0.73.2

# cryptsetup-bin gives the guest cryptsetup, veritysetup and integritysetup,
# dmsetup its dmsetup; iproute2 its ip (netns, xfrm). shellcheck and rstcheck
# are host checks of scripts/test.sh.
# libclang-19-dev is a second LLVM beside Debian 12's clang 14: Linux 7.x
# needs libclang 17 or later for its bindings, and with it installed every
# build checks that bindgen loads the libclang of the tree's own clang
# (pin_libclang in lib.sh), not the newest one.
APT_PACKAGES=(
    clang lld llvm libclang-dev libclang-19-dev
    qemu-system-x86 busybox-static kcapi-tools cryptsetup-bin dmsetup openssl keyutils
    flex bison bc libelf-dev libssl-dev cpio iproute2 xz-utils
    make python3 gcc libc6-dev kmod linux-source-6.12
    shellcheck rstcheck
)
# scripts/bench.sh also needs (setup.sh --bench) matplotlib for its plots and
# nettle (the library QEMU's builtin backend uses) for the device's ceiling.
if [ "${1:-}" = --bench ]; then
    APT_PACKAGES+=(python3-matplotlib nettle-dev)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    stage "apt-get install ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    stage "rustup component add rust-src"
    rustup component add rust-src
fi

if ! command -v bindgen >/dev/null 2>&1 || ! bindgen --version | grep -q " $BINDGEN_VERSION\$"; then
    stage "cargo install bindgen-cli@$BINDGEN_VERSION"
    cargo install --quiet --locked bindgen-cli --version "$BINDGEN_VERSION"
fi
stage "toolchain ready"
