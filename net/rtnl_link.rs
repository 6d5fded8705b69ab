// SPDX-License-Identifier: GPL-2.0

//! Link kinds for `ip link add ... type KIND` (`struct rtnl_link_ops`).
//!
//! C header: [`include/net/rtnetlink.h`](srctree/include/net/rtnetlink.h).
//!
//! Devices of a kind belong to the network core once registered: `ip link
//! del` may remove one at any time, and unregistering the kind (dropping
//! its [`Registration`]) removes all that remain, in every namespace. A
//! driver therefore never owns a device handle that would unregister on
//! drop; it owns the kind's registration, and reaches its devices through
//! callbacks, [`Registration::device`] or its own
//! RCU/RTNL-protected lists.

use super::{
    bindings,
    netlink::{Attrs, ExtAck, Message, PolicyRef},
    ops::{callback, Adapter, DriverDevice, Operations},
    Device, Namespace, Rtnl,
};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{error::from_result, prelude::*, str::CStr, types::Opaque};

/// How the interface name was chosen (`NET_NAME_*`), as user space sees it
/// in `/sys/class/net/*/name_assign_type`.
#[derive(Clone, Copy)]
pub enum NameAssign {
    /// Chosen by the kernel from a `%d` template, enumerated (`NET_NAME_ENUM`).
    Enum,
    /// Not known (`NET_NAME_UNKNOWN`), as C bonding uses for `bond%d`.
    Unknown,
    /// Given by user space (`NET_NAME_USER`).
    User,
}

/// The attributes of an `RTM_NEWLINK` request, already checked against the
/// kind's policy.
pub struct LinkAttrs<'a> {
    /// Generic link attributes (`IFLA_*`), the core's `tb[]`.
    pub link: Attrs<'a>,
    /// The kind's own attributes (`IFLA_INFO_DATA`), the core's `data[]`.
    pub data: Attrs<'a>,
    /// Where to report an error message.
    pub extack: ExtAck<'a>,
}

/// A link kind: the `rtnl_link_ops` callbacks, implemented on the private
/// data type of the kind's devices.
#[vtable]
pub trait LinkOps: Operations {
    /// The kind's name (`ip link add ... type KIND`).
    const KIND: &'static CStr;

    /// How many transmit queues a new device gets (`get_num_tx_queues`).
    fn num_tx_queues() -> u32 {
        1
    }

    /// How many receive queues a new device gets (`get_num_rx_queues`).
    fn num_rx_queues() -> u32 {
        1
    }

    /// The policy for `IFLA_INFO_DATA`, if the kind has attributes.
    const POLICY: Option<PolicyRef> = None;

    /// The policy for `IFLA_INFO_SLAVE_DATA`, if the kind has any.
    const SLAVE_POLICY: Option<PolicyRef> = None;

    /// Checks a request before anything is allocated (`validate`).
    fn validate(_attrs: &mut LinkAttrs<'_>) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Returns the initialiser of a new device's private data, for `ip link
    /// add` (`newlink`, first half). `ns` is the requester's namespace.
    fn new_data(ns: &Namespace, attrs: &mut LinkAttrs<'_>) -> Result<impl PinInit<Self, Error>>;

    /// Configures a new device after its private data exists and before it
    /// is registered (`newlink`, second half); an error unregisters nothing
    /// and frees the device.
    fn newlink(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _attrs: &mut LinkAttrs<'_>) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Configures a new device right after the core registered it, as C
    /// drivers do that call `register_netdevice` first in their `newlink`
    /// (bonding: its options are then set on a registered, named device, so
    /// log lines carry the final name). An error unregisters the device
    /// again and fails the request: nothing is left behind.
    fn newlink_registered(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _attrs: &mut LinkAttrs<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Changes an existing device (`changelink`, `ip link set ... type KIND`).
    fn changelink(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _attrs: &mut LinkAttrs<'_>) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Upper bound of what `fill_info` writes, in bytes (`get_size`); use
    /// [`nla_total_size`](super::netlink::nla_total_size).
    fn get_size(_dev: &DriverDevice<Self>) -> usize {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Writes the device's `IFLA_INFO_DATA` attributes (`fill_info`), under
    /// RTNL. The core turns any error into `EMSGSIZE` and, for
    /// notifications, warns (`rtmsg_ifinfo_build_skb`): only a full message
    /// may fail, so write what is there (also during a change that is half
    /// done, such as a port being attached).
    fn fill_info(_dev: &DriverDevice<Self>, _rtnl: &Rtnl, _msg: &mut Message<'_>) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Changes a lower device's settings (`slave_changelink`, `ip link set
    /// PORT type KIND_slave ...`).
    fn slave_changelink(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _port: &Device,
        _attrs: &mut LinkAttrs<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Upper bound of what `fill_slave_info` writes (`get_slave_size`).
    fn get_slave_size(_dev: &DriverDevice<Self>, _port: &Device) -> usize {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }

    /// Writes a lower device's `IFLA_INFO_SLAVE_DATA` (`fill_slave_info`);
    /// errors as for [`LinkOps::fill_info`].
    fn fill_slave_info(
        _dev: &DriverDevice<Self>,
        _rtnl: &Rtnl,
        _port: &Device,
        _msg: &mut Message<'_>,
    ) -> Result {
        kernel::build_error(kernel::error::VTABLE_DEFAULT_ERROR)
    }
}

/// A registered link kind; dropping it unregisters the kind and deletes its
/// devices in every namespace (`rtnl_link_unregister`).
///
/// # Invariants
///
/// `ops` is registered with the core from `new` until `unregister` or drop;
/// after `new`, only the core writes it (its `list` and a default
/// `dellink`).
#[pin_data(PinnedDrop)]
pub struct Registration<T: LinkOps> {
    #[pin]
    ops: Opaque<bindings::rtnl_link_ops>,
    registered: AtomicBool,
    _p: PhantomData<T>,
}

// SAFETY: the core reads the ops from any thread; nothing in Rust writes
// them after registration.
unsafe impl<T: LinkOps> Sync for Registration<T> {}
// SAFETY: the registration may be dropped from another thread.
unsafe impl<T: LinkOps> Send for Registration<T> {}

impl<T: LinkOps> Registration<T> {
    /// Registers the kind (`rtnl_link_register`).
    pub fn new() -> impl PinInit<Self, Error> {
        let register = |slot: *mut Opaque<bindings::rtnl_link_ops>| {
            let ops = Opaque::raw_get(slot);
            // SAFETY: `slot` is valid for writes and pinned (the
            // initialiser contract), so the core may keep the pointer until
            // `rtnl_link_unregister`.
            unsafe {
                ops.write(LinkAdapter::<T>::OPS);
                kernel::error::to_result(bindings::rtnl_link_register(ops))
            }
        };
        try_pin_init!(Self {
            // SAFETY: the closure initialises the whole slot before it
            // registers it, and fails without registering anything.
            ops <- unsafe { kernel::init::pin_init_from_closure(register) },
            registered: AtomicBool::new(true),
            _p: PhantomData,
        })
    }

    fn as_raw(&self) -> *mut bindings::rtnl_link_ops {
        self.ops.get()
    }

    /// Returns the typed view of `dev` if it is a device of this kind whose
    /// private data exists.
    pub fn device<'a>(&self, dev: &'a Device) -> Option<&'a DriverDevice<T>> {
        // SAFETY: the device is allocated; both fields are set before
        // registration and not changed while the device can be reached.
        let (ops, dtor) = unsafe {
            (
                (*dev.as_raw()).rtnl_link_ops,
                (*dev.as_raw()).priv_destructor,
            )
        };
        // SAFETY: the device is of this kind (its link ops are this pinned
        // table) and the private destructor is armed only once the `T`
        // exists (`Adapter::init_data`).
        (core::ptr::eq(ops, self.as_raw()) && dtor.is_some())
            .then(|| unsafe { DriverDevice::from_raw(dev.as_raw()) })
    }

    /// Creates and registers a device of this kind in `ns`, as module
    /// parameters or a sysfs "add" file do (`alloc_netdev` +
    /// `register_netdevice`). `name` may contain `%d`. Returns the device,
    /// borrowed for as long as RTNL stays held.
    pub fn create_device<'a>(
        &self,
        rtnl: &'a Rtnl,
        ns: &Namespace,
        name: &CStr,
        assign: NameAssign,
        init: impl PinInit<T, Error>,
    ) -> Result<&'a DriverDevice<T>> {
        let assign = match assign {
            NameAssign::Enum => bindings::NET_NAME_ENUM,
            NameAssign::Unknown => bindings::NET_NAME_UNKNOWN,
            NameAssign::User => bindings::NET_NAME_USER,
        };
        // SAFETY: `name` is NUL-terminated; the setup trampoline fills in a
        // device whose private area is `size_of::<T>()` bytes.
        let dev = unsafe {
            bindings::alloc_netdev_mqs(
                core::mem::size_of::<T>() as i32,
                name.as_char_ptr(),
                assign as u8,
                Some(LinkAdapter::<T>::setup),
                T::num_tx_queues(),
                T::num_rx_queues(),
            )
        };
        if dev.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `dev` is fresh, set up by our trampoline and unregistered;
        // on error it is freed here and nobody else knows it. After a failed
        // registration the private data is gone (`Adapter::register`), so
        // only `free_netdev` remains to do.
        unsafe {
            bindings::rust_net_dev_net_set(dev, ns.as_raw());
            (*dev).rtnl_link_ops = self.as_raw();
            if let Err(e) = Adapter::<T>::init_data(dev, init) {
                bindings::free_netdev(dev);
                return Err(e);
            }
            if let Err(e) = Adapter::<T>::register(dev) {
                bindings::free_netdev(dev);
                return Err(e);
            }
            // The device is registered; RTNL (held by the caller) keeps it
            // from being freed while the borrow lasts.
            let _ = rtnl;
            Ok(DriverDevice::from_raw(dev))
        }
    }
}

impl<T: LinkOps> Registration<T> {
    /// Unregisters the kind now, deleting its devices, rather than when the
    /// registration is dropped: for module exits that must remove the
    /// devices before tearing down something they depend on. Takes RTNL;
    /// later calls do nothing.
    pub fn unregister(&self) {
        if self.registered.swap(false, Ordering::AcqRel) {
            // SAFETY: the ops were registered in `new` and not unregistered
            // since (the flag); this deletes the remaining devices and waits
            // for them.
            unsafe { bindings::rtnl_link_unregister(self.as_raw()) };
        }
    }
}

#[pinned_drop]
impl<T: LinkOps> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        self.unregister();
    }
}

struct LinkAdapter<T: LinkOps>(PhantomData<T>);

impl<T: LinkOps> LinkAdapter<T> {
    const OPS: bindings::rtnl_link_ops = bindings::rtnl_link_ops {
        kind: T::KIND.as_char_ptr(),
        priv_size: core::mem::size_of::<T>(),
        setup: Some(Self::setup),
        maxtype: match T::POLICY {
            Some(p) => p.maxtype,
            None => 0,
        },
        policy: match T::POLICY {
            Some(p) => p.ptr,
            None => core::ptr::null(),
        },
        get_num_tx_queues: Some(Self::get_num_tx_queues),
        get_num_rx_queues: Some(Self::get_num_rx_queues),
        validate: callback!(T::HAS_VALIDATE, Self::validate),
        newlink: Some(Self::newlink),
        changelink: callback!(T::HAS_CHANGELINK, Self::changelink),
        get_size: callback!(T::HAS_GET_SIZE, Self::get_size),
        fill_info: callback!(T::HAS_FILL_INFO, Self::fill_info),
        slave_maxtype: match T::SLAVE_POLICY {
            Some(p) => p.maxtype,
            None => 0,
        },
        slave_policy: match T::SLAVE_POLICY {
            Some(p) => p.ptr,
            None => core::ptr::null(),
        },
        slave_changelink: callback!(T::HAS_SLAVE_CHANGELINK, Self::slave_changelink),
        get_slave_size: callback!(T::HAS_GET_SLAVE_SIZE, Self::get_slave_size),
        fill_slave_info: callback!(T::HAS_FILL_SLAVE_INFO, Self::fill_slave_info),
        // SAFETY: all-zero is a valid rest of `rtnl_link_ops`.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// The C `setup` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn setup(dev: *mut bindings::net_device) {
        // SAFETY: the core (or `create_device`) calls this on a fresh device
        // whose private area is `priv_size = size_of::<T>()`.
        unsafe { Adapter::<T>::setup(dev) };
    }

    /// The C `get_num_tx_queues` callback of the table.
    extern "C" fn get_num_tx_queues() -> kernel::ffi::c_uint {
        T::num_tx_queues()
    }

    /// The C `get_num_rx_queues` callback of the table.
    extern "C" fn get_num_rx_queues() -> kernel::ffi::c_uint {
        T::num_rx_queues()
    }

    /// # Safety
    ///
    /// `tb` and `data` are the core's parsed arrays for this kind, `extack`
    /// the request's, all valid for the callback.
    unsafe fn attrs<'a>(
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        maxtype: u32,
        extack: *mut bindings::netlink_ext_ack,
    ) -> LinkAttrs<'a> {
        // SAFETY: guaranteed by the caller; `tb` has `IFLA_MAX + 1` entries.
        unsafe {
            LinkAttrs {
                link: Attrs::from_raw(tb, bindings::__IFLA_MAX - 1),
                data: Attrs::from_raw(data, maxtype),
                extack: ExtAck::from_raw(extack),
            }
        }
    }

    /// The C `validate` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn validate(
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: the core's arrays and extack for this request.
        let mut attrs = unsafe { Self::attrs(tb, data, Self::OPS.maxtype, extack) };
        from_result(|| T::validate(&mut attrs).map(|()| 0))
    }

    /// The C `newlink` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn newlink(
        src_net: *mut bindings::net,
        dev: *mut bindings::net_device,
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: `newlink` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core's arrays and extack for this request; the source
        // namespace is held by the request.
        let (mut attrs, ns) = unsafe {
            (
                Self::attrs(tb, data, Self::OPS.maxtype, extack),
                Namespace::from_raw(src_net),
            )
        };
        from_result(|| {
            let init = T::new_data(ns, &mut attrs)?;
            // SAFETY: the core allocated `dev` with our setup and priv size
            // and has not registered it; its private area holds no `T` yet.
            unsafe { Adapter::<T>::init_data(dev, init)? };
            // SAFETY: the private data now exists.
            let ddev = unsafe { DriverDevice::<T>::from_raw(dev) };
            if T::HAS_NEWLINK {
                if let Err(e) = T::newlink(ddev, &rtnl, &mut attrs) {
                    // The core will only `free_netdev`: drop the data here.
                    // SAFETY: the device is unregistered and nobody else
                    // saw the data; the destructor is armed and runs once.
                    unsafe { ((*dev).priv_destructor.take().unwrap_unchecked())(dev) };
                    return Err(e);
                }
            }
            // SAFETY: a set-up device, under RTNL; on failure the private
            // data is gone and the core frees the device.
            unsafe { Adapter::<T>::register(dev)? };
            if T::HAS_NEWLINK_REGISTERED {
                if let Err(e) = T::newlink_registered(ddev, &rtnl, &mut attrs) {
                    // The device goes as after a failed `ops->newlink` of a
                    // C driver: unregistered here, and the core's
                    // `free_netdev` is deferred to the end of the
                    // unregistration (`NETREG_UNREGISTERING`), which also
                    // runs the private destructor.
                    ddev.unregister(&rtnl);
                    return Err(e);
                }
            }
            Ok(0)
        })
    }

    /// The C `changelink` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn changelink(
        dev: *mut bindings::net_device,
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: `changelink` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the request's arrays; `dev` is a registered device of ours.
        let (mut attrs, dev) = unsafe {
            (
                Self::attrs(tb, data, Self::OPS.maxtype, extack),
                DriverDevice::<T>::from_raw(dev),
            )
        };
        from_result(|| T::changelink(dev, &rtnl, &mut attrs).map(|()| 0))
    }

    /// The C `get_size` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_size(dev: *const bindings::net_device) -> usize {
        // SAFETY: called under RCU (`rtnl_calcit`) or RTNL on a device of
        // ours, which stays allocated for the call.
        T::get_size(unsafe { DriverDevice::<T>::from_raw(dev.cast_mut()) })
    }

    /// The C `fill_info` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn fill_info(
        skb: *mut bindings::sk_buff,
        dev: *const bindings::net_device,
    ) -> kernel::ffi::c_int {
        // SAFETY: `fill_info` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: a device of ours and the message being built for it.
        let (dev, mut msg) = unsafe {
            (
                DriverDevice::<T>::from_raw(dev.cast_mut()),
                Message::from_raw(skb),
            )
        };
        from_result(|| T::fill_info(dev, &rtnl, &mut msg).map(|()| 0))
    }

    /// The C `slave_changelink` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn slave_changelink(
        dev: *mut bindings::net_device,
        port: *mut bindings::net_device,
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: `slave_changelink` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the request's arrays; `dev` is ours and `port` is its
        // lower device, both held by the request.
        let (mut attrs, dev, port) = unsafe {
            (
                Self::attrs(tb, data, Self::OPS.slave_maxtype, extack),
                DriverDevice::<T>::from_raw(dev),
                Device::from_raw(port),
            )
        };
        from_result(|| T::slave_changelink(dev, &rtnl, port, &mut attrs).map(|()| 0))
    }

    /// The C `get_slave_size` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_slave_size(
        dev: *const bindings::net_device,
        port: *const bindings::net_device,
    ) -> usize {
        // SAFETY: called under RCU or RTNL with our device and its lower
        // device, both allocated for the call.
        unsafe {
            T::get_slave_size(
                DriverDevice::<T>::from_raw(dev.cast_mut()),
                Device::from_raw(port.cast_mut()),
            )
        }
    }

    /// The C `fill_slave_info` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn fill_slave_info(
        skb: *mut bindings::sk_buff,
        dev: *const bindings::net_device,
        port: *const bindings::net_device,
    ) -> kernel::ffi::c_int {
        // SAFETY: `fill_slave_info` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: our device, its lower device and the message being built.
        let (dev, port, mut msg) = unsafe {
            (
                DriverDevice::<T>::from_raw(dev.cast_mut()),
                Device::from_raw(port.cast_mut()),
                Message::from_raw(skb),
            )
        };
        from_result(|| T::fill_slave_info(dev, &rtnl, port, &mut msg).map(|()| 0))
    }
}
