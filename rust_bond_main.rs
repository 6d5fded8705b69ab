// SPDX-License-Identifier: GPL-2.0

//! rust_bond: Linux bonding (NIC aggregation) in Rust, a drop-in
//! replacement for the C driver.
//!
//! C version of this driver: [`drivers/net/bonding/`](srctree/drivers/net/bonding/)
//!
//! Layout (Documentation/rust_bond.rst): `sysfs/`, `link.rs`, `procfs.rs`
//! and `module_params.rs` are front ends; `bond/` is a bond device and its
//! lifecycle; `modes/` has one file per bonding mode; `logic/` is pure,
//! host-tested bonding logic; `net/` is the safe layer over the netdevice
//! API (every block of non-safe code is there).
//!
//! The crate root is not named `rust_bond.rs` because Kbuild refuses a
//! composite module with a part named like the module itself (see
//! `Documentation/rust_bond.rst`, "Layout").

// `try_pin_init!` expands recursively per field: `BondInner` has more
// fields than the default limit of 128 allows.
#![recursion_limit = "256"]

use bond::{netns, notifier};
use kernel::{c_str, prelude::*, sync::Arc};
use net::{
    global::Global,
    notifier::NotifierRegistration,
    pernet,
    rtnl_link::{LinkAttrs, LinkOps, Registration},
    Device, DriverDevice, Namespace, Rtnl,
};

pub mod logic;
pub mod net;

mod bond;
mod link;
mod modes;
mod module_params;
mod procfs;
mod sysfs;

/// Description shared with the C driver (`DRV_DESCRIPTION` in `bonding_priv.h`),
/// so that tools matching on it keep working.
const DRV_DESCRIPTION: &str = "Ethernet Channel Bonding Driver";

/// The kernel release this module was built for; the C driver's version is
/// its `UTS_RELEASE` too.
const DRV_VERSION: &str = env!("KERNELRELEASE");

module! {
    type: RustBond,
    name: "rust_bond",
    author: "rust_bond developers",
    description: "Ethernet Channel Bonding Driver (Rust)",
    license: "GPL",
    // `MODULE_ALIAS_RTNL_LINK("bond")`: `ip link add ... type bond` loads
    // the module when the kind is not registered.
    alias: ["rtnl-link-bond"],
}

/// What callbacks without context reach through [`CORE`]: the link kind
/// (to create and recognise bonds), the per-namespace state and the
/// defaults new bonds start from.
pub(crate) struct Core {
    pub(crate) link: Pin<KBox<Registration<bond::Bond>>>,
    pub(crate) pernet: Pin<KBox<pernet::Registration<netns::BondNet>>>,
    pub(crate) defaults: bond::Params,
    pub(crate) tx_queues: u32,
}

/// The module's [`Core`], set while the module is loaded.
pub(crate) static CORE: Global<Core> = Global::new();

impl Core {
    /// Module exit, and init's undo once the core is published (C's
    /// `bonding_exit` and `bonding_init`'s error path). Afterwards nothing
    /// of the module runs: no file, device or deferred free is left.
    fn shut_down(&self) {
        // Every bond, each releasing its slaves itself.
        self.link.unregister();
        // Then `bonding_masters`, waiting for its writers, and the bonds a
        // write made after the link kind went (C: `bond_net_pre_exit` and
        // `bond_net_exit_batch_rtnl`, commit 69b0216ac255), then the data
        // of each namespace. The core is still published: the bonds'
        // unregistration finds its namespace's data through it.
        self.pernet.unregister();
        CORE.clear();
        // Deferred frees of transmit states run module code: wait for them.
        net::rcu::barrier();
    }
}

/// Whether `dev` is a bond of this driver.
pub(crate) fn is_bond(dev: &Device) -> bool {
    CORE.get().is_some_and(|c| c.link.device(dev).is_some())
}

/// Module state: everything the module owns while it is loaded.
struct RustBond {
    core: Arc<Core>,
    /// Taken first at unload (see `Drop`).
    watcher: Option<Pin<KBox<NotifierRegistration<notifier::BondWatcher>>>>,
}

impl kernel::Module for RustBond {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let defaults = module_params::check()?;
        // The link kind first: if bonding.ko is loaded, "bond" is taken and
        // the load fails here, before anything else of ours exists.
        let link = KBox::pin_init(Registration::<bond::Bond>::new(), GFP_KERNEL).inspect_err(|e| {
            if *e == EEXIST {
                pr_err!("cannot load while another bonding driver (bonding.ko) is loaded: the link kind \"bond\" is taken\n");
            }
        })?;
        let pernet = KBox::pin_init(pernet::Registration::<netns::BondNet>::new(), GFP_KERNEL)?;
        net::skbuff::flow_dissector_init();
        let core = Arc::new(
            Core {
                link,
                pernet,
                defaults: defaults.params,
                tx_queues: defaults.tx_queues,
            },
            GFP_KERNEL,
        )?;
        if CORE.set(core.clone()).is_err() {
            return Err(EBUSY);
        }
        let watcher =
            match KBox::pin_init(NotifierRegistration::new(notifier::BondWatcher), GFP_KERNEL) {
                Ok(w) => w,
                Err(e) => {
                    core.shut_down();
                    return Err(e);
                }
            };
        pr_info!("{}: v{} (rust_bond)\n", DRV_DESCRIPTION, DRV_VERSION);
        {
            let rtnl = Rtnl::lock();
            for _ in 0..defaults.max_bonds {
                if let Err(e) = netns::create_bond(&rtnl, Namespace::init(), c_str!("bond%d")) {
                    drop(rtnl);
                    drop(watcher);
                    core.shut_down();
                    return Err(e);
                }
            }
        }
        Ok(RustBond {
            core,
            watcher: Some(watcher),
        })
    }
}

impl Drop for RustBond {
    fn drop(&mut self) {
        // As C's bonding_exit: the notifier goes first (no callback can then
        // hold the core while it is torn down), then every bond (each
        // releases its slaves itself), then the rest.
        drop(self.watcher.take());
        self.core.shut_down();
        pr_info!("unloaded\n");
    }
}

#[vtable]
impl LinkOps for bond::Bond {
    const KIND: &'static CStr = c_str!("bond");
    const POLICY: Option<net::netlink::PolicyRef> = Some(link::POLICY);
    const SLAVE_POLICY: Option<net::netlink::PolicyRef> = Some(link::SLAVE_POLICY);

    fn num_tx_queues() -> u32 {
        CORE.get()
            .map_or(bond::params::DEFAULT_TX_QUEUES, |c| c.tx_queues)
    }

    /// As C (`alloc_netdev_mq`, `bond_get_num_tx_queues` for both).
    fn num_rx_queues() -> u32 {
        Self::num_tx_queues()
    }

    fn validate(attrs: &mut LinkAttrs<'_>) -> Result {
        link::validate(attrs)
    }

    fn new_data(_ns: &Namespace, _attrs: &mut LinkAttrs<'_>) -> Result<impl PinInit<Self, Error>> {
        let core = CORE.get().ok_or(ENODEV)?;
        bond::Bond::new(core.defaults.clone())
    }

    fn newlink_registered(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        attrs: &mut LinkAttrs<'_>,
    ) -> Result {
        link::changelink(dev, rtnl, attrs)
    }

    fn changelink(dev: &DriverDevice<Self>, rtnl: &Rtnl, attrs: &mut LinkAttrs<'_>) -> Result {
        link::changelink(dev, rtnl, attrs)
    }

    fn get_size(_dev: &DriverDevice<Self>) -> usize {
        link::get_size()
    }

    fn fill_info(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        msg: &mut net::netlink::Message<'_>,
    ) -> Result {
        link::fill_info(dev, rtnl, msg)
    }

    fn slave_changelink(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        port: &Device,
        attrs: &mut LinkAttrs<'_>,
    ) -> Result {
        link::slave_changelink(dev, rtnl, port, attrs)
    }

    fn get_slave_size(_dev: &DriverDevice<Self>, _port: &Device) -> usize {
        link::get_slave_size()
    }

    fn fill_slave_info(
        dev: &DriverDevice<Self>,
        rtnl: &Rtnl,
        port: &Device,
        msg: &mut net::netlink::Message<'_>,
    ) -> Result {
        link::fill_slave_info(dev, rtnl, port, msg)
    }
}
