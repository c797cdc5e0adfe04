#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the guest initramfs: busybox, kcapi tools, cryptsetup, veritysetup,
# integritysetup, iproute2's ip, keyutils' keyctl and the shared libraries they need (all from
# Debian), the guest kernel's modules, the driver module(s), the guest test
# scripts from tests/guest and the static test programs from tests/guest-programs.
#   build-initramfs.sh KDIR OUTPUT.cpio MODULE.ko...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=$1 out=$2
shift 2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,mnt,lib64,usr/bin,vcrs/modules,vcrs/tests}
cp /bin/busybox "$root/bin/busybox"
# ip is iproute2's (netns, xfrm: busybox's applet has neither); guest scripts
# must call it as /usr/bin/ip, since busybox's sh runs its own applets first.
for tool in kcapi-enc kcapi-dgst kcapi-rng cryptsetup veritysetup integritysetup dmsetup vdpa ip openssl keyctl; do
    path=$(command -v "$tool") || die "$tool not installed: run scripts/setup.sh"
    cp "$path" "$root/usr/bin/"
    ldd "$path" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
        [ -f "$lib" ] || continue
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
done
# OpenSSL's afalg engine (AF_ALG with asynchronous I/O), for `openssl speed -engine afalg`.
engines=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engines/afalg.so" ] || die "OpenSSL's afalg engine missing in '$engines'"
mkdir -p "$root$engines"
cp "$engines/afalg.so" "$root$engines/"
# The dynamic loader must also be reachable at its canonical path.
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

# The guest kernel's modules (tcrypt, the C driver, vDPA), with their index. A
# distribution's set (a tree prepared by scripts/stock-kernel.sh: thousands of
# modules) gives only those the guest scripts load, with their dependencies,
# decompressed (busybox's modprobe and insmod read plain .ko files).
modroot=$(guest_modules_root "$kdir")
kver=$(ls "$modroot/lib/modules")
[ "$(echo "$kver" | wc -w)" = 1 ] || die "$modroot/lib/modules holds more than one release: $kver"
if [ "$(find "$modroot/lib/modules/$kver" -name '*.ko*' | head -1001 | wc -l)" -le 1000 ]; then
    cp -a "$modroot/lib" "$root/"
else
    # (What the 6.12 kernel has built in and a distribution builds as modules:
    # the templates the simulated device and IPsec instantiate too, ctr for
    # ctr(des3_ede), chacha for rfc7539, seqiv and echainiv for ESP.)
    GUEST_MODULES="authenc dm-crypt dm-verity dm-integrity brd loop tcrypt virtio_crypto crypto_engine
        vdpa virtio_vdpa vhost_iotlb xts gcm ccm ctr chacha chacha20poly1305 essiv cryptd cmac xcbc sha512 sha3
        md5 des3_ede seqiv echainiv geniv af_alg algif_skcipher algif_hash algif_aead algif_rng veth xfrm_user
        esp4 ah4 xfrm_algo pkcs8_key_parser"
    mkdir -p "$root/lib/modules/$kver"
    for f in modules.builtin modules.builtin.modinfo modules.order; do
        [ -f "$modroot/lib/modules/$kver/$f" ] && cp "$modroot/lib/modules/$kver/$f" "$root/lib/modules/$kver/"
    done
    for name in $GUEST_MODULES; do
        modprobe -d "$modroot" -S "$kver" --show-depends "$name" 2>/dev/null || true
    done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r ko; do
        rel=${ko#"$modroot"/}
        rel=${rel%.xz} rel=${rel%.zst} rel=${rel%.gz}
        mkdir -p "$root/$(dirname "$rel")"
        case "$ko" in
        *.xz) xz -dc "$ko" ;;
        *.zst) zstd -qdc "$ko" ;;
        *.gz) gzip -dc "$ko" ;;
        *) cat "$ko" ;;
        esac >"$root/$rel"
    done
fi
for ko in "$@"; do cp "$ko" "$root/vcrs/modules/"; done
# The driver also where `make install` puts it (extra/), so that modprobe finds
# it by name and by its alias, as on a user's system (qemu t-52).
mkdir -p "$root/lib/modules/$kver/extra"
for ko in "$@"; do
    case "$ko" in */virtio_crypto_rs.ko) cp "$ko" "$root/lib/modules/$kver/extra/" ;; esac
done
depmod -b "$root" "$kver"

make -s -C "$REPO_ROOT/tests/guest-programs" >/dev/null
mkdir -p "$root/vcrs/bin"
find "$REPO_ROOT/tests/guest-programs" -maxdepth 1 -type f -perm -u+x -exec cp {} "$root/vcrs/bin/" \;
cp -r "$REPO_ROOT"/tests/guest/* "$root/vcrs/tests/"
mv "$root/vcrs/tests/init" "$root/init"
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) >"$out"
