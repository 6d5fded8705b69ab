// SPDX-License-Identifier: GPL-2.0

//! The sysfs front end: `/sys/class/net/<bond>/bonding/` and
//! `/sys/class/net/<slave>/bonding_slave/` (`bonding_masters` is per
//! namespace, in `bond/netns.rs`).
//!
//! C version: `bond_sysfs.c`, `bond_sysfs_slave.c`. Writes to option files
//! go through the option engine (`bond/options.rs`); reads format the
//! bond's configuration as C does.

pub(crate) mod bond;
pub(crate) mod slave;
