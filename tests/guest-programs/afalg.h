/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_ALG skcipher helpers shared by the guest test programs.
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
 * Opens a transform of the skcipher DRIVER and sets its key. Returns the socket,
 * AFALG_NO_TFM when the algorithm cannot be bound, or -errno of the setkey.
 */
static inline int afalg_open(const char *driver, const unsigned char *key, unsigned int keylen)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "skcipher" };
	int tfm, err;

	strncpy((char *)sa.salg_name, driver, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return AFALG_NO_TFM;
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(tfm);
		return AFALG_NO_TFM;
	}
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0) {
		err = -errno;
		close(tfm);
		return err;
	}
	return tfm;
}

/*
 * One request on transform TFM: OP (ALG_OP_ENCRYPT or ALG_OP_DECRYPT) over the
 * LEN bytes of IN, with IV, into OUT. Returns LEN, or -errno of the failing call.
 */
static inline long afalg_once(int tfm, unsigned int op, const unsigned char *iv,
			      unsigned int ivlen, const unsigned char *in, size_t len,
			      unsigned char *out)
{
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 64)] = { 0 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	struct af_alg_iv *aiv;
	struct iovec iov = { .iov_base = (void *)in, .iov_len = len };
	size_t done = 0;
	long ret;
	int opfd;

	if (ivlen > 64)
		return -EINVAL;
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0)
		return -errno;
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(4) + CMSG_SPACE(sizeof(*aiv) + ivlen);
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
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ret = sendmsg(opfd, &msg, 0);
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	if ((size_t)ret != len) {
		ret = -EMSGSIZE;
		goto out;
	}
	/* A zero-length request has nothing to read back. */
	while (done < len) {
		ret = read(opfd, out + done, len - done);
		if (ret <= 0) {
			ret = ret < 0 ? -errno : -EIO;
			goto out;
		}
		done += ret;
	}
	ret = len;
out:
	close(opfd);
	return ret;
}

#endif
