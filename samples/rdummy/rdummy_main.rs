// SPDX-License-Identifier: GPL-2.0

//! rdummy: a dummy network device on top of rust_bond's net layer.
//!
//! C analogue: [`drivers/net/dummy.c`](srctree/drivers/net/dummy.c).
//!
//! It exists to show that the layer under `net/` is general (it knows nothing
//! about bonding) and to test each of its abstractions in the VM.

use kernel::prelude::*;

// The layer is shared with rust_bond and built into each module that uses it.
#[path = "../../net/mod.rs"]
pub mod net;

mod files;

module! {
    type: RDummy,
    name: "rdummy",
    author: "rust_bond developers",
    description: "Dummy netdevice driver in Rust (rust_bond net layer sample)",
    license: "GPL",
}

/// Module state.
struct RDummy {
    _files: files::Files,
}

impl kernel::Module for RDummy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(RDummy {
            _files: files::Files::new()?,
        })
    }
}
