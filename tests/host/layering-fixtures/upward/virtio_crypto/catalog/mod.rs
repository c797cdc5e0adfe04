// SPDX-License-Identifier: GPL-2.0
pub(crate) struct Catalog;
pub(crate) fn start() {
    crate::THIS_MODULE.get();
}
