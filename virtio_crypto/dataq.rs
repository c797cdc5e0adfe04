// SPDX-License-Identifier: GPL-2.0

//! Data queues: submitting cipher requests and finishing them.
//!
//! A submission owns all of its buffers in one [`CipherJob`], which lives in the crypto
//! request's own context memory (no allocation) and travels through the virtqueue as the
//! token. The queue callback (hard IRQ) only schedules this queue's work item; the work
//! item takes finished jobs off the queue and completes their requests in process context,
//! after taking each job out of the request's memory.

use crate::{
    sessions::CipherSession,
    sys::{
        irq_lock::IrqSpinLock,
        reqfifo::{Linked, ReqFifo},
        scatterlist::{DeviceWritable, SgTable},
        skcipher::{ReqBox, Request, Submitted},
        virtqueue::{RawQueue, Virtqueue},
    },
    wire::{DataRequest, Direction, InHdr, Le64, SymDataReq, Wire},
    xts_steal::XtsSteal,
};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{
    prelude::*,
    sync::Arc,
    workqueue::{impl_has_work, new_work, Queue, Work, WorkItem},
};

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

/// A cipher operation, as an algorithm describes it to the data path.
pub(crate) struct CipherOp {
    /// Encrypt or decrypt.
    pub(crate) dir: Direction,
    /// Device algorithm number.
    pub(crate) algo: u32,
    /// The key's sessions; the one for `dir` is read when the request goes to the ring, so
    /// a request that waited out a reset in the backlog carries the new id.
    pub(crate) session: Arc<CipherSession>,
    /// How to produce the output IV.
    pub(crate) next_iv: NextIv,
    /// The device's unit (the cipher's block size): the device takes whole units only.
    pub(crate) unit: usize,
    /// What happens to a partial final unit.
    pub(crate) tail: Tail,
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
    session: Arc<CipherSession>,
    dir: Direction,
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
    /// Backlog link, and whether the submitter heard `-EINPROGRESS` already.
    next: Option<ReqBox<CipherJob>>,
    backlogged: bool,
    req: Request,
}

impl Linked for CipherJob {
    fn link(&mut self) -> &mut Option<ReqBox<Self>> {
        &mut self.next
    }
}

impl CipherJob {
    /// Completes the request from what the device reported: `used_len` (untrusted) and
    /// the status byte. The job's memory is freed before the request completes.
    fn finish(this: ReqBox<Self>, used_len: u32) -> bool {
        let job = this.into_inner();
        let mut result = job.status.read().result().map_err(Error::from_errno);
        if result.is_ok() && used_len == 0 {
            // The device claims success but wrote nothing, not even the status.
            result = Err(EIO);
        }
        let tail_out = job.tail_out.read();
        let CipherJob {
            mut req,
            next_iv,
            len,
            padded,
            steal,
            session,
            ..
        } = job;
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
        drop((session, steal));
        req.complete(result);
        ok
    }

    /// Completes the request with `err` without the device's answer (device gone).
    fn cancel(this: ReqBox<Self>, err: Error) {
        let CipherJob {
            req, backlogged, ..
        } = this.into_inner();
        if backlogged {
            // A backlogged request's submitter waits for this before the completion.
            req.notify_in_progress();
        }
        req.complete(Err(err));
    }

    /// The scatterlist segments of this job: request header, IV, source (and padded tail)
    /// to the device; destination (and padded tail) and status from it.
    fn segments(&self) -> Result<SgTable> {
        let whole = self.whole;
        let copies =
            self.req.src().entries_to_copy(whole)? + self.req.dst().entries_to_copy(whole)?;
        let ivsize = self.req.iv().len();
        // Header, IV, two tail blocks and status, plus what the lists need copied: inline
        // (no allocation) for everything but unusually fragmented requests.
        let mut sg = SgTable::new(5 + copies, GFP_ATOMIC)?;
        sg.push_out_buf(self.header.as_bytes())?;
        if ivsize > 0 {
            sg.push_out_buf(self.iv.get(..ivsize).ok_or(EINVAL)?)?;
        }
        sg.push_out_list(self.req.src(), whole)?;
        if self.padded > 0 {
            sg.push_out_buf(self.tail_in.get(..self.unit).ok_or(EINVAL)?)?;
        }
        sg.push_in_list(self.req.dst(), whole)?;
        if self.padded > 0 {
            sg.push_in_writable(&self.tail_out, self.unit)?;
        }
        sg.push_in_writable(&self.status, core::mem::size_of::<InHdr>())?;
        Ok(sg)
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

/// Counters of one data queue, for debugfs.
#[derive(Default)]
pub(crate) struct QueueStats {
    /// Requests put on the ring.
    pub(crate) requests: AtomicU64,
    /// Requests that failed (device status, or the device going away).
    pub(crate) errors: AtomicU64,
    /// Bytes of data in requests put on the ring.
    pub(crate) bytes: AtomicU64,
    /// Requests on the ring now.
    pub(crate) in_flight: AtomicU64,
    /// Requests in the backlog now.
    pub(crate) backlog: AtomicU64,
}

impl QueueStats {
    fn finished(&self, ok: bool) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One data queue and the work item that finishes its requests.
#[pin_data]
pub(crate) struct DataQueue {
    #[pin]
    vq: Virtqueue<ReqBox<CipherJob>>,
    #[pin]
    work: Work<DataQueue>,
    /// Requests waiting for room on a full ring. Lock order: `backlog`, then `vq`.
    #[pin]
    backlog: IrqSpinLock<ReqFifo<CipherJob>>,
    /// Set while the device is suspended: nothing goes to the ring (changed under the
    /// backlog lock).
    paused: AtomicBool,
    wq: &'static Queue,
    stats: QueueStats,
}

impl_has_work! {
    impl HasWork<Self> for DataQueue { self.work }
}

impl WorkItem for DataQueue {
    type Pointer = Arc<DataQueue>;

    fn run(this: Arc<DataQueue>) {
        this.finish_used();
    }
}

impl DataQueue {
    /// A data queue whose completions run on `wq`, not yet attached to its virtqueue.
    pub(crate) fn new(wq: &'static Queue) -> impl PinInit<Self> {
        pin_init!(Self {
            vq <- Virtqueue::new(),
            work <- new_work!("virtio_crypto_rs::DataQueue::work"),
            backlog <- IrqSpinLock::new(ReqFifo::new()),
            paused: AtomicBool::new(false),
            wq,
            stats: QueueStats::default(),
        })
    }

    /// Attaches the transport's queue.
    pub(crate) fn attach(&self, raw: RawQueue) {
        self.vq.attach(raw);
    }

    /// The queue's counters.
    pub(crate) fn stats(&self) -> &QueueStats {
        &self.stats
    }

    /// The queue has used buffers: defer finishing them to the work item. Hard-IRQ context.
    pub(crate) fn schedule(self: &Arc<Self>) {
        self.vq.lock().disable_cb();
        // Already queued is fine: that run will see these buffers too.
        let _ = self.wq.enqueue(self.clone());
    }

    /// Submits a cipher request. The device sees whole units: a partial final unit goes
    /// zero-padded through the job's bounce block, and only its first bytes are copied back.
    /// On success the request completes later through the work item; on error it was not
    /// submitted.
    pub(crate) fn submit_cipher(&self, op: CipherOp, req: Request) -> Result<Submitted> {
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

        let iv = iv_block(&req);
        let mut tail_in = [0u8; MAX_IV_LEN];
        req.src()
            .copy_to_buffer(tail_in.get_mut(..padded).ok_or(EINVAL)?, whole)?;
        let job = req.into_ctx(|req| CipherJob {
            header: DataRequest::cipher(op.dir, op.algo, 0, ivsize as u32, device_len32),
            session: op.session,
            dir: op.dir,
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
            next: None,
            backlogged: false,
            req,
        })?;
        self.enqueue(job)
    }

    /// Puts a job on the ring, or in the backlog when the ring is full (or others already
    /// wait) and the request allows it.
    fn enqueue(&self, mut job: ReqBox<CipherJob>) -> Result<Submitted> {
        let may_backlog = job.req.may_backlog();
        let mut backlog = self.backlog.lock();
        let err = if self.paused.load(Ordering::Acquire) {
            ENOSPC
        } else if backlog.is_empty() {
            match self.add(job) {
                Ok(()) => return Ok(Submitted::InProgress),
                Err((e, back)) => {
                    job = back;
                    e
                }
            }
        } else {
            ENOSPC
        };
        if err == ENOSPC && may_backlog {
            job.backlogged = true;
            backlog.push_back(job);
            self.stats.backlog.fetch_add(1, Ordering::Relaxed);
            return Ok(Submitted::Backlogged);
        }
        // Dropping the job hands the request back uncompleted; the caller reports `err`.
        Err(err)
    }

    /// Adds a job to the ring and notifies the device; the job comes back on failure.
    fn add(
        &self,
        mut job: ReqBox<CipherJob>,
    ) -> core::result::Result<(), (Error, ReqBox<CipherJob>)> {
        match job.session.id(job.dir) {
            Ok(id) => job.header.header.session_id = Le64::new(id),
            Err(e) => return Err((e, job)),
        }
        let mut sg = match job.segments() {
            Ok(sg) => sg,
            Err(e) => return Err((e, job)),
        };
        let bytes = job.len as u64;
        let mut q = self.vq.lock();
        // SAFETY: The header, IV, tail blocks and status live in `job`, which the token owns
        // until the device returns it; the source and destination belong to the request
        // inside `job`, which the Crypto API keeps valid until we complete it, and nobody
        // completes it before the token comes back.
        match unsafe { q.add_sgs(&mut sg, job, GFP_ATOMIC) } {
            Ok(()) => {
                q.kick();
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
                self.stats.in_flight.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            // No room even in an idle ring: more segments than the ring has descriptors
            // (without indirect descriptors). Waiting would not help; refuse it.
            Err((e, job)) if e == ENOSPC && q.is_idle() => Err((EINVAL, job)),
            Err(failed) => Err(failed),
        }
    }

    /// Moves backlogged requests onto the ring while there is room, oldest first.
    fn drain_backlog(&self) {
        loop {
            let next = {
                let mut backlog = self.backlog.lock();
                match self.paused.load(Ordering::Acquire) {
                    true => None,
                    false => backlog.pop_front(),
                }
            };
            let Some(mut job) = next else {
                return;
            };
            self.stats.backlog.fetch_sub(1, Ordering::Relaxed);
            if job.backlogged {
                // Told before it can complete, and outside our locks.
                job.req.notify_in_progress();
                job.backlogged = false;
            }
            let mut backlog = self.backlog.lock();
            match self.add(job) {
                Ok(()) => {}
                Err((e, job)) if e == ENOSPC => {
                    backlog.push_front(job);
                    self.stats.backlog.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err((e, job)) => {
                    drop(backlog);
                    self.stats.errors.fetch_add(1, Ordering::Relaxed);
                    CipherJob::cancel(job, e);
                }
            }
        }
    }

    /// Finishes every request the device has returned and refills the ring from the
    /// backlog, then re-arms the callback.
    fn finish_used(&self) {
        loop {
            loop {
                let used = self.vq.lock().get_buf();
                match used {
                    Some((job, len)) => self.stats.finished(CipherJob::finish(job, len)),
                    None => break,
                }
            }
            self.drain_backlog();
            let mut q = self.vq.lock();
            if q.enable_cb() {
                break;
            }
            // More arrived while re-enabling: keep polling with callbacks off.
            q.disable_cb();
        }
    }

    /// Completes every request still on the queue or in its backlog and detaches it. The
    /// device was reset: finished requests report the device's result, the rest fail with
    /// `ENODEV`.
    pub(crate) fn shut_down(&self) {
        self.empty_ring(ENODEV);
        // Nothing joins the backlog once it was seen empty with the ring detached.
        loop {
            let Some(job) = self.backlog.lock().pop_front() else {
                break;
            };
            self.stats.backlog.fetch_sub(1, Ordering::Relaxed);
            self.stats.errors.fetch_add(1, Ordering::Relaxed);
            CipherJob::cancel(job, ENODEV);
        }
    }

    /// Stops sending requests to the device (suspend): from now on they wait in the
    /// backlog if they allow it and are refused with `ENOSPC` otherwise.
    pub(crate) fn pause(&self) {
        let _backlog = self.backlog.lock();
        self.paused.store(true, Ordering::Release);
    }

    /// Whether the device holds none of this queue's requests.
    pub(crate) fn is_idle(&self) -> bool {
        self.vq.lock().is_idle()
    }

    /// The paused device was reset: completes what it returned, fails (`EIO`) what it
    /// never processed and detaches the ring. The backlog waits for [`Self::resume`].
    pub(crate) fn suspend(&self) {
        self.empty_ring(EIO);
    }

    /// Continues on a new ring after a restore: the backlog goes to the device.
    pub(crate) fn resume(self: &Arc<Self>, raw: RawQueue) {
        self.vq.attach(raw);
        {
            let _backlog = self.backlog.lock();
            self.paused.store(false, Ordering::Release);
        }
        self.schedule();
    }

    /// Completes every request on the ring of a reset device (the ones it never returned
    /// with `err`), then detaches the ring.
    fn empty_ring(&self, err: Error) {
        enum Left {
            Used(ReqBox<CipherJob>, u32),
            Unused(ReqBox<CipherJob>),
        }
        loop {
            let left = {
                let mut q = self.vq.lock();
                if let Some((job, len)) = q.get_buf() {
                    Left::Used(job, len)
                } else if let Some(job) = q.detach_unused() {
                    Left::Unused(job)
                } else {
                    // Detach in the same critical section that saw the queue empty, so no
                    // submission slips in between.
                    q.detach();
                    break;
                }
            };
            match left {
                Left::Used(job, len) => self.stats.finished(CipherJob::finish(job, len)),
                Left::Unused(job) => {
                    self.stats.finished(false);
                    CipherJob::cancel(job, err);
                }
            }
        }
    }
}
