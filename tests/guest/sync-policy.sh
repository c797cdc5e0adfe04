# SPDX-License-Identifier: GPL-2.0
# The small-request policy (module parameter sync_software_below, see
# Documentation/usage.rst), for the t-93 scripts of the qemu and sim suites
# (sourced after lib.sh). A submitter that sleeps until each request completes
# (here tests/speed/vcrs_kapi.ko's repeat=N: crypto_wait_req, as AF_ALG,
# keyctl and PBKDF2 over AF_ALG do) pays the device's round trip per request.
#   policy_faster_in_software NAME CMD N: under the default (-1), N small
#     requests of CMD (a vcrs_kapi command on one of our drivers) run almost
#     all in software (counted "small"; the device gets 8 of the first 16 of
#     their size class and at most one in 256: the policy's measurements), and take at most
#     twice the time of the kernel's synchronous implementation (sync=1) for
#     the same N requests, with the same output;
#   policy_faster_on_device NAME CMD N: under the default, N large requests
#     run on the device but for at most 8 (of the first 16, which alternate to
#     measure software too), when the device measured faster;
#   policy_fixed NAME CMD_BELOW CMD_AT LIMIT: sync_software_below=LIMIT runs
#     CMD_BELOW (fewer bytes than LIMIT) in software, CMD_AT on the device,
#     exactly 5 each;
#   policy_never NAME CMD N: sync_software_below=0 puts every one of N
#     requests on the device (the suites' setting: the insmod wrapper's).
# Each sets the parameter back to 0 (the suites' setting) at its end.
# shellcheck source=kapi.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/kapi.sh

POLICY=/sys/module/virtio_crypto_rs/parameters/sync_software_below
# Times are compared: first wait until the kernel's random number generator
# is initialized (until then a waiter makes the kernel gather jitter entropy
# in a busy loop on a CPU, 10 to 30 s after boot under TCG).
head -c 1 /dev/random >/dev/null
OTHER_REASONS="not_ready=0 no_session=0 busy=0 limits=0 forced=0"

# uptime_cs: the time since boot in hundredths of a second.
uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# timed_kapi CMD...: runs the vcrs_kapi command and prints
# "<hundredths of a second> <output hex>"; fails if the command did.
timed_kapi() {
    local t0 line
    t0=$(uptime_cs)
    line=$(kapi "$@") || { echo "$line"; return 1; }
    echo "$(($(uptime_cs) - t0)) $(echo "$line" | cut -d' ' -f3)"
}

# reference_cmd CMD...: the same command on the kernel's synchronous
# implementation of the algorithm our driver in CMD implements (sync=1 with
# its generic name).
reference_cmd() {
    local kind=$1 drv=$2 name
    shift 2
    name=$(proc_crypto_field "$drv" name)
    echo "$kind $name $* sync=1"
}

policy_faster_in_software() {
    local name=$1 cmd=$2 n=$3 drv before ours ref device_max small_min
    drv=$(echo "$cmd" | cut -d' ' -f2)
    echo -1 >"$POLICY"
    # shellcheck disable=SC2086,SC2046 # one word per token of the command
    ref=$(timed_kapi $(reference_cmd $cmd) repeat="$n") || { fail "$name" "reference: $ref"; echo 0 >"$POLICY"; return; }
    before=$(alg_snapshot)
    # shellcheck disable=SC2086
    ours=$(timed_kapi $cmd repeat="$n") || { fail "$name" "ours: $ours"; echo 0 >"$POLICY"; return; }
    echo "$name: $n requests: software ${ref%% *}0 ms, ours (default policy) ${ours%% *}0 ms"
    alg_show_delta "$drv" "$before"
    # The device: 8 of the class's first 16 (they alternate, to measure
    # both), at most one in 256 after, and (if a run before this one measured
    # the class already) nothing more.
    device_max=$((n / 256 + 10))
    small_min=$((n - device_max))
    alg_expect "$name-in-software-counted-small" "$drv" \
        "small>=$small_min device<=$device_max $OTHER_REASONS" "$before"
    expect_eq "$name-same-output-as-software" "${ours#* }" "${ref#* }"
    # At most twice the software's time, plus the clock's hundredth.
    if [ "${ours%% *}" -le $((2 * ${ref%% *} + 1)) ]; then
        pass "$name-within-twice-software-time"
    else
        fail "$name-within-twice-software-time" "ours ${ours%% *}0 ms, software ${ref%% *}0 ms"
    fi
    echo 0 >"$POLICY"
}

policy_faster_on_device() {
    local name=$1 cmd=$2 n=$3 drv before ours ref
    drv=$(echo "$cmd" | cut -d' ' -f2)
    echo -1 >"$POLICY"
    # shellcheck disable=SC2086,SC2046 # one word per token of the command
    ref=$(timed_kapi $(reference_cmd $cmd) repeat="$n")
    before=$(alg_snapshot)
    # shellcheck disable=SC2086
    ours=$(timed_kapi $cmd repeat="$n") || { fail "$name" "ours: $ours"; echo 0 >"$POLICY"; return; }
    echo "$name: $n requests: software ${ref%% *}0 ms, ours (default policy) ${ours%% *}0 ms"
    alg_show_delta "$drv" "$before"
    alg_expect "$name-on-device" "$drv" "device>=$((n - 8)) small<=8 $OTHER_REASONS" "$before"
    expect_eq "$name-same-output-as-software" "${ours#* }" "${ref#* }"
    awk -v d="$drv" '$1 == d { for (i = 3; i < NF; i += 2) if ($i ~ /^sync_/) printf "   learned: %s %s\n", $i, $(i + 1) }' "$ALGS_FILE"
    echo 0 >"$POLICY"
}

policy_fixed() {
    local name=$1 below=$2 at=$3 limit=$4 drv
    drv=$(echo "$below" | cut -d' ' -f2)
    echo "$limit" >"$POLICY"
    # shellcheck disable=SC2086
    served "$name-below-$limit-in-software" "$drv" "small=5 device=0" kapi $below repeat=5
    # shellcheck disable=SC2086
    served "$name-at-$limit-on-device" "$drv" "device=5 software=0" kapi $at repeat=5
    echo 0 >"$POLICY"
}

policy_never() {
    local name=$1 cmd=$2 n=$3 drv
    drv=$(echo "$cmd" | cut -d' ' -f2)
    echo 0 >"$POLICY"
    # shellcheck disable=SC2086
    served "$name-all-on-device" "$drv" "device=$n software=0" timed_kapi $cmd repeat="$n"
}
