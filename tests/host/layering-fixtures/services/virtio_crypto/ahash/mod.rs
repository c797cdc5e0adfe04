// SPDX-License-Identifier: GPL-2.0
pub(crate) mod job;
pub(crate) mod hmac_key;
