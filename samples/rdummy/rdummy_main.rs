// SPDX-License-Identifier: GPL-2.0

//! rdummy: a dummy network device on top of rust_bond's net layer.
//!
//! C analogue: [`drivers/net/dummy.c`](srctree/drivers/net/dummy.c).
//!
//! It exists to show that the layer under `net/` is general (it knows nothing
//! about bonding) and to test each of its abstractions in the VM. Like
//! `dummy`, an rdummy device counts and frees every packet it is given to
//! send. `ip link add NAME type rdummy` creates one.

use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::{c_str, prelude::*, sync::Arc, types::ARef};
use net::{
    device::ETH_ALEN,
    errno::EADDRNOTAVAIL,
    netlink::{nla_total_size, ExtAck, Message, PolicyRef},
    notifier::NotifierRegistration,
    ops::{features, flags, priv_flags, DrvInfo, SetupDevice, Stats64},
    rcu::{self, RcuPtr},
    rtnl_link::{LinkAttrs, LinkOps, NameAssign, Registration},
    timestamping::{self as ts, HwTstampConfig, TsInfo},
    Device, DriverDevice, Namespace, NetdevTx, Operations, Rtnl, RtnlLocked, SkBuff,
};

mod dev_files;
mod files;
mod heartbeat;
mod link_attrs;
mod ports;
mod selftest;

// The layer is shared with rust_bond and built into each module that uses it.
#[path = "../../net/mod.rs"]
pub mod net;

module! {
    type: RDummy,
    name: "rdummy",
    author: "rust_bond developers",
    description: "Dummy netdevice driver in Rust (rust_bond net layer sample)",
    license: "GPL",
    alias: ["rtnl-link-rdummy"],
}

module_params! {
    mod params;
    // As drivers/net/dummy.c.
    numdummies: int = 1, perm = 0, desc = "Number of rdummy pseudo devices";
    // The parameters below exercise the net layer's module_params! in the VM.
    label: charp, perm = 0o444, desc = "Text printed at load";
    tags: [charp; 4], perm = 0, desc = "Up to 4 words printed at load";
    msg_level: int = 0, perm = 0o644, desc = "Message level (alias of verbosity)";
    verbosity: int = alias msg_level, perm = 0o644, desc = "Message level (alias of msg_level)";
    selftest: bool = false, perm = 0,
        desc = "Run the net layer's RCU, BH lock and delayed work self-test at load";
}

/// `IFLA_ADDRESS`, the generic link attribute carrying the MAC address.
const IFLA_ADDRESS: u32 = 1;

/// The private data of one rdummy device.
#[pin_data]
struct RDummyDev {
    /// Attached ports (configuration state, under RTNL).
    ports: RtnlLocked<KVec<ports::Port>>,
    /// How many ports there are, for readers without RTNL.
    port_count: AtomicUsize,
    /// What the ports received on behalf of this device.
    rx: Arc<ports::RxCounters>,
    /// The ports packets are sent out of: a copy to each, like bonding's
    /// broadcast mode. Written under RTNL, read by `start_xmit` under RCU.
    tx_ports: RcuPtr<KVec<ARef<Device>>>,
    /// Runs while the device is up.
    heartbeat: Arc<heartbeat::Heartbeat>,
    /// The hardware timestamping configuration (transmit mode, receive
    /// filter) user space set, so that devices stacked on rdummy (VLANs,
    /// bonds) can be tested passing it down. No packet gets a hardware
    /// timestamp.
    hwtstamp: RtnlLocked<(i32, i32)>,
}

impl RDummyDev {
    fn new(heartbeat_ms: u32) -> Result<impl PinInit<Self, Error>> {
        let rx = Arc::new(ports::RxCounters::default(), GFP_KERNEL)?;
        let heartbeat = heartbeat::Heartbeat::new(heartbeat_ms)?;
        Ok(try_pin_init!(Self {
            ports: RtnlLocked::new(KVec::new()),
            port_count: AtomicUsize::new(0),
            rx,
            tx_ports: RcuPtr::null(),
            heartbeat,
            hwtstamp: RtnlLocked::new((ts::HWTSTAMP_TX_OFF, ts::HWTSTAMP_FILTER_NONE)),
        }))
    }
}

/// Whether `addr` is a valid unicast Ethernet address
/// (`is_valid_ether_addr`).
fn is_valid_ether_addr(addr: &[u8]) -> bool {
    addr.len() == ETH_ALEN && addr[0] & 1 == 0 && addr.iter().any(|&b| b != 0)
}

#[vtable]
impl Operations for RDummyDev {
    const SYSFS_GROUP: Option<&'static net::sysfs::AttributeGroup<Self>> = Some(&dev_files::GROUP);

    fn setup(dev: &mut SetupDevice<'_>) {
        // What dummy_setup() does.
        dev.ether_setup();
        dev.add_flags(flags::NOARP);
        dev.remove_flags(flags::MULTICAST);
        dev.add_priv_flags(priv_flags::LIVE_ADDR_CHANGE | priv_flags::NO_QUEUE);
        dev.set_lltx();
        let f = features::SG
            | features::FRAGLIST
            | features::GSO_SOFTWARE
            | features::HW_CSUM
            | features::HIGHDMA
            | features::GSO_ENCAP_ALL;
        dev.add_features(f, f, f);
        dev.random_addr();
        dev.set_mtu_range(0, 0);
        dev.use_pcpu_lstats();
    }

    // As dummy, NETDEV_TX_OK whatever the ports said.
    fn start_xmit(dev: &DriverDevice<Self>, mut skb: SkBuff) -> NetdevTx {
        dev.lstats_add(skb.len());
        skb.tx_timestamp();
        let guard = rcu::read_lock();
        let Some((last, others)) = dev
            .data()
            .tx_ports
            .get(&guard)
            .and_then(|ports| ports.split_last())
        else {
            skb.consume();
            return NetdevTx::OK;
        };
        // A copy to every port but the last, which gets the original, as
        // bonding's broadcast mode does. Failed sends are counted by the
        // ports; a failed clone only skips that port, as in C.
        for port in others {
            if let Ok(copy) = skb.try_clone() {
                let _ = copy.queue_xmit(port);
            }
        }
        let _ = skb.queue_xmit(last);
        NetdevTx::OK
    }

    fn open(dev: &DriverDevice<Self>, _rtnl: &Rtnl) -> Result {
        heartbeat::Heartbeat::start(&dev.data().heartbeat);
        Ok(())
    }

    fn stop(dev: &DriverDevice<Self>, _rtnl: &Rtnl) -> Result {
        dev.data().heartbeat.stop();
        Ok(())
    }

    fn uninit(dev: &DriverDevice<Self>, rtnl: &Rtnl) {
        ports::remove_all(dev, rtnl);
        // Closed devices have a stopped heartbeat already; this covers a
        // failed registration, which runs uninit without stop.
        dev.data().heartbeat.stop();
    }

    fn get_stats64(dev: &DriverDevice<Self>, stats: &mut Stats64) {
        (stats.tx_packets, stats.tx_bytes) = dev.lstats_read();
        let rx = &dev.data().rx;
        stats.rx_packets = rx.packets.load(Ordering::Relaxed);
        stats.rx_bytes = rx.bytes.load(Ordering::Relaxed);
    }

    fn add_slave(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        port: &Device,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        ports::add(dev, rtnl, port)
    }

    fn del_slave(dev: &DriverDevice<Self>, rtnl: &Rtnl, port: &Device) -> Result {
        ports::remove(dev, rtnl, port)
    }

    fn change_mtu(dev: &DriverDevice<Self>, rtnl: &Rtnl, mtu: u32) -> Result {
        dev.set_mtu_field(rtnl, mtu);
        Ok(())
    }

    fn set_mac_address(dev: &DriverDevice<Self>, rtnl: &Rtnl, addr: &[u8; ETH_ALEN]) -> Result {
        if !is_valid_ether_addr(addr) {
            return Err(EADDRNOTAVAIL());
        }
        dev.set_dev_addr(rtnl, addr);
        Ok(())
    }

    fn change_carrier(dev: &DriverDevice<Self>, _rtnl: &Rtnl, on: bool) -> Result {
        if on {
            dev.carrier_on();
        } else {
            dev.carrier_off();
        }
        Ok(())
    }

    fn get_drvinfo(_dev: &DriverDevice<Self>, info: &mut DrvInfo<'_>) {
        info.set_driver("rdummy");
    }

    fn get_ts_info(_dev: &DriverDevice<Self>, info: &mut TsInfo<'_>) -> Result {
        // What a NIC with hardware timestamping (and no PHC) reports.
        info.add_so_timestamping(
            ts::TX_HARDWARE | ts::RX_HARDWARE | ts::RAW_HARDWARE | ts::TX_SOFTWARE,
        );
        info.set_tx_types(1 << ts::HWTSTAMP_TX_OFF | 1 << ts::HWTSTAMP_TX_ON);
        info.set_rx_filters(1 << ts::HWTSTAMP_FILTER_NONE | 1 << ts::HWTSTAMP_FILTER_ALL);
        Ok(())
    }

    fn hwtstamp_get(dev: &DriverDevice<Self>, rtnl: &Rtnl, cfg: &mut HwTstampConfig<'_>) -> Result {
        let (tx_type, rx_filter) = *dev.data().hwtstamp.borrow(rtnl)?;
        cfg.set_modes(tx_type, rx_filter);
        Ok(())
    }

    fn hwtstamp_set(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        cfg: &mut HwTstampConfig<'_>,
        _extack: &mut ExtAck<'_>,
    ) -> Result {
        let tx_type = cfg.tx_type();
        if tx_type != ts::HWTSTAMP_TX_OFF && tx_type != ts::HWTSTAMP_TX_ON {
            return Err(ERANGE);
        }
        // Like NICs without per-type filters: anything but none is all.
        let rx_filter = if cfg.rx_filter() == ts::HWTSTAMP_FILTER_NONE {
            ts::HWTSTAMP_FILTER_NONE
        } else {
            ts::HWTSTAMP_FILTER_ALL
        };
        *dev.data().hwtstamp.borrow_mut(rtnl)? = (tx_type, rx_filter);
        cfg.set_modes(tx_type, rx_filter);
        Ok(())
    }
}

#[vtable]
impl LinkOps for RDummyDev {
    const KIND: &'static CStr = c_str!("rdummy");

    fn validate(attrs: &mut LinkAttrs<'_>) -> Result {
        if let Some(addr) = attrs.link.get(IFLA_ADDRESS) {
            if addr.payload().len() != ETH_ALEN {
                return Err(EINVAL);
            }
            if !is_valid_ether_addr(addr.payload()) {
                return Err(EADDRNOTAVAIL());
            }
        }
        link_attrs::validate(attrs)
    }

    const POLICY: Option<PolicyRef> = Some(link_attrs::LINK_POLICY);
    const SLAVE_POLICY: Option<PolicyRef> = Some(link_attrs::PORT_POLICY);

    fn new_data(_ns: &Namespace, attrs: &mut LinkAttrs<'_>) -> Result<impl PinInit<Self, Error>> {
        RDummyDev::new(link_attrs::heartbeat_ms(attrs).unwrap_or(heartbeat::DEFAULT_INTERVAL_MS))
    }

    fn changelink(dev: &DriverDevice<Self>, _rtnl: &Rtnl, attrs: &mut LinkAttrs<'_>) -> Result {
        link_attrs::changelink(dev, attrs)
    }

    fn get_size(dev: &DriverDevice<Self>) -> usize {
        link_attrs::get_size(dev)
    }

    fn fill_info(dev: &DriverDevice<Self>, rtnl: &Rtnl, msg: &mut Message<'_>) -> Result {
        link_attrs::fill_info(dev, rtnl, msg)
    }

    fn get_slave_size(_dev: &DriverDevice<Self>, _port: &Device) -> usize {
        nla_total_size(8)
    }

    fn fill_slave_info(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        port: &Device,
        msg: &mut Message<'_>,
    ) -> Result {
        link_attrs::fill_slave_info(dev, rtnl, port, msg)
    }
}

/// Module state. Dropping it first deletes every rdummy device (see `Drop`),
/// then the fields go in order.
struct RDummy {
    _watcher: Pin<KBox<NotifierRegistration<ports::PortWatcher>>>,
    _link: Arc<Registration<RDummyDev>>,
    /// The work the self-test leaves pending, cancelled at unload.
    _selftest: Option<selftest::Pending>,
    /// Per-namespace files (`rdummy_masters`, `/proc/net/rdummy/`).
    _files: files::Files,
}

impl kernel::Module for RDummy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let label = params::label.get().unwrap_or(c_str!("(null)"));
        pr_info!("numdummies={} label={}\n", params::numdummies.get(), label);
        for (i, tag) in params::tags.iter().enumerate() {
            pr_info!("tags[{}]={}\n", i, tag);
        }
        pr_info!("msg_level={}\n", params::msg_level.get());
        let selftest = if params::selftest.get() {
            Some(selftest::run()?)
        } else {
            None
        };
        let files = files::Files::new()?;
        let link = Arc::pin_init(Registration::<RDummyDev>::new(), GFP_KERNEL)?;
        let numdummies = params::numdummies.get();
        {
            let rtnl = Rtnl::lock();
            for _ in 0..numdummies {
                link.create_device(
                    &rtnl,
                    Namespace::init(),
                    c_str!("rdummy%d"),
                    NameAssign::Enum,
                    RDummyDev::new(heartbeat::DEFAULT_INTERVAL_MS)?,
                )?;
            }
        }
        let watcher = KBox::pin_init(
            NotifierRegistration::new(ports::PortWatcher { link: link.clone() }),
            GFP_KERNEL,
        )?;
        Ok(RDummy {
            _watcher: watcher,
            _link: link,
            _selftest: selftest,
            _files: files,
        })
    }
}

impl Drop for RDummy {
    fn drop(&mut self) {
        // Delete the devices while the watcher still runs: a port deleted
        // meanwhile is still released, so its unregistration can finish,
        // which the kind's unregistration waits for.
        self._link.unregister();
    }
}
