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

/// A device's name as `netdev_printk` shows it: `netdev_name()` followed by
/// `netdev_reg_state()` (`" (unregistering)"` and so on).
pub struct LogName<'a>(&'a Device);

impl fmt::Display for LogName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.0.name();
        let bytes = name.as_bytes();
        // `netdev_name()`: a name still holding a `%d` template.
        if bytes.contains(&b'%') {
            f.write_str("(unnamed net_device)")?;
        } else {
            f.write_str(core::str::from_utf8(bytes).unwrap_or("?"))?;
        }
        // SAFETY: the device is allocated; a byte read of a field C reads
        // with `READ_ONCE` here.
        let state = unsafe { core::ptr::addr_of!((*self.0.as_raw()).reg_state).read_volatile() };
        f.write_str(match u32::from(state) {
            bindings::netdev_reg_state_NETREG_UNINITIALIZED => " (uninitialized)",
            bindings::netdev_reg_state_NETREG_REGISTERED => "",
            bindings::netdev_reg_state_NETREG_UNREGISTERING => " (unregistering)",
            bindings::netdev_reg_state_NETREG_UNREGISTERED => " (unregistered)",
            bindings::netdev_reg_state_NETREG_RELEASED => " (released)",
            bindings::netdev_reg_state_NETREG_DUMMY => " (dummy)",
            _ => " (unknown)",
        })
    }
}

impl Device {
    /// The device's name for log lines (see [`LogName`]).
    pub fn log_name(&self) -> LogName<'_> {
        LogName(self)
    }
}

/// `netdev_info(dev, ...)` and friends: prints `"<dev>: "` and the message
/// at the given [`Level`].
#[macro_export]
macro_rules! netdev_log {
    ($level:ident, $dev:expr, $($arg:tt)+) => {
        $crate::net::log::printk(
            $crate::net::log::Level::$level,
            format_args!("{}: {}", $dev.log_name(), format_args!($($arg)+)),
        )
    };
}
pub use netdev_log;

/// Prints a line with no prefix at the given [`Level`] (C's `pr_*` in a
/// file without `pr_fmt`).
#[macro_export]
macro_rules! raw_log {
    ($level:ident, $($arg:tt)+) => {
        $crate::net::log::printk($crate::net::log::Level::$level, format_args!($($arg)+))
    };
}
pub use raw_log;
