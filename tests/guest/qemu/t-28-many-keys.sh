# SPDX-License-Identifier: GPL-2.0
# More keyed transforms than QEMU's builtin backend has sessions (256): 300
# AF_ALG transforms of cbc-aes-virtio-rs, each with its own random key, all
# open at once. Every one must encrypt correctly (checked against the software
# cbc(aes-generic)): those the device refuses a session to are served in
# software. While all are open, the debugfs status (per device:
# transforms_device, keyed transforms on the device's sessions, and
# transforms_software, keyed transforms served in software) must account for
# all 300. Each keyed transform opens both directions' sessions on the
# device (2 of QEMU's 256): the first (256 - open before) / 2 keys run on the
# device, the others in software, reason no_session; each encrypts once.

grep -q "^$DRIVER_NAME " /proc/modules || insmod "$MOD"
expect_eq many-keys-selftest-passed "$(wait_selftest cbc-aes-virtio-rs)" passed
open_before=$(our_sessions_open)
on_device=$(((256 - open_before) / 2))
before=$(alg_snapshot)
out=$(afalg_keys cbc-aes-virtio-rs "cbc(aes-generic)" 300 16 \
    'cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status' 2>&1)
rc=$?
echo "$out"
summary=$(echo "$out" | grep '^afalg_keys:')
if [ "$rc" -eq 0 ]; then
    pass afalg-300-keys-all-correct
else
    fail afalg-300-keys-all-correct "${summary:-afalg_keys exited $rc: $(echo "$out" | tail -1)}"
fi
alg_expect afalg-300-keys-device-and-no-session cbc-aes-virtio-rs \
    "device=$on_device no_session=$((300 - on_device)) software=$((300 - on_device))" "$before"
# Sums over the devices, and how many status files had each line.
read -r dev sw nd ns <<EOF_SPLIT
$(echo "$out" | awk '
    $1 == "transforms_device" { d += $2; nd++ }
    $1 == "transforms_software" { s += $2; ns++ }
    END { printf "%d %d %d %d", d, s, nd, ns }')
EOF_SPLIT
why="transforms_device $dev + transforms_software $sw over $nd device(s), while 300 were open (expected $on_device + $((300 - on_device)), $open_before session(s) open before)"
if [ "$nd" -eq 0 ] || [ "$ns" -eq 0 ]; then
    fail afalg-300-keys-debugfs-split "no transforms_device/transforms_software lines in the status file"
elif [ "$dev" -eq "$on_device" ] && [ "$sw" -eq $((300 - on_device)) ]; then
    echo "$why"
    pass afalg-300-keys-debugfs-split
else
    fail afalg-300-keys-debugfs-split "$why"
fi
