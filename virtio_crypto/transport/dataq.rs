// SPDX-License-Identifier: GPL-2.0

//! Data queues: carrying jobs of any service to the device and finishing them.
//!
//! A submission owns all of its buffers in one job ([`crate::kernel_api::job::Job`]), which
//! lives in the crypto request's own context memory (no allocation) and travels through the
//! virtqueue as the token ([`JobBox`]). The queue callback (hard IRQ) only turns callbacks
//! off and schedules this queue's bottom-half work item (softirq context, right after the
//! interrupt; `complete_in_softirq`, the default), or its work item in a kernel worker
//! (process context). The bottom half finishes at most [`SOFTIRQ_BUDGET`] answers and hands
//! a longer run over to the worker, as NAPI does, so that a busy device cannot keep a CPU
//! in softirq. Both take answers off the ring [`BATCH`] at a time under one hold of the
//! queue's lock and complete them after it, and re-arm the callback with the used event
//! index three quarters of the way through what is in flight
//! (`virtqueue_enable_cb_delayed`): with many requests in flight the device interrupts
//! once per batch, with one it interrupts on that one. Nothing here knows which service a
//! job belongs to.

use crate::kernel_api::{
    complete_in_softirq,
    irq_lock::IrqSpinLock,
    job::{JobBox, JobFifo},
    now_ms,
    ratelimit::RateLimit,
    request::Submitted,
    virtio::Reset,
    virtqueue::{Detached, RawQueue, Virtqueue},
    workqueue::QueueHandle,
};
use crate::wire::{answer_len_valid, Status};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::{
    prelude::*,
    sync::Arc,
    workqueue::{impl_has_work, new_work, Work, WorkItem},
};

/// How a job was accepted by a data queue.
pub(crate) enum Queued {
    /// On the ring: the request completes when the device returns it.
    InProgress,
    /// In the backlog (the ring is full and the request allows it): the submitter hears
    /// `-EINPROGRESS` when it moves on, then the completion. What the entry point reports
    /// (`-EBUSY`, for this request only) comes from the backlog.
    Backlogged(Submitted),
}

impl From<Queued> for Submitted {
    /// What the request callback reports for a job the queue accepted.
    fn from(queued: Queued) -> Submitted {
        match queued {
            Queued::InProgress => Submitted::in_progress(),
            Queued::Backlogged(submitted) => submitted,
        }
    }
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
    /// Requests the device never answered (it was removed or reset first) that were
    /// served another way (in software) instead.
    pub(crate) fell_back: AtomicU64,
    /// Requests the device never answered that failed (in place, so not run again).
    pub(crate) abandoned: AtomicU64,
    /// When the device last answered a request of this queue, or (when none was in
    /// flight) took one, in milliseconds since boot.
    progress_ms: AtomicU64,
}

impl QueueStats {
    fn finished(&self, ok: bool) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a request served by [`JobBox::fall_back`] (`ok`: it succeeded).
    fn fell_back(&self, ok: bool) -> bool {
        if ok {
            self.fell_back.fetch_add(1, Ordering::Relaxed);
        } else {
            self.abandoned.fetch_add(1, Ordering::Relaxed);
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        ok
    }
}

/// Answers taken off the ring under one hold of the queue's lock.
const BATCH: usize = 16;

/// Answers the bottom half finishes before it hands the rest over to the worker.
const SOFTIRQ_BUDGET: usize = 64;

/// Where a run of answers is finished.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The bottom half: at most [`SOFTIRQ_BUDGET`] answers, then the worker goes on.
    Softirq,
    /// The worker: until the ring has no more answers.
    Worker,
}

/// One data queue and the work items that finish its requests.
#[pin_data]
pub(crate) struct DataQueue {
    #[pin]
    vq: Virtqueue<JobBox>,
    /// Finishes answers in a kernel worker (process context).
    #[pin]
    work: Work<DataQueue, 0>,
    /// Finishes answers in a bottom half (softirq context).
    #[pin]
    bh_work: Work<DataQueue, 1>,
    /// Requests waiting for room on a full ring. Lock order: `backlog`, then `vq`.
    #[pin]
    backlog: IrqSpinLock<JobFifo>,
    /// Set while the device is suspended: nothing goes to the ring (changed under the
    /// backlog lock).
    paused: AtomicBool,
    wq: QueueHandle,
    bh: QueueHandle,
    stats: QueueStats,
    /// Which queue of which device (`virtio<device>`, `dataq<queue>`), for messages.
    device: i32,
    queue: usize,
    /// Limits the messages about invalid answers.
    #[pin]
    complaints: RateLimit,
}

impl_has_work! {
    impl HasWork<Self, 0> for DataQueue { self.work }
    impl HasWork<Self, 1> for DataQueue { self.bh_work }
}

impl WorkItem<0> for DataQueue {
    type Pointer = Arc<DataQueue>;

    fn run(this: Arc<DataQueue>) {
        this.finish_used(Context::Worker);
    }
}

impl WorkItem<1> for DataQueue {
    type Pointer = Arc<DataQueue>;

    fn run(this: Arc<DataQueue>) {
        this.finish_used(Context::Softirq);
    }
}

impl DataQueue {
    /// Data queue `queue` of device `virtio<device>`, whose completions run on `bh` (a
    /// bottom-half workqueue) or `wq`, not yet attached to its virtqueue.
    pub(crate) fn new(
        wq: QueueHandle,
        bh: QueueHandle,
        device: i32,
        queue: usize,
    ) -> impl PinInit<Self> {
        pin_init!(Self {
            vq <- Virtqueue::new(),
            work <- new_work!("virtio_crypto_rs::DataQueue::work"),
            bh_work <- new_work!("virtio_crypto_rs::DataQueue::bh_work"),
            backlog <- IrqSpinLock::new(JobFifo::new(), crate::irq_lock_class!("DataQueue::backlog")),
            paused: AtomicBool::new(false),
            wq,
            bh,
            stats: QueueStats::default(),
            device,
            queue,
            complaints <- RateLimit::new(),
        })
    }

    /// Checks the device's answer to `job` (untrusted): a used length that is not possible
    /// ([`answer_len_valid`]: 0, beyond the job's device-writable buffers, or short of them
    /// for a success), or a status no status has, fails the request (the length passed on
    /// becomes 0, which every job takes as "nothing written") and is logged, rate-limited.
    /// Returns the length the job may rely on.
    fn judge(&self, job: &JobBox, used_len: u32) -> u32 {
        let writable = job.job().writable_len();
        let raw_status = job.job().status_byte();
        let status = Status::from_raw(u32::from(raw_status));
        let bad_len = !answer_len_valid(used_len, writable, status == Status::Ok);
        let unknown_status = matches!(status, Status::Unknown(_));
        if !bad_len && !unknown_status {
            return used_len;
        }
        if self.complaints.allows() {
            pr_warn!(
                "virtio{}: dataq{}: invalid answer (used length {} of {} writable bytes, status {}); the request fails\n",
                self.device,
                self.queue,
                used_len,
                writable,
                raw_status
            );
        }
        // An unknown status fails the request by itself.
        if bad_len {
            0
        } else {
            used_len
        }
    }

    /// Attaches the transport's queue.
    pub(crate) fn attach(&self, raw: RawQueue) {
        self.vq.attach(raw);
    }

    /// The queue's counters.
    pub(crate) fn stats(&self) -> &QueueStats {
        &self.stats
    }

    /// How long (in milliseconds, at `now`) the queue has held requests without an answer:
    /// 0 when none is in flight.
    pub(crate) fn unanswered_for(&self, now: u64) -> u64 {
        if self.stats.in_flight.load(Ordering::Acquire) == 0 {
            return 0;
        }
        now.saturating_sub(self.stats.progress_ms.load(Ordering::Relaxed))
    }

    /// Whether the virtio core found the queue's ring broken.
    pub(crate) fn is_broken(&self) -> bool {
        self.vq.lock().is_broken()
    }

    /// The queue has used buffers: defer finishing them to the bottom half (or, with
    /// `complete_in_softirq` off, the worker). Hard-IRQ context, or any.
    pub(crate) fn schedule(self: &Arc<Self>) {
        // The device answered: progress, however long the work item takes to run.
        self.stats.progress_ms.store(now_ms(), Ordering::Relaxed);
        self.vq.lock().disable_cb();
        // Already queued is fine: that run will see these buffers too.
        if complete_in_softirq() {
            let _ = self.bh.enqueue::<_, 1>(self.clone());
        } else {
            let _ = self.wq.enqueue::<_, 0>(self.clone());
        }
    }

    /// Puts a job on the ring, or in the backlog when the ring is full (or others already
    /// wait) and the request allows it. Otherwise the job comes back with the error, its
    /// request still the caller's.
    pub(crate) fn submit(&self, mut job: JobBox) -> Result<Queued, (Error, JobBox)> {
        // The fast path, under the queue's lock alone: not paused, and nobody waiting in
        // the backlog (a job being drained may be overtaken: requests have no order). A
        // full ring takes the slow path, which tries again under the backlog lock before
        // it backlogs the job: the backlog is drained under that lock after completions,
        // so no job waits there while the ring has room and nothing is in flight.
        if !self.paused.load(Ordering::Acquire) && self.stats.backlog.load(Ordering::Relaxed) == 0 {
            match self.add(job) {
                Ok(()) => return Ok(Queued::InProgress),
                Err((e, back)) if e == ENOSPC => job = back,
                Err(failed) => return Err(failed),
            }
        }
        let mut backlog = self.backlog.lock();
        let paused = self.paused.load(Ordering::Acquire);
        let err = if paused {
            ENOSPC
        } else if backlog.is_empty() {
            match self.add(job) {
                Ok(()) => return Ok(Queued::InProgress),
                Err((e, back)) => {
                    job = back;
                    e
                }
            }
        } else {
            ENOSPC
        };
        if err == ENOSPC {
            // Only a request that allows it waits; the others come back.
            match backlog.push_backlogged(job) {
                Ok(submitted) => {
                    self.stats.backlog.fetch_add(1, Ordering::Relaxed);
                    return Ok(Queued::Backlogged(submitted));
                }
                Err(back) => job = back,
            }
        }
        drop(backlog);
        // A paused queue (suspend, reset) refuses for a device that is not ready now, not
        // for a full ring: the caller counts the difference (`Fallback::from_offer_error`).
        Err((if paused { ENODEV } else { err }, job))
    }

    /// Adds a job to the ring and notifies the device; the job comes back on failure.
    fn add(&self, mut job: JobBox) -> core::result::Result<(), (Error, JobBox)> {
        if let Err(e) = job.prepare() {
            return Err((e, job));
        }
        let bytes = job.job().data_len() as u64;
        let mut q = self.vq.lock();
        // Checked again under the queue's lock, which `pause` takes too: the fast path of
        // `submit` read it without a lock, and nothing may reach a paused ring.
        if self.paused.load(Ordering::Acquire) {
            return Err((ENOSPC, job));
        }
        match q.add(job) {
            Ok(()) => {
                q.kick();
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
                // The time without an answer counts from the first request: stored before
                // the count says one is in flight (under the queue lock: adds do not race).
                if self.stats.in_flight.load(Ordering::Relaxed) == 0 {
                    self.stats.progress_ms.store(now_ms(), Ordering::Relaxed);
                }
                self.stats.in_flight.fetch_add(1, Ordering::Release);
                Ok(())
            }
            // No room even in an idle ring: more segments than the ring has descriptors
            // (without indirect descriptors). Waiting would not help; refuse it.
            Err((e, job)) if e == ENOSPC && q.is_idle() => Err((EINVAL, job)),
            Err(failed) => Err(failed),
        }
    }

    /// Moves backlogged requests onto the ring while there is room, oldest first (from the
    /// bottom half or the worker, `context`).
    /// A job that cannot go to the ring for another reason than room is served without
    /// the device ([`fall_back`]: in software, which may sleep) by the worker only: in the
    /// bottom half it goes back in front and the worker is queued to drain from there.
    fn drain_backlog(self: &Arc<Self>, context: Context) {
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
            // Told before it can complete, and outside our locks.
            job.leave_backlog();
            let mut backlog = self.backlog.lock();
            if self.paused.load(Ordering::Acquire) {
                // Suspended meanwhile: the job waits (in front) for the resume.
                backlog.push_front(job);
                self.stats.backlog.fetch_add(1, Ordering::Relaxed);
                return;
            }
            match self.add(job) {
                Ok(()) => {}
                Err((e, job)) if e == ENOSPC => {
                    backlog.push_front(job);
                    self.stats.backlog.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err((_, job))
                    if context == Context::Softirq
                        && self.wq.enqueue::<_, 0>(self.clone()).is_ok() =>
                {
                    backlog.push_front(job);
                    self.stats.backlog.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err((e, job)) => {
                    drop(backlog);
                    // Not counted as `fell_back` (the device did not lose it).
                    if !fall_back(job, e) {
                        self.stats.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
    }

    /// Finishes the requests the device has returned and refills the ring from the
    /// backlog, then re-arms the callback: all of them in the worker; in the bottom half
    /// at most [`SOFTIRQ_BUDGET`], handing the rest (callbacks still off) to the worker.
    fn finish_used(self: &Arc<Self>, context: Context) {
        let mut finished = 0usize;
        loop {
            let mut answered = false;
            loop {
                if context == Context::Softirq && finished >= SOFTIRQ_BUDGET {
                    // A long run: the worker finishes it, with callbacks still off.
                    if self.wq.enqueue::<_, 0>(self.clone()).is_ok() {
                        return;
                    }
                }
                let mut batch: [Option<(JobBox, u32)>; BATCH] = Default::default();
                let taken = {
                    let mut q = self.vq.lock();
                    let mut n = 0;
                    for entry in batch.iter_mut() {
                        match q.get_buf() {
                            Some(used) => {
                                *entry = Some(used);
                                n += 1;
                            }
                            None => break,
                        }
                    }
                    n
                };
                for (job, len) in batch.into_iter().flatten() {
                    let len = self.judge(&job, len);
                    self.stats.finished(job.finish(len));
                }
                finished += taken;
                answered |= taken > 0;
                if taken < BATCH {
                    break;
                }
            }
            if answered {
                self.stats.progress_ms.store(now_ms(), Ordering::Relaxed);
            }
            self.drain_backlog(context);
            let mut q = self.vq.lock();
            if q.enable_cb_delayed() {
                break;
            }
            // More arrived while re-enabling: keep polling with callbacks off.
            q.disable_cb();
        }
    }

    /// Completes every request still on the queue or in its backlog and detaches it. The
    /// device was reset: finished requests report the device's result, the rest are served
    /// without it ([`JobBox::fall_back`]: in software, or failed with `ENODEV`). Returns
    /// the proof of detachment (`None` if it was detached already). Process context.
    pub(crate) fn shut_down(&self, reset: &Reset) -> Option<Detached> {
        let detached = self.empty_ring(ENODEV, reset);
        // Nothing joins the backlog once it was seen empty with the ring detached.
        loop {
            let Some(job) = self.backlog.lock().pop_front() else {
                break;
            };
            self.stats.backlog.fetch_sub(1, Ordering::Relaxed);
            self.stats.fell_back(fall_back(job, ENODEV));
        }
        detached
    }

    /// Stops sending requests to the device (suspend): from now on they wait in the
    /// backlog if they allow it and are refused with `ENOSPC` otherwise.
    pub(crate) fn pause(&self) {
        let _backlog = self.backlog.lock();
        let _queue = self.vq.lock();
        self.paused.store(true, Ordering::Release);
    }

    /// Whether the queue holds no requests, on the ring or in the backlog.
    pub(crate) fn is_quiet(&self) -> bool {
        self.stats.backlog.load(Ordering::Relaxed) == 0 && self.is_idle()
    }

    /// Whether the device holds none of this queue's requests.
    pub(crate) fn is_idle(&self) -> bool {
        self.vq.lock().is_idle()
    }

    /// The paused device was reset: completes what it returned, serves what it never
    /// processed without it ([`JobBox::fall_back`]: in software, or failed with `EIO`) and
    /// detaches the ring. The backlog waits for [`Self::resume`]. Process context.
    pub(crate) fn suspend(&self, reset: &Reset) -> Option<Detached> {
        self.empty_ring(EIO, reset)
    }

    /// Continues on a new ring after a restore: the backlog goes to the device.
    pub(crate) fn resume(self: &Arc<Self>, raw: RawQueue) {
        self.vq.attach(raw);
        {
            let _backlog = self.backlog.lock();
            let _queue = self.vq.lock();
            self.paused.store(false, Ordering::Release);
        }
        self.schedule();
    }

    /// Completes every request on the ring of a reset device (the ones it never returned
    /// without it, failing with `err` where that is impossible), then detaches the ring.
    fn empty_ring(&self, err: Error, reset: &Reset) -> Option<Detached> {
        enum Left {
            Used(JobBox, u32),
            Unused(JobBox),
        }
        loop {
            let left = {
                let mut q = self.vq.lock();
                if let Some((job, len)) = q.get_buf() {
                    Left::Used(job, len)
                } else if let Some(job) = q.detach_unused(reset) {
                    Left::Unused(job)
                } else {
                    // Detach in the same critical section that saw the queue empty, so no
                    // submission slips in between.
                    return q.detach();
                }
            };
            match left {
                Left::Used(job, len) => {
                    let len = self.judge(&job, len);
                    self.stats.finished(job.finish(len))
                }
                Left::Unused(job) => {
                    self.stats.in_flight.fetch_sub(1, Ordering::Relaxed);
                    self.stats.fell_back(job.fall_back(err, true));
                }
            }
        }
    }
}

/// Serves a job from the backlog without the device ([`JobBox::fall_back`], which tells a
/// submitter told `-EBUSY` that it moved on first). Returns whether the request succeeded.
fn fall_back(job: JobBox, err: Error) -> bool {
    job.fall_back(err, false)
}
