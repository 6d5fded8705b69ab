/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line wrappers for static inline functions and macros that bindgen
 * cannot turn into callable symbols. No logic and no state here.
 */
#ifndef RUST_BOND_NET_HELPERS_H
#define RUST_BOND_NET_HELPERS_H

#include <linux/netdevice.h>

void *rust_bond_netdev_priv(const struct net_device *dev);

#endif
