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
check sessions-destroyed-300-created sessions_cycle
