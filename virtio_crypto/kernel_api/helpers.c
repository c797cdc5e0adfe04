// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers for static inline kernel functions and macros, linked
 * into virtio_crypto_rs.ko beside the Rust object. See helpers.h.
 */
#include <linux/bottom_half.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/suspend.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <crypto/authenc.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/des.h>
#include <crypto/utils.h>
#include <crypto/internal/hash.h>
#include <crypto/xts.h>
#include "helpers.h"

unsigned int vcrs_raw_smp_processor_id(void)
{
	return raw_smp_processor_id();
}

int vcrs_verify_des3_key(struct crypto_skcipher *tfm, const u8 *key)
{
	return verify_skcipher_des3_key(tfm, key);
}

int vcrs_verify_xts_key(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen)
{
	return xts_verify_key(tfm, key, keylen);
}

unsigned int vcrs_soft_cipher_ivsize(struct crypto_sync_skcipher *tfm)
{
	return crypto_sync_skcipher_ivsize(tfm);
}

void vcrs_soft_cipher_free(struct crypto_sync_skcipher *tfm)
{
	crypto_free_sync_skcipher(tfm);
}

int vcrs_soft_cipher_setkey(struct crypto_sync_skcipher *tfm, const u8 *key, unsigned int keylen)
{
	return crypto_sync_skcipher_setkey(tfm, key, keylen);
}

int vcrs_soft_cipher_crypt(struct crypto_sync_skcipher *tfm, struct skcipher_request *req,
			   bool encrypt)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(subreq, tfm);
	int err;

	skcipher_request_set_sync_tfm(subreq, tfm);
	skcipher_request_set_callback(subreq, req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP, NULL, NULL);
	skcipher_request_set_crypt(subreq, req->src, req->dst, req->cryptlen, req->iv);
	err = encrypt ? crypto_skcipher_encrypt(subreq) : crypto_skcipher_decrypt(subreq);
	skcipher_request_zero(subreq);
	return err;
}

struct scatterlist *vcrs_sg_next(struct scatterlist *sg)
{
	return sg_next(sg);
}

struct workqueue_struct *vcrs_alloc_workqueue(const char *name, unsigned int flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
	/*
	 * 7.x wants every queue to say whether it is per-CPU or unbound (and
	 * warns otherwise): per-CPU is what an unflagged queue was on 6.12.
	 */
	flags |= WQ_PERCPU;
#endif
	return alloc_workqueue("%s", flags, 0, name);
}

void vcrs_virtio_device_ready(struct virtio_device *vdev)
{
	virtio_device_ready(vdev);
}

bool vcrs_virtio_has_feature(const struct virtio_device *vdev, unsigned int fbit)
{
	return virtio_has_feature(vdev, fbit);
}

void vcrs_virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset,
			     void *buf, size_t len)
{
	virtio_cread_bytes(vdev, offset, buf, len);
}

int vcrs_virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[], vq_callback_t *callbacks[],
			 const char *const names[])
{
	struct virtqueue_info *info;
	unsigned int i;
	int err;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
	}
	err = virtio_find_vqs(vdev, nvqs, vqs, info, NULL);
	kfree(info);
	return err;
}

void vcrs_virtio_del_vqs(struct virtio_device *vdev)
{
	vdev->config->del_vqs(vdev);
}

void vcrs_spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(spinlock_check(lock), name, key, LD_WAIT_CONFIG);
#else
	spin_lock_init(lock);
#endif
}

unsigned long vcrs_spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	return flags;
}

void vcrs_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}

void vcrs_init_completion(struct completion *c)
{
	init_completion(c);
}

void vcrs_sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len)
{
	sg_set_buf(sg, buf, len);
}

void vcrs_sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		      unsigned int offset)
{
	sg_set_page(sg, page, len, offset);
}

struct page *vcrs_sg_page(struct scatterlist *sg)
{
	return sg_page(sg);
}

void vcrs_sg_mark_end(struct scatterlist *sg)
{
	sg_mark_end(sg);
}

bool vcrs_sg_is_last(struct scatterlist *sg)
{
	return sg_is_last(sg);
}

void *vcrs_crypto_skcipher_ctx(struct crypto_skcipher *tfm)
{
	return crypto_skcipher_ctx(tfm);
}

struct skcipher_alg *vcrs_crypto_skcipher_alg(struct crypto_skcipher *tfm)
{
	return crypto_skcipher_alg(tfm);
}

struct crypto_skcipher *vcrs_crypto_skcipher_reqtfm(struct skcipher_request *req)
{
	return crypto_skcipher_reqtfm(req);
}

/*
 * Completion callbacks expect softirq-like context (IPsec, for one, relies on
 * it), so they run with bottom halves disabled even when called from a
 * workqueue.
 */
void vcrs_crypto_request_complete(struct crypto_async_request *req, int err)
{
	local_bh_disable();
	crypto_request_complete(req, err);
	local_bh_enable();
}

u32 vcrs_crypto_request_flags(struct crypto_async_request *req)
{
	return req->flags;
}

void *vcrs_skcipher_request_ctx(struct skcipher_request *req)
{
	return skcipher_request_ctx(req);
}

unsigned int vcrs_crypto_skcipher_ivsize(struct crypto_skcipher *tfm)
{
	return crypto_skcipher_ivsize(tfm);
}

void vcrs_crypto_skcipher_set_reqsize(struct crypto_skcipher *tfm, unsigned int reqsize)
{
	crypto_skcipher_set_reqsize(tfm, reqsize);
}

static int vcrs_seq_show(struct seq_file *m, void *unused)
{
	const struct vcrs_show_ctx *ctx = m->private;

	return ctx->show(m, ctx->data);
}

static int vcrs_show_open(struct inode *inode, struct file *file)
{
	return single_open(file, vcrs_seq_show, inode->i_private);
}

static const struct file_operations vcrs_show_fops = {
	.owner = THIS_MODULE,
	.open = vcrs_show_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Errors are not fatal for debugfs users: an ERR_PTR parent is accepted and ignored. */
struct dentry *vcrs_debugfs_create_dir(const char *name, struct dentry *parent)
{
	return debugfs_create_dir(name, parent);
}

struct dentry *vcrs_debugfs_create_show(const char *name, struct dentry *parent,
					const struct vcrs_show_ctx *ctx)
{
	return debugfs_create_file(name, 0444, parent, (void *)ctx, &vcrs_show_fops);
}

/* Waits for readers in progress, so the show context may be freed afterwards. */
void vcrs_debugfs_remove(struct dentry *dentry)
{
	debugfs_remove_recursive(dentry);
}

void vcrs_seq_write(struct seq_file *m, const void *data, size_t len)
{
	seq_write(m, data, len);
}

void vcrs_memzero_explicit(void *s, size_t count)
{
	memzero_explicit(s, count);
}

bool vcrs_virt_addr_valid(const void *addr)
{
	return virt_addr_valid(addr);
}

void vcrs_virtio_synchronize_cbs(struct virtio_device *vdev)
{
	virtio_synchronize_cbs(vdev);
}

void *vcrs_crypto_ahash_ctx(struct crypto_ahash *tfm)
{
	return crypto_ahash_ctx(tfm);
}

struct ahash_alg *vcrs_crypto_ahash_alg(struct crypto_ahash *tfm)
{
	return crypto_ahash_alg(tfm);
}

struct crypto_ahash *vcrs_crypto_ahash_reqtfm(struct ahash_request *req)
{
	return crypto_ahash_reqtfm(req);
}

void *vcrs_ahash_request_ctx(struct ahash_request *req)
{
	return ahash_request_ctx(req);
}

void vcrs_crypto_ahash_set_reqsize(struct crypto_ahash *tfm, unsigned int reqsize)
{
	crypto_ahash_set_reqsize(tfm, reqsize);
}

void vcrs_crypto_ahash_set_statesize(struct crypto_ahash *tfm, unsigned int statesize)
{
	crypto_ahash_set_statesize(tfm, statesize);
}

unsigned int vcrs_crypto_ahash_digestsize(struct crypto_ahash *tfm)
{
	return crypto_ahash_digestsize(tfm);
}

/*
 * 7.x puts src in a union with a virtual address (CRYPTO_AHASH_REQ_VIRT), and
 * the driver registers its ahash algorithms with CRYPTO_ALG_REQ_VIRT, so the
 * core hands such requests to it instead of to a fallback of its own.
 */
static bool vcrs_ahash_request_isvirt(struct ahash_request *req)
{
#ifdef CRYPTO_AHASH_REQ_VIRT
	return ahash_request_isvirt(req);
#else
	return false;
#endif
}

/*
 * Whether a device can read the request's data: a list, or a virtual address
 * in the kernel's linear map (not vmalloc or stack memory, which has no
 * single physical run).
 */
bool vcrs_ahash_request_data_mappable(struct ahash_request *req)
{
	if (!vcrs_ahash_request_isvirt(req) || !req->nbytes)
		return true;
#ifdef CRYPTO_AHASH_REQ_VIRT
	return virt_addr_valid(req->svirt) &&
	       virt_addr_valid(req->svirt + req->nbytes - 1) &&
	       !object_is_on_stack(req->svirt);
#else
	return false;
#endif
}

/*
 * For a request whose data is a virtual address a device can read, writes
 * one list entry over it to virt_sg (the request's context). Called once as
 * the request enters the driver, before anything reads the entry.
 */
void vcrs_ahash_request_prepare_virt(struct ahash_request *req,
				     struct scatterlist *virt_sg)
{
#ifdef CRYPTO_AHASH_REQ_VIRT
	if (vcrs_ahash_request_isvirt(req) && req->nbytes &&
	    vcrs_ahash_request_data_mappable(req))
		sg_init_one(virt_sg, req->svirt, req->nbytes);
#endif
}

/*
 * The request's data as a list: its own, or for a virtual address a device
 * can read the entry vcrs_ahash_request_prepare_virt wrote to virt_sg; NULL
 * for other virtual addresses (vcrs_ahash_request_data_mappable).
 */
struct scatterlist *vcrs_ahash_request_src(struct ahash_request *req,
					   struct scatterlist *virt_sg)
{
	if (!vcrs_ahash_request_isvirt(req))
		return req->src;
	if (!req->nbytes || !vcrs_ahash_request_data_mappable(req))
		return NULL;
	return virt_sg;
}

/*
 * 7.x gives every transform of an asynchronous ahash a fallback of the core's
 * own (crypto/ahash.c, crypto_ahash_init_tfm): an implementation of the same
 * name that takes virtual-address requests and exports its core state.
 * Whether one exists, allocated as the core would. Always true before 7.x.
 */
bool vcrs_ahash_core_fallback_exists(const char *name)
{
#ifdef CRYPTO_AHASH_ALG_NO_EXPORT_CORE
	struct crypto_ahash *fb = crypto_alloc_ahash(name, CRYPTO_ALG_REQ_VIRT,
						     CRYPTO_ALG_ASYNC | CRYPTO_ALG_REQ_VIRT |
						     CRYPTO_AHASH_ALG_NO_EXPORT_CORE);

	if (IS_ERR(fb))
		return false;
	crypto_free_ahash(fb);
#endif
	return true;
}

/* The request's data as a virtual address, or NULL for a list. */
const u8 *vcrs_ahash_request_virt(struct ahash_request *req)
{
#ifdef CRYPTO_AHASH_REQ_VIRT
	if (ahash_request_isvirt(req))
		return req->svirt;
#endif
	return NULL;
}

void vcrs_soft_hash_free(struct crypto_shash *tfm)
{
	crypto_free_shash(tfm);
}

int vcrs_soft_hash_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen)
{
	return crypto_shash_setkey(tfm, key, keylen);
}

unsigned int vcrs_soft_hash_descsize(struct crypto_shash *tfm)
{
	return crypto_shash_descsize(tfm);
}

unsigned int vcrs_soft_hash_statesize(struct crypto_shash *tfm)
{
	return crypto_shash_statesize(tfm);
}

unsigned int vcrs_soft_hash_digestsize(struct crypto_shash *tfm)
{
	return crypto_shash_digestsize(tfm);
}

unsigned int vcrs_soft_hash_blocksize(struct crypto_shash *tfm)
{
	return crypto_shash_blocksize(tfm);
}

const char *vcrs_soft_hash_driver_name(struct crypto_shash *tfm)
{
	return crypto_shash_driver_name(tfm);
}

int vcrs_soft_hash_digest_buf(struct crypto_shash *tfm, const u8 *data, unsigned int len, u8 *out)
{
	return crypto_shash_tfm_digest(tfm, data, len, out);
}

int vcrs_soft_hash_init(struct crypto_shash *tfm, struct shash_desc *desc)
{
	desc->tfm = tfm;
	return crypto_shash_init(desc);
}

int vcrs_soft_hash_update_buf(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	return crypto_shash_update(desc, data, len);
}

int vcrs_soft_hash_update_req(struct shash_desc *desc, struct ahash_request *req)
{
	return shash_ahash_update(req, desc);
}

int vcrs_soft_hash_final(struct shash_desc *desc, u8 *out)
{
	return crypto_shash_final(desc, out);
}

int vcrs_soft_hash_finup_req(struct shash_desc *desc, struct ahash_request *req)
{
	return shash_ahash_finup(req, desc);
}

int vcrs_soft_hash_digest_req(struct crypto_shash *tfm, struct shash_desc *desc,
			      struct ahash_request *req)
{
	desc->tfm = tfm;
	return shash_ahash_digest(req, desc);
}

int vcrs_soft_hash_export(struct shash_desc *desc, void *out)
{
	return crypto_shash_export(desc, out);
}

int vcrs_soft_hash_import(struct crypto_shash *tfm, struct shash_desc *desc, const void *in)
{
	desc->tfm = tfm;
	return crypto_shash_import(desc, in);
}

void vcrs_soft_hash_zero(struct shash_desc *desc)
{
	shash_desc_zero(desc);
}

/* aead: transform and request accessors. */
void *vcrs_crypto_aead_ctx(struct crypto_aead *tfm)
{
	return crypto_aead_ctx(tfm);
}

struct aead_alg *vcrs_crypto_aead_alg(struct crypto_aead *tfm)
{
	return crypto_aead_alg(tfm);
}

struct crypto_aead *vcrs_crypto_aead_reqtfm(struct aead_request *req)
{
	return crypto_aead_reqtfm(req);
}

void *vcrs_aead_request_ctx(struct aead_request *req)
{
	return aead_request_ctx(req);
}

void vcrs_crypto_aead_set_reqsize(struct crypto_aead *tfm, unsigned int reqsize)
{
	crypto_aead_set_reqsize(tfm, reqsize);
}

unsigned int vcrs_crypto_aead_reqsize(struct crypto_aead *tfm)
{
	return crypto_aead_reqsize(tfm);
}

unsigned int vcrs_crypto_aead_ivsize(struct crypto_aead *tfm)
{
	return crypto_aead_ivsize(tfm);
}

unsigned int vcrs_crypto_aead_authsize(struct crypto_aead *tfm)
{
	return crypto_aead_authsize(tfm);
}

void vcrs_soft_aead_free(struct crypto_aead *tfm)
{
	crypto_free_aead(tfm);
}

int vcrs_soft_aead_setkey(struct crypto_aead *tfm, const u8 *key, unsigned int keylen)
{
	return crypto_aead_setkey(tfm, key, keylen);
}

int vcrs_soft_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	return crypto_aead_setauthsize(tfm, authsize);
}

/* Bytes of request context the software AEAD's sub-request needs. */
unsigned int vcrs_soft_aead_request_size(struct crypto_aead *tfm)
{
	return sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
}

/*
 * Runs req to the end on the synchronous software AEAD, with the sub-request in
 * req's own context (which then holds nothing else).
 */
int vcrs_soft_aead_crypt(struct crypto_aead *tfm, struct aead_request *req, bool encrypt)
{
	struct aead_request *subreq = aead_request_ctx(req);
	int err;

	aead_request_set_tfm(subreq, tfm);
	aead_request_set_callback(subreq, req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP, NULL, NULL);
	aead_request_set_crypt(subreq, req->src, req->dst, req->cryptlen, req->iv);
	aead_request_set_ad(subreq, req->assoclen);
	err = encrypt ? crypto_aead_encrypt(subreq) : crypto_aead_decrypt(subreq);
	memzero_explicit(subreq, vcrs_soft_aead_request_size(tfm));
	return err;
}

/* Splits an authenc key blob (rtattr, then the MAC key, then the cipher key). */
int vcrs_authenc_split_key(const u8 *key, unsigned int keylen, const u8 **enckey,
			   unsigned int *enckeylen, const u8 **authkey, unsigned int *authkeylen)
{
	struct crypto_authenc_keys keys;
	int err = crypto_authenc_extractkeys(&keys, key, keylen);

	if (err)
		return err;
	*enckey = keys.enckey;
	*enckeylen = keys.enckeylen;
	*authkey = keys.authkey;
	*authkeylen = keys.authkeylen;
	return 0;
}

/* Compares secrets (tags) in time independent of where they differ. */
bool vcrs_crypto_memneq(const void *a, const void *b, size_t size)
{
	return crypto_memneq(a, b, size) != 0;
}

/* At most 10 messages per 5 seconds, as printk_ratelimited(). */
void vcrs_ratelimit_init(struct ratelimit_state *rs)
{
	ratelimit_state_init(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
}

/* Whether a message may go out now (counts the suppressed ones, reported later). */
bool vcrs_ratelimit(struct ratelimit_state *rs)
{
	return __ratelimit(rs);
}

void vcrs_device_lock(struct device *dev)
{
	device_lock(dev);
}

void vcrs_device_unlock(struct device *dev)
{
	device_unlock(dev);
}

/*
 * A reference on the module of the driver bound to vdev (the driver core's
 * own pointer), so that it cannot be unloaded between a transport's
 * reset_prepare and reset_done. False if it is being unloaded.
 */
bool vcrs_virtio_driver_module_get(struct virtio_device *vdev)
{
	return vdev->dev.driver && try_module_get(vdev->dev.driver->owner);
}

void vcrs_virtio_driver_module_put(struct virtio_device *vdev)
{
	module_put(vdev->dev.driver->owner);
}

/* No more config-change callbacks; waits for one running (virtio core's). */
void vcrs_virtio_config_driver_disable(struct virtio_device *vdev)
{
	virtio_config_driver_disable(vdev);
}

u8 vcrs_virtio_get_status(struct virtio_device *vdev)
{
	return vdev->config->get_status(vdev);
}

bool vcrs_system_running(void)
{
	return system_state == SYSTEM_RUNNING;
}

unsigned int vcrs_lock_system_sleep(void)
{
	return lock_system_sleep();
}

void vcrs_unlock_system_sleep(unsigned int flags)
{
	unlock_system_sleep(flags);
}

/* Milliseconds since boot, from jiffies (coarse, cheap). */
u64 vcrs_now_ms(void)
{
	return jiffies_to_msecs(get_jiffies_64());
}

/* The physical address of an entry's data. */
u64 vcrs_sg_phys(struct scatterlist *sg)
{
	return sg_phys(sg);
}

void *vcrs_akcipher_tfm_ctx(struct crypto_akcipher *tfm)
{
	return akcipher_tfm_ctx(tfm);
}

struct akcipher_alg *vcrs_crypto_akcipher_alg(struct crypto_akcipher *tfm)
{
	return crypto_akcipher_alg(tfm);
}

struct crypto_akcipher *vcrs_crypto_akcipher_reqtfm(struct akcipher_request *req)
{
	return crypto_akcipher_reqtfm(req);
}

void *vcrs_akcipher_request_ctx(struct akcipher_request *req)
{
	return akcipher_request_ctx(req);
}

void vcrs_akcipher_set_reqsize(struct crypto_akcipher *tfm, unsigned int reqsize)
{
	akcipher_set_reqsize(tfm, reqsize);
}

void vcrs_soft_akcipher_free(struct crypto_akcipher *tfm)
{
	crypto_free_akcipher(tfm);
}

int vcrs_soft_akcipher_set_key(struct crypto_akcipher *tfm, const void *key, unsigned int keylen,
			       bool private_key)
{
	return private_key ? crypto_akcipher_set_priv_key(tfm, key, keylen) :
			     crypto_akcipher_set_pub_key(tfm, key, keylen);
}

unsigned int vcrs_soft_akcipher_max_size(struct crypto_akcipher *tfm)
{
	return crypto_akcipher_maxsize(tfm);
}

unsigned int vcrs_soft_akcipher_subreq_size(struct crypto_akcipher *tfm)
{
	return sizeof(struct akcipher_request) + crypto_akcipher_reqsize(tfm);
}

/*
 * Runs @req on the software transform @tfm through a sub-request built in
 * @subreq_mem (vcrs_soft_akcipher_subreq_size() bytes, 8-byte aligned), over
 * the request's own scatterlists and lengths; the output length goes back to
 * @req. @op: 0 encrypt, 1 decrypt, 3 verify (only where the akcipher type
 * still has it). The software implementations the driver
 * allocates are synchronous; one that is not is waited for.
 */
/* The sub-request sits at an 8-byte aligned offset of a request context. */
static_assert(__alignof__(struct akcipher_request) <= 8);

int vcrs_soft_akcipher_run(struct crypto_akcipher *tfm, struct akcipher_request *req,
			   void *subreq_mem, unsigned int op)
{
	struct akcipher_request *sub = subreq_mem;
	DECLARE_CRYPTO_WAIT(wait);
	int err;

	memset(sub, 0, sizeof(*sub));
	akcipher_request_set_tfm(sub, tfm);
	akcipher_request_set_callback(sub, req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	akcipher_request_set_crypt(sub, req->src, req->dst, req->src_len, req->dst_len);
	switch (op) {
	case 0:
		err = crypto_akcipher_encrypt(sub);
		break;
	case 1:
		err = crypto_akcipher_decrypt(sub);
		break;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
	case 3:
		err = crypto_akcipher_verify(sub);
		break;
#endif
	default:
		err = -EOPNOTSUPP;
		break;
	}
	err = crypto_wait_req(err, &wait);
	req->dst_len = sub->dst_len;
	memzero_explicit(sub, sizeof(*sub) + crypto_akcipher_reqsize(tfm));
	return err;
}

/*
 * Encrypts @src (@slen bytes) into @dst (@dlen bytes) with the public key @key
 * on the internal akcipher algorithm whose driver name is @driver, in process
 * context; 0 or a negative errno.
 */
int vcrs_akcipher_encrypt_once(const char *driver, const void *key, unsigned int klen,
			       const void *src, unsigned int slen, void *dst, unsigned int dlen)
{
	struct crypto_akcipher *tfm;
	int err;

	tfm = crypto_alloc_akcipher(driver, CRYPTO_ALG_INTERNAL, CRYPTO_ALG_INTERNAL);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_akcipher_set_pub_key(tfm, key, klen);
	if (!err)
		err = crypto_akcipher_sync_encrypt(tfm, src, slen, dst, dlen);
	crypto_free_akcipher(tfm);
	return err < 0 ? err : 0;
}
