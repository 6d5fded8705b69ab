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

void rust_bond_dev_net_set(struct net_device *dev, struct net *net)
{
	dev_net_set(dev, net);
}

/* ops.rs */

void rust_bond_netdev_lockdep_set_classes(struct net_device *dev)
{
	netdev_lockdep_set_classes(dev);
}

void rust_bond_dev_lstats_add(struct net_device *dev, unsigned int len)
{
	dev_lstats_add(dev, len);
}

/* skbuff.rs */

/* An exported function or an inline, depending on CONFIG_TRACEPOINTS. */
void rust_bond_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

bool rust_bond_skb_shared(const struct sk_buff *skb)
{
	return skb_shared(skb);
}

struct sk_buff *rust_bond_skb_share_check(struct sk_buff *skb, gfp_t pri)
{
	return skb_share_check(skb, pri);
}

void rust_bond_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

void rust_bond_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	kfree_skb_reason(skb, reason);
}

int rust_bond_dev_queue_xmit(struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

/* netlink.rs */

struct nlattr *rust_bond_nla_nest_start(struct sk_buff *skb, int attrtype)
{
	return nla_nest_start(skb, attrtype);
}

void rust_bond_nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_end(skb, start);
}

void rust_bond_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_cancel(skb, start);
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
