// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_speed: a test-only skcipher benchmark for what tcrypt cannot measure.
 *
 * tcrypt's multi-buffer mode (mode=600 and up) only uses 16..4096-byte
 * requests and has no key-setup rate test. Like tcrypt, this module does
 * all its work in module init and then fails to load with -EAGAIN, so it
 * can be run again and again:
 *
 *   insmod_once vcrs_speed.ko alg=cbc-aes-virtio-rs klen=16 \
 *          sizes=8192,65536 num_mb=8 secs=1 round=3
 *   insmod_once vcrs_speed.ko alg=xts(aes) klen=64 mode=keys secs=1
 *
 * alg is passed as is to crypto_alloc_skcipher(alg, 0, 0): a driver name
 * pins the implementation. The key is the counting pattern 0x01, 0x02, ...
 * (so the halves of an XTS key differ).
 *
 * mode=mb (default) runs tcrypt's test_mb_skcipher_speed() loop: num_mb
 * requests (own buffer each, in place, IV of 0xff bytes) are all submitted,
 * then all waited for, for secs seconds; encryption first, then decryption,
 * for each of sizes (rounded up to the block size, at most 65536 bytes).
 * One line per measurement:
 *
 *   vcrs_speed: mb <driver> <enc|dec> <size> <num_mb> <round> <ops>
 *               <elapsed_ms> <cpu_ns_per_op>
 *
 * mode=keys measures the whole life of a key on one transform: for secs
 * seconds, set a key that differs in each iteration (its first bytes are
 * the iteration counter), then encrypt one block (16 bytes, or the block
 * size if larger) and wait for it. The request is part of the loop because
 * some drivers open the device session lazily at the first request and
 * others in setkey; setkey plus one request covers a session setup either
 * way. One line:
 *
 *   vcrs_speed: keys <driver> <klen> <round> <iterations> <elapsed_ms>
 *               <cpu_ns_per_op>
 *
 * cpu_ns_per_op is the busy CPU time (everything but idle and iowait),
 * summed over the online CPUs during the measurement and divided by the
 * number of operations; 0 if there were none. Its source is logged once at
 * load ("vcrs_speed: cpu time: idle accounting" to the microsecond on NO_HZ
 * kernels, "cpu time: ticks" otherwise: only as fine as the tick, so measure
 * for a second or more). round is only echoed, to tell repeated runs apart.
 */

#define pr_fmt(fmt) "vcrs_speed: " fmt

#include <crypto/skcipher.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tick.h>
#include <linux/timekeeping.h>

#define VCRS_MAX_SIZE		65536
#define VCRS_MAX_PAGES		DIV_ROUND_UP(VCRS_MAX_SIZE, PAGE_SIZE)
#define VCRS_MAX_NUM_MB		64
#define VCRS_MAX_KLEN		128
#define VCRS_MAX_SIZES		16
#define VCRS_KEYS_LEN		16

static char *alg;
module_param(alg, charp, 0);
MODULE_PARM_DESC(alg, "skcipher algorithm or driver name (required)");

static unsigned int klen;
module_param(klen, uint, 0);
MODULE_PARM_DESC(klen, "key length in bytes (required)");

static char *mode = "mb";
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "mb (requests in flight, default) or keys (key setup)");

static unsigned int sizes[VCRS_MAX_SIZES] = { 8192, 65536 };
static unsigned int num_sizes = 2;
module_param_array(sizes, uint, &num_sizes, 0);
MODULE_PARM_DESC(sizes, "mb: request sizes in bytes (default 8192,65536)");

static unsigned int num_mb = 8;
module_param(num_mb, uint, 0);
MODULE_PARM_DESC(num_mb, "mb: requests in flight, 1..64 (default 8)");

static unsigned int secs = 1;
module_param(secs, uint, 0);
MODULE_PARM_DESC(secs, "seconds per measurement (default 1)");

static unsigned int round;
module_param(round, uint, 0);
MODULE_PARM_DESC(round, "echoed in the output lines (default 0)");

struct vcrs_mb_data {
	struct scatterlist sg[VCRS_MAX_PAGES];
	struct skcipher_request *req;
	struct crypto_wait wait;
	void *buf[VCRS_MAX_PAGES];
};

/*
 * Busy CPU time in ns, summed over the online CPUs: all but idle and iowait.
 * Where the kernel accounts idle time at every idle entry and exit (NO_HZ:
 * get_cpu_idle_time_us, to the microsecond; Debian's kernels), it is the wall
 * time of each CPU less that; otherwise (the project's 6.12 kernel is
 * HZ_PERIODIC) kcpustat's tick-sampled times, only as fine as the tick.
 */
static u64 vcrs_busy_ns_ticks(void)
{
	struct kernel_cpustat kcs;
	u64 busy = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		kcpustat_cpu_fetch(&kcs, cpu);
		busy += kcs.cpustat[CPUTIME_USER] + kcs.cpustat[CPUTIME_NICE] +
			kcs.cpustat[CPUTIME_SYSTEM] +
			kcs.cpustat[CPUTIME_IRQ] +
			kcs.cpustat[CPUTIME_SOFTIRQ] +
			kcs.cpustat[CPUTIME_STEAL];
	}
	return busy;
}

#ifdef CONFIG_NO_HZ_COMMON
static bool vcrs_precise_cpu(void)
{
	return get_cpu_idle_time_us(raw_smp_processor_id(), NULL) != (u64)-1;
}

static u64 vcrs_busy_ns(void)
{
	u64 now = ktime_get_ns(), busy = 0;
	int cpu;

	if (!vcrs_precise_cpu())
		return vcrs_busy_ns_ticks();
	for_each_online_cpu(cpu) {
		u64 idle = get_cpu_idle_time_us(cpu, NULL);
		u64 iowait = get_cpu_iowait_time_us(cpu, NULL);

		busy += now - (idle + iowait) * NSEC_PER_USEC;
	}
	return busy;
}
#else
static bool vcrs_precise_cpu(void)
{
	return false;
}

static u64 vcrs_busy_ns(void)
{
	return vcrs_busy_ns_ticks();
}
#endif

static u64 vcrs_per_op(u64 busy, u64 ops)
{
	return ops ? div64_u64(busy, ops) : 0;
}

static void vcrs_fill_key(u8 *key, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		key[i] = i + 1;
}

static int vcrs_mb_run(struct vcrs_mb_data *data, bool enc, int *rc)
{
	int err = 0;
	unsigned int i;

	for (i = 0; i < num_mb; i++) {
		if (enc)
			rc[i] = crypto_skcipher_encrypt(data[i].req);
		else
			rc[i] = crypto_skcipher_decrypt(data[i].req);
	}

	for (i = 0; i < num_mb; i++) {
		rc[i] = crypto_wait_req(rc[i], &data[i].wait);
		if (rc[i]) {
			pr_err("request %u failed: %d\n", i, rc[i]);
			err = rc[i];
		}
	}
	return err;
}

static int vcrs_mb_measure(struct crypto_skcipher *tfm,
			   struct vcrs_mb_data *data, bool enc,
			   unsigned int size, u8 *iv, int *rc)
{
	unsigned long start, end, now;
	u64 busy, ops = 0;
	unsigned int i;
	int err = 0;

	for (i = 0; i < num_mb; i++) {
		struct vcrs_mb_data *cur = &data[i];
		unsigned int left = size;
		unsigned int p = 0;

		sg_init_table(cur->sg, DIV_ROUND_UP(size, PAGE_SIZE));
		while (left > PAGE_SIZE) {
			sg_set_buf(&cur->sg[p], cur->buf[p], PAGE_SIZE);
			memset(cur->buf[p], 0xff, PAGE_SIZE);
			p++;
			left -= PAGE_SIZE;
		}
		sg_set_buf(&cur->sg[p], cur->buf[p], left);
		memset(cur->buf[p], 0xff, left);

		skcipher_request_set_crypt(cur->req, cur->sg, cur->sg, size, iv);
	}

	busy = vcrs_busy_ns();
	start = jiffies;
	end = start + secs * HZ;
	while (time_before(jiffies, end)) {
		err = vcrs_mb_run(data, enc, rc);
		if (err)
			break;
		ops += num_mb;
	}
	now = jiffies;
	busy = vcrs_busy_ns() - busy;

	if (err) {
		pr_err("mb %s %s %u: failed: %d\n",
		       crypto_skcipher_driver_name(tfm), enc ? "enc" : "dec",
		       size, err);
		return err;
	}

	pr_info("mb %s %s %u %u %u %llu %u %llu\n",
		crypto_skcipher_driver_name(tfm), enc ? "enc" : "dec", size,
		num_mb, round, ops, jiffies_to_msecs(now - start),
		vcrs_per_op(busy, ops));
	cond_resched();
	return 0;
}

static int vcrs_mb(struct crypto_skcipher *tfm)
{
	unsigned int bs = crypto_skcipher_blocksize(tfm);
	unsigned int i, j, max_size = 0, pages;
	struct vcrs_mb_data *data;
	u8 key[VCRS_MAX_KLEN];
	u8 iv[64];
	int *rc;
	int err;
	int dir;

	if (num_mb < 1 || num_mb > VCRS_MAX_NUM_MB) {
		pr_err("num_mb must be 1..%d\n", VCRS_MAX_NUM_MB);
		return -EINVAL;
	}
	if (!num_sizes) {
		pr_err("no sizes given\n");
		return -EINVAL;
	}
	for (i = 0; i < num_sizes; i++) {
		unsigned int size;

		/* Checked before rounding up, which could wrap around. */
		if (!sizes[i] || sizes[i] > VCRS_MAX_SIZE) {
			pr_err("size %u not in 1..%u\n", sizes[i], VCRS_MAX_SIZE);
			return -EINVAL;
		}
		size = round_up(sizes[i], bs);
		if (size > VCRS_MAX_SIZE) {
			pr_err("size %u rounds up to %u, above %u\n", sizes[i], size, VCRS_MAX_SIZE);
			return -EINVAL;
		}
		max_size = max(max_size, size);
	}
	if (crypto_skcipher_ivsize(tfm) > sizeof(iv)) {
		pr_err("IV size %u too large\n", crypto_skcipher_ivsize(tfm));
		return -EINVAL;
	}
	pages = DIV_ROUND_UP(max_size, PAGE_SIZE);

	rc = kcalloc(num_mb, sizeof(*rc), GFP_KERNEL);
	data = kcalloc(num_mb, sizeof(*data), GFP_KERNEL);
	if (!rc || !data) {
		err = -ENOMEM;
		goto out;
	}

	err = -ENOMEM;
	for (i = 0; i < num_mb; i++) {
		data[i].req = skcipher_request_alloc(tfm, GFP_KERNEL);
		if (!data[i].req)
			goto out;
		skcipher_request_set_callback(data[i].req,
					      CRYPTO_TFM_REQ_MAY_BACKLOG,
					      crypto_req_done, &data[i].wait);
		crypto_init_wait(&data[i].wait);
		for (j = 0; j < pages; j++) {
			data[i].buf[j] = (void *)__get_free_page(GFP_KERNEL);
			if (!data[i].buf[j])
				goto out;
		}
	}

	vcrs_fill_key(key, klen);
	crypto_skcipher_clear_flags(tfm, ~0);
	err = crypto_skcipher_setkey(tfm, key, klen);
	if (err) {
		pr_err("setkey failed: %d\n", err);
		goto out;
	}

	for (dir = 0; dir < 2; dir++) {
		for (i = 0; i < num_sizes; i++) {
			memset(iv, 0xff, sizeof(iv));
			err = vcrs_mb_measure(tfm, data, dir == 0,
					      round_up(sizes[i], bs), iv, rc);
			if (err)
				goto out;
		}
	}

out:
	if (data) {
		for (i = 0; i < num_mb; i++) {
			for (j = 0; j < pages; j++)
				free_page((unsigned long)data[i].buf[j]);
			skcipher_request_free(data[i].req);
		}
	}
	kfree(data);
	kfree(rc);
	return err;
}

static int vcrs_keys(struct crypto_skcipher *tfm)
{
	unsigned int size = round_up(VCRS_KEYS_LEN, crypto_skcipher_blocksize(tfm));
	struct skcipher_request *req;
	struct scatterlist sg;
	unsigned long start, end, now;
	DECLARE_CRYPTO_WAIT(wait);
	u8 key[VCRS_MAX_KLEN];
	u64 busy, iters = 0;
	u8 iv[64];
	u32 ctr;
	u8 *buf;
	int err;

	if (crypto_skcipher_ivsize(tfm) > sizeof(iv)) {
		pr_err("IV size %u too large\n", crypto_skcipher_ivsize(tfm));
		return -EINVAL;
	}
	if (size > PAGE_SIZE) {
		pr_err("block size %u too large\n", crypto_skcipher_blocksize(tfm));
		return -EINVAL;
	}

	buf = kmalloc(size, GFP_KERNEL);
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!buf || !req) {
		err = -ENOMEM;
		goto out;
	}
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				      crypto_req_done, &wait);
	sg_init_one(&sg, buf, size);
	vcrs_fill_key(key, klen);

	err = 0;
	busy = vcrs_busy_ns();
	start = jiffies;
	end = start + secs * HZ;
	while (time_before(jiffies, end)) {
		ctr = iters;
		memcpy(key, &ctr, min_t(unsigned int, klen, sizeof(ctr)));
		crypto_skcipher_clear_flags(tfm, ~0);
		err = crypto_skcipher_setkey(tfm, key, klen);
		if (err) {
			pr_err("keys %s: setkey failed: %d\n",
			       crypto_skcipher_driver_name(tfm), err);
			break;
		}
		memset(buf, 0xff, size);
		memset(iv, 0xff, sizeof(iv));
		skcipher_request_set_crypt(req, &sg, &sg, size, iv);
		err = crypto_wait_req(crypto_skcipher_encrypt(req), &wait);
		if (err) {
			pr_err("keys %s: encrypt failed: %d\n",
			       crypto_skcipher_driver_name(tfm), err);
			break;
		}
		iters++;
		cond_resched();
	}
	now = jiffies;
	busy = vcrs_busy_ns() - busy;

	if (!err)
		pr_info("keys %s %u %u %llu %u %llu\n",
			crypto_skcipher_driver_name(tfm), klen, round, iters,
			jiffies_to_msecs(now - start), vcrs_per_op(busy, iters));
out:
	skcipher_request_free(req);
	kfree(buf);
	return err;
}

static int __init vcrs_speed_init(void)
{
	struct crypto_skcipher *tfm;
	bool keys;
	int err;

	if (!alg || !*alg) {
		pr_err("alg= is required\n");
		return -EINVAL;
	}
	pr_info("cpu time: %s\n", vcrs_precise_cpu() ? "idle accounting" : "ticks");
	if (!klen || klen > VCRS_MAX_KLEN) {
		pr_err("klen= is required (1..%d)\n", VCRS_MAX_KLEN);
		return -EINVAL;
	}
	if (!strcmp(mode, "keys")) {
		keys = true;
	} else if (!strcmp(mode, "mb")) {
		keys = false;
	} else {
		pr_err("unknown mode %s\n", mode);
		return -EINVAL;
	}
	if (!secs) {
		pr_err("secs must be at least 1\n");
		return -EINVAL;
	}

	tfm = crypto_alloc_skcipher(alg, 0, 0);
	if (IS_ERR(tfm)) {
		pr_err("cannot allocate %s: %ld\n", alg, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}

	err = keys ? vcrs_keys(tfm) : vcrs_mb(tfm);
	crypto_free_skcipher(tfm);

	/* Never stay loaded: -EAGAIN means "done, no error", like tcrypt. */
	return err ? err : -EAGAIN;
}

module_init(vcrs_speed_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("virtio-crypto-rs test: skcipher throughput and key setup speed");
