# SPDX-License-Identifier: GPL-2.0
# Builds virtio_crypto_rs.ko out of tree.
#   make                    against the project's cached guest kernel
#   make KDIR=/path/to/tree against any built, Rust-enabled 6.12 tree
#   make CLIPPY=1           the same with clippy lints
#   make fmt                rustfmt with the kernel's settings
#   make host-test          host-side unit tests of the wire format
#   make clean

KDIR ?= $(shell scripts/build-kernel.sh --print-dir)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) LLVM=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) LLVM=1 clean
	rm -f virtio_crypto/sys/bindings_generated.rs

fmt:
	rustfmt --edition 2021 --config-path $(KDIR)/.rustfmt.toml virtio_crypto.rs tests/host/src/lib.rs

host-test:
	cargo test --quiet --manifest-path tests/host/Cargo.toml

.PHONY: all modules clean fmt host-test
