// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_stress: requests of random sizes through AF_ALG, each result checked
 * against a software implementation, until a time limit or a stop file.
 *
 *   afalg_stress [-r REOPEN] [-n COUNT] TYPE NAME REFERENCE KEYLEN IVLEN UNIT MAXLEN SECONDS [STOPFILE]
 *
 * TYPE is "skcipher", "hash" or "aead" (tag of 16 bytes, random associated
 * data of 0-32 bytes). NAME is what is tested (a generic name such as
 * "cbc(aes)" gets whatever implementation the kernel picks at bind time: ours
 * while a device serves it, software while none does); REFERENCE a software
 * driver of the same algorithm. Request lengths are random multiples of UNIT
 * up to MAXLEN (a hash: random lengths from 0). KEYLEN 0 is an unkeyed hash.
 * Every REOPEN requests (default 64; 1 for session churn: a new transform and
 * key for every request), and after any failure, both transforms are opened
 * again with a new random key. With -n it stops after COUNT requests.
 *
 * Each request of NAME is compared with REFERENCE (skcipher and aead: the
 * encryption, and the decryption of that ciphertext back to the plaintext).
 * Prints one line:
 *
 *   ops N errors E mismatches M reopens R unavailable U
 *
 * errors: requests (or key settings) of NAME that failed (the first few are
 * described on stderr with their errno); mismatches: wrong results (never
 * acceptable); unavailable: NAME could not be bound at all. Exits 0 when
 * errors and mismatches are both 0, else 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "afalg.h"

#define TAGLEN 16
#define MAX_AAD 32
#define MAX_REPORTED 10

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = (unsigned char)random();
}

struct counts {
	unsigned long ops, errors, mismatches, reopens, unavailable;
};

static void report(struct counts *c, const char *what, long err)
{
	if (c->errors + c->mismatches <= MAX_REPORTED)
		fprintf(stderr, "afalg_stress: %s: %s\n", what, err ? strerror((int)-err) : "wrong result");
}

/*
 * Counts one result of the tested transform: R < 0 is an error, else the LEN
 * bytes it produced (GOT) must equal WANT. Returns 0 when right, -1 after an
 * error (the caller opens the transforms again), 1 when wrong.
 */
static int judge(struct counts *c, const char *what, long r, const void *got, const void *want,
		 size_t len)
{
	if (r < 0) {
		c->errors++;
		report(c, what, r);
		return -1;
	}
	if (memcmp(got, want, len)) {
		c->mismatches++;
		report(c, what, 0);
		return 1;
	}
	return 0;
}

/* Stops the program when the software reference itself failed. */
static void reference_ok(long r)
{
	if (r < 0) {
		fprintf(stderr, "afalg_stress: reference failed: %ld\n", r);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *type, *name, *ref, *stopfile;
	unsigned int keylen, ivlen, unit, aead, hash;
	size_t maxlen;
	double seconds, end;
	unsigned char key[128], iv[64];
	unsigned char *in, *out, *expect, *back;
	struct counts c = { 0 };
	unsigned long reopen_every = 64, max_ops = 0;
	unsigned long since_open;
	int mine = -1, theirs = -1, opt;
	struct stat st;

	while ((opt = getopt(argc, argv, "r:n:")) != -1) {
		switch (opt) {
		case 'r':
			reopen_every = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			max_ops = strtoul(optarg, NULL, 0);
			break;
		default:
			return 2;
		}
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc < 9 || argc > 10 || reopen_every == 0) {
		fprintf(stderr,
			"usage: afalg_stress [-r REOPEN] [-n COUNT] TYPE NAME REFERENCE KEYLEN IVLEN UNIT MAXLEN SECONDS [STOPFILE]\n");
		return 2;
	}
	type = argv[1];
	name = argv[2];
	ref = argv[3];
	keylen = atoi(argv[4]);
	ivlen = atoi(argv[5]);
	unit = atoi(argv[6]);
	maxlen = strtoul(argv[7], NULL, 0);
	seconds = atof(argv[8]);
	stopfile = argc == 10 ? argv[9] : NULL;
	since_open = reopen_every;
	aead = !strcmp(type, "aead");
	hash = !strcmp(type, "hash");
	if (keylen > sizeof(key) || ivlen > sizeof(iv) || unit == 0 || maxlen < unit ||
	    (!aead && !hash && strcmp(type, "skcipher"))) {
		fprintf(stderr, "afalg_stress: bad arguments\n");
		return 2;
	}
	in = malloc(maxlen + MAX_AAD + TAGLEN);
	out = malloc(maxlen + MAX_AAD + TAGLEN);
	expect = malloc(maxlen + MAX_AAD + TAGLEN);
	back = malloc(maxlen + MAX_AAD + TAGLEN);
	if (!in || !out || !expect || !back)
		return 2;
	srandom(time(NULL) ^ getpid());
	end = now() + seconds;

	while (now() < end && !(stopfile && stat(stopfile, &st) == 0) &&
	       !(max_ops && c.ops >= max_ops)) {
		size_t len, outlen, aadlen = 0;
		long r1, r2;

		if (since_open >= reopen_every) {
			if (mine >= 0)
				close(mine);
			if (theirs >= 0)
				close(theirs);
			fill_random(key, keylen);
			mine = afalg_open_type(type, name, key, keylen, aead ? TAGLEN : 0);
			theirs = afalg_open_type(type, ref, key, keylen, aead ? TAGLEN : 0);
			since_open = 0;
			c.reopens++;
			if (theirs < 0) {
				fprintf(stderr, "afalg_stress: reference %s: %ld\n", ref, (long)theirs);
				return 2;
			}
			if (mine == AFALG_NO_TFM) {
				c.unavailable++;
				since_open = reopen_every;
				continue;
			}
			if (mine < 0) {
				report(&c, "setting the key", mine);
				c.errors++;
				since_open = reopen_every;
				continue;
			}
		}
		since_open++;
		len = hash ? (size_t)random() % (maxlen + 1) : unit * (1 + (size_t)random() % (maxlen / unit));
		fill_random(in, len + MAX_AAD);
		fill_random(iv, ivlen);
		c.ops++;
		if (hash) {
			r1 = afalg_digest(mine, in, len, out, 64);
			r2 = afalg_digest(theirs, in, len, expect, 64);
			reference_ok(r2 > 0 ? r2 : -EIO);
			/* A digest of another length is wrong: compare the reference's length. */
			if (r1 >= 0 && r1 != r2)
				memset(out, ~expect[0], (size_t)r2);
			if (judge(&c, "digest", r1, out, expect, (size_t)r2) < 0)
				since_open = reopen_every;
			continue;
		}
		if (aead)
			aadlen = (size_t)random() % (MAX_AAD + 1);
		outlen = aadlen + len + (aead ? TAGLEN : 0);
		r1 = afalg_op(mine, ALG_OP_ENCRYPT, iv, ivlen, aead ? (int)aadlen : -1, in,
			      aadlen + len, out, outlen);
		r2 = afalg_op(theirs, ALG_OP_ENCRYPT, iv, ivlen, aead ? (int)aadlen : -1, in,
			      aadlen + len, expect, outlen);
		reference_ok(r2);
		switch (judge(&c, "encryption", r1, out, expect, outlen)) {
		case -1:
			since_open = reopen_every;
			continue;
		case 1:
			continue;
		}
		r1 = afalg_op(mine, ALG_OP_DECRYPT, iv, ivlen, aead ? (int)aadlen : -1, expect,
			      outlen, back, aadlen + len);
		if (judge(&c, "decryption", r1, back, in, aadlen + len) < 0)
			since_open = reopen_every;
	}
	printf("ops %lu errors %lu mismatches %lu reopens %lu unavailable %lu\n", c.ops, c.errors,
	       c.mismatches, c.reopens, c.unavailable);
	return c.errors || c.mismatches ? 1 : 0;
}
