# No leaks: after every test above (the driver and the simulated device loaded
# and unloaded many times, requests failed, devices removed and hot-unplugged
# under load), kmemleak finds no unreferenced object. Objects must be 5 s old to be
# reported, hence the pause between the two scans.

# Only meaningful after t-00-kmemleak-start.sh wiped what boot left.
check kmemleak-cleared-at-start test -f /tmp/kmemleak-cleared
sleep 6
echo scan >/sys/kernel/debug/kmemleak
sleep 1
echo scan >/sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak >/tmp/leaks
leaks=$(grep -c '^unreferenced object' /tmp/leaks)
[ "$leaks" -eq 0 ] || head -40 /tmp/leaks
expect_eq kmemleak-no-leaks "$leaks" 0
