/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_ALG helpers shared by the guest test programs, for every algorithm type:
 * afalg_open_type() opens a transform of type "skcipher", "aead" or "hash";
 * afalg_op() runs one skcipher or aead request, afalg_digest() one hash.
 * afalg_open() and afalg_once() are their skcipher shorthands.
 */
#ifndef AFALG_H
#define AFALG_H

#include <errno.h>
#include <linux/if_alg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

/* No such algorithm or socket: not an errno the operations themselves return. */
#define AFALG_NO_TFM (-1000)

/*
 * Opens a transform of DRIVER, of TYPE "skcipher", "aead" or "hash", and sets
 * KEY when KEYLEN > 0 (an unkeyed hash takes none; hmac, skciphers and aeads
 * need one) and, for an aead, the tag length AUTHSIZE when it is > 0. Returns
 * the socket, AFALG_NO_TFM when the algorithm cannot be bound, or -errno of
 * the setsockopt that failed.
 */
static inline int afalg_open_type(const char *type, const char *driver, const unsigned char *key,
				  unsigned int keylen, unsigned int authsize)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	int tfm, err;

	strncpy((char *)sa.salg_type, type, sizeof(sa.salg_type) - 1);
	strncpy((char *)sa.salg_name, driver, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return AFALG_NO_TFM;
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(tfm);
		return AFALG_NO_TFM;
	}
	if ((keylen > 0 && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0) ||
	    (authsize > 0 && setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, authsize) < 0)) {
		err = -errno;
		close(tfm);
		return err;
	}
	return tfm;
}

/* Opens a transform of the skcipher DRIVER and sets its key (see afalg_open_type). */
static inline int afalg_open(const char *driver, const unsigned char *key, unsigned int keylen)
{
	return afalg_open_type("skcipher", driver, key, keylen, 0);
}

/*
 * One request on skcipher or aead transform TFM: OP (ALG_OP_ENCRYPT or
 * ALG_OP_DECRYPT) over the INLEN bytes of IN, with IV, reading OUTLEN bytes
 * into OUT. ASSOCLEN < 0 means an skcipher (no associated data); for an aead
 * it is the length of the associated data that starts IN, and OUT gets the
 * associated data, then the ciphertext and tag (encryption) or the plaintext
 * (decryption). Returns OUTLEN, or -errno of the failing call (EBADMSG: the
 * tag did not verify).
 */
static inline long afalg_op(int tfm, unsigned int op, const unsigned char *iv, unsigned int ivlen,
			    int assoclen, const unsigned char *in, size_t inlen, unsigned char *out,
			    size_t outlen)
{
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 64) + CMSG_SPACE(4)] = { 0 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	struct af_alg_iv *aiv;
	struct iovec iov = { .iov_base = (void *)in, .iov_len = inlen };
	size_t done = 0;
	long ret;
	int opfd;

	if (ivlen > 64)
		return -EINVAL;
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0)
		return -errno;
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(4) + CMSG_SPACE(sizeof(*aiv) + ivlen) +
			     (assoclen >= 0 ? CMSG_SPACE(4) : 0);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(4);
	*(unsigned int *)CMSG_DATA(cmsg) = op;
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_IV;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*aiv) + ivlen);
	aiv = (struct af_alg_iv *)CMSG_DATA(cmsg);
	aiv->ivlen = ivlen;
	memcpy(aiv->iv, iv, ivlen);
	if (assoclen >= 0) {
		cmsg = CMSG_NXTHDR(&msg, cmsg);
		cmsg->cmsg_level = SOL_ALG;
		cmsg->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
		cmsg->cmsg_len = CMSG_LEN(4);
		*(unsigned int *)CMSG_DATA(cmsg) = assoclen;
	}
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ret = sendmsg(opfd, &msg, 0);
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	if ((size_t)ret != inlen) {
		ret = -EMSGSIZE;
		goto out;
	}
	/* A zero-length request has nothing to read back. */
	while (done < outlen) {
		ret = read(opfd, out + done, outlen - done);
		if (ret <= 0) {
			ret = ret < 0 ? -errno : -EIO;
			goto out;
		}
		done += ret;
	}
	ret = outlen;
out:
	close(opfd);
	return ret;
}

/*
 * One skcipher request on transform TFM: OP over the LEN bytes of IN, with IV,
 * into OUT. Returns LEN, or -errno of the failing call.
 */
static inline long afalg_once(int tfm, unsigned int op, const unsigned char *iv,
			      unsigned int ivlen, const unsigned char *in, size_t len,
			      unsigned char *out)
{
	return afalg_op(tfm, op, iv, ivlen, -1, in, len, out, len);
}

/*
 * The digest of the LEN bytes of IN on hash transform TFM (keyed or not), into
 * OUT, which holds OUTLEN bytes. Returns the digest's length, or -errno.
 */
static inline long afalg_digest(int tfm, const unsigned char *in, size_t len, unsigned char *out,
				size_t outlen)
{
	long ret;
	int opfd;

	opfd = accept(tfm, NULL, 0);
	if (opfd < 0)
		return -errno;
	/* Without MSG_MORE the send finishes the hash; with no data, the read does. */
	ret = len ? send(opfd, in, len, 0) : 0;
	if (ret < 0)
		ret = -errno;
	else if ((size_t)ret != len)
		ret = -EMSGSIZE;
	else if ((ret = read(opfd, out, outlen)) < 0)
		ret = -errno;
	close(opfd);
	return ret;
}

#endif
