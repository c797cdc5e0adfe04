// SPDX-License-Identifier: GPL-2.0
pub(crate) mod job;
