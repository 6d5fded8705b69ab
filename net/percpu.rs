// SPDX-License-Identifier: GPL-2.0

//! Per-CPU counters (`alloc_percpu(u32)` and `this_cpu_inc_return`).
//!
//! C header: [`include/linux/percpu.h`](srctree/include/linux/percpu.h).
//!
//! A counter that several CPUs bump on a hot path without sharing a cache
//! line, as bonding's round-robin `rr_tx_counter`.

use super::bindings;
use core::ptr::NonNull;
use kernel::prelude::*;

/// A per-CPU `u32` counter, freed on drop.
///
/// # Invariants
///
/// `ptr` is a live per-CPU allocation of one `u32` from `alloc_percpu`,
/// owned by this value.
pub struct PerCpuCounter {
    ptr: NonNull<u32>,
}

// SAFETY: each CPU only touches its own slot, through the per-CPU
// operations, which are safe from any context.
unsafe impl Send for PerCpuCounter {}
// SAFETY: see `Send`.
unsafe impl Sync for PerCpuCounter {}

impl PerCpuCounter {
    /// Allocates a counter, 0 on every CPU.
    pub fn new() -> Result<Self> {
        // SAFETY: plain allocation; the result is checked.
        let ptr = unsafe { bindings::rust_net_alloc_percpu_u32() };
        Ok(Self {
            ptr: NonNull::new(ptr).ok_or(ENOMEM)?,
        })
    }

    /// Increments this CPU's counter and returns the new value
    /// (`this_cpu_inc_return`).
    pub fn inc_return(&self) -> u32 {
        // SAFETY: `ptr` is a live per-CPU allocation (invariant); the
        // operation is preemption- and interrupt-safe.
        unsafe { bindings::rust_net_this_cpu_inc_return_u32(self.ptr.as_ptr()) }
    }
}

impl Drop for PerCpuCounter {
    fn drop(&mut self) {
        // SAFETY: `ptr` is owned (invariant) and no longer used.
        unsafe { bindings::free_percpu(self.ptr.as_ptr().cast()) };
    }
}
