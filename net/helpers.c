// SPDX-License-Identifier: GPL-2.0
/* See helpers.h: one-line wrappers, nothing else. */

#include "helpers.h"

/* device.rs */

void *rust_bond_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

void rust_bond_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rust_bond_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

bool rust_bond_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

bool rust_bond_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void rust_bond_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

void rust_bond_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

struct net *rust_bond_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

/* pernet.rs */

void *rust_bond_net_generic(const struct net *net, unsigned int id)
{
	return net_generic(net, id);
}

/* sysfs.rs */

struct net_device *rust_bond_to_net_dev(struct device *dev)
{
	return to_net_dev(dev);
}

void rust_bond_sysfs_attr_init(struct attribute *attr)
{
	sysfs_attr_init(attr);
}

/* rtnl.rs */

int rust_bond_restart_syscall(void)
{
	return restart_syscall();
}
