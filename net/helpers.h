/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line wrappers for static inline functions and macros that bindgen
 * cannot turn into callable symbols, named rust_bond_<C name>. No logic and
 * no state here.
 */
#ifndef RUST_BOND_NET_HELPERS_H
#define RUST_BOND_NET_HELPERS_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/sched/signal.h>
#include <linux/sysfs.h>
#include <net/netns/generic.h>

/* device.rs */
void *rust_bond_netdev_priv(const struct net_device *dev);
void rust_bond_dev_hold(struct net_device *dev);
void rust_bond_dev_put(struct net_device *dev);
bool rust_bond_netif_running(const struct net_device *dev);
bool rust_bond_netif_carrier_ok(const struct net_device *dev);
void rust_bond_eth_hw_addr_set(struct net_device *dev, const u8 *addr);
void rust_bond_eth_hw_addr_random(struct net_device *dev);
struct net *rust_bond_dev_net(const struct net_device *dev);

/* pernet.rs */
void *rust_bond_net_generic(const struct net *net, unsigned int id);

/* sysfs.rs */
struct net_device *rust_bond_to_net_dev(struct device *dev);
void rust_bond_sysfs_attr_init(struct attribute *attr);

/* rtnl.rs */
int rust_bond_restart_syscall(void);

#endif
