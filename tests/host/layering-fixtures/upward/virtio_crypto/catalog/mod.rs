pub(crate) struct Catalog;
pub(crate) fn start() {
    crate::THIS_MODULE.get();
}
