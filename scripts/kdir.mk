# SPDX-License-Identifier: GPL-2.0
# How to build against KDIR, for the Makefiles that build modules (the driver's,
# tests/kmod.mk). Set KDIR first.
# A tree prepared by scripts/stock-kernel.sh names its own toolchain in
# vcrs-toolchain.mk (rustc, bindgen, libclang, RUSTC_FORCE_RUSTC_VERSION): the
# module must be built with the compilers its Rust metadata was built with.
-include $(KDIR)/vcrs-toolchain.mk
# A tree compiled by clang (the project's 6.12 kernel) is built with LLVM=1;
# one compiled by gcc (Debian's stock kernels) without: its flags are gcc's.
VCRS_KMAKE_FLAGS ?= $(if $(shell grep -s '^CONFIG_CC_IS_CLANG=y' $(KDIR)/include/config/auto.conf),LLVM=1)
