// SPDX-License-Identifier: GPL-2.0

//! The bonding ioctls: `SIOCBOND*` and their legacy `SIOCDEVPRIVATE`
//! aliases (old `ifenslave` and tools built on it), the MII status of the
//! bond itself, and timestamping, which is the active slave's.
//!
//! C version: `bond_main.c` (`bond_do_ioctl`, `bond_siocdevprivate`,
//! `bond_eth_ioctl`, `bond_info_query`, `bond_slave_info_query`,
//! `bond_set_dev_addr`, `bond_hwtstamp_get`/`set`,
//! `bond_ethtool_get_ts_info`). Enslaving, releasing and changing the active slave
//! go through the same code as sysfs ([`slave::enslave`],
//! [`slave::release`], the option engine).

use super::{options, slave, Bond, BondRef};
use crate::logic::options::{Input, OptionId};
use crate::net::{
    errno::EOPNOTSUPP,
    ioctl::{cmd, mii, IfBond, IfReq, IfSlave, UserData},
    netlink::ExtAck,
    rcu,
    timestamping::{self, HwTstampConfig, TsInfo},
    Device, DriverDevice, Rtnl,
};
use core::sync::atomic::Ordering;
use kernel::{prelude::*, sync::Arc, types::ARef};

/// `bond_do_ioctl`: `cmd` is one of the `SIOCBOND*` commands; `data` is
/// the request's user pointer for the two queries.
pub(crate) fn do_ioctl(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    req: &IfReq<'_>,
    data: UserData,
    cmd: u32,
) -> Result {
    let bond = BondRef::of(dev);
    match cmd {
        cmd::SIOCBONDINFOQUERY => {
            // bond_info_query(): copy in, fill, copy out.
            let mut info = IfBond::read_from(data)?;
            let (mode, miimon) = {
                let p = bond.inner.params.borrow(rtnl)?;
                (p.mode, p.miimon)
            };
            let count = bond.inner.slave_count.load(Ordering::Relaxed);
            info.set(i32::from(mode.value()), count as i32, miimon as i32);
            return info.write_to(data);
        }
        cmd::SIOCBONDSLAVEINFOQUERY => {
            // bond_slave_info_query(): the slave_id-th slave in list order.
            let mut info = IfSlave::read_from(data)?;
            let id = info.slave_id();
            {
                let slaves = bond.inner.slaves.borrow(rtnl)?;
                let s = usize::try_from(id)
                    .ok()
                    .and_then(|i| slaves.get(i))
                    .ok_or(ENODEV)?;
                let sh = &s.shared;
                info.set_name(sh.dev.name().as_bytes());
                info.set_status(sh.link().value(), sh.state() as i8, sh.link_failure_count());
            }
            return info.write_to(data);
        }
        _ => {}
    }

    // The commands that change the bond: CAP_NET_ADMIN in the bond's
    // namespace first, then the slave by name.
    if !dev.namespace(rtnl).current_can_admin() {
        return Err(EPERM);
    }
    let slave_dev = options::lookup(dev, rtnl, req.slave_name()).ok_or(ENODEV)?;
    match cmd {
        cmd::SIOCBONDENSLAVE => slave::enslave(dev, rtnl, &slave_dev, None),
        cmd::SIOCBONDRELEASE => slave::release(dev, rtnl, &slave_dev, false),
        // bond_set_dev_addr()
        cmd::SIOCBONDSETHWADDR => dev.steal_addr_of(rtnl, &slave_dev),
        cmd::SIOCBONDCHANGEACTIVE => options::set(
            dev,
            rtnl,
            OptionId::ActiveSlave,
            Input::Str(slave_dev.name().as_bytes()),
        ),
        _ => Err(EOPNOTSUPP()),
    }
}

/// `bond_siocdevprivate`: the legacy aliases. The two queries take the
/// core's `data` (converted for 32-bit callers); the others read the slave
/// name from the request.
pub(crate) fn siocdevprivate(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    req: &IfReq<'_>,
    data: UserData,
    cmd: u32,
) -> Result {
    let new = match cmd {
        cmd::BOND_INFO_QUERY_OLD => cmd::SIOCBONDINFOQUERY,
        cmd::BOND_SLAVE_INFO_QUERY_OLD => cmd::SIOCBONDSLAVEINFOQUERY,
        cmd::BOND_ENSLAVE_OLD => cmd::SIOCBONDENSLAVE,
        cmd::BOND_RELEASE_OLD => cmd::SIOCBONDRELEASE,
        cmd::BOND_SETHWADDR_OLD => cmd::SIOCBONDSETHWADDR,
        cmd::BOND_CHANGE_ACTIVE_OLD => cmd::SIOCBONDCHANGEACTIVE,
        _ => return Err(EOPNOTSUPP()),
    };
    do_ioctl(dev, rtnl, req, data, new)
}

/// `bond_eth_ioctl`: `SIOCGMIIPHY` answers PHY 0, and both it and
/// `SIOCGMIIREG` report the bond's carrier as the link bit of the status
/// register. Other registers are left as the caller sent them.
pub(crate) fn eth_ioctl(dev: &DriverDevice<Bond>, req: &mut IfReq<'_>, cmd: u32) -> Result {
    let m = req.mii();
    match cmd {
        cmd::SIOCGMIIPHY | cmd::SIOCGMIIREG => {
            if cmd == cmd::SIOCGMIIPHY {
                m.set_phy_id(0);
            }
            if m.reg_num() == mii::MII_BMSR {
                m.set_val_out(if dev.carrier_ok() {
                    mii::BMSR_LSTATUS
                } else {
                    0
                });
            }
            Ok(())
        }
        _ => Err(EOPNOTSUPP()),
    }
}

/// `bond_option_active_slave_get_rcu()` under RTNL: the active slave's
/// device, in the modes that have one.
fn active_slave_dev(bond: BondRef<'_>, rtnl: &Rtnl) -> Result<Option<ARef<Device>>> {
    if !bond.inner.params.borrow(rtnl)?.mode.uses_primary() {
        return Ok(None);
    }
    Ok(bond
        .inner
        .state
        .borrow(rtnl)?
        .active
        .as_ref()
        .map(|a| a.dev.clone()))
}

/// `bond_hwtstamp_get()`: the active slave's configuration, marked as a
/// bond's (`HWTSTAMP_FLAG_BONDED_PHC_INDEX`: the PHC changes on failover).
pub(crate) fn hwtstamp_get(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    cfg: &mut HwTstampConfig<'_>,
) -> Result {
    let lower = active_slave_dev(BondRef::of(dev), rtnl)?.ok_or(EOPNOTSUPP())?;
    cfg.get_lower(rtnl, &lower)?;
    cfg.set_bonded_phc_index()
}

/// `bond_hwtstamp_set()`: only for callers that know the PHC follows the
/// active slave (they pass `HWTSTAMP_FLAG_BONDED_PHC_INDEX`).
pub(crate) fn hwtstamp_set(
    dev: &DriverDevice<Bond>,
    rtnl: &Rtnl,
    cfg: &mut HwTstampConfig<'_>,
    extack: &mut ExtAck<'_>,
) -> Result {
    if !cfg.bonded_phc_index() {
        return Err(EOPNOTSUPP());
    }
    let lower = active_slave_dev(BondRef::of(dev), rtnl)?.ok_or(EOPNOTSUPP())?;
    cfg.set_lower(rtnl, &lower, extack)?;
    cfg.set_bonded_phc_index()
}

/// `bond_ethtool_get_ts_info()`: the active slave's capabilities; without
/// one, software transmit timestamping if every slave has it.
pub(crate) fn get_ts_info(dev: &DriverDevice<Bond>, info: &mut TsInfo<'_>) -> Result {
    // The lower devices' answers may sleep: take references under RCU,
    // ask outside it.
    let (active, slaves) = {
        let guard = rcu::read_lock();
        let Some(view) = dev.data().inner.view.get(&guard) else {
            return Ok(());
        };
        let active = view.active.as_ref().filter(|_| view.mode.uses_primary());
        if let Some(a) = active {
            (Some(a.dev.clone()), KVec::new())
        } else {
            let mut slaves = KVec::with_capacity(view.all.len(), GFP_ATOMIC)?;
            for s in view.all.iter() {
                slaves.push(Arc::clone(s), GFP_ATOMIC)?;
            }
            (None, slaves)
        }
    };
    if let Some(lower) = active {
        return info.fill_from(&lower);
    }
    // As C: the first slave that fails the query fails the call.
    let mut sw_tx = false;
    for s in slaves.iter() {
        sw_tx = timestamping::so_timestamping_of(&s.dev)? & timestamping::TX_SOFTWARE != 0;
        if !sw_tx {
            break;
        }
    }
    if sw_tx {
        info.add_so_timestamping(timestamping::TX_SOFTWARE);
    }
    Ok(())
}
