# SPDX-License-Identifier: GPL-2.0
# The guest half of scripts/bench.sh: one part of the benchmark per boot,
# chosen on the kernel command line (vcrs.part=qemu|sim|ahash|aead|async,
# vcrs.rounds=N, vcrs.secs=S, vcrs.algs=all|some). Every measurement prints
#   VCRS-BENCH DEVICE IMPL KIND ALG DIR SIZE DEPTH ROUND MB/s OPS/s CPU-ns/op
# (scripts/bench-report.py turns them into tables and plots). IMPL is rust
# (this driver, every request on the device: sync_software_below=0), c (the
# in-tree virtio_crypto.ko on the same device) or software (neither driver
# loaded: the kernel's generic code); the qemu part also measures rust-worker
# (ours with complete_in_softirq=0: the completion path's A/B) and
# rust-default (ours with its default parameters: what a user gets). The
# qemu part rotates the order of the implementations from round to round,
# draws the order of the depths at random in each, discards a warm-up
# measurement after each switch, and pins the submitting thread to CPU 0 and
# the device's interrupt to CPU 0 (odd rounds, "same") or CPU 1 (even rounds,
# "cross"): "VCRS-ROUND DEVICE ROUND PLACEMENT ORDER" says which.
# shellcheck source=lib.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/lib.sh

arg() { sed -n "s/.*vcrs\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
PART=$(arg part)
ROUNDS=$(arg rounds)
SECS=$(arg secs)
ALGS=$(arg algs)
DEPTHS="1 8 32"
SPEED=/vcrs/modules/vcrs_speed.ko
SIM=/sys/module/vcrs_sim/parameters

# emit DEVICE IMPL KIND ALG DIR SIZE DEPTH ROUND MBPS OPS CPU
emit() { echo "VCRS-BENCH $*"; }

# software_ops: requests our transforms ran in software so far (debugfs, every
# service, chained ones included; 0 without our module).
software_ops() {
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null |
        awk '$1 ~ /_ops$/ && $1 != "multipart_ops" { n += $5 } END { print n + 0 }'
}

# note_software IMPL BEFORE WHAT: for our driver with every request on the
# device (rust, rust-worker), reports requests of WHAT that ran in software
# instead (they would not measure the device).
note_software() {
    local n
    case "$1" in rust | rust-worker) ;; *) return 0 ;; esac
    n=$(($(software_ops) - $2))
    [ "$n" -eq 0 ] || echo "VCRS-SOFTWARE $n of our requests ran in software: $3" >&2
}

# logged_run IMPL WHAT COMMAND...: runs COMMAND (a module load that logs its
# results and then fails with EAGAIN on purpose), notes the requests of ours
# that ran in software meanwhile (on stderr), and prints the kernel log from
# COMMAND on, then "VCRS-EXIT <COMMAND's error message>".
logged_run() {
    local impl=$1 what=$2 mark soft out
    shift 2
    # busybox's date has no %N: the uptime (10 ms) and a random number.
    # shellcheck disable=SC3028 # busybox's ash has $RANDOM (dash, which shellcheck checks it as, has not)
    mark="bench-$(cut -d' ' -f1 /proc/uptime)-$RANDOM"
    log_mark "$mark"
    soft=$(software_ops)
    out=$("$@" 2>&1)
    note_software "$impl" "$soft" "$what $*"
    log_since "$mark" | tr -d '\r'
    echo "VCRS-EXIT $out" | tr '\n' ' '
    echo
}

# The awk functions the log parsers share: whether driver DRV is the
# implementation IMPL stands for (a measurement of another one is reported as
# failed), and one output line.
# shellcheck disable=SC2016 # awk's $fields, not the shell's
BENCH_AWK_LIB='
function driver_ok(drv) {
    if (impl ~ /^rust/) return drv ~ /virtio-rs/
    if (impl == "c") return drv ~ /virtio_crypto/
    return drv !~ /virtio/
}
function out(alg, dir, size, depth, mbps, ops, cpu) {
    printf "VCRS-BENCH %s %s %s %s %s %s %s %s %s %s %s\n", dev, impl, kind, alg, dir, size, depth, round, mbps, ops, cpu
}
# The run did not end with EAGAIN (tcrypt and vcrs_speed fail on purpose with
# it when everything ran): one failed row says so.
/^VCRS-EXIT / && $0 !~ /Resource temporarily unavailable/ { out(label, "-", 0, depth, "failed", "-", "-") }
'

# tcrypt_speed DEVICE IMPL ROUND DEPTH KIND LABEL ARGS...: loads tcrypt with
# ARGS (a speed mode) and emits one line per measurement it logged, the
# algorithm named LABEL (or, for "-", by the name tcrypt logged and the key
# length in bits). tcrypt logs
# "testing speed of [multibuffer|async] NAME (DRIVER) encryption|decryption",
# then per size "test N (K bit key, S byte blocks): " and, with pr_cont (so
# another kernel message may come between), "X operations in T seconds (B
# bytes)" (skcipher, aead) or, for ahash, "test N (S byte blocks, P bytes per
# update, U updates): " and "X opers/sec, B bytes/sec" (only one-update rows,
# the one-shot digests, are kept). A size whose result never comes, a failed
# setkey or request, a transform that does not load: failed rows.
tcrypt_speed() {
    local device=$1 impl=$2 round=$3 depth=$4 kind=$5 label=$6
    shift 6
    logged_run "$impl" "$device $kind" tcrypt "$@" | awk -v dev="$device" -v impl="$impl" -v round="$round" \
        -v depth="$depth" -v kind="$kind" -v label="$label" "$BENCH_AWK_LIB"'
        function emit(mbps, ops) {
            if (!ok) { mbps = "failed"; ops = "-" }
            out(label != "-" ? label : alg, dir, size, depth, mbps, ops, "-")
            pending = 0
        }
        function drop() { if (pending) emit("failed", "-") }
        /testing speed of/ {
            drop()
            sub(/.*testing speed of (multibuffer |async )?/, "")
            name = $1; drv = $2; gsub(/[()]/, "", drv)
            dir = ($3 ~ /^decrypt/) ? "dec" : ($3 ~ /^encrypt/) ? "enc" : "digest"
            ok = driver_ok(drv)
            next
        }
        / bit key, [0-9]+ byte blocks\): / {
            drop()
            match($0, /[0-9]+ bit key/); alg = name "-" (substr($0, RSTART, RLENGTH) + 0)
            match($0, /[0-9]+ byte blocks/); size = substr($0, RSTART, RLENGTH) + 0
            pending = 1
        }
        / byte blocks, *[0-9]+ bytes per update, *[0-9]+ updates\): / {
            drop()
            if ($0 ~ /, *1 updates\): /) {
                match($0, /[0-9]+ byte blocks/); size = substr($0, RSTART, RLENGTH) + 0
                alg = name
                pending = 1
            }
        }
        pending && / [0-9]+ operations in [0-9]+ seconds \([0-9]+ bytes\)/ {
            match($0, /[0-9]+ operations in [0-9]+ seconds \([0-9]+ bytes/)
            split(substr($0, RSTART, RLENGTH), f, /[ (]+/)
            if (f[4] > 0) emit(sprintf("%.2f", f[6] / f[4] / 1e6), sprintf("%.0f", f[1] / f[4]))
            next
        }
        pending && /[0-9]+ opers\/sec, *[0-9]+ bytes\/sec/ {
            match($0, /[0-9]+ opers\/sec, *[0-9]+ bytes\/sec/)
            split(substr($0, RSTART, RLENGTH), f, /[ ,]+/)
            emit(sprintf("%.2f", f[3] / 1e6), f[1])
            next
        }
        /tcrypt: .*(failed|error)/ { drop() }
        /failed to load transform for/ { dir = "-"; size = 0; alg = label; ok = 0; pending = 1; drop() }
        /^VCRS-EXIT / { drop() }'
}

# speed_module DEVICE IMPL ROUND DEPTH KIND LABEL ARGS...: loads vcrs_speed
# (tests/speed: the multi-buffer loop of tcrypt's mode 600 for sizes tcrypt
# has not, and key-setup rates; it measures the guest's busy CPU time too)
# with ARGS and emits its lines; LABEL names the algorithm in the output. Its
# "... failed ..." lines become failed rows.
speed_module() {
    local device=$1 impl=$2 round=$3 depth=$4 kind=$5 label=$6
    shift 6
    logged_run "$impl" "$device $kind" insmod_once "$SPEED" "$@" round="$round" | awk -v dev="$device" -v impl="$impl" \
        -v round="$round" -v depth="$depth" -v kind="$kind" -v label="$label" "$BENCH_AWK_LIB"'
        /vcrs_speed: / { sub(/.*vcrs_speed: /, "") }
        $1 == "mb" && NF == 9 && $8 > 0 {
            mbps = driver_ok($2) ? sprintf("%.2f", $4 * $7 / $8 / 1000) : "failed"
            out(label, $3, $4, $5, mbps, sprintf("%.0f", $7 * 1000 / $8), $9)
            next
        }
        $1 == "keys" && NF == 7 && $6 > 0 {
            out(label, "setkey", 16, 1, "-", driver_ok($2) ? sprintf("%.0f", $5 * 1000 / $6) : "failed", $7)
            next
        }
        /failed|cannot/ && !/^VCRS-EXIT/ { out(label, "-", 0, depth, "failed", "-", "-") }'
}

# skcipher_rows DEVICE IMPL ROUND DRIVER KEYLEN LABEL: the multi-buffer rows of
# one skcipher for each depth (in the order of $DEPTHS): tcrypt mode 600 (16 B
# to 4 KiB) and vcrs_speed (8 and 64 KiB; on QEMU's device, for rust, c and
# software, at 16 B and 4 KiB also the guest CPU time per request: the
# simulated device's work is guest CPU time too).
skcipher_rows() {
    local device=$1 impl=$2 round=$3 drv=$4 klen=$5 label=$6 depth
    for depth in $DEPTHS; do
        tcrypt_speed "$device" "$impl" "$round" "$depth" mb "$label" mode=600 alg="$drv" klen="$klen" \
            num_mb="$depth" sec="$SECS"
        speed_module "$device" "$impl" "$round" "$depth" mb "$label" alg="$drv" klen="$klen" \
            num_mb="$depth" secs="$SECS" sizes=8192,65536
        case "$device:$impl" in
        qemu*:rust | qemu*:c | qemu*:software) profiled "$impl" "$depth" speed_module "$device" "$impl" "$round" \
            "$depth" cpu "$label" alg="$drv" klen="$klen" num_mb="$depth" secs="$SECS" sizes=16,4096 ;;
        esac
    done
}

# profiled IMPL DEPTH COMMAND...: runs COMMAND (which prints VCRS-BENCH lines
# with operations per second, one second each) and passes its lines on; then
# prints the guest's context switches and the QEMU device's interrupts per
# operation over the whole run (where the time per request goes).
profiled() {
    local impl=$1 depth=$2 ctxt irqs out
    shift 2
    ctxt=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
    irqs=$(device_irqs)
    out=$("$@")
    echo "$out"
    echo "$out" | awk -v impl="$impl" -v depth="$depth" -v c0="$ctxt" -v i0="$irqs" \
        -v c1="$(awk '$1 == "ctxt" { print $2 }' /proc/stat)" -v i1="$(device_irqs)" '
        $1 == "VCRS-BENCH" && $11 ~ /^[0-9]+$/ { ops += $11 }
        END { if (ops > 0) printf "VCRS-PROFILE %s depth %s: %.2f context switches and %.2f device interrupts per request (%d requests)\n", impl, depth, (c1 - c0) / ops, (i1 - i0) / ops, ops }'
}

# use_rust / use_rust_worker / use_rust_default / use_c / use_software: makes
# IMPL the one loaded (on every device), with its parameters.
PARAMS=/sys/module/virtio_crypto_rs/parameters
use_rust() {
    rmmod virtio_crypto 2>/dev/null
    grep -q "^$DRIVER_NAME " /proc/modules || insmod "$MOD" sync_software_below=0
    echo 1 >$PARAMS/complete_in_softirq
    echo 0 >$PARAMS/sync_software_below
}
use_rust_worker() {
    use_rust
    echo 0 >$PARAMS/complete_in_softirq
}
use_rust_default() {
    use_rust
    echo -1 >$PARAMS/sync_software_below
}
use_c() {
    rmmod "$DRIVER_NAME" 2>/dev/null
    modprobe virtio_crypto
}
# Template instances over ours (tcrypt's rfc4106(gcm-aes-virtio-rs)...) hold
# our module: they go first (crypto_delalg; nested ones in a second pass).
use_software() {
    local _pass drv
    for _pass in 1 2 3; do
        awk '/^driver/ { d = $3 } /^module/ && $3 == "kernel" { print d }' /proc/crypto |
            grep 'virtio-rs' | sort -u | while read -r drv; do
            crypto_delalg "$drv" >/dev/null 2>&1
        done
    done
    rmmod "$DRIVER_NAME" virtio_crypto 2>/dev/null
    if grep -q "^$DRIVER_NAME " /proc/modules; then
        echo "use_software: $DRIVER_NAME is still loaded (in use): software rows will be failed rows"
    fi
}

# device_irqs: interrupts the QEMU device has raised so far (all CPUs).
device_irqs() { awk '/virtio0-virtqueues/ { for (i = 2; i <= 3; i++) n += $i } END { print n + 0 }' /proc/interrupts; }

# openssl_rows DEVICE IMPL ROUND: OpenSSL's afalg engine (AF_ALG, asynchronous
# I/O) for AES-128-CBC with 1 and 4 processes; AF_ALG's "cbc(aes)" gives the
# driver loaded. A row counts only if the device raised interrupts meanwhile:
# OpenSSL may serve the cipher itself instead (with no driver loaded it did,
# faster than the kernel's generic code can under TCG), so there are no
# software rows here.
openssl_rows() {
    local device=$1 impl=$2 round=$3 procs size out bps irqs mbps
    for procs in 1 4; do
        for size in 4096 65536; do
            irqs=$(device_irqs)
            out=$(openssl speed -engine afalg -evp aes-128-cbc -seconds "$SECS" -multi "$procs" -mr -bytes "$size" 2>/dev/null)
            bps=$(echo "$out" | sed -n 's/^+F:[0-9]*:[^:]*:\([0-9.]*\)$/\1/p' | tail -1)
            [ -n "$bps" ] || bps=0
            mbps=$(awk -v b="$bps" 'BEGIN { print (b > 0) ? sprintf("%.2f", b / 1e6) : "failed" }')
            if [ "$(device_irqs)" = "$irqs" ]; then
                echo "openssl $procs x $size B ($impl): no device interrupts, not counted"
                mbps=failed
            fi
            emit "$device" "$impl" openssl "cbc(aes)-128" enc "$size" "$procs" "$round" "$mbps" \
                "$(awk -v b="$bps" -v s="$size" 'BEGIN { printf "%.0f", b / s }')" -
        done
    done
}

# dmcrypt_rows DEVICE IMPL ROUND: a plain dm-crypt mapping of a RAM disk
# (aes-cbc-essiv:sha256, 4 KiB sectors): 64 MiB written, then read, with
# O_DIRECT, in blocks of 4 KiB, 64 KiB and 1 MiB (timed by /proc/uptime, to
# 10 ms). For our driver, a row counts only if its requests reached the device
# (debugfs) and none ran in software.
dmcrypt_rows() {
    local device=$1 impl=$2 round=$3 bs count start end dir reqs soft mbps
    head -c 32 /dev/zero | tr '\0' k >/tmp/dm.key
    cryptsetup -q open --type plain --cipher aes-cbc-essiv:sha256 --key-size 256 --sector-size 4096 \
        --key-file /tmp/dm.key /dev/ram0 bench || { emit "$device" "$impl" dmcrypt aes-cbc-essiv write 4096 1 "$round" failed - -; return; }
    for bs in 4096 65536 1048576; do
        count=$((67108864 / bs))
        for dir in write read; do
            reqs=$(our_requests)
            soft=$(software_ops)
            start=$(cut -d' ' -f1 /proc/uptime)
            if [ $dir = write ]; then
                dd if=/dev/zero of=/dev/mapper/bench bs="$bs" count="$count" oflag=direct 2>/dev/null
            else
                dd if=/dev/mapper/bench of=/dev/null bs="$bs" count="$count" iflag=direct 2>/dev/null
            fi
            end=$(cut -d' ' -f1 /proc/uptime)
            mbps=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (e > s) ? 67.108864 / (e - s) : 0 }')
            if [ "$impl" = rust ] && { [ "$(our_requests)" -le "$reqs" ] || [ "$(software_ops)" != "$soft" ]; }; then
                echo "dm-crypt $dir $bs: our driver did not serve it all on the device"
                mbps=failed
            fi
            emit "$device" "$impl" dmcrypt aes-cbc-essiv "$dir" "$bs" 1 "$round" "$mbps" \
                "$(awk -v s="$start" -v e="$end" -v c="$count" 'BEGIN { printf "%.0f", (e > s) ? c / (e - s) : 0 }')" -
        done
    done
    cryptsetup close bench
}

# place PLACEMENT: pins the device's interrupts (QEMU's virtio0) to CPU 0
# (same: where the submitter runs) or CPU 1 (cross); the submitter runs on
# CPU 0 (part_qemu pins its shell, whose children, the insmod that runs tcrypt
# or vcrs_speed, inherit it).
place() {
    local cpu=0
    [ "$1" = cross ] && [ "$(nproc)" -gt 1 ] && cpu=1
    awk -F: '/virtio0-/ { gsub(/ /, "", $1); print $1 }' /proc/interrupts | while read -r irq; do
        echo "$cpu" >"/proc/irq/$irq/smp_affinity_list" 2>/dev/null ||
            echo "place: cannot move interrupt $irq to CPU $cpu"
    done
}

# rotate N WORDS...: the words, starting at the Nth (1-based), wrapping round.
rotate() {
    local n=$1
    shift
    echo "$@" | awk -v n="$n" '{ k = (n - 1) % NF; for (i = 0; i < NF; i++) printf "%s%s", $((k + i) % NF + 1), (i < NF - 1 ? " " : "\n") }'
}

# warm_up DRIVER: one discarded measurement (4 KiB, 8 in flight, 1 s) after a
# switch of implementation, so that no measured row is the first one after it.
warm_up() {
    insmod_once "$SPEED" alg="$1" klen=16 num_mb=8 secs=1 sizes=4096 round=0 >/dev/null 2>&1
}

# QEMU's device: cbc(aes), the one algorithm both drivers offer. On the
# project's 6.12 kernel its rows are "qemu"; on another (scripts/bench.sh's
# stock part: Debian's 7.3) "qemu-X.Y", without OpenSSL's rows since AF_ALG
# reaches no asynchronous driver from 7.2 on (tcrypt, vcrs_speed and dm-crypt
# are in-kernel users), and with the kernel's software cbc(aes) by its name
# there (6.12 cbc(aes-generic), 7.x cbc-aes-lib). The implementations in an
# order that rotates from round to round, the depths in a random order; the
# OpenSSL, dm-crypt and key-setup rows in the first round only. After rust's
# rows of each round, "VCRS-CEILING start ROUND" asks the host to measure the
# device's ceiling while the guest keeps QEMU as busy as its fastest 64 KiB
# decryption does (scripts/bench.sh), until "VCRS-CEILING end".
part_qemu() {
    local round impl dev=qemu soft="cbc(aes-generic)" afalg=1 placement order shell
    shell=$(sh -c 'echo $PPID')
    taskset -p -c 0 "$shell" >/dev/null
    case "$(uname -r)" in
    6.12.*) ;;
    *)
        dev=qemu-$(uname -r | cut -d. -f1-2)
        afalg=0
        soft=cbc-aes-lib
        ;;
    esac
    for round in $(seq 1 "$ROUNDS"); do
        placement=same
        [ $((round % 2)) -eq 0 ] && placement=cross
        place "$placement"
        order=$(rotate "$round" rust rust-worker rust-default c software)
        DEPTHS=$(printf '1\n8\n32\n' | shuf | tr '\n' ' ')
        emit_round "$dev" "$round" "$placement" "$order / depths $DEPTHS"
        for impl in $order; do
            "use_$(echo "$impl" | tr - _)"
            case $impl in
            rust*) drv=cbc-aes-virtio-rs ;;
            c) drv=virtio_crypto_aes_cbc ;;
            software) drv=$soft ;;
            esac
            [ "$impl" = software ] || [ "$(wait_selftest "$drv")" = passed ] || {
                emit "$dev" "$impl" mb "cbc(aes)-128" enc 16 1 "$round" failed - -
                continue
            }
            warm_up "$drv"
            skcipher_rows "$dev" "$impl" "$round" "$drv" 16 "cbc(aes)-128"
            if [ "$impl" = rust ]; then
                ceiling_load "$drv" "$round"
            fi
            [ "$round" = 1 ] || continue
            case $impl in
            rust | c) speed_module "$dev" "$impl" "$round" 1 keys "cbc(aes)-128" \
                alg="$drv" klen=16 mode=keys secs="$SECS" ;;
            esac
            case $impl in
            rust | c) [ $afalg = 0 ] || openssl_rows "$dev" "$impl" "$round" ;;
            esac
            case $impl in
            rust | software) dmcrypt_rows "$dev" "$impl" "$round" ;;
            esac
        done
    done
    taskset -p -c "0-$(($(nproc) - 1))" "$shell" >/dev/null
    use_software
}

# emit_round DEVICE ROUND PLACEMENT ORDER: the conditions of one round.
emit_round() { echo "VCRS-ROUND $1 $2 $3 $4"; }

# ceiling_load DRIVER ROUND: keeps QEMU's device busy with 64 KiB decryptions,
# 32 in flight, for 12 s while the host measures the device's ceiling
# (scripts/bench.sh: "VCRS-CEILING start ROUND" on the results port); the
# guest's own numbers are discarded.
ceiling_load() {
    echo "VCRS-CEILING start $2" >/dev/ttyS1
    insmod_once "$SPEED" alg="$1" klen=16 num_mb=32 secs=6 sizes=65536 round=0 >/dev/null 2>&1
    echo "VCRS-CEILING end $2" >/dev/ttyS1
}

# sim_device QUEUES SERVICES CHAINING: (re)creates the simulated device "bench"
# with QUEUES data queues and the given services.
sim_device() {
    vdpa dev del bench 2>/dev/null
    modprobe vdpa_sim
    modprobe virtio_vdpa
    grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
    echo "$1" >$SIM/data_queues
    echo "$2" >$SIM/services
    echo "$3" >$SIM/chaining
    vdpa dev add mgmtdev vdpasim_crypto name bench
}

# settle_ours: once our module is loaded on a device, waits until the number of
# our registered algorithms stopped growing (2 s without change, at most 120 s)
# and all of them passed their self-tests (printing those that did not): the
# self-tests of algorithms not measured yet would otherwise share the device
# and the CPU with the first measurements.
settle_ours() {
    local n=-1 now i=0
    while [ $i -lt 60 ]; do
        now=$(grep -c '^module *: virtio_crypto_rs' /proc/crypto)
        [ "$now" -gt 0 ] && [ "$now" = "$n" ] && break
        n=$now
        sleep 2
        i=$((i + 1))
    done
    wait_our_selftests
}

# wait_ours DRIVER...: until each of our DRIVERs is registered and passed its
# self-tests; prints the ones that did not.
wait_ours() {
    local drv
    for drv in "$@"; do
        wait_registered "$drv" 120 && [ "$(wait_selftest "$drv")" = passed ] || echo "$drv"
    done
}

SKCIPHERS="
cbc(aes)-128 cbc-aes-virtio-rs cbc(aes-generic) 16
ecb(aes)-128 ecb-aes-virtio-rs ecb(aes-generic) 16
ctr(aes)-128 ctr-aes-virtio-rs ctr(aes-generic) 16
xts(aes)-256 xts-aes-virtio-rs xts(ecb(aes-generic)) 32
cbc(des3_ede)-192 cbc-des3-virtio-rs cbc(des3_ede-generic) 24
ecb(des3_ede)-192 ecb-des3-virtio-rs ecb(des3_ede-generic) 24
ctr(des3_ede)-192 ctr-des3-virtio-rs ctr(des3_ede-generic) 24
"

# The simulated device (no QEMU device in this boot), 1 and 4 data queues:
# every skcipher, ours against software, 1 and 32 requests in flight.
part_sim() {
    local round queues label ours soft klen missing
    DEPTHS="1 32"
    for round in $(seq 1 "$ROUNDS"); do
        for queues in 1 4; do
            sim_device "$queues" 7 0
            use_rust
            # shellcheck disable=SC2046 # one argument per driver name
            missing=$(wait_ours $(echo "$SKCIPHERS" | awk '{ print $2 }'); settle_ours)
            [ -z "$missing" ] || echo "not registered or failed self-tests: $missing"
            echo "$SKCIPHERS" | while read -r label ours soft klen; do
                [ -n "$label" ] || continue
                skcipher_rows "sim$queues" rust "$round" "$ours" "$klen" "$label"
            done
            use_software
        done
        # Software does not depend on the device: one measurement, reported
        # under both devices' names so that each table has its reference.
        echo "$SKCIPHERS" | while read -r label ours soft klen; do
            [ -n "$label" ] || continue
            skcipher_rows sim1 software "$round" "$soft" "$klen" "$label"
        done | sed 'p; s/^VCRS-BENCH sim1 /VCRS-BENCH sim4 /'
    done
}

# tcrypt's mode 500 (async skciphers, one request at a time, by name: every
# AES mode, on whatever implementation the name gives) on the simulated
# device with 1 data queue, ours against software.
part_async() {
    local round
    for round in $(seq 1 "$ROUNDS"); do
        sim_device 1 7 0
        use_rust
        wait_ours cbc-aes-virtio-rs ecb-aes-virtio-rs ctr-aes-virtio-rs xts-aes-virtio-rs >/dev/null
        settle_ours >/dev/null
        tcrypt_speed sim1 rust "$round" 1 one - mode=500 sec="$SECS"
        use_software
        tcrypt_speed sim1 software "$round" 1 one - mode=500 sec="$SECS"
    done
}

HASHES="
sha1 sha1-virtio-rs sha1-generic 0
sha256 sha256-virtio-rs sha256-generic 0
sha512 sha512-virtio-rs sha512-generic 0
sha3-256 sha3-256-virtio-rs sha3-256-generic 0
hmac(sha256) hmac-sha256-virtio-rs hmac(sha256-generic) 32
cmac(aes) cmac-aes-virtio-rs cmac(aes-generic) 16
"
ALL_HASHES="
md5 md5-virtio-rs md5-generic 0
sha224 sha224-virtio-rs sha224-generic 0
sha384 sha384-virtio-rs sha384-generic 0
sha3-224 sha3-224-virtio-rs sha3-224-generic 0
sha3-384 sha3-384-virtio-rs sha3-384-generic 0
sha3-512 sha3-512-virtio-rs sha3-512-generic 0
hmac(md5) hmac-md5-virtio-rs hmac(md5-generic) 16
hmac(sha1) hmac-sha1-virtio-rs hmac(sha1-generic) 20
hmac(sha224) hmac-sha224-virtio-rs hmac(sha224-generic) 28
hmac(sha384) hmac-sha384-virtio-rs hmac(sha384-generic) 48
hmac(sha512) hmac-sha512-virtio-rs hmac(sha512-generic) 64
xcbc(aes) xcbc-aes-virtio-rs xcbc(aes-generic) 16
"

# tcrypt's mode 400 (ahash, one request at a time, one-shot digests kept) on
# the simulated device with 1 data queue, ours against software.
part_ahash() {
    local round list name ours soft klen
    list=$HASHES
    [ "$ALGS" = all ] && list="$HASHES$ALL_HASHES"
    for round in $(seq 1 "$ROUNDS"); do
        sim_device 1 7 0
        use_rust
        settle_ours >/dev/null
        echo "$list" | while read -r name ours soft klen; do
            [ -n "$name" ] || continue
            [ -z "$(wait_ours "$ours")" ] || { emit sim1 rust ahash "$name" digest 16 1 "$round" failed - -; continue; }
            tcrypt_speed sim1 rust "$round" 1 ahash "$name" mode=400 alg="$ours" klen="$klen" sec="$SECS"
        done
        use_software
        echo "$list" | while read -r name ours soft klen; do
            [ -n "$name" ] || continue
            tcrypt_speed sim1 software "$round" 1 ahash "$name" mode=400 alg="$soft" klen="$klen" sec="$SECS"
        done
    done
}

# tcrypt's AEAD modes on the simulated device with the AEAD service (1 data
# queue): 211-213 one request at a time, 215-217 with 32 in flight; by
# name, so ours while it is loaded (it has the highest priority), else software.
part_aead() {
    local round impl depth m
    for round in $(seq 1 "$ROUNDS"); do
        for impl in rust software; do
            sim_device 1 15 1
            "use_$impl"
            if [ $impl = rust ]; then
                wait_ours gcm-aes-virtio-rs ccm-aes-virtio-rs rfc7539esp-chacha20-poly1305-virtio-rs >/dev/null
                settle_ours >/dev/null
            fi
            for m in 211 212 213; do
                tcrypt_speed sim1 "$impl" "$round" 1 aead - mode=$m sec="$SECS"
                tcrypt_speed sim1 "$impl" "$round" 32 aead - mode=$((m + 4)) num_mb=32 sec="$SECS"
            done
        done
    done
}

# PBKDF2's inner step on the simulated device, as libkcapi's test of RFC 6070
# runs it: 16,777,216 one-shot hmac(sha1) digests of 20 bytes, each waited for
# (tests/speed/vcrs_kapi.ko, repeat=N), through ours with its default
# parameters; the kernel's own hmac(sha1) (sync=1) for 1,048,576 of them, its
# time for the whole count scaled from that (its cost per digest is steady).
# Lines "VCRS-PBKDF2 IMPL ITERATIONS SECONDS" and our driver's counters.
part_pbkdf2() {
    local n=16777216 ref_n=1048576 key msg t0 t1 line
    . /vcrs/tests/kapi.sh
    sim_device 1 7 0
    use_rust_default
    wait_ours hmac-sha1-virtio-rs >/dev/null
    settle_ours >/dev/null
    kapi_load || { echo "VCRS-PBKDF2 failed: vcrs_kapi"; return; }
    key=$(hex 20) msg=$(hex 20)
    t0=$(cut -d' ' -f1 /proc/uptime)
    line=$(kapi hash "hmac(sha1)" "$key" "$msg" repeat=$ref_n sync=1)
    t1=$(cut -d' ' -f1 /proc/uptime)
    echo "$line" | cut -c1-60
    echo "VCRS-PBKDF2 software $ref_n $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
    grep '^hmac-sha1-virtio-rs ' "$ALGS_FILE"
    t0=$(cut -d' ' -f1 /proc/uptime)
    line=$(kapi hash hmac-sha1-virtio-rs "$key" "$msg" repeat=$n)
    t1=$(cut -d' ' -f1 /proc/uptime)
    echo "$line" | cut -c1-60
    echo "VCRS-PBKDF2 rust-default $n $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
    grep '^hmac-sha1-virtio-rs ' "$ALGS_FILE"
    use_software
}

# akcipher_measure ROUND IMPL ALG OP DRIVER KAPI_ARGS...: one measurement:
# "akcipher DRIVER KAPI_ARGS" repeated (each waited for) for about 2 x SECS
# seconds (the count from a short run first), as a line "VCRS-AKCIPHER ROUND
# IMPL ALG OP N SECONDS". Ours must have run every request on the device (the
# driver's counters), the others must not be ours: else a VCRS-SOFTWARE note.
akcipher_measure() {
    local round=$1 impl=$2 alg=$3 op=$4 drv=$5 n=4 t0 t1 dt line before after sync=""
    shift 5
    [ "$impl" = software ] && sync=sync=1
    t0=$(cut -d' ' -f1 /proc/uptime)
    line=$(kapi akcipher "$drv" "$@" repeat="$n" "$sync")
    t1=$(cut -d' ' -f1 /proc/uptime)
    case "$line" in "ok "*) ;; *)
        echo "VCRS-AKCIPHER failed $impl $alg $op: $(echo "$line" | cut -c1-80)"
        return
        ;;
    esac
    n=$(awk -v a="$t0" -v b="$t1" -v s="$SECS" -v n="$n" 'BEGIN { t = (b - a) / n; if (t <= 0) t = 0.001; k = int(2 * s / t); print (k < 4 ? 4 : k) }')
    before=$(alg_count "$drv" device)
    t0=$(cut -d' ' -f1 /proc/uptime)
    line=$(kapi akcipher "$drv" "$@" repeat="$n" "$sync")
    t1=$(cut -d' ' -f1 /proc/uptime)
    after=$(alg_count "$drv" device)
    case "$line" in "ok "*) ;; *)
        echo "VCRS-AKCIPHER failed $impl $alg $op: $(echo "$line" | cut -c1-80)"
        return
        ;;
    esac
    case "$impl:$(kapi_served)" in
    rust:*-virtio-rs | c:virtio-crypto-rsa | software:*) ;;
    *) echo "VCRS-SOFTWARE akcipher $impl $alg $op served by $(kapi_served)" ;;
    esac
    if [ "$impl" = rust ] && [ $((after - before)) -ne "$n" ]; then
        echo "VCRS-SOFTWARE akcipher rust $alg $op: $((after - before)) of $n on the device"
    fi
    dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    echo "VCRS-AKCIPHER $round $impl $alg $op $n $dt"
}

# Asymmetric keys on the simulated device offering AKCIPHER only, whose work is
# the kernel's own software: so ours and the C driver against the software
# called directly measure the cost of the device path around the same
# computation (notification, the device's thread, the interrupt), not a
# device's speed. Per round, in an order rotating by one: ours (every request
# on the device), the C driver (rsa only) and the software; raw RSA public
# (encrypt: what verifying a signature costs) and private (decrypt: signing)
# operations with 2048- and 4096-bit keys, and on 6.12 ECDSA P-256 and P-384
# verification (ours and software; the C driver has none).
part_akcipher() {
    local round impls impl k2 k4 p2 p4 m2 m4 c2 c4 ec pt sig dgst drv
    . /vcrs/tests/kapi.sh
    . /vcrs/tests/akcipher.sh
    sim_device 1 16 0
    kapi_load || { echo "VCRS-AKCIPHER failed: vcrs_kapi"; return; }
    if ! rsa_keys 2048 || ! rsa_keys 4096; then
        echo "VCRS-AKCIPHER failed: openssl"
        return
    fi
    p2=$(file_hex "$AK/rsa2048.pub.der") k2=$(file_hex "$AK/rsa2048.priv.der")
    p4=$(file_hex "$AK/rsa4096.pub.der") k4=$(file_hex "$AK/rsa4096.priv.der")
    m2=00$(hex 255) m4=00$(hex 511)
    printf 'benchmark' >"$AK/msg"
    # The curves by openssl's names, ours, and the point's length.
    echo "prime256v1 p256 65
secp384r1 p384 97" | while read -r curve short plen; do
        openssl ecparam -name "$curve" -genkey -noout -out "$AK/$short.pem" 2>/dev/null
        openssl ec -in "$AK/$short.pem" -pubout -outform DER -out "$AK/ec.spki" 2>/dev/null
        tail -c "$plen" "$AK/ec.spki" | od -An -v -tx1 | tr -d ' \n' >"$AK/$short.point"
    done
    impls="rust c software"
    for round in $(seq 1 "$ROUNDS"); do
        for impl in $impls; do
            case $impl in
            rust) use_rust; wait_ours rsa-virtio-rs >/dev/null; drv=rsa-virtio-rs ;;
            c) use_c; wait_registered virtio-crypto-rsa 60 >/dev/null; drv=virtio-crypto-rsa ;;
            software) use_software; drv=rsa ;;
            esac
            c2=$(kapi akcipher rsa enc pub "$p2" "$m2" 256 sync=1 | cut -d' ' -f3)
            c4=$(kapi akcipher rsa enc pub "$p4" "$m4" 512 sync=1 | cut -d' ' -f3)
            akcipher_measure "$round" "$impl" rsa-2048 public "$drv" enc pub "$p2" "$m2" 256
            akcipher_measure "$round" "$impl" rsa-2048 private "$drv" dec priv "$k2" "$c2" 256
            akcipher_measure "$round" "$impl" rsa-4096 public "$drv" enc pub "$p4" "$m4" 512
            akcipher_measure "$round" "$impl" rsa-4096 private "$drv" dec priv "$k4" "$c4" 512
            # ECDSA: ours and software on 6.12 (the C driver has none; 7.x: a sig_alg).
            if [ "$impl" = c ] || [ "$(uname -r | cut -d. -f1)" -ge 7 ]; then
                continue
            fi
            for ec in p256:sha256 p384:sha384; do
                openssl dgst -"${ec#*:}" -binary -out "$AK/dgst" "$AK/msg"
                openssl dgst -"${ec#*:}" -sign "$AK/${ec%:*}.pem" -out "$AK/sig" "$AK/msg"
                pt=$(cat "$AK/${ec%:*}.point") sig=$(file_hex "$AK/sig") dgst=$(file_hex "$AK/dgst")
                case $impl in rust) drv=ecdsa-nist-${ec%:*}-virtio-rs ;; *) drv=ecdsa-nist-${ec%:*} ;; esac
                akcipher_measure "$round" "$impl" "ecdsa-${ec%:*}" verify "$drv" verify pub "$pt" "$sig$dgst" \
                    "$(($(wc -c <"$AK/dgst")))"
            done
        done
        impls="${impls#* } ${impls%% *}"
    done
    use_software
}

# Until the kernel's random number generator is initialized, whoever waits for
# it (a getrandom() without GRND_NONBLOCK) makes the kernel gather jitter
# entropy in a busy loop on a CPU: 10 to 30 s after boot under TCG, during
# which the first measurements ran at a tenth of their speed. Reading
# /dev/random waits for it (and drives it) before anything is measured.
head -c 1 /dev/random >/dev/null
echo "== benchmark part $PART: $ROUNDS round(s) of $SECS s per measurement"
t0=$(date +%s)
# The lines also go to the second serial port, which kernel messages never cut
# into (see lib.sh); the host reads them there.
"part_$PART" 2>&1 | tee /dev/ttyS1
echo "== part $PART took $(($(date +%s) - t0)) s"
