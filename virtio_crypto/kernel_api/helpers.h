/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Out-of-line wrappers for the static inline functions and macros the Rust
 * side needs. Each one only forwards to the kernel's own definition.
 */
#ifndef VCRS_HELPERS_H
#define VCRS_HELPERS_H

#include <linux/completion.h>
#include <linux/ratelimit.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <crypto/internal/skcipher.h>
#include <crypto/internal/akcipher.h>
#include <crypto/internal/rsa.h>

/* Virtio device and configuration space. */
void vcrs_virtio_device_ready(struct virtio_device *vdev);
bool vcrs_virtio_has_feature(const struct virtio_device *vdev, unsigned int fbit);
void vcrs_virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset,
			     void *buf, size_t len);
int vcrs_virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[], vq_callback_t *callbacks[],
			 const char *const names[]);
void vcrs_virtio_del_vqs(struct virtio_device *vdev);
void vcrs_virtio_synchronize_cbs(struct virtio_device *vdev);

/* Spinlocks that disable local interrupts. */
struct lock_class_key;
void vcrs_spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key);
unsigned long vcrs_spin_lock_irqsave(spinlock_t *lock);
void vcrs_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);

/* Completions. */
void vcrs_init_completion(struct completion *c);

/* Scatterlists. */
void vcrs_sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len);
void vcrs_sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		      unsigned int offset);
struct page *vcrs_sg_page(struct scatterlist *sg);
void vcrs_sg_mark_end(struct scatterlist *sg);
bool vcrs_sg_is_last(struct scatterlist *sg);
struct scatterlist *vcrs_sg_next(struct scatterlist *sg);

/* Workqueues (alloc_workqueue is a macro from 6.10: alloc_hooks). */
struct workqueue_struct *vcrs_alloc_workqueue(const char *name, unsigned int flags);

/* Crypto API. */
void *vcrs_crypto_skcipher_ctx(struct crypto_skcipher *tfm);
struct skcipher_alg *vcrs_crypto_skcipher_alg(struct crypto_skcipher *tfm);
struct crypto_skcipher *vcrs_crypto_skcipher_reqtfm(struct skcipher_request *req);
void vcrs_crypto_request_complete(struct crypto_async_request *req, int err);
u32 vcrs_crypto_request_flags(struct crypto_async_request *req);
void *vcrs_skcipher_request_ctx(struct skcipher_request *req);
unsigned int vcrs_crypto_skcipher_ivsize(struct crypto_skcipher *tfm);
void vcrs_crypto_skcipher_set_reqsize(struct crypto_skcipher *tfm, unsigned int reqsize);

/* Synchronous software fallback: allocation, key, one whole request. */
unsigned int vcrs_soft_cipher_ivsize(struct crypto_sync_skcipher *tfm);
void vcrs_soft_cipher_free(struct crypto_sync_skcipher *tfm);
int vcrs_soft_cipher_setkey(struct crypto_sync_skcipher *tfm, const u8 *key, unsigned int keylen);
int vcrs_soft_cipher_crypt(struct crypto_sync_skcipher *tfm, struct skcipher_request *req,
			   bool encrypt);

/* Key checks of the generic implementations (same errno, weak-key policy). */
int vcrs_verify_des3_key(struct crypto_skcipher *tfm, const u8 *key);
int vcrs_verify_xts_key(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen);

/* CPUs. */
unsigned int vcrs_raw_smp_processor_id(void);

/* debugfs: a read-only file whose contents a callback writes into a seq_file. */
struct seq_file;
struct dentry;
struct vcrs_show_ctx {
	int (*show)(struct seq_file *m, const void *data);
	const void *data;
};
struct dentry *vcrs_debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *vcrs_debugfs_create_show(const char *name, struct dentry *parent,
					const struct vcrs_show_ctx *ctx);
void vcrs_debugfs_remove(struct dentry *dentry);
void vcrs_seq_write(struct seq_file *m, const void *data, size_t len);

/* Memory. */
bool vcrs_virt_addr_valid(const void *addr);
void vcrs_memzero_explicit(void *s, size_t count);

/* ahash: transform and request accessors. */
struct crypto_ahash;
struct ahash_request;
struct ahash_alg;
struct crypto_shash;
struct shash_desc;
void *vcrs_crypto_ahash_ctx(struct crypto_ahash *tfm);
struct ahash_alg *vcrs_crypto_ahash_alg(struct crypto_ahash *tfm);
struct crypto_ahash *vcrs_crypto_ahash_reqtfm(struct ahash_request *req);
void *vcrs_ahash_request_ctx(struct ahash_request *req);
void vcrs_crypto_ahash_set_reqsize(struct crypto_ahash *tfm, unsigned int reqsize);
void vcrs_crypto_ahash_set_statesize(struct crypto_ahash *tfm, unsigned int statesize);
unsigned int vcrs_crypto_ahash_digestsize(struct crypto_ahash *tfm);
struct scatterlist *vcrs_ahash_request_src(struct ahash_request *req,
					   struct scatterlist *virt_sg);
void vcrs_ahash_request_prepare_virt(struct ahash_request *req,
				     struct scatterlist *virt_sg);
bool vcrs_ahash_request_data_mappable(struct ahash_request *req);
const u8 *vcrs_ahash_request_virt(struct ahash_request *req);
bool vcrs_ahash_core_fallback_exists(const char *name);

/* The software hash (a synchronous shash) behind an ahash transform. */
void vcrs_soft_hash_free(struct crypto_shash *tfm);
int vcrs_soft_hash_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen);
unsigned int vcrs_soft_hash_descsize(struct crypto_shash *tfm);
unsigned int vcrs_soft_hash_statesize(struct crypto_shash *tfm);
unsigned int vcrs_soft_hash_digestsize(struct crypto_shash *tfm);
unsigned int vcrs_soft_hash_blocksize(struct crypto_shash *tfm);
const char *vcrs_soft_hash_driver_name(struct crypto_shash *tfm);
int vcrs_soft_hash_digest_buf(struct crypto_shash *tfm, const u8 *data, unsigned int len, u8 *out);
int vcrs_soft_hash_init(struct crypto_shash *tfm, struct shash_desc *desc);
int vcrs_soft_hash_update_buf(struct shash_desc *desc, const u8 *data, unsigned int len);
int vcrs_soft_hash_update_req(struct shash_desc *desc, struct ahash_request *req);
int vcrs_soft_hash_final(struct shash_desc *desc, u8 *out);
int vcrs_soft_hash_finup_req(struct shash_desc *desc, struct ahash_request *req);
int vcrs_soft_hash_digest_req(struct crypto_shash *tfm, struct shash_desc *desc,
			      struct ahash_request *req);
int vcrs_soft_hash_export(struct shash_desc *desc, void *out);
int vcrs_soft_hash_import(struct crypto_shash *tfm, struct shash_desc *desc, const void *in);
void vcrs_soft_hash_zero(struct shash_desc *desc);

/* aead: transform and request accessors. */
struct crypto_aead;
struct aead_request;
struct aead_alg;
void *vcrs_crypto_aead_ctx(struct crypto_aead *tfm);
struct aead_alg *vcrs_crypto_aead_alg(struct crypto_aead *tfm);
struct crypto_aead *vcrs_crypto_aead_reqtfm(struct aead_request *req);
void *vcrs_aead_request_ctx(struct aead_request *req);
void vcrs_crypto_aead_set_reqsize(struct crypto_aead *tfm, unsigned int reqsize);
unsigned int vcrs_crypto_aead_reqsize(struct crypto_aead *tfm);
unsigned int vcrs_crypto_aead_ivsize(struct crypto_aead *tfm);
unsigned int vcrs_crypto_aead_authsize(struct crypto_aead *tfm);

/* The software AEAD behind an aead transform (synchronous). */
void vcrs_soft_aead_free(struct crypto_aead *tfm);
int vcrs_soft_aead_setkey(struct crypto_aead *tfm, const u8 *key, unsigned int keylen);
int vcrs_soft_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize);
unsigned int vcrs_soft_aead_request_size(struct crypto_aead *tfm);
int vcrs_soft_aead_crypt(struct crypto_aead *tfm, struct aead_request *req, bool encrypt);
int vcrs_authenc_split_key(const u8 *key, unsigned int keylen, const u8 **enckey,
			   unsigned int *enckeylen, const u8 **authkey, unsigned int *authkeylen);
bool vcrs_crypto_memneq(const void *a, const void *b, size_t size);

u64 vcrs_sg_phys(struct scatterlist *sg);

/* Recovery of a misbehaving device (the decisions are in virtio.rs), and the time it is given. */
void vcrs_device_lock(struct device *dev);
void vcrs_device_unlock(struct device *dev);
bool vcrs_virtio_driver_module_get(struct virtio_device *vdev);
void vcrs_virtio_driver_module_put(struct virtio_device *vdev);
void vcrs_virtio_config_driver_disable(struct virtio_device *vdev);
u8 vcrs_virtio_get_status(struct virtio_device *vdev);
bool vcrs_system_running(void);
unsigned int vcrs_lock_system_sleep(void);
void vcrs_unlock_system_sleep(unsigned int flags);
u64 vcrs_now_ms(void);

/* Rate limits for messages about what a device answered. */
void vcrs_ratelimit_init(struct ratelimit_state *rs);
bool vcrs_ratelimit(struct ratelimit_state *rs);

/* Asymmetric ciphers (akcipher). */
void *vcrs_akcipher_tfm_ctx(struct crypto_akcipher *tfm);
struct akcipher_alg *vcrs_crypto_akcipher_alg(struct crypto_akcipher *tfm);
struct crypto_akcipher *vcrs_crypto_akcipher_reqtfm(struct akcipher_request *req);
void *vcrs_akcipher_request_ctx(struct akcipher_request *req);
void vcrs_akcipher_set_reqsize(struct crypto_akcipher *tfm, unsigned int reqsize);

/* The software akcipher a transform falls back to. */
void vcrs_soft_akcipher_free(struct crypto_akcipher *tfm);
int vcrs_soft_akcipher_set_key(struct crypto_akcipher *tfm, const void *key, unsigned int keylen,
			       bool private_key);
unsigned int vcrs_soft_akcipher_max_size(struct crypto_akcipher *tfm);
unsigned int vcrs_soft_akcipher_subreq_size(struct crypto_akcipher *tfm);
int vcrs_akcipher_encrypt_once(const char *driver, const void *key, unsigned int klen,
			       const void *src, unsigned int slen, void *dst, unsigned int dlen);
int vcrs_soft_akcipher_run(struct crypto_akcipher *tfm, struct akcipher_request *req,
			   void *subreq_mem, unsigned int op);

#endif
