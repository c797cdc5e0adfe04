// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_hash_parts: the digest of stdin through AF_ALG, sent in exact parts,
 * printed in hex (as afalg_hash and kcapi-dgst --hex do).
 *
 *   afalg_hash_parts [-r] [-c] DRIVER KEY PARTS < input
 *
 * KEY is the key in hex for a keyed hash (hmac, cmac, xcbc); "" sets a
 * zero-length key (a valid hmac key; afalg_hash cannot set one), "-" sets none.
 *
 * PARTS is a comma-separated list of part sizes in bytes; "NxS" stands for N
 * parts of S bytes and "*" (once) for the rest of the input. The sizes must
 * add up to the input's length. Each part is one send(): all but the last
 * with MSG_MORE, so the kernel sees one update() per part (init before the
 * first part with data), the last one without it: finup() on its data, or
 * final() when it is empty. A leading empty part starts nothing (algif_hash
 * ignores it); "0" alone is the empty message (init and final on the read).
 * One part with data and no MSG_MORE is the one-shot digest().
 * algif_hash feeds a send of more than 16 pages (64 KiB with 4 KiB pages) to
 * the transform as several update()s.
 *
 *   -r  the last part is sent with MSG_MORE too; the read() finalizes (final()).
 *   -c  after each part but the last, continue on a clone of the operation
 *       socket (accept() on it: the partial state is exported and imported
 *       into a new request) and close the old one.
 *
 * Errors: "DRIVER: <strerror>" on stderr, exit status 1 (2 for bad usage).
 * Input up to 4 MiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afalg.h"

#define MAX_DATA (4 << 20)
#define MAX_PARTS 65536
#define MAX_KEY 1024

static size_t parts[MAX_PARTS];

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-r] [-c] DRIVER KEYHEX|\"\"|- PARTS <in\n"
			"  PARTS: sizes separated by commas, NxS = N parts of S bytes, * = the rest\n",
		prog);
	return 2;
}

/* Parses PARTS for an input of LEN bytes into parts[]; returns the count, or -1. */
static long parse_parts(const char *spec, size_t len)
{
	size_t sum = 0, n, size;
	long count = 0, rest = -1;
	const char *p = spec;
	char *end;

	while (*p) {
		if (*p == '*') {
			if (rest >= 0 || count >= MAX_PARTS)
				return -1;
			rest = count++;
			end = (char *)p + 1;
		} else {
			n = 1;
			size = strtoul(p, &end, 10);
			if (end == p)
				return -1;
			if (*end == 'x') {
				n = size;
				p = end + 1;
				size = strtoul(p, &end, 10);
				if (end == p)
					return -1;
			}
			if (n > (size_t)(MAX_PARTS - count))
				return -1;
			while (n--) {
				parts[count++] = size;
				sum += size;
			}
		}
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		p = end;
	}
	if (rest >= 0) {
		if (sum > len)
			return -1;
		parts[rest] = len - sum;
		sum = len;
	}
	return count > 0 && sum == len ? count : -1;
}

static int fail(const char *driver, int err)
{
	fprintf(stderr, "%s: %s\n", driver, err == AFALG_NO_TFM ? "no such algorithm" : strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	unsigned char key[MAX_KEY], digest[128], *in;
	int read_final = 0, clone = 0, tfm, opfd, next, opt;
	const char *driver, *k;
	unsigned int keylen = 0, b;
	ssize_t len = 0, n, ret;
	size_t off = 0;
	long count, i;

	while ((opt = getopt(argc, argv, "rc")) != -1) {
		if (opt == 'r')
			read_final = 1;
		else if (opt == 'c')
			clone = 1;
		else
			return usage(argv[0]);
	}
	if (argc - optind != 3)
		return usage(argv[0]);
	driver = argv[optind];
	k = argv[optind + 1];
	if (strcmp(k, "-") != 0) {
		for (; k[0] && k[1] && keylen < sizeof(key); k += 2) {
			if (sscanf(k, "%2x", &b) != 1)
				break;
			key[keylen++] = b;
		}
		if (*k) {
			fprintf(stderr, "bad key\n");
			return 2;
		}
	}
	in = malloc(MAX_DATA);
	if (!in)
		return 2;
	while ((n = read(0, in + len, MAX_DATA - len)) > 0)
		len += n;
	count = parse_parts(argv[optind + 2], len);
	if (count < 0) {
		fprintf(stderr, "bad parts '%s' for %zd bytes of input\n", argv[optind + 2], len);
		return usage(argv[0]);
	}

	tfm = afalg_open_type("hash", driver, NULL, 0, 0);
	if (tfm < 0)
		return fail(driver, tfm == AFALG_NO_TFM ? AFALG_NO_TFM : -tfm);
	/* Also a zero-length key: afalg_open_type sets none then. */
	if (strcmp(argv[optind + 1], "-") != 0 &&
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, keylen ? key : NULL, keylen) < 0)
		return fail(driver, errno);
	opfd = accept(tfm, NULL, 0);
	if (opfd < 0)
		return fail(driver, errno);
	for (i = 0; i < count; i++) {
		int last = i == count - 1;

		ret = send(opfd, in + off, parts[i], last && !read_final ? 0 : MSG_MORE);
		if (ret < 0)
			return fail(driver, errno);
		if ((size_t)ret != parts[i])
			return fail(driver, EMSGSIZE);
		off += parts[i];
		if (clone && !last) {
			next = accept(opfd, NULL, 0);
			if (next < 0)
				return fail(driver, errno);
			close(opfd);
			opfd = next;
		}
	}
	ret = read(opfd, digest, sizeof(digest));
	if (ret < 0)
		return fail(driver, errno);
	for (i = 0; i < ret; i++)
		printf("%02x", digest[i]);
	printf("\n");
	close(opfd);
	close(tfm);
	free(in);
	return 0;
}
