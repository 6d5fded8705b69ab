// SPDX-License-Identifier: GPL-2.0

//! A bond device: its private data, its netdevice callbacks and the state
//! its transmit and receive paths read.
//!
//! C version: `bond_main.c` (`struct bonding`, `bond_netdev_ops`,
//! `bond_setup`, `bond_open`, `bond_close`, `bond_uninit`,
//! `bond_get_stats`, `bond_change_mtu`, `bond_set_mac_address`,
//! `bond_set_rx_mode`, `bond_change_rx_flags`).
//!
//! # Locking, as in C
//!
//! - Configuration (the [`Params`], the slave list, the active slave) is
//!   changed under RTNL ([`RtnlLocked`]).
//! - `start_xmit` and the receive handler read one RCU-published
//!   [`View`]: the mode, its parameters and the slave arrays. Every change
//!   the hot paths must see publishes a new one ([`BondInner::publish`]).
//! - The MII monitor is a delayed work on the bond's ordered workqueue that
//!   inspects slaves under RCU and commits changes under RTNL.

use crate::logic::hash::XmitHashPolicy;
use crate::logic::mode::Mode;
use crate::net::{
    delayed_work::{impl_has_delayed_work, new_delayed_work, DelayedWork, Queue, Workqueue},
    device::ETH_ALEN,
    errno::EADDRNOTAVAIL,
    ioctl::{IfReq, UserData},
    log::{printk_pieces, Level},
    netlink::ExtAck,
    ops::{
        features, flags, priv_flags, stats64_counters, stats64_counters_mut, DeviceType, DrvInfo,
        LinkSettings, SetupDevice, Stats64,
    },
    percpu::PerCpuCounter,
    rcu::{self, RcuBox, RcuPtr},
    spinlock_bh::{
        new_nested_spinlock_bh, new_spinlock_bh, NestedGuard, NestedSpinLockBh, SpinLockBh,
    },
    timestamping::{HwTstampConfig, TsInfo},
    Device, DriverDevice, NetdevTx, Operations, Rtnl, RtnlLocked, SkBuff,
};
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicUsize};
use kernel::{c_str, prelude::*, sync::Arc, types::ARef};

pub(crate) mod arpmon;
pub(crate) mod ioctl;
pub(crate) mod miimon;
pub(crate) mod netns;
pub(crate) mod notifier;
pub(crate) mod options;
pub(crate) mod params;
pub(crate) mod rx;
pub(crate) mod select;
pub(crate) mod slave;

pub(crate) use params::Params;
pub(crate) use slave::{Slave, SlaveShared};

/// `DRV_NAME`: what `ethtool -i` reports as the driver, as C does, so that
/// tools that match on it keep working.
const DRV_NAME: &str = "bonding";

/// `bond_type`: the `DEVTYPE=bond` of the device's uevents.
static BOND_DEVTYPE: DeviceType = DeviceType::new(c_str!("bond"));

/// What the transmit and receive paths read: one consistent snapshot,
/// published under RCU (C reads `bond->params` fields, `curr_active_slave`
/// and `usable_slaves`/`all_slaves` one by one).
pub(crate) struct View {
    pub(crate) mode: Mode,
    pub(crate) policy: XmitHashPolicy,
    pub(crate) packets_per_slave: u32,
    /// `reciprocal_value(packets_per_slave)` when it is above 1.
    pub(crate) reciprocal_pps: crate::logic::select::Reciprocal,
    /// Every slave, in enslave order (`all_slaves`, and the list walk).
    pub(crate) all: KVec<Arc<SlaveShared>>,
    /// The slaves that can transmit (`usable_slaves`).
    pub(crate) usable: KVec<Arc<SlaveShared>>,
    /// `curr_active_slave`.
    pub(crate) active: Option<Arc<SlaveShared>>,
    /// What the MII monitor reads: `miimon` (ms), the delays (ticks).
    pub(crate) mii: crate::logic::miimon::MiiParams,
    /// `use_carrier`.
    pub(crate) use_carrier: u32,
    /// `peer_notif_delay`, in ticks.
    pub(crate) peer_notif_delay: u32,
    /// `all_slaves_active`.
    pub(crate) all_slaves_active: bool,
    /// What the ARP monitor and the receive probe read.
    pub(crate) arp: arpmon::ArpParams,
    /// `recv_probe` is `bond_rcv_validate`: the bond is up with the ARP
    /// monitor on.
    pub(crate) recv_probe: bool,
}

/// The ids of the bond's delayed works (their `DelayedWork`'s `ID`).
pub(crate) const MII_WORK: u64 = 0;
/// `mcast_work`: IGMP report resends.
pub(crate) const MCAST_WORK: u64 = 1;
/// `arp_work`: the ARP (and NS) monitor.
pub(crate) const ARP_WORK: u64 = 2;

/// What only RTNL holders touch besides the parameters and the list.
#[derive(Default)]
pub(crate) struct State {
    /// `curr_active_slave`.
    pub(crate) active: Option<Arc<SlaveShared>>,
    /// `primary_slave`.
    pub(crate) primary: Option<Arc<SlaveShared>>,
    /// `force_primary`: the primary was just set; select it regardless of
    /// `primary_reselect`.
    pub(crate) force_primary: bool,
    /// `igmp_retrans`: IGMP report rounds still to trigger.
    pub(crate) igmp_retrans: u32,
}

/// Counters that outlive slaves (`bond->bond_stats`).
pub(crate) struct Stats {
    pub(crate) total: Stats64,
}

/// The state of a bond, shared with its monitor work.
#[pin_data]
pub(crate) struct BondInner {
    pub(crate) params: RtnlLocked<Params>,
    pub(crate) slaves: RtnlLocked<KVec<Slave>>,
    pub(crate) state: RtnlLocked<State>,
    /// What `start_xmit` and the receive handlers read.
    pub(crate) view: RcuPtr<View>,
    /// Round-robin position (`rr_tx_counter`, per CPU as in C).
    pub(crate) rr_counter: PerCpuCounter,
    /// The bond device while it is up, for the monitor (cleared in `stop`).
    #[pin]
    monitor_dev: SpinLockBh<Option<ARef<Device>>>,
    /// The MII monitor (`mii_work`).
    #[pin]
    pub(crate) mii_work: DelayedWork<BondInner, MII_WORK>,
    /// IGMP report resends after a failover (`mcast_work`).
    #[pin]
    pub(crate) mcast_work: DelayedWork<BondInner, MCAST_WORK>,
    /// The ARP monitor (`arp_work`).
    #[pin]
    pub(crate) arp_work: DelayedWork<BondInner, ARP_WORK>,
    /// `current_arp_slave`: the ifindex of the slave the active-backup ARP
    /// monitor probes on while there is no active slave, or 0. Written by
    /// the monitor and under RTNL, read by the receive probe.
    pub(crate) current_arp_slave: AtomicI32,
    /// `bond->wq`, the bond's ordered workqueue; outlives the works on it.
    wq: Arc<Workqueue>,
    /// Nested per bond level: a bond's `get_stats64` holds it while a
    /// lower bond's takes its own (C's `spin_lock_nested`).
    #[pin]
    stats: NestedSpinLockBh<Stats>,
    /// `send_peer_notif`: monitor ticks of peer notifications still to go.
    /// Written under RTNL, read by the monitor without it, as in C.
    pub(crate) send_peer_notif: AtomicU32,
    /// Number of slaves, for readers without RTNL.
    pub(crate) slave_count: AtomicUsize,
    /// `notifier_ctx`: set, under RTNL, while a slave's
    /// `NETDEV_FEAT_CHANGE` recomputes the bond's features, so that the
    /// events this raises on the slaves do not recurse.
    pub(crate) notifier_ctx: AtomicBool,
}

impl_has_delayed_work! {
    impl HasDelayedWork<Self, MII_WORK> for BondInner { self.mii_work }
    impl HasDelayedWork<Self, MCAST_WORK> for BondInner { self.mcast_work }
    impl HasDelayedWork<Self, ARP_WORK> for BondInner { self.arp_work }
}

/// The private data of a bond device.
#[pin_data]
pub(crate) struct Bond {
    pub(crate) inner: Arc<BondInner>,
}

impl Bond {
    /// The private data of a new bond with `params`.
    pub(crate) fn new(params: Params) -> Result<impl PinInit<Self, Error>> {
        let wq = Arc::new(Workqueue::new_ordered(c_str!("rust_bond"))?, GFP_KERNEL)?;
        let queue = Queue::Owned(wq.clone());
        let mcast_queue = Queue::Owned(wq.clone());
        let arp_queue = Queue::Owned(wq.clone());
        let inner = Arc::pin_init(
            try_pin_init!(BondInner {
                params: RtnlLocked::new(params),
                slaves: RtnlLocked::new(KVec::new()),
                state: RtnlLocked::new(State::default()),
                view: RcuPtr::null(),
                rr_counter: PerCpuCounter::new()?,
                monitor_dev <- new_spinlock_bh!(None, "rust_bond::BondInner::monitor_dev"),
                mii_work <- new_delayed_work!(queue, "rust_bond::BondInner::mii_work"),
                mcast_work <- new_delayed_work!(mcast_queue, "rust_bond::BondInner::mcast_work"),
                arp_work <- new_delayed_work!(arp_queue, "rust_bond::BondInner::arp_work"),
                current_arp_slave: AtomicI32::new(0),
                wq,
                stats <- new_nested_spinlock_bh!(
                    Stats {
                        total: zeroed_stats(),
                    },
                    "rust_bond::BondInner::stats"
                ),
                send_peer_notif: AtomicU32::new(0),
                slave_count: AtomicUsize::new(0),
                notifier_ctx: AtomicBool::new(false),
            }),
            GFP_KERNEL,
        )?;
        Ok(try_pin_init!(Self { inner }))
    }
}

/// A zeroed [`Stats64`].
pub(crate) fn zeroed_stats() -> Stats64 {
    Stats64::default()
}

/// `bond_fold_stats`: adds to `total` how much each counter grew from `old`
/// to `new`, ignoring counters that went backwards (drivers that reset
/// their statistics) and treating counters that fit in 32 bits as 32-bit
/// counters that may wrap.
pub(crate) fn fold_stats(total: &mut Stats64, new: &Stats64, old: &Stats64) {
    let (new, old) = (stats64_counters(new), stats64_counters(old));
    for ((t, &nv), &ov) in stats64_counters_mut(total).iter_mut().zip(new).zip(old) {
        let mut delta = nv.wrapping_sub(ov) as i64;
        if (nv | ov) >> 32 == 0 {
            delta = i64::from((nv as u32).wrapping_sub(ov as u32) as i32);
        }
        if delta > 0 {
            *t = t.wrapping_add(delta as u64);
        }
    }
}

/// A bond's device and state together, for the functions shared by the
/// callbacks, the option setters and the monitor.
#[derive(Clone, Copy)]
pub(crate) struct BondRef<'a> {
    pub(crate) dev: &'a Device,
    pub(crate) inner: &'a Arc<BondInner>,
}

impl<'a> BondRef<'a> {
    /// The bond behind a device of ours.
    pub(crate) fn of(dev: &'a DriverDevice<Bond>) -> Self {
        Self {
            dev,
            inner: &dev.data().inner,
        }
    }
}

impl BondInner {
    /// Rebuilds and publishes the transmit state from the configuration
    /// (`bond_update_slave_arr` plus the parameters the hot paths read).
    /// If memory runs out the old state stays, as C keeps its old array.
    pub(crate) fn publish(&self, dev: &Device, rtnl: &Rtnl) {
        let build = || -> Result<RcuBox<View>> {
            let params = self.params.borrow(rtnl)?;
            let slaves = self.slaves.borrow(rtnl)?;
            let state = self.state.borrow(rtnl)?;
            let mut all = KVec::with_capacity(slaves.len(), GFP_KERNEL)?;
            let mut usable = KVec::with_capacity(slaves.len(), GFP_KERNEL)?;
            for s in slaves.iter() {
                all.push(s.shared.clone(), GFP_KERNEL)?;
                if s.shared.can_tx() {
                    usable.push(s.shared.clone(), GFP_KERNEL)?;
                }
            }
            let pps = params.packets_per_slave;
            let up = self.monitor_dev.lock().is_some();
            Ok(RcuBox::new(
                View {
                    mode: params.mode,
                    policy: params.xmit_policy,
                    packets_per_slave: pps,
                    reciprocal_pps: crate::logic::select::Reciprocal::for_packets_per_slave(pps),
                    all,
                    usable,
                    active: state.active.clone(),
                    mii: crate::logic::miimon::MiiParams {
                        miimon: params.miimon as i32,
                        updelay: params.updelay as i32,
                        downdelay: params.downdelay as i32,
                    },
                    use_carrier: params.use_carrier,
                    peer_notif_delay: params.peer_notif_delay,
                    all_slaves_active: params.all_slaves_active != 0,
                    arp: arpmon::ArpParams {
                        interval: params.arp_interval,
                        validate: params.arp_validate,
                        all_targets: params.arp_all_targets != 0,
                        missed_max: params.missed_max,
                        targets: params.arp_targets,
                        targets_len: params.arp_targets_len,
                        ns_targets: params.ns_targets,
                        ns_targets_len: params.ns_targets_len,
                    },
                    recv_probe: up && params.arp_interval != 0,
                },
                GFP_KERNEL,
            )?)
        };
        match build() {
            Ok(new) => self.view.replace_deferred(Some(new), rtnl),
            Err(_) if !crate::net::log::net_ratelimit() => {}
            Err(_) => printk_pieces(
                Level::Warning,
                &[(
                    dev.name().as_bytes(),
                    format_args!(": Failed to build slave-array.\n"),
                )],
            ),
        }
    }

    /// Starts the monitor that the configuration asks for, if the bond is up.
    pub(crate) fn start_monitor(this: &Arc<Self>, rtnl: &Rtnl) {
        let Ok(params) = this.params.borrow(rtnl) else {
            return;
        };
        let (miimon, arp_interval) = (params.miimon, params.arp_interval);
        drop(params);
        if this.monitor_dev.lock().is_none() {
            return;
        }
        if miimon != 0 {
            DelayedWork::<_, MII_WORK>::modify(this.clone(), 0);
        }
        if arp_interval != 0 {
            DelayedWork::<_, ARP_WORK>::queue(this.clone(), 0);
        }
    }

    /// Takes the counters' lock with the bond's nesting depth as lockdep
    /// subclass (C: `bond_get_lowest_level_rcu`), so that a bond enslaved
    /// in another bond takes its own while the upper one holds its.
    pub(crate) fn lock_stats(&self, dev: &Device) -> NestedGuard<'_, Stats> {
        self.stats
            .lock_nested(u32::from(dev.lower_level().saturating_sub(1)))
    }

    /// The bond device, while it is up (for the monitor).
    pub(crate) fn monitor_device(&self) -> Option<ARef<Device>> {
        self.monitor_dev.lock().clone()
    }
}

/// `MASTER_UPPER_DEV_VLAN_FEATURES`.
const MASTER_UPPER_DEV_VLAN_FEATURES: u64 = features::HW_CSUM
    | features::SG
    | features::FRAGLIST
    | features::GSO_SOFTWARE
    | features::GSO_ENCAP_ALL
    | features::HIGHDMA
    | features::LRO;

#[vtable]
impl Operations for Bond {
    const SYSFS_GROUP: Option<&'static crate::net::sysfs::AttributeGroup<Self>> =
        Some(&crate::sysfs::bond::GROUP);
    const SAVE_QUEUE_MAPPING: bool = true;
    // bond_netdev_ops has no ndo_validate_addr: a bond that took a GRE or
    // InfiniBand slave's type and address opens with it.
    const VALIDATE_ETHER_ADDR: bool = false;

    fn setup(dev: &mut SetupDevice<'_>) {
        // What bond_setup() does.
        dev.ether_setup();
        dev.set_mtu_range(68, 65535);
        dev.set_devtype(&BOND_DEVTYPE);
        dev.add_flags(flags::MASTER);
        // No IFF_BONDING: see Documentation/iff-bonding.rst.
        // IFF_DISABLE_NETPOLL: rust_bond has no netpoll path (C's
        // `bond_netpoll_*`); netpoll would call `start_xmit` with IRQs off,
        // where sending on a slave is not allowed. netconsole on the bond,
        // or on a VLAN or bridge over it, is refused (admin-guide.rst).
        dev.add_priv_flags(
            priv_flags::UNICAST_FLT | priv_flags::NO_QUEUE | priv_flags::DISABLE_NETPOLL,
        );
        dev.remove_priv_flags(priv_flags::XMIT_DST_RELEASE | priv_flags::TX_SKB_SHARING);
        dev.set_lltx();
        dev.set_netns_immutable();
        let hw = MASTER_UPPER_DEV_VLAN_FEATURES
            | features::HW_VLAN_CTAG_RX
            | features::HW_VLAN_CTAG_FILTER
            | features::HW_VLAN_STAG_RX
            | features::HW_VLAN_STAG_FILTER
            | features::GSO_ENCAP_ALL;
        dev.add_features(
            hw | features::HW_VLAN_CTAG_TX | features::HW_VLAN_STAG_TX | features::GSO_PARTIAL,
            hw,
            0,
        );
    }

    fn init(dev: &DriverDevice<Self>, rtnl: &Rtnl) -> Result {
        // bond_init(): the bond joins its namespace's list; its
        // /proc/net/bonding file comes with it.
        crate::bond::netns::bond_registered(dev, rtnl)
    }

    fn uninit(dev: &DriverDevice<Self>, rtnl: &Rtnl) {
        // bond_uninit(): release every slave, then leave the list.
        let bond = BondRef::of(dev);
        slave::release_all(dev, rtnl);
        crate::net::netdev_log!(Info, dev, "Released all slaves\n");
        crate::bond::netns::bond_unregistered(dev, rtnl);
        bond.inner.view.replace_deferred(None, rtnl);
    }

    fn open(dev: &DriverDevice<Self>, rtnl: &Rtnl) -> Result {
        // bond_open()
        let bond = BondRef::of(dev);
        {
            let slaves = bond.inner.slaves.borrow(rtnl)?;
            let params = bond.inner.params.borrow(rtnl)?;
            let state = bond.inner.state.borrow(rtnl)?;
            // Reset the slaves' states: in modes with an active slave only
            // it is active; the others are backups.
            for s in slaves.iter() {
                let is_active = state
                    .active
                    .as_ref()
                    .is_some_and(|a| Arc::ptr_eq(a, &s.shared));
                if params.mode.uses_primary() && !is_active {
                    s.shared.set_backup(params.all_slaves_active != 0);
                } else if !params.mode.sets_slave_states() {
                    s.shared.set_active();
                }
            }
        }
        *bond.inner.monitor_dev.lock() = Some(ARef::from(&**dev));
        bond.inner.publish(dev, rtnl);
        BondInner::start_monitor(&dev.data().inner, rtnl);
        Ok(())
    }

    fn stop(dev: &DriverDevice<Self>, rtnl: &Rtnl) -> Result {
        // bond_close(): stop the monitors; the device reference they use
        // goes with them. Republishing clears `recv_probe`. Then
        // `bond_hw_addr_flush`.
        let inner = &dev.data().inner;
        let held = inner.monitor_dev.lock().take();
        inner.mii_work.cancel_sync();
        inner.mcast_work.cancel_sync();
        inner.arp_work.cancel_sync();
        inner
            .send_peer_notif
            .store(0, core::sync::atomic::Ordering::Relaxed);
        inner.publish(dev, rtnl);
        drop(held);
        // The bond's address lists leave the slaves that carried them: the
        // active one in modes with one, every slave otherwise.
        if inner.params.borrow(rtnl)?.mode.uses_primary() {
            let active = inner.state.borrow(rtnl)?.active.clone();
            if let Some(a) = active {
                slave::hw_addr_flush(dev, &a.dev, rtnl);
            }
        } else {
            for s in slave::each(inner, rtnl) {
                slave::hw_addr_flush(dev, &s.dev, rtnl);
            }
        }
        Ok(())
    }

    fn start_xmit(dev: &DriverDevice<Self>, skb: SkBuff) -> NetdevTx {
        let guard = rcu::read_lock();
        match dev.data().inner.view.get(&guard) {
            Some(view) if !view.all.is_empty() => crate::modes::xmit(dev, view, skb),
            // bond_start_xmit: no slaves, count and drop.
            _ => crate::modes::drop_tx(dev, skb),
        }
    }

    fn get_stats64(dev: &DriverDevice<Self>, stats: &mut Stats64) {
        // bond_get_stats(): the bond's totals grow by what each slave's
        // counters grew since the last call.
        let inner = &dev.data().inner;
        let guard = rcu::read_lock();
        let mut st = inner.lock_stats(dev);
        if let Some(view) = inner.view.get(&guard) {
            for s in view.all.iter() {
                let new = s.dev.stats64();
                let mut prev = s.prev_stats.lock();
                fold_stats(&mut st.total, &new, &prev);
                *prev = new;
            }
        }
        *stats = st.total;
    }

    fn change_mtu(dev: &DriverDevice<Self>, rtnl: &Rtnl, mtu: u32) -> Result {
        // bond_change_mtu(): every slave first; undo on failure.
        let bond = BondRef::of(dev);
        let devs = slave::slave_devices(bond.inner, rtnl)?;
        for (i, s) in devs.iter().enumerate() {
            if let Err(e) = s.set_mtu(rtnl, mtu) {
                pr_debug!("{}: err {:?} setting mtu of {}\n", dev.name(), e, s.name());
                let old = dev.mtu();
                for undo in devs.iter().take(i) {
                    let _ = undo.set_mtu(rtnl, old);
                }
                return Err(e);
            }
        }
        dev.set_mtu_field(rtnl, mtu);
        Ok(())
    }

    fn set_mac_address(dev: &DriverDevice<Self>, rtnl: &Rtnl, addr: &[u8; ETH_ALEN]) -> Result {
        // bond_set_mac_address()
        let bond = BondRef::of(dev);
        {
            let params = bond.inner.params.borrow(rtnl)?;
            // Mode 1 with fail_over_mac: accepted, and nothing done.
            if params.active_fail_over_mac() != 0 {
                return Ok(());
            }
        }
        if !is_valid_ether_addr(addr) {
            return Err(EADDRNOTAVAIL());
        }
        let devs = slave::slave_devices(bond.inner, rtnl)?;
        let old = dev.dev_addr();
        for (i, s) in devs.iter().enumerate() {
            if let Err(e) = s.set_mac_address(rtnl, addr) {
                for undo in devs.iter().take(i) {
                    let _ = undo.set_mac_address(rtnl, &old);
                }
                return Err(e);
            }
        }
        dev.set_dev_addr(rtnl, addr);
        Ok(())
    }

    fn set_rx_mode(dev: &DriverDevice<Self>) {
        // bond_set_rx_mode(): the active slave in modes with one, every
        // slave otherwise. Runs under the bond's address lock.
        let guard = rcu::read_lock();
        let Some(view) = dev.data().inner.view.get(&guard) else {
            return;
        };
        if view.mode.uses_primary() {
            if let Some(a) = &view.active {
                a.dev.sync_addr_lists_from_locked(dev);
            }
        } else {
            for s in view.all.iter() {
                s.dev.sync_addr_lists_from_locked(dev);
            }
        }
    }

    fn fix_features(dev: &DriverDevice<Self>, rtnl: &Rtnl, wanted: u64) -> u64 {
        // bond_fix_features(): a one-for-all feature (SG, HIGHDMA, GSO,
        // VLAN_CHALLENGED...) if any slave has it, an all-for-all one if
        // every slave does; TSO in software on top.
        let mut got = features::base(wanted);
        for s in slave::each(&dev.data().inner, rtnl) {
            got = features::increment(got, s.dev.features(), wanted);
        }
        features::add_tso(got, wanted)
    }

    fn change_rx_flags(dev: &DriverDevice<Self>, rtnl: &Rtnl, change: u32) {
        // bond_change_rx_flags(): promiscuity and allmulti follow the bond.
        slave::propagate_rx_flags(BondRef::of(dev), rtnl, change);
    }

    fn vlan_rx_add_vid(dev: &DriverDevice<Self>, rtnl: &Rtnl, proto: u16, vid: u16) -> Result {
        slave::vlan_add(BondRef::of(dev), rtnl, proto, vid)
    }

    fn vlan_rx_kill_vid(dev: &DriverDevice<Self>, rtnl: &Rtnl, proto: u16, vid: u16) -> Result {
        slave::vlan_kill(BondRef::of(dev), rtnl, proto, vid);
        Ok(())
    }

    fn add_slave(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        port: &Device,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        slave::enslave(dev, rtnl, port, Some(extack))
    }

    fn del_slave(dev: &DriverDevice<Self>, rtnl: &Rtnl, port: &Device) -> Result {
        slave::release(dev, rtnl, port, false)
    }

    fn siocbond(dev: &DriverDevice<Self>, rtnl: &Rtnl, req: &mut IfReq<'_>, cmd: u32) -> Result {
        ioctl::do_ioctl(dev, rtnl, req, req.data(), cmd)
    }

    fn siocdevprivate(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        req: &mut IfReq<'_>,
        data: UserData,
        cmd: u32,
    ) -> Result {
        ioctl::siocdevprivate(dev, rtnl, req, data, cmd)
    }

    fn eth_ioctl(dev: &DriverDevice<Self>, req: &mut IfReq<'_>, cmd: u32) -> Result {
        ioctl::eth_ioctl(dev, req, cmd)
    }

    fn header_lower<'a>(dev: &'a DriverDevice<Self>, guard: &'a rcu::Guard) -> Option<&'a Device> {
        // bond_header_create()/bond_header_parse(): the active slave's.
        let view = dev.data().inner.view.get(guard)?;
        view.active.as_ref().map(|a| &*a.dev)
    }

    fn get_ts_info(dev: &DriverDevice<Self>, info: &mut TsInfo<'_>) -> Result {
        ioctl::get_ts_info(dev, info)
    }

    fn hwtstamp_get(dev: &DriverDevice<Self>, rtnl: &Rtnl, cfg: &mut HwTstampConfig<'_>) -> Result {
        ioctl::hwtstamp_get(dev, rtnl, cfg)
    }

    fn hwtstamp_set(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        cfg: &mut HwTstampConfig<'_>,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        ioctl::hwtstamp_set(dev, rtnl, cfg, extack)
    }

    fn get_drvinfo(_dev: &DriverDevice<Self>, info: &mut DrvInfo<'_>) {
        // bond_ethtool_get_drvinfo()
        info.set_driver(DRV_NAME);
        info.set_fw_version("2");
    }

    fn get_link_ksettings(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        settings: &mut LinkSettings<'_>,
    ) -> Result {
        // bond_ethtool_get_link_ksettings(): the slaves that can transmit
        // (up, with link, active), each asked for its speed and duplex
        // again; the mode's account of their speeds, the first known
        // duplex.
        let bond = BondRef::of(dev);
        let mode = bond.inner.params.borrow(rtnl)?.mode;
        let slaves = bond.inner.slaves.borrow(rtnl)?;
        let mut duplex = crate::net::ops::DUPLEX_UNKNOWN;
        let speeds = slaves
            .iter()
            .map(|s| &s.shared)
            .filter(|s| s.can_tx())
            .filter_map(|s| {
                // A failed query leaves the slave's speed unknown, as in C.
                let _ = s.update_speed_duplex(rtnl);
                if duplex == crate::net::ops::DUPLEX_UNKNOWN {
                    duplex = s.duplex();
                }
                Some(s.speed()).filter(|&sp| sp != crate::net::ops::SPEED_UNKNOWN)
            });
        let speed = crate::modes::link_speed(mode, speeds);
        settings.set_speed(if speed == 0 {
            crate::net::ops::SPEED_UNKNOWN
        } else {
            speed
        });
        settings.set_duplex(duplex);
        settings.set_port_other();
        Ok(())
    }
}

/// Whether `addr` is a valid unicast Ethernet address (`is_valid_ether_addr`).
pub(crate) fn is_valid_ether_addr(addr: &[u8]) -> bool {
    addr.len() == ETH_ALEN && addr[0] & 1 == 0 && addr.iter().any(|&b| b != 0)
}
