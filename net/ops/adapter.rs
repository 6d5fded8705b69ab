// SPDX-License-Identifier: GPL-2.0

//! The C tables (`net_device_ops`, `ethtool_ops`, `header_ops`) built for a
//! driver's [`Operations`], and the trampolines they point to.

use super::*;

/// `Some(f)` if the driver implements the callback (`has`), else `None`:
/// one entry of a C ops table built from a `#[vtable]` trait.
macro_rules! callback {
    ($has:expr, $f:expr) => {
        if $has {
            Some($f)
        } else {
            None
        }
    };
}
pub(crate) use callback;

/// Builds the C tables and trampolines for a driver `T`.
pub(crate) struct Adapter<T: Operations>(PhantomData<T>);

impl<T: Operations> Adapter<T> {
    pub(crate) const NETDEV_OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_init: Some(Self::ndo_init),
        ndo_uninit: callback!(T::HAS_UNINIT, Self::ndo_uninit),
        ndo_open: callback!(T::HAS_OPEN, Self::ndo_open),
        ndo_stop: callback!(T::HAS_STOP, Self::ndo_stop),
        ndo_start_xmit: Some(Self::ndo_start_xmit),
        ndo_get_stats64: callback!(T::HAS_GET_STATS64, Self::ndo_get_stats64),
        ndo_change_mtu: callback!(T::HAS_CHANGE_MTU, Self::ndo_change_mtu),
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::ndo_set_mac_address)
        } else {
            Some(bindings::eth_mac_addr)
        },
        ndo_validate_addr: callback!(T::VALIDATE_ETHER_ADDR, bindings::eth_validate_addr),
        ndo_fix_features: callback!(T::HAS_FIX_FEATURES, Self::ndo_fix_features),
        ndo_set_rx_mode: callback!(T::HAS_SET_RX_MODE, Self::ndo_set_rx_mode),
        ndo_change_carrier: callback!(T::HAS_CHANGE_CARRIER, Self::ndo_change_carrier),
        ndo_change_rx_flags: callback!(T::HAS_CHANGE_RX_FLAGS, Self::ndo_change_rx_flags),
        ndo_select_queue: if T::SAVE_QUEUE_MAPPING {
            Some(bindings::rust_net_select_queue_saving)
        } else {
            None
        },
        ndo_vlan_rx_add_vid: callback!(T::HAS_VLAN_RX_ADD_VID, Self::ndo_vlan_rx_add_vid),
        ndo_vlan_rx_kill_vid: callback!(T::HAS_VLAN_RX_KILL_VID, Self::ndo_vlan_rx_kill_vid),
        ndo_add_slave: callback!(T::HAS_ADD_SLAVE, Self::ndo_add_slave),
        ndo_del_slave: callback!(T::HAS_DEL_SLAVE, Self::ndo_del_slave),
        ndo_siocbond: callback!(T::HAS_SIOCBOND, Self::ndo_siocbond),
        ndo_siocdevprivate: callback!(T::HAS_SIOCDEVPRIVATE, Self::ndo_siocdevprivate),
        ndo_eth_ioctl: callback!(T::HAS_ETH_IOCTL, Self::ndo_eth_ioctl),
        ndo_hwtstamp_get: callback!(T::HAS_HWTSTAMP_GET, Self::ndo_hwtstamp_get),
        ndo_hwtstamp_set: callback!(T::HAS_HWTSTAMP_SET, Self::ndo_hwtstamp_set),
        // SAFETY: all-zero is a valid `net_device_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    pub(crate) const ETHTOOL_OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: callback!(T::HAS_GET_DRVINFO, Self::get_drvinfo),
        get_link: Some(bindings::ethtool_op_get_link),
        get_link_ksettings: callback!(T::HAS_GET_LINK_KSETTINGS, Self::get_link_ksettings),
        get_ts_info: callback!(T::HAS_GET_TS_INFO, Self::get_ts_info),
        // SAFETY: all-zero is a valid `ethtool_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// The header operations of a device that took a lower device's type
    /// (bonding's `bond_header_ops`): each forwards to the lower device
    /// that `T::header_lower` names.
    pub(crate) const HEADER_OPS: bindings::header_ops = bindings::header_ops {
        create: Some(Self::header_create),
        parse: Some(Self::header_parse),
        // SAFETY: all-zero is a valid `header_ops` (no callbacks).
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// Fills in what `alloc_netdev`'s `setup` must: the ops tables, then the
    /// driver's own settings.
    ///
    /// # Safety
    ///
    /// `dev` must be a freshly allocated, unregistered device whose private
    /// area is at least `size_of::<T>()` bytes, aligned for `T`.
    pub(crate) unsafe fn setup(dev: *mut bindings::net_device) {
        // SAFETY: the caller passes a fresh device that nobody else uses.
        let d = unsafe { &mut *dev };
        d.netdev_ops = &Self::NETDEV_OPS;
        d.ethtool_ops = &Self::ETHTOOL_OPS;
        // The core frees the device after unregistration (`free_netdev` in
        // `netdev_run_todo`), after the private destructor.
        d.needs_free_netdev = true;
        if let Some(group) = T::SYSFS_GROUP {
            // INVARIANT (of `AttributeGroup`): the group's files are for
            // driver `T`, whose device this is.
            d.sysfs_groups[0] = group.as_raw();
        }
        // INVARIANT: exclusive access to an unregistered device.
        T::setup(&mut SetupDevice(d));
    }

    /// Initialises the private data in place and arms its destructor.
    ///
    /// # Safety
    ///
    /// As for [`Self::setup`], after it ran; the private area must not hold
    /// a `T` yet.
    pub(crate) unsafe fn init_data(
        dev: *mut bindings::net_device,
        init: impl PinInit<T, Error>,
    ) -> Result {
        const {
            assert!(core::mem::align_of::<T>() <= bindings::NETDEV_ALIGN as usize);
        }
        // SAFETY: the private area is ours, big and aligned enough (the
        // caller's guarantee; alignment checked above), and uninitialised.
        unsafe {
            let slot = bindings::rust_net_netdev_priv(dev).cast::<T>();
            init.__pinned_init(slot)?;
            // INVARIANT: the `T` exists from here on; the core calls the
            // destructor once, when it frees the device (or when
            // registration fails).
            (*dev).priv_destructor = Some(Self::priv_destructor);
        }
        Ok(())
    }

    /// Registers a device set up by `setup` and `init_data`
    /// (`register_netdevice`). On failure the private data is gone (dropped
    /// here if the core did not) and only `free_netdev` remains to do.
    ///
    /// # Safety
    ///
    /// `dev` must be set up by [`Self::setup`] and [`Self::init_data`], not
    /// registered, and RTNL must be held.
    pub(crate) unsafe fn register(dev: *mut bindings::net_device) -> Result {
        // SAFETY: guaranteed by the caller.
        let ret = unsafe { bindings::register_netdevice(dev) };
        if ret != 0 {
            // SAFETY: the device is not registered and still allocated. Some
            // failures (a bad name, an `ndo_init` error, ...) return before
            // the core's error path runs the destructor; the destructor
            // clears itself, so a second call cannot happen.
            unsafe {
                if u32::from((*dev).reg_state) == bindings::netdev_reg_state_NETREG_UNINITIALIZED {
                    if let Some(dtor) = (*dev).priv_destructor {
                        dtor(dev);
                    }
                }
            }
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    /// Drops the private data when the core is done with the device. This
    /// runs under RTNL on failed registrations and without it after a normal
    /// unregistration, so `T`'s `Drop` must not take RTNL.
    ///
    /// # Safety
    ///
    /// Called once per device, by the core (`dev->priv_destructor`) or by
    /// the layer's `newlink` error path, after `init_data` succeeded.
    unsafe extern "C" fn priv_destructor(dev: *mut bindings::net_device) {
        // SAFETY: the core calls this once, after the last user of the
        // device is gone (or when registration failed); the private area
        // holds the `T` that `init_data` put there.
        unsafe {
            (*dev).priv_destructor = None;
            core::ptr::drop_in_place(bindings::rust_net_netdev_priv(dev).cast::<T>());
        }
    }

    /// # Safety
    ///
    /// Called by the core on a device set up by `setup`/`init_data`.
    unsafe fn dev<'a>(dev: *mut bindings::net_device) -> &'a DriverDevice<T> {
        // SAFETY: the core only calls the ops of a device whose private
        // data `init_data` initialised (ops run between registration and
        // the destructor), and the device is allocated during the call.
        unsafe { DriverDevice::from_raw(dev) }
    }

    /// The C `ndo_init` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_init(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        from_result(|| {
            // SAFETY: `ndo_init` runs under RTNL, from register_netdevice.
            let rtnl = unsafe { Rtnl::assume_locked() };
            // SAFETY: called by the core on our device.
            let dev = unsafe { Self::dev(dev) };
            // Lockdep classes per device, as every stacking driver must
            // (`netdev_lockdep_set_classes`), or nested xmit locks report.
            // SAFETY: the device is being registered and is ours.
            unsafe { bindings::rust_net_netdev_lockdep_set_classes(dev.as_raw()) };
            if T::HAS_INIT {
                T::init(dev, &rtnl)?;
            }
            Ok(0)
        })
    }

    /// The C `ndo_uninit` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_uninit(dev: *mut bindings::net_device) {
        // SAFETY: `ndo_uninit` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        T::uninit(unsafe { Self::dev(dev) }, &rtnl);
    }

    /// The C `ndo_open` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_open(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        // SAFETY: `ndo_open` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::open(unsafe { Self::dev(dev) }, &rtnl).map(|()| 0))
    }

    /// The C `ndo_stop` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_stop(dev: *mut bindings::net_device) -> kernel::ffi::c_int {
        // SAFETY: `ndo_stop` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::stop(unsafe { Self::dev(dev) }, &rtnl).map(|()| 0))
    }

    /// The C `ndo_start_xmit` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_start_xmit(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: the core gives us its reference to the skb.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: called by the core on our device.
        T::start_xmit(unsafe { Self::dev(dev) }, skb).into_raw()
    }

    /// The C `ndo_get_stats64` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_get_stats64(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // The core's buffer may be only 4-byte aligned: `rtnl_fill_stats`
        // passes the payload of a netlink attribute, which has no padding on
        // architectures with efficient unaligned access. No reference to it
        // may exist; fill an aligned copy and write that back.
        // SAFETY: all-zero is a valid `rtnl_link_stats64` (plain counters).
        let mut local: bindings::rtnl_link_stats64 = unsafe { core::mem::zeroed() };
        // SAFETY: called by the core on our device.
        T::get_stats64(unsafe { Self::dev(dev) }, &mut local);
        // SAFETY: `stats` is valid for writes of one `rtnl_link_stats64`
        // (the core zeroed it) during the call; no alignment is assumed.
        unsafe { stats.write_unaligned(local) };
    }

    /// The C `ndo_change_mtu` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_mtu(
        dev: *mut bindings::net_device,
        mtu: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_change_mtu` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // The core checked `mtu` against the device's range, so it is
            // not negative.
            let mtu = u32::try_from(mtu).map_err(|_| EINVAL)?;
            // SAFETY: called by the core on our device.
            T::change_mtu(unsafe { Self::dev(dev) }, &rtnl, mtu).map(|()| 0)
        })
    }

    /// The C `ndo_set_mac_address` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_set_mac_address(
        dev: *mut bindings::net_device,
        addr: *mut kernel::ffi::c_void,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_set_mac_address` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: the core passes a `struct sockaddr` (or the larger
            // `sockaddr_storage`) whose `sa_data` holds at least the
            // device's `addr_len` (ETH_ALEN here) bytes.
            let mac = unsafe {
                let data = addr
                    .cast::<u8>()
                    .add(core::mem::offset_of!(bindings::sockaddr, __bindgen_anon_1));
                &*data.cast::<[u8; super::super::device::ETH_ALEN]>()
            };
            // SAFETY: called by the core on our device.
            T::set_mac_address(unsafe { Self::dev(dev) }, &rtnl, mac).map(|()| 0)
        })
    }

    /// The C `ndo_set_rx_mode` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_set_rx_mode(dev: *mut bindings::net_device) {
        // SAFETY: called by the core on our device.
        T::set_rx_mode(unsafe { Self::dev(dev) });
    }

    /// The C `ndo_change_carrier` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_carrier(
        dev: *mut bindings::net_device,
        on: bool,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_change_carrier` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| T::change_carrier(unsafe { Self::dev(dev) }, &rtnl, on).map(|()| 0))
    }

    /// The C `ndo_change_rx_flags` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_change_rx_flags(
        dev: *mut bindings::net_device,
        change: kernel::ffi::c_int,
    ) {
        // SAFETY: `dev_change_rx_flags` runs under RTNL (from
        // `__dev_set_promiscuity`/`__dev_set_allmulti`).
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        T::change_rx_flags(unsafe { Self::dev(dev) }, &rtnl, change as u32);
    }

    /// The C `ndo_fix_features` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_fix_features(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: `__netdev_update_features` calls it with RTNL held (it
        // asserts so).
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device, after `ndo_init`.
        T::fix_features(unsafe { Self::dev(dev) }, &rtnl, features)
    }

    /// The C `ndo_vlan_rx_add_vid` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_vlan_rx_add_vid(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> kernel::ffi::c_int {
        // SAFETY: as this function's.
        unsafe { Self::vlan_callback(dev, proto, vid, T::vlan_rx_add_vid) }
    }

    /// The C `ndo_vlan_rx_kill_vid` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_vlan_rx_kill_vid(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
    ) -> kernel::ffi::c_int {
        // SAFETY: as this function's.
        unsafe { Self::vlan_callback(dev, proto, vid, T::vlan_rx_kill_vid) }
    }

    /// Calls a VLAN filter callback of the driver.
    ///
    /// # Safety
    ///
    /// As for the two `ndo_vlan_rx_*_vid` trampolines, which are its callers.
    unsafe fn vlan_callback(
        dev: *mut bindings::net_device,
        proto: bindings::__be16,
        vid: u16,
        f: fn(&DriverDevice<T>, &Rtnl, u16, u16) -> Result,
    ) -> kernel::ffi::c_int {
        // SAFETY: VLAN filter changes run under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: called by the core on our device.
        from_result(|| f(unsafe { Self::dev(dev) }, &rtnl, u16::from_be(proto), vid).map(|()| 0))
    }

    /// The C `ndo_add_slave` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_add_slave(
        dev: *mut bindings::net_device,
        port: *mut bindings::net_device,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_add_slave` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core holds the port for the call and passes a valid
        // (or null) extack.
        let (port, mut extack) = unsafe { (Device::from_raw(port), ExtAck::from_raw(extack)) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::add_slave(unsafe { Self::dev(dev) }, &rtnl, port, &mut extack).map(|()| 0)
        })
    }

    /// The C `ndo_del_slave` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_del_slave(
        dev: *mut bindings::net_device,
        port: *mut bindings::net_device,
    ) -> kernel::ffi::c_int {
        // SAFETY: `ndo_del_slave` runs under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core holds the port for the call.
        let port = unsafe { Device::from_raw(port) };
        // SAFETY: called by the core on our device.
        from_result(|| T::del_slave(unsafe { Self::dev(dev) }, &rtnl, port).map(|()| 0))
    }

    /// The C `ndo_siocbond` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_siocbond(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `dev_ifsioc`, the only caller, holds RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: the core passes its own copy of the request, which nothing
        // else touches during the call.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::siocbond(unsafe { Self::dev(dev) }, &rtnl, &mut req, cmd as u32).map(|()| 0)
        })
    }

    /// The C `ndo_siocdevprivate` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_siocdevprivate(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        data: *mut kernel::ffi::c_void,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: `dev_ifsioc` holds RTNL. (Phonet calls the callback of
        // Phonet devices only.)
        let rtnl = unsafe { Rtnl::assume_locked() };
        // SAFETY: as in `ndo_siocbond`.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        let data = UserData::from_ptr(data);
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::siocdevprivate(unsafe { Self::dev(dev) }, &rtnl, &mut req, data, cmd as u32)
                .map(|()| 0)
        })
    }

    /// The C `ndo_eth_ioctl` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_eth_ioctl(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: kernel::ffi::c_int,
    ) -> kernel::ffi::c_int {
        // SAFETY: the caller (the ioctl path, or an upper device's driver)
        // passes a request it owns for the call.
        let mut req = unsafe { IfReq::from_raw(ifr) };
        from_result(|| {
            // SAFETY: called by the core on our device.
            T::eth_ioctl(unsafe { Self::dev(dev) }, &mut req, cmd as u32).map(|()| 0)
        })
    }

    /// The C `ndo_hwtstamp_get` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_hwtstamp_get(
        dev: *mut bindings::net_device,
        cfg: *mut bindings::kernel_hwtstamp_config,
    ) -> kernel::ffi::c_int {
        // SAFETY: the core calls this under RTNL (`dev_ifsioc`, or an
        // upper device's callback that runs under it).
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: called on our device with a config the core owns for
            // the call; its `ifr` is null or the core's copy of the request
            // (the `HwTstampConfig` invariant).
            let (dev, cfg) = unsafe { (Self::dev(dev), &mut *cfg) };
            T::hwtstamp_get(dev, &rtnl, &mut HwTstampConfig(cfg)).map(|()| 0)
        })
    }

    /// The C `ndo_hwtstamp_set` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn ndo_hwtstamp_set(
        dev: *mut bindings::net_device,
        cfg: *mut bindings::kernel_hwtstamp_config,
        extack: *mut bindings::netlink_ext_ack,
    ) -> kernel::ffi::c_int {
        // SAFETY: as in `ndo_hwtstamp_get`.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: as in `ndo_hwtstamp_get`; the extack is null or the
            // core's for the call.
            let (dev, cfg, mut extack) =
                unsafe { (Self::dev(dev), &mut *cfg, ExtAck::from_raw(extack)) };
            T::hwtstamp_set(dev, &rtnl, &mut HwTstampConfig(cfg), &mut extack).map(|()| 0)
        })
    }

    /// The lower device's header operations, under `guard`.
    ///
    /// # Safety
    ///
    /// `dev` must be a device of driver `T` (its `header_ops` are
    /// [`Self::HEADER_OPS`] only then).
    unsafe fn lower_header_ops<'a>(
        dev: *const bindings::net_device,
        guard: &'a super::super::rcu::Guard,
    ) -> Option<(&'a Device, &'a bindings::header_ops)> {
        // SAFETY: the core calls header operations on a live device of ours
        // (the caller's guarantee).
        let dev = unsafe { Self::dev(dev.cast_mut()) };
        let lower = T::header_lower(dev, guard)?;
        // SAFETY: the lower device is allocated while the guard is held;
        // `header_ops` is a pointer to a static table or null, read once
        // as C's `READ_ONCE`.
        let ops = unsafe { core::ptr::addr_of!((*lower.as_raw()).header_ops).read_volatile() };
        // SAFETY: non-null header ops are static tables.
        (!ops.is_null()).then(|| (lower, unsafe { &*ops }))
    }

    /// The C `header_ops->create` callback of [`Self::HEADER_OPS`].
    ///
    /// # Safety
    ///
    /// Only the core calls it, with the arguments its C declaration
    /// documents, on a device of ours.
    unsafe extern "C" fn header_create(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
        type_: kernel::ffi::c_ushort,
        daddr: *const kernel::ffi::c_void,
        saddr: *const kernel::ffi::c_void,
        len: kernel::ffi::c_uint,
    ) -> kernel::ffi::c_int {
        let guard = super::super::rcu::read_lock();
        // SAFETY: called by the core on our device.
        match unsafe { Self::lower_header_ops(dev, &guard) } {
            Some((lower, ops)) => match ops.create {
                // SAFETY: the lower driver's callback gets the packet and
                // arguments we were given, with its own device, as C's
                // `bond_header_create` passes them.
                Some(f) => unsafe { f(skb, lower.as_raw(), type_, daddr, saddr, len) },
                None => 0,
            },
            None => 0,
        }
    }

    /// The C `header_ops->parse` callback of [`Self::HEADER_OPS`].
    ///
    /// # Safety
    ///
    /// Only the core calls it, with the arguments its C declaration
    /// documents, on a device of ours.
    unsafe extern "C" fn header_parse(
        skb: *const bindings::sk_buff,
        dev: *const bindings::net_device,
        haddr: *mut kernel::ffi::c_uchar,
    ) -> kernel::ffi::c_int {
        let guard = super::super::rcu::read_lock();
        // SAFETY: called by the core on our device.
        match unsafe { Self::lower_header_ops(dev, &guard) } {
            Some((lower, ops)) => match ops.parse {
                // SAFETY: as in `header_create`.
                Some(f) => unsafe { f(skb, lower.as_raw(), haddr) },
                None => 0,
            },
            None => 0,
        }
    }

    /// The C `get_drvinfo` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_drvinfo(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a buffer it
        // owns for the call.
        T::get_drvinfo(
            unsafe { Self::dev(dev) },
            &mut DrvInfo(unsafe { &mut *info }),
        );
    }

    /// The C `get_link_ksettings` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_link_ksettings(
        dev: *mut bindings::net_device,
        ks: *mut bindings::ethtool_link_ksettings,
    ) -> kernel::ffi::c_int {
        // SAFETY: the ethtool core calls this under RTNL.
        let rtnl = unsafe { Rtnl::assume_locked() };
        from_result(|| {
            // SAFETY: called on our device with a buffer the core owns for
            // the call.
            let (dev, ks) = unsafe { (Self::dev(dev), &mut *ks) };
            T::get_link_ksettings(dev, &rtnl, &mut LinkSettings(ks)).map(|()| 0)
        })
    }

    /// The C `get_ts_info` callback of the table.
    ///
    /// # Safety
    ///
    /// Only the core calls it, through the table, with the arguments and
    /// locking its C declaration documents.
    unsafe extern "C" fn get_ts_info(
        dev: *mut bindings::net_device,
        info: *mut bindings::kernel_ethtool_ts_info,
    ) -> kernel::ffi::c_int {
        from_result(|| {
            // SAFETY: called on our device with an answer the core owns for
            // the call.
            let (dev, info) = unsafe { (Self::dev(dev), &mut *info) };
            T::get_ts_info(dev, &mut TsInfo(info)).map(|()| 0)
        })
    }
}
