# SPDX-License-Identifier: GPL-2.0
# Sessions are destroyed when a transform goes away: 150 AF_ALG users in a row
# create 300 sessions, more than QEMU's builtin backend holds at once (256).

sessions_cycle() {
    local i=0
    head -c 16 /dev/urandom >/tmp/key
    head -c 64 /dev/urandom >/tmp/plain
    while [ $i -lt 150 ]; do
        kcapi_cipher cbc-aes-virtio-rs -e /tmp/key 000102030405060708090a0b0c0d0e0f /tmp/plain /tmp/out ||
            { echo "AF_ALG user $i failed"; return 1; }
        i=$((i + 1))
    done
}
# The fallback would hide a leak (a refused session only sends requests to
# software): all 150 requests must reach the device (a leak of the sessions of
# the first 128 users would fill the device's 256 and send the later ones to
# software, reason no_session), and the driver holds as many sessions after as
# before.
open_before=$(our_sessions_open)
served sessions-destroyed-300-created cbc-aes-virtio-rs "device=150 software=0" sessions_cycle
expect_eq sessions-open-after-150-users "$(our_sessions_open)" "$open_before"
