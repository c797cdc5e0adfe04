// SPDX-License-Identifier: GPL-2.0
// Raw bindings outside kernel_api.
