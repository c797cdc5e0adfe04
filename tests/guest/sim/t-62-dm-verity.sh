# SPDX-License-Identifier: GPL-2.0
# dm-verity hashes through our driver's sha256 (an ahash): a verity image
# (sha256, 4 KiB data and hash blocks, random salt) built with `veritysetup
# format` on two loop devices over files in /tmp; the whole device reads back
# intact and verified, with dm-verity holding sha256-virtio-rs and the debugfs
# hash counters growing; then one data block overwritten on the backing device
# fails to read (EIO) while every other block reads fine, and dm-verity logs
# the corrupted block.
#
# How 6.12.117's dm-verity uses the Crypto API (drivers/md/dm-verity-target.c):
# - verity_setup_hash_alg() allocates crypto_alloc_ahash("sha256", 0, 0) (mask
#   CRYPTO_ALG_ASYNC only with try_verify_in_tasklet, which would exclude us),
#   and for version 1 images also crypto_alloc_shash("sha256"). It keeps the
#   shash, and frees the ahash, when both resolve to the same driver; it keeps
#   the ahash only when the ahash resolves to a different driver (an
#   async-only driver such as ours, which can never be an shash). It logs
#   "sha256 using ahash \"<driver>\"" or "using shash".
# - With the ahash, verity_hash() computes each digest (data blocks, hash tree
#   blocks, and the recheck of a mismatching block) as crypto_ahash_init(),
#   crypto_ahash_update(salt), crypto_ahash_update(block), crypto_ahash_final():
#   never digest() or finup(), so every digest is a message in two update()
#   calls (multipart). Each call is waited for with crypto_wait_req(), so
#   -EINPROGRESS and -EBUSY (backlog) are both fine.
# - Request flags: CRYPTO_TFM_REQ_MAY_SLEEP | CRYPTO_TFM_REQ_MAY_BACKLOG when
#   verifying from its workqueue (always here: no try_verify_in_tasklet), 0 in
#   the BH workqueue. The request lives in the bio's per-io data (reqsize
#   honoured), the data block is one scatterlist entry (a page, or page-sized
#   steps for vmalloc memory), the salt a separate kmalloc'ed buffer.

# The registrations' self-tests repeat what t-50, t-52 and t-56 ran in full:
# 10 fuzz iterations at most (the runner restores the setting after every
# script).
fuzz_iterations 10

insmod /vcrs/modules/vcrs_sim.ko
check verity-sim-dev-add vdpa dev add mgmtdev vdpasim_crypto name vy0
check verity-insmod insmod "$MOD"
expect_eq verity-all-selftests-passed "$(wait_our_selftests)" ""
# wait_our_selftests waited for every algorithm we registered: ours must be one.
expect_eq verity-sha256-virtio-rs-selftest "$(proc_crypto_field sha256-virtio-rs selftest)" passed


BLOCKS=1024   # 4 MiB of data in 4 KiB blocks
BAD=357       # the data block corrupted later
D=/tmp/verity.data H=/tmp/verity.hash NAME=vcrs-verity
head -c $((BLOCKS * 4096)) /dev/urandom >$D
head -c 1048576 /dev/zero >$H
format() {
    veritysetup format --hash sha256 --data-block-size 4096 --hash-block-size 4096 \
        --data-blocks $BLOCKS $D $H >/tmp/verity.format || return 1
    sed -n 's/^Root hash:[[:space:]]*\([0-9a-f]*\)$/\1/p' /tmp/verity.format >/tmp/verity.root
    [ "$(wc -c </tmp/verity.root)" = 65 ]
}
check verity-format format
root=$(cat /tmp/verity.root)
dloop=$(losetup -f) && losetup "$dloop" $D
hloop=$(losetup -f) && losetup "$hloop" $H
attached() { losetup -a | grep -q "^$dloop: .*verity.data" && losetup -a | grep -q "^$hloop: .*verity.hash"; }
check verity-loops-attached attached

log_mark verity-open
check verity-open veritysetup open "$dloop" $NAME "$hloop" "$root"
uses_our_ahash() {
    log_since verity-open | grep -q 'verity: sha256 using ahash "sha256-virtio-rs"' ||
        { log_since verity-open | grep 'verity: sha256 using' | sed 's/^\[[ 0-9.]*\] //'; return 1; }
}
check verity-uses-our-ahash uses_our_ahash
held() {
    local n
    n=$(proc_crypto_field sha256-virtio-rs refcnt)
    [ "${n:-0}" -gt 1 ] || { echo "sha256-virtio-rs refcnt '$n'"; return 1; }
}
check verity-holds-sha256-virtio-rs held

# The whole intact device, read directly (no page cache): every block verified.
# The hash tree: BLOCKS digests of 32 bytes in 4 KiB hash blocks (level 0),
# their own digests in one level-1 block, whose digest is the root.
TREE=$(((BLOCKS * 32 + 4095) / 4096 + 1))
# multipart_ops: the status' "multipart_ops device N" summed over devices.
multipart_ops() { ops_count multipart_ops device; }
intact0=$(alg_snapshot) multi0=$(multipart_ops)
check verity-read-intact dd if=/dev/mapper/$NAME of=/tmp/verity.back bs=65536 iflag=direct
check verity-data-equals-written cmp $D /tmp/verity.back
check verity-status-verified sh -c "veritysetup status $NAME | grep -q 'status: *verified'"
cat /sys/kernel/debug/virtio_crypto_rs/virtio*/status
# Each data block hashed once and each hash block verified once when first
# read: BLOCKS + TREE digests, every one on the device, none in software.
alg_expect verity-every-block-hashed-on-device sha256-virtio-rs $((BLOCKS + TREE)) "$intact0"
# dm-verity's digests are init, update(salt), update(block), final: each one
# a multi-part message the driver sends as one request at final.
multi1=$(multipart_ops)
check verity-every-digest-multipart-on-device test "$((${multi1:-0} - ${multi0:-0}))" -ge $((BLOCKS + TREE))
check verity-close veritysetup close $NAME

# One data block overwritten on the backing device (the loop device reads the
# file in /tmp), then a fresh mapping: that block fails, the others read fine.
check verity-corrupt-block dd if=/dev/zero of=$D bs=4096 seek=$BAD count=1 conv=notrunc
echo 3 >/proc/sys/vm/drop_caches
log_mark verity-corrupt
check verity-reopen veritysetup open "$dloop" $NAME "$hloop" "$root"
read_block() { dd if=/dev/mapper/$NAME of=/tmp/verity.block bs=4096 skip="$1" count=1 iflag=direct 2>&1; }
eio_on_bad_block() {
    local out
    out=$(read_block $BAD) && { echo "read of block $BAD succeeded"; return 1; }
    echo "$out" | grep -q 'I/O error\|Input/output error' || { echo "not an I/O error: $out"; return 1; }
}
bad0=$(alg_snapshot)
check verity-corrupt-block-read-fails-eio eio_on_bad_block
# The mismatch was the device's digest: the block's two hash blocks (level 1,
# then its level-0 block), the block itself and dm-verity's recheck of it.
alg_expect verity-corrupt-block-hashed-on-device sha256-virtio-rs 4 "$bad0"
others0=$(alg_snapshot)
others_read_fine() {
    dd if=/dev/mapper/$NAME of=/tmp/verity.before bs=4096 count=$BAD iflag=direct 2>/dev/null &&
        dd if=/dev/mapper/$NAME of=/tmp/verity.after bs=4096 skip=$((BAD + 1)) iflag=direct 2>/dev/null &&
        head -c $((BAD * 4096)) /tmp/verity.back | cmp -s - /tmp/verity.before &&
        tail -c $(((BLOCKS - BAD - 1) * 4096)) /tmp/verity.back | cmp -s - /tmp/verity.after
}
check verity-other-blocks-read-fine others_read_fine
# The other BLOCKS - 1 blocks and the level-0 hash blocks not read yet.
alg_expect verity-other-blocks-hashed-on-device sha256-virtio-rs $((BLOCKS - 1 + TREE - 2)) "$others0"
check verity-corruption-logged sh -c "dmesg | sed -n '/vcrs-mark verity-corrupt\$/,\$p' | grep -q 'verity: .*: data block $BAD is corrupted'"
log_since verity-corrupt | grep 'is corrupted' | head -3
check verity-status-corrupted sh -c "veritysetup status $NAME | grep -q 'status: *corrupted'"
check verity-close-corrupted veritysetup close $NAME

losetup -d "$dloop"
losetup -d "$hloop"
check verity-loops-detached sh -c "! losetup -a | grep -q '/tmp/verity'"
rm -f $D $H /tmp/verity.back /tmp/verity.before /tmp/verity.after /tmp/verity.block /tmp/verity.format /tmp/verity.root
check verity-module-unused wait_module_unused
check verity-rmmod rmmod "$DRIVER_NAME"
check verity-dev-del vdpa dev del vy0
rmmod vcrs_sim
