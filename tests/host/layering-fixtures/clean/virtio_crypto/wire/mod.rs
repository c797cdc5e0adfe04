use crate::util::slots::Slots;
pub(crate) struct Config<'a>(&'a Slots);
