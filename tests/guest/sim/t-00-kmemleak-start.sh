# SPDX-License-Identifier: GPL-2.0
# Leak checking for this suite (kmemleak=on on its command line): forget what
# boot left behind, so that t-99-leaks.sh sees only what the tests leaked.

kmemleak_start
