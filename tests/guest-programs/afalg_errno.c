// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_errno: checks through AF_ALG that a skcipher implementation rejects bad
 * input exactly as a reference implementation does.
 *
 *   afalg_errno DRIVER REFERENCE
 *
 * For each case (key lengths 0..65, data lengths that are not whole blocks,
 * empty data) it runs the operation on both and prints one line per mismatch.
 * Exit status 0 when every case gave the same result on both, 1 otherwise.
 */
#include <errno.h>
#include <linux/if_alg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

/* Returns 0 or -errno of ALG_SET_KEY with a key of keylen bytes. */
static int try_setkey(const char *driver, unsigned int keylen)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "skcipher" };
	unsigned char key[128];
	int tfm, ret = 0;

	memset(key, 0x5a, sizeof(key));
	strncpy((char *)sa.salg_name, driver, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(driver);
		return -1000;
	}
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0)
		ret = -errno;
	close(tfm);
	return ret;
}

/*
 * Encrypts (or decrypts) len bytes with a valid 16-byte key and a 16-byte IV.
 * Returns the number of bytes read back, or -errno of the failing call.
 */
static int try_crypt(const char *driver, int op, size_t len)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "skcipher" };
	unsigned char key[16], buf[256], out[256];
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 16)] = { 0 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	struct af_alg_iv *iv;
	struct iovec iov;
	int tfm, opfd, ret;

	memset(key, 0x11, sizeof(key));
	memset(buf, 0x22, sizeof(buf));
	strncpy((char *)sa.salg_name, driver, sizeof(sa.salg_name) - 1);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, sizeof(key)) < 0) {
		perror(driver);
		return -1000;
	}
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0) {
		ret = -errno;
		close(tfm);
		return ret;
	}
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_OP;
	cmsg->cmsg_len = CMSG_LEN(4);
	*(unsigned int *)CMSG_DATA(cmsg) = op;
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_ALG;
	cmsg->cmsg_type = ALG_SET_IV;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*iv) + 16);
	iv = (struct af_alg_iv *)CMSG_DATA(cmsg);
	iv->ivlen = 16;
	memset(iv->iv, 0x33, 16);
	iov.iov_base = buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (sendmsg(opfd, &msg, 0) < 0) {
		ret = -errno;
	} else {
		ret = read(opfd, out, len);
		if (ret < 0)
			ret = -errno;
	}
	close(opfd);
	close(tfm);
	return ret;
}

int main(int argc, char **argv)
{
	static const size_t lens[] = { 0, 1, 15, 17, 31, 33, 100, 255 };
	const char *drv, *ref;
	int mismatches = 0, cases = 0;
	unsigned int k, i, op;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DRIVER REFERENCE\n", argv[0]);
		return 2;
	}
	drv = argv[1];
	ref = argv[2];
	for (k = 0; k <= 65; k++) {
		int a = try_setkey(drv, k), b = try_setkey(ref, k);

		cases++;
		if (a != b) {
			printf("setkey(%u bytes): %s gives %d, %s gives %d\n", k, drv, a, ref, b);
			mismatches++;
		}
	}
	for (op = ALG_OP_DECRYPT; op <= ALG_OP_ENCRYPT; op++) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			int a = try_crypt(drv, op, lens[i]), b = try_crypt(ref, op, lens[i]);

			cases++;
			if (a != b) {
				printf("%s %zu bytes: %s gives %d, %s gives %d\n",
				       op == ALG_OP_ENCRYPT ? "encrypt" : "decrypt", lens[i],
				       drv, a, ref, b);
				mismatches++;
			}
		}
	}
	printf("afalg_errno: %d cases, %d mismatches\n", cases, mismatches);
	return mismatches ? 1 : 0;
}
