/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Why the "tcpstate" generic netlink family is missing, as precisely as
 * files can tell: not installed for the running kernel, loading disabled or
 * blocked by modprobe.d, not in modules.dep, loaded without its family.
 */
#ifndef TCPSTATECTL_DIAGNOSE_H
#define TCPSTATECTL_DIAGNOSE_H

#include <stddef.h>

enum ts_module_why {
	TS_MOD_LOADED_NO_FAMILY,	/* /sys/module/tcpstate, no family */
	TS_MOD_LOADING_DISABLED,	/* kernel.modules_disabled = 1 */
	TS_MOD_NOT_INSTALLED,		/* no tcpstate.ko* for this kernel */
	TS_MOD_INSTALL_BLOCKED,		/* modprobe.d "install tcpstate ..." */
	TS_MOD_BLACKLISTED,		/* modprobe.d "blacklist tcpstate" */
	TS_MOD_NOT_IN_DEP,		/* installed, depmod not run */
	TS_MOD_NOT_AUTOLOADED,		/* installed, yet not loaded */
};

/*
 * Look under @root ("" for /, a directory in tests) for kernel @release
 * and write one line, "why; what to run", to @buf. Returns the reason.
 */
enum ts_module_why ts_module_diagnose(const char *root, const char *release,
				      char *buf, size_t len);

#endif
