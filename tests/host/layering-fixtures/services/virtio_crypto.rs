// SPDX-License-Identifier: GPL-2.0
// Services coupled (akcipher: a service folder the check does not know by name).
