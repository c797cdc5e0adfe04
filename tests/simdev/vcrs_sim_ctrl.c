// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: the control queue. Creates and destroys sessions, each backed by
 * a synchronous software transform (allocated with the ASYNC mask, so it can
 * never be a driver under test).
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/slab.h>

#include "vcrs_sim.h"

static const char *const cipher_names[] = {
	[VIRTIO_CRYPTO_CIPHER_AES_ECB] = "ecb(aes)",
	[VIRTIO_CRYPTO_CIPHER_AES_CBC] = "cbc(aes)",
	[VIRTIO_CRYPTO_CIPHER_AES_CTR] = "ctr(aes)",
	[VIRTIO_CRYPTO_CIPHER_3DES_ECB] = "ecb(des3_ede)",
	[VIRTIO_CRYPTO_CIPHER_3DES_CBC] = "cbc(des3_ede)",
	[VIRTIO_CRYPTO_CIPHER_3DES_CTR] = "ctr(des3_ede)",
	[VIRTIO_CRYPTO_CIPHER_AES_XTS] = "xts(aes)",
};

static const char *const hash_names[] = {
	[VIRTIO_CRYPTO_HASH_MD5] = "md5",
	[VIRTIO_CRYPTO_HASH_SHA1] = "sha1",
	[VIRTIO_CRYPTO_HASH_SHA_224] = "sha224",
	[VIRTIO_CRYPTO_HASH_SHA_256] = "sha256",
	[VIRTIO_CRYPTO_HASH_SHA_384] = "sha384",
	[VIRTIO_CRYPTO_HASH_SHA_512] = "sha512",
	[VIRTIO_CRYPTO_HASH_SHA3_224] = "sha3-224",
	[VIRTIO_CRYPTO_HASH_SHA3_256] = "sha3-256",
	[VIRTIO_CRYPTO_HASH_SHA3_384] = "sha3-384",
	[VIRTIO_CRYPTO_HASH_SHA3_512] = "sha3-512",
};

static const char *const mac_names[] = {
	[VIRTIO_CRYPTO_MAC_HMAC_MD5] = "hmac(md5)",
	[VIRTIO_CRYPTO_MAC_HMAC_SHA1] = "hmac(sha1)",
	[VIRTIO_CRYPTO_MAC_HMAC_SHA_224] = "hmac(sha224)",
	[VIRTIO_CRYPTO_MAC_HMAC_SHA_256] = "hmac(sha256)",
	[VIRTIO_CRYPTO_MAC_HMAC_SHA_384] = "hmac(sha384)",
	[VIRTIO_CRYPTO_MAC_HMAC_SHA_512] = "hmac(sha512)",
	[VIRTIO_CRYPTO_MAC_CMAC_AES] = "cmac(aes)",
	[VIRTIO_CRYPTO_MAC_XCBC_AES] = "xcbc(aes)",
};

static const char *const aead_names[] = {
	[VIRTIO_CRYPTO_AEAD_GCM] = "gcm(aes)",
	[VIRTIO_CRYPTO_AEAD_CCM] = "ccm(aes)",
	[VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305] = "rfc7539(chacha20,poly1305)",
};

/* The name for algo in table, if the device advertises it in mask (64 bits). */
static const char *lookup(const char *const *table, size_t n, u32 algo, u64 mask)
{
	if (algo >= n || algo >= 64 || !(mask & BIT_ULL(algo)))
		return NULL;
	return table[algo];
}

#define LOOKUP(table, algo, mask) lookup(table, ARRAY_SIZE(table), algo, mask)

static u64 mask64(u32 lo, u32 hi)
{
	return ((u64)hi << 32) | lo;
}

static bool has_service(struct vcrs_sim *sim, u32 service)
{
	return sim->params.services & BIT(service);
}

static void free_session(struct vcrs_sim_session *s)
{
	if (!IS_ERR_OR_NULL(s->skcipher))
		crypto_free_skcipher(s->skcipher);
	if (!IS_ERR_OR_NULL(s->shash))
		crypto_free_shash(s->shash);
	if (!IS_ERR_OR_NULL(s->aead))
		crypto_free_aead(s->aead);
	kfree(s);
}

void vcrs_sim_destroy_sessions(struct vcrs_sim *sim)
{
	struct vcrs_sim_session *s;
	int id;

	idr_for_each_entry(&sim->sessions, s, id) {
		idr_remove(&sim->sessions, id);
		free_session(s);
	}
	sim->stats.sessions_open = 0;
}

/* Writes a create-session answer into the session input. */
static void answer_session(struct vcrs_sim_req *req, u8 status, u64 id)
{
	struct virtio_crypto_session_input *si = (void *)req->in;

	if (req->in_len + 1 < sizeof(*si)) {
		req->status = VIRTIO_CRYPTO_ERR;
		return;
	}
	si->session_id = cpu_to_le64(id);
	si->status = cpu_to_le32(status);
	req->written = sizeof(*si) - 1;
	req->status = 0;	/* the input's last padding byte */
}

/* Keys follow the 72-byte request in the device-readable bytes. */
static const u8 *session_key(struct vcrs_sim_req *req, size_t offset, size_t len)
{
	size_t start = sizeof(struct virtio_crypto_op_ctrl_req) + offset;

	if (start + len > req->out_len)
		return NULL;
	return req->out + start;
}

static u8 setup_cipher(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		       const struct virtio_crypto_cipher_session_para *p, const u8 *key)
{
	const char *name;
	u32 keylen = le32_to_cpu(p->keylen);

	s->algo = le32_to_cpu(p->algo);
	s->op = le32_to_cpu(p->op);
	name = LOOKUP(cipher_names, s->algo, mask64(sim->params.cipher_l, sim->params.cipher_h));
	if (!name || !has_service(sim, VIRTIO_CRYPTO_SERVICE_CIPHER))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (s->op != VIRTIO_CRYPTO_OP_ENCRYPT && s->op != VIRTIO_CRYPTO_OP_DECRYPT)
		return VIRTIO_CRYPTO_ERR;
	if (!key || keylen > sim->params.max_cipher_key_len)
		return VIRTIO_CRYPTO_ERR;
	s->skcipher = crypto_alloc_skcipher(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(s->skcipher))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (crypto_skcipher_setkey(s->skcipher, key, keylen))
		return VIRTIO_CRYPTO_ERR;
	return VIRTIO_CRYPTO_OK;
}

/* A hash (key NULL) or MAC (key given) transform producing result_len bytes. */
static u8 setup_shash(struct vcrs_sim_session *s, const char *name, u32 result_len,
		      const u8 *key, u32 keylen)
{
	s->shash = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(s->shash))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (result_len == 0 || result_len > crypto_shash_digestsize(s->shash))
		return VIRTIO_CRYPTO_ERR;
	s->result_len = result_len;
	if (key && crypto_shash_setkey(s->shash, key, keylen))
		return VIRTIO_CRYPTO_ERR;
	return VIRTIO_CRYPTO_OK;
}

static u8 setup_hash(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		     const struct virtio_crypto_hash_session_para *p)
{
	const char *name;

	s->hash_algo = le32_to_cpu(p->algo);
	name = LOOKUP(hash_names, s->hash_algo, sim->params.hash);
	if (!name || !has_service(sim, VIRTIO_CRYPTO_SERVICE_HASH))
		return VIRTIO_CRYPTO_NOTSUPP;
	return setup_shash(s, name, le32_to_cpu(p->hash_result_len), NULL, 0);
}

static u8 setup_mac(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		    const struct virtio_crypto_mac_session_para *p, const u8 *key)
{
	const char *name;
	u32 keylen = le32_to_cpu(p->auth_key_len);

	s->hash_algo = le32_to_cpu(p->algo);
	name = LOOKUP(mac_names, s->hash_algo, mask64(sim->params.mac_l, sim->params.mac_h));
	if (!name || !has_service(sim, VIRTIO_CRYPTO_SERVICE_MAC))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (!key || keylen > sim->params.max_auth_key_len)
		return VIRTIO_CRYPTO_ERR;
	return setup_shash(s, name, le32_to_cpu(p->hash_result_len), key, keylen);
}

static u8 create_sym(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		     struct virtio_crypto_op_ctrl_req *ctrl, struct vcrs_sim_req *req)
{
	struct virtio_crypto_sym_create_session_req *sym = &ctrl->u.sym_create_session;
	struct virtio_crypto_alg_chain_session_para *chain = &sym->u.chain.para;
	u32 cipher_keylen;
	u8 status;

	switch (le32_to_cpu(sym->op_type)) {
	case VIRTIO_CRYPTO_SYM_OP_CIPHER:
		s->kind = VCRS_SESSION_CIPHER;
		cipher_keylen = le32_to_cpu(sym->u.cipher.para.keylen);
		return setup_cipher(sim, s, &sym->u.cipher.para,
				    session_key(req, 0, cipher_keylen));
	case VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING:
		if (!sim->params.chaining)
			return VIRTIO_CRYPTO_NOTSUPP;
		s->kind = VCRS_SESSION_CHAIN;
		s->chain_order = le32_to_cpu(chain->alg_chain_order);
		s->hash_mode = le32_to_cpu(chain->hash_mode);
		s->aad_len = le32_to_cpu(chain->aad_len);
		if (s->chain_order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER &&
		    s->chain_order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH)
			return VIRTIO_CRYPTO_ERR;
		cipher_keylen = le32_to_cpu(chain->cipher_param.keylen);
		status = setup_cipher(sim, s, &chain->cipher_param,
				      session_key(req, 0, cipher_keylen));
		if (status != VIRTIO_CRYPTO_OK)
			return status;
		if (s->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN)
			return setup_hash(sim, s, &chain->u.hash_param);
		if (s->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH) {
			u32 auth_len = le32_to_cpu(chain->u.mac_param.auth_key_len);

			return setup_mac(sim, s, &chain->u.mac_param,
					 session_key(req, cipher_keylen, auth_len));
		}
		return VIRTIO_CRYPTO_NOTSUPP;
	default:
		return VIRTIO_CRYPTO_NOTSUPP;
	}
}

static u8 create_aead(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		      const struct virtio_crypto_aead_session_para *p, struct vcrs_sim_req *req)
{
	u32 keylen = le32_to_cpu(p->key_len);
	const u8 *key = session_key(req, 0, keylen);
	const char *name;

	s->kind = VCRS_SESSION_AEAD;
	s->algo = le32_to_cpu(p->algo);
	s->op = le32_to_cpu(p->op);
	s->result_len = le32_to_cpu(p->hash_result_len);
	s->aad_len = le32_to_cpu(p->aad_len);
	name = LOOKUP(aead_names, s->algo, sim->params.aead);
	if (!name || !has_service(sim, VIRTIO_CRYPTO_SERVICE_AEAD))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (s->op != VIRTIO_CRYPTO_OP_ENCRYPT && s->op != VIRTIO_CRYPTO_OP_DECRYPT)
		return VIRTIO_CRYPTO_ERR;
	if (!key || keylen > sim->params.max_cipher_key_len)
		return VIRTIO_CRYPTO_ERR;
	s->aead = crypto_alloc_aead(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(s->aead))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (crypto_aead_setkey(s->aead, key, keylen) ||
	    crypto_aead_setauthsize(s->aead, s->result_len))
		return VIRTIO_CRYPTO_ERR;
	return VIRTIO_CRYPTO_OK;
}

static void create_session(struct vcrs_sim *sim, struct virtio_crypto_op_ctrl_req *ctrl,
			   struct vcrs_sim_req *req, u32 opcode)
{
	struct vcrs_sim_session *s;
	u8 status;
	int id;

	if (sim->stats.sessions_open >= sim->params.max_sessions) {
		answer_session(req, VIRTIO_CRYPTO_NOSPC, 0);
		return;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		answer_session(req, VIRTIO_CRYPTO_ERR, 0);
		return;
	}
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_CREATE_SESSION:
		status = create_sym(sim, s, ctrl, req);
		break;
	case VIRTIO_CRYPTO_HASH_CREATE_SESSION:
		s->kind = VCRS_SESSION_HASH;
		status = setup_hash(sim, s, &ctrl->u.hash_create_session.para);
		break;
	case VIRTIO_CRYPTO_MAC_CREATE_SESSION: {
		const struct virtio_crypto_mac_session_para *p = &ctrl->u.mac_create_session.para;

		s->kind = VCRS_SESSION_MAC;
		status = setup_mac(sim, s, p, session_key(req, 0, le32_to_cpu(p->auth_key_len)));
		break;
	}
	default:
		status = create_aead(sim, s, &ctrl->u.aead_create_session.para, req);
		break;
	}
	if (status != VIRTIO_CRYPTO_OK) {
		free_session(s);
		answer_session(req, status, 0);
		return;
	}
	id = idr_alloc(&sim->sessions, s, 0, sim->params.max_sessions, GFP_KERNEL);
	if (id < 0) {
		free_session(s);
		answer_session(req, VIRTIO_CRYPTO_NOSPC, 0);
		return;
	}
	sim->stats.sessions_open++;
	answer_session(req, VIRTIO_CRYPTO_OK, id);
}

/* Ends session ID without a request (the hostile device answered with another id). */
void vcrs_sim_forget_session(struct vcrs_sim *sim, u64 id)
{
	struct vcrs_sim_session *s = id <= INT_MAX ? idr_find(&sim->sessions, id) : NULL;

	if (!s)
		return;
	idr_remove(&sim->sessions, id);
	free_session(s);
	sim->stats.sessions_open--;
}

static void destroy_session(struct vcrs_sim *sim, struct virtio_crypto_op_ctrl_req *ctrl,
			    struct vcrs_sim_req *req)
{
	u64 id = le64_to_cpu(ctrl->u.destroy_session.session_id);
	struct vcrs_sim_session *s = id <= INT_MAX ? idr_find(&sim->sessions, id) : NULL;

	if (!s) {
		req->status = VIRTIO_CRYPTO_INVSESS;
		return;
	}
	idr_remove(&sim->sessions, id);
	free_session(s);
	sim->stats.sessions_open--;
	req->status = VIRTIO_CRYPTO_OK;
}

void vcrs_sim_handle_ctrl(struct vcrs_sim *sim, struct vcrs_sim_req *req)
{
	struct virtio_crypto_op_ctrl_req *ctrl = (void *)req->out;
	u32 opcode;

	if (req->out_len < sizeof(*ctrl)) {
		req->status = VIRTIO_CRYPTO_ERR;
		return;
	}
	opcode = le32_to_cpu(ctrl->header.opcode);
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_CREATE_SESSION:
	case VIRTIO_CRYPTO_HASH_CREATE_SESSION:
	case VIRTIO_CRYPTO_MAC_CREATE_SESSION:
	case VIRTIO_CRYPTO_AEAD_CREATE_SESSION:
		create_session(sim, ctrl, req, opcode);
		break;
	case VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION:
	case VIRTIO_CRYPTO_HASH_DESTROY_SESSION:
	case VIRTIO_CRYPTO_MAC_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AEAD_DESTROY_SESSION:
		destroy_session(sim, ctrl, req);
		break;
	default:
		req->status = VIRTIO_CRYPTO_NOTSUPP;
		break;
	}
}
