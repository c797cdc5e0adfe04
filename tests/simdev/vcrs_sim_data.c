// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: the data queues. Each request is checked against its session and
 * its own declared lengths (a mismatch is VIRTIO_CRYPTO_ERR, never a crash),
 * then computed with the session's software transform.
 *
 * Buffer layouts (virtio 1.2, 5.9.7), after the 72-byte request:
 *   cipher: out iv, src          in dst, status
 *   hash:   out src              in result, status
 *   mac:    out src              in result, status
 *   aead:   out iv, aad, src     in dst, status
 *   chain:  out iv, src, aad     in dst, hash result, status
 *   akcipher encrypt, decrypt, sign:
 *           out src              in dst, status
 *   akcipher verify (src_data_len: the signature, dst_data_len: the digest):
 *           out signature, digest    in status
 * Chaining: dst is src with [cipher_start, +len_to_cipher) ciphered; the hash
 * covers aad followed by [hash_start, +len_to_hash) of src (hash then cipher)
 * or of dst (cipher then hash).
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "vcrs_sim.h"

#define REQ_LEN sizeof(struct virtio_crypto_op_data_req)

/*
 * The most an AKCIPHER request may give the software to read (source, plus the
 * digest of a verification): far more than any key's operands (a 4096-bit
 * modulus is 512 bytes), and little enough that the software's own buffers
 * (kmalloc'd without __GFP_NOWARN) stay small. More is ERR.
 */
#define AKC_MAX_INPUT (64 << 10)

/* Device-readable bytes after the request header, bounds-checked. */
struct cursor {
	const u8 *p;
	size_t left;
};

static const u8 *take(struct cursor *c, size_t n)
{
	const u8 *p = c->p;

	if (n > c->left)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static u8 errno_to_status(int err)
{
	if (!err)
		return VIRTIO_CRYPTO_OK;
	return err == -EBADMSG ? VIRTIO_CRYPTO_BADMSG : VIRTIO_CRYPTO_ERR;
}

/*
 * AKCIPHER: what the software said, as the specification's statuses name it:
 * KEY_REJECTED "if the signature verification failed" (a well-formed
 * signature that does not match: -EKEYREJECTED), BADMSG "if the verification
 * result is incorrect" (a malformed one: -EBADMSG), ERR for the rest.
 */
static u8 akcipher_status(int err)
{
	if (err == -EKEYREJECTED)
		return VIRTIO_CRYPTO_KEY_REJECTED;
	return errno_to_status(err);
}

/* Runs the session's cipher in place over buf[0..len) with iv. */
static int run_cipher(struct vcrs_sim_session *s, u8 *buf, size_t len, const u8 *iv,
		      size_t iv_len)
{
	struct skcipher_request *sreq;
	u8 ivbuf[32] = {};
	struct scatterlist sg;
	int err;

	if (iv_len > sizeof(ivbuf))
		return -EINVAL;
	sreq = skcipher_request_alloc(s->skcipher, GFP_KERNEL);
	if (!sreq)
		return -ENOMEM;
	memcpy(ivbuf, iv, iv_len);
	sg_init_one(&sg, buf, len);
	skcipher_request_set_callback(sreq, 0, NULL, NULL);
	skcipher_request_set_crypt(sreq, &sg, &sg, len, ivbuf);
	err = s->op == VIRTIO_CRYPTO_OP_ENCRYPT ? crypto_skcipher_encrypt(sreq) :
						 crypto_skcipher_decrypt(sreq);
	skcipher_request_free(sreq);
	return err;
}

/* Checks a cipher request's lengths against what the session's cipher needs. */
static bool cipher_lengths_ok(struct vcrs_sim *sim, struct vcrs_sim_session *s,
			      size_t iv_len, size_t len)
{
	unsigned int ivsize = crypto_skcipher_ivsize(s->skcipher);
	unsigned int bs = crypto_skcipher_blocksize(s->skcipher);

	if (iv_len != ivsize)
		return false;
	if (sim->params.whole_blocks) {
		/* Stream modes have block size 1; the device still wants whole cipher blocks. */
		unsigned int unit = max_t(unsigned int, bs, ivsize ? ivsize : 1);

		if (len % unit)
			return false;
	}
	return len <= sim->params.max_size;
}

static u8 do_cipher(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		    const struct virtio_crypto_cipher_para *p, struct cursor *c,
		    struct vcrs_sim_req *req, bool encrypt)
{
	u32 iv_len = le32_to_cpu(p->iv_len), src_len = le32_to_cpu(p->src_data_len);
	u32 dst_len = le32_to_cpu(p->dst_data_len);
	const u8 *iv = take(c, iv_len), *src = take(c, src_len);

	if (s->kind != VCRS_SESSION_CIPHER || encrypt != (s->op == VIRTIO_CRYPTO_OP_ENCRYPT))
		return VIRTIO_CRYPTO_INVSESS;
	if (!iv || !src || src_len != dst_len || dst_len > req->in_len ||
	    !cipher_lengths_ok(sim, s, iv_len, src_len))
		return VIRTIO_CRYPTO_ERR;
	memcpy(req->in, src, src_len);
	req->written = dst_len;
	return errno_to_status(run_cipher(s, req->in, src_len, iv, iv_len));
}

/* Hashes the concatenation of two buffers into out (result_len bytes). */
static int run_hash(struct vcrs_sim_session *s, const u8 *a, size_t alen, const u8 *b,
		    size_t blen, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, s->shash);
	u8 digest[HASH_MAX_DIGESTSIZE];
	int err;

	desc->tfm = s->shash;
	err = crypto_shash_init(desc) ?: crypto_shash_update(desc, a, alen) ?:
	      crypto_shash_update(desc, b, blen) ?: crypto_shash_final(desc, digest);
	shash_desc_zero(desc);
	if (!err)
		memcpy(out, digest, s->result_len);
	memzero_explicit(digest, sizeof(digest));
	return err;
}

static u8 do_hash(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		  const struct virtio_crypto_hash_para *p, struct cursor *c,
		  struct vcrs_sim_req *req, enum vcrs_sim_session_kind kind)
{
	u32 src_len = le32_to_cpu(p->src_data_len), result_len = le32_to_cpu(p->hash_result_len);
	const u8 *src = take(c, src_len);

	if (s->kind != kind)
		return VIRTIO_CRYPTO_INVSESS;
	if (!src || src_len > sim->params.max_size || result_len != s->result_len ||
	    result_len > req->in_len)
		return VIRTIO_CRYPTO_ERR;
	req->written = result_len;
	return errno_to_status(run_hash(s, NULL, 0, src, src_len, req->in));
}

/* The kernel's IV for an AEAD nonce: ccm(aes) takes L' || nonce in 16 bytes. */
static bool aead_iv(struct vcrs_sim_session *s, const u8 *nonce, u32 len, u8 *iv)
{
	memset(iv, 0, 16);
	if (s->algo == VIRTIO_CRYPTO_AEAD_CCM) {
		if (len < 7 || len > 13)
			return false;
		iv[0] = 14 - len;
		memcpy(iv + 1, nonce, len);
		return true;
	}
	if (len != crypto_aead_ivsize(s->aead))
		return false;
	memcpy(iv, nonce, len);
	return true;
}

static u8 do_aead(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		  const struct virtio_crypto_aead_para *p, struct cursor *c,
		  struct vcrs_sim_req *req, bool encrypt)
{
	u32 iv_len = le32_to_cpu(p->iv_len), aad_len = le32_to_cpu(p->aad_len);
	u32 src_len = le32_to_cpu(p->src_data_len), dst_len = le32_to_cpu(p->dst_data_len);
	const u8 *nonce = take(c, iv_len), *aad = take(c, aad_len), *src = take(c, src_len);
	struct aead_request *areq;
	struct scatterlist sg;
	u8 iv[16], *buf;
	size_t buf_len;
	int err;

	if (s->kind != VCRS_SESSION_AEAD || encrypt != (s->op == VIRTIO_CRYPTO_OP_ENCRYPT))
		return VIRTIO_CRYPTO_INVSESS;
	if (!nonce || !aad || !src || src_len > sim->params.max_size || dst_len > req->in_len)
		return VIRTIO_CRYPTO_ERR;
	if (encrypt ? dst_len != src_len + s->result_len :
		      src_len < s->result_len || dst_len != src_len - s->result_len)
		return VIRTIO_CRYPTO_ERR;
	if (!aead_iv(s, nonce, iv_len, iv))
		return VIRTIO_CRYPTO_ERR;

	buf_len = aad_len + max(src_len, dst_len);
	buf = kmalloc(max_t(size_t, buf_len, 1), GFP_KERNEL);
	areq = aead_request_alloc(s->aead, GFP_KERNEL);
	if (!buf || !areq) {
		kfree(buf);
		aead_request_free(areq);
		return VIRTIO_CRYPTO_ERR;
	}
	memcpy(buf, aad, aad_len);
	memcpy(buf + aad_len, src, src_len);
	sg_init_one(&sg, buf, buf_len);
	aead_request_set_callback(areq, 0, NULL, NULL);
	aead_request_set_ad(areq, aad_len);
	aead_request_set_crypt(areq, &sg, &sg, src_len, iv);
	err = encrypt ? crypto_aead_encrypt(areq) : crypto_aead_decrypt(areq);
	if (!err) {
		memcpy(req->in, buf + aad_len, dst_len);
		req->written = dst_len;
	}
	aead_request_free(areq);
	kfree_sensitive(buf);
	return errno_to_status(err);
}

static u8 do_chain(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		   const struct virtio_crypto_alg_chain_data_para *p, struct cursor *c,
		   struct vcrs_sim_req *req)
{
	u32 iv_len = le32_to_cpu(p->iv_len), src_len = le32_to_cpu(p->src_data_len);
	u32 dst_len = le32_to_cpu(p->dst_data_len), aad_len = le32_to_cpu(p->aad_len);
	u32 c_off = le32_to_cpu(p->cipher_start_src_offset), c_len = le32_to_cpu(p->len_to_cipher);
	u32 h_off = le32_to_cpu(p->hash_start_src_offset), h_len = le32_to_cpu(p->len_to_hash);
	u32 result_len = le32_to_cpu(p->hash_result_len);
	const u8 *iv = take(c, iv_len), *src = take(c, src_len), *aad = take(c, aad_len);
	bool cipher_first = s->chain_order == VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH;
	int err = 0;

	if (s->kind != VCRS_SESSION_CHAIN)
		return VIRTIO_CRYPTO_INVSESS;
	if (!iv || !src || !aad || dst_len != src_len || src_len > sim->params.max_size ||
	    (u64)c_off + c_len > src_len || (u64)h_off + h_len > src_len ||
	    result_len != s->result_len || (u64)dst_len + result_len > req->in_len ||
	    !cipher_lengths_ok(sim, s, iv_len, c_len))
		return VIRTIO_CRYPTO_ERR;

	memcpy(req->in, src, src_len);
	if (!cipher_first)
		err = run_hash(s, aad, aad_len, src + h_off, h_len, req->in + dst_len);
	if (!err && c_len)
		err = run_cipher(s, req->in + c_off, c_len, iv, iv_len);
	if (!err && cipher_first)
		err = run_hash(s, aad, aad_len, req->in + h_off, h_len, req->in + dst_len);
	req->written = dst_len + result_len;
	return errno_to_status(err);
}

/*
 * AKCIPHER, computed by the session's software (see vcrs_sim_ctrl.c). An RSA
 * result is key_size bytes (the modulus' size; RAW results with leading
 * zeros), a PKCS#1 decryption's the message's; dst_data_len must hold it
 * (else ERR) and the used length says how long it is. VERIFY answers with its
 * status only.
 */
static u8 do_akcipher(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		      const struct virtio_crypto_akcipher_para *p, struct cursor *c,
		      struct vcrs_sim_req *req, u32 opcode)
{
	u32 src_len = le32_to_cpu(p->src_data_len), dst_len = le32_to_cpu(p->dst_data_len);
	bool verify = opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY;
	const u8 *src = take(c, src_len), *digest = verify ? take(c, dst_len) : NULL;
	u32 k = s->key_size;
	u8 *buf, status;
	int ret;

	if (s->kind != VCRS_SESSION_AKCIPHER)
		return VIRTIO_CRYPTO_INVSESS;
	if (!src || (verify && !digest) ||
	    (u64)src_len + (verify ? dst_len : 0) > min_t(u64, sim->params.max_size, AKC_MAX_INPUT) ||
	    (!verify && dst_len > req->in_len))
		return VIRTIO_CRYPTO_ERR;

	switch (opcode) {
	case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
	case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
		if (!s->akc)
			return VIRTIO_CRYPTO_NOTSUPP;
		if (opcode == VIRTIO_CRYPTO_AKCIPHER_ENCRYPT && dst_len < k)
			return VIRTIO_CRYPTO_ERR;
		/*
		 * The software writes soft_size bytes (whole limbs); a number
		 * below the modulus has zeros beyond the key's size in front.
		 */
		buf = kzalloc(max_t(u32, s->soft_size, 1), GFP_KERNEL);
		if (!buf)
			return VIRTIO_CRYPTO_ERR;
		ret = opcode == VIRTIO_CRYPTO_AKCIPHER_ENCRYPT ?
		      crypto_akcipher_sync_encrypt(s->akc, src, src_len, buf, s->soft_size) :
		      crypto_akcipher_sync_decrypt(s->akc, src, src_len, buf, s->soft_size);
		if (opcode == VIRTIO_CRYPTO_AKCIPHER_ENCRYPT && !ret)
			ret = s->soft_size;
		if (ret >= 0 && s->raw) {
			/* A raw result: the key's size, its leading zeros included. */
			if ((u32)ret != s->soft_size || memchr_inv(buf, 0, s->soft_size - k)) {
				ret = -EINVAL;
			} else {
				memmove(buf, buf + s->soft_size - k, k);
				ret = k;
			}
		} else if (ret >= 0 && opcode == VIRTIO_CRYPTO_AKCIPHER_ENCRYPT &&
			   (u32)ret > k && !memchr_inv(buf, 0, ret - k)) {
			/* A PKCS#1 encryption: the key's size too. */
			memmove(buf, buf + ret - k, k);
			ret = k;
		}
		if (ret >= 0 && (u32)ret > dst_len)
			ret = -EOVERFLOW;
		if (ret >= 0) {
			memcpy(req->in, buf, ret);
			req->written = ret;
		}
		kfree_sensitive(buf);
		return akcipher_status(min(ret, 0));
	case VIRTIO_CRYPTO_AKCIPHER_SIGN:
		/* RSA only: the only signing software the kernel has. */
		if (!s->sig || !s->akc)
			return VIRTIO_CRYPTO_NOTSUPP;
		if (dst_len < k)
			return VIRTIO_CRYPTO_ERR;
		/* The signature's length (6.13 on), or 0 (6.12: always key_size). */
		ret = crypto_sig_sign(s->sig, src, src_len, req->in, k);
		if (ret > (int)k)
			ret = -EOVERFLOW;
		if (ret >= 0)
			req->written = ret ?: k;
		return akcipher_status(min(ret, 0));
	case VIRTIO_CRYPTO_AKCIPHER_VERIFY:
		if (!s->sig)
			return VIRTIO_CRYPTO_NOTSUPP;
		status = akcipher_status(crypto_sig_verify(s->sig, src, src_len, digest, dst_len));
		if (status == VIRTIO_CRYPTO_OK)
			sim->stats.akcipher_verify_ok++;
		else
			sim->stats.akcipher_verify_failed++;
		return status;
	default:
		return VIRTIO_CRYPTO_NOTSUPP;
	}
}

void vcrs_sim_handle_data(struct vcrs_sim *sim, struct vcrs_sim_req *req)
{
	struct virtio_crypto_op_data_req *d = (void *)req->out;
	struct vcrs_sim_session *s;
	struct cursor c;
	u32 opcode;
	u64 id;

	if (req->out_len < REQ_LEN) {
		req->status = VIRTIO_CRYPTO_ERR;
		return;
	}
	c.p = req->out + REQ_LEN;
	c.left = req->out_len - REQ_LEN;
	opcode = le32_to_cpu(d->header.opcode);
	id = le64_to_cpu(d->header.session_id);
	s = id <= INT_MAX ? idr_find(&sim->sessions, id) : NULL;
	if (!s) {
		req->status = VIRTIO_CRYPTO_INVSESS;
		return;
	}
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
	case VIRTIO_CRYPTO_CIPHER_DECRYPT: {
		struct virtio_crypto_sym_data_req *sym = &d->u.sym_req;

		if (le32_to_cpu(sym->op_type) == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING)
			req->status = do_chain(sim, s, &sym->u.chain.para, &c, req);
		else if (le32_to_cpu(sym->op_type) == VIRTIO_CRYPTO_SYM_OP_CIPHER)
			req->status = do_cipher(sim, s, &sym->u.cipher.para, &c, req,
						opcode == VIRTIO_CRYPTO_CIPHER_ENCRYPT);
		else
			req->status = VIRTIO_CRYPTO_NOTSUPP;
		break;
	}
	case VIRTIO_CRYPTO_HASH:
		req->status = do_hash(sim, s, &d->u.hash_req.para, &c, req, VCRS_SESSION_HASH);
		break;
	case VIRTIO_CRYPTO_MAC:
		req->status = do_hash(sim, s, &d->u.mac_req.para.hash, &c, req, VCRS_SESSION_MAC);
		break;
	case VIRTIO_CRYPTO_AEAD_ENCRYPT:
	case VIRTIO_CRYPTO_AEAD_DECRYPT:
		req->status = do_aead(sim, s, &d->u.aead_req.para, &c, req,
				      opcode == VIRTIO_CRYPTO_AEAD_ENCRYPT);
		break;
	case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
	case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
	case VIRTIO_CRYPTO_AKCIPHER_SIGN:
	case VIRTIO_CRYPTO_AKCIPHER_VERIFY:
		req->status = do_akcipher(sim, s, &d->u.akcipher_req.para, &c, req, opcode);
		break;
	default:
		req->status = VIRTIO_CRYPTO_NOTSUPP;
		break;
	}
	/* A failed request returns no data. */
	if (req->status != VIRTIO_CRYPTO_OK)
		req->written = 0;
}
