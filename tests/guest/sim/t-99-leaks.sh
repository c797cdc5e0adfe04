# SPDX-License-Identifier: GPL-2.0
# No leaks: after every test above (the driver and the simulated device loaded
# and unloaded many times, requests failed, devices removed and hot-unplugged
# under load), kmemleak finds no unreferenced object.

kmemleak_check
