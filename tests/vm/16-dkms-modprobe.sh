# The module as DKMS built and installed it on the host (tests/dkms/host.sh):
# under /lib/modules/KVER/updates/dkms, found by depmod, loaded by
# modprobe, and autoloaded by the first tcpstatectl call through its
# generic netlink family alias.
. /tests/lib.sh

ko=/lib/tcpstate/dkms/tcpstate.ko
if [ ! -f "$ko" ]; then
	fail "no DKMS-built module in the guest: run tests/dkms/host.sh first (make check does)"
	finish
fi
unload_module
kver=$(uname -r)
dir=/lib/modules/$kver/updates/dkms
mkdir -p "$dir"
cp "$ko" "$dir/tcpstate.ko"
# A real system has these in /sbin; the kernel calls /sbin/modprobe.
ln -sf /bin/busybox /sbin/modprobe
ln -sf /bin/busybox /sbin/depmod
check "depmod" depmod
check "modules.dep lists it" grep -q 'updates/dkms/tcpstate.ko' "/lib/modules/$kver/modules.dep"
check "modprobe tcpstate" modprobe tcpstate
check "loaded" test -d /sys/module/tcpstate
# DKMS builds from a source tree without git: the plain release number.
expect_match "module version is the release" \
	"$(cat /sys/module/tcpstate/version)" '^[0-9]+\.[0-9]+\.[0-9]+$'
expect_match "tcpstatectl talks to it" "$(tcpstatectl version 2>&1)" \
	"^tcpstate module $(cat /sys/module/tcpstate/version)\$"
check "modprobe -r tcpstate" modprobe -r tcpstate
check "unloaded" test ! -d /sys/module/tcpstate
# Autoload: the family lookup asks for net-pf-16-proto-16-family-tcpstate.
out=$(tcpstatectl counts 2>&1)
echo "$out" | head -n 3
check "tcpstatectl autoloaded the module" test -d /sys/module/tcpstate
expect_match "and got an answer" "$out" "Total"
rmmod tcpstate
# Leave no alias behind: later cases expect "module is not loaded".
rm -rf "/lib/modules/$kver/updates"
depmod
out=$(tcpstatectl version 2>&1)
expect_match "without the alias, the clear error again" "$out" "not loaded"
check "and nothing was loaded" test ! -d /sys/module/tcpstate
finish
