// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers for static inline kernel functions and macros, linked
 * into virtio_crypto_rs.ko beside the Rust object. See helpers.h.
 */
#include <linux/string.h>
#include <linux/bottom_half.h>
#include "helpers.h"

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

void vcrs_spin_lock_init(spinlock_t *lock)
{
	spin_lock_init(lock);
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
void vcrs_skcipher_request_complete(struct skcipher_request *req, int err)
{
	local_bh_disable();
	skcipher_request_complete(req, err);
	local_bh_enable();
}

u32 vcrs_skcipher_request_flags(struct skcipher_request *req)
{
	return req->base.flags;
}

void vcrs_memzero_explicit(void *s, size_t count)
{
	memzero_explicit(s, count);
}
