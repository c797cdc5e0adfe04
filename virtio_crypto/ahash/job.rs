// SPDX-License-Identifier: GPL-2.0

//! One digest on the device: the [`Job`] hash requests place in their context.

use super::state::RequestState;
use crate::{
    kernel_api::{
        crypto::ahash::{AhashType, HashContext, HashRequest},
        job::Job,
        scatterlist::{DeviceWritable, SgTable},
        wire_bytes::bytes_of,
    },
    session::book::DeviceSession,
    wire::{DataRequest, HashDataReq, HashService, InHdr, Le64},
};
use kernel::{prelude::*, sync::Arc};

pub(crate) use crate::session::hmac_key::MAX_DIGEST;

/// Where the message the device hashes is.
#[derive(Clone, Copy)]
pub(crate) enum Source {
    /// The request's own data (`nbytes` bytes of its scatterlist): a one-shot digest.
    Request(usize),
    /// The first bytes of the request's buffer: a multi-part message kept for the device.
    Buffer(usize),
}

impl Source {
    /// Bytes of message.
    pub(crate) fn len(self) -> usize {
        match self {
            Self::Request(len) | Self::Buffer(len) => len,
        }
    }
}

/// Moves a buffered message of `len` bytes into the request's software hash.
pub(crate) fn move_to_software(req: &mut impl HashContext<RequestState>, len: usize) -> Result {
    req.soft_init()?;
    req.soft_update_buffered(len)?;
    req.state_mut().set_software();
    Ok(())
}

/// Computes the digest of `source` in the request's software hash (the result goes to the
/// request).
pub(crate) fn digest_in_software(req: &mut HashRequest<RequestState>, source: Source) -> Result {
    match source {
        Source::Request(_) => req.soft_digest(),
        Source::Buffer(len) => move_to_software(req, len).and_then(|()| req.soft_final()),
    }
}

/// One in-flight digest with every buffer the device reads or writes.
pub(crate) struct HashJob {
    header: DataRequest<HashDataReq>,
    session: Arc<DeviceSession>,
    source: Source,
    result_len: usize,
    digest: DeviceWritable<[u8; MAX_DIGEST]>,
    status: DeviceWritable<InHdr>,
}

impl HashJob {
    /// The job for a digest of `source` on `session`, built in place by
    /// [`HashRequest::into_job`].
    pub(crate) fn new(
        service: HashService,
        algo: u32,
        session: Arc<DeviceSession>,
        source: Source,
        result_len: usize,
    ) -> Result<HashJob> {
        if result_len == 0 || result_len > MAX_DIGEST {
            return Err(EINVAL);
        }
        let src_len = u32::try_from(source.len()).map_err(|_| EINVAL)?;
        let header = DataRequest::hash(service, algo, 0, src_len, result_len as u32);
        Ok(HashJob {
            header,
            session,
            source,
            result_len,
            digest: DeviceWritable::new([0; MAX_DIGEST]),
            status: DeviceWritable::new(InHdr::unwritten()),
        })
    }
}

impl Job for HashJob {
    type Kind = AhashType<RequestState>;

    /// Request header and message to the device; digest and status from it.
    fn segments<'a>(&'a self, req: &'a HashRequest<RequestState>) -> Result<SgTable<'a>> {
        let src = match self.source {
            Source::Request(len) if len > 0 => Some(req.src().ok_or(EINVAL)?),
            _ => None,
        };
        let copies = match (self.source, src) {
            (Source::Request(len), Some(src)) => src.entries_to_copy(len)?,
            _ => 0,
        };
        // Header, message (one buffer), digest and status, plus what the list needs copied:
        // inline (no allocation) for everything but unusually fragmented requests.
        let mut sg = SgTable::new(4 + copies, GFP_ATOMIC)?;
        sg.push_out_buf(bytes_of(&self.header))?;
        match (self.source, src) {
            (Source::Request(len), Some(src)) => sg.push_out_list(src, len)?,
            (Source::Buffer(len), _) if len > 0 => sg.push_out_buf(req.buffered(len)?)?,
            // An empty message: no data segment.
            _ => {}
        }
        sg.push_in_writable(&self.digest, self.result_len)?;
        sg.push_in_writable(&self.status, core::mem::size_of::<InHdr>())?;
        Ok(sg)
    }

    fn prepare(&mut self) -> Result {
        self.header.header.session_id = Le64::new(self.session.id()?);
        Ok(())
    }

    fn data_len(&self) -> usize {
        self.source.len()
    }

    fn writable_len(&self) -> usize {
        self.result_len + core::mem::size_of::<InHdr>()
    }

    fn status_byte(&self) -> u8 {
        self.status.read().status
    }

    fn finish(self, mut req: HashRequest<RequestState>, used_len: u32) -> bool {
        let mut result = self.status.read().result().map_err(Error::from_errno);
        // The device says what it wrote (untrusted): success needs the whole digest and
        // the status.
        if result.is_ok() && (used_len as usize) < self.result_len + 1 {
            result = Err(EIO);
        }
        let digest = self.digest.read();
        let HashJob { session, .. } = self;
        if result.is_ok() {
            result = req.set_result(&digest);
        }
        let ok = result.is_ok();
        // Everything the job held goes before the submitter hears of it.
        drop(session);
        req.complete(result);
        ok
    }

    fn cancel(self, req: HashRequest<RequestState>, err: Error) {
        let HashJob { session, .. } = self;
        drop(session);
        req.complete(Err(err));
    }

    /// Computes the digest in the request's software hash, from the message as it was
    /// sent (the request's data, or the buffered multi-part message): the device writes
    /// only into the job.
    fn fall_back(
        self,
        mut req: HashRequest<RequestState>,
        _err: Error,
        _was_on_ring: bool,
    ) -> bool {
        let HashJob {
            session, source, ..
        } = self;
        drop(session);
        let result = digest_in_software(&mut req, source);
        req.soft_wipe();
        let ok = result.is_ok();
        req.complete(result);
        ok
    }
}
