# The guest half of the test suite: every test prints one VCRS-RESULT line.
. /vcrs/tests/lib.sh

for t in /vcrs/tests/t-*.sh; do
    echo "== $t"
    . "$t"
done
