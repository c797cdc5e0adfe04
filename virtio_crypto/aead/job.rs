// SPDX-License-Identifier: GPL-2.0

//! One AEAD request on the device: the [`Job`] the aead algorithms place in their
//! requests' context memory, in the AEAD service's layout or algorithm chaining's.
//!
//! The buffers of each layout are described in [`super::layout`]. A chained decryption's
//! MAC goes to the job and is compared with the request's tag here. A decryption that fails for any reason (tag mismatch included) zeroes the plaintext
//! area of the destination: nothing the device wrote can pass for verified data.

use super::layout::{Layout, Regions, MAX_NONCE};
use crate::{
    kernel_api::{
        crypto::{
            aead::{AeadType, Request},
            soft_aead::SoftAead,
        },
        errno,
        job::Job,
        scatterlist::{DeviceWritable, SgTable},
        secret,
        wire_bytes::bytes_of,
    },
    session::book::DeviceSession,
    wire::{AeadDataReq, ChainDataReq, ChainLens, DataRequest, Direction, InHdr, Le64},
};
use kernel::{prelude::*, sync::Arc};

/// Largest tag (an HMAC-SHA512 digest), in bytes.
pub(crate) const MAX_TAG: usize = 64;

/// An AEAD operation, as an algorithm describes it to [`AeadJob::new`].
pub(crate) struct AeadOp {
    /// Encrypt or decrypt.
    pub(crate) dir: Direction,
    /// Which operation carries it.
    pub(crate) layout: Layout,
    /// The device's algorithm number (chaining: the cipher's).
    pub(crate) algo: u32,
    /// The device's nonce (or IV) and its length.
    pub(crate) nonce: ([u8; MAX_NONCE], usize),
    /// The key's session for `dir` and the request's tag length; its id is read when the
    /// request goes to the ring.
    pub(crate) session: Arc<DeviceSession>,
    /// The same key and tag length in software, for a request the device never answers.
    pub(crate) soft: Arc<SoftAead>,
}

/// The request header, in the layout's format.
enum Header {
    Aead(DataRequest<AeadDataReq>),
    Chain(DataRequest<ChainDataReq>),
}

impl Header {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Aead(h) => bytes_of(h),
            Self::Chain(h) => bytes_of(h),
        }
    }

    fn set_session(&mut self, id: u64) {
        match self {
            Self::Aead(h) => h.header.session_id = Le64::new(id),
            Self::Chain(h) => h.header.session_id = Le64::new(id),
        }
    }
}

/// One in-flight AEAD request with every buffer the device reads or writes.
pub(crate) struct AeadJob {
    header: Header,
    session: Arc<DeviceSession>,
    nonce: [u8; MAX_NONCE],
    nonce_len: usize,
    regions: Regions,
    /// The request's tag, read before submission (chained decryption).
    expected: [u8; MAX_TAG],
    /// The MAC the device computed (chained decryption).
    computed: DeviceWritable<[u8; MAX_TAG]>,
    status: DeviceWritable<InHdr>,
    dir: Direction,
    soft: Arc<SoftAead>,
}

impl AeadJob {
    /// The job for `req` under `op`, placed with its request by `Request::into_job`.
    pub(crate) fn new(op: AeadOp, req: &Request) -> Result<AeadJob> {
        let (assoclen, cryptlen, tag) = (req.assoclen(), req.cryptlen(), req.authsize());
        if tag > MAX_TAG {
            return Err(EINVAL);
        }
        let regions = Regions::new(op.layout, op.dir, assoclen, cryptlen, tag).ok_or(EINVAL)?;
        let (nonce, nonce_len) = op.nonce;
        let u32_of = |v: usize| u32::try_from(v).map_err(|_| EINVAL);
        let header = match op.layout {
            Layout::Aead { .. } => Header::Aead(DataRequest::aead(
                op.dir,
                op.algo,
                0,
                u32_of(nonce_len)?,
                u32_of(regions.aad)?,
                u32_of(regions.src)?,
                u32_of(regions.dst)?,
            )),
            Layout::Chain => Header::Chain(DataRequest::chain(
                op.dir,
                op.algo,
                0,
                ChainLens {
                    iv_len: u32_of(nonce_len)?,
                    len: u32_of(regions.src)?,
                    cipher_start: u32_of(assoclen)?,
                    result_len: u32_of(tag)?,
                },
            )),
        };
        let mut expected = [0u8; MAX_TAG];
        if regions.computed > 0 {
            let tag_at = regions.src;
            req.src()
                .copy_to_buffer(expected.get_mut(..tag).ok_or(EINVAL)?, tag_at)?;
        }
        Ok(AeadJob {
            header,
            session: op.session,
            nonce,
            nonce_len,
            regions,
            expected,
            computed: DeviceWritable::new([0; MAX_TAG]),
            status: DeviceWritable::new(InHdr::unwritten()),
            dir: op.dir,
            soft: op.soft,
        })
    }

    /// The result of the device's answer, tag check included.
    fn result(&self, used_len: u32) -> Result {
        self.status.read().result().map_err(Error::from_errno)?;
        // The device says what it wrote (untrusted): success needs all of it.
        if (used_len as usize) < self.regions.answer_len() {
            return Err(EIO);
        }
        let tag = self.regions.computed;
        if tag > 0 {
            let computed = self.computed.read();
            let (Some(computed), Some(expected)) = (computed.get(..tag), self.expected.get(..tag))
            else {
                return Err(EIO);
            };
            if secret::differs(computed, expected) {
                return Err(errno::ebadmsg());
            }
        }
        Ok(())
    }
}

impl Job for AeadJob {
    type Kind = AeadType;

    fn segments<'a>(&'a self, req: &'a Request) -> Result<SgTable<'a>> {
        let r = &self.regions;
        let (src, dst) = (req.src(), req.dst());
        let copies = src.entries_to_copy_at(0, r.aad)?
            + src.entries_to_copy_at(r.src_skip, r.src)?
            + dst.entries_to_copy_at(r.dst_skip, r.dst)?;
        // Header, nonce, MAC and status, plus what the lists need copied: inline (no
        // allocation) for everything but unusually fragmented requests.
        let mut sg = SgTable::new(4 + copies, GFP_ATOMIC)?;
        sg.push_out_buf(self.header.bytes())?;
        if self.nonce_len > 0 {
            sg.push_out_buf(self.nonce.get(..self.nonce_len).ok_or(EINVAL)?)?;
        }
        sg.push_out_list(src, r.aad)?;
        sg.push_out_list_at(src, r.src_skip, r.src)?;
        sg.push_in_list_at(dst, r.dst_skip, r.dst)?;
        if r.computed > 0 {
            sg.push_in_writable(&self.computed, r.computed)?;
        }
        sg.push_in_writable(&self.status, core::mem::size_of::<InHdr>())?;
        Ok(sg)
    }

    fn prepare(&mut self) -> Result {
        self.header.set_session(self.session.id()?);
        Ok(())
    }

    fn data_len(&self) -> usize {
        self.regions.src
    }

    fn writable_len(&self) -> usize {
        self.regions.answer_len()
    }

    fn status_byte(&self) -> u8 {
        self.status.read().status
    }

    fn finish(self, req: Request, used_len: u32) -> bool {
        let result = self.result(used_len);
        self.complete(req, result)
    }

    fn cancel(self, req: Request, err: Error) {
        self.complete(req, Err(err));
    }

    /// Runs the whole request in software (the source is as the submitter gave it; a
    /// decryption's plaintext area is zeroed if it fails, as on the device); unless the
    /// device had it and its destination shares memory with its source.
    fn fall_back(self, req: Request, err: Error, was_on_ring: bool) -> bool {
        // Encryption adds the tag; a decryption's cryptlen includes it.
        let tag = match self.dir {
            Direction::Encrypt => req.authsize(),
            Direction::Decrypt => 0,
        };
        let len = req.assoclen() + req.cryptlen() + tag;
        if was_on_ring && req.src().shares_memory_with(req.dst(), len) {
            return self.complete(req, Err(err));
        }
        let AeadJob {
            session,
            regions,
            soft,
            dir,
            ..
        } = self;
        drop(session);
        let (req, result) = req.run_in_software(&soft, dir == Direction::Encrypt);
        complete(req, regions, soft, result)
    }
}

impl AeadJob {
    /// Completes the request with `result`, first zeroing the plaintext of a failed
    /// decryption. Returns whether it succeeded.
    fn complete(self, req: Request, result: Result) -> bool {
        let AeadJob {
            session,
            regions,
            soft,
            ..
        } = self;
        drop(session);
        complete(req, regions, soft, result)
    }
}

/// Completes `req` with `result`, first zeroing the plaintext (`regions`) of a failed
/// decryption; `soft`, the job's last reference to its transform's software
/// implementation, goes first. Returns whether it succeeded.
fn complete(req: Request, regions: Regions, soft: Arc<SoftAead>, mut result: Result) -> bool {
    if let (Err(_), Some((skip, len))) = (&result, regions.plaintext) {
        if let Err(e) = req.dst().zero(skip, len) {
            result = Err(e);
        }
    }
    let ok = result.is_ok();
    // Everything the job held goes before the submitter hears of it.
    drop(soft);
    req.complete(result);
    ok
}
