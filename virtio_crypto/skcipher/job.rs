// SPDX-License-Identifier: GPL-2.0

//! One cipher request on the device: the [`Job`] the skcipher algorithms place in their
//! requests' context memory.

use super::xts_steal::XtsSteal;
use crate::{
    kernel_api::{
        crypto::{
            skcipher::{Request, SkcipherType},
            soft_skcipher::SoftCipher,
        },
        job::Job,
        scatterlist::{DeviceWritable, SgTable},
        wire_bytes::bytes_of,
    },
    session::book::DeviceSession,
    wire::{DataRequest, Direction, InHdr, Le64, SymDataReq},
};
use kernel::{prelude::*, sync::Arc};

/// Largest IV any cipher uses, in bytes.
pub(crate) const MAX_IV_LEN: usize = 16;

/// The request's IV, zero-padded to [`MAX_IV_LEN`] bytes.
pub(crate) fn iv_block(req: &Request) -> [u8; MAX_IV_LEN] {
    let mut iv = [0u8; MAX_IV_LEN];
    for (dst, src) in iv.iter_mut().zip(req.iv()) {
        *dst = *src;
    }
    iv
}

/// Where the output IV (the chaining value the Crypto API hands back) comes from.
pub(crate) enum NextIv {
    /// The mode has no IV (ECB).
    None,
    /// The last `ivsize` bytes of the destination, read after the device finished
    /// (CBC encryption).
    LastDstBlock,
    /// A value computed before submission (CBC decryption: the last source block, saved
    /// before an in-place operation overwrites it).
    Value([u8; MAX_IV_LEN]),
}

/// A cipher operation, as an algorithm describes it to [`CipherJob::new`].
pub(crate) struct CipherOp {
    /// Encrypt or decrypt.
    pub(crate) dir: Direction,
    /// Device algorithm number.
    pub(crate) algo: u32,
    /// The key's session for `dir`; its id is read when the request goes to the ring, so
    /// a request that waited out a reset in the backlog carries the new id.
    pub(crate) session: Arc<DeviceSession>,
    /// How to produce the output IV.
    pub(crate) next_iv: NextIv,
    /// The device's unit (the cipher's block size): the device takes whole units only.
    pub(crate) unit: usize,
    /// What happens to a partial final unit.
    pub(crate) tail: Tail,
    /// The same key in software, for a request the device never answers.
    pub(crate) soft: Arc<SoftCipher>,
}

/// How a request whose length is not a whole number of units is completed.
pub(crate) enum Tail {
    /// The length is always whole units (the algorithm checked it).
    None,
    /// The partial unit travels zero-padded in a bounce block, and only its first bytes
    /// are copied back (stream modes: CTR).
    Pad,
    /// The device processes the first `device_len` bytes; XTS ciphertext stealing computes
    /// the rest in software when the device is done.
    Steal {
        /// Bytes the device processes (whole units).
        device_len: usize,
        /// The stealing step.
        steal: XtsSteal,
    },
}

/// One in-flight cipher request with every buffer the device reads or writes.
pub(crate) struct CipherJob {
    header: DataRequest<SymDataReq>,
    session: Arc<DeviceSession>,
    iv: [u8; MAX_IV_LEN],
    /// A partial final unit, zero-padded, for the device to read ([`Tail::Pad`]).
    tail_in: [u8; MAX_IV_LEN],
    /// The device's output for `tail_in`; its first `padded` bytes belong to the request.
    tail_out: DeviceWritable<[u8; MAX_IV_LEN]>,
    padded: usize,
    steal: Option<XtsSteal>,
    status: DeviceWritable<InHdr>,
    next_iv: NextIv,
    len: usize,
    /// Bytes the device processes (whole units) and the unit.
    whole: usize,
    unit: usize,
    dir: Direction,
    soft: Arc<SoftCipher>,
}

impl CipherJob {
    /// The job for `req` under `op`: the device sees whole units, a partial final unit goes
    /// zero-padded through the job's bounce block. Placed with its request by
    /// `Request::into_job`.
    pub(crate) fn new(op: CipherOp, req: &Request) -> Result<CipherJob> {
        let len = req.cryptlen();
        let ivsize = req.iv().len();
        if ivsize > MAX_IV_LEN || op.unit == 0 || op.unit > MAX_IV_LEN {
            return Err(EINVAL);
        }
        let partial = len.checked_rem(op.unit).ok_or(EINVAL)?;
        let (whole, padded, steal) = match op.tail {
            Tail::None if partial != 0 => return Err(EINVAL),
            Tail::None => (len, 0, None),
            Tail::Pad => (len - partial, partial, None),
            Tail::Steal { device_len, steal } if device_len <= len => (device_len, 0, Some(steal)),
            Tail::Steal { .. } => return Err(EINVAL),
        };
        let device_len = whole + if padded > 0 { op.unit } else { 0 };
        let device_len32 = u32::try_from(device_len).map_err(|_| EINVAL)?;
        let iv = iv_block(req);
        let mut tail_in = [0u8; MAX_IV_LEN];
        req.src()
            .copy_to_buffer(tail_in.get_mut(..padded).ok_or(EINVAL)?, whole)?;
        let header = DataRequest::cipher(op.dir, op.algo, 0, ivsize as u32, device_len32);
        Ok(CipherJob {
            header,
            session: op.session,
            iv,
            tail_in,
            tail_out: DeviceWritable::new([0; MAX_IV_LEN]),
            padded,
            steal,
            status: DeviceWritable::new(InHdr::unwritten()),
            next_iv: op.next_iv,
            len,
            whole,
            unit: op.unit,
            dir: op.dir,
            soft: op.soft,
        })
    }
}

impl Job for CipherJob {
    type Kind = SkcipherType;

    /// Request header, IV, source (and padded tail) to the device; destination (and padded
    /// tail) and status from it.
    fn segments<'a>(&'a self, req: &'a Request) -> Result<SgTable<'a>> {
        let whole = self.whole;
        let copies = req.src().entries_to_copy(whole)? + req.dst().entries_to_copy(whole)?;
        let ivsize = req.iv().len();
        // Header, IV, two tail blocks and status, plus what the lists need copied: inline
        // (no allocation) for everything but unusually fragmented requests.
        let mut sg = SgTable::new(5 + copies, GFP_ATOMIC)?;
        sg.push_out_buf(bytes_of(&self.header))?;
        if ivsize > 0 {
            sg.push_out_buf(self.iv.get(..ivsize).ok_or(EINVAL)?)?;
        }
        sg.push_out_list(req.src(), whole)?;
        if self.padded > 0 {
            sg.push_out_buf(self.tail_in.get(..self.unit).ok_or(EINVAL)?)?;
        }
        sg.push_in_list(req.dst(), whole)?;
        if self.padded > 0 {
            sg.push_in_writable(&self.tail_out, self.unit)?;
        }
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
        let tail = if self.padded > 0 { self.unit } else { 0 };
        self.whole + tail + core::mem::size_of::<InHdr>()
    }

    fn status_byte(&self) -> u8 {
        self.status.read().status
    }

    fn finish(self, mut req: Request, used_len: u32) -> bool {
        let mut result = self.status.read().result().map_err(Error::from_errno);
        if result.is_ok() && used_len == 0 {
            // The device claims success but wrote nothing, not even the status.
            result = Err(EIO);
        }
        let tail_out = self.tail_out.read();
        let CipherJob {
            next_iv,
            len,
            padded,
            steal,
            session,
            soft,
            ..
        } = self;
        if result.is_ok() && padded > 0 {
            result = req
                .dst()
                .copy_from_buffer(tail_out.get(..padded).unwrap_or(&[]), len - padded);
        }
        if let (Ok(()), Some(steal)) = (&result, &steal) {
            result = steal.finish(&mut req, len);
        }
        if result.is_ok() {
            result = store_next_iv(&mut req, next_iv, len);
        }
        let ok = result.is_ok();
        // Everything the job held goes before the submitter hears of it.
        drop((session, steal, soft));
        req.complete(result);
        ok
    }

    fn cancel(self, req: Request, err: Error) {
        let CipherJob {
            session,
            steal,
            soft,
            ..
        } = self;
        // Everything the job held goes before the submitter hears of it.
        drop((session, steal, soft));
        req.complete(Err(err));
    }

    /// Runs the whole request in software: the source, IV and length are as the submitter
    /// gave them (the device's output is not used, and the output IV is the software's);
    /// unless the device had it and its destination shares memory with its source.
    fn fall_back(self, mut req: Request, err: Error, was_on_ring: bool) -> bool {
        if was_on_ring && req.src().shares_memory_with(req.dst(), self.len) {
            self.cancel(req, err);
            return false;
        }
        let CipherJob {
            session,
            steal,
            soft,
            dir,
            ..
        } = self;
        drop((session, steal));
        let result = soft.crypt(&mut req, dir == Direction::Encrypt);
        drop(soft);
        let ok = result.is_ok();
        req.complete(result);
        ok
    }
}

fn store_next_iv(req: &mut Request, next_iv: NextIv, len: usize) -> Result {
    let ivsize = req.iv().len();
    let value = match next_iv {
        NextIv::None => return Ok(()),
        NextIv::Value(v) => v,
        NextIv::LastDstBlock => {
            let mut block = [0u8; MAX_IV_LEN];
            let start = len.checked_sub(ivsize).ok_or(EINVAL)?;
            req.dst()
                .copy_to_buffer(block.get_mut(..ivsize).ok_or(EINVAL)?, start)?;
            block
        }
    };
    for (dst, src) in req.iv_mut().iter_mut().zip(value.iter()) {
        *dst = *src;
    }
    Ok(())
}
