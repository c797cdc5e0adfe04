// SPDX-License-Identifier: GPL-2.0

//! What a hash request keeps in its context between `init` and `final`: whether its
//! message is still buffered for the device (and how many bytes), or continues in software.
//! Plain `core` code, host-tested (`tests/host`).

/// Tag of a request buffering its message (none of the poison patterns testmgr writes).
const BUFFERING: u32 = 0x7663_6201;
/// Tag of a request whose message continues in the software hash's descriptor.
const SOFTWARE: u32 = 0x7663_6202;

/// A request's mode. The layer sets it to its default (no valid mode) when a message
/// starts, and [`Self::mode`] validates it all the same: a request used without `init` or
/// `import`, or one whose context another transform wrote, is refused.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RequestState {
    mode: u32,
    len: u32,
}

/// What [`RequestState`] says, validated.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// The first `n` bytes of the request's buffer are the message so far.
    Buffering(usize),
    /// The message so far is in the software hash's descriptor.
    Software,
}

impl RequestState {
    /// The mode, if the state is one [`Self::buffer`] or [`Self::set_software`] wrote
    /// with a buffer of `capacity` bytes; `None` for anything else (a request used without
    /// `init` or `import`).
    pub(crate) fn mode(&self, capacity: usize) -> Option<Mode> {
        match (self.mode, self.len as usize) {
            (BUFFERING, len) if len <= capacity => Some(Mode::Buffering(len)),
            (SOFTWARE, _) => Some(Mode::Software),
            _ => None,
        }
    }

    /// The message is the first `len` bytes of the buffer.
    pub(crate) fn buffer(&mut self, len: usize) {
        self.mode = BUFFERING;
        self.len = len as u32;
    }

    /// The message continues in software.
    pub(crate) fn set_software(&mut self) {
        self.mode = SOFTWARE;
        self.len = 0;
    }
}
