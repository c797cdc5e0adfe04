// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_load: skcipher requests kept in flight from a kernel thread, for tests
 * that suspend the device under load. The freezer stops user processes (and
 * waits for their requests) before devices suspend, but leaves kernel threads
 * such as this one (and dm-crypt's workers) alone: their requests meet the
 * suspend.
 *
 *   insmod vcrs_load.ko alg=cbc(aes) ref=cbc(aes-generic) klen=16 depth=8 size=4096
 *   cat /sys/module/vcrs_load/parameters/{ops,errors,mismatches}
 *   rmmod vcrs_load
 *
 * The thread encrypts batches of DEPTH requests of SIZE bytes (random data
 * and IV each) on ALG with CRYPTO_TFM_REQ_MAY_BACKLOG: all submitted, then
 * all waited for; each result is compared with REF (a synchronous software
 * implementation with the same random key). It runs until the module is
 * removed, which logs the totals:
 *
 *   vcrs_load: <alg driver> ops <n> errors <n> mismatches <n>
 */

#define pr_fmt(fmt) "vcrs_load: " fmt

#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#define MAX_DEPTH 64
#define MAX_SIZE 65536

static char *alg = "cbc(aes)";
module_param(alg, charp, 0444);
static char *ref = "cbc(aes-generic)";
module_param(ref, charp, 0444);
static unsigned int klen = 16;
module_param(klen, uint, 0444);
static unsigned int depth = 8;
module_param(depth, uint, 0444);
static unsigned int size = 4096;
module_param(size, uint, 0444);
/* Counters, read while it runs. */
static unsigned long ops, errors, mismatches;
module_param(ops, ulong, 0444);
module_param(errors, ulong, 0444);
module_param(mismatches, ulong, 0444);

struct load_req {
	struct skcipher_request *req;
	struct crypto_wait wait;
	struct scatterlist sg;
	u8 *buf, *expect;
	u8 iv[32];
};

static struct task_struct *thread;
static struct crypto_skcipher *tfm;
static struct crypto_sync_skcipher *soft;
static struct load_req reqs[MAX_DEPTH];
static int submitted[MAX_DEPTH];

/* The expected ciphertext of R (computed before R is submitted, in place). */
static int expect_of(struct load_req *r)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(sreq, soft);
	struct scatterlist sg;
	u8 iv[32];
	int err;

	memcpy(r->expect, r->buf, size);
	memcpy(iv, r->iv, sizeof(iv));
	sg_init_one(&sg, r->expect, size);
	skcipher_request_set_sync_tfm(sreq, soft);
	skcipher_request_set_callback(sreq, 0, NULL, NULL);
	skcipher_request_set_crypt(sreq, &sg, &sg, size, iv);
	err = crypto_skcipher_encrypt(sreq);
	skcipher_request_zero(sreq);
	return err;
}

static int load_thread(void *unused)
{
	unsigned int i;
	int err;

	while (!kthread_should_stop()) {
		for (i = 0; i < depth; i++) {
			struct load_req *r = &reqs[i];

			get_random_bytes(r->buf, size);
			get_random_bytes(r->iv, sizeof(r->iv));
			if (expect_of(r)) {
				pr_err("reference %s failed; stopping\n", ref);
				WRITE_ONCE(errors, errors + 1);
				/* kthread_stop() wants the thread alive until it is called. */
				while (!kthread_should_stop())
					msleep(100);
				return -EIO;
			}
			crypto_init_wait(&r->wait);
			skcipher_request_set_callback(r->req, CRYPTO_TFM_REQ_MAY_BACKLOG |
							      CRYPTO_TFM_REQ_MAY_SLEEP,
						      crypto_req_done, &r->wait);
			skcipher_request_set_crypt(r->req, &r->sg, &r->sg, size, r->iv);
		}
		/* All in flight at once, then all waited for. */
		for (i = 0; i < depth; i++)
			submitted[i] = crypto_skcipher_encrypt(reqs[i].req);
		for (i = 0; i < depth; i++) {
			struct load_req *r = &reqs[i];

			err = crypto_wait_req(submitted[i], &r->wait);
			WRITE_ONCE(ops, ops + 1);
			if (err)
				WRITE_ONCE(errors, errors + 1);
			else if (memcmp(r->buf, r->expect, size))
				WRITE_ONCE(mismatches, mismatches + 1);
		}
		cond_resched();
	}
	return 0;
}

static void free_all(void)
{
	unsigned int i;

	for (i = 0; i < MAX_DEPTH; i++) {
		skcipher_request_free(reqs[i].req);
		kfree(reqs[i].buf);
		kfree(reqs[i].expect);
	}
	if (!IS_ERR_OR_NULL(soft))
		crypto_free_sync_skcipher(soft);
	if (!IS_ERR_OR_NULL(tfm))
		crypto_free_skcipher(tfm);
}

static int __init vcrs_load_init(void)
{
	u8 key[64];
	unsigned int i;
	int err;

	if (!depth || depth > MAX_DEPTH || !size || size > MAX_SIZE || klen > sizeof(key))
		return -EINVAL;
	tfm = crypto_alloc_skcipher(alg, 0, 0);
	soft = crypto_alloc_sync_skcipher(ref, 0, 0);
	if (IS_ERR(tfm) || IS_ERR(soft)) {
		err = IS_ERR(tfm) ? PTR_ERR(tfm) : PTR_ERR(soft);
		goto fail;
	}
	get_random_bytes(key, klen);
	err = crypto_skcipher_setkey(tfm, key, klen) ?:
	      crypto_sync_skcipher_setkey(soft, key, klen);
	memzero_explicit(key, sizeof(key));
	if (err)
		goto fail;
	err = -ENOMEM;
	for (i = 0; i < depth; i++) {
		struct load_req *r = &reqs[i];

		r->req = skcipher_request_alloc(tfm, GFP_KERNEL);
		r->buf = kmalloc(size, GFP_KERNEL);
		r->expect = kmalloc(size, GFP_KERNEL);
		if (!r->req || !r->buf || !r->expect)
			goto fail;
		sg_init_one(&r->sg, r->buf, size);
	}
	thread = kthread_run(load_thread, NULL, "vcrs_load");
	if (IS_ERR(thread)) {
		err = PTR_ERR(thread);
		goto fail;
	}
	pr_info("%s: %u requests of %u bytes in flight\n",
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(tfm)), depth, size);
	return 0;
fail:
	free_all();
	return err;
}

static void __exit vcrs_load_exit(void)
{
	kthread_stop(thread);
	pr_info("%s ops %lu errors %lu mismatches %lu\n",
		crypto_tfm_alg_driver_name(crypto_skcipher_tfm(tfm)), ops, errors, mismatches);
	free_all();
}

module_init(vcrs_load_init);
module_exit(vcrs_load_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("skcipher requests kept in flight from a kernel thread (test infrastructure)");
