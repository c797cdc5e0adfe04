// SPDX-License-Identifier: GPL-2.0
/*
 * insmod_once: loads a kernel module with exactly one finit_module() call.
 *
 *   insmod_once MODULE.ko [PARAM=VALUE...]
 *
 * Busybox's insmod and modprobe retry with init_module() when finit_module()
 * fails for any reason, so a module that does its work in init and then fails
 * on purpose (tcrypt and tests/speed's vcrs_speed return -EAGAIN) runs twice.
 * This one does not retry. On failure it prints "insmod_once: <strerror>" and
 * exits 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t used = 0;
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: insmod_once MODULE.ko [PARAM=VALUE...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + used, sizeof(params) - used, "%s%s", used ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - used) {
			fprintf(stderr, "insmod_once: parameters too long\n");
			return 2;
		}
		used += n;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod_once: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, params, 0) != 0) {
		fprintf(stderr, "insmod_once: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
