// SPDX-License-Identifier: GPL-2.0

//! Receive handlers on another device (`netdev_rx_handler_register`), the
//! hook through which stacking drivers (bonding, bridge, team, macvlan)
//! claim the packets their lower devices receive.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).

use super::{bindings, skbuff::SkBuff, Device, Rtnl};
use core::marker::PhantomData;
use kernel::{
    error::{to_result, Result},
    sync::Arc,
    types::{ARef, ForeignOwnable},
};

/// What a receive handler did with a packet (`rx_handler_result_t`); the
/// variants that give the packet back carry it.
pub enum RxResult<'a> {
    /// The handler took the packet (forwarded, queued or freed it).
    Consumed,
    /// Process the packet again as received on another device (usually the
    /// upper device). The device is borrowed from the handler's data, which
    /// outlives the call; the core processes the packet before the handler
    /// returns to it, within the same RCU section.
    Another(SkBuff, &'a Device),
    /// Deliver the packet only to protocol handlers bound exactly to this
    /// device, not to wildcard ones.
    Exact(SkBuff),
    /// Deliver the packet normally, as if there were no handler.
    Pass(SkBuff),
}

/// A receive handler; its data is shared (`Arc`) between the registration
/// and the packets in flight.
pub trait RxHandler: Send + Sync + Sized + 'static {
    /// Handles a packet received on the device the handler is registered
    /// on. Runs in softirq context under RCU, on any CPU, concurrently with
    /// itself. The packet is not shared (the layer unshares it first, as
    /// `skb_share_check` in every C handler does).
    fn handle_frame<'a>(this: &'a Self, skb: SkBuff) -> RxResult<'a>;
}

/// A registered receive handler; it stays registered until
/// [`RxHandlerRegistration::unregister`] (or drop) and keeps a counted
/// reference to the device it is registered on.
///
/// # Invariants
///
/// While `self` exists and `unregistered` is false, `dev`'s `rx_handler` is
/// `Self::trampoline` and its `rx_handler_data` is the `Arc<T>` that
/// `register` turned into a foreign pointer.
#[must_use = "the handler is unregistered when this is dropped"]
pub struct RxHandlerRegistration<T: RxHandler> {
    dev: ARef<Device>,
    unregistered: bool,
    _p: PhantomData<Arc<T>>,
}

impl<T: RxHandler> RxHandlerRegistration<T> {
    /// Registers `data`'s handler on `dev`. Fails with `EBUSY` if the
    /// device already has a handler (e.g. it is a port of a bridge).
    pub fn register(_rtnl: &Rtnl, dev: &Device, data: Arc<T>) -> Result<Self> {
        let ptr = data.into_foreign();
        // SAFETY: RTNL is held (token); the device is allocated; `ptr` stays
        // valid until we take it back after unregistering.
        let ret = unsafe {
            bindings::netdev_rx_handler_register(
                dev.as_raw(),
                Some(Self::trampoline),
                ptr.cast_mut(),
            )
        };
        if let Err(e) = to_result(ret) {
            // SAFETY: registration failed, so the core never saw `ptr`,
            // which came from `into_foreign` above.
            drop(unsafe { Arc::<T>::from_foreign(ptr) });
            return Err(e);
        }
        // INVARIANT: registered just above.
        Ok(Self {
            dev: dev.into(),
            unregistered: false,
            _p: PhantomData,
        })
    }

    /// Returns the device the handler is registered on.
    pub fn device(&self) -> &Device {
        &self.dev
    }

    /// Unregisters the handler (`netdev_rx_handler_unregister`), waits
    /// until no CPU runs it any more, and drops its reference to the data.
    pub fn unregister(mut self, rtnl: &Rtnl) {
        self.unregister_locked(rtnl);
    }

    fn unregister_locked(&mut self, _rtnl: &Rtnl) {
        if self.unregistered {
            return;
        }
        self.unregistered = true;
        // SAFETY: the handler is ours (type invariant) and RTNL is held.
        let ptr = unsafe {
            let dev = self.dev.as_raw();
            let ptr = (*dev).rx_handler_data;
            // This waits for an RCU grace period (`synchronize_net`), so no
            // handler runs with `ptr` afterwards.
            bindings::netdev_rx_handler_unregister(dev);
            ptr
        };
        // SAFETY: `ptr` came from `into_foreign` in `register` and the core
        // no longer uses it.
        drop(unsafe { Arc::<T>::from_foreign(ptr) });
    }

    /// The C `rx_handler`.
    ///
    /// # Safety
    ///
    /// Called by the core's receive path under RCU with an owned skb whose
    /// device has this handler registered.
    unsafe extern "C" fn trampoline(
        pskb: *mut *mut bindings::sk_buff,
    ) -> bindings::rx_handler_result_t {
        // SAFETY: the core passes its reference to the skb through `*pskb`;
        // if we return it (any result but CONSUMED) we write it back.
        let skb = unsafe { SkBuff::from_raw(*pskb) };
        // Handlers change the skb (its device at least): they need their own.
        let Some(skb) = skb.share_check() else {
            // The clone failed and the packet was freed.
            return bindings::rx_handler_result_RX_HANDLER_CONSUMED;
        };
        // SAFETY: the handler runs under RCU on the device it is registered
        // on, so `rx_handler_data` is the `Arc<T>` from `register`, which
        // `unregister` only drops after a grace period.
        let data = unsafe {
            let dev = skb.device_raw();
            <Arc<T> as ForeignOwnable>::borrow((*dev).rx_handler_data)
        };
        let (ret, back) = match T::handle_frame(&data, skb) {
            RxResult::Consumed => (bindings::rx_handler_result_RX_HANDLER_CONSUMED, None),
            RxResult::Another(mut s, dev) => {
                // SAFETY: `dev` is borrowed from the handler's data, which
                // lives until after a grace period that follows
                // unregistration; the core uses `skb->dev` for this packet
                // within the current RCU section (another round of
                // `__netif_receive_skb_core`).
                unsafe { s.set_device_raw(dev.as_raw()) };
                (bindings::rx_handler_result_RX_HANDLER_ANOTHER, Some(s))
            }
            RxResult::Exact(s) => (bindings::rx_handler_result_RX_HANDLER_EXACT, Some(s)),
            RxResult::Pass(s) => (bindings::rx_handler_result_RX_HANDLER_PASS, Some(s)),
        };
        if let Some(s) = back {
            // SAFETY: `pskb` is the core's slot for the packet it gets back.
            unsafe { *pskb = s.into_raw() };
        }
        ret
    }
}

impl<T: RxHandler> Drop for RxHandlerRegistration<T> {
    /// Unregisters if [`Self::unregister`] was not called. This takes RTNL,
    /// so it must not run in a section that holds RTNL (which deadlocks, and
    /// lockdep reports): code holding RTNL must call `unregister` on every
    /// path, errors included.
    fn drop(&mut self) {
        if !self.unregistered {
            let rtnl = Rtnl::lock();
            self.unregister_locked(&rtnl);
        }
    }
}
