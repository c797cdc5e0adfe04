# SPDX-License-Identifier: GPL-2.0
# Leak checking for this suite (kmemleak=on on its command line; the debug
# kernel's qemu suite skips it, see scripts/test.sh): forget what boot left
# behind, so that t-99-leaks.sh sees only what the tests leaked.

kmemleak_start
