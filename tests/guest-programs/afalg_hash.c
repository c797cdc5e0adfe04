// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_hash: the digest of stdin through AF_ALG, printed in hex (as
 * kcapi-dgst --hex does). KEYHEX makes it a keyed hash (hmac).
 *
 *   afalg_hash DRIVER [KEYHEX] < input
 *
 * Input up to 2 MiB, as one request; keys up to 1024 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afalg.h"

#define MAX_DATA (2 << 20)

int main(int argc, char **argv)
{
	unsigned char key[1024], digest[64], *in;
	unsigned int keylen = 0, b;
	ssize_t len = 0, n;
	const char *k;
	long ret, i;
	int tfm;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s DRIVER [KEYHEX] <in\n", argv[0]);
		return 2;
	}
	for (k = argc == 3 ? argv[2] : ""; k[0] && k[1] && keylen < sizeof(key); k += 2) {
		if (sscanf(k, "%2x", &b) != 1)
			break;
		key[keylen++] = b;
	}
	in = malloc(MAX_DATA);
	if (*k || !in) {
		fprintf(stderr, "bad key\n");
		return 2;
	}
	while ((n = read(0, in + len, MAX_DATA - len)) > 0)
		len += n;

	tfm = afalg_open_type("hash", argv[1], key, keylen, 0);
	if (tfm < 0) {
		fprintf(stderr, "%s: %s\n", argv[1],
			tfm == AFALG_NO_TFM ? "no such algorithm" : strerror(-tfm));
		return 1;
	}
	ret = afalg_digest(tfm, in, len, digest, sizeof(digest));
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	for (i = 0; i < ret; i++)
		printf("%02x", digest[i]);
	printf("\n");
	return 0;
}
