pub(crate) mod job;
