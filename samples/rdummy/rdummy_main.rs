// SPDX-License-Identifier: GPL-2.0

//! rdummy: a dummy network device on top of rust_bond's net layer.
//!
//! C analogue: [`drivers/net/dummy.c`](srctree/drivers/net/dummy.c).
//!
//! It exists to show that the layer under `net/` is general (it knows nothing
//! about bonding) and to test each of its abstractions in the VM.

use kernel::{c_str, prelude::*};

// The layer is shared with rust_bond and built into each module that uses it.
#[path = "../../net/mod.rs"]
pub mod net;

module! {
    type: RDummy,
    name: "rdummy",
    author: "rust_bond developers",
    description: "Dummy netdevice driver in Rust (rust_bond net layer sample)",
    license: "GPL",
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
}

/// Module state.
struct RDummy;

impl kernel::Module for RDummy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let label = params::label.get().unwrap_or(c_str!("(null)"));
        pr_info!("numdummies={} label={}\n", params::numdummies.get(), label);
        for (i, tag) in params::tags.iter().enumerate() {
            pr_info!("tags[{}]={}\n", i, tag);
        }
        pr_info!("msg_level={}\n", params::msg_level.get());
        Ok(RDummy)
    }
}
