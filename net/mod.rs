// SPDX-License-Identifier: GPL-2.0

//! Networking abstractions that 6.12's `kernel` crate lacks.
//!
//! This layer knows nothing about bonding: it wraps `struct net_device`,
//! `struct sk_buff`, rx handlers, netdevice notifiers, RTNL, RCU, BH
//! spinlocks, delayed work, sysfs, seq_file, netlink and `rtnl_link_ops` so
//! that drivers on top of it are safe Rust. It is built into every module
//! that uses it (rust_bond and the `samples/` drivers), and all of their
//! `unsafe` code lives here.
//!
//! Conventions, as in `rust/kernel/net/phy.rs`: wrapper types are
//! `#[repr(transparent)]` over [`Opaque`](kernel::types::Opaque) and
//! document their `# Invariants`; functions that need RTNL take an
//! [`&Rtnl`](rtnl::Rtnl) token instead of saying so in prose.

mod bindings;

pub mod delayed_work;
pub mod device;
pub mod errno;
pub mod global;
pub mod ioctl;
pub mod ipv4;
pub mod ipv6;
pub mod kvec;
pub mod log;
pub mod module_param;
pub mod namespace;
pub mod netlink;
pub mod notifier;
pub mod ops;
pub mod percpu;
pub mod pernet;
pub mod random;
pub mod rcu;
pub mod rtnl;
pub mod rtnl_link;
pub mod rx_handler;
pub mod seq_file;
pub mod skbuff;
pub mod spinlock_bh;
pub mod sysfs;
pub mod time;
pub mod timestamping;

pub use device::Device;
pub use log::{netdev_log, netdev_slave_log, raw_log};
pub use namespace::Namespace;
pub use ops::{DriverDevice, Operations};
pub use rtnl::{Rtnl, RtnlLocked};
pub use skbuff::{NetdevTx, SkBuff};
