// SPDX-License-Identifier: GPL-2.0

//! Netlink attributes and extended acks: parsing, emitting, policies.
//!
//! C headers: [`include/net/netlink.h`](srctree/include/net/netlink.h),
//! [`include/linux/netlink.h`](srctree/include/linux/netlink.h).
//!
//! Parsing itself is done by the core against a driver's [`Policy`] before a
//! callback runs, so the typed getters of [`Attrs`] can trust the lengths
//! the policy demanded.

use super::bindings;
use kernel::{error::Result, str::CStr};

/// The message and offending attribute a netlink request reports back on
/// error (`struct netlink_ext_ack`).
///
/// # Invariants
///
/// `self.0` is null or points to an extack that outlives `'a` and that this
/// thread may write (the core passes one per request).
pub struct ExtAck<'a>(
    *mut bindings::netlink_ext_ack,
    core::marker::PhantomData<&'a ()>,
);

impl ExtAck<'_> {
    /// Wraps the core's extack pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must be null or valid for writes for the callback's duration.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::netlink_ext_ack) -> Self {
        // INVARIANT: the caller guarantees validity for the callback.
        ExtAck(ptr, core::marker::PhantomData)
    }

    /// The core's pointer, to pass on to a lower device's callback.
    pub(crate) fn as_raw(&mut self) -> *mut bindings::netlink_ext_ack {
        self.0
    }

    /// Sets the error message user space sees (`NL_SET_ERR_MSG`), such as
    /// iproute2's "Error: ...".
    pub fn set_message(&mut self, msg: &'static CStr) {
        if !self.0.is_null() {
            // SAFETY: non-null, so valid for writes (type invariant); the
            // message is static, as the core requires.
            unsafe { (*self.0)._msg = msg.as_char_ptr() };
        }
    }

    /// Sets the error message and points at the attribute that caused it
    /// (`NL_SET_ERR_MSG_ATTR`).
    pub fn set_message_attr(&mut self, msg: &'static CStr, attr: &Attr) {
        self.set_message_opt_attr(msg, Some(attr));
    }

    /// As [`ExtAck::set_message_attr`], for an attribute that may be absent
    /// (`NL_SET_ERR_MSG_ATTR` with a NULL attribute clears `bad_attr`).
    pub fn set_message_opt_attr(&mut self, msg: &'static CStr, attr: Option<&Attr>) {
        self.set_message(msg);
        if !self.0.is_null() {
            let bad = attr.map_or(core::ptr::null(), Attr::as_raw);
            // SAFETY: as in `set_message`; `attr` lives in the request the
            // extack describes.
            unsafe { (*self.0).bad_attr = bad };
        }
    }

    /// Returns whether an error message has been set (`extack->_msg`).
    pub fn has_message(&self) -> bool {
        // SAFETY: non-null, so valid for reads (type invariant).
        !self.0.is_null() && unsafe { !(*self.0)._msg.is_null() }
    }
}

/// One netlink attribute inside a request.
///
/// # Invariants
///
/// Points to an `nlattr` whose header and payload (`nla_len` bytes) are
/// readable for the lifetime of the reference.
#[repr(transparent)]
pub struct Attr(kernel::types::Opaque<bindings::nlattr>);

impl Attr {
    fn as_raw(&self) -> *const bindings::nlattr {
        self.0.get()
    }

    /// Returns the payload.
    pub fn payload(&self) -> &[u8] {
        // SAFETY: the header is readable (type invariant); the payload
        // follows it after `NLA_HDRLEN` bytes, for `nla_len - NLA_HDRLEN`.
        unsafe {
            let len = usize::from((*self.as_raw()).nla_len).saturating_sub(NLA_HDRLEN);
            core::slice::from_raw_parts(self.as_raw().cast::<u8>().add(NLA_HDRLEN), len)
        }
    }

    /// Returns the payload as a `u8`, if it is at least that long.
    pub fn as_u8(&self) -> Option<u8> {
        self.payload().first().copied()
    }

    /// Returns the payload as a native-endian `u16`.
    pub fn as_u16(&self) -> Option<u16> {
        Some(u16::from_ne_bytes(
            self.payload().get(..2)?.try_into().ok()?,
        ))
    }

    /// Returns the payload as a native-endian `u32`.
    pub fn as_u32(&self) -> Option<u32> {
        Some(u32::from_ne_bytes(
            self.payload().get(..4)?.try_into().ok()?,
        ))
    }

    /// Returns the payload as a native-endian `i32` (`nla_get_s32`).
    pub fn as_s32(&self) -> Option<i32> {
        self.as_u32().map(|v| v as i32)
    }

    /// Returns the first eight bytes of the payload as a native-endian
    /// `u64`, zero-filled if the payload is shorter (`nla_get_u64` reads
    /// eight bytes whatever the length; a shorter payload is followed by
    /// its alignment padding).
    pub fn as_u64_padded(&self) -> u64 {
        let mut b = [0u8; 8];
        let p = self.payload();
        let n = p.len().min(8);
        b[..n].copy_from_slice(&p[..n]);
        u64::from_ne_bytes(b)
    }

    /// Returns the payload as a big-endian `u32` (`nla_get_be32`), in host
    /// order.
    pub fn as_be32(&self) -> Option<u32> {
        Some(u32::from_be_bytes(
            self.payload().get(..4)?.try_into().ok()?,
        ))
    }

    /// Returns the payload up to its first NUL, for string attributes.
    pub fn as_str_bytes(&self) -> &[u8] {
        let p = self.payload();
        p.split(|&b| b == 0).next().unwrap_or(p)
    }

    /// Iterates over nested attributes (`nla_for_each_nested`).
    pub fn nested(&self) -> NestedIter<'_> {
        NestedIter {
            rest: self.payload(),
        }
    }
}

/// Iterator over the attributes nested in another (see [`Attr::nested`]).
pub struct NestedIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for NestedIter<'a> {
    type Item = (u16, &'a Attr);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.len() < NLA_HDRLEN {
            return None;
        }
        let len = usize::from(u16::from_ne_bytes([self.rest[0], self.rest[1]]));
        let kind = u16::from_ne_bytes([self.rest[2], self.rest[3]]) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > self.rest.len() {
            return None;
        }
        // SAFETY: `rest` holds at least `len` bytes, which start with a
        // complete attribute header (checked above); the payload is inside
        // the parent's payload, which lives for `'a`. `Attr` is
        // `repr(transparent)` over the C struct, which has alignment 2, and
        // netlink attributes are 4-byte aligned.
        let attr = unsafe { &*self.rest.as_ptr().cast::<Attr>() };
        let step = nla_align(len).min(self.rest.len());
        self.rest = &self.rest[step..];
        Some((kind, attr))
    }
}

const NLA_HDRLEN: usize = nla_align(core::mem::size_of::<bindings::nlattr>());
const NLA_TYPE_MASK: u16 = !((bindings::NLA_F_NESTED | bindings::NLA_F_NET_BYTEORDER) as u16);

/// Rounds a length up to netlink's 4-byte alignment (`NLA_ALIGN`).
pub const fn nla_align(len: usize) -> usize {
    (len + 3) & !3
}

/// Returns the space an attribute with `payload` bytes takes in a message
/// (`nla_total_size`), for `get_size` callbacks.
pub const fn nla_total_size(payload: usize) -> usize {
    nla_align(NLA_HDRLEN + payload)
}

/// An array of parsed attributes indexed by type (the core's `tb[]` and
/// `data[]` arrays), as validated against the kind's [`Policy`].
///
/// # Invariants
///
/// `ptr` is null, or points to `len` entries, each null or a valid
/// attribute, all readable for `'a`.
pub struct Attrs<'a> {
    ptr: *const *mut bindings::nlattr,
    len: usize,
    _p: core::marker::PhantomData<&'a Attr>,
}

impl<'a> Attrs<'a> {
    /// Wraps a parsed attribute array.
    ///
    /// # Safety
    ///
    /// `ptr` must be null or point to `maxtype + 1` valid entries that stay
    /// valid for `'a`.
    pub(crate) unsafe fn from_raw(ptr: *mut *mut bindings::nlattr, maxtype: u32) -> Self {
        // INVARIANT: guaranteed by the caller.
        Attrs {
            ptr,
            len: maxtype as usize + 1,
            _p: core::marker::PhantomData,
        }
    }

    /// Returns the attribute of type `kind`, if the request has it.
    pub fn get(&self, kind: u32) -> Option<&'a Attr> {
        let kind = kind as usize;
        if self.ptr.is_null() || kind >= self.len {
            return None;
        }
        // SAFETY: `kind < len` and the array is readable (type invariant);
        // non-null entries are valid attributes for `'a`.
        unsafe {
            let attr = *self.ptr.add(kind);
            (!attr.is_null()).then(|| &*attr.cast::<Attr>())
        }
    }

    /// Returns whether the request carries any attribute at all.
    pub fn is_present(&self) -> bool {
        !self.ptr.is_null()
    }
}

/// What a policy entry accepts (`NLA_*` types).
#[derive(Clone, Copy)]
pub enum AttrType {
    /// Any payload (`NLA_UNSPEC`).
    Unspec,
    /// One byte (`NLA_U8`).
    U8,
    /// Two bytes (`NLA_U16`).
    U16,
    /// Four bytes (`NLA_U32`).
    U32,
    /// Four bytes (`NLA_U32`) whose value must lie in a range
    /// (`NLA_POLICY_FULL_RANGE`); the core refuses others with `ERANGE`.
    U32Range(&'static Range),
    /// A signed 32-bit value (`NLA_S32`).
    S32,
    /// A 32-bit big-endian value (`NLA_BE32`).
    Be32,
    /// A NUL-terminated string (`NLA_NUL_STRING`) of at most the given
    /// length.
    NulString(u16),
    /// A string (`NLA_STRING`) of at most the given length.
    String(u16),
    /// Opaque bytes (`NLA_BINARY`) of at most the given length.
    Binary(u16),
    /// Nested attributes (`NLA_NESTED`).
    Nested,
    /// A flag (`NLA_FLAG`).
    Flag,
}

/// The range an unsigned integer attribute must lie in
/// (`struct netlink_range_validation`), for [`AttrType::U32Range`].
#[repr(transparent)]
pub struct Range(bindings::netlink_range_validation);

// SAFETY: plain integers, never written after construction.
unsafe impl Sync for Range {}

impl Range {
    /// The range `min..=max`.
    pub const fn new(min: u64, max: u64) -> Self {
        Range(bindings::netlink_range_validation { min, max })
    }
}

/// A netlink attribute policy for attribute types `0..N`: what the core
/// checks before a callback sees the attributes.
#[repr(transparent)]
pub struct Policy<const N: usize>([bindings::nla_policy; N]);

// SAFETY: the policy is immutable after construction; its pointer fields
// are null or point to static, immutable [`Range`]s.
unsafe impl<const N: usize> Sync for Policy<N> {}

impl<const N: usize> Policy<N> {
    /// Builds a policy from `(attribute type, accepted type)` pairs; the
    /// types not listed are `NLA_UNSPEC` (accepted without checks), as in a
    /// C designated initializer.
    pub const fn new(entries: &[(u32, AttrType)]) -> Self {
        // SAFETY: all-zero is a valid `nla_policy` (`NLA_UNSPEC`, no
        // validation, null pointers).
        let mut p: [bindings::nla_policy; N] = unsafe { core::mem::zeroed() };
        let mut i = 0;
        while i < entries.len() {
            let (kind, ty) = entries[i];
            let (t, len) = match ty {
                AttrType::Unspec => (bindings::NLA_UNSPEC, 0),
                AttrType::U8 => (bindings::NLA_U8, 0),
                AttrType::U16 => (bindings::NLA_U16, 0),
                AttrType::U32 => (bindings::NLA_U32, 0),
                AttrType::U32Range(r) => {
                    p[kind as usize].validation_type =
                        bindings::nla_policy_validation_NLA_VALIDATE_RANGE_PTR as u8;
                    p[kind as usize].__bindgen_anon_1.range = &r.0;
                    (bindings::NLA_U32, 0)
                }
                AttrType::S32 => (bindings::NLA_S32, 0),
                AttrType::Be32 => (bindings::NLA_BE32, 0),
                AttrType::NulString(l) => (bindings::NLA_NUL_STRING, l),
                AttrType::String(l) => (bindings::NLA_STRING, l),
                AttrType::Binary(l) => (bindings::NLA_BINARY, l),
                AttrType::Nested => (bindings::NLA_NESTED, 0),
                AttrType::Flag => (bindings::NLA_FLAG, 0),
            };
            p[kind as usize].type_ = t as u8;
            p[kind as usize].len = len;
            i += 1;
        }
        Policy(p)
    }

    /// Returns the reference a link kind's `POLICY` takes.
    pub const fn as_ref(&'static self) -> PolicyRef {
        PolicyRef {
            ptr: self.0.as_ptr(),
            maxtype: N as u32 - 1,
        }
    }
}

/// A reference to a static [`Policy`] of any length.
///
/// # Invariants
///
/// `ptr` points to a static array of `maxtype + 1` policy entries.
#[derive(Clone, Copy)]
pub struct PolicyRef {
    pub(crate) ptr: *const bindings::nla_policy,
    pub(crate) maxtype: u32,
}

// SAFETY: it points to immutable static data.
unsafe impl Sync for PolicyRef {}
// SAFETY: as for `Sync`.
unsafe impl Send for PolicyRef {}

/// A message being built, for `fill_info`-style callbacks.
///
/// # Invariants
///
/// `self.0` points to an skb that the core is filling and lends to this
/// thread for the callback's duration.
pub struct Message<'a>(
    *mut bindings::sk_buff,
    core::marker::PhantomData<&'a mut ()>,
);

impl Message<'_> {
    /// Wraps the core's message buffer.
    ///
    /// # Safety
    ///
    /// `skb` must be a message under construction, exclusively lent to the
    /// callback for its duration.
    pub(crate) unsafe fn from_raw(skb: *mut bindings::sk_buff) -> Self {
        // INVARIANT: guaranteed by the caller.
        Message(skb, core::marker::PhantomData)
    }

    /// Appends an attribute with raw payload (`nla_put`). Fails with
    /// `EMSGSIZE` when the message is full, which the core handles by
    /// retrying with a larger buffer.
    pub fn put(&mut self, kind: u16, payload: &[u8]) -> Result {
        let len = i32::try_from(payload.len()).map_err(|_| super::errno::EMSGSIZE())?;
        // SAFETY: the skb is ours for the callback (type invariant) and
        // `payload` is readable for `len` bytes.
        kernel::error::to_result(unsafe {
            bindings::nla_put(self.0, kind.into(), len, payload.as_ptr().cast())
        })
    }

    /// Appends a `u8` attribute.
    pub fn put_u8(&mut self, kind: u16, v: u8) -> Result {
        self.put(kind, &[v])
    }

    /// Appends a native-endian `u16` attribute.
    pub fn put_u16(&mut self, kind: u16, v: u16) -> Result {
        self.put(kind, &v.to_ne_bytes())
    }

    /// Appends a native-endian `u32` attribute.
    pub fn put_u32(&mut self, kind: u16, v: u32) -> Result {
        self.put(kind, &v.to_ne_bytes())
    }

    /// Appends a native-endian `i32` attribute (`nla_put_s32`).
    pub fn put_s32(&mut self, kind: u16, v: i32) -> Result {
        self.put(kind, &v.to_ne_bytes())
    }

    /// Appends a native-endian `u64` attribute (`nla_put_u64_64bit` without
    /// the padding attribute: the layer's callers dump counters that user
    /// space reads with unaligned loads, as `ip` does).
    pub fn put_u64(&mut self, kind: u16, v: u64) -> Result {
        self.put(kind, &v.to_ne_bytes())
    }

    /// Appends a big-endian `u32` attribute (`nla_put_be32`) from a host
    /// order value.
    pub fn put_be32(&mut self, kind: u16, v: u32) -> Result {
        self.put(kind, &v.to_be_bytes())
    }

    /// Appends a flag attribute (no payload).
    pub fn put_flag(&mut self, kind: u16) -> Result {
        self.put(kind, &[])
    }

    /// Appends a nested attribute whose content `f` writes
    /// (`nla_nest_start`/`nla_nest_end`; cancelled on error).
    pub fn nest(&mut self, kind: u16, f: impl FnOnce(&mut Self) -> Result) -> Result {
        self.nest_if(kind, Nest::Flagged, |m| f(m).map(|()| true))
    }

    /// Appends a nested attribute whose content `f` writes, and keeps it
    /// only if `f` returns `Ok(true)`: `Ok(false)` cancels the nest, as C
    /// does for a list that turned out empty. Errors cancel it too.
    pub fn nest_if(
        &mut self,
        kind: u16,
        flag: Nest,
        f: impl FnOnce(&mut Self) -> Result<bool>,
    ) -> Result {
        // SAFETY: the skb is ours (type invariant).
        let start = unsafe {
            match flag {
                Nest::Flagged => bindings::rust_net_nla_nest_start(self.0, kind.into()),
                Nest::NoFlag => bindings::rust_net_nla_nest_start_noflag(self.0, kind.into()),
            }
        };
        if start.is_null() {
            return Err(super::errno::EMSGSIZE());
        }
        match f(self) {
            Ok(true) => {
                // SAFETY: `start` was returned for this skb just above.
                unsafe { bindings::rust_net_nla_nest_end(self.0, start) };
                Ok(())
            }
            res => {
                // SAFETY: as above; trims what `f` wrote.
                unsafe { bindings::rust_net_nla_nest_cancel(self.0, start) };
                res.map(|_| ())
            }
        }
    }
}

/// How a nest's header is written.
#[derive(Clone, Copy)]
pub enum Nest {
    /// With `NLA_F_NESTED` (`nla_nest_start`).
    Flagged,
    /// Without it (`nla_nest_start_noflag`), as older attributes are.
    NoFlag,
}
