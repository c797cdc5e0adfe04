// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_aead: one exact AEAD request through AF_ALG, for comparing an
 * implementation (bound by algorithm or driver name) with another.
 *
 *   afalg_aead [-e|-d] [-k KEYHEX|-K KEYFILE] -t AUTHSIZE [-a ASSOCLEN]
 *              [-i IVHEX] [-x INHEX|-f INFILE] [-F OFFSET] [-o OUTFILE] DRIVER
 *
 *   -e, -d  encrypt (the default) or decrypt
 *   -k, -K  the key, in hex or from a file; "" is a zero-length key, which is
 *           set too (for authenc the key is the rtattr blob: see authenc_key
 *           in tests/guest/lib.sh). Without either no key is set.
 *   -t      the tag length (ALG_SET_AEAD_AUTHSIZE, also 0); required: the
 *           output's length depends on it, and one read must take exactly
 *           the request's output (a longer read would start another request)
 *   -a      the associated data's length (default 0)
 *   -i      the IV in hex: exactly the algorithm's IV size (AF_ALG refuses
 *           others); without it the IV is all zeros
 *   -x, -f  the input, in hex or from a file ("-": stdin, the default): the
 *           associated data, then the plaintext (encryption) or the
 *           ciphertext and tag (decryption)
 *   -F      flips the lowest bit of input byte OFFSET before sending (a
 *           negative OFFSET counts from the end: -1 is the tag's last byte)
 *   -o      writes the output in binary to OUTFILE instead of hex to stdout
 *
 * The output is what AF_ALG returns: the associated data, then the ciphertext
 * and tag (encryption) or the plaintext (decryption). The whole input goes in
 * one sendmsg() and the whole output comes back in one read(): one request
 * (the socket buffers are raised so that inputs of several MiB fit).
 *
 * On failure it prints the errno's name on stdout (EBADMSG: the tag did not
 * verify), followed by " at bind", " at setkey" or " at setauthsize" when the
 * step that failed was not the operation itself, the details on stderr, and
 * exits with status 1 (2: bad usage).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afalg.h"

#define MAX_DATA (8 << 20)
#define MAX_KEY 1024

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },	{ EIO, "EIO" },
	{ E2BIG, "E2BIG" },	    { EBADF, "EBADF" },		{ EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },	    { EFAULT, "EFAULT" },	{ EBUSY, "EBUSY" },
	{ ENODEV, "ENODEV" },	    { EINVAL, "EINVAL" },	{ ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" },	    { ENOSYS, "ENOSYS" },	{ EMSGSIZE, "EMSGSIZE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOKEY, "ENOKEY" },	{ EKEYREJECTED, "EKEYREJECTED" },
	{ EBADMSG, "EBADMSG" },	    { EOVERFLOW, "EOVERFLOW" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ECANCELED, "ECANCELED" }, { ESHUTDOWN, "ESHUTDOWN" }, { EINPROGRESS, "EINPROGRESS" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" },
};

static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	/* Kernel-internal values (ENOTSUPP 524...) must never reach user space: show them. */
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-e|-d] [-k KEYHEX|-K KEYFILE] -t AUTHSIZE [-a ASSOCLEN] [-i IVHEX]\n"
		"          [-x INHEX|-f INFILE] [-F OFFSET] [-o OUTFILE] DRIVER\n",
		prog);
	return 2;
}

/* Decodes HEX into out (at most max bytes); returns the length, or -1. */
static long unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (s[0] && s[1] && n < max) {
		if (sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return *s ? -1 : (long)n;
}

/* Reads all of fd into buf (max bytes); returns the length, or -1 (also when it does not fit). */
static long read_all(int fd, unsigned char *buf, size_t max)
{
	size_t len = 0;
	ssize_t n;
	char extra;

	while (len < max && (n = read(fd, buf + len, max - len)) > 0)
		len += n;
	if (n < 0 || (len == max && read(fd, &extra, 1) > 0))
		return -1;
	return len;
}

static long read_file(const char *path, unsigned char *buf, size_t max)
{
	long len;
	int fd;

	if (!strcmp(path, "-"))
		return read_all(0, buf, max);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read_all(fd, buf, max);
	close(fd);
	return len;
}

/* Reports a failed step: the errno's name on stdout, details on stderr. */
static int failed(const char *driver, const char *step, int err)
{
	fprintf(stderr, "%s: %s: %s\n", driver, step ? step : "operation", strerror(err));
	printf("%s%s%s\n", errname(err), step ? " at " : "", step ? step : "");
	return 1;
}

/* Raises the socket's buffers so that one send and one read carry the whole request. */
static void raise_buffers(int fd, size_t bytes)
{
	int size = bytes > (1 << 30) ? 1 << 30 : (int)bytes;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

int main(int argc, char **argv)
{
	const char *keyhex = NULL, *keyfile = NULL, *ivhex = NULL, *inhex = NULL, *infile = "-";
	const char *outfile = NULL, *driver;
	unsigned char key[MAX_KEY], iv[64], *in, *out;
	long keylen = -1, ivlen = 0, inlen, flip = 0;
	int enc = 1, authsize = -1, assoclen = 0, have_flip = 0, opt, tfm, opfd;
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "aead" };
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 64) + CMSG_SPACE(4)] = { 0 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	struct af_alg_iv *aiv;
	struct iovec iov;
	ssize_t outlen, n, done = 0;
	long i;

	while ((opt = getopt(argc, argv, "edk:K:t:a:i:x:f:F:o:")) != -1) {
		switch (opt) {
		case 'e': enc = 1; break;
		case 'd': enc = 0; break;
		case 'k': keyhex = optarg; break;
		case 'K': keyfile = optarg; break;
		case 't': authsize = atoi(optarg); break;
		case 'a': assoclen = atoi(optarg); break;
		case 'i': ivhex = optarg; break;
		case 'x': inhex = optarg; break;
		case 'f': infile = optarg; break;
		case 'F': flip = strtol(optarg, NULL, 0); have_flip = 1; break;
		case 'o': outfile = optarg; break;
		default: return usage(argv[0]);
		}
	}
	if (argc - optind != 1 || authsize < 0 || assoclen < 0)
		return usage(argv[0]);
	driver = argv[optind];

	if (keyhex)
		keylen = unhex(keyhex, key, sizeof(key));
	else if (keyfile)
		keylen = read_file(keyfile, key, sizeof(key));
	if ((keyhex || keyfile) && keylen < 0) {
		fprintf(stderr, "bad key\n");
		return 2;
	}
	if (ivhex && (ivlen = unhex(ivhex, iv, sizeof(iv))) < 0) {
		fprintf(stderr, "bad IV\n");
		return 2;
	}
	in = malloc(MAX_DATA);
	out = malloc(MAX_DATA + 1024);
	if (!in || !out)
		return 2;
	inlen = inhex ? unhex(inhex, in, MAX_DATA) : read_file(infile, in, MAX_DATA);
	if (inlen < 0) {
		fprintf(stderr, "bad input (hex, unreadable or over %d bytes)\n", MAX_DATA);
		return 2;
	}
	if (have_flip) {
		if (flip < 0)
			flip += inlen;
		if (flip < 0 || flip >= inlen) {
			fprintf(stderr, "-F %ld outside the %ld input bytes\n", flip, inlen);
			return 2;
		}
		in[flip] ^= 1;
	}

	strncpy((char *)sa.salg_name, driver, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return failed(driver, "socket", errno);
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return failed(driver, "bind", errno);
	if (keylen >= 0 && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, keylen ? key : NULL, keylen) < 0)
		return failed(driver, "setkey", errno);
	if (setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, authsize) < 0)
		return failed(driver, "setauthsize", errno);
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0)
		return failed(driver, "accept", errno);
	raise_buffers(opfd, 2 * (size_t)inlen + (1 << 20));

	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(4) + (ivhex ? CMSG_SPACE(sizeof(*aiv) + ivlen) : 0) +
			     CMSG_SPACE(4);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(4);
	*(unsigned int *)CMSG_DATA(cmsg) = enc ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	if (ivhex) {
		cmsg = CMSG_NXTHDR(&msg, cmsg);
		cmsg->cmsg_level = SOL_ALG;
		cmsg->cmsg_type = ALG_SET_IV;
		cmsg->cmsg_len = CMSG_LEN(sizeof(*aiv) + ivlen);
		aiv = (struct af_alg_iv *)CMSG_DATA(cmsg);
		aiv->ivlen = ivlen;
		memcpy(aiv->iv, iv, ivlen);
	}
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	cmsg->cmsg_len = CMSG_LEN(4);
	*(unsigned int *)CMSG_DATA(cmsg) = assoclen;
	iov.iov_base = in;
	iov.iov_len = inlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	n = sendmsg(opfd, &msg, 0);
	if (n < 0)
		return failed(driver, "sendmsg", errno);
	if (n != inlen)
		return failed(driver, "sendmsg", EMSGSIZE);

	/*
	 * The output: the input plus the tag (encryption) or minus it (decryption), in
	 * one read (one request). A request without output cannot run through AF_ALG
	 * (a read of nothing starts none): refused as bad usage.
	 */
	outlen = inlen + (enc ? authsize : -authsize);
	if (outlen <= 0) {
		fprintf(stderr, "%s: no output to read (input %ld, tag %d)\n", driver, inlen, authsize);
		return 2;
	}
	n = read(opfd, out, outlen);
	if (n < 0)
		return failed(driver, NULL, errno);
	done = n;
	if (done != outlen) {
		fprintf(stderr, "%s: read %zd of %zd bytes\n", driver, done, outlen);
		printf("SHORT\n");
		return 1;
	}
	if (outfile) {
		int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || write(fd, out, done) != done) {
			perror(outfile);
			return 1;
		}
		close(fd);
	} else {
		for (i = 0; i < done; i++)
			printf("%02x", out[i]);
		printf("\n");
	}
	close(opfd);
	close(tfm);
	free(in);
	free(out);
	return 0;
}
