// SPDX-License-Identifier: GPL-2.0

//! A self-test of the net layer's synchronisation pieces: [`SpinLockBh`],
//! RCU ([`RcuPtr`] under a [`Guard`](rcu::Guard)), and [`DelayedWork`] on an
//! ordered [`Workqueue`] and on the system queue.
//!
//! [`run`] checks, in order:
//!
//! 1. an [`RcuPtr`] published and replaced (sleeping and deferred), with a
//!    reader under a guard after each step, and the deferred drops counted
//!    after [`rcu::barrier`];
//! 2. a delayed work on an ordered queue that requeues itself [`ROUNDS`]
//!    times, counting under the BH lock and reading an [`RcuPtr`] that the
//!    test keeps replacing; then `modify` on the idle work and `cancel_sync`;
//! 3. an endlessly requeueing work on the system queue stopped by
//!    `cancel_sync`, after which the count stays put;
//! 4. `queue`/`modify` on a pending work.
//!
//! It leaves one work pending with a long delay on the ordered queue, owned
//! by the returned [`Pending`], whose drop (at module unload) cancels it and
//! then destroys the queue: unloading with a pending work must be clean.

use crate::net::{
    delayed_work::{
        impl_has_delayed_work, new_delayed_work, DelayedWork, DelayedWorkItem, Queue, Workqueue,
    },
    rcu::{self, RcuBox, RcuPtr},
    spinlock_bh::{new_spinlock_bh, SpinLockBh},
    time::{self, Jiffies},
    Rtnl,
};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{
    c_str,
    prelude::*,
    sync::{new_condvar, Arc, CondVar, CondVarTimeoutResult},
    types::ScopeGuard,
};

/// How many times the self-requeueing work runs.
const ROUNDS: u32 = 5;

/// How many `Tracked` values have been dropped.
static DROPS: AtomicU32 = AtomicU32::new(0);

/// A value whose drops are counted, so the test sees deferred frees happen.
struct Tracked(u32);

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

/// What the work counts, under the BH lock.
struct Stats {
    ticks: u32,
    /// The sum of the `Tracked` values the work saw through the `RcuPtr`.
    seen: u32,
}

/// A struct with two delayed works: `tick` (ID 0) requeues itself until
/// `limit` ticks, `parked` (ID 1) is queued far in the future.
#[pin_data]
struct Ticker {
    limit: u32,
    #[pin]
    stats: SpinLockBh<Stats>,
    #[pin]
    changed: CondVar,
    config: RcuPtr<Tracked>,
    #[pin]
    tick: DelayedWork<Ticker, 0>,
    #[pin]
    parked: DelayedWork<Ticker, 1>,
}

impl_has_delayed_work! {
    impl HasDelayedWork<Self, 0> for Ticker { self.tick }
    impl HasDelayedWork<Self, 1> for Ticker { self.parked }
}

impl DelayedWorkItem<0> for Ticker {
    fn run(this: Arc<Self>) {
        let value = {
            let guard = rcu::read_lock();
            this.config.get(&guard).map_or(0, |t| t.0)
        };
        let ticks = {
            let mut stats = this.stats.lock();
            stats.ticks += 1;
            stats.seen += value;
            stats.ticks
        };
        this.changed.notify_all();
        if ticks < this.limit {
            DelayedWork::<Ticker, 0>::queue(this, time::msecs_to_jiffies(10));
        }
    }
}

impl DelayedWorkItem<1> for Ticker {
    fn run(_this: Arc<Self>) {
        pr_err!("selftest: the parked work ran; it should have been cancelled\n");
    }
}

impl Ticker {
    fn new(limit: u32, queue: Queue) -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Ticker {
                limit,
                stats <- new_spinlock_bh!(Stats { ticks: 0, seen: 0 }, "Ticker::stats"),
                changed <- new_condvar!("Ticker::changed"),
                config: RcuPtr::null(),
                tick <- new_delayed_work!(queue.clone(), "Ticker::tick"),
                parked <- new_delayed_work!(queue, "Ticker::parked"),
            }),
            GFP_KERNEL,
        )
    }

    fn ticks(&self) -> u32 {
        self.stats.lock().ticks
    }

    /// Waits until the work has ticked `n` times; `false` after 5 s without.
    fn wait_for(&self, n: u32) -> bool {
        let mut stats = self.stats.lock();
        for _ in 0..50 {
            if stats.ticks >= n {
                return true;
            }
            let _ = self
                .changed
                .wait_interruptible_timeout(&mut stats, time::msecs_to_jiffies(100));
        }
        stats.ticks >= n
    }

    /// Sleeps for about `ms` milliseconds (nobody notifies `changed` then).
    fn idle(&self, ms: u32) {
        let mut stats = self.stats.lock();
        let end: Jiffies = time::jiffies().wrapping_add(time::msecs_to_jiffies(ms));
        while time::time_before(time::jiffies(), end) {
            if let CondVarTimeoutResult::Signal { .. } = self
                .changed
                .wait_interruptible_timeout(&mut stats, time::msecs_to_jiffies(ms))
            {
                break;
            }
        }
    }
}

/// Fails the test with a message.
fn fail(what: &str) -> Error {
    pr_err!("selftest: FAILED: {}\n", what);
    EINVAL
}

/// Step 1: publish, replace (sleeping and deferred), read under a guard.
fn rcu_steps(rtnl: &Rtnl) -> Result {
    let drops0 = DROPS.load(Ordering::Relaxed);
    let p = RcuPtr::<Tracked>::null();
    if p.get(&rcu::read_lock()).is_some() {
        return Err(fail("a null RcuPtr read as set"));
    }
    for i in 1..=3 {
        let old = p.replace(Some(RcuBox::new(Tracked(i), GFP_KERNEL)?), rtnl);
        if old.as_ref().map(|t| t.0) != (i > 1).then_some(i - 1) {
            return Err(fail("replace returned the wrong old value"));
        }
        let guard = rcu::read_lock();
        if p.get(&guard).map(|t| t.0) != Some(i) {
            return Err(fail("the reader did not see the replaced value"));
        }
    }
    for i in 4..=6 {
        p.replace_deferred(Some(RcuBox::new(Tracked(i), GFP_KERNEL)?), rtnl);
        let guard = rcu::read_lock();
        if p.get(&guard).map(|t| t.0) != Some(i) {
            return Err(fail("the reader did not see the deferred replacement"));
        }
    }
    // A `T` without drop goes the `kvfree_call_rcu` way.
    let plain = RcuPtr::new(Some(RcuBox::new([1u32, 2, 3, 4], GFP_KERNEL)?));
    plain.replace_deferred(Some(RcuBox::new([5, 6, 7, 8], GFP_KERNEL)?), rtnl);
    if plain.get(&rcu::read_lock()).map(|a| a[3]) != Some(8) {
        return Err(fail("the plain RcuPtr did not read back"));
    }
    // Values 1..=2 came back from `replace` and were dropped here; 3..=5
    // are freed by RCU callbacks, which `barrier` waits for.
    rcu::barrier();
    if DROPS.load(Ordering::Relaxed) - drops0 != 5 {
        return Err(fail("the deferred frees did not all run"));
    }
    drop(p);
    if DROPS.load(Ordering::Relaxed) - drops0 != 6 {
        return Err(fail("dropping the RcuPtr did not free its value"));
    }
    Ok(())
}

/// Cancels a ticker's works when dropped, so that no error path leaves a
/// work pending.
struct Cancel(Arc<Ticker>);

impl Drop for Cancel {
    fn drop(&mut self) {
        self.0.tick.cancel_sync();
        self.0.parked.cancel_sync();
    }
}

/// Work that must be cancelled when the module unloads.
pub(crate) struct Pending(Arc<Ticker>);

impl Drop for Pending {
    fn drop(&mut self) {
        if self.0.parked.cancel_sync() {
            pr_info!("selftest: cancelled the pending work at unload\n");
        } else {
            pr_err!("selftest: the parked work was not pending at unload\n");
        }
        // `replace_deferred` on a `T` with drop queued callbacks into this
        // module: none may be left when it is unloaded.
        rcu::barrier();
    }
}

/// Runs the self-test; on success, returns the work the module must cancel
/// when it unloads.
pub(crate) fn run() -> Result<Pending> {
    let rtnl = Rtnl::lock();
    rcu_steps(&rtnl)?;
    drop(rtnl);

    // Step 2: a self-requeueing work on an ordered queue, reading an RcuPtr
    // that is replaced meanwhile.
    let wq = Arc::new(
        Workqueue::new_ordered(c_str!("rdummy_selftest"))?,
        GFP_KERNEL,
    )?;
    let ticker = Cancel(Ticker::new(ROUNDS, Queue::Owned(wq.clone()))?);
    let ticker = &ticker.0;
    if !DelayedWork::<Ticker, 0>::queue(ticker.clone(), 0) {
        return Err(fail("queueing an idle work failed"));
    }
    for i in 1..=3 {
        let rtnl = Rtnl::lock();
        ticker
            .config
            .replace_deferred(Some(RcuBox::new(Tracked(i), GFP_KERNEL)?), &rtnl);
    }
    if !ticker.wait_for(ROUNDS) {
        return Err(fail("the delayed work did not run its rounds"));
    }
    ticker.idle(50);
    if ticker.ticks() != ROUNDS {
        return Err(fail("the delayed work ran more rounds than asked"));
    }
    if ticker.tick.cancel_sync() {
        return Err(fail("a finished work was still pending"));
    }
    // `modify` on an idle work queues it; `cancel_sync` then finds it pending.
    if DelayedWork::<Ticker, 0>::modify(ticker.clone(), time::msecs_to_jiffies(600_000)) {
        return Err(fail("modify saw an idle work as pending"));
    }
    if !ticker.tick.cancel_sync() {
        return Err(fail("cancel_sync did not find the modified work pending"));
    }

    // Step 3: cancel a work that requeues itself forever.
    let endless = Cancel(Ticker::new(u32::MAX, Queue::System)?);
    let endless = &endless.0;
    DelayedWork::<Ticker, 0>::queue(endless.clone(), 0);
    if !endless.wait_for(3) {
        return Err(fail("the endless work did not run"));
    }
    endless.tick.cancel_sync();
    let stopped_at = endless.ticks();
    endless.idle(50);
    if endless.ticks() != stopped_at {
        return Err(fail("the work ran after cancel_sync"));
    }

    // Step 4: a work parked far in the future on the ordered queue; the
    // queue is destroyed at unload, after the work is cancelled.
    // Cancelled on the error paths; handed over to the module on success.
    let parked = ScopeGuard::new_with_data(Ticker::new(0, Queue::Owned(wq))?, |t| {
        t.parked.cancel_sync();
    });
    let long: Jiffies = time::msecs_to_jiffies(600_000);
    if !DelayedWork::<Ticker, 1>::queue(parked.clone(), long) {
        return Err(fail("queueing the parked work failed"));
    }
    if DelayedWork::<Ticker, 1>::queue(parked.clone(), long) {
        return Err(fail("queueing a pending work succeeded"));
    }
    if !DelayedWork::<Ticker, 1>::modify(parked.clone(), long) {
        return Err(fail("modify did not see the pending work"));
    }
    if !time::time_after(time::jiffies().wrapping_add(1), time::jiffies()) {
        return Err(fail("time_after is wrong"));
    }

    pr_info!("selftest: ok\n");
    Ok(Pending(parked.dismiss()))
}
