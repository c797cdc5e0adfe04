// SPDX-License-Identifier: GPL-2.0
pub(crate) fn class() {
    let _ = crate::lock_class!();
}
