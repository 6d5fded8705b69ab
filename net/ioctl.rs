// SPDX-License-Identifier: GPL-2.0

//! Device ioctls as the core hands them to a driver: the request (`struct
//! ifreq`), the caller's memory its `ifr_data` points to, and the UAPI
//! structures some commands exchange there.
//!
//! C headers: [`include/uapi/linux/if.h`](srctree/include/uapi/linux/if.h),
//! [`include/uapi/linux/mii.h`](srctree/include/uapi/linux/mii.h),
//! [`include/uapi/linux/if_bonding.h`](srctree/include/uapi/linux/if_bonding.h);
//! the dispatch is `dev_ifsioc` in `net/core/dev_ioctl.c`.
//!
//! The core copies the `ifreq` into kernel memory before it calls the
//! driver (converting a 32-bit caller's layout and pointers on the way) and
//! back afterwards for the commands that return one, so [`IfReq`] is plain
//! kernel memory. What `ifr_data` points to is the caller's: [`UserData`]
//! reads and writes it with `copy_from_user`/`copy_to_user`.

use super::{bindings, device::IFNAMSIZ};
use core::mem::{offset_of, size_of};
use kernel::{prelude::*, uaccess::UserSlice};

/// Command numbers (`SIOC*` of `<linux/sockios.h>`, `BOND_*_OLD` of
/// `<linux/if_bonding.h>`).
pub mod cmd {
    use super::bindings;

    /// Enslaves `ifr_slave`.
    pub const SIOCBONDENSLAVE: u32 = bindings::SIOCBONDENSLAVE;
    /// Releases `ifr_slave`.
    pub const SIOCBONDRELEASE: u32 = bindings::SIOCBONDRELEASE;
    /// Gives the master `ifr_slave`'s hardware address.
    pub const SIOCBONDSETHWADDR: u32 = bindings::SIOCBONDSETHWADDR;
    /// Fills a `struct ifslave` at `ifr_data`.
    pub const SIOCBONDSLAVEINFOQUERY: u32 = bindings::SIOCBONDSLAVEINFOQUERY;
    /// Fills a `struct ifbond` at `ifr_data`.
    pub const SIOCBONDINFOQUERY: u32 = bindings::SIOCBONDINFOQUERY;
    /// Makes `ifr_slave` the active slave.
    pub const SIOCBONDCHANGEACTIVE: u32 = bindings::SIOCBONDCHANGEACTIVE;
    /// The first of the 16 device-private commands.
    pub const SIOCDEVPRIVATE: u32 = bindings::SIOCDEVPRIVATE;
    /// Legacy alias of [`SIOCBONDENSLAVE`] (`SIOCDEVPRIVATE`).
    pub const BOND_ENSLAVE_OLD: u32 = bindings::BOND_ENSLAVE_OLD;
    /// Legacy alias of [`SIOCBONDRELEASE`] (`SIOCDEVPRIVATE + 1`).
    pub const BOND_RELEASE_OLD: u32 = bindings::BOND_RELEASE_OLD;
    /// Legacy alias of [`SIOCBONDSETHWADDR`] (`SIOCDEVPRIVATE + 2`).
    pub const BOND_SETHWADDR_OLD: u32 = bindings::BOND_SETHWADDR_OLD;
    /// Legacy alias of [`SIOCBONDSLAVEINFOQUERY`] (`SIOCDEVPRIVATE + 11`).
    pub const BOND_SLAVE_INFO_QUERY_OLD: u32 = bindings::BOND_SLAVE_INFO_QUERY_OLD;
    /// Legacy alias of [`SIOCBONDINFOQUERY`] (`SIOCDEVPRIVATE + 12`).
    pub const BOND_INFO_QUERY_OLD: u32 = bindings::BOND_INFO_QUERY_OLD;
    /// Legacy alias of [`SIOCBONDCHANGEACTIVE`] (`SIOCDEVPRIVATE + 13`).
    pub const BOND_CHANGE_ACTIVE_OLD: u32 = bindings::BOND_CHANGE_ACTIVE_OLD;
    /// Reads the PHY address (and then a register, as [`SIOCGMIIREG`]).
    pub const SIOCGMIIPHY: u32 = bindings::SIOCGMIIPHY;
    /// Reads an MII register.
    pub const SIOCGMIIREG: u32 = bindings::SIOCGMIIREG;
}

/// MII register numbers and bits (`<linux/mii.h>`).
pub mod mii {
    use super::bindings;

    /// The basic mode status register.
    pub const MII_BMSR: u16 = bindings::MII_BMSR as u16;
    /// `BMSR_LSTATUS`: the link is up.
    pub const BMSR_LSTATUS: u16 = bindings::BMSR_LSTATUS as u16;
}

/// An interface request (`struct ifreq`) in kernel memory, as the core
/// passes it to `ndo_siocbond`, `ndo_siocdevprivate` and `ndo_eth_ioctl`.
///
/// # Invariants
///
/// Points to an `ifreq` that the core owns for the duration of the driver
/// callback and that nothing else accesses during it.
pub struct IfReq<'a>(&'a mut bindings::ifreq);

impl IfReq<'_> {
    /// Creates the wrapper for a callback's argument.
    ///
    /// # Safety
    ///
    /// `ptr` must point to an `ifreq` that nothing else accesses for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::ifreq) -> IfReq<'a> {
        // SAFETY: guaranteed by the caller.
        IfReq(unsafe { &mut *ptr })
    }

    /// `ifr_slave`, up to its first NUL (the caller need not terminate it:
    /// at most [`IFNAMSIZ`] bytes, as the core's name lookups read).
    pub fn slave_name(&self) -> &[u8] {
        // SAFETY: every member of the union is plain bytes or a pointer-sized
        // integer, valid for any bit pattern; the core zeroes or copies the
        // whole union, so the bytes are initialised.
        let name = unsafe { self.0.ifr_ifru.ifru_slave.as_ref() };
        // SAFETY: `c_char` and `u8` have the same size and alignment.
        let bytes: &[u8; IFNAMSIZ] = unsafe { &*name.as_ptr().cast::<[u8; IFNAMSIZ]>() };
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(IFNAMSIZ);
        &bytes[..end]
    }

    /// `ifr_data`: the caller's pointer (already converted by the core for
    /// a 32-bit caller).
    pub fn data(&self) -> UserData {
        // SAFETY: as in `slave_name`; a pointer may hold any bits.
        UserData::from_ptr(unsafe { *self.0.ifr_ifru.ifru_data.as_ref() })
    }

    /// The MII request in the union (`if_mii(ifr)`), for `SIOCGMII*`.
    pub fn mii(&mut self) -> &mut MiiData {
        const {
            assert!(
                size_of::<bindings::mii_ioctl_data>() <= size_of::<bindings::ifreq__bindgen_ty_2>()
            );
            assert!(
                core::mem::align_of::<bindings::mii_ioctl_data>()
                    <= core::mem::align_of::<bindings::ifreq__bindgen_ty_2>()
            );
        }
        let p = core::ptr::addr_of_mut!(self.0.ifr_ifru).cast::<MiiData>();
        // SAFETY: `MiiData` is `repr(transparent)` over `mii_ioctl_data`,
        // four `u16`s valid for any bits, which fit in the union and are
        // aligned for it (checked above); the borrow of `self` is exclusive.
        unsafe { &mut *p }
    }
}

/// The MII part of a request (`struct mii_ioctl_data`).
#[repr(transparent)]
pub struct MiiData(bindings::mii_ioctl_data);

impl MiiData {
    /// `reg_num`: the register asked for.
    pub fn reg_num(&self) -> u16 {
        self.0.reg_num
    }

    /// Sets `phy_id`.
    pub fn set_phy_id(&mut self, id: u16) {
        self.0.phy_id = id;
    }

    /// Sets `val_out`, the register's value.
    pub fn set_val_out(&mut self, v: u16) {
        self.0.val_out = v;
    }
}

/// A pointer into the calling process's memory, from an ioctl request.
/// Reading or writing it copies from or to user space and fails with
/// `EFAULT` where the memory is not accessible; the pointer itself is never
/// dereferenced.
#[derive(Clone, Copy)]
pub struct UserData(usize);

impl UserData {
    pub(crate) fn from_ptr(ptr: *mut kernel::ffi::c_void) -> Self {
        Self(ptr as usize)
    }

    /// Copies `buf.len()` bytes from the caller (`copy_from_user`).
    pub fn read(&self, buf: &mut [u8]) -> Result {
        UserSlice::new(self.0, buf.len()).reader().read_slice(buf)
    }

    /// Copies `buf` to the caller (`copy_to_user`).
    pub fn write(&self, buf: &[u8]) -> Result {
        UserSlice::new(self.0, buf.len()).writer().write_slice(buf)
    }
}

/// Writes `v` in native byte order at `off` of `buf`.
fn put(buf: &mut [u8], off: usize, v: &[u8]) {
    if let Some(dst) = buf.get_mut(off..off + v.len()) {
        dst.copy_from_slice(v);
    }
}

/// `struct ifbond` (`<linux/if_bonding.h>`), as the bytes the caller
/// passed: the fields a driver sets are written into them and the rest
/// (padding included) goes back as it came, as C's copy in, fill, copy out
/// does.
pub struct IfBond([u8; size_of::<bindings::ifbond>()]);

impl IfBond {
    /// Copies the caller's structure in.
    pub fn read_from(data: UserData) -> Result<Self> {
        let mut b = [0u8; size_of::<bindings::ifbond>()];
        data.read(&mut b)?;
        Ok(Self(b))
    }

    /// Copies the structure back to the caller.
    pub fn write_to(&self, data: UserData) -> Result {
        data.write(&self.0)
    }

    /// Sets `bond_mode`, `num_slaves` and `miimon`.
    pub fn set(&mut self, bond_mode: i32, num_slaves: i32, miimon: i32) {
        put(
            &mut self.0,
            offset_of!(bindings::ifbond, bond_mode),
            &bond_mode.to_ne_bytes(),
        );
        put(
            &mut self.0,
            offset_of!(bindings::ifbond, num_slaves),
            &num_slaves.to_ne_bytes(),
        );
        put(
            &mut self.0,
            offset_of!(bindings::ifbond, miimon),
            &miimon.to_ne_bytes(),
        );
    }
}

/// `struct ifslave` (`<linux/if_bonding.h>`), as the bytes the caller
/// passed (see [`IfBond`]).
pub struct IfSlave([u8; size_of::<bindings::ifslave>()]);

impl IfSlave {
    /// Copies the caller's structure in.
    pub fn read_from(data: UserData) -> Result<Self> {
        let mut b = [0u8; size_of::<bindings::ifslave>()];
        data.read(&mut b)?;
        Ok(Self(b))
    }

    /// Copies the structure back to the caller.
    pub fn write_to(&self, data: UserData) -> Result {
        data.write(&self.0)
    }

    /// `slave_id`: which slave the caller asks about.
    pub fn slave_id(&self) -> i32 {
        let off = offset_of!(bindings::ifslave, slave_id);
        let mut v = [0u8; 4];
        v.copy_from_slice(&self.0[off..off + 4]);
        i32::from_ne_bytes(v)
    }

    /// Sets `slave_name` as `strcpy` does: the name and a NUL, the bytes
    /// after it left as they were. A name is shorter than [`IFNAMSIZ`].
    pub fn set_name(&mut self, name: &[u8]) {
        let off = offset_of!(bindings::ifslave, slave_name);
        let n = name.len().min(IFNAMSIZ - 1);
        put(&mut self.0, off, &name[..n]);
        put(&mut self.0, off + n, &[0]);
    }

    /// Sets `link`, `state` and `link_failure_count`.
    pub fn set_status(&mut self, link: i8, state: i8, link_failure_count: u32) {
        put(
            &mut self.0,
            offset_of!(bindings::ifslave, link),
            &link.to_ne_bytes(),
        );
        put(
            &mut self.0,
            offset_of!(bindings::ifslave, state),
            &state.to_ne_bytes(),
        );
        put(
            &mut self.0,
            offset_of!(bindings::ifslave, link_failure_count),
            &link_failure_count.to_ne_bytes(),
        );
    }
}
