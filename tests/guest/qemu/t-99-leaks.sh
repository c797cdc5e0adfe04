# SPDX-License-Identifier: GPL-2.0
# No leaks: after every test above (the driver loaded and unloaded, sessions
# churned, the device frozen under load and hot-unplugged and plugged back
# under load), kmemleak finds no unreferenced object.

kmemleak_check
