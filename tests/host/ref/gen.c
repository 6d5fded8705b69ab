// SPDX-License-Identifier: GPL-2.0
/*
 * Reference vectors for logic/hash.rs, from verbatim copies of the C driver's
 * hash code (linux 6.12.117, drivers/net/bonding/bond_main.c lines 4160-4376,
 * net/core/flow_dissector.c, include/net/ipv6.h, include/net/ip.h,
 * include/linux/in.h, include/linux/icmp.h, include/linux/icmpv6.h) on top of
 * small user-space shims for the kernel types. Build and run on x86_64:
 *
 *	gcc -O2 -Wall -Wno-unused-function -o /tmp/bond-hash-gen tests/host/ref/gen.c && /tmp/bond-hash-gen
 *
 * The Rust tests do not need this program: its output is pasted into them.
 * The random cases come from the same xorshift32 generator as `gen_case()`
 * in logic/hash.rs; keep both in step.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_bonding.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define likely(x) (x)
#define unlikely(x) (x)
#define __force
#define htons(x) ((__be16)__builtin_bswap16(x)) /* x86_64: little-endian */
#define ntohs(x) ((u16)__builtin_bswap16(x))
#define be16_to_cpu ntohs
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
#define BITS_PER_LONG 64
#define ETH_ALEN 6

/* ---- shims ---- */
struct sk_buff {
	u16 vlan_tci;
	bool vlan_present;
	bool l4_hash;
	u32 hash;
	unsigned char *data;
	__be16 protocol;
	int network_offset;
	int headlen;
};
struct net;
struct net_device;
struct bonding {
	struct net_device *dev;
	struct {
		int xmit_policy;
	} params;
};
struct xdp_buff {
	void *data;
	void *data_end;
};
/* The whole packet is linear: nothing more can be pulled or copied. */
static int pskb_may_pull(struct sk_buff *skb, int n) { (void)skb; (void)n; return 0; }
static int skb_copy_bits(const struct sk_buff *skb, int off, void *to, int len)
{ (void)skb; (void)off; (void)to; (void)len; return -14; }
static bool skb_vlan_tag_present(const struct sk_buff *skb) { return skb->vlan_present; }
static u16 skb_vlan_tag_get(const struct sk_buff *skb) { return skb->vlan_tci; }
static int skb_network_offset(const struct sk_buff *skb) { return skb->network_offset; }
static int skb_headlen(const struct sk_buff *skb) { return skb->headlen; }
static struct net *dev_net(struct net_device *d) { (void)d; return NULL; }

/* include/linux/skbuff.h */
static inline void * __skb_header_pointer(const struct sk_buff *skb, int offset, int len,
		     const void *data, int hlen, void *buffer)
{
	if (likely(hlen - offset >= len))
		return (void *)data + offset;

	if (!skb || unlikely(skb_copy_bits(skb, offset, buffer, len) < 0))
		return NULL;

	return buffer;
}

/* include/net/flow_dissector.h (the members bonding reads) */
enum flow_dissector_key_id {
	FLOW_DISSECTOR_KEY_CONTROL,
	FLOW_DISSECTOR_KEY_BASIC,
	FLOW_DISSECTOR_KEY_IPV4_ADDRS,
	FLOW_DISSECTOR_KEY_IPV6_ADDRS,
	FLOW_DISSECTOR_KEY_PORTS,
	FLOW_DISSECTOR_KEY_PORTS_RANGE,
	FLOW_DISSECTOR_KEY_ICMP,
	FLOW_DISSECTOR_KEY_ETH_ADDRS,
	FLOW_DISSECTOR_KEY_TIPC,
};
struct flow_dissector_key_control { u16 thoff; u16 addr_type; u32 flags; };
struct flow_dissector_key_ipv4_addrs { __be32 src; __be32 dst; };
struct flow_dissector_key_ipv6_addrs { struct in6_addr src; struct in6_addr dst; };
struct flow_dissector_key_tipc { __be32 key; };
struct flow_dissector_key_ports { union { __be32 ports; struct { __be16 src; __be16 dst; }; }; };
struct flow_dissector_key_icmp { struct { u8 type; u8 code; }; u16 id; };
struct flow_keys {
	struct flow_dissector_key_control control;
	struct flow_dissector_key_ports ports;
	struct flow_dissector_key_icmp icmp;
	union {
		struct flow_dissector_key_ipv4_addrs v4addrs;
		struct flow_dissector_key_ipv6_addrs v6addrs;
		struct flow_dissector_key_tipc tipckey;
	} addrs;
};
struct flow_dissector;
static struct flow_dissector *const flow_keys_bonding_ptr = NULL;
#define flow_keys_bonding (*flow_keys_bonding_ptr)

/* The encap policies: the kernel's dissector result is a test fixture. */
static struct flow_keys encap_fixture;
static bool encap_fixture_ok;
static bool __skb_flow_dissect(const struct net *net, const struct sk_buff *skb,
			       struct flow_dissector *fd, void *target, const void *data,
			       __be16 proto, int nhoff, int hlen, unsigned int flags)
{
	(void)net; (void)skb; (void)fd; (void)data; (void)proto; (void)nhoff; (void)hlen; (void)flags;
	memcpy(target, &encap_fixture, sizeof(encap_fixture));
	return encap_fixture_ok;
}

/* ---- verbatim: include/linux/in.h ---- */
static inline int proto_ports_offset(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_DCCP:
	case IPPROTO_ESP:	/* SPI */
	case IPPROTO_SCTP:
	case IPPROTO_UDPLITE:
		return 0;
	case IPPROTO_AH:	/* SPI */
		return 4;
	default:
		return -EINVAL;
	}
}
/* ---- verbatim: include/linux/icmp.h, icmpv6.h ---- */
static inline bool icmp_is_err(int type)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
	case ICMP_SOURCE_QUENCH:
	case ICMP_REDIRECT:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return true;
	}

	return false;
}
static inline bool icmpv6_is_err(int type)
{
	switch (type) {
	case ICMPV6_DEST_UNREACH:
	case ICMPV6_PKT_TOOBIG:
	case ICMPV6_TIME_EXCEED:
	case ICMPV6_PARAMPROB:
		return true;
	}

	return false;
}
/* ---- verbatim: include/net/ip.h, include/net/ipv6.h ---- */
static inline bool ip_is_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & htons(IP_MF | IP_OFFSET)) != 0;
}
static inline void iph_to_flow_copy_v4addrs(struct flow_keys *flow,
					    const struct iphdr *iph)
{
	memcpy(&flow->addrs.v4addrs, &iph->addrs, sizeof(flow->addrs.v4addrs));
	flow->control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
}
static inline void iph_to_flow_copy_v6addrs(struct flow_keys *flow,
					    const struct ipv6hdr *iph)
{
	memcpy(&flow->addrs.v6addrs, &iph->addrs, sizeof(flow->addrs.v6addrs));
	flow->control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
}
static inline u32 ipv6_addr_hash(const struct in6_addr *a)
{
#if defined(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) && BITS_PER_LONG == 64
	const unsigned long *ul = (const unsigned long *)a;
	unsigned long x = ul[0] ^ ul[1];

	return (u32)(x ^ (x >> 32));
#else
	return (__force u32)(a->s6_addr32[0] ^ a->s6_addr32[1] ^
			     a->s6_addr32[2] ^ a->s6_addr32[3]);
#endif
}
/* ---- verbatim: net/core/flow_dissector.c ---- */
__be32 __skb_flow_get_ports(const struct sk_buff *skb, int thoff, u8 ip_proto,
			    const void *data, int hlen)
{
	int poff = proto_ports_offset(ip_proto);

	if (!data) {
		data = skb->data;
		hlen = skb_headlen(skb);
	}

	if (poff >= 0) {
		__be32 *ports, _ports;

		ports = __skb_header_pointer(skb, thoff + poff,
					     sizeof(_ports), data, hlen, &_ports);
		if (ports)
			return *ports;
	}

	return 0;
}
static bool icmp_has_id(u8 type)
{
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
	case ICMPV6_ECHO_REQUEST:
	case ICMPV6_ECHO_REPLY:
		return true;
	}

	return false;
}
void skb_flow_get_icmp_tci(const struct sk_buff *skb,
			   struct flow_dissector_key_icmp *key_icmp,
			   const void *data, int thoff, int hlen)
{
	struct icmphdr *ih, _ih;

	ih = __skb_header_pointer(skb, thoff, sizeof(_ih), data, hlen, &_ih);
	if (!ih)
		return;

	key_icmp->type = ih->type;
	key_icmp->code = ih->code;

	/* As we use 0 to signal that the Id field is not present,
	 * avoid confusion with packets without such field
	 */
	if (icmp_has_id(ih->type))
		key_icmp->id = ih->un.echo.id ? ntohs(ih->un.echo.id) : 1;
	else
		key_icmp->id = 0;
}
__be32 flow_get_u32_src(const struct flow_keys *flow)
{
	switch (flow->control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		return flow->addrs.v4addrs.src;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		return (__force __be32)ipv6_addr_hash(
			&flow->addrs.v6addrs.src);
	case FLOW_DISSECTOR_KEY_TIPC:
		return flow->addrs.tipckey.key;
	default:
		return 0;
	}
}
__be32 flow_get_u32_dst(const struct flow_keys *flow)
{
	switch (flow->control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		return flow->addrs.v4addrs.dst;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		return (__force __be32)ipv6_addr_hash(
			&flow->addrs.v6addrs.dst);
	default:
		return 0;
	}
}

/* ---- verbatim: drivers/net/bonding/bond_main.c 4160-4376 ---- */
/* Helper to access data in a packet, with or without a backing skb.
 * If skb is given the data is linearized if necessary via pskb_may_pull.
 */
static inline const void *bond_pull_data(struct sk_buff *skb,
					 const void *data, int hlen, int n)
{
	if (likely(n <= hlen))
		return data;
	else if (skb && likely(pskb_may_pull(skb, n)))
		return skb->data;

	return NULL;
}

/* L2 hash helper */
static inline u32 bond_eth_hash(struct sk_buff *skb, const void *data, int mhoff, int hlen)
{
	struct ethhdr *ep;

	data = bond_pull_data(skb, data, hlen, mhoff + sizeof(struct ethhdr));
	if (!data)
		return 0;

	ep = (struct ethhdr *)(data + mhoff);
	return ep->h_dest[5] ^ ep->h_source[5] ^ be16_to_cpu(ep->h_proto);
}

static bool bond_flow_ip(struct sk_buff *skb, struct flow_keys *fk, const void *data,
			 int hlen, __be16 l2_proto, int *nhoff, int *ip_proto, bool l34)
{
	const struct ipv6hdr *iph6;
	const struct iphdr *iph;

	if (l2_proto == htons(ETH_P_IP)) {
		data = bond_pull_data(skb, data, hlen, *nhoff + sizeof(*iph));
		if (!data)
			return false;

		iph = (const struct iphdr *)(data + *nhoff);
		iph_to_flow_copy_v4addrs(fk, iph);
		*nhoff += iph->ihl << 2;
		if (!ip_is_fragment(iph))
			*ip_proto = iph->protocol;
	} else if (l2_proto == htons(ETH_P_IPV6)) {
		data = bond_pull_data(skb, data, hlen, *nhoff + sizeof(*iph6));
		if (!data)
			return false;

		iph6 = (const struct ipv6hdr *)(data + *nhoff);
		iph_to_flow_copy_v6addrs(fk, iph6);
		*nhoff += sizeof(*iph6);
		*ip_proto = iph6->nexthdr;
	} else {
		return false;
	}

	if (l34 && *ip_proto >= 0)
		fk->ports.ports = __skb_flow_get_ports(skb, *nhoff, *ip_proto, data, hlen);

	return true;
}

static u32 bond_vlan_srcmac_hash(struct sk_buff *skb, const void *data, int mhoff, int hlen)
{
	u32 srcmac_vendor = 0, srcmac_dev = 0;
	struct ethhdr *mac_hdr;
	u16 vlan = 0;
	int i;

	data = bond_pull_data(skb, data, hlen, mhoff + sizeof(struct ethhdr));
	if (!data)
		return 0;
	mac_hdr = (struct ethhdr *)(data + mhoff);

	for (i = 0; i < 3; i++)
		srcmac_vendor = (srcmac_vendor << 8) | mac_hdr->h_source[i];

	for (i = 3; i < ETH_ALEN; i++)
		srcmac_dev = (srcmac_dev << 8) | mac_hdr->h_source[i];

	if (skb && skb_vlan_tag_present(skb))
		vlan = skb_vlan_tag_get(skb);

	return vlan ^ srcmac_vendor ^ srcmac_dev;
}

/* Extract the appropriate headers based on bond's xmit policy */
static bool bond_flow_dissect(struct bonding *bond, struct sk_buff *skb, const void *data,
			      __be16 l2_proto, int nhoff, int hlen, struct flow_keys *fk)
{
	bool l34 = bond->params.xmit_policy == BOND_XMIT_POLICY_LAYER34;
	int ip_proto = -1;

	switch (bond->params.xmit_policy) {
	case BOND_XMIT_POLICY_ENCAP23:
	case BOND_XMIT_POLICY_ENCAP34:
		memset(fk, 0, sizeof(*fk));
		return __skb_flow_dissect(dev_net(bond->dev), skb,
					  &flow_keys_bonding, fk, data,
					  l2_proto, nhoff, hlen, 0);
	default:
		break;
	}

	fk->ports.ports = 0;
	memset(&fk->icmp, 0, sizeof(fk->icmp));
	if (!bond_flow_ip(skb, fk, data, hlen, l2_proto, &nhoff, &ip_proto, l34))
		return false;

	/* ICMP error packets contains at least 8 bytes of the header
	 * of the packet which generated the error. Use this information
	 * to correlate ICMP error packets within the same flow which
	 * generated the error.
	 */
	if (ip_proto == IPPROTO_ICMP || ip_proto == IPPROTO_ICMPV6) {
		skb_flow_get_icmp_tci(skb, &fk->icmp, data, nhoff, hlen);
		if (ip_proto == IPPROTO_ICMP) {
			if (!icmp_is_err(fk->icmp.type))
				return true;

			nhoff += sizeof(struct icmphdr);
		} else if (ip_proto == IPPROTO_ICMPV6) {
			if (!icmpv6_is_err(fk->icmp.type))
				return true;

			nhoff += sizeof(struct icmp6hdr);
		}
		return bond_flow_ip(skb, fk, data, hlen, l2_proto, &nhoff, &ip_proto, l34);
	}

	return true;
}

static u32 bond_ip_hash(u32 hash, struct flow_keys *flow, int xmit_policy)
{
	hash ^= (__force u32)flow_get_u32_dst(flow) ^
		(__force u32)flow_get_u32_src(flow);
	hash ^= (hash >> 16);
	hash ^= (hash >> 8);

	/* discard lowest hash bit to deal with the common even ports pattern */
	if (xmit_policy == BOND_XMIT_POLICY_LAYER34 ||
		xmit_policy == BOND_XMIT_POLICY_ENCAP34)
		return hash >> 1;

	return hash;
}

/* Generate hash based on xmit policy. If @skb is given it is used to linearize
 * the data as required, but this function can be used without it if the data is
 * known to be linear (e.g. with xdp_buff).
 */
static u32 __bond_xmit_hash(struct bonding *bond, struct sk_buff *skb, const void *data,
			    __be16 l2_proto, int mhoff, int nhoff, int hlen)
{
	struct flow_keys flow;
	u32 hash;

	if (bond->params.xmit_policy == BOND_XMIT_POLICY_VLAN_SRCMAC)
		return bond_vlan_srcmac_hash(skb, data, mhoff, hlen);

	if (bond->params.xmit_policy == BOND_XMIT_POLICY_LAYER2 ||
	    !bond_flow_dissect(bond, skb, data, l2_proto, nhoff, hlen, &flow))
		return bond_eth_hash(skb, data, mhoff, hlen);

	if (bond->params.xmit_policy == BOND_XMIT_POLICY_LAYER23 ||
	    bond->params.xmit_policy == BOND_XMIT_POLICY_ENCAP23) {
		hash = bond_eth_hash(skb, data, mhoff, hlen);
	} else {
		if (flow.icmp.id)
			memcpy(&hash, &flow.icmp, sizeof(hash));
		else
			memcpy(&hash, &flow.ports.ports, sizeof(hash));
	}

	return bond_ip_hash(hash, &flow, bond->params.xmit_policy);
}

/**
 * bond_xmit_hash - generate a hash value based on the xmit policy
 * @bond: bonding device
 * @skb: buffer to use for headers
 *
 * This function will extract the necessary headers from the skb buffer and use
 * them to generate a hash based on the xmit_policy set in the bonding device
 */
u32 bond_xmit_hash(struct bonding *bond, struct sk_buff *skb)
{
	if (bond->params.xmit_policy == BOND_XMIT_POLICY_ENCAP34 &&
	    skb->l4_hash)
		return skb->hash;

	return __bond_xmit_hash(bond, skb, skb->data, skb->protocol,
				0, skb_network_offset(skb),
				skb_headlen(skb));
}

/**
 * bond_xmit_hash_xdp - generate a hash value based on the xmit policy
 * @bond: bonding device
 * @xdp: buffer to use for headers
 *
 * The XDP variant of bond_xmit_hash.
 */
static u32 bond_xmit_hash_xdp(struct bonding *bond, struct xdp_buff *xdp)
{
	struct ethhdr *eth;

	if (xdp->data + sizeof(struct ethhdr) > xdp->data_end)
		return 0;

	eth = (struct ethhdr *)xdp->data;

	return __bond_xmit_hash(bond, NULL, xdp->data, eth->h_proto, 0,
				sizeof(struct ethhdr), xdp->data_end - xdp->data);
}


/* ---- driver of the reference run ---- */

static u32 st;
static u32 rnd(void)
{
	st ^= st << 13;
	st ^= st >> 17;
	st ^= st << 5;
	return st;
}

static const u8 protos[10] = { 1, 6, 17, 33, 50, 51, 58, 132, 136, 47 };
static const u8 icmp4_types[10] = { 0, 8, 3, 11, 5, 13, 14, 4, 12, 9 };
static const u8 icmp6_types[8] = { 128, 129, 1, 2, 3, 4, 135, 136 };

struct rcase {
	u8 buf[160];
	int len;
	u16 et;
	bool vlan;
	u16 tci;
};

static void gen_case(struct rcase *c)
{
	int i;
	u32 k;

	for (i = 0; i < 160; i++)
		c->buf[i] = rnd() & 0xff;
	k = rnd() % 8;
	c->et = k < 3 ? 0x0800 : k < 5 ? 0x86dd : k == 5 ? 0x0806 : k == 6 ? 0x8100 :
		(u16)(c->buf[12] << 8 | c->buf[13]);
	c->buf[12] = c->et >> 8;
	c->buf[13] = c->et & 0xff;
	if (c->et == 0x0800) {
		u32 ihl = rnd() % 4 == 0 ? rnd() % 16 : 5;
		u32 f;
		int th = 14 + ihl * 4;

		c->buf[14] = 0x40 | ihl;
		c->buf[23] = protos[rnd() % 10];
		f = rnd() % 5; /* random, DF, MF only, not a fragment */
		if (f == 1) {
			c->buf[20] = 0x40;
			c->buf[21] = 0;
		} else if (f == 2) {
			c->buf[20] = 0x20;
			c->buf[21] = 0;
		} else if (f >= 3) {
			c->buf[20] = 0;
			c->buf[21] = 0;
		}
		if (c->buf[23] == 1) {
			c->buf[th] = icmp4_types[rnd() % 10];
			if (rnd() % 2) {
				c->buf[th + 4] = 0;
				c->buf[th + 5] = 0;
			}
			c->buf[th + 8] = 0x45;
			c->buf[th + 17] = protos[rnd() % 10];
			if (rnd() % 4 != 0) {
				c->buf[th + 14] = 0;
				c->buf[th + 15] = 0;
			}
		}
	} else if (c->et == 0x86dd) {
		c->buf[20] = protos[rnd() % 10];
		if (c->buf[20] == 58) {
			c->buf[54] = icmp6_types[rnd() % 8];
			if (rnd() % 2) {
				c->buf[58] = 0;
				c->buf[59] = 0;
			}
			c->buf[68] = protos[rnd() % 10];
		}
	}
	c->len = rnd() % 8 == 0 ? (int)(rnd() % 160) : (int)(60 + rnd() % 101);
	c->vlan = rnd() % 2;
	c->tci = rnd() & 0xffff;
}

static u32 skb_hash(int policy, u8 *buf, int len, u16 proto, bool vlan, u16 tci)
{
	struct bonding bond = { .params.xmit_policy = policy };
	struct sk_buff skb = {
		.vlan_tci = tci, .vlan_present = vlan, .data = buf,
		.protocol = htons(proto), .network_offset = 14, .headlen = len,
	};

	return bond_xmit_hash(&bond, &skb);
}

static u32 xdp_hash(int policy, u8 *buf, int len)
{
	struct bonding bond = { .params.xmit_policy = policy };
	struct xdp_buff xdp = { .data = buf, .data_end = buf + len };

	return bond_xmit_hash_xdp(&bond, &xdp);
}

static u32 digest(u32 d, u32 h)
{
	return (d ^ h) * 16777619u;
}

static int unhex(const char *s, u8 *out)
{
	int n = 0;
	unsigned int b;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &b);
		out[n++] = b;
		s += 2;
	}
	return n;
}

/* Hand-made packets: the same hex strings are in logic/hash.rs. */
static const struct {
	const char *name;
	u16 proto;
	const char *hex;
} hand[] = {
	{ "V4_TCP", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000028 00000000 40060000 0a000001 0a000002"
	  "04d20050 00000000 00000000 50000000 00000000" },
	{ "V6_UDP", 0x86dd,
	  "02000000000a 02000000000b 86dd"
	  "60000000 00081140 20010db8000000000000000000000001 20010db8000000000000000000000002"
	  "14e90035 00080000" },
	{ "V4_TCP_MF", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000028 00002000 40060000 0a000001 0a000002"
	  "04d20050 00000000 00000000 50000000 00000000" },
	{ "V4_TCP_FRAG_OFFSET", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000028 000000b9 40060000 0a000001 0a000002"
	  "04d20050 00000000 00000000 50000000 00000000" },
	{ "ARP", 0x0806,
	  "001122334455 66778899aabb 0806"
	  "00010800 06040001 66778899aabb 0a000001 000000000000 0a000002" },
	{ "V4_ICMP_ECHO", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000054 00000000 40010000 0a000001 0a000002"
	  "08000000 12340001" },
	{ "V4_ICMP_UNREACH", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000038 00000000 40010000 c0a80101 0a000001"
	  "03030000 00000000"
	  "45000028 00000000 40110000 0a000001 0a000002 04d20050 00140000" },
	{ "V4_ICMP_UNREACH_TRUNC", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000038 00000000 40010000 c0a80101 0a000001"
	  "03030000 00000000"
	  "45000028 00000000 40110000 0a000001" },
	{ "VLAN_INBAND", 0x8100,
	  "001122334455 66778899aabb 8100 0064 0800"
	  "45000028 00000000 40060000 0a000001 0a000002"
	  "04d20050 00000000 00000000 50000000 00000000" },
	{ "V6_ICMP_ECHO_ID0", 0x86dd,
	  "02000000000a 02000000000b 86dd"
	  "60000000 00083a40 20010db8000000000000000000000001 20010db8000000000000000000000002"
	  "80000000 00000001" },
	{ "V4_AH", 0x0800,
	  "001122334455 66778899aabb 0800"
	  "45000028 00000000 40330000 0a000001 0a000002"
	  "06040000 deadbeef 00000001 00000000" },
	{ "SHORT", 0x0800, "0011223344" },
};

int main(void)
{
	static const int pol[4] = { 0, 1, 2, 5 };
	struct rcase c;
	u8 buf[200];
	u32 d_skb = 2166136261u, d_xdp = 2166136261u, d_enc = 2166136261u;
	unsigned int i, p;

	for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		int n = unhex(hand[i].hex, buf);

		printf("%-22s len %3d", hand[i].name, n);
		for (p = 0; p < 4; p++)
			printf(" p%d=%#010x", pol[p], skb_hash(pol[p], buf, n, hand[i].proto, false, 0));
		printf(" vlan(0x2064)=%#010x", skb_hash(5, buf, n, hand[i].proto, true, 0x2064));
		printf(" xdp34=%#010x\n", xdp_hash(1, buf, n));
	}

	st = 0x12345678;
	for (i = 0; i < 20000; i++) {
		gen_case(&c);
		for (p = 0; p < 4; p++) {
			d_skb = digest(d_skb, skb_hash(pol[p], c.buf, c.len, c.et, c.vlan, c.tci));
			d_xdp = digest(d_xdp, xdp_hash(pol[p], c.buf, c.len));
		}
		if (i < 4)
			printf("case %u len %d et %#06x: l2 %#010x l34 %#010x l23 %#010x vs %#010x\n",
			       i, c.len, c.et,
			       skb_hash(0, c.buf, c.len, c.et, c.vlan, c.tci),
			       skb_hash(1, c.buf, c.len, c.et, c.vlan, c.tci),
			       skb_hash(2, c.buf, c.len, c.et, c.vlan, c.tci),
			       skb_hash(5, c.buf, c.len, c.et, c.vlan, c.tci));
	}

	for (i = 0; i < 20000; i++) {
		u8 eth[14];
		u32 t = rnd() % 4;
		int j, len;
		struct sk_buff skb = { 0 };
		struct bonding bond = { 0 };

		memset(&encap_fixture, 0, sizeof(encap_fixture));
		encap_fixture.control.addr_type = t == 0 ? FLOW_DISSECTOR_KEY_CONTROL :
			t == 1 ? FLOW_DISSECTOR_KEY_IPV4_ADDRS :
			t == 2 ? FLOW_DISSECTOR_KEY_IPV6_ADDRS : FLOW_DISSECTOR_KEY_TIPC;
		for (j = 0; j < 32; j++)
			((u8 *)&encap_fixture.addrs)[j] = rnd() & 0xff;
		for (j = 0; j < 4; j++)
			((u8 *)&encap_fixture.ports.ports)[j] = rnd() & 0xff;
		encap_fixture.icmp.type = rnd() & 0xff;
		encap_fixture.icmp.code = rnd() & 0xff;
		encap_fixture.icmp.id = rnd() % 2 ? rnd() & 0xffff : 0;
		encap_fixture_ok = rnd() % 8 != 0;
		for (j = 0; j < 14; j++)
			eth[j] = rnd() & 0xff;
		len = rnd() % 8 == 0 ? (int)(rnd() % 14) : 14;
		skb.l4_hash = rnd() % 4 == 0;
		skb.hash = rnd();
		skb.vlan_present = rnd() % 2;
		skb.vlan_tci = rnd() & 0xffff;
		skb.data = eth;
		skb.headlen = len;
		skb.network_offset = 14;
		skb.protocol = htons(eth[12] << 8 | eth[13]);
		for (p = 3; p <= 4; p++) {
			bond.params.xmit_policy = p;
			d_enc = digest(d_enc, bond_xmit_hash(&bond, &skb));
		}
	}
	printf("digest skb %#010x xdp %#010x encap %#010x\n", d_skb, d_xdp, d_enc);
	return 0;
}
