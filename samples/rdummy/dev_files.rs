// SPDX-License-Identifier: GPL-2.0

//! `/sys/class/net/<rdummy>/rdummy/`: per-device files, as bonding has
//! `/sys/class/net/<bond>/bonding/`.
//!
//! - `heartbeat_ms` (rw): the heartbeat period, 0 (off) to 60000;
//!   anything else is `EINVAL` and changes nothing.
//! - `beats` (ro): how many times the heartbeat ran.
//! - `ports` (ro): the attached ports, space-separated.
//! - `last_beat_ms` (ro): milliseconds since the heartbeat last ran, or
//!   `none`.

use crate::net::{
    sysfs::{AttributeGroup, DeviceAttribute, DeviceAttributeOps, Mode, ShowBuffer},
    DriverDevice, Rtnl,
};
use crate::{heartbeat::Heartbeat, link_attrs::MAX_HEARTBEAT_MS, RDummyDev};
use core::fmt::Write;
use kernel::{c_str, prelude::*};

const HEARTBEAT_MS: usize = 0;
const BEATS: usize = 1;
const PORTS: usize = 2;
const LAST_BEAT_MS: usize = 3;

/// The files' callbacks.
pub(crate) struct DevFiles;

impl DeviceAttributeOps for DevFiles {
    type Driver = RDummyDev;

    fn show(dev: &DriverDevice<RDummyDev>, id: usize, out: &mut ShowBuffer<'_>) -> Result {
        let data = dev.data();
        match id {
            HEARTBEAT_MS => writeln!(out, "{}", data.heartbeat.interval_ms()),
            BEATS => writeln!(out, "{}", data.heartbeat.beats()),
            LAST_BEAT_MS => match data.heartbeat.since_last_ms() {
                Some(ms) => writeln!(out, "{ms}"),
                None => writeln!(out, "none"),
            },
            _ => {
                // The list is configuration state: read it under RTNL, with
                // the trylock that cannot deadlock against unregistration.
                let rtnl = Rtnl::try_lock_or_restart()?;
                let ports = data.ports.borrow(&rtnl)?;
                for p in ports.iter() {
                    write!(out, "{} ", p.name())?;
                }
                out.replace_last(b'\n');
                Ok(())
            }
        }
        .map_err(|_| EINVAL)
    }

    fn store(dev: &DriverDevice<RDummyDev>, id: usize, input: &[u8]) -> Result {
        if id != HEARTBEAT_MS {
            return Err(EPERM);
        }
        let text = core::str::from_utf8(input).map_err(|_| EINVAL)?.trim();
        let ms: u32 = text.parse().map_err(|_| EINVAL)?;
        if ms > MAX_HEARTBEAT_MS {
            return Err(EINVAL);
        }
        let _rtnl = Rtnl::try_lock_or_restart()?;
        Heartbeat::set_interval_ms(&dev.data().heartbeat, ms);
        Ok(())
    }
}

static HEARTBEAT_MS_FILE: DeviceAttribute<DevFiles> =
    DeviceAttribute::new(c_str!("heartbeat_ms"), Mode::RW, HEARTBEAT_MS);
static BEATS_FILE: DeviceAttribute<DevFiles> =
    DeviceAttribute::new(c_str!("beats"), Mode::RO, BEATS);
static PORTS_FILE: DeviceAttribute<DevFiles> =
    DeviceAttribute::new(c_str!("ports"), Mode::RO, PORTS);
static LAST_BEAT_MS_FILE: DeviceAttribute<DevFiles> =
    DeviceAttribute::new(c_str!("last_beat_ms"), Mode::RO, LAST_BEAT_MS);
static FILES: [Option<&DeviceAttribute<DevFiles>>; 5] = [
    Some(&HEARTBEAT_MS_FILE),
    Some(&BEATS_FILE),
    Some(&PORTS_FILE),
    Some(&LAST_BEAT_MS_FILE),
    None,
];

/// The group every rdummy device carries.
pub(crate) static GROUP: AttributeGroup<RDummyDev> =
    AttributeGroup::new(Some(c_str!("rdummy")), &FILES);
