// SPDX-License-Identifier: GPL-2.0
/* See helpers.h: one-line wrappers, nothing else. */

#include "helpers.h"
#include <net/sch_generic.h>

/* device.rs */

void *rust_net_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

void rust_net_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rust_net_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

bool rust_net_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

bool rust_net_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void rust_net_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

void rust_net_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

struct net *rust_net_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

void rust_net_dev_net_set(struct net_device *dev, struct net *net)
{
	dev_net_set(dev, net);
}

/* ops.rs */

void rust_net_netdev_lockdep_set_classes(struct net_device *dev)
{
	netdev_lockdep_set_classes(dev);
}

void rust_net_dev_lstats_add(struct net_device *dev, unsigned int len)
{
	dev_lstats_add(dev, len);
}

netdev_features_t rust_net_netdev_base_features(netdev_features_t features)
{
	return netdev_base_features(features);
}

netdev_features_t rust_net_netdev_add_tso_features(netdev_features_t features,
						  netdev_features_t mask)
{
	return netdev_add_tso_features(features, mask);
}

/* skbuff.rs */

/* An exported function or an inline, depending on CONFIG_TRACEPOINTS. */
void rust_net_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

bool rust_net_skb_shared(const struct sk_buff *skb)
{
	return skb_shared(skb);
}

struct sk_buff *rust_net_skb_share_check(struct sk_buff *skb, gfp_t pri)
{
	return skb_share_check(skb, pri);
}

void rust_net_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

void rust_net_kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	kfree_skb_reason(skb, reason);
}

int rust_net_dev_queue_xmit(struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

/* netlink.rs */

struct nlattr *rust_net_nla_nest_start(struct sk_buff *skb, int attrtype)
{
	return nla_nest_start(skb, attrtype);
}

struct nlattr *rust_net_nla_nest_start_noflag(struct sk_buff *skb, int attrtype)
{
	return nla_nest_start_noflag(skb, attrtype);
}

void rust_net_nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_end(skb, start);
}

void rust_net_nla_nest_cancel(struct sk_buff *skb, struct nlattr *start)
{
	nla_nest_cancel(skb, start);
}

/* rcu.rs */

void rust_net_rcu_read_lock(void)
{
	rcu_read_lock();
}

void rust_net_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

/* spinlock_bh.rs */

void rust_net_spin_lock_bh(spinlock_t *lock)
{
	spin_lock_bh(lock);
}

void rust_net_spin_lock_bh_nested(spinlock_t *lock, unsigned int subclass)
{
	local_bh_disable();
	spin_lock_nested(lock, subclass);
}

void rust_net_spin_unlock_bh_nested(spinlock_t *lock)
{
	spin_unlock(lock);
	local_bh_enable();
}

void rust_net_spin_unlock_bh(spinlock_t *lock)
{
	spin_unlock_bh(lock);
}

/* delayed_work.rs */

struct workqueue_struct *rust_net_alloc_ordered_workqueue(const char *name, unsigned int flags)
{
	return alloc_ordered_workqueue("%s", flags, name);
}

/* pernet.rs */

void *rust_net_net_generic(const struct net *net, unsigned int id)
{
	return net_generic(net, id);
}

/* sysfs.rs */

struct net_device *rust_net_to_net_dev(struct device *dev)
{
	return to_net_dev(dev);
}

void rust_net_sysfs_attr_init(struct attribute *attr)
{
	sysfs_attr_init(attr);
}

/* rtnl.rs */

int rust_net_restart_syscall(void)
{
	return restart_syscall();
}

/* device.rs: configuration of lower devices */

void rust_net_netif_addr_lock_bh(struct net_device *dev)
{
	netif_addr_lock_bh(dev);
}

void rust_net_netif_addr_unlock_bh(struct net_device *dev)
{
	netif_addr_unlock_bh(dev);
}

void rust_net_dev_set_flags_bits(struct net_device *dev, unsigned int set, unsigned int clear)
{
	dev->flags = (dev->flags & ~clear) | set;
}

void rust_net_dev_set_priv_flags_bits(struct net_device *dev, unsigned long long set,
				       unsigned long long clear)
{
	dev->priv_flags = (dev->priv_flags & ~clear) | set;
}

bool rust_net_dev_has_set_mac_address(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_set_mac_address != NULL;
}

int rust_net_dev_set_mac(struct net_device *dev, const u8 *addr)
{
	struct sockaddr_storage ss = { .ss_family = dev->type };

	memcpy(ss.__data, addr, dev->addr_len);
	return dev_set_mac_address(dev, (struct sockaddr *)&ss, NULL);
}

unsigned int rust_net_netif_is_up(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}

unsigned long long rust_net_dev_priv_flags(const struct net_device *dev)
{
	return dev->priv_flags;
}

bool rust_net_linkwatch_pending(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
}

bool rust_net_addr_is_random(const struct net_device *dev)
{
	return dev->addr_assign_type == NET_ADDR_RANDOM;
}

bool rust_net_addr_is_perm(const struct net_device *dev)
{
	return dev->addr_assign_type == NET_ADDR_PERM;
}

bool rust_net_vlan_uses_dev(const struct net_device *dev)
{
	return vlan_uses_dev(dev);
}

/* Copies `from`'s address into `dev` as bond_set_dev_addr() does. */
int rust_net_dev_addr_steal(struct net_device *dev, const struct net_device *from)
{
	int err = dev_pre_changeaddr_notify(dev, from->dev_addr, NULL);

	if (err)
		return err;
	__dev_addr_set(dev, from->dev_addr, from->addr_len);
	dev->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* percpu.rs */

u32 *rust_net_alloc_percpu_u32(void)
{
	return alloc_percpu(u32);
}

u32 rust_net_this_cpu_inc_return_u32(u32 *ptr)
{
	return this_cpu_inc_return(*ptr);
}

void rust_net_core_stats_tx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
}

/* skbuff.rs: header access */

unsigned short rust_net_skb_queue_mapping(const struct sk_buff *skb)
{
	return skb_get_queue_mapping(skb);
}

int rust_net_skb_network_offset(const struct sk_buff *skb)
{
	return skb_network_offset(skb);
}

int rust_net_skb_vlan_tci(const struct sk_buff *skb)
{
	return skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : -1;
}

bool rust_net_skb_l4_hash(const struct sk_buff *skb, u32 *hash)
{
	*hash = skb->hash;
	return skb->l4_hash;
}

int rust_net_skb_mac_dest(const struct sk_buff *skb, u8 *dest)
{
	if (!skb_mac_header_was_set(skb))
		return -EINVAL;
	memcpy(dest, eth_hdr(skb)->h_dest, ETH_ALEN);
	return 0;
}

unsigned char rust_net_skb_pkt_type(const struct sk_buff *skb)
{
	return skb->pkt_type;
}

void rust_net_skb_set_dev(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = dev;
}

void rust_net_skb_restore_queue_mapping(struct sk_buff *skb)
{
	skb_set_queue_mapping(skb, qdisc_skb_cb(skb)->slave_dev_queue_mapping);
}

/*
 * An ndo_select_queue for upper devices that pass packets to lower ones:
 * keep the recorded receive queue (or 0) on the upper device and save the
 * mapping the packet came with for the lower device (bond_select_queue()).
 */
u16 rust_net_select_queue_saving(struct net_device *dev, struct sk_buff *skb,
				  struct net_device *sb_dev)
{
	u16 txq = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : 0;

	qdisc_skb_cb(skb)->slave_dev_queue_mapping = skb_get_queue_mapping(skb);
	while (txq >= dev->real_num_tx_queues)
		txq -= dev->real_num_tx_queues;
	return txq;
}

/* ipv4.rs */

struct rtable *rust_net_ip_route_output(struct net *net, __be32 daddr, __be32 saddr,
					 u8 tos, int oif, __u8 scope)
{
	return ip_route_output(net, daddr, saddr, tos, oif, scope);
}

void rust_net_ip_rt_put(struct rtable *rt)
{
	ip_rt_put(rt);
}

struct in_device *rust_net_in_dev_get_rcu(const struct net_device *dev)
{
	return __in_dev_get_rcu(dev);
}

bool rust_net_is_vlan_dev(const struct net_device *dev)
{
	return is_vlan_dev(dev);
}

u16 rust_net_vlan_dev_vlan_id(const struct net_device *dev)
{
	return vlan_dev_vlan_id(dev);
}

__be16 rust_net_vlan_dev_vlan_proto(const struct net_device *dev)
{
	return vlan_dev_vlan_proto(dev);
}

struct sk_buff *rust_net_vlan_insert_tag_set_proto(struct sk_buff *skb, __be16 proto, u16 vid)
{
	return vlan_insert_tag_set_proto(skb, proto, vid);
}

void rust_net_vlan_hwaccel_put_tag(struct sk_buff *skb, __be16 proto, u16 vid)
{
	__vlan_hwaccel_put_tag(skb, proto, vid);
}

/* ipv6.rs */

struct dst_entry *rust_net_ip6_route_output(struct net *net, const struct in6_addr *daddr)
{
	struct flowi6 fl6 = { .daddr = *daddr };

	return ip6_route_output(net, NULL, &fl6);
}

void rust_net_eth_random_addr(u8 *addr)
{
	eth_random_addr(addr);
}

static const struct flow_dissector_key rust_net_flow_keys[] = {
	{ .key_id = FLOW_DISSECTOR_KEY_CONTROL, .offset = offsetof(struct flow_keys, control) },
	{ .key_id = FLOW_DISSECTOR_KEY_BASIC, .offset = offsetof(struct flow_keys, basic) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV4_ADDRS, .offset = offsetof(struct flow_keys, addrs.v4addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV6_ADDRS, .offset = offsetof(struct flow_keys, addrs.v6addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_TIPC, .offset = offsetof(struct flow_keys, addrs.tipckey) },
	{ .key_id = FLOW_DISSECTOR_KEY_PORTS, .offset = offsetof(struct flow_keys, ports) },
	{ .key_id = FLOW_DISSECTOR_KEY_ICMP, .offset = offsetof(struct flow_keys, icmp) },
	{ .key_id = FLOW_DISSECTOR_KEY_VLAN, .offset = offsetof(struct flow_keys, vlan) },
	{ .key_id = FLOW_DISSECTOR_KEY_FLOW_LABEL, .offset = offsetof(struct flow_keys, tags) },
	{ .key_id = FLOW_DISSECTOR_KEY_GRE_KEYID, .offset = offsetof(struct flow_keys, keyid) },
};

static struct flow_dissector rust_net_flow_dissector __read_mostly;

void rust_net_flow_dissector_init(void)
{
	skb_flow_dissector_init(&rust_net_flow_dissector, rust_net_flow_keys,
				ARRAY_SIZE(rust_net_flow_keys));
}

bool rust_net_flow_dissect_encap(struct sk_buff *skb, struct rust_net_flow *out)
{
	struct flow_keys fk;

	memset(&fk, 0, sizeof(fk));
	memset(out, 0, sizeof(*out));
	/* The arguments bond_xmit_hash() passes for an skb. */
	if (!__skb_flow_dissect(dev_net(skb->dev), skb, &rust_net_flow_dissector, &fk,
				skb->data, skb->protocol, skb_network_offset(skb),
				skb_headlen(skb), 0))
		return false;
	out->addr_type = fk.control.addr_type;
	switch (fk.control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		memcpy(out->src, &fk.addrs.v4addrs.src, 4);
		memcpy(out->dst, &fk.addrs.v4addrs.dst, 4);
		break;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		memcpy(out->src, &fk.addrs.v6addrs.src, 16);
		memcpy(out->dst, &fk.addrs.v6addrs.dst, 16);
		break;
	case FLOW_DISSECTOR_KEY_TIPC:
		memcpy(out->src, &fk.addrs.tipckey.key, 4);
		break;
	}
	memcpy(out->ports, &fk.ports.ports, 4);
	out->icmp_type = fk.icmp.type;
	out->icmp_code = fk.icmp.code;
	out->icmp_id = fk.icmp.id;
	return true;
}
