# The guest half of the test suite: runs the suite named by vcrs.suite= on the
# kernel command line (a folder of t-*.sh scripts); every check prints one
# VCRS-RESULT line. vcrs.only=t-70,t-99 runs only the scripts with those
# prefixes (for debugging; the full suite is the contract).
. /vcrs/tests/lib.sh

suite=$(sed -n 's/.*vcrs\.suite=\([a-z]*\).*/\1/p' /proc/cmdline)
[ -d "/vcrs/tests/$suite" ] || { fail suite "unknown suite '$suite'"; exit 0; }
only=$(sed -n 's/.*vcrs\.only=\([-a-z0-9,]*\).*/\1/p' /proc/cmdline)
for t in /vcrs/tests/"$suite"/t-*.sh; do
    if [ -n "$only" ]; then
        case ",$only," in
        *",$(basename "$t" | cut -d- -f1-2),"*) ;;
        *) continue ;;
        esac
    fi
    echo "== $t"
    . "$t"
done
