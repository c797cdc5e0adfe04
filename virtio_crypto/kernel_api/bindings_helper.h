/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel headers the driver's bindings are generated from. bindgen runs on
 * this file at module build time with the target kernel's own flags (see
 * scripts/gen-bindings.sh), so config-dependent structs always match.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>
#include <crypto/aes.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/hash.h>
#include <crypto/internal/skcipher.h>
#include <crypto/internal/akcipher.h>
#include <crypto/internal/rsa.h>
#include <crypto/scatterwalk.h>
#include <uapi/linux/virtio_crypto.h>
#include <uapi/linux/virtio_ids.h>

#include "helpers.h"

/*
 * The Crypto API's lock over its algorithm list (crypto/internal.h, exported GPL):
 * registration.rs takes it to retire an algorithm only while nothing holds it.
 */
extern struct rw_semaphore crypto_alg_sem;

/* Constants bindgen cannot evaluate on its own (renamed by the generator). */
const gfp_t RUST_CONST_HELPER_GFP_KERNEL = GFP_KERNEL;
const gfp_t RUST_CONST_HELPER_GFP_ATOMIC = GFP_ATOMIC;
const gfp_t RUST_CONST_HELPER_GFP_ATOMIC_NOWARN = GFP_ATOMIC | __GFP_NOWARN;
const unsigned int RUST_CONST_HELPER_WQ_MEM_RECLAIM = WQ_MEM_RECLAIM;
const unsigned int RUST_CONST_HELPER_WQ_HIGHPRI = WQ_HIGHPRI;
const unsigned int RUST_CONST_HELPER_WQ_BH = WQ_BH;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_CIPHER_CREATE_SESSION = VIRTIO_CRYPTO_CIPHER_CREATE_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION = VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_CIPHER_ENCRYPT = VIRTIO_CRYPTO_CIPHER_ENCRYPT;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_CIPHER_DECRYPT = VIRTIO_CRYPTO_CIPHER_DECRYPT;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_HASH_CREATE_SESSION = VIRTIO_CRYPTO_HASH_CREATE_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_HASH_DESTROY_SESSION = VIRTIO_CRYPTO_HASH_DESTROY_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_MAC_CREATE_SESSION = VIRTIO_CRYPTO_MAC_CREATE_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_MAC_DESTROY_SESSION = VIRTIO_CRYPTO_MAC_DESTROY_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AEAD_CREATE_SESSION = VIRTIO_CRYPTO_AEAD_CREATE_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AEAD_DESTROY_SESSION = VIRTIO_CRYPTO_AEAD_DESTROY_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION = VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION = VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_ENCRYPT = VIRTIO_CRYPTO_AKCIPHER_ENCRYPT;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_DECRYPT = VIRTIO_CRYPTO_AKCIPHER_DECRYPT;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_SIGN = VIRTIO_CRYPTO_AKCIPHER_SIGN;
const u32 RUST_CONST_HELPER_VIRTIO_CRYPTO_AKCIPHER_VERIFY = VIRTIO_CRYPTO_AKCIPHER_VERIFY;
