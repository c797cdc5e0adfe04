// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim_check: a minimal virtio crypto driver that checks the simulated
 * device's answers to well-formed and malformed requests, so that drivers are
 * tested on a known base. It binds a device with one data queue, runs every
 * check at probe and logs one line per check:
 *   vcrs_sim_check: RESULT PASS|FAIL <name> [details]
 * Requests are built by hand from include/uapi/linux/virtio_crypto.h.
 *
 * Checks of the device's faults run on demand, after the test has switched the
 * fault on in the device's debugfs: write their name to
 * /sys/kernel/debug/vcrs_sim_check/run ("lost" expects the second of two
 * requests to stay unanswered; "used-len-N" expects used length N;
 * "chain-fault-N" expects plain cipher requests to pass and a chained one to
 * get status N, as the device's fail_chain switch does).
 */
#include <crypto/hash.h>
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <crypto/skcipher.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_crypto.h>

#define REQ_LEN 72
#define MAX_SEGS 6

struct check {
	struct virtio_device *vdev;
	struct virtqueue *dataq, *ctrlq;
};

/* One device-readable or device-writable segment. */
struct seg {
	void *buf;
	size_t len;
};

static void result(bool ok, const char *name, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("vcrs_sim_check: RESULT %s %s %pV\n", ok ? "PASS" : "FAIL", name, &vaf);
	va_end(args);
}

/* One submitted request's buffers; the token, so that a lost request can be freed whole. */
struct pending {
	int n;
	void *bufs[MAX_SEGS];
};

static void pending_free(struct pending *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		kfree(p->bufs[i]);
	kfree(p);
}

/*
 * Submits out/in segments (copied into kmalloc memory) and polls for the
 * answer for up to 5 s. Copies device-written bytes back. Returns the used
 * length, or -ETIMEDOUT.
 */
static int submit(struct virtqueue *vq, struct seg *out, int n_out, struct seg *in, int n_in)
{
	struct scatterlist sgs[MAX_SEGS], *psgs[MAX_SEGS];
	struct pending *p;
	unsigned int len = 0;
	int i, ret, n = n_out + n_in;
	void *token = NULL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct seg *s = i < n_out ? &out[i] : &in[i - n_out];

		p->bufs[i] = kmemdup(s->buf, max_t(size_t, s->len, 1), GFP_KERNEL);
		if (!p->bufs[i]) {
			ret = -ENOMEM;
			goto out;
		}
		p->n = i + 1;
		sg_init_one(&sgs[i], p->bufs[i], s->len);
		psgs[i] = &sgs[i];
	}
	ret = virtqueue_add_sgs(vq, psgs, n_out, n_in, p, GFP_KERNEL);
	if (ret)
		goto out;
	virtqueue_kick(vq);
	for (i = 0; i < 5000 && !token; i++) {
		token = virtqueue_get_buf(vq, &len);
		if (!token)
			usleep_range(500, 1000);
	}
	if (!token) {
		/* Left to the device; check_remove frees it. */
		return -ETIMEDOUT;
	}
	for (i = 0; i < n_in; i++)
		memcpy(in[i].buf, p->bufs[n_out + i], in[i].len);
	ret = len;
out:
	pending_free(p);
	return ret;
}

/* Sends a control request (with an optional key) expecting a session input. */
static int create_session(struct check *c, struct virtio_crypto_op_ctrl_req *ctrl,
			  const void *key, size_t keylen, u64 *id)
{
	struct virtio_crypto_session_input si = { .status = cpu_to_le32(0xff) };
	struct seg out[2] = { { ctrl, sizeof(*ctrl) }, { (void *)key, keylen } };
	struct seg in[1] = { { &si, sizeof(si) } };
	int ret = submit(c->ctrlq, out, keylen ? 2 : 1, in, 1);

	if (ret < 0)
		return ret;
	*id = le64_to_cpu(si.session_id);
	return le32_to_cpu(si.status);
}

static int destroy_session(struct check *c, u32 opcode, u64 id)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	struct virtio_crypto_inhdr st = { .status = 0xff };
	struct seg out[1] = { { &ctrl, sizeof(ctrl) } };
	struct seg in[1] = { { &st, 1 } };
	int ret;

	ctrl.header.opcode = cpu_to_le32(opcode);
	ctrl.u.destroy_session.session_id = cpu_to_le64(id);
	ret = submit(c->ctrlq, out, 1, in, 1);
	return ret < 0 ? ret : st.status;
}

static int cipher_session(struct check *c, u32 algo, u32 op, const u8 *key, u32 keylen, u64 *id)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	struct virtio_crypto_cipher_session_para *p = &ctrl.u.sym_create_session.u.cipher.para;

	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
	ctrl.header.algo = cpu_to_le32(algo);
	ctrl.u.sym_create_session.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
	p->algo = cpu_to_le32(algo);
	p->keylen = cpu_to_le32(keylen);
	p->op = cpu_to_le32(op);
	return create_session(c, &ctrl, key, keylen, id);
}

/*
 * Sends data request REQ for session ID with OPCODE: the request, then N_OUT more
 * device-readable segments, then DST and the status byte. Returns the status or -errno.
 */
static int data_req(struct check *c, struct virtio_crypto_op_data_req *req, u32 opcode, u64 id,
		    const struct seg *more_out, int n_out, struct seg dst)
{
	struct virtio_crypto_inhdr st = { .status = 0xff };
	struct seg out[MAX_SEGS - 2] = { { req, sizeof(*req) } };
	struct seg in[2] = { dst, { &st, 1 } };
	int i, ret;

	if (n_out + 1 > MAX_SEGS - 2)
		return -EINVAL;
	for (i = 0; i < n_out; i++)
		out[i + 1] = more_out[i];
	req->header.opcode = cpu_to_le32(opcode);
	req->header.session_id = cpu_to_le64(id);
	ret = submit(c->dataq, out, n_out + 1, in, 2);
	return ret < 0 ? ret : st.status;
}

/* A cipher data request; src and dst lengths given separately to allow malformed ones. */
static int cipher_req(struct check *c, u32 opcode, u64 id, const u8 *iv, u32 iv_len,
		      const u8 *src, u32 src_len, u8 *dst, u32 dst_len)
{
	struct virtio_crypto_op_data_req req = {};
	struct virtio_crypto_cipher_para *p = &req.u.sym_req.u.cipher.para;
	struct seg out[2] = { { (void *)iv, iv_len }, { (void *)src, src_len } };

	req.u.sym_req.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
	p->iv_len = cpu_to_le32(iv_len);
	p->src_data_len = cpu_to_le32(src_len);
	p->dst_data_len = cpu_to_le32(dst_len);
	return data_req(c, &req, opcode, id, out, 2, (struct seg){ dst, dst_len });
}

/* NIST SP 800-38A F.2.1, first block. */
static const u8 aes_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const u8 aes_iv[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
static const u8 aes_pt[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
			       0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
static const u8 aes_ct[16] = { 0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
			       0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };

static void check_cipher(struct check *c)
{
	u8 out[32];
	u64 enc, dec, bogus;
	int st;

	st = cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_ENCRYPT, aes_key, 16, &enc);
	result(st == VIRTIO_CRYPTO_OK, "cipher-create-session", "status %d", st);
	st = cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_DECRYPT, aes_key, 16, &dec);
	result(st == VIRTIO_CRYPTO_OK && dec != enc, "cipher-create-second-session", "status %d", st);

	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, aes_ct, 16), "cipher-aes-cbc-kat-encrypt",
	       "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_DECRYPT, dec, aes_iv, 16, aes_ct, 16, out, 16);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, aes_pt, 16), "cipher-aes-cbc-kat-decrypt",
	       "status %d", st);

	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 16, aes_pt, 16, out, 32);
	result(st == VIRTIO_CRYPTO_ERR, "malformed-src-dst-length-mismatch-is-err", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 16, aes_pt, 15, out, 15);
	result(st == VIRTIO_CRYPTO_ERR, "malformed-partial-block-is-err", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 8, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_ERR, "malformed-iv-length-is-err", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, 1000, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_INVSESS, "unknown-session-is-invsess", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_DECRYPT, enc, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_INVSESS, "wrong-direction-is-invsess", "status %d", st);

	{
		/* A request shorter than its 72-byte header. */
		u8 shorty[40] = {}, stat = 0xff;
		struct seg o[1] = { { shorty, sizeof(shorty) } };
		struct seg i[1] = { { &stat, 1 } };
		int len = submit(c->dataq, o, 1, i, 1);

		result(len == 1 && stat == VIRTIO_CRYPTO_ERR, "malformed-short-header-is-err",
		       "used %d status %u", len, stat);
	}
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, aes_ct, 16), "device-works-after-malformed",
	       "status %d", st);

	st = cipher_session(c, 1 /* ARC4: never offered */, VIRTIO_CRYPTO_OP_ENCRYPT, aes_key, 16, &bogus);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "unsupported-algorithm-is-notsupp", "status %d", st);

	st = destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, enc);
	result(st == VIRTIO_CRYPTO_OK, "destroy-session", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_INVSESS, "destroyed-session-is-invsess", "status %d", st);
	st = destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, enc);
	result(st == VIRTIO_CRYPTO_INVSESS, "destroy-twice-is-invsess", "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, dec);
}

/* Hash or MAC of src; returns the status, the result in out. */
static int hash_req(struct check *c, u32 opcode, u64 id, const void *src, u32 len, u8 *out,
		    u32 result_len)
{
	struct virtio_crypto_op_data_req req = {};
	struct seg o[1] = { { (void *)src, len } };

	req.u.hash_req.para.src_data_len = cpu_to_le32(len);
	req.u.hash_req.para.hash_result_len = cpu_to_le32(result_len);
	return data_req(c, &req, opcode, id, o, 1, (struct seg){ out, result_len });
}

static const u8 sha256_abc[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
/* RFC 4231, test case 2. */
static const u8 hmac_sha256_jefe[32] = {
	0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
	0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43 };

static void check_hash_mac(struct check *c)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	static const char jefe_msg[] = "what do ya want for nothing?";
	u8 out[32];
	u64 id;
	int st;

	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_HASH_CREATE_SESSION);
	ctrl.u.hash_create_session.para.algo = cpu_to_le32(VIRTIO_CRYPTO_HASH_SHA_256);
	ctrl.u.hash_create_session.para.hash_result_len = cpu_to_le32(32);
	st = create_session(c, &ctrl, NULL, 0, &id);
	result(st == VIRTIO_CRYPTO_OK, "hash-create-session", "status %d", st);
	st = hash_req(c, VIRTIO_CRYPTO_HASH, id, "abc", 3, out, 32);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, sha256_abc, 32), "hash-sha256-kat", "status %d", st);
	st = hash_req(c, VIRTIO_CRYPTO_MAC, id, "abc", 3, out, 32);
	result(st == VIRTIO_CRYPTO_INVSESS, "hash-session-used-for-mac-is-invsess", "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION, id);

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_MAC_CREATE_SESSION);
	ctrl.u.mac_create_session.para.algo = cpu_to_le32(VIRTIO_CRYPTO_MAC_HMAC_SHA_256);
	ctrl.u.mac_create_session.para.hash_result_len = cpu_to_le32(32);
	ctrl.u.mac_create_session.para.auth_key_len = cpu_to_le32(4);
	st = create_session(c, &ctrl, "Jefe", 4, &id);
	result(st == VIRTIO_CRYPTO_OK, "mac-create-session", "status %d", st);
	st = hash_req(c, VIRTIO_CRYPTO_MAC, id, jefe_msg, sizeof(jefe_msg) - 1, out, 32);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, hmac_sha256_jefe, 32), "mac-hmac-sha256-kat",
	       "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_MAC_DESTROY_SESSION, id);
}

static int aead_req(struct check *c, u32 opcode, u64 id, const u8 *iv, u32 iv_len,
		    const u8 *src, u32 src_len, u8 *dst, u32 dst_len)
{
	struct virtio_crypto_op_data_req req = {};
	struct seg o[2] = { { (void *)iv, iv_len }, { (void *)src, src_len } };

	req.u.aead_req.para.iv_len = cpu_to_le32(iv_len);
	req.u.aead_req.para.src_data_len = cpu_to_le32(src_len);
	req.u.aead_req.para.dst_data_len = cpu_to_le32(dst_len);
	return data_req(c, &req, opcode, id, o, 2, (struct seg){ dst, dst_len });
}

static int aead_session(struct check *c, u32 op, u64 *id)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	struct virtio_crypto_aead_session_para *p = &ctrl.u.aead_create_session.para;
	static const u8 zero_key[16];

	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_AEAD_CREATE_SESSION);
	p->algo = cpu_to_le32(VIRTIO_CRYPTO_AEAD_GCM);
	p->key_len = cpu_to_le32(16);
	p->hash_result_len = cpu_to_le32(16);
	p->op = cpu_to_le32(op);
	return create_session(c, &ctrl, zero_key, 16, id);
}

/* The GCM specification's test case 2: zero key, zero IV, one zero block. */
static const u8 gcm_ct_tag[32] = {
	0x03, 0x88, 0xda, 0xce, 0x60, 0xb6, 0xa3, 0x92, 0xf3, 0x28, 0xc2, 0xb9, 0x71, 0xb2, 0xfe, 0x78,
	0xab, 0x6e, 0x47, 0xd4, 0x2c, 0xec, 0x13, 0xbd, 0xf5, 0x3a, 0x67, 0xb2, 0x12, 0x57, 0xbd, 0xdf };

static void check_aead(struct check *c)
{
	static const u8 zero[16], iv[12];
	u8 out[32], tampered[32];
	u64 enc, dec;
	int st;

	st = aead_session(c, VIRTIO_CRYPTO_OP_ENCRYPT, &enc);
	result(st == VIRTIO_CRYPTO_OK, "aead-create-session", "status %d", st);
	st = aead_session(c, VIRTIO_CRYPTO_OP_DECRYPT, &dec);
	st = aead_req(c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, iv, 12, zero, 16, out, 32);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, gcm_ct_tag, 32), "aead-gcm-kat-encrypt",
	       "status %d", st);
	st = aead_req(c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec, iv, 12, gcm_ct_tag, 32, out, 16);
	result(st == VIRTIO_CRYPTO_OK && !memcmp(out, zero, 16), "aead-gcm-kat-decrypt",
	       "status %d", st);
	memcpy(tampered, gcm_ct_tag, 32);
	tampered[31] ^= 1;
	st = aead_req(c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec, iv, 12, tampered, 32, out, 16);
	result(st == VIRTIO_CRYPTO_BADMSG, "aead-tag-mismatch-is-badmsg", "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_AEAD_DESTROY_SESSION, enc);
	destroy_session(c, VIRTIO_CRYPTO_AEAD_DESTROY_SESSION, dec);
}

/*
 * One chained request: AES-CBC encryption of src (32 bytes) then HMAC-SHA256 (key
 * "Jefe") over the ciphertext, on a session of its own. Fills out (ciphertext, then
 * the MAC) and returns the status, or -errno when the device did not answer.
 */
static int chain_request(struct check *c, const u8 *src, u8 *out)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	struct virtio_crypto_alg_chain_session_para *p = &ctrl.u.sym_create_session.u.chain.para;
	struct virtio_crypto_op_data_req req = {};
	struct virtio_crypto_alg_chain_data_para *d = &req.u.sym_req.u.chain.para;
	struct virtio_crypto_inhdr st = { .status = 0xff };
	u8 keys[16 + 4];
	u64 id;
	int ret;

	memcpy(keys, aes_key, 16);
	memcpy(keys + 16, "Jefe", 4);
	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
	ctrl.u.sym_create_session.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
	p->alg_chain_order = cpu_to_le32(VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH);
	p->hash_mode = cpu_to_le32(VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
	p->cipher_param.algo = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_AES_CBC);
	p->cipher_param.keylen = cpu_to_le32(16);
	p->cipher_param.op = cpu_to_le32(VIRTIO_CRYPTO_OP_ENCRYPT);
	p->u.mac_param.algo = cpu_to_le32(VIRTIO_CRYPTO_MAC_HMAC_SHA_256);
	p->u.mac_param.hash_result_len = cpu_to_le32(32);
	p->u.mac_param.auth_key_len = cpu_to_le32(4);
	ret = create_session(c, &ctrl, keys, sizeof(keys), &id);
	if (ret != VIRTIO_CRYPTO_OK)
		return -EPROTO;	/* no session (refused or unanswered) */

	req.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_ENCRYPT);
	req.header.session_id = cpu_to_le64(id);
	req.u.sym_req.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
	d->iv_len = cpu_to_le32(16);
	d->src_data_len = cpu_to_le32(32);
	d->dst_data_len = cpu_to_le32(32);
	d->len_to_cipher = cpu_to_le32(32);
	d->len_to_hash = cpu_to_le32(32);
	d->hash_result_len = cpu_to_le32(32);
	{
		struct seg o[3] = { { &req, sizeof(req) }, { (void *)aes_iv, 16 }, { (void *)src, 32 } };
		struct seg i[2] = { { out, 64 }, { &st, 1 } };

		ret = submit(c->dataq, o, 3, i, 2);
	}
	destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, id);
	return ret < 0 ? ret : st.status;
}

/* Chaining: AES-CBC then HMAC-SHA256 over the ciphertext, checked against software. */
static void check_chain(struct check *c)
{
	u8 src[32], out[32 + 32], want_ct[32], want_mac[32];
	struct crypto_shash *hmac;
	struct crypto_skcipher *cbc;
	int ret;

	memset(src, 0x5a, sizeof(src));
	ret = chain_request(c, src, out);
	result(ret != -EPROTO, "chain-create-session", "status %d", ret);

/* The same computation in software. */
	cbc = crypto_alloc_skcipher("cbc(aes)", 0, CRYPTO_ALG_ASYNC);
	hmac = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(cbc) || IS_ERR(hmac)) {
		result(false, "chain-cipher-then-hmac", "no software reference");
		goto out;
	}
	{
		struct skcipher_request *sreq = skcipher_request_alloc(cbc, GFP_KERNEL);
		struct scatterlist sg;
		u8 iv[16];

		memcpy(iv, aes_iv, 16);
		memcpy(want_ct, src, 32);
		sg_init_one(&sg, want_ct, 32);
		crypto_skcipher_setkey(cbc, aes_key, 16);
		skcipher_request_set_callback(sreq, 0, NULL, NULL);
		skcipher_request_set_crypt(sreq, &sg, &sg, 32, iv);
		crypto_skcipher_encrypt(sreq);
		skcipher_request_free(sreq);
		crypto_shash_setkey(hmac, (const u8 *)"Jefe", 4);
		crypto_shash_tfm_digest(hmac, want_ct, 32, want_mac);
	}
	result(ret == VIRTIO_CRYPTO_OK && !memcmp(out, want_ct, 32) &&
	       !memcmp(out + 32, want_mac, 32), "chain-cipher-then-hmac", "status %d", ret);
out:
	if (!IS_ERR(cbc))
		crypto_free_skcipher(cbc);
	if (!IS_ERR(hmac))
		crypto_free_shash(hmac);
}

/*
 * AKCIPHER, checked when the device offers it (crypto_services bit 4): known
 * answers for RSA (a 1024-bit key, PKCS#1 DER) RAW and PKCS#1 v1.5 with
 * SHA-256, and ECDSA P-256 verification (public key 04||X||Y, DER signature,
 * over SHA-256("abc")), generated with OpenSSL for these checks.
 */
static const u8 rsa_priv_der[611] = {
	0x30, 0x82, 0x02, 0x5f, 0x02, 0x01, 0x00, 0x02, 0x81, 0x81, 0x00, 0xad, 0x5d, 0x84, 0x4c, 0x8b,
	0x40, 0x79, 0x9d, 0x44, 0x30, 0x50, 0xb6, 0x42, 0x45, 0x0c, 0x61, 0x17, 0x8c, 0xac, 0xbf, 0x4c,
	0x0a, 0x19, 0x71, 0xdc, 0xaf, 0x52, 0x24, 0xf8, 0xbc, 0xad, 0xbb, 0xaa, 0x88, 0xe8, 0x64, 0x19,
	0x7a, 0xe3, 0x76, 0x33, 0xb3, 0x95, 0x0e, 0x48, 0x25, 0x6c, 0x86, 0xda, 0xe6, 0xad, 0xb8, 0xa2,
	0x51, 0xf0, 0xe7, 0x34, 0xc0, 0x68, 0x5c, 0x4e, 0xa5, 0xd5, 0xd9, 0x48, 0x10, 0xdc, 0xb3, 0x49,
	0x06, 0x58, 0x0f, 0xba, 0xc5, 0x7f, 0xf7, 0xd1, 0x5a, 0xbe, 0x7a, 0x88, 0xf4, 0x56, 0x68, 0x86,
	0x8f, 0xcd, 0x79, 0x15, 0x1e, 0x6d, 0xe4, 0x7e, 0xbf, 0xc4, 0xa8, 0xde, 0x41, 0xad, 0x09, 0x5c,
	0xb1, 0x7f, 0x67, 0xb0, 0xe8, 0x24, 0x14, 0x1b, 0xa4, 0xf8, 0xa8, 0x38, 0xf2, 0xd8, 0xa2, 0xb9,
	0xcf, 0x70, 0x02, 0x5a, 0xcf, 0xd3, 0xc3, 0x11, 0x12, 0x9d, 0xf9, 0x02, 0x03, 0x01, 0x00, 0x01,
	0x02, 0x81, 0x81, 0x00, 0x96, 0xf9, 0x09, 0x6d, 0x5f, 0x17, 0x16, 0xd1, 0x4d, 0xc0, 0x85, 0x89,
	0x32, 0xcc, 0xce, 0xaa, 0xfe, 0xc7, 0x12, 0xe8, 0xc4, 0x5f, 0x47, 0x29, 0x50, 0xf5, 0x9c, 0xa3,
	0x75, 0xb9, 0x59, 0xd2, 0x44, 0x00, 0x55, 0xe0, 0x56, 0x10, 0x1e, 0x65, 0xa1, 0x40, 0x92, 0x5d,
	0x8d, 0x96, 0x89, 0x9c, 0x26, 0xa5, 0x1c, 0x43, 0xdd, 0x97, 0x5e, 0x22, 0xfa, 0x5d, 0x54, 0x84,
	0x8e, 0x38, 0xfc, 0xb0, 0x7c, 0x46, 0xab, 0x2c, 0x73, 0xd0, 0xec, 0x8a, 0x3e, 0x6e, 0x75, 0x66,
	0xd2, 0x35, 0x77, 0xf9, 0x67, 0x0c, 0xd4, 0x62, 0xc5, 0xeb, 0xf2, 0x00, 0x62, 0x0e, 0x6c, 0xe0,
	0x6d, 0x87, 0x5b, 0x41, 0xa4, 0x4b, 0x41, 0x0f, 0x34, 0x58, 0xf3, 0x79, 0xeb, 0x4a, 0x23, 0x0e,
	0x94, 0x35, 0x07, 0x0f, 0x9b, 0x1c, 0x56, 0x52, 0x9e, 0xf4, 0x42, 0x6d, 0x2c, 0x3a, 0x0e, 0x19,
	0xee, 0xc8, 0x07, 0x01, 0x02, 0x41, 0x00, 0xdb, 0x7b, 0x80, 0x41, 0x63, 0xdb, 0xe2, 0xf7, 0x0c,
	0x06, 0xd3, 0x6a, 0x4a, 0xe1, 0x4e, 0x4d, 0xf8, 0xda, 0x10, 0xe8, 0xb7, 0x6e, 0x25, 0xb9, 0xd3,
	0xea, 0xc0, 0xaa, 0x49, 0x61, 0xfd, 0xce, 0x5c, 0x33, 0x89, 0x97, 0x3c, 0xe2, 0x72, 0xe9, 0x6c,
	0x38, 0xe5, 0x5b, 0xab, 0x93, 0xf3, 0x16, 0xeb, 0x38, 0xc5, 0xb9, 0x37, 0x5a, 0x08, 0xa6, 0x95,
	0xf6, 0x3b, 0x88, 0xaf, 0xf2, 0x72, 0xf5, 0x02, 0x41, 0x00, 0xca, 0x35, 0xbb, 0x3c, 0xdc, 0xc7,
	0xd8, 0x5f, 0xe6, 0x66, 0x05, 0xaa, 0x8e, 0xbe, 0x93, 0xeb, 0x8b, 0x68, 0xe1, 0x06, 0x42, 0x0a,
	0x14, 0x59, 0x9c, 0x91, 0xb2, 0xe6, 0xfb, 0x45, 0x31, 0x3f, 0x21, 0x53, 0x15, 0x9e, 0x86, 0x66,
	0xe0, 0x7c, 0x68, 0x68, 0x45, 0xdb, 0xb7, 0x2c, 0x63, 0x0f, 0xd2, 0x96, 0xe6, 0x90, 0x46, 0xee,
	0x66, 0x6b, 0x46, 0xef, 0x4b, 0x58, 0x76, 0xef, 0x44, 0x75, 0x02, 0x41, 0x00, 0xba, 0x9f, 0x47,
	0x8d, 0xd2, 0x48, 0x0c, 0xb3, 0xbd, 0x71, 0x2c, 0x60, 0xcb, 0xec, 0xc9, 0xb5, 0x38, 0xec, 0xca,
	0xc5, 0xe5, 0xfa, 0x6d, 0x6f, 0x95, 0xc6, 0x9d, 0x2d, 0xee, 0x19, 0xb9, 0x42, 0xb7, 0x59, 0x47,
	0x1b, 0xe6, 0xb4, 0x31, 0xbb, 0x52, 0xbf, 0x0a, 0x1e, 0xa9, 0x44, 0xb2, 0xc5, 0x01, 0x1b, 0x13,
	0xdc, 0x8a, 0x39, 0x2e, 0xf3, 0xde, 0xbd, 0x31, 0x1f, 0xe7, 0x63, 0x82, 0xe5, 0x02, 0x41, 0x00,
	0xb6, 0x5c, 0x7e, 0xe0, 0x04, 0xbc, 0xb6, 0x86, 0xc6, 0x62, 0x7b, 0xf9, 0xb5, 0x82, 0x6a, 0x24,
	0xa3, 0x35, 0x92, 0xba, 0xf2, 0x13, 0xe5, 0x06, 0x6c, 0x0d, 0x7a, 0x2a, 0x95, 0xb1, 0x71, 0x18,
	0x5e, 0x15, 0x70, 0x09, 0xe7, 0x6c, 0x20, 0x48, 0x12, 0x60, 0xf7, 0x9f, 0x8f, 0x32, 0x98, 0xa4,
	0x4c, 0x67, 0x8a, 0xc7, 0xd3, 0x30, 0x6d, 0x6d, 0x92, 0x2b, 0x7c, 0xe7, 0xeb, 0x5b, 0x1d, 0x81,
	0x02, 0x41, 0x00, 0xa9, 0xdf, 0x29, 0x05, 0x98, 0x5b, 0x5f, 0x85, 0x21, 0x6d, 0x15, 0x8b, 0xd5,
	0xaf, 0x4b, 0xeb, 0x8e, 0x1f, 0x63, 0x81, 0x99, 0x97, 0xb2, 0x96, 0x4c, 0x96, 0x6e, 0xa2, 0x88,
	0x21, 0x59, 0x97, 0xcb, 0xa6, 0xe7, 0x33, 0x0b, 0x7b, 0x00, 0xd2, 0x67, 0x36, 0xd7, 0x09, 0x71,
	0x3a, 0x7e, 0x97, 0x0b, 0xde, 0xf2, 0x4b, 0x9c, 0x39, 0x50, 0x89, 0x56, 0x4d, 0x5a, 0x24, 0x73,
	0x93, 0xef, 0xf9 };

static const u8 rsa_pub_der[140] = {
	0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00, 0xad, 0x5d, 0x84, 0x4c, 0x8b, 0x40, 0x79, 0x9d, 0x44,
	0x30, 0x50, 0xb6, 0x42, 0x45, 0x0c, 0x61, 0x17, 0x8c, 0xac, 0xbf, 0x4c, 0x0a, 0x19, 0x71, 0xdc,
	0xaf, 0x52, 0x24, 0xf8, 0xbc, 0xad, 0xbb, 0xaa, 0x88, 0xe8, 0x64, 0x19, 0x7a, 0xe3, 0x76, 0x33,
	0xb3, 0x95, 0x0e, 0x48, 0x25, 0x6c, 0x86, 0xda, 0xe6, 0xad, 0xb8, 0xa2, 0x51, 0xf0, 0xe7, 0x34,
	0xc0, 0x68, 0x5c, 0x4e, 0xa5, 0xd5, 0xd9, 0x48, 0x10, 0xdc, 0xb3, 0x49, 0x06, 0x58, 0x0f, 0xba,
	0xc5, 0x7f, 0xf7, 0xd1, 0x5a, 0xbe, 0x7a, 0x88, 0xf4, 0x56, 0x68, 0x86, 0x8f, 0xcd, 0x79, 0x15,
	0x1e, 0x6d, 0xe4, 0x7e, 0xbf, 0xc4, 0xa8, 0xde, 0x41, 0xad, 0x09, 0x5c, 0xb1, 0x7f, 0x67, 0xb0,
	0xe8, 0x24, 0x14, 0x1b, 0xa4, 0xf8, 0xa8, 0x38, 0xf2, 0xd8, 0xa2, 0xb9, 0xcf, 0x70, 0x02, 0x5a,
	0xcf, 0xd3, 0xc3, 0x11, 0x12, 0x9d, 0xf9, 0x02, 0x03, 0x01, 0x00, 0x01 };

static const u8 rsa_raw_ct[128] = {
	0x99, 0xca, 0x59, 0x51, 0xaf, 0x5d, 0x07, 0x7e, 0xa4, 0xaa, 0x3f, 0xb5, 0x7f, 0x63, 0x95, 0x9d,
	0xa9, 0x95, 0x6a, 0xc0, 0x7a, 0xdc, 0xbc, 0x9d, 0x05, 0xd1, 0xeb, 0xd7, 0xa5, 0x39, 0x53, 0x73,
	0xd3, 0x4b, 0x7d, 0x1f, 0x64, 0x27, 0xae, 0x14, 0x98, 0x97, 0x12, 0x5b, 0xc3, 0xd7, 0x4b, 0x62,
	0xa0, 0x48, 0x63, 0x5a, 0x91, 0x2a, 0x0d, 0xa8, 0xd8, 0xbe, 0x52, 0xf8, 0x0b, 0x3e, 0xe0, 0xf7,
	0x2c, 0x6f, 0x94, 0xeb, 0x7c, 0x8c, 0x0b, 0xc1, 0x2f, 0x41, 0x11, 0x4a, 0xcd, 0x58, 0xb7, 0xe3,
	0x9d, 0x84, 0x26, 0xde, 0xd8, 0xa4, 0x6b, 0x7e, 0xa3, 0x58, 0x65, 0x64, 0xce, 0xa3, 0x69, 0x2f,
	0xfd, 0x36, 0xd7, 0x99, 0xcc, 0xb4, 0xfc, 0xd4, 0x7a, 0x85, 0xb8, 0x49, 0x6e, 0xcc, 0xb6, 0x32,
	0xa7, 0x4f, 0xbf, 0x74, 0x38, 0xd9, 0x9d, 0x00, 0xbe, 0x04, 0x58, 0x7b, 0xa1, 0x8f, 0x8c, 0x04 };

static const u8 rsa_pkcs1_sha256_sig[128] = {
	0x15, 0x1a, 0xd1, 0x10, 0x17, 0x79, 0x8d, 0xb2, 0x5b, 0x55, 0xd3, 0xc0, 0x2c, 0x61, 0x2d, 0x2d,
	0xa9, 0x6c, 0x51, 0x65, 0xb4, 0xf0, 0x17, 0x76, 0x8c, 0x5b, 0x90, 0x7f, 0xda, 0x4f, 0xb6, 0x85,
	0x28, 0x65, 0x1c, 0x38, 0xa2, 0xf2, 0x2d, 0x2d, 0x0d, 0xad, 0x90, 0x9e, 0xa6, 0xc9, 0x11, 0xe6,
	0x43, 0x6a, 0x27, 0x6f, 0xf3, 0x94, 0xda, 0xad, 0x15, 0xaf, 0x6a, 0x54, 0xfe, 0x0b, 0xcd, 0x1a,
	0x42, 0xb3, 0x25, 0x83, 0x41, 0xad, 0x38, 0xc9, 0xdb, 0x8c, 0x01, 0x8a, 0xca, 0x09, 0x39, 0x3f,
	0x4f, 0x5e, 0x7a, 0x23, 0x2a, 0x4a, 0x9e, 0xd2, 0x8a, 0x34, 0x36, 0xb9, 0x45, 0x02, 0xa7, 0xfb,
	0x88, 0xa1, 0xf2, 0xd6, 0x49, 0xd1, 0x9c, 0xda, 0x7b, 0xe3, 0x3d, 0x63, 0x7c, 0x20, 0x96, 0xe5,
	0x4d, 0x98, 0xed, 0x8c, 0x17, 0x87, 0xde, 0xd3, 0x46, 0x8a, 0x8e, 0xc4, 0x03, 0xc9, 0x48, 0x80 };

static const u8 ec_p256_pub[65] = {
	0x04, 0xde, 0xda, 0x2d, 0x5d, 0x1f, 0xf4, 0x80, 0xf5, 0x60, 0xe9, 0x57, 0x36, 0x51, 0x4f, 0x3e,
	0x4c, 0x41, 0xad, 0xff, 0xa5, 0x71, 0xda, 0xb7, 0x54, 0xf8, 0x2f, 0x3e, 0xbd, 0x5a, 0xa8, 0x83,
	0x92, 0xb1, 0x5b, 0xce, 0x82, 0xe4, 0x82, 0x85, 0x91, 0x53, 0x2d, 0x62, 0xb2, 0x96, 0xc2, 0x9f,
	0x9f, 0xbd, 0x51, 0x73, 0x58, 0xe4, 0x92, 0x71, 0x8e, 0x5f, 0xd8, 0x2e, 0xc1, 0x87, 0x81, 0xa3,
	0x01 };

static const u8 ec_p256_sig[70] = {
	0x30, 0x44, 0x02, 0x20, 0x10, 0x19, 0xf5, 0x55, 0xaf, 0x50, 0xff, 0x1c, 0x0a, 0x34, 0xb5, 0xb8,
	0x05, 0xe5, 0xc1, 0x08, 0x62, 0x3a, 0xf7, 0x3d, 0x3f, 0x41, 0xe7, 0x17, 0xeb, 0xff, 0xa1, 0x7f,
	0x83, 0x2d, 0x66, 0x4f, 0x02, 0x20, 0x46, 0x8b, 0x85, 0x85, 0x76, 0xe7, 0xe3, 0xc5, 0x1b, 0xe1,
	0xfe, 0x38, 0xc0, 0x9c, 0xe4, 0xa3, 0xd1, 0x47, 0xb8, 0x2a, 0xe6, 0x17, 0x27, 0xe6, 0x11, 0x5e,
	0x97, 0x34, 0xc9, 0x97, 0x28, 0x8c };


static const u8 rsa_msg[] = "vcrs_sim RSA KAT";	/* 16 bytes and a NUL */

static int akc_session(struct check *c, u32 algo, u32 keytype, u32 para0, u32 para1,
		       const u8 *key, u32 keylen, u64 *id)
{
	struct virtio_crypto_op_ctrl_req ctrl = {};
	struct virtio_crypto_akcipher_session_para *p = &ctrl.u.akcipher_create_session.para;

	ctrl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION);
	ctrl.header.algo = cpu_to_le32(algo);
	p->algo = cpu_to_le32(algo);
	p->keytype = cpu_to_le32(keytype);
	p->keylen = cpu_to_le32(keylen);
	/* rsa {padding_algo, hash_algo} or ecdsa {curve_id, padding}: the same two words */
	p->u.rsa.padding_algo = cpu_to_le32(para0);
	p->u.rsa.hash_algo = cpu_to_le32(para1);
	return create_session(c, &ctrl, key, keylen, id);
}

/*
 * An AKCIPHER request: src readable, then dst writable (VERIFY: the digest,
 * dst_len bytes, readable, and no dst). Returns the status (*used: the used
 * length) or -errno.
 */
static int akc_req(struct check *c, u32 opcode, u64 id, const u8 *src, u32 src_len,
		   const u8 *digest, u8 *dst, u32 dst_len, int *used)
{
	struct virtio_crypto_op_data_req req = {};
	struct virtio_crypto_inhdr st = { .status = 0xff };
	struct seg o[3] = { { &req, sizeof(req) }, { (void *)src, src_len },
			    { (void *)digest, dst_len } };
	struct seg i[2] = { { dst, dst_len }, { &st, 1 } };
	int ret;

	req.header.opcode = cpu_to_le32(opcode);
	req.header.session_id = cpu_to_le64(id);
	req.u.akcipher_req.para.src_data_len = cpu_to_le32(src_len);
	req.u.akcipher_req.para.dst_data_len = cpu_to_le32(dst_len);
	if (opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY)
		ret = submit(c->dataq, o, 3, &i[1], 1);
	else
		ret = submit(c->dataq, o, 2, i, 2);
	*used = ret;
	return ret < 0 ? ret : st.status;
}

static void check_akcipher_ecdsa(struct check *c, u32 ecdsa)
{
	u8 digest[32];
	u64 id;
	int st, used;

	if (!crypto_has_alg("ecdsa-nist-p256-generic", 0, 0)) {
		pr_info("vcrs_sim_check: no ecdsa-nist-p256-generic in this kernel: ECDSA not checked\n");
		return;
	}
	st = akc_session(c, ecdsa, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 VIRTIO_CRYPTO_CURVE_NIST_P256, 0, ec_p256_pub, sizeof(ec_p256_pub), &id);
	result(st == VIRTIO_CRYPTO_OK, "akcipher-ecdsa-p256-create-session", "algo %u status %d",
	       ecdsa, st);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_VERIFY, id, ec_p256_sig, sizeof(ec_p256_sig),
		     sha256_abc, NULL, 32, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 1, "akcipher-ecdsa-p256-kat-verify",
	       "status %d used %d", st, used);
	memcpy(digest, sha256_abc, 32);
	digest[0] ^= 1;
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_VERIFY, id, ec_p256_sig, sizeof(ec_p256_sig),
		     digest, NULL, 32, &used);
	result(st == VIRTIO_CRYPTO_KEY_REJECTED, "akcipher-ecdsa-wrong-digest-is-key-rejected",
	       "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION, id);

	st = akc_session(c, ecdsa, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE,
			 VIRTIO_CRYPTO_CURVE_NIST_P256, 0, ec_p256_pub, sizeof(ec_p256_pub), &id);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "akcipher-ecdsa-private-key-is-notsupp", "status %d", st);
	st = akc_session(c, ecdsa, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 VIRTIO_CRYPTO_CURVE_NIST_P224, 0, ec_p256_pub, sizeof(ec_p256_pub), &id);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "akcipher-ecdsa-p224-is-notsupp", "status %d", st);
}

static void check_akcipher(struct check *c)
{
	u32 services, algos;
	u8 out[128], ct[128], digest[32];
	u64 pub, priv, id;
	int st, used;

	virtio_cread_le(c->vdev, struct virtio_crypto_config, crypto_services, &services);
	if (!(services & BIT(VIRTIO_CRYPTO_SERVICE_AKCIPHER)))
		return;
	virtio_cread_le(c->vdev, struct virtio_crypto_config, akcipher_algo, &algos);

	/* RAW: encryption with the public key, decryption with the private one. */
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 VIRTIO_CRYPTO_RSA_RAW_PADDING, 0, rsa_pub_der, sizeof(rsa_pub_der), &pub);
	result(st == VIRTIO_CRYPTO_OK, "akcipher-rsa-create-session", "status %d", st);
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE,
			 VIRTIO_CRYPTO_RSA_RAW_PADDING, 0, rsa_priv_der, sizeof(rsa_priv_der), &priv);
	result(st == VIRTIO_CRYPTO_OK, "akcipher-rsa-create-private-session", "status %d", st);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub, rsa_msg, 16, NULL, out, 128, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 129 && !memcmp(out, rsa_raw_ct, 128),
	       "akcipher-rsa-raw-kat-encrypt", "status %d used %d", st, used);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT, priv, rsa_raw_ct, 128, NULL, out, 128, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 129 && !memchr_inv(out, 0, 112) &&
	       !memcmp(out + 112, rsa_msg, 16), "akcipher-rsa-raw-kat-decrypt",
	       "status %d used %d", st, used);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub, rsa_msg, 16, NULL, out, 127, &used);
	result(st == VIRTIO_CRYPTO_ERR, "akcipher-rsa-short-dst-is-err", "status %d", st);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv, sha256_abc, 32, NULL, out, 128, &used);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "akcipher-rsa-raw-sign-is-notsupp", "status %d", st);
	st = cipher_req(c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, pub, aes_iv, 16, aes_pt, 16, out, 16);
	result(st == VIRTIO_CRYPTO_INVSESS, "akcipher-session-used-for-cipher-is-invsess",
	       "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION, pub);
	destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION, priv);

	/* PKCS#1 v1.5 with SHA-256: signatures, and an encryption's round trip. */
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE,
			 VIRTIO_CRYPTO_RSA_PKCS1_PADDING, VIRTIO_CRYPTO_RSA_SHA256, rsa_priv_der,
			 sizeof(rsa_priv_der), &priv);
	result(st == VIRTIO_CRYPTO_OK, "akcipher-rsa-pkcs1-create-session", "status %d", st);
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 VIRTIO_CRYPTO_RSA_PKCS1_PADDING, VIRTIO_CRYPTO_RSA_SHA256, rsa_pub_der,
			 sizeof(rsa_pub_der), &pub);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv, sha256_abc, 32, NULL, out, 128, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 129 && !memcmp(out, rsa_pkcs1_sha256_sig, 128),
	       "akcipher-rsa-pkcs1-sha256-kat-sign", "status %d used %d", st, used);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_VERIFY, pub, rsa_pkcs1_sha256_sig, 128, sha256_abc,
		     NULL, 32, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 1, "akcipher-rsa-pkcs1-sha256-kat-verify",
	       "status %d used %d", st, used);
	memcpy(digest, sha256_abc, 32);
	digest[0] ^= 1;
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_VERIFY, pub, rsa_pkcs1_sha256_sig, 128, digest,
		     NULL, 32, &used);
	result(st == VIRTIO_CRYPTO_KEY_REJECTED, "akcipher-rsa-pkcs1-wrong-digest-is-key-rejected",
	       "status %d", st);
	st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub, rsa_msg, 16, NULL, ct, 128, &used);
	if (st == VIRTIO_CRYPTO_OK)
		st = akc_req(c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT, priv, ct, 128, NULL, out, 128, &used);
	result(st == VIRTIO_CRYPTO_OK && used == 17 && !memcmp(out, rsa_msg, 16),
	       "akcipher-rsa-pkcs1-encrypt-decrypt", "status %d used %d", st, used);
	destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION, pub);
	destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION, priv);

	/* Refusals. */
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 VIRTIO_CRYPTO_RSA_RAW_PADDING, 0, rsa_msg, 16, &id);
	result(st == VIRTIO_CRYPTO_ERR || st == VIRTIO_CRYPTO_KEY_REJECTED,
	       "akcipher-rsa-bad-key-refused", "status %d", st);
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
			 2 /* no such padding */, 0, rsa_pub_der, sizeof(rsa_pub_der), &id);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "akcipher-rsa-unknown-padding-is-notsupp", "status %d",
	       st);
	st = akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA, 3 /* no such key type */,
			 VIRTIO_CRYPTO_RSA_RAW_PADDING, 0, rsa_pub_der, sizeof(rsa_pub_der), &id);
	result(st == VIRTIO_CRYPTO_NOTSUPP, "akcipher-unknown-keytype-is-notsupp", "status %d", st);

	if (algos & BIT(2))
		check_akcipher_ecdsa(c, 2);
	else if (algos & BIT(3))
		check_akcipher_ecdsa(c, 3);
}

/* The device has max_sessions (the guest test sets 16): one more is NOSPC. */
static void check_session_limit(struct check *c, u32 limit)
{
	u64 ids[64], id;
	u32 n = 0;
	int st = VIRTIO_CRYPTO_OK;

	while (n < ARRAY_SIZE(ids) && n < limit) {
		st = cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_ENCRYPT,
				    aes_key, 16, &ids[n]);
		if (st != VIRTIO_CRYPTO_OK)
			break;
		n++;
	}
	st = cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_ENCRYPT, aes_key, 16, &id);
	result(n == limit && st == VIRTIO_CRYPTO_NOSPC, "session-limit-is-nospc",
	       "created %u of %u, then status %d", n, limit, st);
	while (n)
		destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, ids[--n]);
	st = cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_ENCRYPT, aes_key, 16, &id);
	result(st == VIRTIO_CRYPTO_OK, "session-after-limit-freed", "status %d", st);
	destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, id);
}

/* The device the on-demand checks run on (the last one bound). */
static struct check *current_check;
static DEFINE_MUTEX(check_lock);
static struct dentry *check_debugfs;

/* Two AES-CBC requests in a row; returns each one's status or -ETIMEDOUT. */
static void two_requests(struct check *c, int *first, int *second, int *used)
{
	struct virtio_crypto_op_data_req req = {};
	struct virtio_crypto_cipher_para *p = &req.u.sym_req.u.cipher.para;
	struct virtio_crypto_inhdr st = { .status = 0xff };
	u8 out[16];
	struct seg o[3] = { { &req, sizeof(req) }, { (void *)aes_iv, 16 }, { (void *)aes_pt, 16 } };
	struct seg i[2] = { { out, 16 }, { &st, 1 } };
	u64 id;

	*first = *second = *used = -1;
	if (cipher_session(c, VIRTIO_CRYPTO_CIPHER_AES_CBC, VIRTIO_CRYPTO_OP_ENCRYPT, aes_key, 16,
			   &id) != VIRTIO_CRYPTO_OK)
		return;
	req.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_ENCRYPT);
	req.header.session_id = cpu_to_le64(id);
	req.u.sym_req.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
	p->iv_len = cpu_to_le32(16);
	p->src_data_len = cpu_to_le32(16);
	p->dst_data_len = cpu_to_le32(16);
	*used = submit(c->dataq, o, 3, i, 2);
	*first = *used < 0 ? *used : st.status;
	st.status = 0xff;
	*second = submit(c->dataq, o, 3, i, 2);
	if (*second >= 0)
		*second = st.status;
	destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION, id);
}

static ssize_t run_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char name[32];
	int first, second, used;
	unsigned int want;

	if (len >= sizeof(name) || copy_from_user(name, ubuf, len))
		return -EINVAL;
	name[len] = 0;
	strim(name);
	mutex_lock(&check_lock);
	if (!current_check) {
		mutex_unlock(&check_lock);
		return -ENODEV;
	}
	if (sscanf(name, "chain-fault-%u", &want) == 1) {
		u8 src[32] = {}, out[64];
		int chained;

		/* With fail_chain, plain cipher requests of the same opcode pass. */
		two_requests(current_check, &first, &second, &used);
		chained = chain_request(current_check, src, out);
		result(first == VIRTIO_CRYPTO_OK && second == VIRTIO_CRYPTO_OK && chained == want,
		       "fault-chain-only", "plain %d %d, chained %d (want %u)", first, second,
		       chained, want);
		mutex_unlock(&check_lock);
		return len;
	}
	two_requests(current_check, &first, &second, &used);
	if (!strcmp(name, "lost"))
		result(first == VIRTIO_CRYPTO_OK && second == -ETIMEDOUT, "fault-lost-request",
		       "first %d, second %d", first, second);
	else if (sscanf(name, "used-len-%u", &want) == 1)
		result(used == want && first == VIRTIO_CRYPTO_OK, "fault-used-len",
		       "used %d (want %u), status %d", used, want, first);
	else
		result(false, name, "unknown check");
	mutex_unlock(&check_lock);
	return len;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static unsigned int session_limit = 16;
module_param(session_limit, uint, 0444);
MODULE_PARM_DESC(session_limit, "The max_sessions the device under check was created with");

static int check_probe(struct virtio_device *vdev)
{
	struct virtqueue_info info[2] = { { "dataq" }, { "controlq" } };
	struct virtqueue *vqs[2];
	struct check *c;
	u32 nq;
	int err;

	virtio_cread_le(vdev, struct virtio_crypto_config, max_dataqueues, &nq);
	if (nq != 1) {
		result(false, "probe", "checks need a device with 1 data queue, not %u", nq);
		return -EINVAL;
	}
	c = devm_kzalloc(&vdev->dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	err = virtio_find_vqs(vdev, 2, vqs, info, NULL);
	if (err)
		return err;
	c->vdev = vdev;
	c->dataq = vqs[0];
	c->ctrlq = vqs[1];
	vdev->priv = c;
	virtio_device_ready(vdev);
	pr_info("vcrs_sim_check: ring sizes: dataq %u, controlq %u\n",
		virtqueue_get_vring_size(c->dataq), virtqueue_get_vring_size(c->ctrlq));

	check_cipher(c);
	check_hash_mac(c);
	check_aead(c);
	check_chain(c);
	check_akcipher(c);
	check_session_limit(c, session_limit);
	pr_info("vcrs_sim_check: done\n");
	mutex_lock(&check_lock);
	current_check = c;
	mutex_unlock(&check_lock);
	return 0;
}

static void check_remove(struct virtio_device *vdev)
{
	struct check *c = vdev->priv;

	mutex_lock(&check_lock);
	if (current_check == c)
		current_check = NULL;
	mutex_unlock(&check_lock);
	virtio_reset_device(vdev);
	/* Requests that timed out: free them with all their buffers. */
	for (;;) {
		struct pending *token = virtqueue_detach_unused_buf(c->dataq);

		if (!token)
			token = virtqueue_detach_unused_buf(c->ctrlq);
		if (!token)
			break;
		pending_free(token);
	}
	vdev->config->del_vqs(vdev);
}

static const struct virtio_device_id check_ids[] = {
	{ VIRTIO_ID_CRYPTO, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct virtio_driver check_driver = {
	.driver.name = "vcrs_sim_check",
	.id_table = check_ids,
	.probe = check_probe,
	.remove = check_remove,
};

static int __init check_init(void)
{
	check_debugfs = debugfs_create_dir("vcrs_sim_check", NULL);
	debugfs_create_file("run", 0200, check_debugfs, NULL, &run_fops);
	return register_virtio_driver(&check_driver);
}

static void __exit check_exit(void)
{
	unregister_virtio_driver(&check_driver);
	debugfs_remove_recursive(check_debugfs);
}

module_init(check_init);
module_exit(check_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Checks the simulated virtio crypto device's answers (test infrastructure)");
