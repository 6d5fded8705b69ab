// SPDX-License-Identifier: GPL-2.0

//! A periodic heartbeat per rdummy device: a delayed work that counts its
//! runs under a BH spinlock while the device is up, like a link monitor.
//!
//! Shows the layer's [`DelayedWork`], [`SpinLockBh`] and jiffies helpers,
//! and that a pending work is cancelled when the device goes down or away.

use crate::net::{
    delayed_work::{impl_has_delayed_work, new_delayed_work, DelayedWork, DelayedWorkItem, Queue},
    spinlock_bh::{new_spinlock_bh, SpinLockBh},
    time::{self, Jiffies},
};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::{prelude::*, sync::Arc};

/// The default period, in milliseconds (0 turns the heartbeat off).
pub(crate) const DEFAULT_INTERVAL_MS: u32 = 100;

/// What the heartbeat records.
pub(crate) struct Beats {
    /// How many times the work ran.
    pub(crate) count: u64,
    /// When it last ran.
    pub(crate) last: Jiffies,
}

/// The heartbeat of one device.
#[pin_data]
pub(crate) struct Heartbeat {
    #[pin]
    work: DelayedWork<Heartbeat>,
    #[pin]
    beats: SpinLockBh<Beats>,
    interval_ms: AtomicU32,
    /// Whether the device is up (the work requeues itself only then).
    running: AtomicBool,
}

impl_has_delayed_work! {
    impl HasDelayedWork<Self> for Heartbeat { self.work }
}

impl DelayedWorkItem for Heartbeat {
    fn run(this: Arc<Self>) {
        {
            let mut b = this.beats.lock();
            b.count += 1;
            b.last = time::jiffies();
        }
        let ms = this.interval_ms.load(Ordering::Relaxed);
        if this.running.load(Ordering::Acquire) && ms != 0 {
            DelayedWork::queue(this, time::msecs_to_jiffies(ms));
        }
    }
}

impl Heartbeat {
    pub(crate) fn new(interval_ms: u32) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                work <- new_delayed_work!(Queue::System, "rdummy::Heartbeat::work"),
                beats <- new_spinlock_bh!(Beats { count: 0, last: 0 }, "rdummy::Heartbeat::beats"),
                interval_ms: AtomicU32::new(interval_ms),
                running: AtomicBool::new(false),
            }),
            GFP_KERNEL,
        )
    }

    /// Starts beating (the device came up).
    pub(crate) fn start(this: &Arc<Self>) {
        this.running.store(true, Ordering::Release);
        let ms = this.interval_ms.load(Ordering::Relaxed);
        if ms != 0 {
            DelayedWork::queue(this.clone(), time::msecs_to_jiffies(ms));
        }
    }

    /// Stops beating and waits until the work is neither pending nor
    /// running (the device goes down or away).
    pub(crate) fn stop(&self) {
        self.running.store(false, Ordering::Release);
        self.work.cancel_sync();
    }

    /// Returns the period in milliseconds.
    pub(crate) fn interval_ms(&self) -> u32 {
        self.interval_ms.load(Ordering::Relaxed)
    }

    /// Changes the period; a running heartbeat is rescheduled at once.
    pub(crate) fn set_interval_ms(this: &Arc<Self>, ms: u32) {
        this.interval_ms.store(ms, Ordering::Relaxed);
        if this.running.load(Ordering::Acquire) {
            if ms == 0 {
                this.work.cancel_sync();
            } else {
                DelayedWork::modify(this.clone(), time::msecs_to_jiffies(ms));
            }
        }
    }

    /// Returns how many times the heartbeat ran.
    pub(crate) fn beats(&self) -> u64 {
        self.beats.lock().count
    }

    /// Returns the milliseconds since the last run, if there was one.
    pub(crate) fn since_last_ms(&self) -> Option<u32> {
        let b = self.beats.lock();
        (b.count != 0).then(|| time::jiffies_to_msecs(time::jiffies().wrapping_sub(b.last)))
    }
}
