# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the guest scripts. Results go to the console as
#   VCRS-RESULT PASS <name>
#   VCRS-RESULT FAIL <name>: <reason>
# and to the second serial port (/dev/ttyS1), which only results use: on the
# console, kernel messages may cut into a line. The host runner
# (scripts/test.sh) counts the second port's lines.

MOD=/vcrs/modules/virtio_crypto_rs.ko
DRIVER_NAME=virtio_crypto_rs

# A leading newline keeps each result at the start of a line whatever was
# printed before it.
result() {
    printf '\n%s\n' "$*"
    [ -c /dev/ttyS1 ] && printf '%s\n' "$*" >/dev/ttyS1
}
pass() { result "VCRS-RESULT PASS $1"; }
fail() { result "VCRS-RESULT FAIL $1: $2"; }
skip() { result "VCRS-RESULT SKIP $1: $2"; }

# check NAME COMMAND...: passes if COMMAND succeeds; on failure, its output is the reason.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "$(echo "$out" | tail -3 | tr '\n' ' ')"
    fi
}

# check_fails NAME COMMAND...: passes if COMMAND (a command or a shell function) fails.
check_fails() {
    local name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        fail "$name" "succeeded, expected a failure"
    else
        pass "$name"
    fi
}

# expect_eq NAME ACTUAL EXPECTED: passes if the two strings are equal.
expect_eq() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got '$2', expected '$3'"
    fi
}

# log_mark NAME: writes a marker line into the kernel log; log_since NAME then
# prints the kernel log from that line on. Scripts count their own log lines
# this way: no script may clear the log (dmesg -c), which the checks of later
# scripts and the host read. If the log buffer ever wrapped past the marker,
# log_since prints nothing, so checks fail rather than count old lines.
log_mark() { echo "vcrs-mark $1" >/dev/kmsg; }
log_since() { dmesg | sed -n "/vcrs-mark $1\$/,\$p"; }

# proc_crypto_field DRIVER FIELD: prints FIELD of the registered (not larval)
# /proc/crypto entry whose driver is DRIVER.
proc_crypto_field() {
    awk -v drv="$1" -v field="$2" '
        function flush() { if (d == drv && t != "larval" && v != "") { print v; found = 1 } d = t = v = "" }
        /^$/ { flush(); if (found) exit; next }
        { key = $0; sub(/ *:.*/, "", key); val = $0; sub(/^[^:]*: ?/, "", val) }
        key == "driver" { d = val }
        key == "type" { t = val }
        key == field { v = val }
        END { if (!found) flush() }
    ' /proc/crypto
}

# wait_selftest DRIVER: waits (up to 300 s) until the Crypto API's self-tests of
# DRIVER, which run asynchronously after registration, have passed or failed.
# Prints "passed", "failed" or what /proc/crypto last showed.
wait_selftest() {
    local i=0 st
    while [ $i -lt 600 ]; do
        st=$(proc_crypto_field "$1" selftest)
        [ "$st" = passed ] && { echo passed; return 0; }
        if dmesg | grep -q "alg: .*self-tests for .* using $1 failed"; then
            echo failed
            return 1
        fi
        sleep 0.5
        i=$((i + 1))
    done
    echo "${st:-missing}"
    return 1
}

# dm_crypt_roundtrip NAME DEVICE MIB DATA OPEN_ARGS...: opens DEVICE as mapping NAME
# with cryptsetup OPEN_ARGS (key in /tmp/dm.key), writes MIB MiB of random data
# (kept in the file DATA) through it, reads them back and compares; closes it.
dm_crypt_roundtrip() {
    local name=$1 dev=$2 mib=$3 data=$4
    shift 4
    cryptsetup -q open "$@" --key-file /tmp/dm.key "$dev" "$name" || return 1
    head -c $((mib << 20)) /dev/urandom >"$data"
    dd if="$data" of="/dev/mapper/$name" bs=1M 2>/dev/null && sync || return 1
    echo 3 >/proc/sys/vm/drop_caches
    dd if="/dev/mapper/$name" of=/tmp/dm.back bs=1M count="$mib" 2>/dev/null || return 1
    cryptsetup close "$name" || return 1
    cmp -s "$data" /tmp/dm.back
}

# while_mapped NAME DEVICE CHECK OPEN_ARGS...: runs the command CHECK while DEVICE is
# open as mapping NAME (cryptsetup OPEN_ARGS, key in /tmp/dm.key); returns its status.
while_mapped() {
    local name=$1 dev=$2 check=$3 status
    shift 3
    cryptsetup -q open "$@" --key-file /tmp/dm.key "$dev" "$name" || return 1
    $check
    status=$?
    cryptsetup close "$name"
    return $status
}

# dm_crypt_reads_back NAME DEVICE MIB DATA OPEN_ARGS...: opens DEVICE again (with
# whatever implementation the kernel now picks) and checks it holds DATA.
dm_crypt_reads_back() {
    local name=$1 dev=$2 mib=$3 data=$4
    shift 4
    cryptsetup -q open "$@" --key-file /tmp/dm.key "$dev" "$name" || return 1
    dd if="/dev/mapper/$name" of=/tmp/dm.back bs=1M count="$mib" 2>/dev/null
    cryptsetup close "$name"
    cmp -s "$data" /tmp/dm.back
}

# wait_our_selftests: waits (up to 60 s) until every algorithm our devices serve
# (the "algorithms" line of each device's debugfs status, filled by the trial
# sessions) is registered, then for their self-tests; prints the drivers whose
# tests did not pass, or what is not registered (nothing when all passed). With
# no device serving anything it prints so: "all passed" never stands for
# "nothing registered yet".
wait_our_selftests() {
    local drv want missing i=0
    while :; do
        want=$(sed -n 's/^algorithms//p' /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null |
            tr ' ' '\n' | grep . | sort -u)
        missing=""
        for drv in $want; do
            [ "$(alg_count "$drv" registered)" = 1 ] || missing="$missing $drv"
        done
        [ -n "$want" ] && [ -z "$missing" ] && break
        i=$((i + 1))
        if [ "$i" -ge 120 ]; then
            echo "not registered:${missing:- no device serves any algorithm}"
            return
        fi
        sleep 0.5
    done
    for drv in $want; do
        [ "$(wait_selftest "$drv")" = passed ] || echo "$drv"
    done
}

# --- Who served: the driver's per-algorithm counters ---
#
# /sys/kernel/debug/virtio_crypto_rs/algorithms has one line per algorithm the
# driver knows:
#   DRIVER NAME registered 0|1 device N software M not_ready A no_session B busy C limits D forced E
#   small F sync_device_from_enc B sync_device_from_dec B
# device: requests sent to a device; software: requests run in software, the
# sum of the reasons after it (see Documentation/usage.rst). Every check that
# claims the device served something reads these before and after its action.
ALGS_FILE=/sys/kernel/debug/virtio_crypto_rs/algorithms

# Under the diagnosis run (scripts/test.sh --software puts vcrs.force_software=1
# on the kernel command line) every load of our module sends all requests to
# software, so every check that claims device use must fail.
# On a distribution's kernel, where what a module of ours needs is modules too
# (7.3: the AES library, authenc...), those are loaded first: insmod resolves
# nothing.
insmod() {
    local dep
    case "$1" in
    /vcrs/modules/*.ko)
        for dep in $(modinfo -F depends "$1" | tr ',' ' '); do
            [ -f "/vcrs/modules/$dep.ko" ] || modprobe "$dep"
        done
        ;;
    esac
    if [ "$1" != "$MOD" ]; then
        command insmod "$@"
        return
    fi
    # Our module: every request on the device unless the caller chose a
    # policy (sync_software_below=0: the suites count device requests exactly;
    # the default policy has its own checks, qemu t-24 and sim t-24), and
    # everything in software in --software runs.
    case " $* " in
    *" sync_software_below="*) set -- "$@" ;;
    *) set -- "$@" sync_software_below=0 ;;
    esac
    if grep -q 'vcrs\.force_software=1' /proc/cmdline; then
        set -- "$@" force_software=1
    fi
    command insmod "$@"
}

# alg_count DRIVER FIELD: FIELD (registered, device, software or a reason) of
# DRIVER's line; "missing" when there is none.
alg_count() {
    awk -v d="$1" -v f="$2" '$1 == d { for (i = 3; i < NF; i += 2) if ($i == f) { print $(i + 1); found = 1; exit } }
        END { if (!found) print "missing" }' "$ALGS_FILE" 2>/dev/null || echo missing
}

# show_registered: a table of the algorithms our driver has registered now
# (driver and generic name, priority, self-test result), for the console.
show_registered() {
    printf '   %-44s %-36s %8s  %s\n' driver name priority self-test
    awk '$3 == "registered" && $4 == 1 { print $1, $2 }' "$ALGS_FILE" | while read -r drv name; do
        printf '   %-44s %-36s %8s  %s\n' "$drv" "$name" "$(proc_crypto_field "$drv" priority)" \
            "$(proc_crypto_field "$drv" selftest)"
    done
}

# load_vdpa_sim: loads the vDPA simulator the simulated device runs on: the
# kernel's own (modprobe), or on a distribution kernel without one the
# vdpa_sim.ko (and vringh.ko) built from its source (scripts/lib.sh's
# build_vdpa_sim) in /vcrs/modules (insmod, above, loads the kernel modules
# they need).
load_vdpa_sim() {
    [ -f /vcrs/modules/vdpa_sim.ko ] || { modprobe vdpa_sim; return; }
    if [ -f /vcrs/modules/vringh.ko ] && ! grep -q '^vringh ' /proc/modules; then
        insmod /vcrs/modules/vringh.ko || return 1
    fi
    grep -q '^vdpa_sim ' /proc/modules || insmod /vcrs/modules/vdpa_sim.ko
}

# afalg_reaches_driver: whether AF_ALG can reach an asynchronous driver such
# as ours: before 7.2 (from 7.2 on AF_ALG_CRYPTOAPI_MASK keeps CRYPTO_ALG_ASYNC
# implementations from its users).
afalg_reaches_driver() {
    local major minor
    major=$(uname -r | cut -d. -f1)
    minor=$(uname -r | cut -d. -f2)
    [ "$major" -lt 7 ] || { [ "$major" -eq 7 ] && [ "$minor" -lt 2 ]; }
}

# new_transform_encrypt DRIVER KEYFILE IV IN OUT: encrypts file IN into OUT with
# a new transform of DRIVER (a driver or a generic name): kcapi-enc through
# AF_ALG where that reaches our driver, else tests/speed/vcrs_kapi.ko.
new_transform_encrypt() {
    if afalg_reaches_driver; then
        kcapi_cipher "$1" -e "$2" "$3" "$4" "$5"
        return
    fi
    kapi_encrypt_stdin "$1" "$(od -An -v -tx1 "$2" | tr -d ' \n')" "$3" <"$4" >"$5"
}

# load_param NAME: a parameter (a counter: ops, errors, mismatches) of the
# running tests/speed/vcrs_load.ko.
load_param() { cat "/sys/module/vcrs_load/parameters/$1"; }

# load_on_device_for NAME SECONDS: vcrs_load's requests (on
# cbc-aes-virtio-rs, 8 in flight) over SECONDS all on the device: each
# completed op was one request of cbc-aes-virtio-rs, so the device took at
# least the ops completed minus the 8 in flight at the start; none in software.
load_on_device_for() {
    local name=$1 ops before
    # The counters first: requests completed from here on were submitted
    # after them, but for those in flight now (8 at most).
    before=$(alg_snapshot)
    ops=$(load_param ops)
    sleep "$2"
    ops=$(($(load_param ops) - ops))
    if [ "$ops" -le 8 ]; then
        fail "$name" "only $ops ops in $2 s"
    else
        alg_expect "$name" cbc-aes-virtio-rs "device>=$((ops - 8)) software=0" "$before"
    fi
}

# alg_snapshot: the counters file as it is now (empty without the module).
alg_snapshot() { cat "$ALGS_FILE" 2>/dev/null; }

# alg_expect NAME DRIVERS EXPECT BEFORE: one verdict NAME on what the
# algorithms DRIVERS (space-separated driver names, summed) counted since the
# snapshot BEFORE. EXPECT is a list of FIELD>=N, FIELD=N or FIELD<=N terms
# ("device>=64 software=0", "busy>=1 device=0"); a plain number N means
# "device>=N software=0": at least N requests on the device, none in software.
alg_expect() {
    local name=$1 drivers=$2 expect=$3 before=$4 verdict
    case "$expect" in *[!0-9]*) ;; *) expect="device>=$expect software=0" ;; esac
    verdict=$( { printf '%s\n' "$before"; echo "--- after"; alg_snapshot; } | awk -v drivers="$drivers" -v expect="$expect" '
        BEGIN { after = 0; nd = split(drivers, dl, " "); for (i = 1; i <= nd; i++) want[dl[i]] = 1 }
        $0 == "--- after" { after = 1; next }
        !($1 in want) { next }
        { seen[after, $1] = 1; for (i = 3; i < NF; i += 2) { v[after, $i] += $(i + 1); fields[$i] = 1 } }
        END {
            for (d in want) if (!seen[1, d]) { print "no counters line for " d " (module loaded? driver name right?)"; exit }
            n = split(expect, terms, " "); bad = ""
            for (i = 1; i <= n; i++) {
                if (!match(terms[i], /^[a-z_]+/)) { print "bad term " terms[i]; exit }
                f = substr(terms[i], 1, RLENGTH); rest = substr(terms[i], RLENGTH + 1)
                op = substr(rest, 1, 1) == "=" ? "=" : substr(rest, 1, 2); want_n = substr(rest, length(op) + 1) + 0
                if (!(f in fields)) { print "no field " f; exit }
                d = v[1, f] - v[0, f]
                ok = (op == "=" && d == want_n) || (op == ">=" && d >= want_n) || (op == "<=" && d <= want_n)
                if (!ok) bad = bad " " f " " d " (expected " op want_n ")"
            }
            if (bad == "") { print "ok"; exit }
            all = ""; for (f in fields) if (f != "registered") all = all " " f "+" (v[1, f] - v[0, f])
            print "counted" bad ";" all
        }')
    if [ "$verdict" = ok ]; then pass "$name"; else fail "$name" "$drivers: $verdict"; fi
}

# served NAME DRIVERS EXPECT COMMAND...: runs COMMAND (its output goes to the
# console); one verdict NAME that needs COMMAND to succeed and the counters of
# DRIVERS to match EXPECT (see alg_expect) across it.
served() {
    local name=$1 drivers=$2 expect=$3 before rc
    shift 3
    before=$(alg_snapshot)
    "$@" >/tmp/vcrs-served.out 2>&1
    rc=$?
    cat /tmp/vcrs-served.out
    if [ "$rc" -ne 0 ]; then
        fail "$name" "the action failed (status $rc): $(tail -3 /tmp/vcrs-served.out | tr '\n' ' ')"
        return 1
    fi
    alg_expect "$name" "$drivers" "$expect" "$before"
}

# device_took NAME DRIVERS SIM_BEFORE SIM_NOW BEFORE: one verdict that the
# action since the snapshot BEFORE sent exactly one request of DRIVERS to the
# device (the driver's counters: device=1 software=0) and that the simulated
# device received exactly one (its count went from SIM_BEFORE to SIM_NOW): the
# status checked came from the device, not from software.
device_took() {
    if [ $(($4 - $3)) -ne 1 ]; then
        fail "$1" "the simulated device received $(($4 - $3)) request(s), expected 1"
    else
        alg_expect "$1" "$2" "device=1 software=0" "$5"
    fi
}

# alg_show_delta DRIVER BEFORE: DRIVER's counters since BEFORE (an alg_snapshot), for
# the console (the numbers behind a verdict that passed).
alg_show_delta() {
    { printf '%s\n' "$2"; echo "--- after"; alg_snapshot; } | awk -v d="$1" '
        BEGIN { a = 0 }
        $0 == "--- after" { a = 1; next }
        $1 == d { for (i = 3; i < NF; i += 2) { v[a, $i] = $(i + 1); if (!a && $i !~ /^sync_/) f[++n] = $i } }
        END { printf "counted %s:", d; for (i = 1; i <= n; i++) if (f[i] != "registered") printf " %s+%d", f[i], v[1, f[i]] - v[0, f[i]]; print "" }'
}

# alg_grew DRIVER FIELD BEFORE: how much DRIVER's FIELD grew since the
# snapshot BEFORE (alg_snapshot).
alg_grew() {
    local b
    b=$(printf '%s\n' "$3" | awk -v d="$1" -v f="$2" '$1 == d { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }')
    echo $(($(alg_count "$1" "$2") - ${b:-0}))
}
# dataq_snapshot: our driver's per-queue request counts (debugfs status lines
# "dataqN requests R ..."), one "virtioX/dataqN R" a line.
dataq_snapshot() {
    for f in /sys/kernel/debug/virtio_crypto_rs/virtio*/status; do
        awk -v f="${f%/status}" '/^dataq[0-9]+ requests / { print f "/" $1, $3 }' "$f"
    done 2>/dev/null
}
# queues_grown BEFORE: how many of our queues sent requests since BEFORE (a dataq_snapshot).
queues_grown() {
    { printf '%s\n' "$1"; echo ---; dataq_snapshot; } |
        awk '$0 == "---" { a = 1; next } !a { b[$1] = $2; next } $2 > b[$1] + 0 { n++ } END { print n + 0 }'
}

# our_requests: data requests our driver has sent to its devices so far (debugfs).
our_requests() {
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null |
        awk '/^dataq/ { n += $3 } END { print n + 0 }'
}

# sim_requests NAME: data requests the simulated device NAME has received on
# all its data queues (its debugfs counters).
sim_requests() {
    awk '/^dataq[0-9]+_requests / { n += $2 } END { print n + 0 }' "/sys/kernel/debug/vcrs_sim/$1/stats"
}

# removals_since MARK: the device removals our driver logged since MARK, with
# the requests they served in software and those they failed (the device had
# them and they worked in place), summed: "REMOVALS SERVED FAILED".
removals_since() {
    log_since "$1" |
        sed -n 's/.*: removed (\([0-9]*\) request(s) it had not answered served in software, \([0-9]*\) failed).*/\1 \2/p' |
        awk '{ n++; s += $1; f += $2 } END { print n + 0, s + 0, f + 0 }'
}

# hex N: N random bytes as a hex string.
hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }

# kcapi_cipher DRIVER OP KEYFILE IVHEX IN OUT: one AF_ALG operation (OP = -e or -d;
# an empty IVHEX for modes without IV).
kcapi_cipher() {
    rm -f "$6"
    kcapi-enc -q "$2" --nounpad -c "$1" ${4:+--iv "$4"} --keyfd 3 -i "$5" -o "$6" 3<"$3"
}

# our_cbc_encrypt: AES-128-CBC through our driver with a fixed key and IV, from
# stdin to stdout, as one AF_ALG request (afalg_crypt's errors on stderr).
# Where AF_ALG reaches no asynchronous driver (7.2 and later) the request goes
# through tests/speed/vcrs_kapi.ko instead, its error as strerror's text on
# stderr as afalg_crypt prints it ("our_cbc_encrypt: Bad message"). That
# module keeps one result for everyone: callers that run at once (load) may
# read each other's, so only one at a time may look at its output.
our_cbc_encrypt() {
    if afalg_reaches_driver; then
        afalg_crypt cbc-aes-virtio-rs -e 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000
        return
    fi
    kapi_encrypt_stdin cbc-aes-virtio-rs 000102030405060708090a0b0c0d0e0f 00000000000000000000000000000000
}

# kapi_encrypt_stdin DRIVER KEY IV [OPTION]: stdin encrypted with DRIVER (KEY
# and IV in hex) through vcrs_kapi, to stdout; an error as strerror's text on
# stderr.
kapi_encrypt_stdin() {
    local data line
    # shellcheck source=kapi.sh # the guest has this folder as /vcrs/tests
    . /vcrs/tests/kapi.sh
    data=$(od -An -v -tx1 | tr -d ' \n')
    line=$(kapi skcipher "$1" enc "$2" "$3" "${data:--}" ${4:+"$4"})
    case "$line" in
    "ok "*) hex_to_file "$(echo "$line" | cut -d' ' -f3 | sed 's/^-$//')" /dev/stdout ;;
    *)
        echo "our_cbc_encrypt: $(errno_text "$(echo "$line" | cut -d' ' -f2)")" >&2
        return 1
        ;;
    esac
}

# errno_text ERRNO: strerror's text for a negative errno ("-74": "Bad message"),
# for those a crypto request returns.
errno_text() {
    case "$1" in
    -2) echo "No such file or directory" ;;
    -5) echo "Input/output error" ;;
    -12) echo "Out of memory" ;;
    -16) echo "Device or resource busy" ;;
    -22) echo "Invalid argument" ;;
    -28) echo "No space left on device" ;;
    -74) echo "Bad message" ;;
    -95) echo "Operation not supported" ;;
    -126) echo "Required key not available" ;;
    -129) echo "Key was rejected by service" ;;
    *) echo "error $1" ;;
    esac
}

# afalg_matches NAME DRIVER REFERENCE KEYLEN IVLEN SIZE: random key, IV and data;
# DRIVER's encryption must equal REFERENCE's, and DRIVER must decrypt it back.
# Up to 128 KiB the data goes as one request through afalg_crypt (kcapi-enc pads
# input that is not whole blocks of a block cipher, as for XTS); larger data
# goes through kcapi-enc.
afalg_matches() {
    local name=$1 drv=$2 ref=$3 keylen=$4 ivlen=$5 size=$6 iv="" key
    if ! afalg_reaches_driver; then
        kapi_cipher_matches "$@"
        return
    fi
    key=$(hex "$keylen")
    # shellcheck disable=SC2059 # the format is only \xNN escapes
    printf "$(echo "$key" | sed 's/../\\x&/g')" >/tmp/m.key
    [ "$ivlen" -gt 0 ] && iv=$(hex "$ivlen")
    head -c "$size" /dev/urandom >/tmp/m.plain
    if [ "$size" -le 131072 ]; then
        rm -f /tmp/m.dev /tmp/m.sw /tmp/m.dec
        afalg_crypt "$drv" -e "$key" "${iv:--}" </tmp/m.plain >/tmp/m.dev
        afalg_crypt "$ref" -e "$key" "${iv:--}" </tmp/m.plain >/tmp/m.sw
        afalg_crypt "$drv" -d "$key" "${iv:--}" </tmp/m.sw >/tmp/m.dec
    else
        kcapi_cipher "$drv" -e /tmp/m.key "$iv" /tmp/m.plain /tmp/m.dev
        kcapi_cipher "$ref" -e /tmp/m.key "$iv" /tmp/m.plain /tmp/m.sw
        kcapi_cipher "$drv" -d /tmp/m.key "$iv" /tmp/m.sw /tmp/m.dec
    fi
    if [ -s /tmp/m.dev ] && [ "$(stat -c %s /tmp/m.dev)" = "$size" ] &&
        cmp -s /tmp/m.dev /tmp/m.sw && cmp -s /tmp/m.dec /tmp/m.plain; then
        pass "$name"
    else
        fail "$name" "$drv and $ref differ for $size bytes"
    fi
}

# kapi_cipher_matches NAME DRIVER REF KEYLEN IVLEN SIZE: afalg_matches where
# AF_ALG reaches no asynchronous driver (7.2 and later), through
# tests/speed/vcrs_kapi.ko: DRIVER's encryption equals the kernel's synchronous
# implementation of DRIVER's generic name (REF, a 6.12 driver name, is not
# used: 7.x names its software differently), and DRIVER decrypts it back; one
# request each way, as through AF_ALG.
kapi_cipher_matches() {
    local name=$1 drv=$2 keylen=$4 ivlen=$5 size=$6 iv=- key data a b c
    # shellcheck source=kapi.sh # the guest has this folder as /vcrs/tests
    . /vcrs/tests/kapi.sh
    key=$(hex "$keylen")
    [ "$ivlen" -gt 0 ] && iv=$(hex "$ivlen")
    data=$(hex "$size")
    a=$(kapi skcipher "$drv" enc "$key" "$iv" "$data")
    b=$(kapi skcipher "$(proc_crypto_field "$drv" name)" enc "$key" "$iv" "$data" sync=1)
    c=$(kapi skcipher "$drv" dec "$key" "$iv" "$(echo "$b" | cut -d' ' -f3)")
    if [ "${a%% *}" = ok ] && [ "$(echo "$a" | cut -d' ' -f3)" = "$(echo "$b" | cut -d' ' -f3)" ] &&
        [ "$(echo "$c" | cut -d' ' -f3)" = "$data" ]; then
        pass "$name"
    else
        fail "$name" "$drv and the kernel's synchronous software differ for $size bytes: $(kapi_short "$a") / $(kapi_short "$b") / $(kapi_short "$c")"
    fi
}

# --- Hash and MAC helpers (t-52, t-54, t-96) ---

# slow_kernel: true on the debug kernel (KASAN), several times slower under
# TCG; scripts may thin out repetitive cases there (what matters on it is what
# KASAN and lockdep see along the driver's paths, not every size again). Asked
# of the kernel log once (a long run can push the boot messages out of it).
slow_kernel() {
    [ -f /tmp/vcrs-kernel-kind ] ||
        if dmesg | grep -q 'KernelAddressSanitizer initialized'; then echo slow; else echo normal; fi >/tmp/vcrs-kernel-kind
    [ "$(cat /tmp/vcrs-kernel-kind)" = slow ]
}

# scaled_mib MIB: MIB on the normal kernel, an eighth of it (at least 1) on the
# debug kernel, for the data volumes of the consumer tests.
scaled_mib() {
    if slow_kernel; then echo $((($1 + 7) / 8)); else echo "$1"; fi
}

# wait_registered DRIVER SECONDS: waits up to SECONDS until DRIVER is registered
# (not larval) in /proc/crypto; fails if it never is.
wait_registered() {
    local i=0
    while [ $i -lt $(($2 * 2)) ]; do
        [ -n "$(proc_crypto_field "$1" driver)" ] && return 0
        sleep 0.5
        i=$((i + 1))
    done
    return 1
}

# our_counter NAME COLUMN: from the driver's debugfs status lines
# "NAME device N software M" (hash_ops, mac_ops, multipart_ops), the number
# after COLUMN (device or software), summed over devices; prints nothing if no
# device has such a line.
our_counter() {
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null | awk -v n="$1" -v c="$2" '
        $1 == n { for (i = 2; i < NF; i++) if ($i == c) { s += $(i + 1); f = 1 } }
        END { if (f) print s + 0 }'
}


# sim_opcode NAME OPCODE: requests with OPCODE (as the sim's stats print it:
# 0x0100 HASH, 0x0200 MAC) the simulated device NAME has received.
sim_opcode() {
    sed -n "s/^opcode_$2 //p" "/sys/kernel/debug/vcrs_sim/$1/stats" 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'
}

# hex_to_file HEX FILE: writes the bytes HEX stands for into FILE.
hex_to_file() {
    # shellcheck disable=SC2059 # the format is only \xNN escapes
    printf "$(echo "$1" | sed 's/../\\x&/g')" >"$2"
}

# hash_error DRIVER KEY PARTS: the error afalg_hash_parts reports for a digest of
# stdin (strerror's text, "no such algorithm"), nothing when it succeeds.
hash_error() {
    # shellcheck disable=SC2069 # stderr to the pipe, stdout dropped
    afalg_hash_parts "$@" 2>&1 >/dev/null | sed 's/^[^:]*: //'
}

# hash_matches NAME DRIVER REFERENCE KEY SIZE VARIANTS: SIZE random bytes; the
# digest through DRIVER must equal REFERENCE's one-shot digest (KEY: hex, ""
# for a zero-length key, "-" for none) in each of VARIANTS:
#   oneshot    afalg_hash (afalg_hash_parts for a zero-length key): one send
#   split3     three parts (one update() each, finup() on the last)
#   small      many small parts (13 bytes up to 4 KiB, 1000 bytes beyond)
#   cross4k    4000, 200, the rest (only beyond 4200 bytes)
#   readfinal  three parts, all with MSG_MORE: read() finalizes (final())
#   zerofinal  two parts and an empty send that finalizes (final())
#   clone      three parts, each on a clone of the operation (export/import)
#   kcapi      kcapi-dgst from stdin (its own parts; keys up to 32 bytes only:
#              it reads no more from --keyfd)
# One verdict; the reason names the variants that differ.
hash_matches() {
    local name=$1 drv=$2 ref=$3 key=$4 size=$5 variants=$6 want got bad="" v third=$(($5 / 3))
    head -c "$size" /dev/urandom >/tmp/hm.msg
    want=$(afalg_hash_parts "$ref" "$key" '*' </tmp/hm.msg 2>&1)
    case "$want" in
    "" | *[!0-9a-f]*)
        fail "$name" "reference $ref: $want"
        return
        ;;
    esac
    for v in $variants; do
        case "$v" in
        oneshot)
            if [ "$key" = - ]; then
                got=$(afalg_hash "$drv" </tmp/hm.msg 2>&1)
            elif [ -z "$key" ]; then
                got=$(afalg_hash_parts "$drv" "" '*' </tmp/hm.msg 2>&1)
            else
                got=$(afalg_hash "$drv" "$key" </tmp/hm.msg 2>&1)
            fi
            ;;
        split3) got=$(afalg_hash_parts "$drv" "$key" "$third,$third,*" </tmp/hm.msg 2>&1) ;;
        small)
            if [ "$size" -le 4096 ]; then
                got=$(afalg_hash_parts "$drv" "$key" "$((size / 13))x13,*" </tmp/hm.msg 2>&1)
            else
                got=$(afalg_hash_parts "$drv" "$key" "$((size / 1000))x1000,*" </tmp/hm.msg 2>&1)
            fi
            ;;
        cross4k)
            [ "$size" -gt 4200 ] || continue
            got=$(afalg_hash_parts "$drv" "$key" "4000,200,*" </tmp/hm.msg 2>&1)
            ;;
        readfinal) got=$(afalg_hash_parts -r "$drv" "$key" "$third,$third,*" </tmp/hm.msg 2>&1) ;;
        zerofinal) got=$(afalg_hash_parts "$drv" "$key" "$((size / 2)),*,0" </tmp/hm.msg 2>&1) ;;
        clone) got=$(afalg_hash_parts -c "$drv" "$key" "$third,$third,*" </tmp/hm.msg 2>&1) ;;
        kcapi)
            if [ "$key" = - ]; then
                got=$(kcapi-dgst -q -c "$drv" --hex </tmp/hm.msg 2>&1)
            elif [ ${#key} -le 64 ]; then
                hex_to_file "$key" /tmp/hm.key
                got=$(kcapi-dgst -q -c "$drv" --hex --keyfd 3 </tmp/hm.msg 3</tmp/hm.key 2>&1)
            else
                continue
            fi
            ;;
        *) got="unknown variant" ;;
        esac
        [ "$got" = "$want" ] || bad="$bad $v($(echo "$got" | head -1 | cut -c1-40))"
    done
    if [ -z "$bad" ]; then
        pass "$name"
    else
        fail "$name" "$drv differs from $ref for $size bytes, key '$(echo "$key" | cut -c1-16)':$bad"
    fi
}

# ops_count KIND WHERE: the debugfs "KIND device N software M" counter WHERE
# (device or software) summed over our devices; "missing" without such a line.
ops_count() {
    local v
    v=$(our_counter "$1" "$2")
    echo "${v:-missing}"
}
# wait_module_unused: up to 30 s for every user of our module (transforms) to
# go (xfrm, for example, frees a deleted state's transform from a work item).
wait_module_unused() {
    local i=0
    while [ $i -lt 60 ] && [ "$(cat /sys/module/"$DRIVER_NAME"/refcnt 2>/dev/null)" != 0 ]; do
        sleep 0.5
        i=$((i + 1))
    done
    [ "$(cat /sys/module/"$DRIVER_NAME"/refcnt 2>/dev/null)" = 0 ]
}

# Busybox's sh runs its own applets before searching PATH; its ip has neither
# netns nor xfrm: iproute2's is called by its path.
ip() { /usr/bin/ip "$@"; }
# IPsec between two network namespaces (the caller sets A and B, the namespace
# names, and IPA and IPB, their addresses).
# netns_pair: namespaces A and B, veth vcrsa (in A, IPA) to vcrsb (in B, IPB).
netns_pair() {
    ip netns add "$A" && ip netns add "$B" &&
        ip -n "$A" link add vcrsa type veth peer name vcrsb netns "$B" &&
        ip -n "$A" addr add "$IPA"/24 dev vcrsa && ip -n "$B" addr add "$IPB"/24 dev vcrsb &&
        ip -n "$A" link set lo up && ip -n "$B" link set lo up &&
        ip -n "$A" link set vcrsa up && ip -n "$B" link set vcrsb up
}
# sa NS SRC DST SPI KEY: an AH transport-mode state with hmac(sha256), 128-bit ICV.
sa() { ip -n "$1" xfrm state add src "$2" dst "$3" proto ah spi "$4" mode transport auth-trunc 'hmac(sha256)' "$5" 128; }
# pol NS SRC DST DIR: AH required for SRC -> DST in direction DIR.
pol() { ip -n "$1" xfrm policy add src "$2"/32 dst "$3"/32 dir "$4" tmpl src "$2" dst "$3" proto ah mode transport; }
# pings N: N pings from A to B; prints the number of replies.
pings() {
    ip netns exec "$A" ping -c "$1" -i 0.2 -W 2 "$IPB" 2>&1 |
        sed -n 's/.* \([0-9]*\) packets received.*/\1/p'
}

# --- AEAD and authenc helpers (t-56, t-57, t-66, t-68, t-98, qemu/t-46) ---

# authenc_key AUTHHEX ENCHEX: an authenc key (crypto_authenc_extractkeys) in
# hex: an rtattr of length 8 and type 1 (CRYPTO_AUTHENC_KEYA_PARAM, both
# little-endian u16) holding the cipher key's length as __be32, then the
# authentication key, then the cipher key.
authenc_key() { printf '08000100%08x%s%s' $((${#2} / 2)) "$1" "$2"; }

# aead_matches NAME OURS REF KEYHEX AUTHSIZE ASSOCLEN IVHEX SIZE: ASSOCLEN bytes
# of random associated data and SIZE of plaintext, one AF_ALG request each
# (afalg_aead; IVHEX "" sends none: zeros): OURS's encryption must equal
# REF's, and OURS must decrypt REF's ciphertext back (unless ASSOCLEN and SIZE
# are both 0: AF_ALG cannot run a request without output). Leaves the
# ciphertext in /tmp/am.ct (for aead_rejects_tampering). One verdict.
aead_matches() {
    local name=$1 ours=$2 ref=$3 key=$4 ts=$5 al=$6 iv=$7 size=$8 bad="" out
    head -c $((al + size)) /dev/urandom >/tmp/am.in
    rm -f /tmp/am.ct /tmp/am.ours /tmp/am.dec
    if ! out=$(afalg_aead -e -k "$key" -t "$ts" -a "$al" ${iv:+-i "$iv"} -f /tmp/am.in -o /tmp/am.ct "$ref" 2>&1); then
        fail "$name" "reference $ref: $out"
        return
    fi
    out=$(afalg_aead -e -k "$key" -t "$ts" -a "$al" ${iv:+-i "$iv"} -f /tmp/am.in -o /tmp/am.ours "$ours" 2>&1) ||
        bad="$bad encrypt($(echo "$out" | head -1))"
    [ -z "$bad" ] && ! cmp -s /tmp/am.ours /tmp/am.ct && bad="$bad encryption-differs"
    # A decryption without output (no associated data, no plaintext) cannot run through AF_ALG.
    if [ $((al + size)) -gt 0 ]; then
        out=$(afalg_aead -d -k "$key" -t "$ts" -a "$al" ${iv:+-i "$iv"} -f /tmp/am.ct -o /tmp/am.dec "$ours" 2>&1) ||
            bad="$bad decrypt($(echo "$out" | head -1))"
        [ -f /tmp/am.dec ] && ! cmp -s /tmp/am.dec /tmp/am.in && bad="$bad decryption-differs"
    fi
    if [ -z "$bad" ]; then
        pass "$name"
    else
        fail "$name" "$ours vs $ref, tag $ts, assoclen $al, $size bytes:$bad"
    fi
}

# aead_rejects_tampering NAME OURS KEYHEX AUTHSIZE ASSOCLEN IVHEX SIZE: OURS's
# decryption of /tmp/am.ct (aead_matches' last ciphertext, same parameters)
# with one bit flipped in the associated data, the ciphertext and the tag (each
# that exists) gives EBADMSG. One verdict.
aead_rejects_tampering() {
    local name=$1 ours=$2 key=$3 ts=$4 al=$5 iv=$6 size=$7 bad="" where off got
    for where in aad ct tag; do
        case "$where" in
        aad) [ "$al" -gt 0 ] || continue; off=0 ;;
        ct) [ "$size" -gt 0 ] || continue; off=$al ;;
        tag) [ "$ts" -gt 0 ] || continue; off=-1 ;;
        esac
        got=$(afalg_aead -d -k "$key" -t "$ts" -a "$al" ${iv:+-i "$iv"} -f /tmp/am.ct -F "$off" "$ours" 2>/dev/null | head -c 80)
        [ "$got" = EBADMSG ] || bad="$bad $where:'$got'"
    done
    if [ -z "$bad" ]; then pass "$name"; else fail "$name" "expected EBADMSG:$bad"; fi
}

# aead_same_error NAME OURS REF AFALG_AEAD_ARGS...: afalg_aead with the same
# arguments fails on REF (an errno name, with the step when it is not the
# operation), and gives the same on OURS.
aead_same_error() {
    local name=$1 ours=$2 ref=$3 want got
    shift 3
    want=$(afalg_aead "$@" "$ref" 2>/dev/null | head -c 200)
    got=$(afalg_aead "$@" "$ours" 2>/dev/null | head -c 200)
    case "$want" in
    E[A-Z]*) expect_eq "$name" "$got" "$want" ;;
    *) fail "$name" "the reference $ref did not fail: '$(echo "$want" | cut -c1-40)'" ;;
    esac
}

# highest_priority NAME: the highest priority of NAME's registered implementations (0: none).
highest_priority() {
    awk -v n="$1" '/^name/ { c = $3 } /^priority/ && c == n && $3 + 0 > m { m = $3 + 0 } END { print m + 0 }' /proc/crypto
}

# tcrypt ARGS...: loads tcrypt with ARGS, once: busybox's insmod and modprobe
# retry with init_module after any failure, so tcrypt (which fails on purpose
# with EAGAIN after its work) would run every mode twice.
tcrypt() { insmod_once "/lib/modules/$(uname -r)/kernel/crypto/tcrypt.ko" "$@"; }

# tcrypt_mode NAME ARGS...: loads tcrypt (once) with ARGS ("mode=10", "mode=0
# alg=NAME", "mode=211 sec=0"...) and passes NAME if it ended the way tcrypt
# ends when every test passed: loading "fails" with EAGAIN (by design: tcrypt
# does its work in init and never stays loaded), and the kernel log since shows
# no failed test ("tcrypt: one or more tests failed!", testmgr's "alg: ..."
# lines, a speed run's "... failed"), no warning and no BUG.
tcrypt_mode() {
    local name=$1 out rc bad t1
    shift
    log_mark "tcrypt-$name"
    t1=$(date +%s)
    out=$(tcrypt "$@" 2>&1)
    rc=$?
    echo "-- tcrypt $*: exit $rc in $(($(date +%s) - t1)) s: $out"
    bad=$(log_since "tcrypt-$name" | grep -iE 'one or more tests failed|alg: .*(fail|error)|failed|WARNING:|BUG:' | head -3 | tr '\n' ' ')
    # No marker (the log wrapped past it): nothing could be checked.
    [ -n "$(log_since "tcrypt-$name" | head -1)" ] || bad="the log marker is gone"
    if [ "$rc" -ne 0 ] && echo "$out" | grep -q 'Resource temporarily unavailable' && [ -z "$bad" ]; then
        pass "$name"
    else
        fail "$name" "exit $rc, '$out' $bad"
    fi
}

# software_driver NAME: the driver of the highest-priority implementation of
# NAME that is not ours (the kernel's software: sha256-generic on 6.12,
# sha256-lib on 7.x).
software_driver() {
    awk -v n="$1" '
        BEGIN { best = -1 }
        function flush() { if (name == n && drv !~ /virtio/ && prio + 0 > best) { best = prio + 0; pick = drv } name = drv = ""; prio = -1 }
        /^$/ { flush(); next }
        /^name / { name = $3 } /^driver / { drv = $3 } /^priority / { prio = $3 }
        END { flush(); print pick }' /proc/crypto
}

# picked NAME: the driver of the highest-priority registered implementation of
# NAME (what the Crypto API gives for NAME now).
picked() {
    awk -v name="$1" '
        function flush() { if (n == name && t != "larval" && p > best) { best = p; drv = d } n = d = t = ""; p = -1 }
        BEGIN { best = -1; p = -1 }
        /^$/ { flush(); next }
        { key = $0; sub(/ *:.*/, "", key); val = $0; sub(/^[^:]*: ?/, "", val) }
        key == "name" { n = val }
        key == "driver" { d = val }
        key == "type" { t = val }
        key == "priority" { p = val + 0 }
        END { flush(); print drv }
    ' /proc/crypto
}

# ESP between the namespaces of netns_pair (A, B, IPA, IPB).
# esp_sa NS SRC DST SPI MODE ALGO_ARGS...: an ESP state (MODE transport or
# tunnel) with the ip-xfrm algorithm arguments given, e.g.
#   aead 'rfc4106(gcm(aes))' 0x<36 bytes> 128
#   enc 'cbc(aes)' 0x<key> auth-trunc 'hmac(sha256)' 0x<key> 128
esp_sa() {
    local ns=$1 src=$2 dst=$3 spi=$4 mode=$5
    shift 5
    ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp spi "$spi" reqid "$spi" mode "$mode" "$@"
}
# esp_pol NS SRC DST DIR MODE REQID: ESP required for SRC -> DST in direction DIR.
esp_pol() {
    ip -n "$1" xfrm policy add src "$2"/32 dst "$3"/32 dir "$4" \
        tmpl src "$2" dst "$3" proto esp reqid "$6" mode "$5"
}
# esp_pair MODE SPI_AB SPI_BA ADD_STATE: the four states (A -> B and B -> A,
# each in both namespaces), each added by the command "ADD_STATE NS SRC DST SPI
# MODE" (esp_sa with the algorithm arguments and keys of the caller's choice),
# and the four policies (out and in on each side) of ESP between A and B.
esp_pair() {
    local mode=$1 ab=$2 ba=$3 add=$4
    $add "$A" "$IPA" "$IPB" "$ab" "$mode" && $add "$B" "$IPA" "$IPB" "$ab" "$mode" &&
        $add "$A" "$IPB" "$IPA" "$ba" "$mode" && $add "$B" "$IPB" "$IPA" "$ba" "$mode" &&
        esp_pol "$A" "$IPA" "$IPB" out "$mode" "$ab" && esp_pol "$B" "$IPA" "$IPB" in "$mode" "$ab" &&
        esp_pol "$B" "$IPB" "$IPA" out "$mode" "$ba" && esp_pol "$A" "$IPB" "$IPA" in "$mode" "$ba"
}
# xfrm_flush: no ESP/AH state or policy left in A and B.
xfrm_flush() {
    ip -n "$A" xfrm policy flush && ip -n "$B" xfrm policy flush &&
        ip -n "$A" xfrm state flush && ip -n "$B" xfrm state flush
}
# xfrm_packets NS: the packets all states of namespace NS processed (their
# lifetime counters, "N(bytes), N(packets)" in `ip -s xfrm state`), summed.
xfrm_packets() {
    ip -n "$1" -s xfrm state 2>/dev/null |
        sed -n 's/.*[0-9](bytes), *\([0-9][0-9]*\)(packets).*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}
# xfrm_failed NS SPI: integrity failures ("failed N") of namespace NS's ESP state SPI.
xfrm_failed() {
    ip -n "$1" -s xfrm state list proto esp spi "$2" 2>/dev/null |
        awk '/ failed / { for (i = 1; i < NF; i++) if ($i == "failed") { print $(i + 1); exit } }'
}
# xfrm_stat NS FIELD: the counter FIELD of namespace NS's /proc/net/xfrm_stat.
xfrm_stat() { ip netns exec "$1" cat /proc/net/xfrm_stat | awk -v f="$2" '$1 == f { print $2 }'; }
# proto_errors NS: XfrmInStateProtoError of namespace NS (ICV failures count there).
proto_errors() { xfrm_stat "$1" XfrmInStateProtoError; }
# bulk_transfer MIB: MIB MiB of random data from B (busybox httpd) to A (busybox
# wget); passes (status 0) when A's copy has the sender's sha256. (Busybox 1.35's
# wget crashes with -T: the time limit is timeout's. iproute2's ip, not the
# wrapper function, so that $! is httpd itself: `ip netns exec` execs it.)
bulk_transfer() {
    local pid want got
    rm -rf /tmp/bulk && mkdir -p /tmp/bulk
    head -c $(($1 << 20)) /dev/urandom >/tmp/bulk/data
    want=$(sha256sum </tmp/bulk/data | cut -d' ' -f1)
    # Busybox's applets by name: the initramfs has no /usr/sbin for its httpd link.
    /usr/bin/ip netns exec "$B" busybox httpd -f -p "$IPB:8080" -h /tmp/bulk &
    pid=$!
    sleep 1
    timeout 600 /usr/bin/ip netns exec "$A" busybox wget -q -O /tmp/bulk.got "http://$IPB:8080/data"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    got=$(sha256sum </tmp/bulk.got 2>/dev/null | cut -d' ' -f1)
    rm -rf /tmp/bulk /tmp/bulk.got
    if [ -z "$want" ] || [ "$got" != "$want" ]; then
        echo "received sha256 '$got', sent '$want'"
        return 1
    fi
}

# --- The AEAD test matrix (t-56, t-58) ---

# AEADS: one line per algorithm of the driver's "aead" and "authenc" families:
# cra_name, our driver, the generic reference, kind (see set_kind).
AEADS="
gcm(aes) gcm-aes-virtio-rs gcm_base(ctr(aes-generic),ghash-generic) gcm
ccm(aes) ccm-aes-virtio-rs ccm_base(ctr(aes-generic),cbcmac(aes-generic)) ccm
rfc7539(chacha20,poly1305) rfc7539-chacha20-poly1305-virtio-rs rfc7539(chacha20-generic,poly1305-generic) chacha
rfc7539esp(chacha20,poly1305) rfc7539esp-chacha20-poly1305-virtio-rs rfc7539esp(chacha20-generic,poly1305-generic) esp
"
for h in md5 sha1 sha224 sha256 sha384 sha512; do
    for c in aes des3_ede; do
        AEADS="$AEADS
authenc(hmac($h),cbc($c)) authenc-hmac-$h-cbc-$c-virtio-rs authenc(hmac($h-generic),cbc($c-generic)) $h:$c"
    done
done

# set_kind KIND: KEYLENS (cipher key lengths), TAGS (every valid tag length),
# IVLEN, BLK (the payload must be whole BLK-byte blocks), MINAL (the shortest
# associated data: rfc7539esp's ends with the 8-byte IV) and, for authenc (KIND
# hash:cipher), DIGEST and AUTHBS (the hash's block size).
set_kind() {
    DIGEST=0 AUTHBS=0 MINAL=0
    case "$1" in
    gcm) KEYLENS="16 24 32" TAGS="4 8 12 13 14 15 16" IVLEN=12 BLK=1 ;;
    ccm) KEYLENS="16 24 32" TAGS="4 6 8 10 12 14 16" IVLEN=16 BLK=1 ;;
    chacha) KEYLENS="32" TAGS="16" IVLEN=12 BLK=1 ;;
    esp) KEYLENS="36" TAGS="16" IVLEN=8 BLK=1 MINAL=8 ;;
    *:*)
        case "${1%%:*}" in
        md5) DIGEST=16 AUTHBS=64 ;;
        sha1) DIGEST=20 AUTHBS=64 ;;
        sha224) DIGEST=28 AUTHBS=64 ;;
        sha256) DIGEST=32 AUTHBS=64 ;;
        sha384) DIGEST=48 AUTHBS=128 ;;
        sha512) DIGEST=64 AUTHBS=128 ;;
        esac
        TAGS=$(seq 1 $DIGEST | tr '\n' ' ')
        case "${1#*:}" in
        aes) KEYLENS="16 24 32" IVLEN=16 BLK=16 ;;
        des3_ede) KEYLENS="24" IVLEN=8 BLK=8 ;;
        esac
        ;;
    esac
}
# key_for KIND KEYLEN [AUTHKEYLEN]: a random key (authenc: the rtattr blob with
# an AUTHKEYLEN-byte hmac key, 32 bytes by default).
key_for() {
    case "$1" in
    *:*) authenc_key "$(hex "${3:-32}")" "$(hex "$2")" ;;
    *) hex "$2" ;;
    esac
}
# iv_for KIND [L']: a random IV; for ccm, iv[0] = L' (1..7, default 3), the
# nonce, then counter bytes (random: ccm clears them itself).
iv_for() {
    case "$1" in
    ccm) printf '%02x%s' "${2:-3}" "$(hex 15)" ;;
    *) hex "$IVLEN" ;;
    esac
}
# last WORDS: the last of WORDS.
last() { echo "$*" | awk '{ print $NF }'; }
# nth N WORDS: the Nth (from 0, cycling) of WORDS.
nth() { local n=$1; shift; echo "$*" | awk -v n="$n" '{ print $((n % NF) + 1) }'; }

# missing PREFIX OURS: true (after a verdict saying so) if OURS is not
# registered: its cases are skipped (each would only fail, slowly).
missing() {
    [ -n "$(proc_crypto_field "$2" driver)" ] && return 1
    fail "$1-$2-cases" "$2 is not registered: its cases were skipped"
}

# drivers_registered PREFIX FIRST NEXT: the drivers named on stdin (one per
# line) are registered and passed their self-tests. Registration follows the
# device's readiness: the first gets FIRST seconds, the others NEXT each (1 s
# once one was missing).
drivers_registered() {
    local wait=$2 drvs drv
    drvs=$(cat)
    for drv in $drvs; do
        if wait_registered "$drv" "$wait"; then
            wait=$3
            pass "$1-$drv-registered"
        else
            wait=1
            fail "$1-$drv-registered" "not in /proc/crypto"
        fi
    done
    expect_eq "$1-all-selftests-passed" "$(wait_our_selftests)" ""
    for drv in $drvs; do
        expect_eq "$1-$drv-selftest" "$(proc_crypto_field "$drv" selftest)" passed
    done
}

# check_registered PREFIX FILTER: every algorithm of AEADS whose line matches
# FILTER (a grep pattern) is registered as our driver, passed its self-tests,
# has priority 280 (above the software gcm, ccm and rfc7539 templates, which
# take the mean of their parts: 200 for rfc7539 over poly1305-simd; authenc:
# above what the authenc template gives a software instance), and is what the
# Crypto API gives for its name.
check_registered() {
    echo "$AEADS" | grep -e "$2" | awk '{ print $2 }' | drivers_registered "$1" 90 10
    echo "$AEADS" | grep -e "$2" | while read -r name drv _; do
        [ -n "$drv" ] || continue
        case "$name" in
        authenc*)
            # Above any software authenc instance of the name: the template's
            # priority is 10 * cipher + MAC (1100 over the generic parts, 2200
            # over our own cbc and hmac).
            prio=$(proc_crypto_field "$drv" priority)
            bound=$((10 * $(highest_priority "$(echo "$name" | sed 's/^authenc(hmac([^)]*),\(.*\))$/\1/')") +
                $(highest_priority "$(echo "$name" | sed 's/^authenc(\(hmac([^)]*)\),.*/\1/')")))
            check "$1-$drv-priority-above-software-authenc-$bound" test "${prio:-0}" -gt "$bound"
            ;;
        *) expect_eq "$1-$drv-priority" "$(proc_crypto_field "$drv" priority)" 280 ;;
        esac
        expect_eq "$1-$drv-picked-for-$name" "$(picked "$name")" "$drv"
    done
}

# DEEP: the algorithms whose every tag length, hmac key length (0 bytes, up to
# and beyond the hash's block size), cipher key length and 64 KiB payload are
# tried (sha1 and sha256 have 64-byte blocks, sha512 128-byte ones);
# the other authencs get the shortest, a middle and the longest tag. What
# differs between the pairs is the hash and the cipher: one setup each.
DEEP="gcm ccm chacha esp sha256:aes sha1:des3_ede sha512:aes"
deep() { case " $DEEP " in *" $1 "*) return 0 ;; esac; return 1; }

# aead_matrix PREFIX FULL: the comparison of every algorithm of AEADS with its
# reference (see the header, (c)); FULL=0 (debug kernel, 4-queue device) keeps
# the main paths only: fewer sizes, the shortest, a middle and the longest tag.
aead_matrix() {
    local pfx=$1 full=$2 name ours ref kind sizes i al ts key klen iv size tags lp
    echo "$AEADS" | while read -r name ours ref kind; do
        [ -n "$ours" ] || continue
        missing "$pfx" "$ours" && continue
        set_kind "$kind"
        maxtag=$(last "$TAGS")
        if [ "$BLK" = 1 ]; then sizes="0 1 15 4096 65536"; else sizes="0 $BLK 4096"; fi
        [ "$BLK" != 1 ] && deep "$kind" && sizes="$sizes 65536"
        [ "$full" = 1 ] || sizes="0 $((BLK == 1 ? 15 : BLK)) 4096"
        # Sizes, each with the shortest associated data and with more (lengths
        # cycling through 1, 16, 20, 255), the longest tag, key lengths cycling.
        i=0
        for size in $sizes; do
            for al in $MINAL $(nth $i 1 16 20 255); do
                [ "$al" -ge "$MINAL" ] || al=$((MINAL + al))
                klen=$(nth "$i" "$KEYLENS")
                key=$(key_for "$kind" "$klen")
                iv=$(iv_for "$kind" $((i % 7 + 1)))
                aead_matches "$pfx-$ours-${size}B-assoc$al" "$ours" "$ref" "$key" "$maxtag" "$al" "$iv" "$size"
                i=$((i + 1))
            done
        done
        # Every tag length (FULL=0 or not DEEP: the shortest, a middle one, the longest).
        tags=$TAGS
        if [ "$full" != 1 ] || ! deep "$kind"; then
            tags="$(nth 0 "$TAGS") $(nth $(($(echo "$TAGS" | wc -w) / 2)) "$TAGS") $maxtag"
        fi
        size=$((BLK == 1 ? 15 : 2 * BLK))
        for ts in $tags; do
            key=$(key_for "$kind" "$(last "$KEYLENS")")
            iv=$(iv_for "$kind")
            aead_matches "$pfx-$ours-tag$ts" "$ours" "$ref" "$key" "$ts" 16 "$iv" "$size"
        done
        # Tampering, on a page-crossing request.
        key=$(key_for "$kind" "$(nth 0 "$KEYLENS")")
        iv=$(iv_for "$kind")
        aead_matches "$pfx-$ours-4KiB-assoc20" "$ours" "$ref" "$key" "$maxtag" 20 "$iv" 4096
        aead_rejects_tampering "$pfx-$ours-tampered-gives-EBADMSG" "$ours" "$key" "$maxtag" 20 "$iv" 4096
        if [ "$full" != 1 ] || ! deep "$kind"; then continue; fi
        # ccm: every L' (iv[0] 1..7: nonces of 13 down to 7 bytes on the wire).
        if [ "$kind" = ccm ]; then
            for lp in 1 2 3 4 5 6 7; do
                aead_matches "$pfx-$ours-iv0-$lp" "$ours" "$ref" "$(hex 16)" 16 8 "$(iv_for ccm $lp)" 100
            done
        fi
        # authenc: hmac keys of 0 bytes, shorter than, as long as and longer
        # than the hash's block size (hmac digests those), cipher keys of each length.
        case "$kind" in
        *:*)
            for klen in 0 20 $AUTHBS $((AUTHBS + 1)) $((2 * AUTHBS + 3)); do
                key=$(key_for "$kind" "$(last "$KEYLENS")" "$klen")
                aead_matches "$pfx-$ours-hmac-key$klen" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            done
            for klen in $KEYLENS; do
                key=$(key_for "$kind" "$klen" 20)
                aead_matches "$pfx-$ours-cipher-key$klen" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            done
            # A 3DES key with K1 = K2 (degenerates to single DES): the generic
            # code takes it (weak keys are refused only when the caller asks).
            if [ "${kind#*:}" = des3_ede ]; then
                k1=$(hex 8)
                key=$(authenc_key "$(hex 20)" "$k1$k1$(hex 8)")
                aead_matches "$pfx-$ours-3des-k1-equals-k2" "$ours" "$ref" "$key" "$maxtag" 8 "$(iv_for "$kind")" 64
            fi
            ;;
        esac
    done
}



# drop_software_instances PATTERN: unregisters the unused template instances
# (module "kernel") whose driver matches the extended regex PATTERN, with
# crypto_delalg, outer ones (the IV generators over them) first; prints what
# went. Tests that look algorithms up by name start from what the kernel would
# have without the references earlier tests instantiated (a software authenc
# instance has priority 10 * cipher + hash: 1100 for the generic ones).
drop_software_instances() {
    local _round drv
    for _round in 1 2 3; do
        awk '/^driver/ { d = $3 } /^module/ && $3 == "kernel" { print d }' /proc/crypto |
            grep -E "$1" | grep -v 'virtio-rs' | sort -u | while read -r drv; do
            crypto_delalg "$drv" >/dev/null 2>&1 && echo "dropped $drv"
        done
    done
}
# The software instances of the AEAD tests' names: authenc, rfc4106, rfc4309,
# rfc7539, rfc7539esp and their IV generators.
# shellcheck disable=SC2034 # for the t-*.sh scripts
AEAD_INSTANCES='^((seqiv|echainiv)\()?(authenc|rfc4106|rfc4309|rfc7539|rfc7539esp)\('

# --- Requests to the host (hot-unplug) ---

# host_request WORDS...: asks the host to do something to this guest's machine
# (scripts/qmp-agent.py carries it out over QMP: "device_del ID", "device_add
# DRIVER ID PROP=VALUE..."). Returns at once; the caller waits for the effect.
host_request() {
    HOST_REQUEST_N=$((${HOST_REQUEST_N:-0} + 1))
    result "VCRS-HOST $HOST_REQUEST_N $*"
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds;
# fails after SECONDS.
wait_until() {
    local limit=$(($1 * 5)) i=0
    shift
    while ! "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.2
    done
}

# --- Session churn (t-28 on QEMU's device, t-72 on the simulated one) ---

# our_sessions_open: sessions our driver holds open on its devices (debugfs).
our_sessions_open() {
    cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status 2>/dev/null |
        awk '/^sessions_open / { n += $2 } END { print n + 0 }'
}

# churn NAME COUNT TYPE DRIVER REFERENCE KEYLEN IVLEN UNIT MAXLEN: COUNT
# cycles of a new AF_ALG transform of DRIVER with a new random key and one
# request checked against REFERENCE (afalg_stress -r 1), then freed. Passes
# NAME if every cycle succeeded with the right result, DRIVER's device served
# at least COUNT requests, and our driver holds as many sessions afterwards as
# before.
churn() {
    local name=$1 count=$2 sessions requests out t1
    shift 2
    sessions=$(our_sessions_open)
    requests=$(our_requests)
    t1=$(date +%s)
    out=$(afalg_stress -r 1 -n "$count" "$@" 100000 2>&1)
    echo "-- churn $name: $count cycles in $(($(date +%s) - t1)) s: $out"
    if ! echo "$out" | grep -q "^ops $count errors 0 mismatches 0 "; then
        fail "$name" "$out"
    elif [ $(($(our_requests) - requests)) -lt "$count" ]; then
        fail "$name" "only $(($(our_requests) - requests)) of $count requests reached the device"
    elif [ "$(our_sessions_open)" -ne "$sessions" ]; then
        fail "$name" "$(our_sessions_open) sessions open after, $sessions before"
    else
        pass "$name"
    fi
}

# --- The simulated device's parameters (read when a device is added) ---

# sim_params NAME=VALUE...: sets parameters of vcrs_sim (loading it if needed),
# remembering the value each had before its first change in this script;
# sim_params_restore sets them all back.
sim_params() {
    local kv name p=/sys/module/vcrs_sim/parameters
    grep -q '^vcrs_sim ' /proc/modules || insmod /vcrs/modules/vcrs_sim.ko
    for kv in "$@"; do
        name=${kv%%=*}
        grep -q "^$name=" /tmp/vcrs-sim-saved 2>/dev/null || echo "$name=$(cat "$p/$name")" >>/tmp/vcrs-sim-saved
        echo "${kv#*=}" >"$p/$name"
    done
}
sim_params_restore() {
    local kv
    [ -f /tmp/vcrs-sim-saved ] || return 0
    while read -r kv; do
        echo "${kv#*=}" >"/sys/module/vcrs_sim/parameters/${kv%%=*}"
    done </tmp/vcrs-sim-saved
    rm -f /tmp/vcrs-sim-saved
}

# fuzz_iterations N: the fuzz iterations of the self-tests of algorithms
# registered from now on, at most N (the debug kernel boots with fewer);
# fuzz_iterations_restore sets back the value before the first call (the
# runner calls it after every script). The scripts whose point is the
# algorithms' correctness (t-50, t-52, t-56) keep the boot value; the others
# register the same algorithms again and lower it.
fuzz_iterations() {
    local f=/sys/module/cryptomgr/parameters/fuzz_iterations
    [ -f /tmp/vcrs-fuzz-saved ] || cat $f >/tmp/vcrs-fuzz-saved
    [ "$(cat /tmp/vcrs-fuzz-saved)" -lt "$1" ] || echo "$1" >$f
}
fuzz_iterations_restore() {
    [ -f /tmp/vcrs-fuzz-saved ] || return 0
    cat /tmp/vcrs-fuzz-saved >/sys/module/cryptomgr/parameters/fuzz_iterations
    rm -f /tmp/vcrs-fuzz-saved
}

# --- Leak checking (kmemleak=on on the command line; t-00 and t-99 of a suite) ---

# kmemleak_start: forgets what boot left behind, so that kmemleak_check sees
# only what the suite's tests leaked. Periodic scans go off (they would log
# boot-time suspects); kmemleak_check scans on demand. The scripts run in
# shells of their own: a file tells kmemleak_check that the slate was wiped.
kmemleak_start() {
    check kmemleak-enabled test -w /sys/kernel/debug/kmemleak
    echo scan=off >/sys/kernel/debug/kmemleak 2>/dev/null
    echo scan >/sys/kernel/debug/kmemleak 2>/dev/null
    echo clear >/sys/kernel/debug/kmemleak 2>/dev/null
    date +%s >/tmp/kmemleak-cleared
}

# kmemleak_check: no unreferenced object since kmemleak_start (without which
# boot's objects would count as the tests' leaks). Objects must be 5 s old to
# be reported, hence the pause before the two scans.
kmemleak_check() {
    local leaks
    check kmemleak-cleared-at-start test -f /tmp/kmemleak-cleared
    sleep 6
    echo scan >/sys/kernel/debug/kmemleak
    sleep 1
    echo scan >/sys/kernel/debug/kmemleak
    cat /sys/kernel/debug/kmemleak >/tmp/leaks
    leaks=$(grep -c '^unreferenced object' /tmp/leaks)
    [ "$leaks" -eq 0 ] || head -40 /tmp/leaks
    expect_eq kmemleak-no-leaks "$leaks" 0
}
