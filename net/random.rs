// SPDX-License-Identifier: GPL-2.0

//! Random numbers (`get_random_u32`, `eth_random_addr`).

use super::{bindings, device::ETH_ALEN};

/// A random `u32` (`get_random_u32`), callable from any context.
pub fn random_u32() -> u32 {
    // SAFETY: no preconditions.
    unsafe { bindings::get_random_u32() }
}

/// A random locally administered unicast Ethernet address (`eth_random_addr`).
pub fn random_ether_addr() -> [u8; ETH_ALEN] {
    let mut addr = [0u8; ETH_ALEN];
    // SAFETY: `addr` is `ETH_ALEN` bytes, which the helper fills.
    unsafe { bindings::rust_net_eth_random_addr(addr.as_mut_ptr()) };
    addr
}
