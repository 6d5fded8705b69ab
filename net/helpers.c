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

/* rcu.rs */

void rust_bond_rcu_read_lock(void)
{
	rcu_read_lock();
}

void rust_bond_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

/* spinlock_bh.rs */

void rust_bond_spin_lock_bh(spinlock_t *lock)
{
	spin_lock_bh(lock);
}

void rust_bond_spin_unlock_bh(spinlock_t *lock)
{
	spin_unlock_bh(lock);
}

/* delayed_work.rs */

struct workqueue_struct *rust_bond_alloc_ordered_workqueue(const char *name, unsigned int flags)
{
	return alloc_ordered_workqueue("%s", flags, name);
}
