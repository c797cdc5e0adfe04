# SPDX-License-Identifier: GPL-2.0
# The guest half of the test suite: runs the suite named by vcrs.suite= on the
# kernel command line (a folder of t-*.sh scripts); every check prints one
# VCRS-RESULT line. vcrs.only=t-70,t-99 runs only the scripts with those
# prefixes (for debugging; the full suite is the contract). vcrs.skip=t-54,t-55
# gives the scripts with those prefixes a SKIP verdict instead of running them
# (the host's test.sh sets it per kernel, and counts them as skipped).
#
# Each script runs in a shell of its own (nothing it defines or changes in the
# shell reaches the next one) under a time limit (vcrs.script_timeout=SECONDS,
# default 600). Besides its own checks, every script gets one verdict named
# after it: PASS when its shell returned 0 after running the script to its end,
# FAIL when the script called exit, its shell died (syntax error, signal) or
# the time limit ran out, or the driver printed an error or warning line
# (DRIVER_ERRORS) during it that the script does not declare expected
# ("# vcrs-expect-log: ERE" near its top). A script that stops early thus
# never just shows fewer PASS lines. Before its verdict, "VCRS-TIME
# t-NN-name.sh SECONDS" on the results port gives its time (the host shows it
# and records it: tests/guest/durations.txt). Before each script the console and the results port get
# "== /vcrs/tests/<suite>/t-NN-name.sh", which tells the host what was running
# when a guest hangs or panics.
# shellcheck source=lib.sh # the guest has this folder as /vcrs/tests
. /vcrs/tests/lib.sh

suite=$(sed -n 's/.*vcrs\.suite=\([a-z-]*\).*/\1/p' /proc/cmdline)
[ -d "/vcrs/tests/$suite" ] || { fail suite "unknown suite '$suite'"; exit 0; }
only=$(sed -n 's/.*vcrs\.only=\([-a-z0-9,]*\).*/\1/p' /proc/cmdline)
skip_list=$(sed -n 's/.*vcrs\.skip=\([-a-z0-9,]*\).*/\1/p' /proc/cmdline)
limit=$(sed -n 's/.*vcrs\.script_timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
limit=${limit:-600}
# Decided while the boot messages are still in the kernel log.
slow_kernel || true
# What the project's 6.12 kernel has built in, a distribution's kernel (7.3:
# tests/guest/stock-*) has as modules: loaded first, so the scripts find the
# same kernel (RAM disks with the command line's brd.rd_nr, device-mapper
# targets, IPsec, veth, AF_ALG for the software references). Nothing to do
# where they are built in.
for m in brd loop dm-crypt dm-verity dm-integrity xfrm_user esp4 ah4 veth authenc algif_skcipher algif_hash algif_aead; do
    modinfo -F filename "$m" 2>/dev/null | grep -q '\.ko' && modprobe "$m"
done

# Every error and warning the driver can print (pr_err!, pr_warn! in
# virtio_crypto/; helpers.c prints none), after the module's "virtio_crypto_rs: "
# prefix. Any of them in the log of a script fails it unless the script
# declares it expected (see run_script). Keep in step with the driver's
# messages: scripts/test.sh's host check driver-messages-known compares the
# sources with this list.
DRIVER_ERRORS='virtio_crypto_rs: .*(reading the device list failed|registering .* failed|software digest size differs'
DRIVER_ERRORS=$DRIVER_ERRORS'|HW_READY not set; its algorithms are offered once it is|no debugfs entry'
DRIVER_ERRORS=$DRIVER_ERRORS'|no current proof of reset; queues not deleted|queue\(s\) still attached when deleted|no proof that this queue.s device is reset'
DRIVER_ERRORS=$DRIVER_ERRORS'|an algorithm (was taken while unregistered|still in use was unregistered)|a request was reported (finished|refused) with another one.s handle'
DRIVER_ERRORS=$DRIVER_ERRORS'|destroying session .* failed|the device gave a new session the id .* of an open session; refused'
DRIVER_ERRORS=$DRIVER_ERRORS'|re-creating a session after reset failed|control command timed out|control: invalid answer|dataq[0-9]+: invalid answer'
DRIVER_ERRORS=$DRIVER_ERRORS'|device does not offer VIRTIO_F_VERSION_1|unusable configuration|cannot set up the .* data queue'
DRIVER_ERRORS=$DRIVER_ERRORS'|out of memory deleting queues|queues not deleted|restore failed|resetting the device|reset failed|no more resets)'

# run_script PATH: runs one script in its own shell under the time limit and
# prints its verdict. The end marker is a file the shell writes only after the
# script ran to its end (a script's `exit` or a fatal shell error skips it).
# Then the kernel log written meanwhile (from a /dev/kmsg mark on) is read for
# the driver's own error and warning lines (DRIVER_ERRORS): each one fails the
# script, unless the script declares it expected near its top with
#   # vcrs-expect-log: <ERE>
# (one or more such lines; each ERE is matched against the whole log line).
# The seconds it took go to the results port as "VCRS-TIME t-NN-name.sh N",
# before its verdict (the host shows and records them).
run_script() {
    local t=$1 name end rc t0 secs verdict reason expected bad
    name=$(basename "$t")
    t0=$(date +%s)
    end=/tmp/vcrs-script-end
    rm -f "$end"
    result "== $t"
    log_mark "runner-$name"
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout -s KILL "$limit" sh -c '. /vcrs/tests/lib.sh; . "$1"; echo done >"$2"' sh "$t" "$end"
    rc=$?
    secs=$(($(date +%s) - t0))
    echo "-- $name: $secs s"
    verdict=PASS reason=""
    if [ "$rc" -eq 0 ] && [ -f "$end" ]; then
        :
    elif [ "$rc" -eq 137 ] && [ "$secs" -ge "$limit" ]; then
        verdict=FAIL reason="still running after the ${limit} s limit, killed"
        # What it left running (background users, a stuck tool) must not
        # disturb the next script: signal every process but init and this shell.
        kill -KILL -1 2>/dev/null
    elif [ "$rc" -eq 0 ]; then
        verdict=FAIL reason="exited before its end (exit 0)"
    else
        verdict=FAIL reason="its shell ended with status $rc before the script's end"
    fi
    expected=$(sed -n 's/^# vcrs-expect-log: //p' "$t" | tr '\n' '|' | sed 's/|$//')
    bad=$(log_since "runner-$name" | grep -E "$DRIVER_ERRORS")
    if [ -n "$bad" ] && [ -n "$expected" ]; then
        bad=$(echo "$bad" | grep -vE "$expected")
    fi
    if [ -n "$bad" ]; then
        bad="driver error line(s) not declared expected (# vcrs-expect-log): $(echo "$bad" | wc -l): $(echo "$bad" | head -1 | sed 's/^\[[ 0-9.]*\] //')"
        echo "$bad"
        verdict=FAIL reason="${reason:+$reason; }$bad"
    fi
    result "VCRS-TIME $name $secs"
    if [ "$verdict" = PASS ]; then
        pass "$name"
    else
        fail "$name" "$reason"
    fi
}

for t in /vcrs/tests/"$suite"/t-*.sh; do
    if [ -n "$only" ]; then
        case ",$only," in
        *",$(basename "$t" | cut -d- -f1-2),"*) ;;
        *) continue ;;
        esac
    fi
    case ",$skip_list," in
    *",$(basename "$t" | cut -d- -f1-2),"*)
        skip "$(basename "$t")" "not run on this kernel (vcrs.skip, see scripts/test.sh)"
        continue
        ;;
    esac
    run_script "$t"
    # A script that lowered the self-tests' fuzz iterations or changed the
    # simulated device's parameters (sim_params) and ended early does not
    # leave them so for the next one.
    fuzz_iterations_restore
    sim_params_restore 2>/dev/null
done
