// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_crypt: one skcipher operation through AF_ALG, on exactly the bytes
 * given (no padding, unlike kcapi-enc, which pads block-cipher input).
 *
 *   afalg_crypt DRIVER -e|-d KEYHEX IVHEX < input > output
 *
 * IVHEX may be "-" for modes without an IV. Input up to 2 MiB.
 */
#include <errno.h>
#include <linux/if_alg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif
#define MAX_DATA (2 << 20)

static int unhex(const char *s, unsigned char *out, int max)
{
	int n = 0;

	if (!strcmp(s, "-"))
		return 0;
	while (s[0] && s[1] && n < max) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return *s ? -1 : n;
}

int main(int argc, char **argv)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "skcipher" };
	unsigned char key[128], iv[64];
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 64)] = { 0 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	struct af_alg_iv *aiv;
	struct iovec iov;
	unsigned char *in, *out;
	int keylen, ivlen, tfm, opfd;
	ssize_t len = 0, n, done = 0;

	if (argc != 5 || (strcmp(argv[2], "-e") && strcmp(argv[2], "-d"))) {
		fprintf(stderr, "usage: %s DRIVER -e|-d KEYHEX IVHEX|- <in >out\n", argv[0]);
		return 2;
	}
	keylen = unhex(argv[3], key, sizeof(key));
	ivlen = unhex(argv[4], iv, sizeof(iv));
	in = malloc(MAX_DATA);
	out = malloc(MAX_DATA);
	if (keylen < 0 || ivlen < 0 || !in || !out) {
		fprintf(stderr, "bad key or IV\n");
		return 2;
	}
	while ((n = read(0, in + len, MAX_DATA - len)) > 0)
		len += n;

	strncpy((char *)sa.salg_name, argv[1], sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0) {
		perror(argv[1]);
		return 1;
	}
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0) {
		perror("accept");
		return 1;
	}
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(4) + CMSG_SPACE(sizeof(*aiv) + ivlen);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(4);
	*(unsigned int *)CMSG_DATA(cmsg) = strcmp(argv[2], "-e") ? ALG_OP_DECRYPT : ALG_OP_ENCRYPT;
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_IV;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*aiv) + ivlen);
	aiv = (struct af_alg_iv *)CMSG_DATA(cmsg);
	aiv->ivlen = ivlen;
	memcpy(aiv->iv, iv, ivlen);
	iov.iov_base = in;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	/* One request for the whole input: sendmsg may take it in parts. */
	n = sendmsg(opfd, &msg, 0);
	if (n != len) {
		fprintf(stderr, "sendmsg: %s (%zd of %zd)\n", n < 0 ? strerror(errno) : "short", n, len);
		return 1;
	}
	while (done < len) {
		n = read(opfd, out + done, len - done);
		if (n <= 0) {
			fprintf(stderr, "read: %s\n", n < 0 ? strerror(errno) : "end of data");
			return 1;
		}
		done += n;
	}
	if (write(1, out, len) != len)
		return 1;
	return 0;
}
