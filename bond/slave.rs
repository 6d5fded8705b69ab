// SPDX-License-Identifier: GPL-2.0

//! Slaves: enslave, release, and the per-slave state the hot paths read.
//!
//! C version: `bond_main.c` (`struct slave`, `bond_enslave`,
//! `__bond_release_one`, `bond_set_carrier`,
//! `bond_update_speed_duplex`, `bond_hw_addr_swap`, `bond_hw_addr_flush`,
//! `bond_change_rx_flags`, `bond_vlan_rx_add_vid`).

use super::{rx::SlaveRx, Bond, BondInner, BondRef};
use crate::logic::mode::Mode;
use crate::net::{
    device::HwAddr,
    kvec::KVecExt,
    netdev_log,
    netlink::ExtAck,
    notifier::NetdevEvent,
    ops::{features, flags, priv_flags, Stats64, DUPLEX_UNKNOWN, SPEED_UNKNOWN},
    rx_handler::RxHandlerRegistration,
    spinlock_bh::{new_spinlock_bh, SpinLockBh},
    sysfs::DeviceDir,
    time, Device, DriverDevice, Rtnl,
};
use core::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU8, AtomicUsize, Ordering};
use kernel::{c_str, prelude::*, sync::Arc, types::ARef};

/// `ARPHRD_ETHER`, `ARPHRD_INFINIBAND`, `ARPHRD_CAN`.
pub(crate) const ARPHRD_ETHER: u16 = 1;
const ARPHRD_INFINIBAND: u16 = 32;
const ARPHRD_CAN: u16 = 280;

pub(crate) use crate::logic::miimon::{Link, SlaveLink};

/// What a slave's state is visible as in sysfs (`BOND_STATE_*`).
pub(crate) const STATE_ACTIVE: u8 = 0;
/// A backup slave.
pub(crate) const STATE_BACKUP: u8 = 1;

/// The part of a slave that the transmit path, the receive handler and the
/// monitor read without RTNL. Fields change under RTNL (or in the monitor,
/// which C also lets write them outside RTNL during inspection).
#[pin_data]
pub(crate) struct SlaveShared {
    pub(crate) dev: ARef<Device>,
    /// `link`, for the hot paths; a copy of `mii.link`.
    link: AtomicU8,
    /// The MII monitor's state of this slave (`link`, `link_new_state`,
    /// `delay`, `link_failure_count`).
    #[pin]
    pub(crate) mii: SpinLockBh<SlaveLink>,
    /// `backup`: STATE_ACTIVE or STATE_BACKUP.
    backup: AtomicU8,
    /// `inactive`: the receive handler keeps frames off the bond.
    inactive: AtomicBool,
    pub(crate) queue_id: AtomicU16,
    speed: AtomicU32,
    duplex: AtomicU8,
    /// The address the slave had when enslaved (`perm_hwaddr`), all of
    /// its `addr_len` bytes.
    pub(crate) perm_hwaddr: HwAddr,
    /// `last_link_up`, in jiffies.
    pub(crate) last_link_up: AtomicUsize,
    /// What the ARP monitor counts.
    pub(crate) arp: super::arpmon::SlaveArpTimes,
    /// The slave's counters at the bond's last `get_stats64`.
    #[pin]
    pub(crate) prev_stats: SpinLockBh<Stats64>,
}

impl SlaveShared {
    /// The link state.
    pub(crate) fn link(&self) -> Link {
        Link::from_value(self.link.load(Ordering::Relaxed) as i8).unwrap_or(Link::Down)
    }

    /// Sets the link state (`bond_set_slave_link_state`).
    pub(crate) fn set_link(&self, link: Link) {
        let mut mii = self.mii.lock();
        mii.set_state(link, true);
        self.link.store(link.value() as u8, Ordering::Relaxed);
    }

    /// Copies the monitor's link state to the hot paths' copy, after it
    /// changed under the `mii` lock.
    pub(crate) fn sync_link(&self, mii: &SlaveLink) {
        self.link.store(mii.link.value() as u8, Ordering::Relaxed);
    }

    /// `link_failure_count`.
    pub(crate) fn link_failure_count(&self) -> u32 {
        self.mii.lock().link_failure_count
    }

    /// `bond_slave_is_up`: the slave is running with carrier.
    pub(crate) fn is_up(&self) -> bool {
        self.dev.is_running() && self.dev.carrier_ok()
    }

    /// Up, with link state UP.
    pub(crate) fn is_up_with_link(&self) -> bool {
        self.is_up() && self.link() == Link::Up
    }

    /// `bond_is_active_slave`.
    pub(crate) fn is_active(&self) -> bool {
        self.backup.load(Ordering::Relaxed) == STATE_ACTIVE
    }

    /// `bond_slave_can_tx`.
    pub(crate) fn can_tx(&self) -> bool {
        self.is_up_with_link() && self.is_active()
    }

    /// `bond_is_slave_inactive`.
    pub(crate) fn is_inactive(&self) -> bool {
        self.inactive.load(Ordering::Relaxed)
    }

    /// `bond_set_slave_active_flags`: active, receives for the bond.
    pub(crate) fn set_active(&self) {
        self.backup.store(STATE_ACTIVE, Ordering::Relaxed);
        self.inactive.store(false, Ordering::Relaxed);
    }

    /// `bond_set_active_slave` / `bond_set_backup_slave`: the state only,
    /// not whether received frames reach the bond.
    pub(crate) fn set_state_only(&self, backup: bool) {
        let state = if backup { STATE_BACKUP } else { STATE_ACTIVE };
        self.backup.store(state, Ordering::Relaxed);
    }

    /// `bond_set_slave_inactive_flags`: backup; frames it receives stay off
    /// the bond unless `all_slaves_active`.
    pub(crate) fn set_backup(&self, all_slaves_active: bool) {
        self.backup.store(STATE_BACKUP, Ordering::Relaxed);
        self.inactive.store(!all_slaves_active, Ordering::Relaxed);
    }

    /// Recomputes `inactive` of a backup slave after `all_slaves_active`
    /// changed.
    pub(crate) fn refresh_inactive(&self, all_slaves_active: bool) {
        if !self.is_active() {
            self.inactive.store(!all_slaves_active, Ordering::Relaxed);
        }
    }

    /// The state sysfs shows (`bond_slave_state`).
    pub(crate) fn state(&self) -> u8 {
        self.backup.load(Ordering::Relaxed)
    }

    /// The speed in Mb/s (`SPEED_UNKNOWN` if not known).
    pub(crate) fn speed(&self) -> u32 {
        self.speed.load(Ordering::Relaxed)
    }

    /// The duplex (`DUPLEX_*`).
    pub(crate) fn duplex(&self) -> u8 {
        self.duplex.load(Ordering::Relaxed)
    }

    /// `bond_update_speed_duplex`: asks the slave's driver. Fails (and
    /// leaves unknown values) if it cannot tell or reports nonsense.
    pub(crate) fn update_speed_duplex(&self, rtnl: &Rtnl) -> Result {
        self.speed.store(SPEED_UNKNOWN, Ordering::Relaxed);
        self.duplex.store(DUPLEX_UNKNOWN, Ordering::Relaxed);
        let (speed, duplex) = self.dev.link_speed_duplex(rtnl)?;
        // C: speed 0 or SPEED_UNKNOWN, or a duplex that is neither full
        // nor half, count as failure.
        if speed == 0 || speed == SPEED_UNKNOWN || duplex > 1 {
            return Err(EINVAL);
        }
        self.speed.store(speed, Ordering::Relaxed);
        self.duplex.store(duplex, Ordering::Relaxed);
        Ok(())
    }
}

/// One slave, owned by its bond's list (under RTNL).
pub(crate) struct Slave {
    pub(crate) shared: Arc<SlaveShared>,
    rx: Option<RxHandlerRegistration<SlaveRx>>,
    files: Option<DeviceDir<crate::sysfs::slave::SlaveFiles>>,
    /// The MTU to restore on release.
    original_mtu: u32,
    /// `prio` (netlink only, used by the active slave selection).
    pub(crate) prio: i32,
}

impl Slave {
    /// The slave's device.
    pub(crate) fn dev(&self) -> &Device {
        &self.shared.dev
    }
}

/// Logs `"<bond>: (slave <slave>): ..."` (`slave_info` and friends).
macro_rules! slave_log {
    ($level:ident, $bond:expr, $slave:expr, $($arg:tt)+) => {
        $crate::net::netdev_slave_log!($level, $bond, $slave, $($arg)+)
    };
}
pub(crate) use slave_log;

/// `BOND_NL_ERR` / `SLAVE_NL_ERR`: the message goes to the netlink request
/// if there is one, else to the log as `Error: ...`.
fn report(
    bond: &Device,
    slave: Option<&Device>,
    extack: &mut Option<&mut ExtAck<'_>>,
    msg: &'static CStr,
) {
    if let Some(ack) = extack {
        ack.set_message(msg);
        return;
    }
    let text = msg.to_str().unwrap_or("");
    match slave {
        Some(s) => slave_log!(Err, bond, s, "Error: {}\n", text),
        None => netdev_log!(Err, bond, "Error: {}\n", text),
    }
}

/// Returns counted references to the bond's slave devices.
pub(crate) fn slave_devices(inner: &BondInner, rtnl: &Rtnl) -> Result<KVec<ARef<Device>>> {
    let slaves = inner.slaves.borrow(rtnl)?;
    let mut v = KVec::with_capacity(slaves.len(), GFP_KERNEL)?;
    for s in slaves.iter() {
        v.push(s.shared.dev.clone(), GFP_KERNEL)?;
    }
    Ok(v)
}

/// `bond_set_carrier`: the bond has carrier if any slave's link is UP.
/// Returns whether it changed.
pub(crate) fn set_carrier(bond: BondRef<'_>, rtnl: &Rtnl) -> bool {
    let any_up = bond
        .inner
        .slaves
        .borrow(rtnl)
        .map(|s| s.iter().any(|s| s.shared.link() == Link::Up))
        .unwrap_or(false);
    let now = bond.dev.carrier_ok();
    if any_up && !now {
        bond.dev.carrier_on();
        true
    } else if !any_up && now {
        bond.dev.carrier_off();
        true
    } else {
        false
    }
}

/// `bond_hw_addr_flush`: removes the bond's addresses from a slave.
pub(crate) fn hw_addr_flush(bond: &Device, slave: &Device, rtnl: &Rtnl) {
    slave.unsync_addr_lists_from(rtnl, bond);
}

/// `bond_hw_addr_swap`: in modes with one active slave, only it carries the
/// bond's promiscuity, allmulti and address lists.
pub(crate) fn hw_addr_swap(bond: &Device, rtnl: &Rtnl, new: Option<&Device>, old: Option<&Device>) {
    let f = bond.flags();
    if let Some(old) = old {
        if f & flags::PROMISC != 0 {
            let _ = old.set_promiscuity(rtnl, -1);
        }
        if f & flags::ALLMULTI != 0 {
            let _ = old.set_allmulti(rtnl, -1);
        }
        if bond.is_up() {
            hw_addr_flush(bond, old, rtnl);
        }
    }
    if let Some(new) = new {
        if f & flags::PROMISC != 0 {
            let _ = new.set_promiscuity(rtnl, 1);
        }
        if f & flags::ALLMULTI != 0 {
            let _ = new.set_allmulti(rtnl, 1);
        }
        if bond.is_up() {
            new.sync_addr_lists_from(rtnl, bond);
        }
    }
}

/// `bond_change_rx_flags`.
pub(crate) fn propagate_rx_flags(bond: BondRef<'_>, rtnl: &Rtnl, change: u32) {
    let Ok(params) = bond.inner.params.borrow(rtnl) else {
        return;
    };
    let uses_primary = params.mode.uses_primary();
    drop(params);
    let f = bond.dev.flags();
    let apply = |s: &Device| {
        if change & flags::PROMISC != 0 {
            let _ = s.set_promiscuity(rtnl, if f & flags::PROMISC != 0 { 1 } else { -1 });
        }
        if change & flags::ALLMULTI != 0 {
            let _ = s.set_allmulti(rtnl, if f & flags::ALLMULTI != 0 { 1 } else { -1 });
        }
    };
    if uses_primary {
        let active = bond
            .inner
            .state
            .borrow(rtnl)
            .ok()
            .and_then(|st| st.active.clone());
        if let Some(a) = active {
            apply(&a.dev);
        }
    } else {
        for s in each(bond.inner, rtnl) {
            apply(&s.dev);
        }
    }
}

/// `bond_vlan_rx_add_vid`: adds the id to every slave, undoing on failure.
pub(crate) fn vlan_add(bond: BondRef<'_>, rtnl: &Rtnl, proto: u16, vid: u16) -> Result {
    let devs = slave_devices(bond.inner, rtnl)?;
    for (i, s) in devs.iter().enumerate() {
        if let Err(e) = s.vlan_vid_add(rtnl, proto, vid) {
            for undo in devs.iter().take(i) {
                undo.vlan_vid_del(rtnl, proto, vid);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// `bond_vlan_rx_kill_vid`.
pub(crate) fn vlan_kill(bond: BondRef<'_>, rtnl: &Rtnl, proto: u16, vid: u16) {
    for s in each(bond.inner, rtnl) {
        s.dev.vlan_vid_del(rtnl, proto, vid);
    }
}

/// Undo steps of an enslave that failed halfway, in reverse order.
struct Undo<'a> {
    bond: &'a DriverDevice<Bond>,
    slave: &'a Device,
    rtnl: &'a Rtnl,
    mtu: Option<u32>,
    mac: Option<HwAddr>,
    opened: bool,
    vlans: bool,
}

impl Undo<'_> {
    fn run(self, had_slaves: bool) {
        let Undo {
            bond, slave, rtnl, ..
        } = self;
        if self.vlans {
            slave.del_vlan_ids_of(rtnl, bond);
        }
        if self.opened {
            slave.close(rtnl);
        }
        slave.update_priv_flags(rtnl, 0, priv_flags::NO_ADDRCONF);
        if let Some(mac) = self.mac {
            let _ = slave.set_mac_address(rtnl, mac.as_bytes());
        }
        if let Some(mtu) = self.mtu {
            let _ = slave.set_mtu(rtnl, mtu);
        }
        undo_flags(bond, rtnl, slave, had_slaves);
    }
}

/// `err_undo_flags` of `bond_enslave`: a bond whose first enslave failed
/// gets a random address again if it took this slave's, and goes back to
/// Ethernet if it took the slave's type (closed, without notifications,
/// as in C).
fn undo_flags(dev: &DriverDevice<Bond>, rtnl: &Rtnl, slave: &Device, had_slaves: bool) {
    if had_slaves {
        return;
    }
    if dev.dev_addr() == slave.dev_addr() {
        dev.set_random_addr(rtnl);
    }
    if dev.dev_type() != ARPHRD_ETHER {
        dev.close(rtnl);
        ether_setup(dev, rtnl);
    }
}

/// `bond_setup_by_slave`: the bond takes a non-Ethernet slave's type,
/// closed while it changes.
fn setup_by_slave(dev: &DriverDevice<Bond>, rtnl: &Rtnl, slave: &Device) {
    let was_up = dev.flags() & flags::UP != 0;
    dev.close(rtnl);
    dev.take_link_type_of(rtnl, slave);
    if was_up {
        let _ = dev.open(rtnl);
    }
}

/// `bond_ether_setup`: back to Ethernet. `ether_setup` resets the flags, so
/// `IFF_MASTER` is set again and `IFF_SLAVE` and `IFF_UP` are kept.
fn ether_setup(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let keep = dev.flags() & (flags::SLAVE | flags::UP);
    dev.ether_setup(rtnl);
    dev.update_flags(rtnl, flags::MASTER | keep, 0);
    dev.update_priv_flags(rtnl, 0, priv_flags::TX_SKB_SHARING);
}

/// `bond_enslave`: makes `slave_dev` a slave of `dev`. `extack` is the
/// netlink request's (`ip link set X master B`), `None` from sysfs.
pub(crate) fn enslave(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    slave_dev: &Device,
    mut extack: Option<&mut ExtAck<'_>>,
) -> Result {
    let bond = BondRef::of(dev);
    let bdev: &Device = dev;
    let (bond_mode, fail_over_mac, miimon, updelay, use_carrier, all_slaves_active, arp_interval) = {
        let p = bond.inner.params.borrow(rtnl)?;
        (
            p.mode,
            p.active_fail_over_mac(),
            p.miimon,
            p.updelay,
            p.use_carrier,
            p.all_slaves_active,
            p.arp_interval,
        )
    };
    if slave_dev.dev_type() == ARPHRD_CAN {
        report(
            bdev,
            None,
            &mut extack,
            c_str!("CAN devices cannot be enslaved"),
        );
        return Err(EPERM);
    }
    // A master that is not one of our bonds (a C bond cannot coexist).
    if slave_dev.flags() & flags::MASTER != 0 && !crate::is_bond(slave_dev) {
        report(
            bdev,
            None,
            &mut extack,
            c_str!("Device type (master device) cannot be enslaved"),
        );
        return Err(EPERM);
    }
    if use_carrier == 0 && !slave_dev.has_link_reporting() {
        slave_log!(Warning, bdev, slave_dev, "no link monitoring support\n");
    }
    if slave_dev.is_rx_handler_busy(rtnl) {
        report(
            bdev,
            Some(slave_dev),
            &mut extack,
            c_str!("Device is in use and cannot be enslaved"),
        );
        return Err(EBUSY);
    }
    if core::ptr::eq(bdev, slave_dev) {
        report(
            bdev,
            None,
            &mut extack,
            c_str!("Cannot enslave bond to itself."),
        );
        return Err(EPERM);
    }
    if slave_dev.features() & features::VLAN_CHALLENGED != 0 {
        if bdev.vlan_uses_dev(rtnl) {
            report(
                bdev,
                Some(slave_dev),
                &mut extack,
                c_str!("Can not enslave VLAN challenged device to VLAN enabled bond"),
            );
            return Err(EPERM);
        }
        slave_log!(
            Warning,
            bdev,
            slave_dev,
            "enslaved VLAN challenged slave. Adding VLANs will be blocked as long as it is part of bond.\n"
        );
    }
    if slave_dev.is_up() {
        report(
            bdev,
            Some(slave_dev),
            &mut extack,
            c_str!("Device can not be enslaved while up"),
        );
        return Err(EPERM);
    }
    let had_slaves = bond.inner.slave_count.load(Ordering::Relaxed) > 0;
    // The bond takes the type of its first slave (bonds are created as
    // Ethernet devices); later slaves must have the same type.
    if !had_slaves {
        if bdev.dev_type() != slave_dev.dev_type() {
            if slave_dev.dev_type() != ARPHRD_ETHER && bond_mode.needs_ethernet_slaves() {
                report(
                    bdev,
                    Some(slave_dev),
                    &mut extack,
                    c_str!("8023AD mode requires Ethernet devices"),
                );
                return Err(EINVAL);
            }
            if bdev.notify(rtnl, NetdevEvent::PreTypeChange).is_err() {
                slave_log!(Err, bdev, slave_dev, "refused to change device type\n");
                return Err(EBUSY);
            }
            bdev.flush_addr_lists(rtnl);
            if slave_dev.dev_type() != ARPHRD_ETHER {
                setup_by_slave(dev, rtnl, slave_dev);
            } else {
                ether_setup(dev, rtnl);
            }
            let _ = bdev.notify(rtnl, NetdevEvent::PostTypeChange);
        }
    } else if bdev.dev_type() != slave_dev.dev_type() {
        report(
            bdev,
            Some(slave_dev),
            &mut extack,
            c_str!("Device type is different from other slaves"),
        );
        return Err(EINVAL);
    }
    if slave_dev.dev_type() == ARPHRD_INFINIBAND && !bond_mode.takes_infiniband() {
        report(
            bdev,
            Some(slave_dev),
            &mut extack,
            c_str!("Only active-backup mode is supported for infiniband slaves"),
        );
        undo_flags(dev, rtnl, slave_dev, had_slaves);
        return Err(crate::net::errno::EOPNOTSUPP());
    }
    let mut fail_over_mac = fail_over_mac;
    if !slave_dev.can_set_mac_address() || slave_dev.dev_type() == ARPHRD_INFINIBAND {
        slave_log!(
            Warning,
            bdev,
            slave_dev,
            "The slave device specified does not support setting the MAC address\n"
        );
        if bond_mode.has_fail_over_mac() && fail_over_mac != 1 {
            if !had_slaves {
                bond.inner.params.borrow_mut(rtnl)?.fail_over_mac = 1;
                fail_over_mac = 1;
                slave_log!(
                    Warning,
                    bdev,
                    slave_dev,
                    "Setting fail_over_mac to active for active-backup mode\n"
                );
            } else {
                report(bdev, Some(slave_dev), &mut extack, c_str!("Slave device does not support setting the MAC address, but fail_over_mac is not set to active"));
                undo_flags(dev, rtnl, slave_dev, had_slaves);
                return Err(crate::net::errno::EOPNOTSUPP());
            }
        }
    }
    let _ = slave_dev.notify(rtnl, NetdevEvent::Join);
    let mut undo = Undo {
        bond: dev,
        slave: slave_dev,
        rtnl,
        mtu: None,
        mac: None,
        opened: false,
        vlans: false,
    };
    // The first slave gives a bond with a random address its own
    // (`bond_set_dev_addr`).
    if !had_slaves && bdev.addr_is_random() {
        if let Err(e) = bdev.steal_addr_of(rtnl, slave_dev) {
            undo_flags(dev, rtnl, slave_dev, had_slaves);
            return Err(e);
        }
    }
    // Allocate what cannot fail later before touching the slave.
    let prev_stats = slave_dev.stats64();
    let arp_start = time::jiffies().wrapping_sub(time::msecs_to_jiffies(arp_interval) + 1);
    let shared = match Arc::pin_init(
        pin_init!(SlaveShared {
            dev: ARef::from(slave_dev),
            link: AtomicU8::new(Link::Up.value() as u8),
            mii <- new_spinlock_bh!(SlaveLink::new(Link::Up), "rust_bond::SlaveShared::mii"),
            backup: AtomicU8::new(STATE_ACTIVE),
            inactive: AtomicBool::new(false),
            queue_id: AtomicU16::new(0),
            speed: AtomicU32::new(SPEED_UNKNOWN),
            duplex: AtomicU8::new(DUPLEX_UNKNOWN),
            perm_hwaddr: slave_dev.hw_addr(),
            last_link_up: AtomicUsize::new(0),
            // `bond_enslave`: as if last heard just over an interval ago.
            arp: super::arpmon::SlaveArpTimes::new(arp_start),
            prev_stats <- new_spinlock_bh!(prev_stats, "rust_bond::SlaveShared::prev_stats"),
        }),
        GFP_KERNEL,
    ) {
        Ok(s) => s,
        Err(e) => {
            undo.run(had_slaves);
            return Err(e);
        }
    };
    let handler = match Arc::new(
        SlaveRx::new(shared.clone(), bdev, bond.inner.clone()),
        GFP_KERNEL,
    ) {
        Ok(h) => h,
        Err(e) => {
            undo.run(had_slaves);
            return Err(e.into());
        }
    };
    if let Err(e) = bond
        .inner
        .slaves
        .borrow_mut(rtnl)
        .and_then(|mut l| Ok(l.reserve(1, GFP_KERNEL)?))
    {
        undo.run(had_slaves);
        return Err(e);
    }
    let original_mtu = slave_dev.mtu();
    if let Err(e) = slave_dev.set_mtu(rtnl, bdev.mtu()) {
        slave_log!(
            Err,
            bdev,
            slave_dev,
            "Error {} calling dev_set_mtu\n",
            e.to_errno()
        );
        undo.run(had_slaves);
        return Err(e);
    }
    undo.mtu = Some(original_mtu);
    let new_mac = if fail_over_mac == 0 {
        Some(bdev.hw_addr())
    } else if fail_over_mac == 2
        && had_slaves
        && slave_dev.hw_addr().first(usize::from(bdev.addr_len())) == bdev.hw_addr().as_bytes()
    {
        Some(HwAddr::from(crate::net::random::random_ether_addr()))
    } else {
        None
    };
    if let Some(mac) = new_mac {
        if let Err(e) = slave_dev.set_mac_address(rtnl, mac.as_bytes()) {
            slave_log!(
                Err,
                bdev,
                slave_dev,
                "Error {} calling set_mac_address\n",
                e.to_errno()
            );
            undo.run(had_slaves);
            return Err(e);
        }
        undo.mac = Some(shared.perm_hwaddr);
    }
    slave_dev.update_priv_flags(rtnl, priv_flags::NO_ADDRCONF, 0);
    if let Err(e) = slave_dev.open(rtnl) {
        slave_log!(Err, bdev, slave_dev, "Opening slave failed\n");
        undo.run(had_slaves);
        return Err(e);
    }
    undo.opened = true;
    // The counters start from here (C reads them after dev_open).
    *shared.prev_stats.lock() = slave_dev.stats64();
    if let Err(e) = slave_dev.add_vlan_ids_of(rtnl, bdev) {
        slave_log!(Err, bdev, slave_dev, "Couldn't add bond vlan ids\n");
        undo.run(had_slaves);
        return Err(e);
    }
    undo.vlans = true;

    let _ = shared.update_speed_duplex(rtnl);
    if miimon != 0 && use_carrier == 0 && slave_dev.query_link().is_none() {
        if arp_interval == 0 {
            slave_log!(Warning, bdev, slave_dev, "MII and ETHTOOL support not available for slave, and arp_interval/arp_ip_target module parameters not specified, thus bonding will not detect link failures! see bonding.txt for details\n");
        } else {
            slave_log!(Warning, bdev, slave_dev, "can't get link status from slave; the network driver associated with this interface does not support MII or ETHTOOL link status reporting, thus miimon has no effect on this interface\n");
        }
    }
    // The initial link state.
    let link = if miimon != 0 {
        if slave_link_sense(slave_dev, use_carrier) {
            if updelay != 0 {
                shared.mii.lock().delay = updelay as i32;
                Link::Back
            } else {
                Link::Up
            }
        } else {
            Link::Down
        }
    } else if arp_interval != 0 {
        if slave_dev.carrier_ok() {
            Link::Up
        } else {
            Link::Down
        }
    } else {
        Link::Up
    };
    shared.set_link(link);
    if link != Link::Down {
        shared
            .last_link_up
            .store(time::jiffies(), Ordering::Relaxed);
    }
    // The primary, if this is the device it names. (No early return from
    // here on: the slave is open and configured; failures go through the
    // explicit undo below.)
    let is_primary = bond_mode.uses_primary()
        && bond
            .inner
            .params
            .borrow(rtnl)
            .is_ok_and(|p| p.primary_name() == Some(slave_dev.name().as_bytes()));
    if is_primary {
        if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
            st.primary = Some(shared.clone());
            st.force_primary = true;
        }
    }
    crate::modes::bind(bond_mode, bond, rtnl, &shared, link, all_slaves_active != 0);

    let rx = match RxHandlerRegistration::register(rtnl, slave_dev, handler) {
        Ok(rx) => rx,
        Err(e) => {
            forget_new_slave(bond, rtnl, &shared);
            undo.run(had_slaves);
            return Err(e);
        }
    };
    if let Err(e) = slave_dev.link_master(rtnl, bdev) {
        rx.unregister(rtnl);
        forget_new_slave(bond, rtnl, &shared);
        undo.run(had_slaves);
        return Err(e);
    }
    slave_dev.update_flags(rtnl, flags::SLAVE, 0);
    let files = match crate::sysfs::slave::create(rtnl, slave_dev, &shared) {
        Ok(f) => f,
        Err(e) => {
            slave_dev.update_flags(rtnl, 0, flags::SLAVE);
            slave_dev.unlink_master(rtnl, bdev);
            rx.unregister(rtnl);
            forget_new_slave(bond, rtnl, &shared);
            undo.run(had_slaves);
            return Err(e);
        }
    };
    if !bond_mode.uses_primary() {
        let f = bdev.flags();
        if f & flags::PROMISC != 0 {
            let _ = slave_dev.set_promiscuity(rtnl, 1);
        }
        if f & flags::ALLMULTI != 0 {
            let _ = slave_dev.set_allmulti(rtnl, 1);
        }
        if bdev.is_up() {
            slave_dev.sync_addr_lists_from(rtnl, bdev);
        }
    }
    // Room was reserved above and nothing else borrows the list here, so
    // this cannot fail; if it did, undo every step explicitly (dropping the
    // receive handler's registration would take RTNL, which we hold).
    {
        let mut list = match bond.inner.slaves.borrow_mut(rtnl) {
            Ok(list) if list.len() < list.capacity() => list,
            _ => {
                drop(files);
                slave_dev.update_flags(rtnl, 0, flags::SLAVE);
                slave_dev.unlink_master(rtnl, bdev);
                rx.unregister(rtnl);
                forget_new_slave(bond, rtnl, &shared);
                undo.run(had_slaves);
                return Err(ENOMEM);
            }
        };
        list.push(
            Slave {
                shared: shared.clone(),
                rx: Some(rx),
                files: Some(files),
                original_mtu,
                prio: 0,
            },
            GFP_KERNEL,
        )?;
        bond.inner.slave_count.store(list.len(), Ordering::Relaxed);
    }
    bdev.compute_master_upper_features(rtnl, true);
    set_carrier(bond, rtnl);
    // Before the selection, which takes the groups off the slave if it
    // becomes the active one.
    if let Ok(p) = bond.inner.params.borrow(rtnl) {
        super::arpmon::ns_maddrs(rtnl, &p, &shared, true);
    }
    if bond_mode.uses_primary() {
        super::select::select(bond, rtnl);
    }
    bond.inner.publish(bdev, rtnl);
    slave_log!(
        Info,
        bdev,
        slave_dev,
        "Enslaving as {} interface with {} link\n",
        if shared.is_active() {
            "an active"
        } else {
            "a backup"
        },
        if shared.link() != Link::Down {
            "an up"
        } else {
            "a down"
        }
    );
    Ok(())
}

/// Clears the references an enslave that failed late left in the state.
fn forget_new_slave(bond: BondRef<'_>, rtnl: &Rtnl, shared: &Arc<SlaveShared>) {
    if let Ok(mut st) = bond.inner.state.borrow_mut(rtnl) {
        if st.primary.as_ref().is_some_and(|p| Arc::ptr_eq(p, shared)) {
            st.primary = None;
        }
        if st.active.as_ref().is_some_and(|a| Arc::ptr_eq(a, shared)) {
            st.active = None;
        }
    }
}

/// `bond_check_dev_link` without reporting: whether the monitor sees the
/// slave's link up. A slave that is not running has no link; with
/// `use_carrier` the carrier decides, otherwise the driver's ethtool
/// `get_link` or its MII status register, and a driver that can tell
/// neither counts as up.
pub(crate) fn slave_link_sense(dev: &Device, use_carrier: u32) -> bool {
    if !dev.is_running() {
        return false;
    }
    if use_carrier != 0 {
        return dev.carrier_ok();
    }
    dev.query_link().unwrap_or(true)
}

/// `bond_release` (`ip link set X nomaster`, sysfs `-X`), or, with
/// `unregister`, the release of a slave that is being unregistered.
pub(crate) fn release(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    slave_dev: &Device,
    unregister: bool,
) -> Result {
    let bond = BondRef::of(dev);
    let bdev: &Device = dev;
    let is_ours = slave_dev.flags() & flags::SLAVE != 0
        && slave_dev
            .master(rtnl)
            .is_some_and(|m| core::ptr::eq(m, bdev));
    if !is_ours {
        return Err(EINVAL);
    }
    let slave = {
        let mut list = bond.inner.slaves.borrow_mut(rtnl)?;
        let Some(s) = list.remove_first(|s| core::ptr::eq(s.dev(), slave_dev)) else {
            drop(list);
            slave_log!(Info, bdev, slave_dev, "interface not enslaved\n");
            return Err(EINVAL);
        };
        bond.inner.slave_count.store(list.len(), Ordering::Relaxed);
        s
    };
    release_one(bond, rtnl, slave, false, unregister);
    Ok(())
}

/// `__bond_release_one` for a slave already taken out of the list. `all`
/// is set when the whole bond goes (no reselection, no warnings);
/// `unregister` when the slave or the bond is being unregistered.
fn release_one(bond: BondRef<'_>, rtnl: &Rtnl, mut slave: Slave, all: bool, unregister: bool) {
    let bdev = bond.dev;
    let sdev = slave.shared.dev.clone();
    let old_flags = bdev.flags();
    let (bond_mode, fail_over_mac, all_slaves_active) = match bond.inner.params.borrow(rtnl) {
        Ok(p) => (p.mode, p.active_fail_over_mac(), p.all_slaves_active),
        Err(_) => (Mode::RoundRobin, 0, 0),
    };
    let was_active = slave.shared.is_active();
    slave.shared.set_backup(all_slaves_active != 0);
    // The bond's totals keep what the slave counted (`bond_get_stats`).
    {
        let new = sdev.stats64();
        let mut st = bond.inner.lock_stats(bdev);
        let mut prev = slave.shared.prev_stats.lock();
        super::fold_stats(&mut st.total, &new, &prev);
        *prev = new;
    }
    drop(slave.files.take());
    if let Some(rx) = slave.rx.take() {
        rx.unregister(rtnl);
    }
    sdev.unlink_master(rtnl, bdev);
    sdev.update_flags(rtnl, 0, flags::SLAVE);
    bond.inner.publish(bdev, rtnl);
    // As in C, the slave was made a backup first, so this says "backup"
    // in every mode implemented here.
    let _ = was_active;
    slave_log!(
        Info,
        bdev,
        &*sdev,
        "Releasing {} interface\n",
        if slave.shared.is_active() {
            "active"
        } else {
            "backup"
        }
    );
    bond.inner.current_arp_slave.store(0, Ordering::Relaxed);
    let has_slaves = bond.inner.slave_count.load(Ordering::Relaxed) > 0;
    if !all
        && fail_over_mac != 1
        && bdev.dev_addr() == slave.shared.perm_hwaddr.ether()
        && has_slaves
    {
        let m = slave.shared.perm_hwaddr.ether();
        slave_log!(
            Warning,
            bdev,
            &*sdev,
            "the permanent HWaddr of slave - {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x} - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
            m[0], m[1], m[2], m[3], m[4], m[5]
        );
    }
    let was_current = {
        let mut st = match bond.inner.state.borrow_mut(rtnl) {
            Ok(st) => st,
            Err(_) => return,
        };
        if st
            .primary
            .as_ref()
            .is_some_and(|p| Arc::ptr_eq(p, &slave.shared))
        {
            st.primary = None;
        }
        st.active
            .as_ref()
            .is_some_and(|a| Arc::ptr_eq(a, &slave.shared))
    };
    if was_current {
        super::select::change(bond, rtnl, None);
    }
    // After the change: the slave may have become a backup with groups.
    if let Ok(p) = bond.inner.params.borrow(rtnl) {
        super::arpmon::ns_maddrs(rtnl, &p, &slave.shared, false);
    }
    if !all && was_current {
        super::select::select(bond, rtnl);
    }
    set_carrier(bond, rtnl);
    if !has_slaves {
        bdev.set_random_addr(rtnl);
        let _ = bdev.notify(rtnl, NetdevEvent::ChangeAddr);
        let _ = bdev.notify(rtnl, NetdevEvent::Release);
    }
    bond.inner.publish(bdev, rtnl);
    bdev.compute_master_upper_features(rtnl, true);
    sdev.del_vlan_ids_of(rtnl, bdev);
    if !bond_mode.uses_primary() {
        if old_flags & flags::PROMISC != 0 {
            let _ = sdev.set_promiscuity(rtnl, -1);
        }
        if old_flags & flags::ALLMULTI != 0 {
            let _ = sdev.set_allmulti(rtnl, -1);
        }
        if old_flags & flags::UP != 0 {
            hw_addr_flush(bdev, &sdev, rtnl);
        }
    }
    sdev.close(rtnl);
    sdev.update_priv_flags(rtnl, 0, priv_flags::NO_ADDRCONF);
    if fail_over_mac != 1 {
        // C copies the slave's current `addr_len` bytes.
        let len = usize::from(sdev.addr_len());
        let _ = sdev.set_mac_address(rtnl, slave.shared.perm_hwaddr.first(len));
    }
    // A device being unregistered must not announce an MTU change: its
    // IPv4/IPv6 state is already gone and would be created again, holding
    // references that nothing drops (C: `__dev_set_mtu` on that path).
    if unregister {
        let _ = sdev.set_mtu_quiet(rtnl, slave.original_mtu);
    } else {
        let _ = sdev.set_mtu(rtnl, slave.original_mtu);
    }
}

/// Releases every slave, first enslaved first (`bond_uninit`).
pub(crate) fn release_all(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let bond = BondRef::of(dev);
    loop {
        let slave = match bond.inner.slaves.borrow_mut(rtnl) {
            Ok(mut list) => {
                let s = list.remove_first(|_| true);
                bond.inner.slave_count.store(list.len(), Ordering::Relaxed);
                s
            }
            Err(_) => None,
        };
        let Some(slave) = slave else {
            break;
        };
        release_one(bond, rtnl, slave, true, true);
    }
}

/// The bond's slaves in order, one at a time, without allocating (C walks
/// its list under RTNL; a copy that cannot be made must not lose a slave).
/// Each step borrows the list only to take the next slave, so the caller
/// may call into slave devices, whose events read the list, in between.
pub(crate) fn each<'a>(
    inner: &'a BondInner,
    rtnl: &'a Rtnl,
) -> impl Iterator<Item = Arc<SlaveShared>> + 'a {
    let mut next = 0;
    core::iter::from_fn(move || {
        let s = inner.slaves.borrow(rtnl).ok()?.get(next)?.shared.clone();
        next += 1;
        Some(s)
    })
}

/// The slave on `dev`, if it is one of the bond's (without allocating).
pub(crate) fn find(inner: &BondInner, rtnl: &Rtnl, dev: &Device) -> Option<Arc<SlaveShared>> {
    inner
        .slaves
        .borrow(rtnl)
        .ok()?
        .iter()
        .find(|s| core::ptr::eq(&*s.shared.dev, dev))
        .map(|s| s.shared.clone())
}
