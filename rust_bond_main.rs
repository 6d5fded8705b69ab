// SPDX-License-Identifier: GPL-2.0

//! rust_bond: Linux bonding (NIC aggregation) in Rust, a drop-in
//! replacement for the C driver.
//!
//! C version of this driver: [`drivers/net/bonding/`](srctree/drivers/net/bonding/)
//!
//! The crate root is not named `rust_bond.rs` because Kbuild refuses a
//! composite module with a part named like the module itself (see
//! `Documentation/rust_bond.rst`, "Layout").

use kernel::prelude::*;

pub mod net;

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
}

/// Module state: everything the module owns while it is loaded.
struct RustBond;

impl kernel::Module for RustBond {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("{}: v{} (rust_bond)\n", DRV_DESCRIPTION, DRV_VERSION);
        Ok(RustBond)
    }
}

impl Drop for RustBond {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}
