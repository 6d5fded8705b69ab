// SPDX-License-Identifier: GPL-2.0

//! `/sys/class/net/<slave>/bonding_slave/`: read-only files about a slave,
//! there while it is enslaved.
//!
//! C version: `bond_sysfs_slave.c`.

use crate::bond::slave::{SlaveShared, STATE_ACTIVE, STATE_BACKUP};
use crate::logic::procfs::HexColon;
use crate::net::{
    sysfs::{Attribute, DeviceDir, DeviceDirOps, Mode, ShowBuffer},
    Device, Rtnl,
};
use core::{fmt::Write, sync::atomic::Ordering};
use kernel::{c_str, prelude::*, sync::Arc};

const STATE: usize = 0;
const MII_STATUS: usize = 1;
const LINK_FAILURE_COUNT: usize = 2;
const PERM_HWADDR: usize = 3;
const QUEUE_ID: usize = 4;
const AD_AGGREGATOR_ID: usize = 5;
const AD_ACTOR_OPER_PORT_STATE: usize = 6;
const AD_PARTNER_OPER_PORT_STATE: usize = 7;

/// The data behind one slave's directory.
pub(crate) struct SlaveFiles {
    shared: Arc<SlaveShared>,
}

impl DeviceDirOps for SlaveFiles {
    const ATTRIBUTES: &'static [Attribute] = &[
        Attribute::new(c_str!("state"), Mode::RO, STATE),
        Attribute::new(c_str!("mii_status"), Mode::RO, MII_STATUS),
        Attribute::new(c_str!("link_failure_count"), Mode::RO, LINK_FAILURE_COUNT),
        Attribute::new(c_str!("perm_hwaddr"), Mode::RO, PERM_HWADDR),
        Attribute::new(c_str!("queue_id"), Mode::RO, QUEUE_ID),
        Attribute::new(c_str!("ad_aggregator_id"), Mode::RO, AD_AGGREGATOR_ID),
        Attribute::new(
            c_str!("ad_actor_oper_port_state"),
            Mode::RO,
            AD_ACTOR_OPER_PORT_STATE,
        ),
        Attribute::new(
            c_str!("ad_partner_oper_port_state"),
            Mode::RO,
            AD_PARTNER_OPER_PORT_STATE,
        ),
    ];

    fn show(&self, _dev: &Device, id: usize, out: &mut ShowBuffer<'_>) -> Result {
        let s = &self.shared;
        match id {
            STATE => writeln!(
                out,
                "{}",
                match s.state() {
                    STATE_ACTIVE => "active",
                    STATE_BACKUP => "backup",
                    _ => "UNKNOWN",
                }
            )?,
            MII_STATUS => writeln!(out, "{}", s.link().status())?,
            LINK_FAILURE_COUNT => writeln!(out, "{}", s.link_failure_count() as i32)?,
            // `%*phC` of the slave's current `addr_len` bytes.
            PERM_HWADDR => writeln!(
                out,
                "{}",
                HexColon(s.perm_hwaddr.first(usize::from(s.dev.addr_len())))
            )?,
            QUEUE_ID => writeln!(out, "{}", s.queue_id.load(Ordering::Relaxed))?,
            // 802.3ad only: rust_bond has no 802.3ad mode yet.
            _ => writeln!(out, "N/A")?,
        }
        Ok(())
    }
}

/// Creates the directory for a new slave (`bond_sysfs_slave_add`).
pub(crate) fn create(
    rtnl: &Rtnl,
    slave: &Device,
    shared: &Arc<SlaveShared>,
) -> Result<DeviceDir<SlaveFiles>> {
    DeviceDir::new(
        rtnl,
        slave,
        c_str!("bonding_slave"),
        SlaveFiles {
            shared: shared.clone(),
        },
    )
}
