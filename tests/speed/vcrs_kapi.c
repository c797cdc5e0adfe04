// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_kapi: runs one Crypto API request (skcipher, ahash, aead) by algorithm
 * or driver name from the shell, for the guest tests on kernels where AF_ALG
 * never reaches an asynchronous driver (7.2 and later). Transforms are
 * allocated with type 0 and mask 0, so asynchronous drivers are allowed.
 *
 *   echo "CMD ..." >/sys/kernel/debug/vcrs_kapi/run
 *   cat /sys/kernel/debug/vcrs_kapi/run
 *
 * A writer's command (possibly in several writes, up to KAPI_MAX_CMD bytes:
 * 1 MiB of data in hex and the rest; -EFBIG beyond, and the command then
 * gives "err -27 write") runs when the file is closed; its result line is kept
 * and any later read returns it (the last command's, whoever wrote it:
 * commands from several writers run concurrently). Tokens are separated by
 * blanks; binary values are hex (either case), "-" for empty:
 *
 *   skcipher DRIVER enc|dec KEY IV DATA [OPTS]
 *   hash DRIVER KEY DATA [OPTS]                        (KEY "-": no setkey)
 *   aead DRIVER enc|dec KEY IV AUTHSIZE ASSOCLEN DATA [OPTS]
 *   akcipher DRIVER enc|dec|sign|verify pub|priv KEY DATA DSTLEN [OPTS]
 *
 * aead DATA is assoc||plaintext (enc) or assoc||ciphertext||tag (dec); the
 * output is the whole destination: assoc||ciphertext||tag or assoc||plaintext
 * (out of place, the destination's assoc is a copy of the source's before the
 * request: the kernel leaves it to the implementation).
 *
 * OPTS: segs=N (1..64, default 1: the source, and a separate destination, in
 * N scatterlist entries, the first ones small and odd-sized at odd offsets of
 * separately allocated chunks, the last one the rest), inplace=1 (skcipher,
 * aead: destination = source), repeat=N (the request N times on a fresh copy
 * of the input; the output is the last one's), and for hash
 * mode=digest|parts|finup|export|virt:
 *   digest  crypto_ahash_digest on all the data;
 *   parts   init, one update per segment, final;
 *   finup   init, one update on all segments but the last, finup on the last;
 *   export  init, update (first half), export; a new request imports the
 *           state, update (second half), final;
 *   virt    digest with ahash_request_set_virt on a kmalloc'ed copy of the
 *           data, or with vmalloc=1 a vmalloc'ed one (kernels with virtual
 *           address requests only; "err -95 virt" elsewhere);
 * and sync=1 (any command): the transform is allocated with mask
 * CRYPTO_ALG_ASYNC, so it is a synchronous implementation, never an
 * asynchronous driver such as ours: the reference for a generic name.
 *
 * akcipher: KEY goes to set_pub_key (pub) or set_priv_key (priv); DSTLEN is
 * the destination's size (the output is the destination as the algorithm
 * left it, dst_len bytes), for verify the digest's length at the end of DATA
 * (DATA = signature||digest, no destination, output "-"); sign and verify
 * only where the akcipher type has them (before 6.13).
 *
 * Result: "ok SERVED OUTHEX" (SERVED: the driver name of the transform
 * allocated; OUTHEX "-" when empty) or "err ERRNO STEP", STEP one of alloc,
 * setkey, setauthsize, encrypt, decrypt, sign, verify, digest, init, update, final, finup,
 * export, import, mem (no memory), interrupted (a signal between two
 * repetitions), write (see above); a command that does not parse gives
 * "err -22 REASON" (usage, op, hex, iv, authsize, assoclen, option, segs,
 * repeat, mode, empty).
 */

#include <crypto/aead.h>
#include <crypto/akcipher.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hex.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/version.h>

/* 1 MiB of data in hex, with room for the rest of the command. */
#define KAPI_MAX_CMD (2 * 1024 * 1024 + 64 * 1024)
#define KAPI_MAX_SEGS 64
#define KAPI_MAX_REPEAT (1U << 24)
#define KAPI_MAX_TOKENS 16

static struct dentry *kapi_dir;
static DEFINE_MUTEX(kapi_result_lock);
static char *kapi_result;
static size_t kapi_result_len;

/* A writer's command, accumulated until release. */
struct kapi_cmd {
	char *buf;
	size_t len;
	size_t cap;
	int failed;	/* a write that failed: the command never runs */
};

/* A buffer as a scatterlist of separately allocated chunks. */
struct kapi_sgl {
	unsigned int n;
	unsigned int len;
	u8 *chunk[KAPI_MAX_SEGS];
	unsigned int off[KAPI_MAX_SEGS];
	unsigned int size[KAPI_MAX_SEGS];
	struct scatterlist sg[KAPI_MAX_SEGS];
};

enum kapi_hash_mode {
	KAPI_DIGEST,
	KAPI_PARTS,
	KAPI_FINUP,
	KAPI_EXPORT,
	KAPI_VIRT,
};

struct kapi_opts {
	unsigned int segs;
	unsigned int repeat;
	bool inplace;
	/* Allocate a synchronous implementation: never an asynchronous driver. */
	bool sync;
	/* mode=virt: the data in vmalloc memory instead of kmalloc's. */
	bool vmalloc;
	enum kapi_hash_mode mode;
};

/* The outcome of a command: either an output or an error with its step. */
struct kapi_res {
	int err;
	const char *step;
	const char *served;
	const u8 *out;
	unsigned int outlen;
};

static int kapi_fail(struct kapi_res *res, int err, const char *step)
{
	res->err = err;
	res->step = step;
	return err;
}

/* --- scatterlists --- */

static void kapi_sgl_free(struct kapi_sgl *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		kfree(s->chunk[i]);
	kfree(s);
}

/*
 * LEN bytes in up to SEGS entries (never an empty one, but for LEN 0): entry i
 * but the last holds 16 * i + 7 bytes at offset 2 * i + 1 of its chunk; the
 * last one the rest (at offset 0 when it is the only one). Zero-filled.
 */
static struct kapi_sgl *kapi_sgl_alloc(unsigned int len, unsigned int segs)
{
	struct kapi_sgl *s;
	unsigned int i, n, rest = len;

	n = min(segs, max(len, 1U));
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->len = len;
	sg_init_table(s->sg, n);
	for (i = 0; i < n; i++) {
		unsigned int size = rest, off = 0;

		if (i + 1 < n) {
			size = min(16 * i + 7, rest - (n - 1 - i));
			off = 2 * i + 1;
		} else if (n > 1) {
			off = 2 * i + 1;
		}
		s->chunk[i] = kzalloc(max(off + size, 1U),
				      GFP_KERNEL | __GFP_NOWARN);
		if (!s->chunk[i])
			break;
		s->n = i + 1;
		s->off[i] = off;
		s->size[i] = size;
		sg_set_buf(&s->sg[i], s->chunk[i] + off, size);
		rest -= size;
	}
	if (s->n < n) {
		kapi_sgl_free(s);
		return NULL;
	}
	return s;
}

/* Copies LEN bytes of DATA to the start of S and zeroes the rest. */
static void kapi_sgl_fill(struct kapi_sgl *s, const u8 *data, unsigned int len)
{
	unsigned int i, c;

	for (i = 0; i < s->n; i++) {
		c = min(len, s->size[i]);
		memcpy(s->chunk[i] + s->off[i], data, c);
		memset(s->chunk[i] + s->off[i] + c, 0, s->size[i] - c);
		data += c;
		len -= c;
	}
}

/* Copies the first LEN bytes of S to OUT. */
static void kapi_sgl_read(const struct kapi_sgl *s, u8 *out, unsigned int len)
{
	unsigned int i, c;

	for (i = 0; i < s->n && len; i++) {
		c = min(len, s->size[i]);
		memcpy(out, s->chunk[i] + s->off[i], c);
		out += c;
		len -= c;
	}
}

/* --- parsing --- */

/* Hex TOK ("-" for empty) into a new buffer; *LEN its length. */
static u8 *kapi_hex(const char *tok, unsigned int *len)
{
	size_t n = strlen(tok), i;
	u8 *b;

	if (!strcmp(tok, "-"))
		n = 0;
	if (n % 2)
		return ERR_PTR(-EINVAL);
	b = kmalloc(max(n / 2, (size_t)1), GFP_KERNEL | __GFP_NOWARN);
	if (!b)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i += 2) {
		int hi = hex_to_bin(tok[i]), lo = hex_to_bin(tok[i + 1]);

		if (hi < 0 || lo < 0) {
			kfree(b);
			return ERR_PTR(-EINVAL);
		}
		b[i / 2] = hi << 4 | lo;
	}
	*len = n / 2;
	return b;
}

static int kapi_opts(char **tok, unsigned int ntok, bool hash,
		     struct kapi_opts *o, const char **reason)
{
	unsigned int i, v;

	o->segs = 1;
	o->repeat = 1;
	o->inplace = false;
	o->sync = false;
	o->vmalloc = false;
	o->mode = KAPI_DIGEST;
	for (i = 0; i < ntok; i++) {
		char *val = strchr(tok[i], '=');

		*reason = "option";
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok[i], "segs")) {
			*reason = "segs";
			if (kstrtouint(val, 10, &v) || !v || v > KAPI_MAX_SEGS)
				return -EINVAL;
			o->segs = v;
		} else if (!strcmp(tok[i], "repeat")) {
			*reason = "repeat";
			if (kstrtouint(val, 10, &v) || !v ||
			    v > KAPI_MAX_REPEAT)
				return -EINVAL;
			o->repeat = v;
		} else if (!strcmp(tok[i], "inplace") && !hash) {
			if (kstrtouint(val, 10, &v) || v > 1)
				return -EINVAL;
			o->inplace = v;
		} else if (!strcmp(tok[i], "sync")) {
			if (kstrtouint(val, 10, &v) || v > 1)
				return -EINVAL;
			o->sync = v;
		} else if (!strcmp(tok[i], "vmalloc") && hash) {
			if (kstrtouint(val, 10, &v) || v > 1)
				return -EINVAL;
			o->vmalloc = v;
		} else if (!strcmp(tok[i], "mode") && hash) {
			*reason = "mode";
			if (!strcmp(val, "digest"))
				o->mode = KAPI_DIGEST;
			else if (!strcmp(val, "parts"))
				o->mode = KAPI_PARTS;
			else if (!strcmp(val, "finup"))
				o->mode = KAPI_FINUP;
			else if (!strcmp(val, "export"))
				o->mode = KAPI_EXPORT;
			else if (!strcmp(val, "virt"))
				o->mode = KAPI_VIRT;
			else
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* Between repetitions: yield, and stop on a signal. */
static int kapi_next(struct kapi_res *res)
{
	cond_resched();
	if (signal_pending(current))
		return kapi_fail(res, -EINTR, "interrupted");
	return 0;
}

/* What a cipher command (skcipher, aead) carries besides its options. */
struct kapi_cipher_args {
	bool enc;
	u8 *key, *iv, *data;
	unsigned int klen, ivlen, len;
};

/*
 * Parses "DRIVER enc|dec KEY IV ..." with the data in token DATA_TOK. On error
 * nothing stays allocated (a parse error says why in *REASON).
 */
static int kapi_cipher_args(char **tok, unsigned int data_tok,
			    struct kapi_cipher_args *a, struct kapi_res *res,
			    const char **reason)
{
	int err;

	memset(a, 0, sizeof(*a));
	*reason = "op";
	if (!strcmp(tok[1], "enc"))
		a->enc = true;
	else if (strcmp(tok[1], "dec"))
		return -EINVAL;
	*reason = "hex";
	a->key = kapi_hex(tok[2], &a->klen);
	a->iv = kapi_hex(tok[3], &a->ivlen);
	a->data = kapi_hex(tok[data_tok], &a->len);
	if (IS_ERR(a->key) || IS_ERR(a->iv) || IS_ERR(a->data)) {
		err = PTR_ERR_OR_ZERO(a->key) ?: PTR_ERR_OR_ZERO(a->iv) ?:
		      PTR_ERR(a->data);
		if (err == -ENOMEM)
			err = kapi_fail(res, err, "mem");
		if (!IS_ERR(a->key))
			kfree_sensitive(a->key);
		if (!IS_ERR(a->iv))
			kfree(a->iv);
		if (!IS_ERR(a->data))
			kfree(a->data);
		memset(a, 0, sizeof(*a));
		return err;
	}
	*reason = NULL;
	return 0;
}

static void kapi_cipher_args_free(struct kapi_cipher_args *a)
{
	kfree(a->data);
	kfree(a->iv);
	kfree_sensitive(a->key);
}

/* --- skcipher --- */

static int kapi_skcipher(char **tok, unsigned int ntok, struct kapi_res *res,
			 u8 **outbuf, const char **reason)
{
	struct crypto_skcipher *tfm = NULL;
	struct skcipher_request *req = NULL;
	struct kapi_sgl *src = NULL, *dst = NULL;
	struct kapi_cipher_args a;
	u8 *ivc = NULL;
	unsigned int r;
	struct kapi_opts o;
	int err;
	DECLARE_CRYPTO_WAIT(wait);

	/* DRIVER enc|dec KEY IV DATA [OPTS] */
	*reason = "usage";
	if (ntok < 5)
		return -EINVAL;
	err = kapi_cipher_args(tok, 4, &a, res, reason);
	if (err)
		return err;
	err = kapi_opts(tok + 5, ntok - 5, false, &o, reason);
	if (err) {
		kapi_cipher_args_free(&a);
		return err;
	}
	*reason = NULL;

	tfm = crypto_alloc_skcipher(tok[0], 0, o.sync ? CRYPTO_ALG_ASYNC : 0);
	if (IS_ERR(tfm)) {
		err = kapi_fail(res, PTR_ERR(tfm), "alloc");
		tfm = NULL;
		goto out;
	}
	if (a.ivlen != crypto_skcipher_ivsize(tfm)) {
		*reason = "iv";
		err = -EINVAL;
		goto out;
	}
	err = crypto_skcipher_setkey(tfm, a.key, a.klen);
	if (err) {
		kapi_fail(res, err, "setkey");
		goto out;
	}
	err = -ENOMEM;
	req = skcipher_request_alloc(tfm, GFP_KERNEL);
	ivc = kmalloc(max(a.ivlen, 1U), GFP_KERNEL);
	*outbuf = kmalloc(max(a.len, 1U), GFP_KERNEL | __GFP_NOWARN);
	src = kapi_sgl_alloc(a.len, o.segs);
	if (!o.inplace)
		dst = kapi_sgl_alloc(a.len, o.segs);
	if (!req || !ivc || !*outbuf || !src || (!o.inplace && !dst)) {
		kapi_fail(res, err, "mem");
		goto out;
	}
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	for (r = 0; r < o.repeat; r++) {
		if (r) {
			err = kapi_next(res);
			if (err)
				goto out;
		}
		kapi_sgl_fill(src, a.data, a.len);
		if (dst)
			kapi_sgl_fill(dst, NULL, 0);
		memcpy(ivc, a.iv, a.ivlen);
		skcipher_request_set_crypt(req, src->sg, dst ? dst->sg : src->sg,
					   a.len, ivc);
		err = crypto_wait_req(a.enc ? crypto_skcipher_encrypt(req) :
					    crypto_skcipher_decrypt(req),
				      &wait);
		if (err) {
			kapi_fail(res, err, a.enc ? "encrypt" : "decrypt");
			goto out;
		}
	}
	kapi_sgl_read(dst ?: src, *outbuf, a.len);
	res->out = *outbuf;
	res->outlen = a.len;
out:
	kapi_sgl_free(dst);
	kapi_sgl_free(src);
	kfree_sensitive(ivc);
	skcipher_request_free(req);
	if (!err) {
		res->served = kstrdup(crypto_skcipher_driver_name(tfm),
				      GFP_KERNEL);
		if (!res->served)
			err = kapi_fail(res, -ENOMEM, "mem");
	}
	crypto_free_skcipher(tfm);
	kapi_cipher_args_free(&a);
	return err;
}

/* --- aead --- */

static int kapi_aead(char **tok, unsigned int ntok, struct kapi_res *res,
		     u8 **outbuf, const char **reason)
{
	struct crypto_aead *tfm = NULL;
	struct aead_request *req = NULL;
	struct kapi_sgl *src = NULL, *dst = NULL;
	struct kapi_cipher_args a;
	u8 *ivc = NULL;
	unsigned int authsize, assoclen, outlen, r;
	struct kapi_opts o;
	int err;
	DECLARE_CRYPTO_WAIT(wait);

	/* DRIVER enc|dec KEY IV AUTHSIZE ASSOCLEN DATA [OPTS] */
	*reason = "usage";
	if (ntok < 7)
		return -EINVAL;
	*reason = "authsize";
	if (kstrtouint(tok[4], 10, &authsize) || authsize > 1024)
		return -EINVAL;
	*reason = "assoclen";
	if (kstrtouint(tok[5], 10, &assoclen))
		return -EINVAL;
	err = kapi_cipher_args(tok, 6, &a, res, reason);
	if (err)
		return err;
	err = kapi_opts(tok + 7, ntok - 7, false, &o, reason);
	if (err) {
		kapi_cipher_args_free(&a);
		return err;
	}
	*reason = "assoclen";
	err = -EINVAL;
	if (assoclen > a.len)
		goto out;
	*reason = NULL;

	tfm = crypto_alloc_aead(tok[0], 0, o.sync ? CRYPTO_ALG_ASYNC : 0);
	if (IS_ERR(tfm)) {
		err = kapi_fail(res, PTR_ERR(tfm), "alloc");
		tfm = NULL;
		goto out;
	}
	if (a.ivlen != crypto_aead_ivsize(tfm)) {
		*reason = "iv";
		err = -EINVAL;
		goto out;
	}
	/* As the self-tests (testmgr): the key, then the tag size. */
	err = crypto_aead_setkey(tfm, a.key, a.klen);
	if (err) {
		kapi_fail(res, err, "setkey");
		goto out;
	}
	err = crypto_aead_setauthsize(tfm, authsize);
	if (err) {
		kapi_fail(res, err, "setauthsize");
		goto out;
	}
	/*
	 * A decryption shorter than the tag fails in the core (-EINVAL): the
	 * destination then only needs the assoc.
	 */
	if (a.enc)
		outlen = a.len + authsize;
	else if (a.len - assoclen >= authsize)
		outlen = a.len - authsize;
	else
		outlen = assoclen;
	err = -ENOMEM;
	req = aead_request_alloc(tfm, GFP_KERNEL);
	ivc = kmalloc(max(a.ivlen, 1U), GFP_KERNEL);
	*outbuf = kmalloc(max(outlen, 1U), GFP_KERNEL | __GFP_NOWARN);
	if (o.inplace)
		src = kapi_sgl_alloc(max(a.len, outlen), o.segs);
	else
		src = kapi_sgl_alloc(a.len, o.segs);
	if (!o.inplace)
		dst = kapi_sgl_alloc(outlen, o.segs);
	if (!req || !ivc || !*outbuf || !src || (!o.inplace && !dst)) {
		kapi_fail(res, err, "mem");
		goto out;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				  CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	for (r = 0; r < o.repeat; r++) {
		if (r) {
			err = kapi_next(res);
			if (err)
				goto out;
		}
		kapi_sgl_fill(src, a.data, a.len);
		if (dst)
			kapi_sgl_fill(dst, a.data, assoclen);
		memcpy(ivc, a.iv, a.ivlen);
		aead_request_set_crypt(req, src->sg, dst ? dst->sg : src->sg,
				       a.len - assoclen, ivc);
		aead_request_set_ad(req, assoclen);
		err = crypto_wait_req(a.enc ? crypto_aead_encrypt(req) :
					    crypto_aead_decrypt(req),
				      &wait);
		if (err) {
			kapi_fail(res, err, a.enc ? "encrypt" : "decrypt");
			goto out;
		}
	}
	kapi_sgl_read(dst ?: src, *outbuf, outlen);
	res->out = *outbuf;
	res->outlen = outlen;
out:
	kapi_sgl_free(dst);
	kapi_sgl_free(src);
	kfree_sensitive(ivc);
	aead_request_free(req);
	if (!err) {
		res->served = kstrdup(crypto_aead_driver_name(tfm), GFP_KERNEL);
		if (!res->served)
			err = kapi_fail(res, -ENOMEM, "mem");
	}
	crypto_free_aead(tfm);
	kapi_cipher_args_free(&a);
	return err;
}

/* --- hash --- */

struct kapi_hash {
	struct crypto_ahash *tfm;
	const u8 *data;
	unsigned int len;
	unsigned int segs;
	u8 *digest;
	struct crypto_wait *wait;
};

static struct ahash_request *kapi_ahash_req(struct kapi_hash *h)
{
	struct ahash_request *req = ahash_request_alloc(h->tfm, GFP_KERNEL);

	if (!req)
		return NULL;
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				   CRYPTO_TFM_REQ_MAY_SLEEP,
				   crypto_req_done, h->wait);
	/* No data yet (init, import); also clears 7.x's virtual address flag. */
	ahash_request_set_crypt(req, NULL, h->digest, 0);
	return req;
}

/* Waits for a hash step's completion; on failure, records the step. */
static int kapi_step(struct kapi_hash *h, int err, const char *step,
		     struct kapi_res *res)
{
	err = crypto_wait_req(err, h->wait);
	if (err)
		kapi_fail(res, err, step);
	return err;
}

/* One update per entry of S, each on a list of that entry alone. */
static int kapi_hash_updates(struct kapi_hash *h, struct ahash_request *req,
			     struct kapi_sgl *s, unsigned int n,
			     struct kapi_res *res)
{
	struct scatterlist one;
	unsigned int i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		sg_init_one(&one, s->chunk[i] + s->off[i], s->size[i]);
		ahash_request_set_crypt(req, &one, h->digest, s->size[i]);
		err = kapi_step(h, crypto_ahash_update(req), "update", res);
	}
	return err;
}

static int kapi_hash_digest(struct kapi_hash *h, struct kapi_res *res)
{
	struct ahash_request *req;
	struct kapi_sgl *s;
	int err;

	s = kapi_sgl_alloc(h->len, h->segs);
	req = kapi_ahash_req(h);
	if (!s || !req) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	kapi_sgl_fill(s, h->data, h->len);
	ahash_request_set_crypt(req, s->sg, h->digest, h->len);
	err = kapi_step(h, crypto_ahash_digest(req), "digest", res);
out:
	ahash_request_free(req);
	kapi_sgl_free(s);
	return err;
}

static int kapi_hash_parts(struct kapi_hash *h, bool finup,
			   struct kapi_res *res)
{
	struct ahash_request *req;
	struct scatterlist *head = NULL, last;
	struct kapi_sgl *s;
	unsigned int i, n, headlen = 0;
	int err;

	s = kapi_sgl_alloc(h->len, h->segs);
	req = kapi_ahash_req(h);
	if (!s || !req) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	kapi_sgl_fill(s, h->data, h->len);
	err = kapi_step(h, crypto_ahash_init(req), "init", res);
	if (err)
		goto out;
	if (!finup) {
		err = kapi_hash_updates(h, req, s, s->n, res);
		if (err)
			goto out;
		ahash_request_set_crypt(req, NULL, h->digest, 0);
		err = kapi_step(h, crypto_ahash_final(req), "final", res);
		goto out;
	}
	/* One update on a list of all entries but the last, finup on it. */
	n = s->n - 1;
	if (n) {
		head = kmalloc_array(n, sizeof(*head), GFP_KERNEL);
		if (!head) {
			err = kapi_fail(res, -ENOMEM, "mem");
			goto out;
		}
		sg_init_table(head, n);
		for (i = 0; i < n; i++) {
			sg_set_buf(&head[i], s->chunk[i] + s->off[i],
				   s->size[i]);
			headlen += s->size[i];
		}
		ahash_request_set_crypt(req, head, h->digest, headlen);
		err = kapi_step(h, crypto_ahash_update(req), "update", res);
		if (err)
			goto out;
	}
	sg_init_one(&last, s->chunk[n] + s->off[n], s->size[n]);
	ahash_request_set_crypt(req, &last, h->digest, s->size[n]);
	err = kapi_step(h, crypto_ahash_finup(req), "finup", res);
out:
	kfree(head);
	ahash_request_free(req);
	kapi_sgl_free(s);
	return err;
}

static int kapi_hash_export(struct kapi_hash *h, struct kapi_res *res)
{
	struct ahash_request *req = NULL;
	struct kapi_sgl *a, *b;
	unsigned int half = h->len / 2;
	u8 *state;
	int err;

	a = kapi_sgl_alloc(half, h->segs);
	b = kapi_sgl_alloc(h->len - half, h->segs);
	state = kzalloc(max(crypto_ahash_statesize(h->tfm), 1U), GFP_KERNEL);
	req = kapi_ahash_req(h);
	if (!a || !b || !state || !req) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	kapi_sgl_fill(a, h->data, half);
	kapi_sgl_fill(b, h->data + half, h->len - half);
	err = kapi_step(h, crypto_ahash_init(req), "init", res);
	if (err)
		goto out;
	ahash_request_set_crypt(req, a->sg, h->digest, half);
	err = kapi_step(h, crypto_ahash_update(req), "update", res);
	if (err)
		goto out;
	err = crypto_ahash_export(req, state);
	if (err) {
		kapi_fail(res, err, "export");
		goto out;
	}
	/* A new request continues from the state alone. */
	ahash_request_free(req);
	req = kapi_ahash_req(h);
	if (!req) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	err = crypto_ahash_import(req, state);
	if (err) {
		kapi_fail(res, err, "import");
		goto out;
	}
	ahash_request_set_crypt(req, b->sg, h->digest, h->len - half);
	err = kapi_step(h, crypto_ahash_update(req), "update", res);
	if (err)
		goto out;
	ahash_request_set_crypt(req, NULL, h->digest, 0);
	err = kapi_step(h, crypto_ahash_final(req), "final", res);
out:
	ahash_request_free(req);
	kfree_sensitive(state);
	kapi_sgl_free(b);
	kapi_sgl_free(a);
	return err;
}

static int kapi_hash_virt(struct kapi_hash *h, bool in_vmalloc,
			  struct kapi_res *res)
{
#ifdef CRYPTO_AHASH_REQ_VIRT
	struct ahash_request *req;
	u8 *buf;
	int err;

	buf = in_vmalloc ? vmalloc(max(h->len, 1U)) :
			   kmalloc(max(h->len, 1U), GFP_KERNEL | __GFP_NOWARN);
	req = kapi_ahash_req(h);
	if (!buf || !req) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	memcpy(buf, h->data, h->len);
	ahash_request_set_virt(req, buf, h->digest, h->len);
	err = kapi_step(h, crypto_ahash_digest(req), "digest", res);
out:
	ahash_request_free(req);
	kvfree(buf);
	return err;
#else
	/* This kernel has no virtual address hash requests. */
	return kapi_fail(res, -EOPNOTSUPP, "virt");
#endif
}

static int kapi_hash(char **tok, unsigned int ntok, struct kapi_res *res,
		     u8 **outbuf, const char **reason)
{
	struct kapi_hash h = { };
	u8 *key = NULL, *data = NULL;
	unsigned int klen, len, r;
	struct kapi_opts o;
	int err;
	DECLARE_CRYPTO_WAIT(wait);

	/* DRIVER KEY DATA [OPTS] */
	*reason = "usage";
	if (ntok < 3)
		return -EINVAL;
	err = kapi_opts(tok + 3, ntok - 3, true, &o, reason);
	if (err)
		return err;
	*reason = "hex";
	key = kapi_hex(tok[1], &klen);
	data = kapi_hex(tok[2], &len);
	if (IS_ERR(key) || IS_ERR(data)) {
		err = PTR_ERR_OR_ZERO(key) ?: PTR_ERR(data);
		if (err == -ENOMEM)
			err = kapi_fail(res, err, "mem");
		goto out;
	}
	*reason = NULL;

	h.tfm = crypto_alloc_ahash(tok[0], 0, o.sync ? CRYPTO_ALG_ASYNC : 0);
	if (IS_ERR(h.tfm)) {
		err = kapi_fail(res, PTR_ERR(h.tfm), "alloc");
		h.tfm = NULL;
		goto out;
	}
	if (strcmp(tok[1], "-")) {
		err = crypto_ahash_setkey(h.tfm, key, klen);
		if (err) {
			kapi_fail(res, err, "setkey");
			goto out;
		}
	}
	*outbuf = kzalloc(crypto_ahash_digestsize(h.tfm) + 1, GFP_KERNEL);
	if (!*outbuf) {
		err = kapi_fail(res, -ENOMEM, "mem");
		goto out;
	}
	h.data = data;
	h.len = len;
	h.segs = o.segs;
	h.digest = *outbuf;
	h.wait = &wait;
	for (r = 0; r < o.repeat; r++) {
		if (r) {
			err = kapi_next(res);
			if (err)
				goto out;
		}
		switch (o.mode) {
		case KAPI_DIGEST:
			err = kapi_hash_digest(&h, res);
			break;
		case KAPI_PARTS:
			err = kapi_hash_parts(&h, false, res);
			break;
		case KAPI_FINUP:
			err = kapi_hash_parts(&h, true, res);
			break;
		case KAPI_EXPORT:
			err = kapi_hash_export(&h, res);
			break;
		case KAPI_VIRT:
			err = kapi_hash_virt(&h, o.vmalloc, res);
			break;
		}
		if (err)
			goto out;
	}
	res->out = *outbuf;
	res->outlen = crypto_ahash_digestsize(h.tfm);
out:
	if (!err) {
		res->served = kstrdup(crypto_ahash_driver_name(h.tfm),
				      GFP_KERNEL);
		if (!res->served)
			err = kapi_fail(res, -ENOMEM, "mem");
	}
	crypto_free_ahash(h.tfm);
	if (!IS_ERR(data))
		kfree(data);
	if (!IS_ERR(key))
		kfree_sensitive(key);
	return err;
}

/* --- akcipher --- */

static int kapi_akcipher(char **tok, unsigned int ntok, struct kapi_res *res,
			 u8 **outbuf, const char **reason)
{
	struct crypto_akcipher *tfm = NULL;
	struct akcipher_request *req = NULL;
	struct kapi_sgl *src = NULL, *dst = NULL;
	u8 *key = NULL, *data = NULL;
	unsigned int klen = 0, len = 0, dlen, slen, r;
	int op, err;
	bool priv;
	struct kapi_opts o;
	static const char *const ops[] = { "enc", "dec", "sign", "verify" };
	static const char *const steps[] = { "encrypt", "decrypt", "sign", "verify" };
	DECLARE_CRYPTO_WAIT(wait);

	/* DRIVER enc|dec|sign|verify pub|priv KEY DATA DSTLEN [OPTS] */
	*reason = "usage";
	if (ntok < 6)
		return -EINVAL;
	*reason = "op";
	for (op = 0; op < 4 && strcmp(tok[1], ops[op]); op++)
		;
	if (op == 4)
		return -EINVAL;
	if (!strcmp(tok[2], "priv"))
		priv = true;
	else if (!strcmp(tok[2], "pub"))
		priv = false;
	else
		return -EINVAL;
	*reason = "dstlen";
	if (kstrtouint(tok[5], 10, &dlen) || dlen > 65536)
		return -EINVAL;
	err = kapi_opts(tok + 6, ntok - 6, false, &o, reason);
	if (err)
		return err;
	*reason = "hex";
	key = kapi_hex(tok[3], &klen);
	data = kapi_hex(tok[4], &len);
	if (IS_ERR(key) || IS_ERR(data)) {
		err = PTR_ERR_OR_ZERO(key) ?: PTR_ERR(data);
		if (!IS_ERR(key))
			kfree_sensitive(key);
		if (!IS_ERR(data))
			kfree(data);
		return err == -ENOMEM ? kapi_fail(res, err, "mem") : err;
	}
	*reason = "dstlen";
	err = -EINVAL;
	if (op == 3 && dlen > len)
		goto out;
	*reason = NULL;
	slen = op == 3 ? len - dlen : len;

	tfm = crypto_alloc_akcipher(tok[0], 0, o.sync ? CRYPTO_ALG_ASYNC : 0);
	if (IS_ERR(tfm)) {
		err = kapi_fail(res, PTR_ERR(tfm), "alloc");
		tfm = NULL;
		goto out;
	}
	err = priv ? crypto_akcipher_set_priv_key(tfm, key, klen) :
		     crypto_akcipher_set_pub_key(tfm, key, klen);
	if (err) {
		kapi_fail(res, err, "setkey");
		goto out;
	}
	err = -ENOMEM;
	req = akcipher_request_alloc(tfm, GFP_KERNEL);
	*outbuf = kmalloc(max(dlen, 1U), GFP_KERNEL | __GFP_NOWARN);
	src = kapi_sgl_alloc(len, o.segs);
	if (op != 3)
		dst = kapi_sgl_alloc(dlen, o.segs);
	if (!req || !*outbuf || !src || (op != 3 && !dst)) {
		kapi_fail(res, err, "mem");
		goto out;
	}
	akcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				      CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	for (r = 0; r < o.repeat; r++) {
		if (r) {
			err = kapi_next(res);
			if (err)
				goto out;
		}
		kapi_sgl_fill(src, data, len);
		if (dst)
			kapi_sgl_fill(dst, NULL, 0);
		akcipher_request_set_crypt(req, src->sg, dst ? dst->sg : NULL,
					   slen, dlen);
		switch (op) {
		case 0:
			err = crypto_akcipher_encrypt(req);
			break;
		case 1:
			err = crypto_akcipher_decrypt(req);
			break;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
		case 2:
			err = crypto_akcipher_sign(req);
			break;
		default:
			err = crypto_akcipher_verify(req);
			break;
#else
		default:
			err = -EOPNOTSUPP;
			break;
#endif
		}
		err = crypto_wait_req(err, &wait);
		if (err) {
			kapi_fail(res, err, steps[op]);
			goto out;
		}
	}
	if (dst) {
		res->outlen = min(req->dst_len, dlen);
		kapi_sgl_read(dst, *outbuf, res->outlen);
	}
	res->out = *outbuf;
out:
	kapi_sgl_free(dst);
	kapi_sgl_free(src);
	akcipher_request_free(req);
	if (!err) {
		res->served = kstrdup(crypto_tfm_alg_driver_name(crypto_akcipher_tfm(tfm)),
				      GFP_KERNEL);
		if (!res->served)
			err = kapi_fail(res, -ENOMEM, "mem");
	}
	if (tfm)
		crypto_free_akcipher(tfm);
	kfree_sensitive(key);
	kfree(data);
	return err;
}

/* --- the command and its result --- */

static void kapi_store(char *line, size_t len)
{
	mutex_lock(&kapi_result_lock);
	kvfree(kapi_result);
	kapi_result = line;
	kapi_result_len = len;
	mutex_unlock(&kapi_result_lock);
}

static void kapi_store_err(int err, const char *what)
{
	char *line = kasprintf(GFP_KERNEL, "err %d %s\n", err, what);

	if (line)
		kapi_store(line, strlen(line));
}

static void kapi_run(char *cmd)
{
	char *tok[KAPI_MAX_TOKENS], *t, *line;
	const char *reason = "usage";
	struct kapi_res res = { };
	unsigned int ntok = 0;
	u8 *outbuf = NULL;
	size_t n;
	int err;

	while ((t = strsep(&cmd, " \t\n")) != NULL) {
		if (!*t)
			continue;
		if (ntok == KAPI_MAX_TOKENS) {
			kapi_store_err(-EINVAL, "usage");
			return;
		}
		tok[ntok++] = t;
	}
	if (!ntok) {
		kapi_store_err(-EINVAL, "empty");
		return;
	}
	if (!strcmp(tok[0], "skcipher"))
		err = kapi_skcipher(tok + 1, ntok - 1, &res, &outbuf, &reason);
	else if (!strcmp(tok[0], "hash"))
		err = kapi_hash(tok + 1, ntok - 1, &res, &outbuf, &reason);
	else if (!strcmp(tok[0], "aead"))
		err = kapi_aead(tok + 1, ntok - 1, &res, &outbuf, &reason);
	else if (!strcmp(tok[0], "akcipher"))
		err = kapi_akcipher(tok + 1, ntok - 1, &res, &outbuf, &reason);
	else
		err = -EINVAL;

	if (err) {
		/* A failing step, or else the reason the command was refused. */
		kapi_store_err(err, res.step ?: reason ?: "usage");
		goto out;
	}
	n = strlen("ok ") + strlen(res.served) + 1 + 2 * res.outlen + 3;
	line = kvmalloc(n, GFP_KERNEL);
	if (!line) {
		kapi_store_err(-ENOMEM, "mem");
		goto out;
	}
	t = line + sprintf(line, "ok %s ", res.served);
	if (res.outlen)
		t = bin2hex(t, res.out, res.outlen);
	else
		*t++ = '-';
	*t++ = '\n';
	kapi_store(line, t - line);
out:
	kfree(res.served);
	kfree_sensitive(outbuf);
}

static int kapi_open(struct inode *inode, struct file *file)
{
	struct kapi_cmd *c;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	file->private_data = c;
	return 0;
}

static ssize_t kapi_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct kapi_cmd *c = file->private_data;
	char *nb;

	if (!c)
		return -EBADF;
	if (c->failed)
		return c->failed;
	if (count > KAPI_MAX_CMD - c->len) {
		c->failed = -EFBIG;
		return -EFBIG;
	}
	if (c->len + count + 1 > c->cap) {
		size_t cap = max3(c->cap * 2, c->len + count + 1, (size_t)256);

		cap = min_t(size_t, cap, KAPI_MAX_CMD + 1);
		nb = kvmalloc(cap, GFP_KERNEL);
		if (!nb) {
			c->failed = -ENOMEM;
			return -ENOMEM;
		}
		if (c->len)
			memcpy(nb, c->buf, c->len);
		kvfree(c->buf);
		c->buf = nb;
		c->cap = cap;
	}
	if (copy_from_user(c->buf + c->len, ubuf, count)) {
		c->failed = -EFAULT;
		return -EFAULT;
	}
	c->len += count;
	*ppos += count;
	return count;
}

static ssize_t kapi_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&kapi_result_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, kapi_result,
				      kapi_result ? kapi_result_len : 0);
	mutex_unlock(&kapi_result_lock);
	return ret;
}

static int kapi_release(struct inode *inode, struct file *file)
{
	struct kapi_cmd *c = file->private_data;

	if (!c)
		return 0;
	if (c->failed) {
		kapi_store_err(c->failed, "write");
	} else if (c->len) {
		c->buf[c->len] = '\0';
		if (strlen(c->buf) != c->len)
			kapi_store_err(-EINVAL, "usage");
		else
			kapi_run(c->buf);
	}
	kvfree(c->buf);
	kfree(c);
	return 0;
}

static const struct file_operations kapi_fops = {
	.owner = THIS_MODULE,
	.open = kapi_open,
	.read = kapi_read,
	.write = kapi_write,
	.release = kapi_release,
	.llseek = default_llseek,
};

static int __init kapi_init(void)
{
	kapi_dir = debugfs_create_dir("vcrs_kapi", NULL);
	if (IS_ERR(kapi_dir))
		return PTR_ERR(kapi_dir);
	debugfs_create_file("run", 0600, kapi_dir, NULL, &kapi_fops);
	return 0;
}

static void __exit kapi_exit(void)
{
	debugfs_remove_recursive(kapi_dir);
	kvfree(kapi_result);
}

module_init(kapi_init);
module_exit(kapi_exit);
MODULE_DESCRIPTION("Crypto API requests by name from debugfs, for the tests");
MODULE_LICENSE("GPL");
