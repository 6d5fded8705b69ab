/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line wrappers for static inline functions and macros that bindgen
 * cannot turn into callable symbols, named rust_net_<C name>. No logic and
 * no state here.
 */
#ifndef RUST_BOND_NET_HELPERS_H
#define RUST_BOND_NET_HELPERS_H

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/route.h>
#include <net/flow_dissector.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <net/netns/generic.h>

/* device.rs */
void *rust_net_netdev_priv(const struct net_device *dev);
void rust_net_dev_hold(struct net_device *dev);
void rust_net_dev_put(struct net_device *dev);
bool rust_net_netif_running(const struct net_device *dev);
bool rust_net_netif_carrier_ok(const struct net_device *dev);
void rust_net_eth_hw_addr_set(struct net_device *dev, const u8 *addr);
void rust_net_eth_hw_addr_random(struct net_device *dev);
struct net *rust_net_dev_net(const struct net_device *dev);
void rust_net_dev_net_set(struct net_device *dev, struct net *net);

/* ops/ */
void rust_net_netdev_lockdep_set_classes(struct net_device *dev);
void rust_net_dev_lstats_add(struct net_device *dev, unsigned int len);
netdev_features_t rust_net_netdev_base_features(netdev_features_t features);
netdev_features_t rust_net_netdev_add_tso_features(netdev_features_t features,
						  netdev_features_t mask);

/* skbuff.rs */
void rust_net_consume_skb(struct sk_buff *skb);
bool rust_net_skb_shared(const struct sk_buff *skb);
struct sk_buff *rust_net_skb_share_check(struct sk_buff *skb, gfp_t pri);
void rust_net_skb_tx_timestamp(struct sk_buff *skb);
void rust_net_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
int rust_net_dev_queue_xmit(struct sk_buff *skb);

/* netlink.rs */
struct nlattr *rust_net_nla_nest_start(struct sk_buff *skb, int attrtype);
struct nlattr *rust_net_nla_nest_start_noflag(struct sk_buff *skb, int attrtype);
void rust_net_nla_nest_end(struct sk_buff *skb, struct nlattr *start);
void rust_net_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start);

/* rcu.rs */
void rust_net_rcu_read_lock(void);
void rust_net_rcu_read_unlock(void);

/* spinlock_bh.rs */
void rust_net_spin_lock_bh(spinlock_t *lock);
void rust_net_spin_unlock_bh(spinlock_t *lock);
void rust_net_spin_lock_bh_nested(spinlock_t *lock, unsigned int subclass);
void rust_net_spin_unlock_bh_nested(spinlock_t *lock);

/* delayed_work.rs */
struct workqueue_struct *rust_net_alloc_ordered_workqueue(const char *name, unsigned int flags);

/* pernet.rs */
void *rust_net_net_generic(const struct net *net, unsigned int id);

/* sysfs.rs */
struct net_device *rust_net_to_net_dev(struct device *dev);
void rust_net_sysfs_attr_init(struct attribute *attr);

/* rtnl.rs */
int rust_net_restart_syscall(void);

/* device.rs: configuration of lower devices */
void rust_net_netif_addr_lock_bh(struct net_device *dev);
void rust_net_netif_addr_unlock_bh(struct net_device *dev);
void rust_net_dev_set_flags_bits(struct net_device *dev, unsigned int set, unsigned int clear);
void rust_net_dev_set_priv_flags_bits(struct net_device *dev, unsigned long long set,
				       unsigned long long clear);
bool rust_net_dev_has_set_mac_address(const struct net_device *dev);
int rust_net_dev_set_mac(struct net_device *dev, const u8 *addr);
unsigned int rust_net_netif_is_up(const struct net_device *dev);
bool rust_net_linkwatch_pending(const struct net_device *dev);
unsigned long long rust_net_dev_priv_flags(const struct net_device *dev);
bool rust_net_addr_is_random(const struct net_device *dev);
bool rust_net_addr_is_perm(const struct net_device *dev);
bool rust_net_vlan_uses_dev(const struct net_device *dev);
int rust_net_dev_addr_steal(struct net_device *dev, const struct net_device *from);

/* percpu.rs */
u32 *rust_net_alloc_percpu_u32(void);
u32 rust_net_this_cpu_inc_return_u32(u32 *ptr);
void rust_net_core_stats_tx_dropped_inc(struct net_device *dev);

/* skbuff.rs: header access for hashing and receive decisions */
unsigned short rust_net_skb_queue_mapping(const struct sk_buff *skb);
int rust_net_skb_network_offset(const struct sk_buff *skb);
int rust_net_skb_vlan_tci(const struct sk_buff *skb);
bool rust_net_skb_l4_hash(const struct sk_buff *skb, u32 *hash);
int rust_net_skb_mac_dest(const struct sk_buff *skb, u8 *dest);
unsigned char rust_net_skb_pkt_type(const struct sk_buff *skb);
void rust_net_skb_set_dev(struct sk_buff *skb, struct net_device *dev);
void rust_net_skb_restore_queue_mapping(struct sk_buff *skb);
u16 rust_net_select_queue_saving(struct net_device *dev, struct sk_buff *skb,
				  struct net_device *sb_dev);
void rust_net_eth_random_addr(u8 *addr);

/* ipv4.rs */
struct rtable *rust_net_ip_route_output(struct net *net, __be32 daddr, __be32 saddr,
					 u8 tos, int oif, __u8 scope);
void rust_net_ip_rt_put(struct rtable *rt);
struct in_device *rust_net_in_dev_get_rcu(const struct net_device *dev);
bool rust_net_is_vlan_dev(const struct net_device *dev);
u16 rust_net_vlan_dev_vlan_id(const struct net_device *dev);
__be16 rust_net_vlan_dev_vlan_proto(const struct net_device *dev);
struct sk_buff *rust_net_vlan_insert_tag_set_proto(struct sk_buff *skb, __be16 proto, u16 vid);
void rust_net_vlan_hwaccel_put_tag(struct sk_buff *skb, __be16 proto, u16 vid);

/* ipv6.rs */
struct dst_entry *rust_net_ip6_route_output(struct net *net, const struct in6_addr *daddr);

/*
 * The flow dissector with the key set bonding's encap policies use
 * (`flow_keys_bonding` in bond_main.c). The kernel API needs a dissector
 * object initialised once; it holds only the constant key table.
 */
struct rust_net_flow {
	u16 addr_type;
	u8 src[16];
	u8 dst[16];
	u8 ports[4];
	u8 icmp_type;
	u8 icmp_code;
	u16 icmp_id;
};
void rust_net_flow_dissector_init(void);
bool rust_net_flow_dissect_encap(struct sk_buff *skb, struct rust_net_flow *out);

#endif
