// SPDX-License-Identifier: GPL-2.0

//! Algorithm families: what each algorithm the driver can offer says about itself (how a
//! device offers it, how a trial session confirms it, how it is registered, its names),
//! and the checks every family shares.

use crate::{
    device::{alg_stats::AlgStats, registry::DeviceList, trials::KeySizes, CryptoDevice},
    kernel_api::{crypto::registration::Registered, probe_unadvertised},
    session::spec::{SessionKind, SessionSpec},
    wire::{service, Config},
};
use kernel::{prelude::*, str::CStr, sync::Arc, ThisModule};

/// A registered algorithm of any type, as the catalog keeps it.
pub(crate) type Registration = Arc<dyn Registered>;

/// One algorithm the driver can offer.
pub(crate) trait Algorithm: Sync {
    /// Crypto API algorithm name, for example `cbc(aes)`.
    fn name(&self) -> &'static CStr;

    /// Our implementation's name, for example `cbc-aes-virtio-rs`.
    fn driver_name(&self) -> &'static CStr;

    /// The kind of session its trial sessions (and its transforms) create; the service and
    /// the device's algorithm number come from it.
    fn session_kind(&self) -> SessionKind;

    /// The key lengths it takes, and which ones trial sessions try.
    fn key_sizes(&self) -> KeySizes;

    /// Where its requests ran (debugfs `algorithms`).
    fn stats(&self) -> &AlgStats;

    /// The session a trial with `key` (of one of [`Algorithm::key_sizes`]) creates.
    /// Process context.
    fn trial_spec(&self, key: &[u8]) -> Result<SessionSpec> {
        SessionSpec::new(self.session_kind(), key)
    }

    /// Confirms, after its trial sessions were accepted, that `dev` computes the
    /// algorithm: a device may take sessions and still refuse or botch every operation
    /// (QEMU 7.2's builtin backend built with nettle takes raw RSA sessions and refuses
    /// each raw RSA operation). Most algorithms need no more than the trial sessions.
    /// Process context.
    fn confirm(
        &'static self,
        dev: &Arc<CryptoDevice>,
        devices: &Arc<DeviceList>,
        module: &'static ThisModule,
    ) -> bool {
        let _ = (dev, devices, module);
        true
    }

    /// Registers the algorithm, served by `devices`.
    fn register(
        &'static self,
        devices: Arc<DeviceList>,
        module: &'static ThisModule,
    ) -> Result<Registration>;
}

/// A family of algorithms of one type (skcipher, ahash, aead...).
pub(crate) trait Family: Sync {
    /// The family's name, for logs.
    fn name(&self) -> &'static str;

    /// Number of algorithms in the family.
    fn len(&self) -> usize;

    /// The `i`-th algorithm.
    fn get(&self, i: usize) -> Option<&'static dyn Algorithm>;
}

/// A family that is a static list of algorithms of one kind.
pub(crate) struct AlgorithmList<T: Algorithm + 'static> {
    name: &'static str,
    list: &'static [T],
}

impl<T: Algorithm + 'static> AlgorithmList<T> {
    /// The family `name` of the algorithms in `list`.
    pub(crate) const fn new(name: &'static str, list: &'static [T]) -> Self {
        Self { name, list }
    }
}

impl<T: Algorithm + 'static> Family for AlgorithmList<T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn get(&self, i: usize) -> Option<&'static dyn Algorithm> {
        self.list.get(i).map(|a| a as &dyn Algorithm)
    }
}

/// Every algorithm of `families`, in order.
pub(crate) fn algorithms(
    families: &'static [&'static dyn Family],
) -> impl Iterator<Item = &'static dyn Algorithm> {
    families
        .iter()
        .flat_map(|f| (0..f.len()).filter_map(move |i| f.get(i)))
}

/// Whether a device's configuration offers `alg`: advertised, or (with the
/// `probe_unadvertised` parameter) at least its service. Trial sessions then decide.
/// A chained pair is offered when both halves are.
pub(crate) fn offered_by(alg: &dyn Algorithm, config: &Config) -> bool {
    let kind = alg.session_kind();
    let advertised = match kind {
        SessionKind::Chain { algo, chain } => {
            config.advertises(service::CIPHER, algo)
                && config.advertises(service::MAC, chain.mac_algo)
        }
        _ => config.advertises(kind.service(), kind.algo()),
    };
    advertised || (probe_unadvertised() && config.has_service(kind.service()))
}

/// Whether `dev` is ready and serves `alg` (it accepted at least one trial key).
pub(crate) fn served_by(alg: &dyn Algorithm, dev: &CryptoDevice) -> bool {
    let kind = alg.session_kind();
    dev.is_ready() && dev.trials().serves(&kind)
}

/// Whether `dev` takes `alg`'s keys of `len` bytes: its trial sessions accepted the length
/// and its configuration's limit allows it.
pub(crate) fn accepts_key(alg: &dyn Algorithm, dev: &CryptoDevice, len: usize) -> bool {
    let kind = alg.session_kind();
    len <= dev.config().key_limit(kind.service())
        && dev.trials().accepts(&kind, &alg.key_sizes(), len)
}

/// Key bytes for trial sessions: all different, so no triple-DES key degenerates and no
/// XTS key has equal halves.
pub(crate) const TRIAL_KEY: [u8; 64] = {
    let mut key = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        key[i] = (i as u8).wrapping_mul(37).wrapping_add(1);
        i += 1;
    }
    key
};

/// What the trial sessions of one algorithm found.
pub(crate) enum TrialOutcome {
    /// Every trial key was accepted.
    All,
    /// Some were: the others go to software.
    Some,
    /// None was: the device does not serve the algorithm.
    None,
}

/// The trial sessions of one algorithm on one device: what they found, and which trial
/// keys were accepted (bit `i` for the `i`-th), not yet recorded on the device.
pub(crate) struct Trials {
    /// What they found.
    pub(crate) outcome: TrialOutcome,
    accepted: u16,
}

impl Trials {
    /// Records the accepted trial keys on `dev`: from then on the algorithm is served
    /// there ([`served_by`]).
    pub(crate) fn record(&self, alg: &dyn Algorithm, dev: &CryptoDevice) {
        let kind = alg.session_kind();
        for i in (0..16).filter(|i| self.accepted & (1 << i) != 0) {
            dev.trials().record(&kind, i);
        }
    }
}

/// Creates and destroys a session with each of `alg`'s trial keys on `dev`. Records
/// nothing ([`Trials::record`]). Process context.
pub(crate) fn run_trials(alg: &dyn Algorithm, dev: &CryptoDevice) -> Trials {
    let kind = alg.session_kind();
    let (mut accepted, mut refused) = (0u16, 0);
    for (i, len) in alg
        .key_sizes()
        .trials(dev.config().key_limit(kind.service()))
        .enumerate()
        .take(16)
    {
        let ok = TRIAL_KEY
            .get(..len)
            .and_then(|key| alg.trial_spec(key).ok())
            .is_some_and(|spec| dev.try_session(&spec));
        if ok {
            accepted |= 1 << i;
        } else {
            refused += 1;
        }
    }
    let outcome = match (accepted, refused) {
        (0, _) => TrialOutcome::None,
        (_, 0) => TrialOutcome::All,
        _ => TrialOutcome::Some,
    };
    Trials { outcome, accepted }
}
