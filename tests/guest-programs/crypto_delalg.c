// SPDX-License-Identifier: GPL-2.0
/*
 * crypto_delalg: unregisters template instances (crypto_user's
 * CRYPTO_MSG_DELALG over NETLINK_CRYPTO, CAP_NET_ADMIN), by driver name.
 *
 *   crypto_delalg DRIVER...
 *
 * Only instances built from templates can go, and only while nothing uses
 * them (the kernel answers EINVAL, EBUSY, ENOENT otherwise). Tests use it to
 * drop the software instances (e.g. authenc(hmac(sha256-generic),cbc(aes-generic)))
 * that an earlier test instantiated as a reference, which would otherwise keep
 * answering later lookups by name. Prints "DRIVER: ok" or "DRIVER: <error>"
 * per name; exits with status 1 if any failed.
 */
#include <errno.h>
#include <linux/cryptouser.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int delalg(int fd, const char *driver)
{
	struct {
		struct nlmsghdr h;
		struct crypto_user_alg alg;
	} req;
	char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = CRYPTO_MSG_DELALG;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 1;
	if (strlen(driver) >= sizeof(req.alg.cru_driver_name))
		return -ENAMETOOLONG;
	strcpy(req.alg.cru_driver_name, driver);
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	if (n < (ssize_t)sizeof(*h) || h->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

int main(int argc, char **argv)
{
	int fd, i, err, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DRIVER...\n", argv[0]);
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_CRYPTO);
	if (fd < 0) {
		perror("NETLINK_CRYPTO");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		err = delalg(fd, argv[i]);
		printf("%s: %s\n", argv[i], err ? strerror(-err) : "ok");
		failed |= err != 0;
	}
	close(fd);
	return failed;
}
