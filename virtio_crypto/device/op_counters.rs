// SPDX-License-Identifier: GPL-2.0

//! Where a device's transforms ran their operations: on the device or in software, per
//! service and for chained (authenc) requests, and for hashes, how many multi-part
//! messages went each way. Shown in debugfs.

use crate::{kernel_api::debugfs::SeqWriter, wire::service};
use core::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
};

/// Services counted (the specification's go up to `AKCIPHER`).
const SERVICES: usize = service::AKCIPHER as usize + 1;

/// Names of the services, by number, for debugfs.
const SERVICE_NAMES: [&str; SERVICES] = ["cipher", "hash", "mac", "aead", "akcipher"];

/// Where one operation ran.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ran {
    /// On the device.
    Device,
    /// In software, on the transform's software implementation.
    Software,
}

/// A device and a software count.
#[derive(Default)]
struct Pair {
    device: AtomicU64,
    software: AtomicU64,
}

impl Pair {
    fn count(&self, ran: Ran) {
        let counter = match ran {
            Ran::Device => &self.device,
            Ran::Software => &self.software,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn show(&self, out: &mut SeqWriter<'_>, name: &str) -> core::fmt::Result {
        writeln!(
            out,
            "{}_ops device {} software {}",
            name,
            self.device.load(Ordering::Relaxed),
            self.software.load(Ordering::Relaxed)
        )
    }
}

/// Operation counters of one device's transforms: one operation is one cipher request,
/// one digest, one AEAD request.
#[derive(Default)]
pub(crate) struct OpCounters {
    by_service: [Pair; SERVICES],
    chain: Pair,
    multipart: Pair,
}

impl OpCounters {
    /// Counts one operation of `service` (unknown services are not counted).
    pub(crate) fn count(&self, service: u32, ran: Ran) {
        if let Some(pair) = usize::try_from(service)
            .ok()
            .and_then(|s| self.by_service.get(s))
        {
            pair.count(ran);
        }
    }

    /// Counts one chained (cipher and MAC) request.
    pub(crate) fn count_chain(&self, ran: Ran) {
        self.chain.count(ran);
    }

    /// Counts one digest of a message that arrived in several parts (also counted by
    /// service).
    pub(crate) fn count_multipart(&self, ran: Ran) {
        self.multipart.count(ran);
    }

    /// Writes one `<service>_ops device N software M` line per service, then
    /// `chain_ops` and `multipart_ops`.
    pub(crate) fn show(&self, out: &mut SeqWriter<'_>) -> core::fmt::Result {
        for (pair, name) in self.by_service.iter().zip(SERVICE_NAMES) {
            pair.show(out, name)?;
        }
        self.chain.show(out, "chain")?;
        self.multipart.show(out, "multipart")
    }
}
