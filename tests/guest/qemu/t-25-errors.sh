# SPDX-License-Identifier: GPL-2.0
# Bad input gets the same errno as the kernel's generic implementation: key
# lengths 0..65, data lengths that are not whole blocks, empty requests.

check errors-match-generic afalg_errno cbc-aes-virtio-rs "cbc(aes-generic)"
