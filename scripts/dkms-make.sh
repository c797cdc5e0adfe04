#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# DKMS's build command (dkms.conf): builds virtio_crypto_rs.ko for kernel
# release KVER in this directory.
#   dkms-make.sh KVER [--help]
# A Rust module needs the kernel's Rust metadata (rust/*.rmeta, libmacros.so)
# built by the compiler the kernel was built with:
#  - /lib/modules/KVER/build has it (a kernel built from source with
#    CONFIG_RUST=y, headers installed with the build tree): built against it;
#  - else a Debian kernel (KVER ends in -amd64, ...): scripts/stock-kernel.sh
#    prepares a tree from the matching linux-source package (downloads, in its
#    cache: ~/.cache/virtio-crypto-rs of the user DKMS runs as) and checks its
#    Rust exports against the kernel's Module.symvers;
#  - else it fails, saying what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

kver=${1:?usage: dkms-make.sh KVER}
build=/lib/modules/$kver/build
if [ -f "$build/rust/libmacros.so" ] && ls "$build"/rust/*.rmeta >/dev/null 2>&1; then
    kdir=$build
elif [[ "$kver" == *+deb* ]]; then
    kdir=$("$REPO_ROOT/scripts/stock-kernel.sh" "$kver" | sed -n '$p; $!w /dev/stderr')
else
    die "no Rust metadata in $build (rust/*.rmeta, libmacros.so) and $kver is not a Debian kernel: build the module with make KDIR=<that kernel's built tree> (Documentation/building.rst)"
fi
rm -f "$REPO_ROOT/virtio_crypto.o"
make -C "$REPO_ROOT" KDIR="$kdir"
