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
#include <stdio.h>
#include <string.h>

#include "afalg.h"

/* Returns 0 or -errno of ALG_SET_KEY with a key of keylen bytes. */
static int try_setkey(const char *driver, unsigned int keylen)
{
	unsigned char key[128];
	int tfm;

	memset(key, 0x5a, sizeof(key));
	tfm = afalg_open(driver, key, keylen);
	if (tfm < 0)
		return tfm;
	close(tfm);
	return 0;
}

/*
 * Encrypts (or decrypts) len bytes with a valid 16-byte key and a 16-byte IV.
 * Returns the number of bytes read back, or -errno of the failing call.
 */
static long try_crypt(const char *driver, unsigned int op, size_t len)
{
	unsigned char key[16], iv[16], buf[256], out[256];
	long ret;
	int tfm;

	memset(key, 0x11, sizeof(key));
	memset(iv, 0x33, sizeof(iv));
	memset(buf, 0x22, sizeof(buf));
	tfm = afalg_open(driver, key, sizeof(key));
	if (tfm < 0)
		return tfm;
	ret = afalg_once(tfm, op, iv, sizeof(iv), buf, len, out);
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
			long a = try_crypt(drv, op, lens[i]), b = try_crypt(ref, op, lens[i]);

			cases++;
			if (a != b) {
				printf("%s %zu bytes: %s gives %ld, %s gives %ld\n",
				       op == ALG_OP_ENCRYPT ? "encrypt" : "decrypt", lens[i],
				       drv, a, ref, b);
				mismatches++;
			}
		}
	}
	printf("afalg_errno: %d cases, %d mismatches\n", cases, mismatches);
	return mismatches ? 1 : 0;
}
