// SPDX-License-Identifier: GPL-2.0

//! The module parameters: the third front end of the option engine.
//!
//! C version: `bond_main.c` (the `module_param` block and
//! `bond_check_params`). The parameters, their types, permissions and
//! descriptions are C's, so `modinfo rust_bond` lists the same; they are
//! checked once at load and become the defaults every new bond starts from.

use crate::bond::params::{Params, DEFAULT_MIIMON, DEFAULT_TX_QUEUES, MAX_ARP_TARGETS};
use crate::logic::{
    hash::XmitHashPolicy,
    mode::Mode,
    options::{self, OptionId},
};
use crate::net::raw_log;
use kernel::prelude::*;

crate::module_params! {
    pub(crate) mod params;
    max_bonds: int = 1, perm = 0, desc = "Max number of bonded devices";
    tx_queues: int = 16, perm = 0, desc = "Max number of transmit queues (default = 16)";
    num_grat_arp: int = 1, perm = 0o644,
        desc = "Number of peer notifications to send on failover event (alias of num_unsol_na)";
    num_unsol_na: int = alias num_grat_arp, perm = 0o644,
        desc = "Number of peer notifications to send on failover event (alias of num_grat_arp)";
    miimon: int = 0, perm = 0, desc = "Link check interval in milliseconds";
    updelay: int = 0, perm = 0, desc = "Delay before considering link up, in milliseconds";
    downdelay: int = 0, perm = 0, desc = "Delay before considering link down, in milliseconds";
    use_carrier: int = 1, perm = 0,
        desc = "Use netif_carrier_ok (vs MII ioctls) in miimon; 0 for off, 1 for on (default)";
    mode: charp, perm = 0,
        desc = "Mode of operation; 0 for balance-rr, 1 for active-backup, 2 for balance-xor, 3 for broadcast, 4 for 802.3ad, 5 for balance-tlb, 6 for balance-alb";
    primary: charp, perm = 0, desc = "Primary network device to use";
    primary_reselect: charp, perm = 0,
        desc = "Reselect primary slave once it comes up; 0 for always (default), 1 for only if speed of primary is better, 2 for only on active slave failure";
    lacp_rate: charp, perm = 0,
        desc = "LACPDU tx rate to request from 802.3ad partner; 0 for slow, 1 for fast";
    ad_select: charp, perm = 0,
        desc = "802.3ad aggregation selection logic; 0 for stable (default), 1 for bandwidth, 2 for count";
    min_links: int = 0, perm = 0,
        desc = "Minimum number of available links before turning on carrier";
    xmit_hash_policy: charp, perm = 0,
        desc = "balance-alb, balance-tlb, balance-xor, 802.3ad hashing method; 0 for layer 2 (default), 1 for layer 3+4, 2 for layer 2+3, 3 for encap layer 2+3, 4 for encap layer 3+4, 5 for vlan+srcmac";
    arp_interval: int = 0, perm = 0, desc = "arp interval in milliseconds";
    arp_ip_target: [charp; 16], perm = 0, desc = "arp targets in n.n.n.n form";
    arp_validate: charp, perm = 0,
        desc = "validate src/dst of ARP probes; 0 for none (default), 1 for active, 2 for backup, 3 for all";
    arp_all_targets: charp, perm = 0,
        desc = "fail on any/all arp targets timeout; 0 for any (default), 1 for all";
    fail_over_mac: charp, perm = 0,
        desc = "For active-backup, do not set all slaves to the same MAC; 0 for none (default), 1 for active, 2 for follow";
    all_slaves_active: int = 0, perm = 0,
        desc = "Keep all frames received on an interface by setting active flag for all slaves; 0 for never (default), 1 for always.";
    resend_igmp: int = 1, perm = 0,
        desc = "Number of IGMP membership reports to send on link failure";
    packets_per_slave: int = 1, perm = 0,
        desc = "Packets to send per slave in balance-rr mode; 0 for a random slave, 1 packet per slave (default), >1 packets per slave.";
    lp_interval: uint = 1, perm = 0,
        desc = "The number of seconds between instances where the bonding driver sends learning packets to each slaves peer switch. The default is 1.";
}

/// What the module parameters decide.
pub(crate) struct Defaults {
    /// Every new bond's configuration (`bonding_defaults`).
    pub(crate) params: Params,
    /// How many bonds to create at load.
    pub(crate) max_bonds: i32,
    /// Transmit queues of each bond.
    pub(crate) tx_queues: u32,
}

/// Parses a string parameter with option `id`'s table.
fn parse(id: OptionId, s: &CStr) -> Option<u64> {
    options::parse(id, s.as_bytes()).ok().map(|v| v.value)
}

/// The text of a string parameter, for log lines.
fn text(s: &CStr) -> &str {
    s.to_str().unwrap_or("?")
}

/// `bond_check_params`: validates the parameters and fills in the
/// defaults, with C's warnings; an invalid string value fails the load
/// with `EINVAL`, as in C. Settings rust_bond cannot honour yet (modes
/// 4–6) fail the load with `EOPNOTSUPP` and say so.
pub(crate) fn check() -> Result<Defaults> {
    let mut p = Params::builtin();
    if let Some(m) = params::mode.get() {
        match parse(OptionId::Mode, m) {
            Some(v) => p.mode = Mode::from_value(v).ok_or(EINVAL)?,
            None => {
                raw_log!(Err, "Error: Invalid bonding mode \"{}\"\n", text(m));
                return Err(EINVAL);
            }
        }
    }
    let bond_mode = p.mode;
    // A mode rust_bond does not have yet: refuse the load before anything
    // else is said about the parameters.
    if !crate::modes::implemented(bond_mode) {
        raw_log!(
            Err,
            "rust_bond: Error: mode {} ({}) is not supported by rust_bond yet\n",
            bond_mode.short_name(),
            bond_mode.value()
        );
        return Err(crate::net::errno::EOPNOTSUPP());
    }
    if let Some(x) = params::xmit_hash_policy.get() {
        if !bond_mode.can_use_xmit_hash() {
            raw_log!(
                Info,
                "xmit_hash_policy param is irrelevant in mode {}\n",
                bond_mode.long_name()
            );
        } else {
            match parse(OptionId::XmitHash, x).and_then(XmitHashPolicy::from_value) {
                Some(v) => p.xmit_policy = v,
                None => {
                    raw_log!(Err, "Error: Invalid xmit_hash_policy \"{}\"\n", text(x));
                    return Err(EINVAL);
                }
            }
        }
    }
    if let Some(r) = params::lacp_rate.get() {
        if !OptionId::LacpRate.supported_in(bond_mode) {
            raw_log!(
                Info,
                "lacp_rate param is irrelevant in mode {}\n",
                bond_mode.long_name()
            );
        } else {
            match parse(OptionId::LacpRate, r) {
                Some(v) => p.lacp_fast = v as u32,
                None => {
                    raw_log!(Err, "Error: Invalid lacp rate \"{}\"\n", text(r));
                    return Err(EINVAL);
                }
            }
        }
    }
    if let Some(a) = params::ad_select.get() {
        match parse(OptionId::AdSelect, a) {
            Some(v) => p.ad_select = v as u32,
            None => {
                raw_log!(Err, "Error: Invalid ad_select \"{}\"\n", text(a));
                return Err(EINVAL);
            }
        }
        if bond_mode != Mode::Ieee8023ad {
            raw_log!(Warning, "ad_select param only affects 802.3ad mode\n");
        }
    }
    let mut max_bonds = params::max_bonds.get();
    if max_bonds < 0 {
        raw_log!(
            Warning,
            "Warning: max_bonds ({}) not in range {}-{}, so it was reset to BOND_DEFAULT_MAX_BONDS ({})\n",
            max_bonds,
            0,
            i32::MAX,
            1
        );
        max_bonds = 1;
    }
    let mut miimon = params::miimon.get();
    if miimon < 0 {
        raw_log!(
            Warning,
            "Warning: miimon module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            miimon,
            i32::MAX
        );
        miimon = 0;
    }
    let mut updelay = params::updelay.get();
    if updelay < 0 {
        raw_log!(
            Warning,
            "Warning: updelay module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            updelay,
            i32::MAX
        );
        updelay = 0;
    }
    let mut downdelay = params::downdelay.get();
    if downdelay < 0 {
        raw_log!(
            Warning,
            "Warning: downdelay module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            downdelay,
            i32::MAX
        );
        downdelay = 0;
    }
    let mut use_carrier = params::use_carrier.get();
    if use_carrier != 0 && use_carrier != 1 {
        raw_log!(
            Warning,
            "Warning: use_carrier module parameter ({}), not of valid value (0/1), so it was set to 1\n",
            use_carrier
        );
        use_carrier = 1;
    }
    let mut num_peer_notif = params::num_grat_arp.get();
    if !(0..=255).contains(&num_peer_notif) {
        raw_log!(
            Warning,
            "Warning: num_grat_arp/num_unsol_na ({}) not in range 0-255 so it was reset to 1\n",
            num_peer_notif
        );
        num_peer_notif = 1;
    }
    if !bond_mode.uses_arp() && miimon == 0 {
        raw_log!(Warning, "Warning: miimon must be specified, otherwise bonding will not detect link failure, speed and duplex which are essential for 802.3ad operation\n");
        raw_log!(Warning, "Forcing miimon to 100msec\n");
        miimon = DEFAULT_MIIMON as i32;
    }
    let mut tx_queues = params::tx_queues.get();
    if !(1..=255).contains(&tx_queues) {
        raw_log!(
            Warning,
            "Warning: tx_queues ({}) should be between 1 and 255, resetting to {}\n",
            tx_queues,
            DEFAULT_TX_QUEUES
        );
        tx_queues = DEFAULT_TX_QUEUES as i32;
    }
    let mut all_slaves_active = params::all_slaves_active.get();
    if all_slaves_active != 0 && all_slaves_active != 1 {
        raw_log!(
            Warning,
            "Warning: all_slaves_active module parameter ({}), not of valid value (0/1), so it was set to 0\n",
            all_slaves_active
        );
        all_slaves_active = 0;
    }
    let mut resend_igmp = params::resend_igmp.get();
    if !(0..=255).contains(&resend_igmp) {
        raw_log!(
            Warning,
            "Warning: resend_igmp ({}) should be between 0 and 255, resetting to {}\n",
            resend_igmp,
            1
        );
        resend_igmp = 1;
    }
    let mut packets_per_slave = params::packets_per_slave.get();
    if options::parse_value(OptionId::PacketsPerSlave, packets_per_slave as i64 as u64).is_err() {
        raw_log!(
            Warning,
            "Warning: packets_per_slave ({}) should be between 0 and {} resetting to 1\n",
            packets_per_slave,
            u16::MAX
        );
        packets_per_slave = 1;
    }
    if bond_mode == Mode::Alb {
        raw_log!(Notice, "In ALB mode you might experience client disconnections upon reconnection of a link if the bonding module updelay parameter ({} msec) is incompatible with the forwarding delay time of the switch\n", updelay);
    }
    let mut arp_interval = params::arp_interval.get();
    if miimon == 0 {
        if updelay != 0 || downdelay != 0 {
            raw_log!(
                Warning,
                "Warning: miimon module parameter not set and updelay ({}) or downdelay ({}) module parameter is set; updelay and downdelay have no effect unless miimon is set\n",
                updelay,
                downdelay
            );
        }
    } else {
        if arp_interval != 0 {
            raw_log!(
                Warning,
                "Warning: miimon ({}) and arp_interval ({}) can't be used simultaneously, disabling ARP monitoring\n",
                miimon,
                arp_interval
            );
            arp_interval = 0;
        }
        // miimon > 0 here; the checked forms keep panics out of init.
        if updelay.checked_rem(miimon).unwrap_or(0) != 0 {
            raw_log!(
                Warning,
                "Warning: updelay ({}) is not a multiple of miimon ({}), updelay rounded to {} ms\n",
                updelay,
                miimon,
                updelay.checked_div(miimon).unwrap_or(0).wrapping_mul(miimon)
            );
        }
        updelay = updelay.checked_div(miimon).unwrap_or(0);
        if downdelay.checked_rem(miimon).unwrap_or(0) != 0 {
            raw_log!(
                Warning,
                "Warning: downdelay ({}) is not a multiple of miimon ({}), downdelay rounded to {} ms\n",
                downdelay,
                miimon,
                downdelay.checked_div(miimon).unwrap_or(0).wrapping_mul(miimon)
            );
        }
        downdelay = downdelay.checked_div(miimon).unwrap_or(0);
    }
    if arp_interval < 0 {
        raw_log!(
            Warning,
            "Warning: arp_interval module parameter ({}), not in range 0-{}, so it was reset to 0\n",
            arp_interval,
            i32::MAX
        );
        arp_interval = 0;
    }
    let mut targets = [[0u8; 4]; MAX_ARP_TARGETS];
    let mut ntargets = 0;
    for t in params::arp_ip_target.iter() {
        match crate::bond::options::parse_ip_target(t.as_bytes()) {
            None => {
                raw_log!(
                    Warning,
                    "Warning: bad arp_ip_target module parameter ({}), ARP monitoring will not be performed\n",
                    text(t)
                );
                arp_interval = 0;
            }
            Some(ip) if targets[..ntargets].contains(&ip) => {
                raw_log!(
                    Warning,
                    "Warning: duplicate address {} in arp_ip_target, skipping\n",
                    crate::bond::options::Ipv4(ip)
                );
            }
            Some(ip) if ntargets < MAX_ARP_TARGETS => {
                targets[ntargets] = ip;
                ntargets += 1;
            }
            Some(_) => {}
        }
    }
    if arp_interval != 0 && ntargets == 0 {
        raw_log!(
            Warning,
            "Warning: arp_interval module parameter ({}) specified without providing an arp_ip_target parameter, arp_interval was reset to 0\n",
            arp_interval
        );
        arp_interval = 0;
    }
    let mut arp_validate = 0;
    if let Some(v) = params::arp_validate.get() {
        if arp_interval == 0 {
            raw_log!(Err, "arp_validate requires arp_interval\n");
            return Err(EINVAL);
        }
        match parse(OptionId::ArpValidate, v) {
            Some(x) => arp_validate = x as u32,
            None => {
                raw_log!(Err, "Error: invalid arp_validate \"{}\"\n", text(v));
                return Err(EINVAL);
            }
        }
    }
    if let Some(v) = params::arp_all_targets.get() {
        match parse(OptionId::ArpAllTargets, v) {
            Some(x) => p.arp_all_targets = x as u32,
            None => raw_log!(
                Err,
                "Error: invalid arp_all_targets_value \"{}\"\n",
                text(v)
            ),
        }
    }
    if miimon != 0 {
        raw_log!(Info, "MII link monitoring set to {} ms\n", miimon);
    } else if arp_interval != 0 {
        // C prints the first `ntargets` parameter strings as given.
        let mut list = KVec::new();
        for t in params::arp_ip_target.iter().take(ntargets) {
            let _ = list.extend_from_slice(b" ", GFP_KERNEL);
            let _ = list.extend_from_slice(t.as_bytes(), GFP_KERNEL);
        }
        raw_log!(
            Info,
            "ARP monitoring set to {} ms, validate {}, with {} target(s):{}\n",
            arp_interval,
            OptionId::ArpValidate
                .entry_for(u64::from(arp_validate))
                .map_or("", |e| e.name),
            ntargets,
            core::str::from_utf8(&list).unwrap_or("")
        );
    }
    let mut primary = params::primary.get();
    if let Some(pr) = primary {
        if !bond_mode.uses_primary() {
            raw_log!(
                Warning,
                "Warning: {} primary device specified but has no effect in {} mode\n",
                text(pr),
                bond_mode.long_name()
            );
            primary = None;
        }
    }
    if let (Some(_), Some(r)) = (primary, params::primary_reselect.get()) {
        match parse(OptionId::PrimaryReselect, r) {
            Some(v) => p.primary_reselect = v as u32,
            None => {
                raw_log!(Err, "Error: Invalid primary_reselect \"{}\"\n", text(r));
                return Err(EINVAL);
            }
        }
    }
    if let Some(f) = params::fail_over_mac.get() {
        match parse(OptionId::FailOverMac, f) {
            Some(v) => p.fail_over_mac = v as u32,
            None => {
                raw_log!(Err, "Error: invalid fail_over_mac \"{}\"\n", text(f));
                return Err(EINVAL);
            }
        }
        if !bond_mode.has_fail_over_mac() {
            raw_log!(
                Warning,
                "Warning: fail_over_mac only affects active-backup mode\n"
            );
        }
    }
    let mut lp_interval = params::lp_interval.get();
    if lp_interval == 0 {
        raw_log!(
            Warning,
            "Warning: ip_interval must be between 1 and {}, so it was reset to {}\n",
            i32::MAX,
            1
        );
        lp_interval = 1;
    }
    p.miimon = miimon as u32;
    p.num_peer_notif = num_peer_notif as u32;
    p.arp_interval = arp_interval as u32;
    p.arp_validate = arp_validate;
    p.updelay = updelay as u32;
    p.downdelay = downdelay as u32;
    p.use_carrier = use_carrier as u32;
    p.all_slaves_active = all_slaves_active as u32;
    p.resend_igmp = resend_igmp as u32;
    p.min_links = params::min_links.get() as u32;
    p.lp_interval = lp_interval;
    p.packets_per_slave = packets_per_slave as u32;
    p.arp_targets = targets;
    p.arp_targets_len = ntargets;
    if let Some(pr) = primary {
        p.set_primary_name(pr.as_bytes());
    }
    Ok(Defaults {
        params: p,
        max_bonds,
        tx_queues: tx_queues as u32,
    })
}
