# SPDX-License-Identifier: GPL-2.0
# Builds virtio_crypto_rs.ko out of tree.
#   make                    against the project's cached guest kernel
#   make KDIR=/path/to/tree against any built, Rust-enabled 6.12 tree, or a 7.3
#                           tree (scripts/stock-kernel.sh prepares Debian's)
#   make CLIPPY=1           the same with clippy lints
#   make install            installs it into /lib/modules/<KDIR's release>/extra
#                           and runs depmod (INSTALL_MOD_PATH=DIR: under DIR)
#   make fmt                rustfmt with the kernel's settings
#   make host-test          host-side unit tests of the wire format
#   make clean

KDIR ?= $(shell scripts/build-kernel.sh --print-dir)
include scripts/kdir.mk

all: modules

# Objects record kernel headers by relative path, so objects built against another
# tree or configuration would look current: a stamp of both forces a clean build.
modules:
	@scripts/kdir-stamp.sh "$(KDIR)" .kdir-stamp || $(MAKE) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) modules
	@scripts/kdir-stamp.sh "$(KDIR)" .kdir-stamp --write

# The kernel's modules_install for this module: extra/ (the kernel's default for
# external modules is updates/), then depmod for that release, so that
# `modprobe virtio_crypto_rs` and udev (alias virtio:d00000014v*) find it.
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) INSTALL_MOD_DIR=extra modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) clean
	rm -f virtio_crypto/kernel_api/bindings_generated.rs .kdir-stamp

fmt:
	rustfmt --edition 2021 --config-path $(KDIR)/.rustfmt.toml virtio_crypto.rs tests/host/src/lib.rs

host-test:
	cargo test --quiet --manifest-path tests/host/Cargo.toml

.PHONY: all modules install clean fmt host-test
