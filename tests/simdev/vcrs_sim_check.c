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
