// SPDX-License-Identifier: GPL-2.0

//! Ports: lower devices attached with `ip link set PORT master RDUMMY`.
//!
//! Shows the layer's receive handlers, upper/lower links and netdevice
//! notifiers. Everything a port receives is counted and delivered as
//! received on the rdummy device (like a bond's active slave); a port that
//! disappears is released.

use crate::net::{
    kvec::KVecExt,
    notifier::{NetdevEvent, NetdevNotifier},
    rcu::RcuBox,
    rtnl_link::Registration,
    rx_handler::{RxHandler, RxHandlerRegistration, RxResult},
    Device, DriverDevice, Rtnl, SkBuff,
};
use crate::RDummyDev;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::{prelude::*, sync::Arc, types::ARef};

/// Receive counters of one rdummy device, shared with its ports' handlers.
#[derive(Default)]
pub(crate) struct RxCounters {
    pub(crate) packets: AtomicU64,
    pub(crate) bytes: AtomicU64,
}

/// What a port's receive handler needs.
struct PortHandler {
    master: ARef<Device>,
    /// The master's counters.
    counters: Arc<RxCounters>,
    /// This port's own count of received packets.
    port_packets: Arc<AtomicU64>,
}

impl RxHandler for PortHandler {
    fn handle_frame<'a>(this: &'a Self, skb: SkBuff) -> RxResult<'a> {
        this.port_packets.fetch_add(1, Ordering::Relaxed);
        this.counters.packets.fetch_add(1, Ordering::Relaxed);
        this.counters
            .bytes
            .fetch_add(u64::from(skb.len()), Ordering::Relaxed);
        // The handler data holds the master, so it outlives this call.
        RxResult::Another(skb, &this.master)
    }
}

/// One attached port.
pub(crate) struct Port {
    dev: ARef<Device>,
    rx: RxHandlerRegistration<PortHandler>,
    packets: Arc<AtomicU64>,
}

impl Port {
    /// Returns the port's interface name.
    pub(crate) fn name(&self) -> &CStr {
        self.dev.name()
    }

    /// Returns the port's device.
    pub(crate) fn device(&self) -> &Device {
        &self.dev
    }

    /// Returns how many packets the port received for its master.
    pub(crate) fn rx_packets(&self) -> u64 {
        self.packets.load(Ordering::Relaxed)
    }

    /// Detaches the port: no handler runs on it once this returns.
    fn detach(self, rtnl: &Rtnl, master: &Device) {
        self.rx.unregister(rtnl);
        self.dev.unlink_master(rtnl, master);
        pr_info!("{}: released port {}\n", master.name(), self.dev.name());
    }
}

/// Attaches `port` to `dev` (`ndo_add_slave`).
pub(crate) fn add(dev: &DriverDevice<RDummyDev>, rtnl: &Rtnl, port: &Device) -> Result {
    let data = dev.data();
    if core::ptr::eq(port, &**dev) {
        return Err(EINVAL);
    }
    // Allocate first, so that nothing fails once the port is wired up. The
    // list is not borrowed while linking: the events that sends dump the
    // port and its master, which reads the list.
    let tx_box = {
        let mut ports = data.ports.borrow_mut(rtnl)?;
        ports.reserve(1, GFP_KERNEL)?;
        // The transmit array as it will be with the new port.
        tx_array(&ports, Some(port))?
    };
    let packets = Arc::new(AtomicU64::new(0), GFP_KERNEL)?;
    let handler = Arc::new(
        PortHandler {
            master: (&**dev).into(),
            counters: data.rx.clone(),
            port_packets: packets.clone(),
        },
        GFP_KERNEL,
    )?;
    let rx = RxHandlerRegistration::register(rtnl, port, handler)?;
    if let Err(e) = port.link_master(rtnl, dev) {
        rx.unregister(rtnl);
        return Err(e);
    }
    // The receive handler's registration must never be dropped here (its
    // drop takes RTNL): on the errors that cannot happen (a nested borrow,
    // a full list after the reservation) undo every step explicitly.
    let mut ports = match data.ports.borrow_mut(rtnl) {
        Ok(p) if p.len() < p.capacity() => p,
        other => {
            port.unlink_master(rtnl, dev);
            rx.unregister(rtnl);
            return Err(other.err().unwrap_or(ENOMEM));
        }
    };
    let entry = Port {
        dev: port.into(),
        rx,
        packets,
    };
    // Cannot fail: there is room (checked above).
    ports.push(entry, GFP_KERNEL)?;
    data.port_count.store(ports.len(), Ordering::Relaxed);
    drop(ports);
    data.tx_ports.replace(Some(tx_box), rtnl);
    pr_info!("{}: attached port {}\n", dev.name(), port.name());
    Ok(())
}

/// Detaches `port` from `dev` (`ndo_del_slave`, or the port went away).
pub(crate) fn remove(dev: &DriverDevice<RDummyDev>, rtnl: &Rtnl, port: &Device) -> Result {
    let entry = {
        let mut ports = dev.data().ports.borrow_mut(rtnl)?;
        let i = ports
            .iter()
            .position(|p| core::ptr::eq(&*p.dev, port))
            .ok_or(EINVAL)?;
        let entry = ports.swap_remove_at(i).ok_or(EINVAL)?;
        dev.data().port_count.store(ports.len(), Ordering::Relaxed);
        entry
    };
    // Stop sending through it before it goes.
    publish_tx_ports(dev, rtnl);
    // Outside the borrow: unlinking sends notifier events that look at the
    // list again.
    entry.detach(rtnl, dev);
    Ok(())
}

/// Detaches every port, when `dev` is unregistered.
pub(crate) fn remove_all(dev: &DriverDevice<RDummyDev>, rtnl: &Rtnl) {
    let ports = match dev.data().ports.borrow_mut(rtnl) {
        Ok(mut p) => {
            dev.data().port_count.store(0, Ordering::Relaxed);
            core::mem::take(&mut *p)
        }
        // Only a nested call could hold the borrow; uninit is never nested
        // in a port operation of the same device.
        Err(_) => return,
    };
    dev.data().tx_ports.replace(None, rtnl);
    for p in ports {
        p.detach(rtnl, dev);
    }
}

/// Builds the array `start_xmit` sends through: the devices of `ports`,
/// then `extra` if given.
fn tx_array(ports: &[Port], extra: Option<&Device>) -> Result<RcuBox<KVec<ARef<Device>>>> {
    let mut arr = KVec::with_capacity(ports.len() + usize::from(extra.is_some()), GFP_KERNEL)?;
    for dev in Iterator::chain(ports.iter().map(|p| &*p.dev), extra) {
        arr.push(ARef::from(dev), GFP_KERNEL)?;
    }
    Ok(RcuBox::new(arr, GFP_KERNEL)?)
}

/// Publishes the ports as the array `start_xmit` sends through, and waits
/// for a grace period before the old array is dropped. If the new array
/// cannot be allocated, none is published and packets are freed instead of
/// sent (the log says so), as C bonding keeps going when its slave array
/// cannot be rebuilt.
fn publish_tx_ports(dev: &DriverDevice<RDummyDev>, rtnl: &Rtnl) {
    let build = || -> Result<Option<RcuBox<KVec<ARef<Device>>>>> {
        let ports = dev.data().ports.borrow(rtnl)?;
        if ports.is_empty() {
            return Ok(None);
        }
        Ok(Some(tx_array(&ports, None)?))
    };
    let new = build().unwrap_or_else(|_| {
        pr_warn!("{}: cannot rebuild the transmit port array\n", dev.name());
        None
    });
    dev.data().tx_ports.replace(new, rtnl);
}

/// Watches every device for events on rdummy ports: logs them (the tests
/// check their order) and releases ports that are unregistered.
pub(crate) struct PortWatcher {
    pub(crate) link: Arc<Registration<RDummyDev>>,
}

impl NetdevNotifier for PortWatcher {
    fn event(&self, rtnl: &Rtnl, event: NetdevEvent, dev: &Device) -> Result {
        let Some(master) = dev.master(rtnl).and_then(|m| self.link.device(m)) else {
            return Ok(());
        };
        pr_info!("{}: port {} event {:?}\n", master.name(), dev.name(), event);
        if event == NetdevEvent::Unregister {
            // A port that is not in the list (a nested event during
            // attach) has nothing to release.
            let _ = remove(master, rtnl, dev);
        }
        Ok(())
    }
}
