/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into every tcpstate source file. Only shims live here: code
 * elsewhere is written against the newest API and this file adapts older
 * kernels, keyed on the probes in Kbuild.include.
 */
#ifndef _TCPSTATE_COMPAT_H
#define _TCPSTATE_COMPAT_H

/* Every message of the module starts with "tcpstate: ". */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "tcpstate needs Linux 6.1 or newer"
#endif

#include <net/genetlink.h>

/*
 * Parsed request attributes inside a dump callback. 6.12 wraps them in a
 * struct genl_info (genl_info_dump()); 6.1 keeps them in genl_dumpit_info.
 */
static inline struct nlattr **tcpstate_dump_attrs(struct netlink_callback *cb)
{
#ifdef TCPSTATE_COMPAT_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Whether a multicast group can require CAP_NET_ADMIN to join
 * (GENL_MCAST_CAP_NET_ADMIN: 6.7+, backported to 6.1.y). Without it there
 * is no events group and there are no event probes (netlink.c, events.c).
 */
#ifdef TCPSTATE_COMPAT_MCAST_CAP
#define TCPSTATE_MCAST_RESTRICTABLE true
#else
#define TCPSTATE_MCAST_RESTRICTABLE false
#endif

/*
 * Function-entry hooks through ftrace_ops with argument registers only
 * (no full pt_regs). 6.12 reads them with ftrace_regs_get_argument(); 6.1
 * has not got it yet, but x86's ftrace_regs is then a pt_regs whose
 * argument registers ftrace_caller fills.
 */
#include <linux/ftrace.h>
#if defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS) && defined(ftrace_regs_get_argument)
#define TCPSTATE_HAVE_FTRACE_HOOK 1
#elif defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS) && defined(CONFIG_X86_64)
#define TCPSTATE_HAVE_FTRACE_HOOK 1
#define ftrace_regs_get_argument(fregs, n) \
	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

#endif /* _TCPSTATE_COMPAT_H */
