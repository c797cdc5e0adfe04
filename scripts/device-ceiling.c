// SPDX-License-Identifier: GPL-2.0
/*
 * device-ceiling: the throughput ceiling of QEMU's virtio-crypto device with
 * the builtin backend (-object cryptodev-backend-builtin), measured on the
 * host by doing, per request, exactly the library work QEMU 7.2 (Debian 12's
 * qemu-system-x86 1:7.2+dfsg-7+deb12uN) does for one symmetric cipher data
 * request, and nothing else. Guest throughputs can then be given as a
 * fraction of it.
 *
 * Which library: QEMU's cipher code is crypto/cipher.c, which includes one
 * of crypto/cipher-{gcrypt,nettle,gnutls,builtin}.c.inc depending on the
 * build. Debian configures QEMU with --enable-nettle ("build-depend on
 * nettle-dev, enable nettle" in its changelog); an explicit nettle request
 * makes meson.build ignore gnutls for crypto, and gcrypt is not enabled. The
 * binary confirms it: `nm -D qemu-system-x86_64` imports
 * nettle_cbc_{en,de}crypt, nettle_ctr_crypt, nettle_xts_{en,de}crypt_message
 * and nettle_aes{128,192,256}_{en,de}crypt, but no gnutls_cipher_encrypt and
 * no libgcrypt symbol; it has no AF_ALG (crypto-afalg) support compiled in.
 * So ciphers are nettle (libnettle.so.8, 3.8.1 on Debian 12; Debian builds
 * it "fat", so it uses AES-NI when the CPU has it).
 *
 * What one request costs in QEMU 7.2, and what this program mimics:
 *
 *  hw/virtio/virtio-crypto.c
 *   virtio_crypto_handle_request() -> virtio_crypto_handle_sym_req() ->
 *   virtio_crypto_sym_op_helper(): one
 *       op_info = g_malloc0(sizeof(CryptoDevBackendSymOpInfo) + max_len)
 *   with max_len = iv_len + aad_len + src_len + dst_len + hash_result_len,
 *   then iov_to_buf() copies the IV and the source data out of guest memory
 *   into that buffer; dst points into the same buffer.
 *     -> here: calloc() of the same size (g_malloc0 is calloc with abort on
 *        failure), memcpy of the IV and of the source (one iovec each).
 *
 *  backends/cryptodev-builtin.c
 *   cryptodev_builtin_sym_operation(): if iv_len > 0,
 *   qcrypto_cipher_setiv(); then qcrypto_cipher_encrypt() or
 *   qcrypto_cipher_decrypt() (after the session's direction) of the whole
 *   src_len bytes, src -> dst. The session (cipher context, key schedule)
 *   is made once, at CREATE_SESSION time, not per request.
 *
 *  crypto/cipher.c: qcrypto_cipher_{setiv,encrypt,decrypt}() call the
 *  driver's function pointers; crypto/cipher-nettle.c.inc:
 *   - *_setiv: checks niv == 16, memcpy to ctx->iv
 *   - qcrypto_length_check(): the length must be a multiple of the block
 *     size (16), for every mode (CTR and XTS included)
 *   - CBC: cbc_encrypt/cbc_decrypt(&ctx->key, aes128_{en,de}crypt_native,
 *     16, ctx->iv, len, out, in), the *_native wrappers calling
 *     aes128_encrypt(&keys[0]) / aes128_decrypt(&keys[1])
 *   - ECB: aes128_{en,de}crypt_native(&ctx->key, len, out, in)
 *   - CTR: ctr_crypt(&ctx->key, aes128_encrypt_native, 16, ctx->iv, ...),
 *     the same for both directions
 *   - XTS: xts_encrypt_message(&ctx->key, &ctx->key_xts, ENCRYPT, ...),
 *     xts_decrypt_message(&ctx->key, &ctx->key_xts, DECRYPT, ENCRYPT, ...),
 *     key split in two halves (QEMU's AES_128 for a 32-byte XTS key)
 *
 *  hw/virtio/virtio-crypto.c
 *   virtio_crypto_req_complete() -> virtio_crypto_sym_input_data_helper():
 *   iov_from_buf() copies dst (src_len bytes) back to guest memory;
 *   virtio_crypto_free_request(): memset(op_info, 0, sizeof(*op_info) +
 *   max_len) ("Zeroize"), g_free(op_info).
 *     -> here: memcpy out, memset, free.
 *
 * Not modelled (so this is an upper bound): virtqueue_pop() and its
 * VirtIOCryptoReq/iovec allocations and guest memory mapping, the
 * g_memdup2() of the iovec arrays, reading the request header,
 * virtqueue_push() and the guest notification (interrupt), the vCPU exit that
 * kicks the queue, and everything the guest does. Like the builtin backend,
 * which serves its single data queue from QEMU's main loop, one request at a
 * time, this runs single-threaded, one request after the other.
 *
 * The builtin backend of QEMU 7.2 advertises only AES-CBC to the guest
 * (cryptodev_builtin_init: cipher_algo_l = 1u << VIRTIO_CRYPTO_CIPHER_AES_CBC);
 * ECB, CTR and XTS are measured only as "what the same code would do".
 *
 * Request sizes that are not a multiple of 16 (1420) are rounded up to it,
 * as the kernel's tcrypt does (it sends and prints 1424 bytes) and as QEMU
 * requires; the line gives the size processed.
 *
 * Usage: device-ceiling [SECONDS [ROUND [ALGS]]]
 *   SECONDS  run time of each measurement (default 1, may be fractional)
 *   ROUND    copied into the output lines (default 1)
 *   ALGS     comma-separated list of cbc(aes)-128, ecb(aes)-128,
 *            ctr(aes)-128, cbc(aes)-256, ecb(aes)-256, ctr(aes)-256,
 *            xts(aes)-256 (2 x AES-128), xts(aes)-512 (2 x AES-256), or
 *            "all" (default cbc(aes)-128)
 * Prints one line per (algorithm, direction, size):
 *   VCRS-BENCH host ceiling mb <alg> <dir> <size> 1 <round> <MB/s> <ops/s> -
 * with MB = 10^6 bytes.
 *
 * Build: gcc -O2 -o device-ceiling device-ceiling.c -lnettle
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/ctr.h>
#include <nettle/xts.h>

#define BLEN AES_BLOCK_SIZE

/* ---- crypto/cipher-nettle.c.inc, reduced to AES-128/256 ---------------- */

struct cipher;

struct cipher_driver {
	int (*encrypt)(struct cipher *c, const void *in, void *out, size_t len);
	int (*decrypt)(struct cipher *c, const void *in, void *out, size_t len);
	int (*setiv)(struct cipher *c, const uint8_t *iv, size_t niv);
};

struct cipher {
	const struct cipher_driver *driver;
};

/* QCryptoNettleAES128 / QCryptoNettleAES256 */
struct aes128_cipher {
	struct cipher base;
	uint8_t iv[BLEN];
	/* First key from pair is encode, second key is decode. */
	struct aes128_ctx key[2], key_xts[2];
};

struct aes256_cipher {
	struct cipher base;
	uint8_t iv[BLEN];
	struct aes256_ctx key[2], key_xts[2];
};

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

static inline int length_check(size_t len)
{
	return (len & (BLEN - 1)) ? -1 : 0;
}

static int no_setiv(struct cipher *c, const uint8_t *iv, size_t niv)
{
	(void)c; (void)iv; (void)niv;
	return -1;
}

#define DEFINE_AES(N)							\
static void aes##N##_encrypt_native(const void *ctx, size_t length,	\
				    uint8_t *dst, const uint8_t *src)	\
{									\
	const struct aes##N##_ctx *keys = ctx;				\
	aes##N##_encrypt(&keys[0], length, dst, src);			\
}									\
static void aes##N##_decrypt_native(const void *ctx, size_t length,	\
				    uint8_t *dst, const uint8_t *src)	\
{									\
	const struct aes##N##_ctx *keys = ctx;				\
	aes##N##_decrypt(&keys[1], length, dst, src);			\
}									\
static int aes##N##_setiv(struct cipher *c, const uint8_t *iv, size_t niv) \
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (niv != BLEN)						\
		return -1;						\
	memcpy(ctx->iv, iv, niv);					\
	return 0;							\
}									\
static int aes##N##_encrypt_ecb(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	aes##N##_encrypt_native(&ctx->key, len, out, in);		\
	return 0;							\
}									\
static int aes##N##_decrypt_ecb(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	aes##N##_decrypt_native(&ctx->key, len, out, in);		\
	return 0;							\
}									\
static int aes##N##_encrypt_cbc(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	cbc_encrypt(&ctx->key, aes##N##_encrypt_native, BLEN, ctx->iv,	\
		    len, out, in);					\
	return 0;							\
}									\
static int aes##N##_decrypt_cbc(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	cbc_decrypt(&ctx->key, aes##N##_decrypt_native, BLEN, ctx->iv,	\
		    len, out, in);					\
	return 0;							\
}									\
static int aes##N##_encrypt_ctr(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	ctr_crypt(&ctx->key, aes##N##_encrypt_native, BLEN, ctx->iv,	\
		  len, out, in);					\
	return 0;							\
}									\
static int aes##N##_encrypt_xts(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	xts_encrypt_message(&ctx->key, &ctx->key_xts,			\
			    aes##N##_encrypt_native, ctx->iv, len, out, in); \
	return 0;							\
}									\
static int aes##N##_decrypt_xts(struct cipher *c, const void *in,	\
				void *out, size_t len)			\
{									\
	struct aes##N##_cipher *ctx = container_of(c, struct aes##N##_cipher, base); \
	if (length_check(len))						\
		return -1;						\
	xts_decrypt_message(&ctx->key, &ctx->key_xts,			\
			    aes##N##_decrypt_native, aes##N##_encrypt_native, \
			    ctx->iv, len, out, in);			\
	return 0;							\
}									\
static const struct cipher_driver aes##N##_driver_ecb = {		\
	aes##N##_encrypt_ecb, aes##N##_decrypt_ecb, no_setiv };		\
static const struct cipher_driver aes##N##_driver_cbc = {		\
	aes##N##_encrypt_cbc, aes##N##_decrypt_cbc, aes##N##_setiv };	\
static const struct cipher_driver aes##N##_driver_ctr = {		\
	aes##N##_encrypt_ctr, aes##N##_encrypt_ctr, aes##N##_setiv };	\
static const struct cipher_driver aes##N##_driver_xts = {		\
	aes##N##_encrypt_xts, aes##N##_decrypt_xts, aes##N##_setiv };	\
/* qcrypto_cipher_ctx_new(), case QCRYPTO_CIPHER_ALG_AES_N */		\
static struct cipher *aes##N##_new(const struct cipher_driver *drv,	\
				   const uint8_t *key, size_t nkey)	\
{									\
	struct aes##N##_cipher *ctx = calloc(1, sizeof(*ctx));		\
	if (!ctx)							\
		abort();						\
	ctx->base.driver = drv;						\
	if (drv == &aes##N##_driver_xts) {				\
		nkey /= 2;						\
		aes##N##_set_encrypt_key(&ctx->key_xts[0], key + nkey);	\
		aes##N##_set_decrypt_key(&ctx->key_xts[1], key + nkey);	\
	}								\
	aes##N##_set_encrypt_key(&ctx->key[0], key);			\
	aes##N##_set_decrypt_key(&ctx->key[1], key);			\
	return &ctx->base;						\
}

DEFINE_AES(128)
DEFINE_AES(256)

/* crypto/cipher.c: the public entry points dispatch through the driver. */
static int qcrypto_cipher_setiv(struct cipher *c, const uint8_t *iv, size_t n)
{
	return c->driver->setiv(c, iv, n);
}

static int qcrypto_cipher_encrypt(struct cipher *c, const void *in, void *out,
				  size_t len)
{
	return c->driver->encrypt(c, in, out, len);
}

static int qcrypto_cipher_decrypt(struct cipher *c, const void *in, void *out,
				  size_t len)
{
	return c->driver->decrypt(c, in, out, len);
}

/* ---- the algorithms measured ----------------------------------------- */

struct alg {
	const char *name;	/* kernel cra_name-keybits */
	size_t keylen;		/* virtio session key_len */
	size_t ivlen;		/* iv_len the guest sends */
	struct cipher *(*new)(const struct cipher_driver *, const uint8_t *, size_t);
	const struct cipher_driver *drv;
};

static const struct alg algs[] = {
	{ "cbc(aes)-128", 16, 16, aes128_new, &aes128_driver_cbc },
	{ "ecb(aes)-128", 16, 0, aes128_new, &aes128_driver_ecb },
	{ "ctr(aes)-128", 16, 16, aes128_new, &aes128_driver_ctr },
	{ "cbc(aes)-256", 32, 16, aes256_new, &aes256_driver_cbc },
	{ "ecb(aes)-256", 32, 0, aes256_new, &aes256_driver_ecb },
	{ "ctr(aes)-256", 32, 16, aes256_new, &aes256_driver_ctr },
	/* cryptodev_builtin_get_aes_algo: 32-byte XTS key -> AES_128 */
	{ "xts(aes)-256", 32, 16, aes128_new, &aes128_driver_xts },
	{ "xts(aes)-512", 64, 16, aes256_new, &aes256_driver_xts },
};

/* CryptoDevBackendSymOpInfo (include/sysemu/cryptodev.h, QEMU 7.2) */
struct sym_op_info {
	uint32_t aad_len, iv_len, src_len, dst_len, digest_result_len;
	uint32_t hash_start_src_offset, cipher_start_src_offset;
	uint32_t len_to_hash, len_to_cipher;
	uint8_t op_type;
	uint8_t *iv, *src, *dst, *aad_data, *digest_result;
	uint8_t data[];
};

/* "Guest memory": where the request's IV and data come from and go to. */
static uint8_t guest_iv[BLEN];
static uint8_t *guest_src, *guest_dst;

/*
 * One data request, as virtio_crypto_handle_request() + the builtin backend +
 * virtio_crypto_req_complete() do it. Returns 0 on success.
 */
static int one_request(struct cipher *c, int encrypt, uint32_t iv_len,
		       uint32_t len)
{
	uint64_t max_len = (uint64_t)iv_len + len + len;
	struct sym_op_info *op;
	size_t cur = 0;
	int ret;

	/* virtio_crypto_sym_op_helper() */
	op = calloc(1, sizeof(*op) + max_len);
	if (!op)
		abort();
	op->iv_len = iv_len;
	op->src_len = len;
	op->dst_len = len;
	if (iv_len) {
		op->iv = op->data + cur;
		memcpy(op->iv, guest_iv, iv_len);	/* iov_to_buf */
		cur += iv_len;
	}
	op->src = op->data + cur;
	memcpy(op->src, guest_src, len);		/* iov_to_buf */
	cur += len;
	op->dst = op->data + cur;

	/* cryptodev_builtin_sym_operation() */
	ret = 0;
	if (op->iv_len > 0)
		ret = qcrypto_cipher_setiv(c, op->iv, op->iv_len);
	if (!ret)
		ret = encrypt ? qcrypto_cipher_encrypt(c, op->src, op->dst, op->src_len)
			      : qcrypto_cipher_decrypt(c, op->src, op->dst, op->src_len);

	/* virtio_crypto_sym_input_data_helper(): iov_from_buf */
	if (!ret)
		memcpy(guest_dst, op->dst, op->src_len);

	/* virtio_crypto_free_request() */
	memset(op, 0, sizeof(*op) + max_len);
	free(op);
	return ret;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int self_test(void)
{
	/* NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, block 1 */
	static const uint8_t key[16] = {
		0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
		0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
	static const uint8_t iv[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	static const uint8_t pt[16] = {
		0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
		0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
	static const uint8_t ct[16] = {
		0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
		0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };
	struct cipher *c = aes128_new(&aes128_driver_cbc, key, 16);
	int bad;

	memcpy(guest_iv, iv, 16);
	memcpy(guest_src, pt, 16);
	bad = one_request(c, 1, 16, 16) || memcmp(guest_dst, ct, 16);
	memcpy(guest_src, ct, 16);
	bad = bad || one_request(c, 0, 16, 16) || memcmp(guest_dst, pt, 16);
	free(c);
	return bad;
}

/* Round trip through every selected algorithm at the largest size. */
static int round_trip(const struct alg *a, struct cipher *ce,
		      struct cipher *cd, uint32_t len)
{
	uint8_t *plain = malloc(len);
	int bad;

	if (!plain)
		abort();
	for (uint32_t i = 0; i < len; i++)
		guest_src[i] = plain[i] = (uint8_t)(i * 7 + 3);
	bad = one_request(ce, 1, a->ivlen, len);
	memcpy(guest_src, guest_dst, len);
	bad = bad || one_request(cd, 0, a->ivlen, len) ||
	      memcmp(guest_dst, plain, len);
	free(plain);
	return bad;
}

static int selected(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	if (!strcmp(list, "all"))
		return 1;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = {
		16, 64, 128, 256, 1024, 1420, 4096, 8192, 65536 };
	const uint32_t maxsize = 65536;
	double seconds = argc > 1 ? atof(argv[1]) : 1.0;
	const char *round = argc > 2 ? argv[2] : "1";
	const char *list = argc > 3 ? argv[3] : "cbc(aes)-128";
	uint8_t key[64];
	unsigned long sink = 0;
	int nsel = 0;

	if (argc > 4 || !(seconds > 0)) {
		fprintf(stderr, "usage: %s [SECONDS [ROUND [ALGS]]]\n", argv[0]);
		return 2;
	}
	guest_src = malloc(maxsize);
	guest_dst = malloc(maxsize);
	if (!guest_src || !guest_dst)
		abort();
	if (self_test()) {
		fprintf(stderr, "device-ceiling: CBC-AES128 known-answer test failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x11 * i + 1);
	for (size_t i = 0; i < BLEN; i++)
		guest_iv[i] = (uint8_t)(0xa5 ^ i);

	for (size_t ai = 0; ai < sizeof(algs) / sizeof(algs[0]); ai++) {
		const struct alg *a = &algs[ai];
		/* One session per direction, as the guest driver creates them. */
		struct cipher *sess[2];

		if (!selected(list, a->name))
			continue;
		nsel++;
		sess[0] = a->new(a->drv, key, a->keylen);	/* dec */
		sess[1] = a->new(a->drv, key, a->keylen);	/* enc */
		if (round_trip(a, sess[1], sess[0], maxsize)) {
			fprintf(stderr, "device-ceiling: %s round trip failed\n", a->name);
			return 1;
		}
		for (int enc = 1; enc >= 0; enc--) {
			for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
				uint32_t size = sizes[si];
				uint32_t len = (size + BLEN - 1) & ~(uint32_t)(BLEN - 1);
				/* Read the clock every `batch` requests (~64 KB). */
				unsigned long batch = len >= 65536 ? 1 : 65536 / len;
				unsigned long ops = 0;
				double t0, t, end;

				memset(guest_src, 0x5a, len);
				/* warm-up: ~5% of the run, at most 0.1 s */
				end = now() + (seconds * 0.05 < 0.1 ? seconds * 0.05 : 0.1);
				do {
					for (unsigned long b = 0; b < batch; b++)
						one_request(sess[enc], enc, a->ivlen, len);
				} while (now() < end);

				t0 = now();
				end = t0 + seconds;
				do {
					for (unsigned long b = 0; b < batch; b++) {
						if (one_request(sess[enc], enc, a->ivlen, len)) {
							fprintf(stderr, "device-ceiling: %s request failed\n",
								a->name);
							return 1;
						}
					}
					ops += batch;
					t = now();
				} while (t < end);
				sink += guest_dst[0];
				printf("VCRS-BENCH host ceiling mb %s %s %u 1 %s %.2f %.2f -\n",
				       a->name, enc ? "enc" : "dec", len, round,
				       (double)ops * len / (t - t0) / 1e6,
				       (double)ops / (t - t0));
				fflush(stdout);
			}
		}
		free(sess[0]);
		free(sess[1]);
	}
	free(guest_src);
	free(guest_dst);
	if (!nsel) {
		fprintf(stderr, "device-ceiling: no algorithm matches '%s'\n", list);
		return 2;
	}
	return sink == 0xdeadbeef;	/* keeps the results observable */
}
