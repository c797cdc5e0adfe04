#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark (not part of the test command): this driver against the in-tree C
# driver (virtio_crypto.ko, bound in turn to the same QEMU device in the same
# boot) and the kernel's software implementations, with tcrypt's speed modes,
# tests/speed's vcrs_speed module (64 KiB requests, key setup, guest CPU time),
# OpenSSL's afalg engine and dm-crypt; plus the device's own ceiling (the
# library calls QEMU's builtin backend makes, timed on the host). Each part
# boots its own guest (under TCG when the host has no usable KVM):
#   qemu   QEMU's virtio-crypto-pci: cbc(aes): ours (every request on the device;
#          also with completions in the worker, and with its defaults), the C
#          driver and software, in an order that rotates per round, depths in
#          random order, a warm-up discarded after each switch, the submitter
#          on CPU 0 and the device's interrupt on CPU 0 or 1 in turn; the
#          device's ceiling measured on the host while the guest loads QEMU
#   sim    the simulated device with 1 and 4 data queues: every skcipher
#   ahash  tcrypt mode 400 on the simulated device
#   aead   tcrypt modes 211-213 and 215-217 on the simulated device
#   async  tcrypt mode 500 (every AES mode by name) on the simulated device
#   akcipher  raw RSA (2048, 4096 bits; public and private operations) and,
#          on 6.12, ECDSA P-256/P-384 verification on the simulated device
#          (whose work is the kernel's software: the ratio is the device
#          path's cost): ours, the C driver (rsa) and software, BENCH_ROUNDS
#          rounds in a rotating order
#   pbkdf2 PBKDF2's inner step (20-byte hmac(sha1), each waited for) 16,777,216
#          times through ours with its defaults on the simulated device,
#          against the kernel's own (1,048,576 times, scaled)
#   stock  the qemu part on Debian's unmodified 7.3 kernel (scripts/
#          stock-kernel.sh; the C driver completes in a BH workqueue there):
#          tcrypt, vcrs_speed and dm-crypt, no OpenSSL (AF_ALG reaches
#          neither driver on 7.2 and later); rows "qemu-7.3"
# Usage: scripts/bench.sh [--update-docs] [PART...]   (default: all eight parts)
#   --update-docs  also replace the committed pages in Documentation/benchmarks
#                  with this run's (results.rst, profile.txt, the plots; plots
#                  this run did not make are removed), once the report is
#                  written; BENCH_UPDATE_DOCS=1 does the same.
#   --help         this text.
# Environment: BENCH_ROUNDS rounds of the qemu part (default 7), BENCH_SIM_ROUNDS
# rounds of the others (default 1), BENCH_SECS seconds per measurement
# (default 1), BENCH_ALGS=all for every hash in the ahash part (default: six),
# BENCH_OUT where the tables and plots go (default out/bench; its report files
# of an earlier run are removed first).
# The report is BENCH_OUT/results.rst with its plots (targets from per-round
# paired ratios with bootstrap intervals: scripts/bench_paired.py); the raw lines go to
# out/bench-raw.txt, each part's console to out/guest-bench-PART.log; context
# switches and device interrupts per request of the qemu part's cpu rows to
# BENCH_OUT/profile.txt. Numbers under TCG compare with each other, not with
# hardware.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
help_option "$@"

update_docs=${BENCH_UPDATE_DOCS:-0}
parts=""
for arg in "$@"; do
    case "$arg" in
    --update-docs) update_docs=1 ;;
    -*) die "unknown option '$arg' (see scripts/bench.sh --help)" ;;
    *) parts="$parts $arg" ;;
    esac
done
parts=${parts# }
parts=${parts:-qemu sim ahash aead async akcipher pbkdf2 stock}
rounds=${BENCH_ROUNDS:-7}
sim_rounds=${BENCH_SIM_ROUNDS:-1}
secs=${BENCH_SECS:-1}
algs=${BENCH_ALGS:-some}
outdir=${BENCH_OUT:-$OUT_DIR/bench}
docs="$REPO_ROOT/Documentation/benchmarks"

"$REPO_ROOT/scripts/setup.sh" --bench
prepare_guest
raw="$OUT_DIR/bench-raw.txt"
notes="$OUT_DIR/bench-software.txt"
profile="$OUT_DIR/bench-profile.txt"
pbkdf2="$OUT_DIR/bench-pbkdf2.txt"
: >"$pbkdf2"
akcipher="$OUT_DIR/bench-akcipher.txt"
: >"$akcipher"
: >"$raw"
: >"$notes"
: >"$profile"
start=$(date +%s)
# The host's own steal time (this machine may itself be a virtual machine):
# the report says how much of the run the outer host took away.
host_steal() { awk '$1 == "cpu" { print $9 + 0 }' /proc/stat; }
steal0=$(host_steal)

# device_of_part PART: the device name of the part's qemu rows (qemu, or
# qemu-X.Y on the stock kernel: the guest names them so too).
device_of_part() {
    case "$1" in
    stock) basename "$stock_kdir" | sed -E 's/^linux-stock-([0-9]+\.[0-9]+).*/qemu-\1/' ;;
    *) echo qemu ;;
    esac
}

# ceiling_watcher RESULTS DEVICE: while the qemu part runs, measures the
# device's ceiling on the host (scripts/device-ceiling.sh's program, 0.4 s per
# size and direction: about 7 s) each time the guest says "VCRS-CEILING start ROUND" on its results
# port, while the guest keeps QEMU's device busy with 64 KiB requests (the
# contention the guest's own fastest rows run under). Its rows are impl
# ceiling-loaded of device host, with DEVICE's round numbers.
ceiling_watcher() {
    local line round
    tail -F -n +1 "$1" 2>/dev/null | tr -d '\r' | while read -r line; do
        case "$line" in
        "VCRS-CEILING start "*) ;;
        *) continue ;;
        esac
        round=${line##* }
        "$OUT_DIR/device-ceiling" 0.4 "$round" 2>/dev/null |
            sed -n "s/^VCRS-BENCH host ceiling /VCRS-BENCH host ceiling-loaded /p" |
            sed "s/^VCRS-BENCH host /VCRS-BENCH host-$2 /" >>"$raw"
    done
}

# The stock part's kernel tree, module and initramfs, built once before any
# guest runs.
if [[ " $parts " == *" stock "* ]]; then
    stock_kdir=$(guest_kernel stock)
    build_guest "$stock_kdir" "$OUT_DIR/module-build-stock.log" "$OUT_DIR/initramfs-stock.cpio"
fi
for part in $parts; do
    log="$OUT_DIR/guest-bench-$part.log"
    r=$sim_rounds devices=none kdir=$KDIR initramfs="$OUT_DIR/initramfs.cpio" guest_part=$part
    if [ "$part" = qemu ] || [ "$part" = stock ] || [ "$part" = akcipher ]; then
        r=$rounds
    fi
    if [ "$part" = qemu ] || [ "$part" = stock ]; then
        devices=""
    fi
    if [ "$part" = stock ]; then
        kdir=$stock_kdir initramfs="$OUT_DIR/initramfs-stock.cpio" guest_part=qemu
    fi
    stage "bench part $part ($r round(s), console in $log)"
    rc=0 watcher=""
    if [ "$guest_part" = qemu ]; then
        # Built (with its packages) now, so that each measurement starts at
        # once and ends within the guest's 12-second load.
        "$REPO_ROOT/scripts/device-ceiling.sh" 0.01 0 >/dev/null
        ceiling_watcher "$log.results" "$(device_of_part "$part")" &
        watcher=$!
    fi
    VCRS_QEMU_DEVICES=${devices:-} "$REPO_ROOT/scripts/run-qemu.sh" "$kdir" "$initramfs" \
        "$log" 7200 vcrs.mode=bench "vcrs.part=$guest_part" "vcrs.rounds=$r" "vcrs.secs=$secs" "vcrs.algs=$algs" || rc=$?
    if [ -n "$watcher" ]; then
        pkill -P "$watcher" 2>/dev/null || true
        kill "$watcher" 2>/dev/null || true
        wait "$watcher" 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ] || ! grep -aq '^VCRS-DONE' "$log"; then
        tail -20 "$log"
        die "bench part $part: the guest failed (QEMU exit $rc)"
    fi
    # The C driver also registers RSA, which fails its self-test on QEMU's
    # builtin backend (no raw RSA padding) with a WARNING and a call trace
    # (6.12: "WARNING: CPU: 0 PID: ... at crypto/testmgr.c:...", 7.3: "WARNING:
    # crypto/testmgr.c:... at alg_test..."); that one is expected. Anything
    # else (a failed self-test of ours too) is not.
    if grep -aE "$BAD_LOG_PATTERNS" "$log" | grep -av 'virtio-crypto-rsa\|alg: akcipher: \|crypto/testmgr.c:\|Call Trace'; then
        die "bench part $part: the guest kernel log shows problems: $log"
    fi
    # The guest writes its lines to the second serial port too, where kernel
    # messages cannot cut into them.
    grep -a '^VCRS-BENCH\|^VCRS-ROUND' "$log.results" | tr -d '\r' >>"$raw" || true
    grep -a '^VCRS-SOFTWARE' "$log.results" | tr -d '\r' >>"$notes" || true
    grep -a '^VCRS-PROFILE' "$log.results" | tr -d '\r' >>"$profile" || true
    grep -a '^VCRS-PBKDF2' "$log.results" | tr -d '\r' >>"$pbkdf2" || true
    grep -a '^VCRS-AKCIPHER' "$log.results" | tr -d '\r' >>"$akcipher" || true
    if grep -a '^VCRS-AKCIPHER failed' "$log.results"; then
        die "bench part $part: a measurement failed: $log"
    fi
    grep -a '^== part' "$log" | tr -d '\r'
done
if [[ " $parts " == *" qemu "* ]]; then
    stage "the device's ceiling: QEMU's library calls on the host"
    for round in $(seq 1 "$rounds"); do
        "$REPO_ROOT/scripts/device-ceiling.sh" "$secs" "$round" | grep '^VCRS-BENCH' >>"$raw"
    done
fi
took=$((($(date +%s) - start) / 60))
steal=$((($(host_steal) - steal0) / $(getconf CLK_TCK)))
meta="Measured with scripts/bench.sh ($parts) on $(date -u +%Y-%m-%d), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)$(git -C "$REPO_ROOT" diff --quiet HEAD || echo '+changes'),\
 in ${took} min: guests under $(cat "$CACHE_DIR"/accel-* 2>/dev/null | head -1 | tr '[:lower:]' '[:upper:]') with 2 vCPUs on a $(nproc)-core host, $(qemu-system-x86_64 --version | head -1 | sed 's/ (.*//; s/QEMU emulator version/QEMU/'),\
 ${rounds} round(s) of the qemu part and ${sim_rounds} of the others, ${secs} s per measurement; median (min-max) over the rounds. The host's steal time during the run (time its own hypervisor gave to others): ${steal} s of CPU."
# Our requests that ran in software during a measurement of ours (so that
# measurement is not the device's): the guest notes each such run.
if [ -s "$notes" ]; then
    meta="$meta Measurements of ours during which some of our requests ran in software instead of on the device: $(wc -l <"$notes") ($(cut -d' ' -f2- "$notes" | head -3 | tr '\n' ';' | sed 's/;$//')...)."
else
    meta="$meta None of our requests ran in software during the measurements of ours (the driver's debugfs counters)."
fi
# The report's files of an earlier run go first: no stale plot stays beside it.
mkdir -p "$outdir"
rm -f "$outdir/results.rst" "$outdir/profile.txt" "$outdir/pbkdf2.txt" "$outdir/akcipher.txt" "$outdir"/*.png
# (A run of the pbkdf2 part alone has no table.)
if grep -q '^VCRS-BENCH' "$raw"; then
    "$REPO_ROOT/scripts/bench-report.py" "$raw" "$outdir" --meta "$meta"
fi
# Context switches and device interrupts per request (qemu part, cpu rows),
# and the pbkdf2 part's times.
cp "$profile" "$outdir/profile.txt"
if [ -s "$pbkdf2" ]; then
    awk '$2 == "software" { sw = $4 / $3 } $2 == "rust-default" { n = $3; ours = $4 }
        { print }
        END { if (sw > 0 && n > 0) printf "PBKDF2 step x %d: ours %.0f s, software %.0f s (scaled from its run), ours/software %.2f\n", n, ours, sw * n, ours / (sw * n) }' \
        "$pbkdf2" | tee "$outdir/pbkdf2.txt"
fi
if [ -s "$akcipher" ]; then
    "$REPO_ROOT/scripts/bench_akcipher.py" "$akcipher" | tee "$outdir/akcipher.txt"
fi
stage "benchmark done: $outdir/results.rst"
if [ "$update_docs" = 1 ] && [ "$(realpath "$outdir")" != "$(realpath "$docs")" ]; then
    rm -f "$docs/results.rst" "$docs/profile.txt" "$docs/pbkdf2.txt" "$docs/akcipher.txt" "$docs"/*.png
    cp "$outdir/results.rst" "$outdir/profile.txt" "$docs/"
    [ ! -s "$outdir/pbkdf2.txt" ] || cp "$outdir/pbkdf2.txt" "$docs/"
    [ ! -s "$outdir/akcipher.txt" ] || cp "$outdir/akcipher.txt" "$docs/"
    find "$outdir" -maxdepth 1 -name '*.png' -exec cp -t "$docs" {} +
    stage "committed pages updated: $docs (review with git status and git diff)"
fi
