// SPDX-License-Identifier: GPL-2.0

//! One asymmetric operation on the device: the [`Job`] akcipher requests place in their
//! context. The device reads a copy of the input (normalized to the key's size) and writes
//! into the job's own buffer; the result reaches the caller's destination only after it
//! is checked, in the layout the generic code gives it.

use super::rsa_math;
use crate::{
    kernel_api::{
        crypto::{
            akcipher::{AkcipherType, Request, SoftOp},
            rsa_key::{Modulus, MAX_MODULUS_BYTES},
        },
        errno,
        job::Job,
        scatterlist::{DeviceWritable, SgTable},
        wire_bytes::bytes_of,
    },
    session::book::DeviceSession,
    wire::{AkcipherDataReq, AkcipherOp, DataRequest, InHdr, Le64},
};
use kernel::{prelude::*, sync::Arc};

/// One in-flight RSA operation with every buffer the device reads or writes.
pub(crate) struct RsaJob {
    header: DataRequest<AkcipherDataReq>,
    session: Arc<DeviceSession>,
    op: SoftOp,
    /// The key's modulus: its size is the input's and the result's, and a result must be
    /// below it.
    modulus: Arc<Modulus>,
    input: [u8; MAX_MODULUS_BYTES],
    output: DeviceWritable<[u8; MAX_MODULUS_BYTES]>,
    status: DeviceWritable<InHdr>,
    /// A probe of the device: never served another way.
    probe: bool,
}

impl RsaJob {
    /// The job for `op` on `session`, whose key has `modulus`, with `input` (already the
    /// modulus' size, checked by the caller). A `probe` job fails where another would run
    /// in software.
    pub(crate) fn new(
        op: SoftOp,
        algo: u32,
        session: Arc<DeviceSession>,
        modulus: Arc<Modulus>,
        input: &[u8],
        probe: bool,
    ) -> Result<Self> {
        let k = modulus.bytes().len();
        if k == 0 || k > MAX_MODULUS_BYTES || input.len() != k {
            return Err(EINVAL);
        }
        let wire_op = match op {
            SoftOp::Encrypt => AkcipherOp::Encrypt,
            SoftOp::Decrypt => AkcipherOp::Decrypt,
            SoftOp::Verify => return Err(EINVAL),
        };
        let mut buf = [0u8; MAX_MODULUS_BYTES];
        buf.get_mut(..k).ok_or(EINVAL)?.copy_from_slice(input);
        Ok(Self {
            header: DataRequest::akcipher(wire_op, algo, 0, k as u32, k as u32),
            session,
            op,
            modulus,
            input: buf,
            output: DeviceWritable::new([0; MAX_MODULUS_BYTES]),
            status: DeviceWritable::new(InHdr::unwritten()),
            probe,
        })
    }

    /// The key's size in bytes.
    fn k(&self) -> usize {
        self.modulus.bytes().len()
    }

    /// Writes the device's checked result to the request's destination, as the generic
    /// code lays it out (nothing written unless all of it can be).
    fn deliver(&self, req: &Request, used_len: u32) -> Result {
        self.status.read().result().map_err(Error::from_errno)?;
        // The device says what it wrote (untrusted): the data queue passes a success on
        // only with every writable byte written (the whole key-sized result, then the
        // status); checked again here, since the copy below relies on it.
        if used_len as usize != self.writable_len() {
            return Err(EIO);
        }
        let mut output = self.output.read();
        let result = self.place(req, output.get(..self.k()).ok_or(EIO)?);
        crate::kernel_api::secret::wipe(&mut output);
        result
    }

    /// Places the result `value` (big-endian, the key's size) in the request's
    /// destination.
    fn place(&self, req: &Request, value: &[u8]) -> Result {
        let n = self.modulus.bytes();
        // A result is below the modulus; anything else is a wrong answer.
        if !rsa_math::below(value, n) {
            return Err(EIO);
        }
        let value = rsa_math::strip_leading_zeros(value);
        let dst_len = req.dst_len();
        let zeros = rsa_math::output_zeros(value, dst_len).map_err(|()| errno::eoverflow())?;
        let dst = req.dst().ok_or(EINVAL)?;
        // The whole destination exists before any of it is written (the generic code
        // checks the same, `sg_nents_for_len`).
        dst.nents_for_len(dst_len)?;
        dst.zero(0, zeros)?;
        dst.copy_from_buffer(value, zeros)
    }
}

impl Drop for RsaJob {
    fn drop(&mut self) {
        // The input and the output may be private (a signature's input before padding
        // was checked, a decryption's result).
        crate::kernel_api::secret::wipe(&mut self.input);
        crate::kernel_api::secret::wipe(self.output.get_mut());
    }
}

impl Job for RsaJob {
    type Kind = AkcipherType;

    /// Request header and input to the device; result and status from it.
    fn segments<'a>(&'a self, _req: &'a Request) -> Result<SgTable<'a>> {
        let k = self.k();
        let mut sg = SgTable::new(4, GFP_ATOMIC)?;
        sg.push_out_buf(bytes_of(&self.header))?;
        sg.push_out_buf(self.input.get(..k).ok_or(EINVAL)?)?;
        sg.push_in_writable(&self.output, k)?;
        sg.push_in_writable(&self.status, core::mem::size_of::<InHdr>())?;
        Ok(sg)
    }

    fn prepare(&mut self) -> Result {
        self.header.header.session_id = Le64::new(self.session.id()?);
        Ok(())
    }

    fn data_len(&self) -> usize {
        self.k()
    }

    fn writable_len(&self) -> usize {
        self.k() + core::mem::size_of::<InHdr>()
    }

    fn status_byte(&self) -> u8 {
        self.status.read().status
    }

    fn finish(self, req: Request, used_len: u32) -> bool {
        let result = self.deliver(&req, used_len);
        let ok = result.is_ok();
        // Everything the job held goes before the submitter hears of it.
        drop(self);
        req.complete(result);
        ok
    }

    fn cancel(self, req: Request, err: Error) {
        drop(self);
        req.complete(Err(err));
    }

    /// Runs the operation on the transform's software implementation: the device wrote
    /// only into the job, so the request's source is intact. A probe fails instead.
    fn fall_back(self, mut req: Request, err: Error, _was_on_ring: bool) -> bool {
        let (op, probe) = (self.op, self.probe);
        drop(self);
        let result = match probe {
            true => Err(err),
            false => req.run_in_software(op),
        };
        let ok = result.is_ok();
        req.complete(result);
        ok
    }
}
