// SPDX-License-Identifier: GPL-2.0

//! The algorithms the driver offers, kept in step with what the ready devices serve: an
//! algorithm of any family is registered (once) while some ready device serves it, and
//! unregistered when none does any more and no transform uses it.
//!
//! Everything that can change the answer (a device bound or removed, `HW_READY` set or
//! cleared, a device suspended or resumed) ends in [`Catalog::update`], which runs under
//! one lock: it re-reads every device's `HW_READY`, runs a new device's trial sessions
//! once it is ready, then registers and unregisters.

use super::family::{self, Family, Registration, TrialOutcome};
use crate::{
    device::{registry::DeviceList, CryptoDevice},
    kernel_api::{debugfs::SeqWriter, errno::Logged, sleep_ms, workqueue::QueueHandle},
};
use core::fmt::Write;
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{impl_has_work, new_work, Work, WorkItem},
    ThisModule,
};

/// How often an algorithm that should go, but still has users, is looked at again.
const IN_USE_RECHECK_MS: u32 = 1_000;

/// What the catalog holds under its lock.
struct Offered {
    /// The registration of each algorithm of the families, in their order.
    registered: KVec<Option<Registration>>,
}

/// The driver's algorithms.
#[pin_data]
pub(crate) struct Catalog {
    #[pin]
    work: Work<Catalog>,
    #[pin]
    offered: Mutex<Offered>,
    families: &'static [&'static dyn Family],
    devices: Arc<DeviceList>,
    wq: QueueHandle,
    module: &'static ThisModule,
}

impl_has_work! {
    impl HasWork<Self> for Catalog { self.work }
}

impl WorkItem for Catalog {
    type Pointer = Arc<Catalog>;

    fn run(this: Arc<Catalog>) {
        if this.update() {
            // Some algorithm should go but has users: look again later. (No delayed work
            // in 6.12's kernel crate; this worker sleeps instead.)
            sleep_ms(IN_USE_RECHECK_MS);
            this.schedule();
        }
    }
}

impl Catalog {
    /// A catalog of the algorithms of `families` that `devices` serve; its work runs on
    /// `wq`.
    pub(crate) fn new(
        families: &'static [&'static dyn Family],
        devices: Arc<DeviceList>,
        wq: QueueHandle,
        module: &'static ThisModule,
    ) -> Result<Arc<Self>> {
        let n = family::algorithms(families).count();
        let mut registered = KVec::with_capacity(n, GFP_KERNEL)?;
        for _ in 0..n {
            registered.push(None, GFP_KERNEL)?;
        }
        Arc::pin_init(
            pin_init!(Self {
                work <- new_work!("virtio_crypto_rs::Catalog::work"),
                offered <- new_mutex!(Offered { registered }),
                families,
                devices,
                wq,
                module,
            }),
            GFP_KERNEL,
        )
    }

    /// Runs [`Self::update`] soon, in process context. Any context.
    pub(crate) fn schedule(self: &Arc<Self>) {
        // Already queued is fine: that run sees the newest state.
        let _ = self.wq.enqueue(self.clone());
    }

    /// Runs [`Self::update`] now, and again later while an algorithm that should go is
    /// still in use. Process context.
    pub(crate) fn refresh(self: &Arc<Self>) {
        if self.update() {
            self.schedule();
        }
    }

    /// Writes the names of the algorithms `dev` serves, for its debugfs status.
    pub(crate) fn show_served(
        &self,
        dev: &CryptoDevice,
        out: &mut SeqWriter<'_>,
    ) -> core::fmt::Result {
        write!(out, "algorithms")?;
        for alg in family::algorithms(self.families).filter(|a| family::served_by(*a, dev)) {
            write!(out, " {}", alg.driver_name().to_str().unwrap_or("?"))?;
        }
        writeln!(out)
    }

    /// Writes one line per algorithm of the families, registered or not: its names and
    /// where its requests ran ([`crate::device::alg_stats::AlgStats::show`]). Needs no lock: a
    /// read never waits for an update (which may run the Crypto API's self-tests).
    pub(crate) fn show_algorithms(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
        for alg in family::algorithms(self.families) {
            alg.stats().show(out, alg.driver_name(), alg.name())?;
        }
        Ok(())
    }

    /// Re-reads every device's `HW_READY`, tries a newly ready device's algorithms, then
    /// registers what some ready device serves and unregisters what none serves and
    /// nothing uses. Returns whether an algorithm that should go is still in use.
    /// Process context; may take long (trial sessions, the Crypto API's self-tests).
    pub(crate) fn update(&self) -> bool {
        let mut offered = self.offered.lock();
        match self.devices.snapshot() {
            Ok(devices) => {
                for dev in devices.iter() {
                    dev.refresh_readiness();
                    if dev.is_ready() && dev.trials().take_turn() {
                        self.trial_all(dev);
                    }
                }
            }
            Err(e) => pr_err!("reading the device list failed: {}\n", Logged(e)),
        }
        let registered = &mut offered.registered;
        let mut still_used = false;
        for (alg, slot) in family::algorithms(self.families).zip(registered.iter_mut()) {
            let wanted = self.devices.any(|d| family::served_by(alg, d));
            match slot.take() {
                None if wanted => match alg.register(self.devices.clone(), self.module) {
                    Ok(reg) => {
                        pr_info!("registered {} as {}\n", alg.name(), alg.driver_name());
                        alg.stats().set_registered(true);
                        *slot = Some(reg);
                    }
                    Err(e) => pr_err!("registering {} failed: {}\n", alg.name(), Logged(e)),
                },
                Some(reg) if !wanted && reg.retire() => {
                    pr_info!(
                        "unregistered {}: no ready device serves it\n",
                        alg.driver_name()
                    );
                    // Freed unless something took the algorithm anyway.
                    drop(reg);
                    alg.stats().set_registered(false);
                }
                Some(reg) => {
                    still_used |= !wanted;
                    *slot = Some(reg);
                }
                None => {}
            }
        }
        still_used
    }

    /// Confirms with trial sessions each algorithm `dev` offers (a device may advertise
    /// what it cannot serve, serve what it does not advertise, or refuse some key lengths:
    /// those go to software), and says once per family when it serves none of what it
    /// advertises.
    fn trial_all(&self, dev: &Arc<CryptoDevice>) {
        for fam in self.families {
            let (mut offered, mut served, mut unconfirmed) = (0, 0, 0);
            for alg in (0..fam.len()).filter_map(|i| fam.get(i)) {
                if !family::offered_by(alg, dev.config()) {
                    continue;
                }
                offered += 1;
                let trials = family::run_trials(alg, dev);
                // Recorded (the device serves the algorithm) only once confirmed: a
                // transform keyed meanwhile never picks the device on the strength of
                // its sessions alone.
                let confirmed = match trials.outcome {
                    TrialOutcome::None => false,
                    _ => alg.confirm(dev, &self.devices, self.module),
                };
                if confirmed {
                    trials.record(alg, dev);
                }
                match trials.outcome {
                    _ if !confirmed && !matches!(trials.outcome, TrialOutcome::None) => {
                        unconfirmed += 1;
                        pr_info!(
                            "virtio{}: {} takes sessions but failed a known-answer operation; not used\n",
                            dev.index(),
                            alg.name()
                        );
                    }
                    TrialOutcome::All => served += 1,
                    TrialOutcome::Some => {
                        served += 1;
                        pr_info!(
                            "virtio{}: {} refuses some key lengths in trial sessions; software serves those\n",
                            dev.index(),
                            alg.name()
                        );
                    }
                    TrialOutcome::None => pr_info!(
                        "virtio{}: {} offered but refused in a trial session; not used\n",
                        dev.index(),
                        alg.name()
                    ),
                }
            }
            if offered == 0 {
                pr_info!(
                    "virtio{}: the device offers no {} algorithms\n",
                    dev.index(),
                    fam.name()
                );
            } else if served == 0 && unconfirmed < offered {
                pr_info!(
                    "virtio{}: the device offers {} algorithms but refuses their sessions; none registered for it\n",
                    dev.index(),
                    fam.name()
                );
            }
        }
    }
}
