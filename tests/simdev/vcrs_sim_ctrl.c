// SPDX-License-Identifier: GPL-2.0
/*
 * vcrs_sim: the control queue. Creates and destroys sessions, each backed by
 * a synchronous software transform (allocated with the ASYNC mask, so it can
 * never be a driver under test; AKCIPHER's are allocated by their generic
 * driver names as well).
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/internal/rsa.h>
#include <crypto/skcipher.h>
#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/version.h>

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

/*
 * AKCIPHER: the kernel's software by driver name, never a driver under test.
 * RSA PKCS#1 v1.5 hashes (VIRTIO_CRYPTO_RSA_*, not the HASH service's
 * numbers) by the names the pkcs1pad (6.12) and pkcs1 (6.13 on) templates
 * take; MD2, MD3 and MD4 have none.
 */
static const char *const rsa_hash_names[] = {
	[VIRTIO_CRYPTO_RSA_MD5] = "md5",
	[VIRTIO_CRYPTO_RSA_SHA1] = "sha1",
	[VIRTIO_CRYPTO_RSA_SHA256] = "sha256",
	[VIRTIO_CRYPTO_RSA_SHA384] = "sha384",
	[VIRTIO_CRYPTO_RSA_SHA512] = "sha512",
	[VIRTIO_CRYPTO_RSA_SHA224] = "sha224",
};

/* ECDSA curves: verification only, the kernel has no ECDSA signing. */
static const char *const ecdsa_names[] = {
	[VIRTIO_CRYPTO_CURVE_NIST_P192] = "ecdsa-nist-p192-generic",
	[VIRTIO_CRYPTO_CURVE_NIST_P256] = "ecdsa-nist-p256-generic",
	[VIRTIO_CRYPTO_CURVE_NIST_P384] = "ecdsa-nist-p384-generic",
	[VIRTIO_CRYPTO_CURVE_NIST_P521] = "ecdsa-nist-p521-generic",
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
	if (!IS_ERR_OR_NULL(s->akc))
		crypto_free_akcipher(s->akc);
	if (!IS_ERR_OR_NULL(s->sig))
		crypto_free_sig(s->sig);
	kfree(s);
}

/* Ends open session S (removed from the table already): counts, then frees it. */
static void end_session(struct vcrs_sim *sim, struct vcrs_sim_session *s)
{
	sim->stats.sessions_open--;
	if (s->kind == VCRS_SESSION_AKCIPHER)
		sim->stats.akcipher_sessions_open--;
	free_session(s);
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
	sim->stats.akcipher_sessions_open = 0;
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

/*
 * Allocates the software akcipher or sig NAME (a driver name). A generic
 * implementation built as a module has no alias of its driver name: on
 * failure, MODULE (its cra_name's alias) is loaded and NAME tried again.
 */
static struct crypto_akcipher *alloc_akcipher(const char *name, const char *module)
{
	struct crypto_akcipher *tfm = crypto_alloc_akcipher(name, 0, CRYPTO_ALG_ASYNC);

	if (IS_ERR(tfm) && !request_module("crypto-%s", module))
		tfm = crypto_alloc_akcipher(name, 0, CRYPTO_ALG_ASYNC);
	return tfm;
}

static struct crypto_sig *alloc_sig(const char *name, const char *module)
{
	struct crypto_sig *tfm = crypto_alloc_sig(name, 0, CRYPTO_ALG_ASYNC);

	if (IS_ERR(tfm) && !request_module("crypto-%s", module))
		tfm = crypto_alloc_sig(name, 0, CRYPTO_ALG_ASYNC);
	return tfm;
}

/* The status of a key the software refused (never OK). */
static u8 bad_key(struct vcrs_sim *sim)
{
	return sim->params.bad_key_status ?: VIRTIO_CRYPTO_ERR;
}

/*
 * RSA: encryption and decryption with "rsa-generic" (RAW) or
 * "pkcs1pad(rsa-generic)" (PKCS1); PKCS#1 v1.5 signatures with
 * "pkcs1pad(rsa-generic,HASH)" (6.12: an akcipher, through crypto_sig's
 * wrapper) or the sig "pkcs1(rsa-generic,HASH)" (6.13 on), HASH "none" or
 * absent for NO_HASH. RAW sessions sign and verify nothing (the specification:
 * "MUST not be used for verification and signing").
 */
static u8 setup_rsa(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		    const struct virtio_crypto_rsa_session_para *p, bool private,
		    const u8 *key, u32 keylen)
{
	u32 padding = le32_to_cpu(p->padding_algo), hash = le32_to_cpu(p->hash_algo);
	char name[CRYPTO_MAX_ALG_NAME];
	const char *hash_name = NULL;
	struct rsa_key raw = { };
	int err;

	if (padding == VIRTIO_CRYPTO_RSA_PKCS1_PADDING && hash != VIRTIO_CRYPTO_RSA_NO_HASH) {
		hash_name = LOOKUP(rsa_hash_names, hash, ~0ULL);
		if (!hash_name)
			return VIRTIO_CRYPTO_NOTSUPP;
	} else if (padding != VIRTIO_CRYPTO_RSA_PKCS1_PADDING &&
		   padding != VIRTIO_CRYPTO_RSA_RAW_PADDING) {
		return VIRTIO_CRYPTO_NOTSUPP;
	}
	s->akc = alloc_akcipher(padding == VIRTIO_CRYPTO_RSA_RAW_PADDING ? "rsa-generic" :
				"pkcs1pad(rsa-generic)", "rsa");
	if (IS_ERR(s->akc))
		return VIRTIO_CRYPTO_NOTSUPP;
	err = private ? crypto_akcipher_set_priv_key(s->akc, key, keylen) :
			crypto_akcipher_set_pub_key(s->akc, key, keylen);
	if (err)
		return bad_key(sim);
	/*
	 * The key's size is its modulus' bytes (the software's maxsize counts
	 * whole 64-bit limbs: 128 for a 1000-bit key).
	 */
	err = private ? rsa_parse_priv_key(&raw, key, keylen) :
			rsa_parse_pub_key(&raw, key, keylen);
	if (err)
		return bad_key(sim);
	while (raw.n_sz && !*raw.n) {
		raw.n++;
		raw.n_sz--;
	}
	s->soft_size = crypto_akcipher_maxsize(s->akc);
	s->key_size = min_t(u32, raw.n_sz, s->soft_size);
	s->raw = padding == VIRTIO_CRYPTO_RSA_RAW_PADDING;
	if (padding == VIRTIO_CRYPTO_RSA_RAW_PADDING)
		return VIRTIO_CRYPTO_OK;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	snprintf(name, sizeof(name), "pkcs1(rsa-generic,%s)", hash_name ?: "none");
#else
	if (hash_name)
		snprintf(name, sizeof(name), "pkcs1pad(rsa-generic,%s)", hash_name);
	else
		strscpy(name, "pkcs1pad(rsa-generic)", sizeof(name));
#endif
	s->sig = alloc_sig(name, "rsa");
	if (IS_ERR(s->sig))
		return VIRTIO_CRYPTO_NOTSUPP;
	err = private ? crypto_sig_set_privkey(s->sig, key, keylen) :
			crypto_sig_set_pubkey(s->sig, key, keylen);
	return err ? bad_key(sim) : VIRTIO_CRYPTO_OK;
}

/*
 * ECDSA: verification of DER Ecdsa-Sig-Value signatures (the specification's
 * encoding) with public keys 04||X||Y: the akcipher "ecdsa-nist-pNNN-generic"
 * through crypto_sig's wrapper (6.12, which takes DER), the sig
 * "x962(ecdsa-nist-pNNN-generic)" (6.13 on, whose base algorithm takes raw
 * digits). No private keys: the kernel has no ECDSA signing.
 */
static u8 setup_ecdsa(struct vcrs_sim *sim, struct vcrs_sim_session *s,
		      const struct virtio_crypto_ecdsa_session_para *p, bool private,
		      const u8 *key, u32 keylen)
{
	const char *curve = LOOKUP(ecdsa_names, le32_to_cpu(p->curve_id), ~0ULL);
	char name[CRYPTO_MAX_ALG_NAME];

	if (!curve || private)
		return VIRTIO_CRYPTO_NOTSUPP;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	snprintf(name, sizeof(name), "x962(%s)", curve);
#else
	strscpy(name, curve, sizeof(name));
#endif
	s->sig = alloc_sig(name, "ecdsa-generic");
	if (IS_ERR(s->sig))
		return VIRTIO_CRYPTO_NOTSUPP;
	return crypto_sig_set_pubkey(s->sig, key, keylen) ? bad_key(sim) : VIRTIO_CRYPTO_OK;
}

static u8 create_akcipher(struct vcrs_sim *sim, struct vcrs_sim_session *s,
			  const struct virtio_crypto_akcipher_session_para *p,
			  struct vcrs_sim_req *req)
{
	u32 algo = le32_to_cpu(p->algo), keytype = le32_to_cpu(p->keytype);
	u32 keylen = le32_to_cpu(p->keylen);
	const u8 *key = session_key(req, 0, keylen);
	bool private = keytype == VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE;

	s->kind = VCRS_SESSION_AKCIPHER;
	s->algo = algo;
	if (!has_service(sim, VIRTIO_CRYPTO_SERVICE_AKCIPHER) || algo >= 32 ||
	    !(sim->params.akcipher & BIT(algo)))
		return VIRTIO_CRYPTO_NOTSUPP;
	if (keytype != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC && !private)
		return VIRTIO_CRYPTO_NOTSUPP;
	if (!key || !keylen || keylen > sim->params.max_akcipher_key_len)
		return VIRTIO_CRYPTO_ERR;
	if (algo == VIRTIO_CRYPTO_AKCIPHER_RSA)
		return setup_rsa(sim, s, &p->u.rsa, private, key, keylen);
	if (algo == sim->params.ecdsa_algo)
		return setup_ecdsa(sim, s, &p->u.ecdsa, private, key, keylen);
	return VIRTIO_CRYPTO_NOTSUPP;
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
	case VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION:
		status = create_akcipher(sim, s, &ctrl->u.akcipher_create_session.para, req);
		break;
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
	if (s->kind == VCRS_SESSION_AKCIPHER) {
		sim->stats.akcipher_sessions_open++;
		sim->stats.akcipher_sessions_created++;
	}
	answer_session(req, VIRTIO_CRYPTO_OK, id);
}

/* Ends session ID without a request (the hostile device answered with another id). */
void vcrs_sim_forget_session(struct vcrs_sim *sim, u64 id)
{
	struct vcrs_sim_session *s = id <= INT_MAX ? idr_find(&sim->sessions, id) : NULL;

	if (!s)
		return;
	idr_remove(&sim->sessions, id);
	end_session(sim, s);
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
	end_session(sim, s);
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
	case VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION:
		create_session(sim, ctrl, req, opcode);
		break;
	case VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION:
	case VIRTIO_CRYPTO_HASH_DESTROY_SESSION:
	case VIRTIO_CRYPTO_MAC_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AEAD_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION:
		destroy_session(sim, ctrl, req);
		break;
	default:
		req->status = VIRTIO_CRYPTO_NOTSUPP;
		break;
	}
}
