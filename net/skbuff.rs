// SPDX-License-Identifier: GPL-2.0

//! Socket buffers (`struct sk_buff`) with explicit ownership.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h).
//!
//! An [`SkBuff`] owns one reference to a packet. It must end in exactly one
//! of: transmission ([`SkBuff::queue_xmit`]), a normal end of life
//! ([`SkBuff::consume`]), a drop with a reason ([`SkBuff::drop_with`]), or
//! being handed back to the core (an rx handler's result). Dropping the
//! value without doing any of these frees the packet with
//! `SKB_DROP_REASON_NOT_SPECIFIED`, so it never leaks, and shows up as an
//! unexplained drop in `drop_monitor` and the `kfree_skb` tracepoint.

use super::{bindings, rcu::Guard, Device};
use core::ptr::NonNull;
use kernel::error::{code::ENOMEM, Result};

/// `GFP_ATOMIC`, as the kernel crate computes it for its own bindings.
const GFP_ATOMIC: bindings::gfp_t = kernel::bindings::GFP_ATOMIC;

/// Why a packet was dropped (`enum skb_drop_reason`), as the drop monitor
/// and the `kfree_skb` tracepoint report it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DropReason(bindings::skb_drop_reason);

impl DropReason {
    /// No reason given.
    pub const NOT_SPECIFIED: Self = Self(bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED);
    /// The device is not up.
    pub const DEV_READY: Self = Self(bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY);
    /// Out of memory.
    pub const NOMEM: Self = Self(bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM);
    /// The packet could not be queued (no device to send it on).
    pub const TX_NO_DEVICE: Self = Self(bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY);
}

/// What a transmit returns (`netdev_tx_t`): `NETDEV_TX_OK`, or the code
/// `dev_queue_xmit` gave (`NET_XMIT_DROP`, `NET_XMIT_CN`, a negative errno),
/// which the sender reads: TCP takes a drop or congestion for local
/// congestion, pktgen counts it as an error, a UDP `send()` fails with
/// `ENOBUFS`.
///
/// # Invariants
///
/// The value is below `NET_XMIT_MASK` (`dev_xmit_complete` holds): never
/// `NETDEV_TX_BUSY`, so the core never requeues a packet the driver has
/// already sent, queued or freed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[must_use]
pub struct NetdevTx(bindings::netdev_tx_t);

impl NetdevTx {
    /// Sent or queued (`NETDEV_TX_OK`, the same value as `NET_XMIT_SUCCESS`).
    pub const OK: Self = Self(bindings::netdev_tx_NETDEV_TX_OK);
    /// Dropped (`NET_XMIT_DROP`).
    pub const DROP: Self = Self(bindings::NET_XMIT_DROP as bindings::netdev_tx_t);

    /// Whether the packet went out or was queued (`== NETDEV_TX_OK`; a
    /// congestion notice `NET_XMIT_CN` is not, as in C's comparisons).
    pub fn is_ok(self) -> bool {
        self == Self::OK
    }

    /// The code of a `dev_queue_xmit` call, which consumed the packet.
    fn from_queue_xmit(ret: kernel::ffi::c_int) -> Self {
        if ret < bindings::NET_XMIT_MASK as kernel::ffi::c_int {
            Self(ret)
        } else {
            // `dev_queue_xmit` never passes up `NETDEV_TX_BUSY` (it frees
            // the packet and says `-ENETDOWN`); keep the invariant anyway.
            Self::DROP
        }
    }

    /// The C value, for `ndo_start_xmit`.
    pub(crate) fn into_raw(self) -> bindings::netdev_tx_t {
        self.0
    }
}

/// Prepares [`SkBuff::dissect_encap`]; call once at module init.
pub fn flow_dissector_init() {
    // SAFETY: initialises the helper's dissector object with its constant
    // key table; called before any packet is dissected.
    unsafe { bindings::rust_net_flow_dissector_init() };
}

/// Which addresses a [`FlowDissection`] holds (`control.addr_type`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FlowAddrKind {
    /// None the key set extracts.
    None,
    /// IPv4: the first 4 bytes of `src` and `dst`.
    V4,
    /// IPv6: all 16 bytes.
    V6,
    /// TIPC: the key in the first 4 bytes of `src`.
    Tipc,
}

/// What the flow dissector found (part of `struct flow_keys`); addresses
/// and ports are the packet's bytes, in network order.
#[derive(Clone, Copy, Debug)]
pub struct FlowDissection {
    /// The kind of `src`/`dst`.
    pub addrs: FlowAddrKind,
    /// Source address bytes.
    pub src: [u8; 16],
    /// Destination address bytes.
    pub dst: [u8; 16],
    /// `ports.ports` as in the packet.
    pub ports: [u8; 4],
    /// ICMP type.
    pub icmp_type: u8,
    /// ICMP code.
    pub icmp_code: u8,
    /// ICMP identifier, host order.
    pub icmp_id: u16,
}

/// An owned socket buffer.
///
/// # Invariants
///
/// `self.0` points to a valid `struct sk_buff` on which this value owns one
/// reference (`skb->users`), and nobody else accesses its data without such
/// a reference.
#[must_use = "an owned packet must be transmitted, consumed or dropped with a reason"]
pub struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: an skb reference may be handed between CPUs; the layer only
// gives access to the packet through the owning value.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Takes ownership of a packet handed over by the core.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid skb and the caller must transfer one reference
    /// to it (e.g. the `skb` argument of `ndo_start_xmit`).
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> SkBuff {
        // INVARIANT: the caller transfers a reference to a valid skb.
        // SAFETY: the caller passes a valid, thus non-null, pointer.
        SkBuff(unsafe { NonNull::new_unchecked(ptr) })
    }

    /// Gives up ownership and returns the raw pointer (for the core).
    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.0.as_ptr();
        core::mem::forget(self);
        ptr
    }

    fn as_raw(&self) -> *mut bindings::sk_buff {
        self.0.as_ptr()
    }

    /// Returns the total length of the packet in bytes (`skb->len`).
    pub fn len(&self) -> u32 {
        // SAFETY: the skb is valid (type invariant).
        unsafe { (*self.as_raw()).len }
    }

    /// Returns whether the packet has no data.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the length of the linear part (`skb_headlen`).
    pub fn headlen(&self) -> u32 {
        // SAFETY: the skb is valid (type invariant).
        unsafe { (*self.as_raw()).len - (*self.as_raw()).data_len }
    }

    /// Returns the linear part of the packet from `skb->data` on.
    pub fn data(&self) -> &[u8] {
        // SAFETY: `data` points to `headlen` readable bytes, owned by this
        // skb for as long as `self` is borrowed (type invariant).
        unsafe { core::slice::from_raw_parts((*self.as_raw()).data, self.headlen() as usize) }
    }

    /// Returns the protocol (`skb->protocol`, the EtherType in host order).
    pub fn protocol(&self) -> u16 {
        // SAFETY: the skb is valid (type invariant).
        u16::from_be(unsafe {
            (*self.as_raw())
                .__bindgen_anon_4
                .__bindgen_anon_1
                .as_ref()
                .protocol
        })
    }

    /// Copies `buf.len()` packet bytes at offset `off` (from `skb->data`)
    /// into `buf`, from the linear part or the fragments (`skb_copy_bits`).
    /// Returns false if the packet is shorter.
    pub fn copy_bits(&self, off: usize, buf: &mut [u8]) -> bool {
        // The linear part first, without a call into C (the common case).
        if let Some(src) = off
            .checked_add(buf.len())
            .and_then(|end| self.data().get(off..end))
        {
            buf.copy_from_slice(src);
            return true;
        }
        let (Ok(off), Ok(len)) = (i32::try_from(off), i32::try_from(buf.len())) else {
            return false;
        };
        // SAFETY: the skb is valid (type invariant) and `buf` has room for
        // `len` bytes.
        unsafe { bindings::skb_copy_bits(self.as_raw(), off, buf.as_mut_ptr().cast(), len) == 0 }
    }

    /// Puts back the saved queue mapping, before passing the packet to a
    /// lower device (`bond_dev_queue_xmit`).
    pub fn restore_queue_mapping(&mut self) {
        // SAFETY: we own the skb (type invariant).
        unsafe { bindings::rust_net_skb_restore_queue_mapping(self.as_raw()) };
    }

    /// Returns the transmit queue (`skb_get_queue_mapping`).
    pub fn queue_mapping(&self) -> u16 {
        // SAFETY: the skb is valid (type invariant).
        unsafe { bindings::rust_net_skb_queue_mapping(self.as_raw()) }
    }

    /// Returns the offset of the network header from `skb->data`
    /// (`skb_network_offset`).
    pub fn network_offset(&self) -> usize {
        // SAFETY: the skb is valid (type invariant).
        let off = unsafe { bindings::rust_net_skb_network_offset(self.as_raw()) };
        usize::try_from(off).unwrap_or(0)
    }

    /// Returns the offloaded VLAN tag (the whole TCI), if there is one.
    pub fn vlan_tci(&self) -> Option<u16> {
        // SAFETY: the skb is valid (type invariant).
        let tci = unsafe { bindings::rust_net_skb_vlan_tci(self.as_raw()) };
        u16::try_from(tci).ok()
    }

    /// Returns `skb->hash` if it is a layer 4 hash (`skb->l4_hash`).
    pub fn l4_hash(&self) -> Option<u32> {
        let mut hash = 0;
        // SAFETY: the skb is valid (type invariant).
        unsafe { bindings::rust_net_skb_l4_hash(self.as_raw(), &mut hash) }.then_some(hash)
    }

    /// Returns the Ethernet destination address of a received packet
    /// (`eth_hdr(skb)->h_dest`), if the MAC header is set.
    pub fn eth_dest(&self) -> Option<[u8; super::device::ETH_ALEN]> {
        let mut dest = [0u8; super::device::ETH_ALEN];
        // SAFETY: the skb is valid (type invariant); the helper reads the
        // MAC header only when it was set, which on receive is before
        // `skb->data`, inside the head buffer.
        (unsafe { bindings::rust_net_skb_mac_dest(self.as_raw(), dest.as_mut_ptr()) } == 0)
            .then_some(dest)
    }

    /// Returns the packet type (`skb->pkt_type`, `PACKET_*`).
    pub fn pkt_type(&self) -> u8 {
        // SAFETY: the skb is valid (type invariant).
        unsafe { bindings::rust_net_skb_pkt_type(self.as_raw()) }
    }

    /// Runs the kernel's flow dissector with the key set of bonding's
    /// `encap2+3`/`encap3+4` policies (see `net/helpers.h`). Returns None if
    /// the dissection failed.
    pub fn dissect_encap(&self) -> Option<FlowDissection> {
        // SAFETY: all-zero is a valid `rust_net_flow`.
        let mut out: bindings::rust_net_flow = unsafe { core::mem::zeroed() };
        // SAFETY: the skb is valid and has a device (the transmit path),
        // and `out` is a buffer the helper fills.
        if !unsafe { bindings::rust_net_flow_dissect_encap(self.as_raw(), &mut out) } {
            return None;
        }
        let addrs = match u32::from(out.addr_type) {
            bindings::flow_dissector_key_id_FLOW_DISSECTOR_KEY_IPV4_ADDRS => FlowAddrKind::V4,
            bindings::flow_dissector_key_id_FLOW_DISSECTOR_KEY_IPV6_ADDRS => FlowAddrKind::V6,
            bindings::flow_dissector_key_id_FLOW_DISSECTOR_KEY_TIPC => FlowAddrKind::Tipc,
            _ => FlowAddrKind::None,
        };
        Some(FlowDissection {
            addrs,
            src: out.src,
            dst: out.dst,
            ports: out.ports,
            icmp_type: out.icmp_type,
            icmp_code: out.icmp_code,
            icmp_id: out.icmp_id,
        })
    }

    /// Returns the raw `skb->dev`.
    pub(crate) fn device_raw(&self) -> *mut bindings::net_device {
        // SAFETY: the skb is valid (type invariant).
        unsafe {
            (*self.as_raw())
                .__bindgen_anon_1
                .__bindgen_anon_1
                .__bindgen_anon_1
                .dev
        }
    }

    /// Returns the device the packet is on (`skb->dev`), for as long as the
    /// RCU read section lasts: an skb holds no reference to its device, but
    /// devices are freed only after a grace period that follows their
    /// unregistration.
    pub fn device<'a>(&'a self, _rcu: &'a Guard) -> Option<&'a Device> {
        let dev = self.device_raw();
        // SAFETY: see above; the guard keeps the section open for `'a`.
        (!dev.is_null()).then(|| unsafe { Device::from_raw(dev) })
    }

    /// Sets `skb->dev` (see [`RxResult::Another`](super::rx_handler::RxResult)).
    ///
    /// # Safety
    ///
    /// `dev` must stay allocated for as long as the core may use the packet
    /// with it.
    pub(crate) unsafe fn set_device_raw(&mut self, dev: *mut bindings::net_device) {
        // SAFETY: we own the skb (type invariant).
        unsafe {
            (*self.as_raw())
                .__bindgen_anon_1
                .__bindgen_anon_1
                .__bindgen_anon_1
                .dev = dev
        };
    }

    /// Returns whether someone else holds a reference too (`skb_shared`).
    pub fn is_shared(&self) -> bool {
        // SAFETY: the skb is valid (type invariant).
        unsafe { bindings::rust_net_skb_shared(self.as_raw()) }
    }

    /// Makes sure the packet is not shared, cloning it if it is
    /// (`skb_share_check`, atomic allocation). Returns `None` when the clone
    /// failed, in which case the packet was dropped.
    pub fn share_check(self) -> Option<SkBuff> {
        let raw = self.into_raw();
        // SAFETY: we pass our reference to `skb_share_check`, which either
        // returns it, or drops it and returns a clone or null.
        let raw = unsafe { bindings::rust_net_skb_share_check(raw, GFP_ATOMIC) };
        // SAFETY: a non-null result is an skb we own one reference to.
        NonNull::new(raw).map(|p| unsafe { SkBuff::from_raw(p.as_ptr()) })
    }

    /// Clones the packet header, sharing the data (`skb_clone`, atomic
    /// allocation: the data paths that clone cannot sleep).
    pub fn try_clone(&self) -> Result<SkBuff> {
        // SAFETY: the skb is valid (type invariant).
        let raw = unsafe { bindings::skb_clone(self.as_raw(), GFP_ATOMIC) };
        if raw.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `skb_clone` returned a new skb we own.
        Ok(unsafe { SkBuff::from_raw(raw) })
    }

    /// Records a software transmit timestamp if the socket asked for one
    /// (`skb_tx_timestamp`); drivers call it just before the packet leaves.
    pub fn tx_timestamp(&mut self) {
        // SAFETY: the skb is valid and we own it (type invariant).
        unsafe { bindings::rust_net_skb_tx_timestamp(self.as_raw()) };
    }

    /// Ends the packet's life normally (`consume_skb`): not a drop.
    pub fn consume(self) {
        // SAFETY: we own one reference, which `consume_skb` releases.
        unsafe { bindings::rust_net_consume_skb(self.into_raw()) };
    }

    /// Drops the packet and records why (`kfree_skb_reason`).
    pub fn drop_with(self, reason: DropReason) {
        // SAFETY: we own one reference, which `kfree_skb_reason` releases.
        unsafe { bindings::rust_net_kfree_skb_reason(self.into_raw(), reason.0) };
    }

    /// Sends the packet out of `dev` through its queueing discipline
    /// (`skb->dev = dev; dev_queue_xmit(skb)`).
    ///
    /// The packet is consumed whatever happens; the result is
    /// `dev_queue_xmit`'s code, which a stacking driver's `start_xmit`
    /// passes up (bonding's `bond_dev_queue_xmit`).
    pub fn queue_xmit(self, dev: &Device) -> NetdevTx {
        let raw = self.into_raw();
        // SAFETY: we own the skb, and `dev` is allocated for the call (the
        // caller's borrow); `dev_queue_xmit` takes the reference we own.
        let ret = unsafe {
            (*raw)
                .__bindgen_anon_1
                .__bindgen_anon_1
                .__bindgen_anon_1
                .dev = dev.as_raw();
            bindings::rust_net_dev_queue_xmit(raw)
        };
        NetdevTx::from_queue_xmit(ret)
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: we own one reference, which `kfree_skb_reason` releases.
        unsafe { bindings::rust_net_kfree_skb_reason(self.as_raw(), DropReason::NOT_SPECIFIED.0) };
    }
}
