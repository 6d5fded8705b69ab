// SPDX-License-Identifier: GPL-2.0

//! Packet timestamping as an upper device passes it to a lower one: what a
//! device can timestamp (ethtool's `get_ts_info`, `ethtool -T`) and the
//! hardware timestamping configuration (`ndo_hwtstamp_get`/`set`, behind
//! `SIOCGHWTSTAMP`/`SIOCSHWTSTAMP`).
//!
//! C headers: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h),
//! [`include/linux/net_tstamp.h`](srctree/include/linux/net_tstamp.h); the
//! lower-device helpers are in `net/core/dev_ioctl.c` and
//! `net/ethtool/common.c`.

use super::{bindings, device::Device, ioctl::UserData, netlink::ExtAck};
use core::mem::size_of;
use kernel::{error::to_result, prelude::*};

/// `SOF_TIMESTAMPING_TX_SOFTWARE`: the device's driver timestamps sent
/// packets in software.
pub const TX_SOFTWARE: u32 = bindings::SOF_TIMESTAMPING_TX_SOFTWARE;
/// `SOF_TIMESTAMPING_TX_HARDWARE`: the device timestamps sent packets.
pub const TX_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_TX_HARDWARE;
/// `SOF_TIMESTAMPING_RX_HARDWARE`: the device timestamps received packets.
pub const RX_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RX_HARDWARE;
/// `SOF_TIMESTAMPING_RAW_HARDWARE`: it reports raw hardware timestamps.
pub const RAW_HARDWARE: u32 = bindings::SOF_TIMESTAMPING_RAW_HARDWARE;
/// `HWTSTAMP_TX_OFF`: no hardware transmit timestamps.
pub const HWTSTAMP_TX_OFF: i32 = bindings::hwtstamp_tx_types_HWTSTAMP_TX_OFF as i32;
/// `HWTSTAMP_TX_ON`: hardware transmit timestamps on.
pub const HWTSTAMP_TX_ON: i32 = bindings::hwtstamp_tx_types_HWTSTAMP_TX_ON as i32;
/// `HWTSTAMP_FILTER_NONE`: no received packet is timestamped.
pub const HWTSTAMP_FILTER_NONE: i32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_NONE as i32;
/// `HWTSTAMP_FILTER_ALL`: every received packet is timestamped.
pub const HWTSTAMP_FILTER_ALL: i32 = bindings::hwtstamp_rx_filters_HWTSTAMP_FILTER_ALL as i32;

/// `HWTSTAMP_FLAG_BONDED_PHC_INDEX`: the PHC index is a bond's, which
/// follows the active slave.
const BONDED_PHC_INDEX: i32 = bindings::hwtstamp_flags_HWTSTAMP_FLAG_BONDED_PHC_INDEX as i32;

/// What a device can timestamp (`struct kernel_ethtool_ts_info`), being
/// filled by its driver's `get_ts_info` for the ethtool core.
pub struct TsInfo<'a>(pub(crate) &'a mut bindings::kernel_ethtool_ts_info);

impl TsInfo<'_> {
    /// Replaces the whole answer with `lower`'s: its PHY's when the PHY
    /// is the timestamping layer, else its driver's
    /// (`ethtool_get_ts_info_by_layer`). May sleep.
    pub fn fill_from(&mut self, lower: &Device) -> Result {
        // SAFETY: `lower` is a live device (type invariant) and `self.0` is
        // valid for writes; the core fills it whole.
        to_result(unsafe { bindings::ethtool_get_ts_info_by_layer(lower.as_raw(), &mut *self.0) })
    }

    /// Adds `SOF_TIMESTAMPING_*` capability bits.
    pub fn add_so_timestamping(&mut self, bits: u32) {
        self.0.so_timestamping |= bits;
    }

    /// Sets the hardware transmit modes offered, a bit per
    /// `HWTSTAMP_TX_*` value.
    pub fn set_tx_types(&mut self, bits: u32) {
        self.0.tx_types = bits;
    }

    /// Sets the hardware receive filters offered, a bit per
    /// `HWTSTAMP_FILTER_*` value.
    pub fn set_rx_filters(&mut self, bits: u32) {
        self.0.rx_filters = bits;
    }
}

/// The `SOF_TIMESTAMPING_*` capabilities of `dev`, as [`TsInfo::fill_from`]
/// would give them. May sleep.
pub fn so_timestamping_of(dev: &Device) -> Result<u32> {
    let mut info = bindings::kernel_ethtool_ts_info::default();
    TsInfo(&mut info).fill_from(dev)?;
    Ok(info.so_timestamping)
}

/// A hardware timestamping configuration (`struct kernel_hwtstamp_config`)
/// that the core passes to a driver's `ndo_hwtstamp_get`/`set`, under RTNL.
///
/// # Invariants
///
/// `ifr`, when not null, is the core's kernel copy of the request, whose
/// `ifr_data` is the caller's pointer to its `struct hwtstamp_config`.
pub struct HwTstampConfig<'a>(pub(crate) &'a mut bindings::kernel_hwtstamp_config);

impl HwTstampConfig<'_> {
    /// Whether the caller knows that a bond's PHC index is the active
    /// slave's and can change (`HWTSTAMP_FLAG_BONDED_PHC_INDEX`).
    pub fn bonded_phc_index(&self) -> bool {
        self.0.flags & BONDED_PHC_INDEX != 0
    }

    /// The transmit mode (`HWTSTAMP_TX_*`).
    pub fn tx_type(&self) -> i32 {
        self.0.tx_type
    }

    /// The receive filter (`HWTSTAMP_FILTER_*`).
    pub fn rx_filter(&self) -> i32 {
        self.0.rx_filter
    }

    /// Sets the transmit mode and receive filter a driver reports or
    /// applied.
    pub fn set_modes(&mut self, tx_type: i32, rx_filter: i32) {
        self.0.tx_type = tx_type;
        self.0.rx_filter = rx_filter;
    }

    /// Reads `lower`'s configuration into this one
    /// (`generic_hwtstamp_get_lower`).
    pub fn get_lower(&mut self, _rtnl: &super::Rtnl, lower: &Device) -> Result {
        // SAFETY: `lower` is live, RTNL is held (token) as the lower
        // driver's callback expects, and `self.0` is the core's config.
        to_result(unsafe { bindings::generic_hwtstamp_get_lower(lower.as_raw(), &mut *self.0) })
    }

    /// Applies this configuration to `lower`
    /// (`generic_hwtstamp_set_lower`), which may update it.
    pub fn set_lower(
        &mut self,
        _rtnl: &super::Rtnl,
        lower: &Device,
        extack: &mut ExtAck<'_>,
    ) -> Result {
        // SAFETY: as in `get_lower`; the extack pointer is the core's
        // (or null) for the call.
        to_result(unsafe {
            bindings::generic_hwtstamp_set_lower(lower.as_raw(), &mut *self.0, extack.as_raw())
        })
    }

    /// Sets `HWTSTAMP_FLAG_BONDED_PHC_INDEX` in the answer. A lower driver
    /// on the legacy ioctl path has already written its answer to the
    /// caller (`copied_to_user`), so the flag is set in the caller's copy.
    pub fn set_bonded_phc_index(&mut self) -> Result {
        if !self.0.copied_to_user {
            self.0.flags |= BONDED_PHC_INDEX;
            return Ok(());
        }
        // The UAPI `struct hwtstamp_config` starts with `int flags`.
        const { assert!(core::mem::offset_of!(bindings::hwtstamp_config, flags) == 0) };
        if self.0.ifr.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: a non-null `ifr` is the core's kernel copy of the
        // request (type invariant); `ifr_data` is a pointer in the union.
        let user = UserData::from_ptr(unsafe { *(*self.0.ifr).ifr_ifru.ifru_data.as_ref() });
        let mut cfg = [0u8; size_of::<bindings::hwtstamp_config>()];
        user.read(&mut cfg)?;
        let mut flags = [0u8; size_of::<i32>()];
        flags.copy_from_slice(&cfg[..size_of::<i32>()]);
        let flags = i32::from_ne_bytes(flags) | BONDED_PHC_INDEX;
        cfg[..size_of::<i32>()].copy_from_slice(&flags.to_ne_bytes());
        user.write(&cfg)
    }
}
