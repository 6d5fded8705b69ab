// SPDX-License-Identifier: GPL-2.0

//! Interface statistics: `struct rtnl_link_stats64` and the per-CPU
//! transmit counters (`dev_lstats_*`).

use super::super::{bindings, Device};

/// Interface statistics as `ip -s link` shows them (`struct
/// rtnl_link_stats64`); every field is a `u64` counter.
pub use super::bindings::rtnl_link_stats64 as Stats64;

/// How many `u64` counters a [`Stats64`] holds.
pub const STATS64_COUNTERS: usize = core::mem::size_of::<Stats64>() / 8;

// `stats64_counters` relies on this: the struct is nothing but counters.
const _: () = assert!(core::mem::size_of::<Stats64>() == STATS64_COUNTERS * 8);
const _: () = assert!(core::mem::align_of::<Stats64>() == 8);

/// The counters of `stats` as an array, for code that folds them all (as
/// C casts `struct rtnl_link_stats64 *` to `u64 *`).
pub fn stats64_counters(stats: &Stats64) -> &[u64; STATS64_COUNTERS] {
    // SAFETY: `rtnl_link_stats64` is a `repr(C)` struct of `u64` fields
    // only (size and alignment checked above), so it has the layout of
    // this array.
    unsafe { &*(stats as *const Stats64).cast() }
}

/// Mutable version of [`stats64_counters`].
pub fn stats64_counters_mut(stats: &mut Stats64) -> &mut [u64; STATS64_COUNTERS] {
    // SAFETY: as in `stats64_counters`; the borrow is exclusive.
    unsafe { &mut *(stats as *mut Stats64).cast() }
}

impl Device {
    /// Adds `len` bytes and one packet to the per-CPU transmit counters
    /// (`dev_lstats_add`). Does nothing unless the device asked for them
    /// with [`SetupDevice::use_pcpu_lstats`].
    pub fn lstats_add(&self, len: u32) {
        // SAFETY: the device is allocated; the per-CPU area exists when the
        // stat type says so (the core allocates it at registration, before
        // any transmit).
        unsafe {
            if (*self.as_raw()).pcpu_stat_type()
                == bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS
            {
                bindings::rust_net_dev_lstats_add(self.as_raw(), len);
            }
        }
    }

    /// Reads the per-CPU counters added by [`Device::lstats_add`]:
    /// `(packets, bytes)`. Only meaningful on a registered device: the core
    /// allocates the counters after `ndo_init` and frees them before
    /// `ndo_uninit` when registration fails.
    pub fn lstats_read(&self) -> (u64, u64) {
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: as in `lstats_add`; `dev_lstats_read` only reads.
        unsafe {
            if (*self.as_raw()).pcpu_stat_type()
                == bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS
            {
                bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes);
            }
        }
        (packets, bytes)
    }
}
