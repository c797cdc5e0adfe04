// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_bench: skcipher encryption throughput through AF_ALG.
 *
 *   afalg_bench DRIVER KEYLEN IVLEN SIZE SECONDS PROCS
 *
 * PROCS processes, each with its own transform (random key of KEYLEN bytes),
 * encrypt SIZE-byte requests one after the other for SECONDS. Prints the
 * totals as "OPS MB_PER_S" (MB = 10^6 bytes); exits non-zero if any request
 * failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "afalg.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One process's loop; writes "OPS SECONDS" to FD. Returns 0, or 1 on a failure. */
static int worker(const char *driver, int keylen, int ivlen, size_t size, double seconds, int fd)
{
	unsigned char key[64], iv[64] = { 0 };
	unsigned char *in = calloc(1, size), *out = malloc(size);
	double start, elapsed;
	long ops = 0;
	char line[64];
	int tfm, i, len;

	if (!in || !out || keylen > 64 || ivlen > 64)
		return 1;
	for (i = 0; i < keylen; i++)
		key[i] = rand();
	tfm = afalg_open(driver, key, keylen);
	if (tfm < 0)
		return 1;
	start = now();
	do {
		if (afalg_once(tfm, ALG_OP_ENCRYPT, iv, ivlen, in, size, out) != (long)size)
			return 1;
		ops++;
		elapsed = now() - start;
	} while (elapsed < seconds);
	len = snprintf(line, sizeof(line), "%ld %f\n", ops, elapsed);
	return write(fd, line, len) == len ? 0 : 1;
}

int main(int argc, char **argv)
{
	int keylen, ivlen, procs, i, status, failed = 0, fds[2];
	double seconds, total_bytes = 0, longest = 0;
	long total_ops = 0;
	size_t size;
	FILE *results;

	if (argc != 7) {
		fprintf(stderr, "usage: %s DRIVER KEYLEN IVLEN SIZE SECONDS PROCS\n", argv[0]);
		return 2;
	}
	keylen = atoi(argv[2]);
	ivlen = atoi(argv[3]);
	size = strtoul(argv[4], NULL, 0);
	seconds = atof(argv[5]);
	procs = atoi(argv[6]);
	if (size == 0 || procs < 1 || pipe(fds))
		return 2;
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			srand(getpid());
			_exit(worker(argv[1], keylen, ivlen, size, seconds, fds[1]));
		}
	}
	close(fds[1]);
	for (i = 0; i < procs; i++) {
		wait(&status);
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	results = fdopen(fds[0], "r");
	for (i = 0; i < procs && results; i++) {
		long ops;
		double elapsed;

		if (fscanf(results, "%ld %lf", &ops, &elapsed) != 2) {
			failed = 1;
			break;
		}
		total_ops += ops;
		total_bytes += (double)ops * size;
		if (elapsed > longest)
			longest = elapsed;
	}
	if (failed || longest <= 0) {
		fprintf(stderr, "afalg_bench: %s failed\n", argv[1]);
		return 1;
	}
	printf("%ld %.2f\n", total_ops, total_bytes / longest / 1e6);
	return 0;
}
