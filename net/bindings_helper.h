/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C APIs rust_bond's net layer wraps. bindgen runs over this header from
 * Kbuild with the kernel's own bindgen flags, for the parts of the kernel
 * that 6.12's kernel::bindings does not reach (net_device is opaque there).
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_bonding.h>
#include <linux/mii.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/rtnetlink.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "helpers.h"
