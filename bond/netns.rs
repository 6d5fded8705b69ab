// SPDX-License-Identifier: GPL-2.0

//! What rust_bond keeps per network namespace: the list of bonds,
//! `/sys/class/net/bonding_masters` and `/proc/net/bonding/`.
//!
//! C version: `bond_main.c` (`struct bond_net`, `bond_net_init`,
//! `bond_net_exit_batch_rtnl`, `bond_create`), `bond_sysfs.c`
//! (`bonding_show_bonds`, `bonding_store_bonds`), `bond_procfs.c`.

use crate::bond::{Bond, BondInner};
use crate::net::{
    kvec::KVecExt,
    log::{netdev_printk_bytes, printk_pieces, Level},
    pernet::{KillList, PernetData, PernetId},
    raw_log,
    rtnl_link::NameAssign,
    seq_file::{ProcDir, SeqFile, SeqShow},
    sysfs::{ClassFile, ClassFileOps, Mode, ShowBuffer},
    Device, DriverDevice, Namespace, Rtnl, RtnlLocked,
};
use core::fmt::Write;
use kernel::{c_str, prelude::*, str::CString, sync::Arc, types::ARef};

/// One bond of the namespace's list.
struct Entry {
    dev: ARef<Device>,
    /// The name its `/proc/net/bonding` file has.
    proc_name: CString,
}

/// What rust_bond keeps per namespace (`struct bond_net`).
#[pin_data]
pub(crate) struct BondNet {
    /// The bonds of this namespace (`dev_list`), in creation order.
    bonds: RtnlLocked<KVec<Entry>>,
    #[pin]
    masters: ClassFile<Masters>,
    #[pin]
    proc: ProcDir<ProcEntry>,
}

static BOND_NET_ID: PernetId = PernetId::new();

impl PernetData for BondNet {
    fn id() -> &'static PernetId {
        &BOND_NET_ID
    }

    fn init(ns: &Namespace) -> impl PinInit<Self, Error> {
        try_pin_init!(BondNet {
            bonds: RtnlLocked::new(KVec::new()),
            // C ignores a name clash (another device called
            // `bonding_masters`); so does the layer with `allow_exists`.
            masters <- ClassFile::new(ns, c_str!("bonding_masters"), Mode::RW, true, Masters),
            proc <- ProcDir::new(ns, c_str!("bonding")),
        })
    }

    /// `bond_net_pre_exit`: `bonding_masters` goes first, waiting for its
    /// writers, so that no write adds a bond to a namespace going away (or
    /// after the module's link kind is gone, at unload).
    fn pre_exit(&self) {
        self.masters.remove();
    }

    /// `bond_net_exit_batch_rtnl`: the bonds still here, made by a
    /// `bonding_masters` write that raced the module's unload, are
    /// unregistered with the namespace's other devices. Their entries and
    /// proc files go now, as their unregistration will find none.
    fn exit_rtnl(&self, rtnl: &Rtnl, kill: &mut KillList<'_>) {
        let Some(core) = crate::CORE.get() else {
            return;
        };
        let Ok(mut bonds) = self.bonds.borrow_mut(rtnl) else {
            // Only `Masters` and the bond callbacks borrow the list, each
            // for the length of a call; none runs during an exit.
            pr_err!("bonds left in a namespace going away: list busy\n");
            return;
        };
        // In creation order, as C walks `dev_list`; taking the list leaves
        // an empty one, without allocating.
        let leftovers = core::mem::take(&mut *bonds);
        drop(bonds);
        for e in leftovers.iter() {
            self.proc.remove(&e.proc_name);
            if let Some(bond) = core.link.device(&e.dev) {
                bond.queue_unregister(rtnl, kill);
            }
        }
    }
}

impl BondNet {
    /// Creates a bond's `/proc/net/bonding` file; a failure is only logged,
    /// as in C.
    fn create_proc(&self, dev: &Device, name: &CStr, item: Arc<ProcEntry>) {
        if self.proc.create(name, item).is_err() {
            netdev_printk_bytes(
                Level::Warning,
                dev,
                format_args!("Cannot create /proc/net/bonding/"),
                name.as_bytes(),
                format_args!("\n"),
            );
        }
    }
}

/// The namespace data of `ns`, if the module is set up.
fn with_net<R>(ns: &Namespace, f: impl FnOnce(&BondNet) -> R) -> Option<R> {
    let core = crate::CORE.get()?;
    core.pernet.get(ns).map(f)
}

/// A bond was registered (`ndo_init`): it joins its namespace's list and
/// gets its `/proc/net/bonding` file.
pub(crate) fn bond_registered(dev: &DriverDevice<Bond>, rtnl: &Rtnl) -> Result {
    // The carrier is off until a slave has link (C: `bond_create` and
    // `bond_newlink` turn it off right after registration).
    dev.carrier_off();
    // `bond_init`: a bond without an address of its own gets a random one
    // (the first slave replaces it).
    if dev.dev_addr() == [0; crate::net::device::ETH_ALEN] && dev.addr_is_perm() {
        dev.set_random_addr(rtnl);
    }
    let ns = dev.namespace(rtnl);
    with_net(ns, |net| -> Result {
        let name = dev.name().to_cstring()?;
        let item = ProcEntry::new(dev)?;
        let mut bonds = net.bonds.borrow_mut(rtnl)?;
        bonds.reserve(1, GFP_KERNEL)?;
        net.create_proc(dev, &name, item);
        bonds.push(
            Entry {
                dev: ARef::from(&**dev),
                proc_name: name,
            },
            GFP_KERNEL,
        )?;
        Ok(())
    })
    .unwrap_or(Err(ENODEV))
}

/// A bond is being unregistered (`ndo_uninit`): it leaves the list and its
/// proc file goes.
pub(crate) fn bond_unregistered(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let ns = dev.namespace(rtnl);
    let _ = with_net(ns, |net| {
        let entry = net
            .bonds
            .borrow_mut(rtnl)
            .ok()
            .and_then(|mut bonds| bonds.remove_first(|e| core::ptr::eq(&*e.dev, &**dev)));
        if let Some(e) = entry {
            net.proc.remove(&e.proc_name);
        }
    });
}

/// A bond was renamed: its proc file follows (C: `NETDEV_CHANGENAME`).
pub(crate) fn bond_renamed(dev: &DriverDevice<Bond>, rtnl: &Rtnl) {
    let ns = dev.namespace(rtnl);
    let _ = with_net(ns, |net| -> Result {
        let mut bonds = net.bonds.borrow_mut(rtnl)?;
        let Some(e) = bonds.iter_mut().find(|e| core::ptr::eq(&*e.dev, &**dev)) else {
            return Ok(());
        };
        let item = ProcEntry::new(dev)?;
        net.proc.remove(&e.proc_name);
        let name = dev.name().to_cstring()?;
        net.create_proc(dev, &name, item);
        e.proc_name = name;
        Ok(())
    });
}

/// `bond_create`: a new bond in `ns` named `name` (a `%d` template or a
/// name), as `bonding_masters` and the module's `max_bonds` do.
pub(crate) fn create_bond(rtnl: &Rtnl, ns: &Namespace, name: &CStr) -> Result {
    let core = crate::CORE.get().ok_or(ENODEV)?;
    core.link.create_device(
        rtnl,
        ns,
        name,
        NameAssign::Unknown,
        Bond::new(core.defaults.clone())?,
    )?;
    Ok(())
}

/// `/sys/class/net/bonding_masters`.
struct Masters;

impl ClassFileOps for Masters {
    fn show(&self, ns: &Namespace, out: &mut ShowBuffer<'_>) -> Result {
        let rtnl = Rtnl::try_lock_or_restart()?;
        with_net(ns, |net| -> Result {
            let bonds = net.bonds.borrow(&rtnl)?;
            for e in bonds.iter() {
                if out.remaining() < crate::net::device::IFNAMSIZ {
                    write!(out, "++more++ ")?;
                    break;
                }
                out.write_bytes(e.dev.name().as_bytes());
                out.write_bytes(b" ");
            }
            if !bonds.is_empty() {
                out.replace_last(b'\n');
            }
            Ok(())
        })
        .unwrap_or(Ok(()))
    }

    fn store(&self, ns: &Namespace, input: &[u8]) -> Result {
        let command = crate::bond::options::first_word(input, crate::net::device::IFNAMSIZ);
        let ifname = command.get(1..).unwrap_or(&[]);
        // The name is bytes (C's `%s`): it is looked up, created and logged
        // as it is, never formatted.
        let log = |level, what: &str| {
            printk_pieces(
                level,
                &[
                    (b"bonding: ", format_args!("")),
                    (ifname, format_args!("{what}\n")),
                ],
            )
        };
        if command.len() <= 1 || !crate::bond::options::dev_valid_name(ifname) {
            raw_log!(
                Err,
                "bonding: no command found in bonding_masters - use +ifname or -ifname\n"
            );
            return Err(EPERM);
        }
        match command[0] {
            b'+' => {
                log(Level::Info, " is being created...");
                // `%16s` leaves at most 15 bytes after the `+`, and
                // `dev_valid_name` refused a NUL: the name always fits.
                let mut buf = [0u8; crate::net::device::IFNAMSIZ];
                let cname = crate::bond::options::name_cstr(&mut buf, ifname).ok_or(EINVAL)?;
                let rtnl = Rtnl::lock();
                if let Err(e) = create_bond(&rtnl, ns, cname) {
                    if e == EEXIST {
                        log(Level::Info, " already exists");
                    } else {
                        log(Level::Info, " creation failed");
                    }
                    return Err(e);
                }
                Ok(())
            }
            b'-' => {
                let rtnl = Rtnl::lock();
                let found = with_net(ns, |net| {
                    net.bonds.borrow(&rtnl).ok().and_then(|bonds| {
                        bonds
                            .iter()
                            .find(|e| e.dev.name().as_bytes() == ifname)
                            .map(|e| e.dev.clone())
                    })
                })
                .flatten();
                let core = crate::CORE.get().ok_or(ENODEV)?;
                match found.as_deref().and_then(|d| core.link.device(d)) {
                    Some(bond) => {
                        log(Level::Info, " is being deleted...");
                        bond.unregister(&rtnl);
                        Ok(())
                    }
                    None => {
                        printk_pieces(
                            Level::Err,
                            &[
                                (b"bonding: unable to delete non-existent ", format_args!("")),
                                (ifname, format_args!("\n")),
                            ],
                        );
                        Err(ENODEV)
                    }
                }
            }
            _ => {
                raw_log!(
                    Err,
                    "bonding: no command found in bonding_masters - use +ifname or -ifname\n"
                );
                Err(EPERM)
            }
        }
    }
}

/// `/proc/net/bonding/<bond>`.
struct ProcEntry {
    dev: ARef<Device>,
    inner: Arc<BondInner>,
}

impl ProcEntry {
    fn new(dev: &DriverDevice<Bond>) -> Result<Arc<Self>> {
        Ok(Arc::new(
            ProcEntry {
                dev: ARef::from(&**dev),
                inner: dev.data().inner.clone(),
            },
            GFP_KERNEL,
        )?)
    }
}

impl SeqShow for ProcEntry {
    fn show(&self, m: &mut SeqFile) -> Result {
        // The configuration is under RTNL; never wait for it here (the
        // file's removal, under RTNL, waits for readers).
        let rtnl = Rtnl::try_lock_or_restart()?;
        crate::procfs::show(&self.dev, &self.inner, &rtnl, m)
    }
}
