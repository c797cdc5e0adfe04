pub(crate) use crate::device::{
    self,
    lock,
};
