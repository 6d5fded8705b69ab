// SPDX-License-Identifier: GPL-2.0

//! The net layer: safe abstractions over the kernel's netdevice APIs. All of
//! rust_bond's `unsafe` code lives under this directory.

mod bindings;
