// SPDX-License-Identifier: GPL-2.0

//! The rtnetlink link kind `bond`, so far without options: `ip link add
//! NAME type bond` creates a bond with the module's defaults and `ip link
//! set DEV master BOND` enslaves. Options over netlink (`IFLA_BOND_*`) are
//! refused with a clear message until they are implemented; sysfs sets
//! them today.
//!
//! C version: `bond_netlink.c` (`bond_validate`, `bond_policy`).

use crate::bond::is_valid_ether_addr;
use crate::net::{
    device::ETH_ALEN,
    errno::{EADDRNOTAVAIL, EOPNOTSUPP},
    netlink::{AttrType, Policy, PolicyRef},
    rtnl_link::LinkAttrs,
};
use kernel::{c_str, prelude::*};

/// `IFLA_BOND_MAX`.
const IFLA_BOND_MAX: u32 = 32;
/// `IFLA_ADDRESS`.
const IFLA_ADDRESS: u32 = 1;

/// Every `IFLA_BOND_*` attribute, so that the core parses them and
/// [`validate`] can see and refuse them.
static BOND_POLICY: Policy<{ IFLA_BOND_MAX as usize + 1 }> =
    Policy::new(&[(IFLA_BOND_MAX, AttrType::Unspec)]);

/// The kind's data policy.
pub(crate) const POLICY: PolicyRef = BOND_POLICY.as_ref();

/// `bond_validate`, and the refusal of options that are not implemented.
pub(crate) fn validate(attrs: &mut LinkAttrs<'_>) -> Result {
    if let Some(addr) = attrs.link.get(IFLA_ADDRESS) {
        if addr.payload().len() != ETH_ALEN {
            return Err(EINVAL);
        }
        if !is_valid_ether_addr(addr.payload()) {
            return Err(EADDRNOTAVAIL());
        }
    }
    if let Some(a) = (1..=IFLA_BOND_MAX).find_map(|t| attrs.data.get(t)) {
        attrs.extack.set_message_attr(
            c_str!("rust_bond: bond options over netlink are not supported yet; set them in /sys/class/net/<bond>/bonding/"),
            a,
        );
        return Err(EOPNOTSUPP());
    }
    Ok(())
}
