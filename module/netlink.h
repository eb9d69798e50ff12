/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSTATE_NETLINK_H
#define _TCPSTATE_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family tcpstate_genl_family;

int tcpstate_genl_init(void);
void tcpstate_genl_exit(void);

#endif /* _TCPSTATE_NETLINK_H */
