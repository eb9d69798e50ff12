// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diagnose.h"

#define PATHLEN 4096

/* A tcpstate.ko, .ko.xz, .ko.zst or .ko.gz under @dir; its path in @found. */
static bool find_ko(const char *dir, int depth, char *found, size_t len)
{
	char path[PATHLEN];
	struct dirent *e;
	struct stat st;
	bool hit = false;
	DIR *d;

	if (depth > 8)
		return false;
	d = opendir(dir);
	if (!d)
		return false;
	while (!hit && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     e->d_name) >= sizeof(path))
			continue;
		/* lstat: build/ and source/ are links to whole source trees. */
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			hit = find_ko(path, depth + 1, found, len);
		} else if (S_ISREG(st.st_mode) &&
			   (!strcmp(e->d_name, "tcpstate.ko") ||
			    !strncmp(e->d_name, "tcpstate.ko.", 12))) {
			snprintf(found, len, "%s", path);
			hit = true;
		}
	}
	closedir(d);
	return hit;
}

/*
 * A modprobe.d line "@word tcpstate ..." in any *.conf of the directories
 * modprobe reads; "FILE:LINE" in @where.
 */
static bool modprobe_d(const char *root, const char *word, char *where,
		       size_t len)
{
	static const char *const dirs[] = {
		"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
		"/lib/modprobe.d", "/usr/lib/modprobe.d",
	};
	char path[PATHLEN], line[512], w[32], name[64];
	struct dirent *e;
	size_t i, n;
	bool hit = false;
	DIR *d;
	FILE *f;
	int lineno;

	for (i = 0; !hit && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		d = opendir(path);
		if (!d)
			continue;
		while (!hit && (e = readdir(d))) {
			n = strlen(e->d_name);
			if (n < 5 || strcmp(e->d_name + n - 5, ".conf"))
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s%s/%s", root,
					     dirs[i], e->d_name) >= sizeof(path))
				continue;
			f = fopen(path, "r");
			if (!f)
				continue;
			for (lineno = 1; fgets(line, sizeof(line), f); lineno++) {
				if (sscanf(line, " %31s %63s", w, name) == 2 &&
				    !strcmp(w, word) && !strcmp(name, "tcpstate")) {
					snprintf(where, len, "%s%s:%d",
						 dirs[i], path + strlen(path) -
						 n - 1, lineno);
					hit = true;
					break;
				}
			}
			fclose(f);
		}
		closedir(d);
	}
	return hit;
}

static bool file_has(const char *path, const char *needle)
{
	char line[1024];
	bool hit = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!hit && fgets(line, sizeof(line), f))
		hit = strstr(line, needle) != NULL;
	fclose(f);
	return hit;
}

enum ts_module_why ts_module_diagnose(const char *root, const char *release,
				      char *buf, size_t len)
{
	char path[PATHLEN], ko[PATHLEN], where[PATHLEN];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sys/module/tcpstate", root);
	if (!stat(path, &st)) {
		snprintf(buf, len,
			 "it is loaded (/sys/module/tcpstate) but its generic netlink family is missing, still loading or failed to register (see dmesg); reload it: sudo modprobe -r tcpstate && sudo modprobe tcpstate");
		return TS_MOD_LOADED_NO_FAMILY;
	}
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/modules_disabled", root);
	if (file_has(path, "1")) {
		snprintf(buf, len,
			 "module loading is disabled on this system (kernel.modules_disabled = 1) until the next boot; load tcpstate at boot, before it is disabled (e.g. /etc/modules-load.d), then reboot");
		return TS_MOD_LOADING_DISABLED;
	}
	snprintf(path, sizeof(path), "%s/lib/modules/%s", root, release);
	if (!find_ko(path, 0, ko, sizeof(ko))) {
		snprintf(buf, len,
			 "none is installed for the running kernel %.64s (no tcpstate.ko* under /lib/modules/%.64s); check 'dkms status tcpstate' (a DKMS build needs linux-headers-%.64s) or build and install it from the source (make && sudo make modules_install), then: sudo modprobe tcpstate",
			 release, release, release);
		return TS_MOD_NOT_INSTALLED;
	}
	if (modprobe_d(root, "install", where, sizeof(where))) {
		snprintf(buf, len,
			 "loading it is blocked by an 'install tcpstate' line (%.256s); remove that line, then: sudo modprobe tcpstate",
			 where);
		return TS_MOD_INSTALL_BLOCKED;
	}
	if (modprobe_d(root, "blacklist", where, sizeof(where))) {
		snprintf(buf, len,
			 "it is blacklisted (%.256s), so it is not loaded on demand; load it by name: sudo modprobe tcpstate",
			 where);
		return TS_MOD_BLACKLISTED;
	}
	snprintf(path, sizeof(path), "%s/lib/modules/%s/modules.dep", root,
		 release);
	if (!file_has(path, "tcpstate.ko")) {
		snprintf(buf, len,
			 "it is installed (%.256s) but not in modules.dep, so modprobe cannot find it; run: sudo depmod -a && sudo modprobe tcpstate",
			 ko + strlen(root));
		return TS_MOD_NOT_IN_DEP;
	}
	snprintf(buf, len,
		 "it is installed (%.256s) but was not loaded on demand; run: sudo modprobe tcpstate (if it fails, see dmesg: with Secure Boot the module must be signed with an enrolled key)",
		 ko + strlen(root));
	return TS_MOD_NOT_AUTOLOADED;
}
