# SPDX-License-Identifier: GPL-2.0
# Rules shared by the test modules' Makefiles (tests/simdev, tests/speed):
# builds the folder's Kbuild against the same kernel as the driver, from clean
# whenever KDIR differs from the last build.
KDIR ?= $(shell ../../scripts/build-kernel.sh --print-dir)
include ../../scripts/kdir.mk

all:
	@../../scripts/kdir-stamp.sh "$(KDIR)" .kdir-stamp || $(MAKE) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) modules
	@../../scripts/kdir-stamp.sh "$(KDIR)" .kdir-stamp --write

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(VCRS_KMAKE_FLAGS) clean
	rm -f .kdir-stamp

.PHONY: all clean
