// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers for static inline kernel functions and macros, linked
 * into virtio_crypto_rs.ko beside the Rust object. See helpers.h.
 */
#include <linux/bottom_half.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <linux/suspend.h>
#include <linux/string.h>
#include <crypto/authenc.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/des.h>
#include <crypto/utils.h>
#include <crypto/internal/hash.h>
#include <crypto/xts.h>
#include "helpers.h"

/*
 * Module parameters live here: the 6.12 `module!` macro cannot declare them.
 */
static bool probe_unadvertised;
module_param(probe_unadvertised, bool, 0444);
MODULE_PARM_DESC(probe_unadvertised,
		 "Also offer ciphers the device does not advertise but accepts in a trial session "
		 "(QEMU's builtin backend serves ECB, CTR, XTS and 3DES without advertising them). "
		 "Off by default: the specification says drivers follow the advertised masks.");

bool vcrs_probe_unadvertised(void)
{
	return probe_unadvertised;
}

static unsigned int request_timeout_ms = 30000;
module_param(request_timeout_ms, uint, 0644);
MODULE_PARM_DESC(request_timeout_ms,
		 "How long a data queue may hold requests without answering any before the "
		 "device is reset and set up again; its unanswered requests then run in "
		 "software (default 30000; 0: never)");

unsigned int vcrs_request_timeout_ms(void)
{
	return READ_ONCE(request_timeout_ms);
}

static bool force_software;
module_param(force_software, bool, 0644);
MODULE_PARM_DESC(force_software,
		 "Diagnosis: run every request in software, as if no device could take it "
		 "(counted as 'forced' in debugfs virtio_crypto_rs/algorithms). Devices are "
		 "still bound and algorithms still registered. Writable at run time.");

bool vcrs_force_software(void)
{
	return READ_ONCE(force_software);
}

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

bool vcrs_virtio_vqs_all_in(struct virtio_device *vdev, struct virtqueue *const vqs[],
			    unsigned int n)
{
	struct virtqueue *vq;
	unsigned int i;

	list_for_each_entry(vq, &vdev->vqs, list) {
		for (i = 0; i < n; i++)
			if (vqs[i] == vq)
				break;
		if (i == n)
			return false;
	}
	return true;
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

/*
 * The status of a device the driver holds (*bound, not *suspended), read under
 * the device lock the caller holds; false for any other device, or one that
 * reads as all ones (a removed PCI device).
 */
static bool vcrs_virtio_live_status(struct virtio_device *vdev, const bool *bound,
				    const bool *suspended, u8 *status)
{
	device_lock_assert(&vdev->dev);
	if (!READ_ONCE(*bound) || READ_ONCE(*suspended))
		return false;
	*status = vdev->config->get_status(vdev);
	return *status != 0xff;
}

/*
 * Resets a bound device and sets it up again through its driver's freeze and
 * restore (the virtio core's own steps around them: status, features). Under
 * the system sleep lock (system suspend takes it for the whole transition; the
 * transport's PM callbacks run under its own device's lock, not this one's)
 * and the device lock (remove). Not done (-ENODEV) if *bound is false (cleared
 * under the device lock when the driver lets the device go), *suspended is
 * true, the system is not running (shutdown, kexec: the virtio core broke and
 * reset the device on purpose), or the device is gone or not live (a status
 * of all ones, as a removed PCI device reads, or without DRIVER_OK).
 */
int vcrs_virtio_recover(struct virtio_device *vdev, const bool *bound, const bool *suspended)
{
#ifdef CONFIG_PM_SLEEP
	unsigned int sleep_flags;
	int err = -ENODEV;
	u8 status;

	sleep_flags = lock_system_sleep();
	device_lock(&vdev->dev);
	if (system_state == SYSTEM_RUNNING &&
	    vcrs_virtio_live_status(vdev, bound, suspended, &status) &&
	    (status & VIRTIO_CONFIG_S_DRIVER_OK)) {
		err = virtio_device_freeze(vdev);
		if (!err)
			err = virtio_device_restore(vdev);
	}
	device_unlock(&vdev->dev);
	unlock_system_sleep(sleep_flags);
	return err;
#else
	return -EOPNOTSUPP;
#endif
}

/*
 * Whether a bound, running device set DEVICE_NEEDS_RESET in its status (it
 * stopped serving until it is reset). Read under the device lock with the
 * flags that vcrs_virtio_recover checks: never of a device being removed or
 * suspended. Process context.
 */
bool vcrs_virtio_needs_reset(struct virtio_device *vdev, const bool *bound, const bool *suspended)
{
	bool needs;
	u8 status;

	device_lock(&vdev->dev);
	needs = vcrs_virtio_live_status(vdev, bound, suspended, &status) &&
		(status & VIRTIO_CONFIG_S_NEEDS_RESET);
	device_unlock(&vdev->dev);
	return needs;
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
