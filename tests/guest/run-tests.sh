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
# the time limit ran out. A script that stops early thus never just shows
# fewer PASS lines. Before each script the console and the results port get
# "== /vcrs/tests/<suite>/t-NN-name.sh", which tells the host what was running
# when a guest hangs or panics.
. /vcrs/tests/lib.sh

suite=$(sed -n 's/.*vcrs\.suite=\([a-z]*\).*/\1/p' /proc/cmdline)
[ -d "/vcrs/tests/$suite" ] || { fail suite "unknown suite '$suite'"; exit 0; }
only=$(sed -n 's/.*vcrs\.only=\([-a-z0-9,]*\).*/\1/p' /proc/cmdline)
skip_list=$(sed -n 's/.*vcrs\.skip=\([-a-z0-9,]*\).*/\1/p' /proc/cmdline)
limit=$(sed -n 's/.*vcrs\.script_timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
limit=${limit:-600}
# Decided while the boot messages are still in the kernel log.
slow_kernel || true

# run_script PATH: runs one script in its own shell under the time limit and
# prints its verdict. The end marker is a file the shell writes only after the
# script ran to its end (a script's `exit` or a fatal shell error skips it).
run_script() {
    local t=$1 name end rc t0
    name=$(basename "$t")
    t0=$(date +%s)
    end=/tmp/vcrs-script-end
    rm -f "$end"
    result "== $t"
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout -s KILL "$limit" sh -c '. /vcrs/tests/lib.sh; . "$1"; echo done >"$2"' sh "$t" "$end"
    rc=$?
    echo "-- $name: $(($(date +%s) - t0)) s"
    if [ "$rc" -eq 0 ] && [ -f "$end" ]; then
        pass "$name"
    elif [ "$rc" -eq 137 ] && [ $(($(date +%s) - t0)) -ge "$limit" ]; then
        fail "$name" "still running after the ${limit} s limit, killed"
        # What it left running (background users, a stuck tool) must not
        # disturb the next script: signal every process but init and this shell.
        kill -KILL -1 2>/dev/null
    elif [ "$rc" -eq 0 ]; then
        fail "$name" "exited before its end (exit 0)"
    else
        fail "$name" "its shell ended with status $rc before the script's end"
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
