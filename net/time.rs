// SPDX-License-Identifier: GPL-2.0

//! Jiffies: the kernel's tick counter, and conversions to and from
//! milliseconds.
//!
//! C header: [`include/linux/jiffies.h`](srctree/include/linux/jiffies.h).
//!
//! Jiffies wrap around; compare them only with [`time_after`] and friends,
//! which are plain wrapping arithmetic (as in C, they are right as long as
//! the two times are less than half the counter's range apart).
//!
//! 6.12's `kernel::time` has the type and `msecs_to_jiffies`; this file uses
//! them and adds the rest.

use super::bindings;
use kernel::ffi::c_long;

/// A time or a duration in jiffies (C `unsigned long`); the same type as
/// `kernel::time::Jiffies`.
pub type Jiffies = kernel::time::Jiffies;

/// Returns the current value of `jiffies`.
pub fn jiffies() -> Jiffies {
    // SAFETY: `jiffies` is a C global that the timer code updates; C reads it
    // as a `volatile unsigned long`, which this read matches (an aligned word
    // read cannot tear).
    unsafe { core::ptr::addr_of!(bindings::jiffies).read_volatile() }
}

/// Converts milliseconds to jiffies, rounding up (C `msecs_to_jiffies`).
///
/// Values too large for the counter give `MAX_JIFFY_OFFSET`, as in C.
pub fn msecs_to_jiffies(ms: u32) -> Jiffies {
    kernel::time::msecs_to_jiffies(ms)
}

/// Converts jiffies to milliseconds (C `jiffies_to_msecs`).
pub fn jiffies_to_msecs(j: Jiffies) -> u32 {
    // SAFETY: a pure function with no preconditions.
    unsafe { bindings::jiffies_to_msecs(j) }
}

/// Returns whether `a` is after `b` (C `time_after(a, b)`).
pub const fn time_after(a: Jiffies, b: Jiffies) -> bool {
    (b.wrapping_sub(a) as c_long) < 0
}

/// Returns whether `a` is before `b` (C `time_before(a, b)`).
pub const fn time_before(a: Jiffies, b: Jiffies) -> bool {
    time_after(b, a)
}

/// Returns whether `a` is after or equal to `b` (C `time_after_eq(a, b)`).
pub const fn time_after_eq(a: Jiffies, b: Jiffies) -> bool {
    (a.wrapping_sub(b) as c_long) >= 0
}

/// Returns whether `a` is before or equal to `b` (C `time_before_eq(a, b)`).
pub const fn time_before_eq(a: Jiffies, b: Jiffies) -> bool {
    time_after_eq(b, a)
}

/// Returns whether `a` is in the range `[b, c]` (C `time_in_range(a, b, c)`).
pub const fn time_in_range(a: Jiffies, b: Jiffies, c: Jiffies) -> bool {
    time_after_eq(a, b) && time_before_eq(a, c)
}
