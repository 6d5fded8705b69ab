// SPDX-License-Identifier: GPL-2.0

//! Kernel log lines with the exact prefixes C drivers print.
//!
//! C header: [`include/linux/printk.h`](srctree/include/linux/printk.h),
//! `netdev_printk()` in [`net/core/dev.c`](srctree/net/core/dev.c).
//!
//! The `kernel` crate's `pr_*!` macros always put `"<module>: "` first.
//! Drivers that replace a C driver must print what it printed, because
//! people grep for those lines: [`netdev_log!`] prints `"<dev>: "` (with the
//! device's registration state, as `netdev_printk` does) and [`printk`]
//! prints a line with no prefix at all.

use super::{bindings, Device};
use core::fmt;

/// A log level (`KERN_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    /// `KERN_ERR`.
    Err,
    /// `KERN_WARNING`.
    Warning,
    /// `KERN_NOTICE`.
    Notice,
    /// `KERN_INFO`.
    Info,
    /// `KERN_DEBUG`: printed only with dynamic debug, which this layer does
    /// not hook into; such lines are dropped.
    Debug,
}

/// Prints `args` at `level` with no prefix (`printk(KERN_x "%pA")`). The
/// text should end with a newline.
pub fn printk(level: Level, args: fmt::Arguments<'_>) {
    let fmt: &[u8; 6] = match level {
        Level::Err => b"\x013%pA\0",
        Level::Warning => b"\x014%pA\0",
        Level::Notice => b"\x015%pA\0",
        Level::Info => b"\x016%pA\0",
        Level::Debug => return,
    };
    // SAFETY: the format is a NUL-terminated `printk` format with one `%pA`
    // (the kernel's hook for Rust `fmt::Arguments`), and the argument is a
    // pointer to a `fmt::Arguments` that lives for the call.
    unsafe {
        bindings::_printk(
            fmt.as_ptr().cast(),
            core::ptr::from_ref(&args).cast::<core::ffi::c_void>(),
        )
    };
}

/// `net_ratelimit()`: whether a networking message may be printed now (the
/// kernel's shared limit, `net.core.message_cost` and `message_burst`).
/// C guards the lines a packet or a monitor tick can print with it, so that
/// a flood of them cannot flood the log.
pub fn net_ratelimit() -> bool {
    // SAFETY: `net_ratelimit` takes no argument and may be called from any
    // context.
    unsafe { bindings::net_ratelimit() != 0 }
}

/// Prints pieces of a line at `level`, each piece's bytes exactly as they
/// are (`%.*s`, the way C prints a name with `%s`), then its formatted
/// text (`%pA`). At most three pieces; the text should end with a newline.
///
/// Names are bytes, not text: a device name may hold any byte but `/`,
/// `:`, white space and NUL, and Rust's formatting can only write UTF-8, so
/// a line that shows a name takes the name as a piece's bytes.
pub fn printk_pieces(level: Level, pieces: &[(&[u8], fmt::Arguments<'_>)]) {
    let fmt: &[u8] = match level {
        Level::Err => b"\x013%.*s%pA%.*s%pA%.*s%pA\0",
        Level::Warning => b"\x014%.*s%pA%.*s%pA%.*s%pA\0",
        Level::Notice => b"\x015%.*s%pA%.*s%pA%.*s%pA\0",
        Level::Info => b"\x016%.*s%pA%.*s%pA%.*s%pA\0",
        Level::Debug => return,
    };
    let empty = format_args!("");
    let piece = |i: usize| {
        let (raw, text) = pieces.get(i).map_or((&b""[..], &empty), |(r, t)| (*r, t));
        // `%s` checks its pointer even for zero bytes: an empty slice's
        // dangling pointer would print "(efault)".
        let ptr: *const u8 = if raw.is_empty() {
            c"".as_ptr().cast()
        } else {
            raw.as_ptr()
        };
        // `vsnprintf` caps a precision at 32767; longer pieces are cut.
        let len = raw.len().min(i16::MAX as usize) as core::ffi::c_int;
        (
            len,
            ptr,
            core::ptr::from_ref(text).cast::<core::ffi::c_void>(),
        )
    };
    let (l0, p0, t0) = piece(0);
    let (l1, p1, t1) = piece(1);
    let (l2, p2, t2) = piece(2);
    // SAFETY: the format is a NUL-terminated `printk` format of three
    // (`%.*s`, `%pA`) pairs; each `%.*s` gets an `int` length and a pointer
    // to at least that many readable bytes (`%.*s` reads no further, and
    // stops early at a NUL), each `%pA` a pointer to a `fmt::Arguments` that
    // lives for the call.
    unsafe { bindings::_printk(fmt.as_ptr().cast(), l0, p0, t0, l1, p1, t1, l2, p2, t2) };
}

/// `netdev_printk(level, dev, "<head>%s<tail>", raw)`: a device's line with
/// one name or user-written string in it, printed as its bytes.
pub fn netdev_printk_bytes(
    level: Level,
    dev: &Device,
    head: fmt::Arguments<'_>,
    raw: &[u8],
    tail: fmt::Arguments<'_>,
) {
    let name = dev.log_name();
    printk_pieces(
        level,
        &[
            (name.bytes(), format_args!("{}: {head}", name.state())),
            (raw, tail),
        ],
    )
}

/// A device's name as `netdev_printk` shows it: `netdev_name()` followed by
/// `netdev_reg_state()` (`" (unregistering)"` and so on).
pub struct LogName<'a>(&'a Device);

impl<'a> LogName<'a> {
    /// `netdev_name()`: the name's bytes, or `"(unnamed net_device)"` for
    /// an empty name or one still holding a `%d` template.
    pub fn bytes(&self) -> &'a [u8] {
        let bytes = self.0.name().as_bytes();
        if bytes.is_empty() || bytes.contains(&b'%') {
            b"(unnamed net_device)"
        } else {
            bytes
        }
    }

    /// `netdev_reg_state()`.
    pub fn state(&self) -> &'static str {
        // SAFETY: the device is allocated; a byte read of a field C reads
        // with `READ_ONCE` here.
        let state = unsafe { core::ptr::addr_of!((*self.0.as_raw()).reg_state).read_volatile() };
        match u32::from(state) {
            bindings::netdev_reg_state_NETREG_UNINITIALIZED => " (uninitialized)",
            bindings::netdev_reg_state_NETREG_REGISTERED => "",
            bindings::netdev_reg_state_NETREG_UNREGISTERING => " (unregistering)",
            bindings::netdev_reg_state_NETREG_UNREGISTERED => " (unregistered)",
            bindings::netdev_reg_state_NETREG_RELEASED => " (released)",
            bindings::netdev_reg_state_NETREG_DUMMY => " (dummy)",
            _ => " (unknown)",
        }
    }
}

impl Device {
    /// The device's name for log lines (see [`LogName`]).
    pub fn log_name(&self) -> LogName<'_> {
        LogName(self)
    }
}

/// `netdev_info(dev, ...)` and friends: prints `"<dev>: "` and the message
/// at the given [`Level`], the name as bytes (see [`printk_pieces`]).
#[macro_export]
macro_rules! netdev_log {
    ($level:ident, $dev:expr, $($arg:tt)+) => {{
        let name = $dev.log_name();
        $crate::net::log::printk_pieces(
            $crate::net::log::Level::$level,
            &[(
                name.bytes(),
                format_args!("{}: {}", name.state(), format_args!($($arg)+)),
            )],
        )
    }};
}
pub use netdev_log;

/// `netdev_info(bond, "(slave %s): " ...)`: C's `slave_info` and friends,
/// both names as bytes.
#[macro_export]
macro_rules! netdev_slave_log {
    ($level:ident, $dev:expr, $slave:expr, $($arg:tt)+) => {
        $crate::net::log::netdev_printk_bytes(
            $crate::net::log::Level::$level,
            $dev,
            format_args!("(slave "),
            $slave.name().as_bytes(),
            format_args!("): {}", format_args!($($arg)+)),
        )
    };
}
pub use netdev_slave_log;

/// Prints a line with no prefix at the given [`Level`] (C's `pr_*` in a
/// file without `pr_fmt`).
#[macro_export]
macro_rules! raw_log {
    ($level:ident, $($arg:tt)+) => {
        $crate::net::log::printk($crate::net::log::Level::$level, format_args!($($arg)+))
    };
}
pub use raw_log;
