// SPDX-License-Identifier: GPL-2.0

//! Pure bonding logic: no kernel types, safe code only, no allocation.
//!
//! Everything below this module uses only `core::` and `super::` paths (never
//! `crate::`), so the same files build inside the kernel module and in the
//! host test crate `tests/host`, where `cargo test` runs the inline
//! `#[cfg(test)]` unit tests.

pub mod arpmon;
pub mod hash;
pub mod lacp;
pub mod miimon;
pub mod mode;
pub mod options;
pub mod procfs;
pub mod select;
#[cfg(test)]
mod testbuf;
