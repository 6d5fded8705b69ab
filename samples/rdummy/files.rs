// SPDX-License-Identifier: GPL-2.0

//! The layer's user files, proven: per-namespace data, a `net` class file,
//! a `/proc/net` directory and a directory under another device.
//!
//! C analogues: [`drivers/net/bonding/bond_sysfs.c`](srctree/drivers/net/bonding/bond_sysfs.c)
//! (`bonding_masters`), [`bond_procfs.c`](srctree/drivers/net/bonding/bond_procfs.c)
//! and [`bond_sysfs_slave.c`](srctree/drivers/net/bonding/bond_sysfs_slave.c).
//!
//! - `/sys/class/net/rdummy_masters`, one per namespace: reads a counter;
//!   writing `+N` adds, `-N` subtracts, `N` sets; anything else is `EINVAL`.
//! - `/proc/net/rdummy/info`, one per namespace: shows the counter.
//! - `/sys/class/net/lo/rdummy_test/{value,device}` in the initial
//!   namespace: a number (same syntax, taken under RTNL) and the device name.

use crate::net::{
    pernet::{PernetData, PernetId, Registration},
    seq_file::{ProcDir, SeqFile, SeqShow},
    sysfs::{Attribute, ClassFile, ClassFileOps, DeviceDir, DeviceDirOps, Mode, ShowBuffer},
    Device, Namespace, Rtnl,
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicI64, Ordering},
};
use kernel::{c_str, prelude::*, sync::Arc};

/// Applies a `+N`, `-N` or `N` command (with an optional trailing newline)
/// to `value`; `EINVAL` on anything else or on overflow.
fn apply_command(value: &AtomicI64, input: &[u8]) -> Result {
    let text = core::str::from_utf8(input).map_err(|_| EINVAL)?.trim();
    let (op, digits) = if let Some(rest) = text.strip_prefix('+') {
        (b'+', rest)
    } else if let Some(rest) = text.strip_prefix('-') {
        (b'-', rest)
    } else {
        (b'=', text)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EINVAL);
    }
    let n: i64 = digits.parse().map_err(|_| EINVAL)?;
    let old = value.load(Ordering::Relaxed);
    let new = match op {
        b'+' => old.checked_add(n),
        b'-' => old.checked_sub(n),
        _ => Some(n),
    }
    .ok_or(EINVAL)?;
    value.store(new, Ordering::Relaxed);
    Ok(())
}

/// The counter of one namespace, shared by its two files.
struct Counter {
    value: AtomicI64,
}

/// `/sys/class/net/rdummy_masters`.
struct MastersFile(Arc<Counter>);

impl ClassFileOps for MastersFile {
    fn show(&self, _ns: &Namespace, out: &mut ShowBuffer<'_>) -> Result {
        writeln!(out, "{}", self.0.value.load(Ordering::Relaxed))?;
        Ok(())
    }

    fn store(&self, _ns: &Namespace, input: &[u8]) -> Result {
        apply_command(&self.0.value, input)
    }
}

/// `/proc/net/rdummy/info`.
struct Info {
    counter: Arc<Counter>,
    init_ns: bool,
}

impl SeqShow for Info {
    fn show(&self, m: &mut SeqFile) -> Result {
        writeln!(m, "rdummy files sample")?;
        let ns = if self.init_ns { "init" } else { "other" };
        writeln!(m, "namespace: {ns}")?;
        writeln!(m, "counter: {}", self.counter.value.load(Ordering::Relaxed))?;
        Ok(())
    }
}

/// What rdummy keeps per network namespace.
#[pin_data]
struct NetFiles {
    #[pin]
    masters: ClassFile<MastersFile>,
    #[pin]
    proc: ProcDir<Info>,
}

static NET_FILES_ID: PernetId = PernetId::new();

impl PernetData for NetFiles {
    fn id() -> &'static PernetId {
        &NET_FILES_ID
    }

    fn init(ns: &Namespace) -> impl PinInit<Self, Error> {
        let init_ns = ns.is_init();
        try_pin_init!(NetFiles {
            masters <- ClassFile::new(
                ns,
                c_str!("rdummy_masters"),
                Mode::RW,
                false,
                MastersFile(Arc::new(
                    Counter {
                        value: AtomicI64::new(0),
                    },
                    GFP_KERNEL,
                )?),
            ),
            proc <- ProcDir::new(ns, c_str!("rdummy")),
        })
        .pin_chain(move |this| {
            let info = Info {
                counter: this.masters.0.clone(),
                init_ns,
            };
            this.proc
                .create(c_str!("info"), Arc::new(info, GFP_KERNEL)?)
        })
    }
}

/// `/sys/class/net/lo/rdummy_test/`.
struct LoDir {
    value: AtomicI64,
}

impl DeviceDirOps for LoDir {
    const ATTRIBUTES: &'static [Attribute] = &[
        Attribute::new(c_str!("value"), Mode::RW, 0),
        Attribute::new(c_str!("device"), Mode::RO, 1),
    ];

    fn show(&self, dev: &Device, id: usize, out: &mut ShowBuffer<'_>) -> Result {
        match id {
            0 => writeln!(out, "{}", self.value.load(Ordering::Relaxed))?,
            _ => writeln!(out, "{}", dev.name())?,
        }
        Ok(())
    }

    fn store(&self, _dev: &Device, id: usize, input: &[u8]) -> Result {
        if id != 0 {
            return Err(EPERM);
        }
        // As bonding's option files do: never wait for RTNL in a store.
        let _rtnl = Rtnl::try_lock_or_restart()?;
        apply_command(&self.value, input)
    }
}

/// The sample's files, removed on drop (before the module goes).
pub(crate) struct Files {
    _lo_dir: DeviceDir<LoDir>,
    _pernet: Pin<KBox<Registration<NetFiles>>>,
}

impl Files {
    /// Creates the per-namespace files and the directory under `lo`.
    pub(crate) fn new() -> Result<Self> {
        let pernet = KBox::pin_init(Registration::<NetFiles>::new(), GFP_KERNEL)?;
        let lo = Device::get_by_name(Namespace::init(), c_str!("lo"))?;
        let rtnl = Rtnl::lock();
        let lo_dir = DeviceDir::new(
            &rtnl,
            &lo,
            c_str!("rdummy_test"),
            LoDir {
                value: AtomicI64::new(0),
            },
        )?;
        drop(rtnl);
        Ok(Self {
            _lo_dir: lo_dir,
            _pernet: pernet,
        })
    }
}
