pub(crate) struct Slots;
