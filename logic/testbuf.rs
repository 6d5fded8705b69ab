// SPDX-License-Identifier: GPL-2.0

//! Test helper: a fixed-size [`fmt::Write`] buffer, since the host test crate
//! has no `alloc`. Only built for `cargo test`.

#![forbid(unsafe_code)]

use core::fmt;

/// Collects written text in `N` bytes; a write past the end fails.
pub(super) struct Buf<const N: usize> {
    data: [u8; N],
    len: usize,
}

impl<const N: usize> Buf<N> {
    /// An empty buffer.
    pub(super) fn new() -> Self {
        Self {
            data: [0; N],
            len: 0,
        }
    }

    /// The text written so far.
    pub(super) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.data[..self.len]).unwrap()
    }
}

impl<const N: usize> fmt::Write for Buf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.data
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
