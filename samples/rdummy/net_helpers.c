// SPDX-License-Identifier: GPL-2.0
/* The net layer's C helpers, built again for the rdummy module. */
#include "../../net/helpers.c"
