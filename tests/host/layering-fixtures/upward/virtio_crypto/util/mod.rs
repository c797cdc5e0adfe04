pub(crate) fn class() {
    let _ = crate::lock_class!();
}
