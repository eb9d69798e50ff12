// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Why the module is missing, on fake root trees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "../../tools/diagnose.h"

static char root[64];
static char why[1024];

static void put(const char *rel, const char *text)
{
	char path[256], cmd[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd))
		abort();
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static int diag(void)
{
	return (int)ts_module_diagnose(root, "6.1.0-9-amd64", why, sizeof(why));
}

TEST(diagnose_module)
{
	char cmd[256];

	strcpy(root, "/tmp/tcpstate-diag.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	/* Nothing at all: not built for this kernel; dkms and modprobe named. */
	CHECK_EQ(diag(), TS_MOD_NOT_INSTALLED);
	CHECK(strstr(why, "running kernel 6.1.0-9-amd64") != NULL);
	CHECK(strstr(why, "dkms status") != NULL);
	/*
	 * A module for another kernel does not count, nor one that build/
	 * (a link to a source tree) leads to.
	 */
	put("lib/modules/6.12.0-1-amd64/updates/dkms/tcpstate.ko", "");
	put("lib/modules/6.1.0-9-amd64/modules.order", "");
	snprintf(cmd, sizeof(cmd),
		 "ln -s ../6.12.0-1-amd64 %s/lib/modules/6.1.0-9-amd64/build",
		 root);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(diag(), TS_MOD_NOT_INSTALLED);
	put("lib/modules/6.1.0-9-amd64/updates/dkms/tcpstate.ko.xz", "");
	CHECK_EQ(diag(), TS_MOD_NOT_IN_DEP);
	CHECK(strstr(why, "depmod") != NULL);
	put("lib/modules/6.1.0-9-amd64/modules.dep",
	    "kernel/fs/x.ko:\nupdates/dkms/tcpstate.ko.xz:\n");
	CHECK_EQ(diag(), TS_MOD_NOT_AUTOLOADED);
	CHECK(strstr(why, "sudo modprobe tcpstate") != NULL);
	put("etc/modprobe.d/local.conf", "# no\nblacklist tcpstate\n");
	CHECK_EQ(diag(), TS_MOD_BLACKLISTED);
	CHECK(strstr(why, "/etc/modprobe.d/local.conf:2") != NULL);
	put("lib/modprobe.d/zz.conf", "options foo x=1\n  install tcpstate /bin/false\n");
	CHECK_EQ(diag(), TS_MOD_INSTALL_BLOCKED);
	CHECK(strstr(why, "/lib/modprobe.d/zz.conf:2") != NULL);
	put("proc/sys/kernel/modules_disabled", "1\n");
	CHECK_EQ(diag(), TS_MOD_LOADING_DISABLED);
	put("sys/module/tcpstate/version", "0.1.0\n");
	CHECK_EQ(diag(), TS_MOD_LOADED_NO_FAMILY);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_EQ(system(cmd), 0);
}
