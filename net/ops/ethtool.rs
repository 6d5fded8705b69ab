// SPDX-License-Identifier: GPL-2.0

//! What a driver fills in for ethtool: driver information and link
//! settings.

use super::super::bindings;

/// Driver information for `ethtool -i` (`struct ethtool_drvinfo`).
pub struct DrvInfo<'a>(pub(super) &'a mut bindings::ethtool_drvinfo);

impl DrvInfo<'_> {
    fn copy(dst: &mut [kernel::ffi::c_char], src: &str) {
        // Like strscpy: truncate and always NUL-terminate.
        let n = src.len().min(dst.len().saturating_sub(1));
        for (d, s) in dst.iter_mut().zip(src.bytes().take(n)) {
            *d = s;
        }
        if let Some(end) = dst.get_mut(n) {
            *end = 0;
        }
    }

    /// Sets the driver name.
    pub fn set_driver(&mut self, s: &str) {
        Self::copy(&mut self.0.driver, s);
    }

    /// Sets the driver version.
    pub fn set_version(&mut self, s: &str) {
        Self::copy(&mut self.0.version, s);
    }

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, s: &str) {
        Self::copy(&mut self.0.fw_version, s);
    }
}

/// Link settings for `ethtool DEV` (`struct ethtool_link_ksettings`, base
/// part).
pub struct LinkSettings<'a>(pub(super) &'a mut bindings::ethtool_link_ksettings);

/// Speed reported when it is unknown (`SPEED_UNKNOWN`).
pub const SPEED_UNKNOWN: u32 = u32::MAX;
/// Duplex reported when it is unknown (`DUPLEX_UNKNOWN`).
pub const DUPLEX_UNKNOWN: u8 = bindings::DUPLEX_UNKNOWN as u8;
/// Full duplex (`DUPLEX_FULL`).
pub const DUPLEX_FULL: u8 = bindings::DUPLEX_FULL as u8;

impl LinkSettings<'_> {
    /// Sets the speed in Mb/s ([`SPEED_UNKNOWN`] if unknown).
    pub fn set_speed(&mut self, mbps: u32) {
        self.0.base.speed = mbps;
    }

    /// Sets the duplex ([`DUPLEX_FULL`], [`DUPLEX_UNKNOWN`], ...).
    pub fn set_duplex(&mut self, duplex: u8) {
        self.0.base.duplex = duplex;
    }

    /// Sets the port type to "other" (`PORT_OTHER`), as virtual devices do.
    pub fn set_port_other(&mut self) {
        self.0.base.port = bindings::PORT_OTHER as u8;
    }
}
