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
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
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
void rust_bond_dev_net_set(struct net_device *dev, struct net *net);

/* ops.rs */
void rust_bond_netdev_lockdep_set_classes(struct net_device *dev);
void rust_bond_dev_lstats_add(struct net_device *dev, unsigned int len);

/* skbuff.rs */
void rust_bond_consume_skb(struct sk_buff *skb);
bool rust_bond_skb_shared(const struct sk_buff *skb);
struct sk_buff *rust_bond_skb_share_check(struct sk_buff *skb, gfp_t pri);
void rust_bond_skb_tx_timestamp(struct sk_buff *skb);
void rust_bond_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
int rust_bond_dev_queue_xmit(struct sk_buff *skb);

/* netlink.rs */
struct nlattr *rust_bond_nla_nest_start(struct sk_buff *skb, int attrtype);
void rust_bond_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
void rust_bond_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start);

/* rcu.rs */
void rust_bond_rcu_read_lock(void);
void rust_bond_rcu_read_unlock(void);

/* spinlock_bh.rs */
void rust_bond_spin_lock_bh(spinlock_t *lock);
void rust_bond_spin_unlock_bh(spinlock_t *lock);

/* delayed_work.rs */
struct workqueue_struct *rust_bond_alloc_ordered_workqueue(const char *name, unsigned int flags);

/* pernet.rs */
void *rust_bond_net_generic(const struct net *net, unsigned int id);

/* sysfs.rs */
struct net_device *rust_bond_to_net_dev(struct device *dev);
void rust_bond_sysfs_attr_init(struct attribute *attr);

/* rtnl.rs */
int rust_bond_restart_syscall(void);

#endif
