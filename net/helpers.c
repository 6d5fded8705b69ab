// SPDX-License-Identifier: GPL-2.0
/* See helpers.h: one-line wrappers, nothing else. */

#include "helpers.h"

void *rust_bond_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}
