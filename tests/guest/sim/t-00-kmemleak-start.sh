# Leak checking for this suite (kmemleak=on on its command line): forget what
# boot left behind, so that t-99-leaks.sh sees only what the tests leaked.

check kmemleak-enabled test -w /sys/kernel/debug/kmemleak
# No periodic scans (they would log boot-time suspects); t-99 scans on demand.
echo scan=off >/sys/kernel/debug/kmemleak 2>/dev/null
echo scan >/sys/kernel/debug/kmemleak 2>/dev/null
echo clear >/sys/kernel/debug/kmemleak 2>/dev/null
# t-99-leaks.sh runs in a shell of its own: this file tells it the slate was
# wiped (without it, boot's objects would count as the tests' leaks).
echo "$(date +%s)" >/tmp/kmemleak-cleared
