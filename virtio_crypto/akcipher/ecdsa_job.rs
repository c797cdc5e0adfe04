// SPDX-License-Identifier: GPL-2.0

//! One ECDSA verification on the device: the [`Job`] its requests place in their
//! context. The device reads a copy of the signature and the digest and writes only the
//! status.

use crate::{
    kernel_api::{
        crypto::akcipher::{AkcipherType, Request, SoftOp},
        errno,
        job::Job,
        scatterlist::{DeviceWritable, SgTable},
        wire_bytes::bytes_of,
    },
    session::book::DeviceSession,
    wire::{AkcipherDataReq, AkcipherOp, DataRequest, InHdr, Le64, Status},
};
use kernel::{prelude::*, sync::Arc};

/// Room for a signature and its digest: a DER P-521 signature (at most 139 bytes) and a
/// SHA-512 digest, with room to spare.
pub(crate) const MAX_VERIFY_INPUT: usize = 256;

/// One in-flight verification.
pub(crate) struct EcdsaVerifyJob {
    header: DataRequest<AkcipherDataReq>,
    session: Arc<DeviceSession>,
    /// Signature, then digest.
    input: [u8; MAX_VERIFY_INPUT],
    len: usize,
    status: DeviceWritable<InHdr>,
}

impl EcdsaVerifyJob {
    /// The job verifying `sig` over `digest` on `session` (of device algorithm `algo`).
    pub(crate) fn new(
        algo: u32,
        session: Arc<DeviceSession>,
        sig: &[u8],
        digest: &[u8],
    ) -> Result<Self> {
        let len = sig.len().checked_add(digest.len()).ok_or(EINVAL)?;
        let mut input = [0u8; MAX_VERIFY_INPUT];
        let (s, d) = input.get_mut(..len).ok_or(EINVAL)?.split_at_mut(sig.len());
        s.copy_from_slice(sig);
        d.copy_from_slice(digest);
        Ok(Self {
            header: DataRequest::akcipher(
                AkcipherOp::Verify,
                algo,
                0,
                sig.len() as u32,
                digest.len() as u32,
            ),
            session,
            input,
            len,
            status: DeviceWritable::new(InHdr::unwritten()),
        })
    }

    /// The outcome the device reported, as the generic code would report it: a
    /// signature that does not verify is `-EKEYREJECTED` (the specification lets the
    /// device say `KEY_REJECTED` or `BADMSG`; both mean that here, since only well-formed,
    /// in-range signatures are sent).
    fn outcome(&self, used_len: u32) -> Result {
        if used_len < 1 {
            return Err(EIO);
        }
        match Status::from_raw(u32::from(self.status.read().status)) {
            Status::Ok => Ok(()),
            Status::KeyRejected | Status::BadMsg => Err(errno::ekeyrejected()),
            failure => Err(Error::from_errno(failure.to_errno())),
        }
    }
}

impl Job for EcdsaVerifyJob {
    type Kind = AkcipherType;

    /// Request header, signature and digest to the device; the status from it.
    fn segments<'a>(&'a self, _req: &'a Request) -> Result<SgTable<'a>> {
        let mut sg = SgTable::new(3, GFP_ATOMIC)?;
        sg.push_out_buf(bytes_of(&self.header))?;
        sg.push_out_buf(self.input.get(..self.len).ok_or(EINVAL)?)?;
        sg.push_in_writable(&self.status, core::mem::size_of::<InHdr>())?;
        Ok(sg)
    }

    fn prepare(&mut self) -> Result {
        self.header.header.session_id = Le64::new(self.session.id()?);
        Ok(())
    }

    fn data_len(&self) -> usize {
        self.len
    }

    fn writable_len(&self) -> usize {
        core::mem::size_of::<InHdr>()
    }

    fn status_byte(&self) -> u8 {
        self.status.read().status
    }

    fn finish(self, req: Request, used_len: u32) -> bool {
        let result = self.outcome(used_len);
        let ok = result.is_ok();
        drop(self);
        req.complete(result);
        ok
    }

    fn cancel(self, req: Request, err: Error) {
        drop(self);
        req.complete(Err(err));
    }

    /// Verifies in the generic code: the request's source is intact.
    fn fall_back(self, mut req: Request, _err: Error, _was_on_ring: bool) -> bool {
        drop(self);
        let result = req.run_in_software(SoftOp::Verify);
        let ok = result.is_ok();
        req.complete(result);
        ok
    }
}
