// SPDX-License-Identifier: GPL-2.0

//! Host crate for the pure logic of rust_bond: the same `logic/` files the
//! kernel module builds, compiled with `core` only and tested with `cargo test`.

#![no_std]
#![forbid(unsafe_code)]

#[path = "../../logic/mod.rs"]
pub mod logic;
