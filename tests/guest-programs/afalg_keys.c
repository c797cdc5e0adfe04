// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_keys: COUNT transforms of the skcipher DRIVER keyed at once, each with
 * a random key of KEYLEN bytes, and kept open: every one encrypts 64 random
 * bytes with a random IV once, checked against REFERENCE (a software
 * implementation) with the same key, IV and data. While all are still open,
 * COMMAND (if given) runs through sh -c, e.g. to read the driver's debugfs.
 *
 *   afalg_keys DRIVER REFERENCE COUNT KEYLEN [COMMAND]
 *
 * Prints a summary line; exits 0 only when all COUNT were keyed and correct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>

#include "afalg.h"

#define MAX_TFMS 4096
#define DATA 64

static void random_bytes(unsigned char *buf, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, buf, len) != (ssize_t)len) {
		perror("/dev/urandom");
		exit(2);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	static int tfm[MAX_TFMS];
	unsigned char key[64], iv[16], in[DATA], out[DATA], ref[DATA];
	int count, keylen, i, r, keyed = 0, correct = 0;
	char first[160] = "none";
	long ret;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s DRIVER REFERENCE COUNT KEYLEN [COMMAND]\n", argv[0]);
		return 2;
	}
	count = atoi(argv[3]);
	keylen = atoi(argv[4]);
	if (count < 1 || count > MAX_TFMS || keylen < 1 || keylen > (int)sizeof(key)) {
		fprintf(stderr, "bad COUNT or KEYLEN\n");
		return 2;
	}
	for (i = 0; i < count; i++) {
		/* Random keys of 16 bytes or more: distinct for all practical purposes. */
		random_bytes(key, keylen);
		random_bytes(iv, sizeof(iv));
		random_bytes(in, sizeof(in));
		tfm[i] = afalg_open(argv[1], key, keylen);
		if (tfm[i] < 0) {
			if (!strcmp(first, "none"))
				snprintf(first, sizeof(first), "setkey of transform %d: %s", i + 1,
					 tfm[i] == AFALG_NO_TFM ? "no such algorithm" : strerror(-tfm[i]));
			continue;
		}
		keyed++;
		ret = afalg_once(tfm[i], ALG_OP_ENCRYPT, iv, sizeof(iv), in, sizeof(in), out);
		r = afalg_open(argv[2], key, keylen);
		if (ret == DATA && r >= 0 &&
		    afalg_once(r, ALG_OP_ENCRYPT, iv, sizeof(iv), in, sizeof(in), ref) == DATA &&
		    !memcmp(out, ref, DATA)) {
			correct++;
		} else if (!strcmp(first, "none")) {
			snprintf(first, sizeof(first), "encryption on transform %d: %s", i + 1,
				 ret < 0 ? strerror(-ret) : r < 0 ? "no reference" : "differs from reference");
		}
		if (r >= 0)
			close(r);
	}
	fflush(stdout);
	if (argc == 6 && system(argv[5]) != 0)
		fprintf(stderr, "command failed: %s\n", argv[5]);
	printf("afalg_keys: %d of %d keyed, %d correct; first error: %s\n", keyed, count, correct,
	       first);
	for (i = 0; i < count; i++)
		if (tfm[i] >= 0)
			close(tfm[i]);
	return correct == count ? 0 : 1;
}
