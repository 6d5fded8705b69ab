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
        core::str::from_utf8(self.as_bytes()).unwrap()
    }

    /// The bytes written so far.
    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.data[..self.len]
    }
}

impl<const N: usize> super::procfs::TextOut for Buf<N> {
    fn write_name(&mut self, name: &[u8]) -> fmt::Result {
        let end = self.len + name.len();
        self.data
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(name);
        self.len = end;
        Ok(())
    }
}

impl<const N: usize> fmt::Write for Buf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        super::procfs::TextOut::write_name(self, s.as_bytes())
    }
}
