// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_crypt: one skcipher or aead operation through AF_ALG, on exactly the
 * bytes given (no padding, unlike kcapi-enc, which pads block-cipher input).
 *
 *   afalg_crypt DRIVER -e|-d KEYHEX IVHEX [AUTHSIZE ASSOCLEN] < input > output
 *
 * IVHEX may be "-" for modes without an IV. Input up to 2 MiB. With AUTHSIZE
 * and ASSOCLEN, DRIVER is an aead: the input starts with ASSOCLEN bytes of
 * associated data, and the output is what AF_ALG gives (the associated data,
 * then the ciphertext and AUTHSIZE bytes of tag, or the plaintext).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afalg.h"

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
	unsigned char key[128], iv[64];
	unsigned char *in, *out;
	int keylen, ivlen, tfm, enc, authsize = 0, assoclen = -1;
	ssize_t len = 0, outlen, n;
	long ret;

	if ((argc != 5 && argc != 7) || (strcmp(argv[2], "-e") && strcmp(argv[2], "-d"))) {
		fprintf(stderr, "usage: %s DRIVER -e|-d KEYHEX IVHEX|- [AUTHSIZE ASSOCLEN] <in >out\n",
			argv[0]);
		return 2;
	}
	enc = !strcmp(argv[2], "-e");
	if (argc == 7) {
		authsize = atoi(argv[5]);
		assoclen = atoi(argv[6]);
	}
	keylen = unhex(argv[3], key, sizeof(key));
	ivlen = unhex(argv[4], iv, sizeof(iv));
	in = malloc(MAX_DATA);
	out = malloc(MAX_DATA + 64);
	if (keylen < 0 || ivlen < 0 || !in || !out) {
		fprintf(stderr, "bad key or IV\n");
		return 2;
	}
	while ((n = read(0, in + len, MAX_DATA - len)) > 0)
		len += n;

	/* An aead's output gains the tag (encryption) or loses it (decryption). */
	outlen = len + (assoclen < 0 ? 0 : enc ? authsize : -authsize);
	if (outlen < 0) {
		fprintf(stderr, "input shorter than the tag\n");
		return 2;
	}
	tfm = afalg_open_type(assoclen < 0 ? "skcipher" : "aead", argv[1], key, keylen, authsize);
	if (tfm < 0) {
		fprintf(stderr, "%s: %s\n", argv[1],
			tfm == AFALG_NO_TFM ? "no such algorithm" : strerror(-tfm));
		return 1;
	}
	/* One request for the whole input. */
	ret = afalg_op(tfm, enc ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT, iv, ivlen, assoclen, in, len,
		       out, outlen);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	return write(1, out, outlen) == outlen ? 0 : 1;
}
