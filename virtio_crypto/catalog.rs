// SPDX-License-Identifier: GPL-2.0

//! The algorithms the driver offers, kept in step with what the ready devices serve: an
//! algorithm is registered (once) while some ready device serves it, and unregistered
//! when none does any more and no transform uses it.
//!
//! Everything that can change the answer (a device bound or removed, `HW_READY` set or
//! cleared, a device suspended or resumed) ends in [`Catalog::update`], which runs under
//! one lock: it re-reads every device's `HW_READY`, runs a new device's trial sessions
//! once it is ready, then registers and unregisters.

use crate::{
    cipher::{CipherAlg, MODES},
    device::CryptoDevice,
    registry::DeviceList,
    sys::{skcipher::Registration, sleep_ms},
};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{impl_has_work, new_work, Queue, Work, WorkItem},
    ThisModule,
};

/// How often an algorithm that should go, but still has users, is looked at again.
const IN_USE_RECHECK_MS: u32 = 1_000;

/// A registered cipher algorithm.
type CipherRegistration = Pin<KBox<Registration<CipherAlg>>>;

/// What the catalog holds under its lock.
struct Offered {
    /// The registered algorithm of each entry of [`MODES`].
    ciphers: [Option<CipherRegistration>; MODES.len()],
    /// Algorithms a transform took while they were being unregistered (the Crypto API
    /// warned): their memory stays until the module unloads.
    retired: KVec<CipherRegistration>,
}

/// The driver's algorithms.
#[pin_data]
pub(crate) struct Catalog {
    #[pin]
    work: Work<Catalog>,
    #[pin]
    offered: Mutex<Offered>,
    devices: Arc<DeviceList>,
    wq: &'static Queue,
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
    /// A catalog of the algorithms `devices` serve; its work runs on `wq`.
    pub(crate) fn new(
        devices: Arc<DeviceList>,
        wq: &'static Queue,
        module: &'static ThisModule,
    ) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                work <- new_work!("virtio_crypto_rs::Catalog::work"),
                offered <- new_mutex!(Offered {
                    ciphers: [const { None }; MODES.len()],
                    retired: KVec::new(),
                }),
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

    /// Allows or stops configuration reads of `device`. Stopping waits for a read in
    /// progress, so afterwards the device may be unbound or suspended.
    pub(crate) fn set_config_readable(&self, device: &CryptoDevice, readable: bool) {
        let _offered = self.offered.lock();
        device.set_config_readable(readable);
    }

    /// Re-reads every device's `HW_READY`, tries a newly ready device's ciphers, then
    /// registers what some ready device serves and unregisters what none serves and
    /// nothing uses. Returns whether an algorithm that should go is still in use.
    /// Process context; may take long (trial sessions, the Crypto API's self-tests).
    pub(crate) fn update(&self) -> bool {
        let mut offered = self.offered.lock();
        match self.devices.snapshot() {
            Ok(devices) => {
                for dev in devices.iter() {
                    dev.refresh_readiness();
                    if dev.is_ready() && dev.take_trial_turn() {
                        trial_modes(dev);
                    }
                }
            }
            Err(e) => pr_err!("reading the device list failed: {:?}\n", e),
        }
        let Offered { ciphers, retired } = &mut *offered;
        let mut still_used = false;
        for (mode, slot) in MODES.iter().zip(ciphers.iter_mut()) {
            let wanted = self.devices.any(|d| mode.served_by(d));
            match slot.take() {
                None if wanted => {
                    let alg = CipherAlg::new(mode, self.devices.clone());
                    match Registration::new(&mode.alg_info(), alg, self.module) {
                        Ok(reg) => {
                            pr_info!("registered {} as {}\n", mode.name, mode.driver_name);
                            *slot = Some(reg);
                        }
                        Err(e) => pr_err!("registering {} failed: {:?}\n", mode.name, e),
                    }
                }
                Some(reg) if !wanted && !reg.in_use() => {
                    pr_info!(
                        "unregistered {}: no ready device serves it\n",
                        mode.driver_name
                    );
                    if let Some(taken) = reg.unregister() {
                        if retired.push(taken, GFP_KERNEL).is_err() {
                            pr_err!("{}: cannot keep a used algorithm\n", mode.driver_name);
                        }
                    }
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
}

/// Confirms with trial sessions each mode `dev` offers, one per key length (a device may
/// advertise what it cannot serve, serve what it does not advertise, or refuse some key
/// lengths: those go to software).
fn trial_modes(dev: &CryptoDevice) {
    for mode in MODES.iter().filter(|m| m.offered_by(dev.config())) {
        if dev.trial_cipher(mode.algo, mode.trial_keys()) {
            continue;
        }
        if dev.serves_cipher(mode.algo) {
            pr_info!(
                "virtio{}: {} refuses some key lengths in trial sessions; software serves those\n",
                dev.index(),
                mode.name
            );
        } else {
            pr_info!(
                "virtio{}: {} offered but refused in a trial session; not used\n",
                dev.index(),
                mode.name
            );
        }
    }
}
