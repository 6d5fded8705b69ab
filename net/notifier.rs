// SPDX-License-Identifier: GPL-2.0

//! Netdevice notifiers (`register_netdevice_notifier`): typed events about
//! every device of every namespace.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).

use super::{bindings, Device, Rtnl};
use kernel::{error::Result, prelude::*, types::Opaque};

/// A netdevice event (`NETDEV_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NetdevEvent {
    /// The device is about to come up (`NETDEV_PRE_UP`); may be vetoed.
    PreUp,
    /// The device is up (`NETDEV_UP`).
    Up,
    /// The device is down (`NETDEV_DOWN`).
    Down,
    /// The device is about to go down (`NETDEV_GOING_DOWN`).
    GoingDown,
    /// Link state or similar changed (`NETDEV_CHANGE`).
    Change,
    /// The device was registered (`NETDEV_REGISTER`).
    Register,
    /// The device is being unregistered (`NETDEV_UNREGISTER`).
    Unregister,
    /// The MTU changed (`NETDEV_CHANGEMTU`).
    ChangeMtu,
    /// The MTU is about to change (`NETDEV_PRECHANGEMTU`); may be vetoed.
    PreChangeMtu,
    /// The hardware address changed (`NETDEV_CHANGEADDR`).
    ChangeAddr,
    /// The hardware address is about to change (`NETDEV_PRE_CHANGEADDR`).
    PreChangeAddr,
    /// The device was renamed (`NETDEV_CHANGENAME`).
    ChangeName,
    /// The features changed (`NETDEV_FEAT_CHANGE`).
    FeatChange,
    /// The device type is about to change (`NETDEV_PRE_TYPE_CHANGE`).
    PreTypeChange,
    /// The device type changed (`NETDEV_POST_TYPE_CHANGE`).
    PostTypeChange,
    /// An upper device link is about to change (`NETDEV_PRECHANGEUPPER`).
    PreChangeUpper,
    /// An upper device link changed (`NETDEV_CHANGEUPPER`).
    ChangeUpper,
    /// A lower device's state for its upper changed (`NETDEV_CHANGELOWERSTATE`).
    ChangeLowerState,
    /// Peers should be told about the device (`NETDEV_NOTIFY_PEERS`).
    NotifyPeers,
    /// Multicast memberships should be re-sent (`NETDEV_RESEND_IGMP`).
    ResendIgmp,
    /// A bond failed over (`NETDEV_BONDING_FAILOVER`).
    BondingFailover,
    /// The kind-specific configuration changed (`NETDEV_CHANGEINFODATA`).
    ChangeInfoData,
    /// The device is joining an upper device (`NETDEV_JOIN`).
    Join,
    /// An upper device released its last lower device (`NETDEV_RELEASE`).
    Release,
    /// Any other event, by number.
    Other(u64),
}

impl NetdevEvent {
    /// Whether the core acts on a handler's error for this event (undoes
    /// the change or refuses it). For the other events an error would only
    /// stop the chain before later notifiers, so the layer logs it instead.
    pub fn can_veto(self) -> bool {
        use NetdevEvent::*;
        matches!(
            self,
            PreUp
                | PreChangeMtu
                | PreChangeAddr
                | PreChangeUpper
                | PreTypeChange
                | ChangeName
                | Register
        )
    }

    fn from_raw(v: u64) -> Self {
        use NetdevEvent::*;
        match v as u32 {
            bindings::netdev_cmd_NETDEV_PRE_UP => PreUp,
            bindings::netdev_cmd_NETDEV_UP => Up,
            bindings::netdev_cmd_NETDEV_DOWN => Down,
            bindings::netdev_cmd_NETDEV_GOING_DOWN => GoingDown,
            bindings::netdev_cmd_NETDEV_CHANGE => Change,
            bindings::netdev_cmd_NETDEV_REGISTER => Register,
            bindings::netdev_cmd_NETDEV_UNREGISTER => Unregister,
            bindings::netdev_cmd_NETDEV_CHANGEMTU => ChangeMtu,
            bindings::netdev_cmd_NETDEV_PRECHANGEMTU => PreChangeMtu,
            bindings::netdev_cmd_NETDEV_CHANGEADDR => ChangeAddr,
            bindings::netdev_cmd_NETDEV_PRE_CHANGEADDR => PreChangeAddr,
            bindings::netdev_cmd_NETDEV_CHANGENAME => ChangeName,
            bindings::netdev_cmd_NETDEV_FEAT_CHANGE => FeatChange,
            bindings::netdev_cmd_NETDEV_PRE_TYPE_CHANGE => PreTypeChange,
            bindings::netdev_cmd_NETDEV_POST_TYPE_CHANGE => PostTypeChange,
            bindings::netdev_cmd_NETDEV_PRECHANGEUPPER => PreChangeUpper,
            bindings::netdev_cmd_NETDEV_CHANGEUPPER => ChangeUpper,
            bindings::netdev_cmd_NETDEV_CHANGELOWERSTATE => ChangeLowerState,
            bindings::netdev_cmd_NETDEV_NOTIFY_PEERS => NotifyPeers,
            bindings::netdev_cmd_NETDEV_RESEND_IGMP => ResendIgmp,
            bindings::netdev_cmd_NETDEV_BONDING_FAILOVER => BondingFailover,
            bindings::netdev_cmd_NETDEV_CHANGEINFODATA => ChangeInfoData,
            bindings::netdev_cmd_NETDEV_JOIN => Join,
            bindings::netdev_cmd_NETDEV_RELEASE => Release,
            _ => Other(v),
        }
    }

    /// The event's number (`NETDEV_*`), for sending it.
    pub(crate) fn raw(self) -> u64 {
        use NetdevEvent::*;
        u64::from(match self {
            PreUp => bindings::netdev_cmd_NETDEV_PRE_UP,
            Up => bindings::netdev_cmd_NETDEV_UP,
            Down => bindings::netdev_cmd_NETDEV_DOWN,
            GoingDown => bindings::netdev_cmd_NETDEV_GOING_DOWN,
            Change => bindings::netdev_cmd_NETDEV_CHANGE,
            Register => bindings::netdev_cmd_NETDEV_REGISTER,
            Unregister => bindings::netdev_cmd_NETDEV_UNREGISTER,
            ChangeMtu => bindings::netdev_cmd_NETDEV_CHANGEMTU,
            PreChangeMtu => bindings::netdev_cmd_NETDEV_PRECHANGEMTU,
            ChangeAddr => bindings::netdev_cmd_NETDEV_CHANGEADDR,
            PreChangeAddr => bindings::netdev_cmd_NETDEV_PRE_CHANGEADDR,
            ChangeName => bindings::netdev_cmd_NETDEV_CHANGENAME,
            FeatChange => bindings::netdev_cmd_NETDEV_FEAT_CHANGE,
            PreTypeChange => bindings::netdev_cmd_NETDEV_PRE_TYPE_CHANGE,
            PostTypeChange => bindings::netdev_cmd_NETDEV_POST_TYPE_CHANGE,
            PreChangeUpper => bindings::netdev_cmd_NETDEV_PRECHANGEUPPER,
            ChangeUpper => bindings::netdev_cmd_NETDEV_CHANGEUPPER,
            ChangeLowerState => bindings::netdev_cmd_NETDEV_CHANGELOWERSTATE,
            NotifyPeers => bindings::netdev_cmd_NETDEV_NOTIFY_PEERS,
            ResendIgmp => bindings::netdev_cmd_NETDEV_RESEND_IGMP,
            BondingFailover => bindings::netdev_cmd_NETDEV_BONDING_FAILOVER,
            ChangeInfoData => bindings::netdev_cmd_NETDEV_CHANGEINFODATA,
            Join => bindings::netdev_cmd_NETDEV_JOIN,
            Release => bindings::netdev_cmd_NETDEV_RELEASE,
            Other(v) => return v,
        })
    }
}

/// Receives netdevice events.
pub trait NetdevNotifier: Send + Sync {
    /// Handles `event` for `dev`. The core calls it under RTNL for every
    /// device in every namespace; returning an error vetoes the events that
    /// can be vetoed (see [`NetdevEvent::can_veto`]). For the others the
    /// error is logged and the chain goes on.
    fn event(&self, rtnl: &Rtnl, event: NetdevEvent, dev: &Device) -> Result;
}

/// A registered netdevice notifier that calls `T`; unregistered on drop.
///
/// On registration the core replays `REGISTER` and `UP` for existing
/// devices, and on unregistration `DOWN` and `UNREGISTER`, as in C.
///
/// # Invariants
///
/// `nb` is registered with the core for the whole life of the pinned value.
#[pin_data(PinnedDrop)]
pub struct NotifierRegistration<T: NetdevNotifier> {
    #[pin]
    nb: Opaque<bindings::notifier_block>,
    handler: T,
}

// SAFETY: the block is only written before registration; `T` is Send+Sync.
unsafe impl<T: NetdevNotifier> Send for NotifierRegistration<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: NetdevNotifier> Sync for NotifierRegistration<T> {}

impl<T: NetdevNotifier> NotifierRegistration<T> {
    /// Registers `handler` (`register_netdevice_notifier`). Takes RTNL, so
    /// it must not be called with RTNL held.
    pub fn new(handler: T) -> impl PinInit<Self, Error> {
        let register = |slot: *mut Opaque<bindings::notifier_block>| {
            let nb = Opaque::raw_get(slot);
            // SAFETY: `slot` is valid for writes and pinned (initialiser
            // contract), and `handler` was initialised before it (field
            // order below), so events can reach it at once.
            unsafe {
                nb.write(bindings::notifier_block {
                    notifier_call: Some(Self::call),
                    ..core::mem::zeroed()
                });
                kernel::error::to_result(bindings::register_netdevice_notifier(nb))
            }
        };
        try_pin_init!(Self {
            handler,
            // SAFETY: the closure initialises the whole block before it
            // registers it, and registers nothing when it fails.
            nb <- unsafe { kernel::init::pin_init_from_closure(register) },
        })
    }

    /// Returns the handler.
    pub fn handler(&self) -> &T {
        &self.handler
    }

    /// The C `notifier_call`.
    ///
    /// # Safety
    ///
    /// Called by the netdevice notifier chain, under RTNL, with a block
    /// registered by `new` and a `netdev_notifier_info`.
    unsafe extern "C" fn call(
        nb: *mut bindings::notifier_block,
        event: kernel::ffi::c_ulong,
        ptr: *mut kernel::ffi::c_void,
    ) -> kernel::ffi::c_int {
        // SAFETY: the netdevice chain runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: `nb` is the `nb` field of a pinned `Self` that stays alive
        // while registered (type invariant); `ptr` is a notifier info whose
        // device the core holds for the call.
        let (this, dev) = unsafe {
            let this = &*nb
                .cast::<u8>()
                .sub(core::mem::offset_of!(Self, nb))
                .cast::<Self>();
            let dev = Device::from_raw((*ptr.cast::<bindings::netdev_notifier_info>()).dev);
            (this, dev)
        };
        let event = NetdevEvent::from_raw(event as u64);
        match this.handler.event(&rtnl, event, dev) {
            Ok(()) => bindings::NOTIFY_DONE as i32,
            // `notifier_from_errno`: stops the chain, and the core undoes or
            // refuses the change.
            Err(e) if event.can_veto() => {
                (bindings::NOTIFY_STOP_MASK as i32) | (bindings::NOTIFY_OK as i32 - e.to_errno())
            }
            Err(e) => {
                pr_warn!(
                    "{}: notifier error {} on {:?} ignored\n",
                    dev.name(),
                    e.to_errno(),
                    event
                );
                bindings::NOTIFY_DONE as i32
            }
        }
    }
}

#[pinned_drop]
impl<T: NetdevNotifier> PinnedDrop for NotifierRegistration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: registered in `new` (type invariant). This takes RTNL and
        // waits for running callbacks.
        unsafe { bindings::unregister_netdevice_notifier(self.nb.get()) };
    }
}
