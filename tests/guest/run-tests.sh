# The guest half of the test suite: runs the suite named by vcrs.suite= on the
# kernel command line (a folder of t-*.sh scripts); every check prints one
# VCRS-RESULT line.
. /vcrs/tests/lib.sh

suite=$(sed -n 's/.*vcrs\.suite=\([a-z]*\).*/\1/p' /proc/cmdline)
[ -d "/vcrs/tests/$suite" ] || { fail suite "unknown suite '$suite'"; exit 0; }
for t in /vcrs/tests/"$suite"/t-*.sh; do
    echo "== $t"
    . "$t"
done
