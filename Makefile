# SPDX-License-Identifier: GPL-2.0
# tcpstate: kernel module (module/) and command-line tool (tools/).
#
#   make                  module + tool, against the running kernel
#   make KDIR=/path       module against other kernel headers
#   make W=1 C=1          extra warnings and sparse, as CI builds
#   make check            every test: unit, build matrix, QEMU on 6.1 + 6.12
#                         (every case) and their rt flavours (a subset)
#   make check-rt         the whole QEMU suite on the 6.1 and 6.12 rt kernels
#   make check-mutants    the mutation lane: each tests/mutants/*.patch bug
#                         must make its named tests fail (not in make check;
#                         MUTANTS=regex picks some, SERIES= the kernel)
#   make demo             boot 6.12 with the module and diagnose stuck sockets
#   make deps             install the Debian packages all of the above needs
#   make deb              the Debian packages tcpstate-dkms and tcpstatectl
#                         (dpkg-buildpackage -us -uc -b), into build/deb
#   make install          the tool (built first if needed), its man page and
#                         bash completion into $(DESTDIR)$(PREFIX); never the
#                         module (PREFIX=/usr/local by default)
#   make uninstall        remove what make install installed
#   make modules_install  the module, through the kernel's build system, into
#                         /lib/modules/$(KVER) (or under INSTALL_MOD_PATH=dir)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
TCPSTATE_VERSION ?= $(shell scripts/version.sh)
export TCPSTATE_VERSION

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

GUEST := build/guest
SCENARIO_SRCS := $(wildcard tests/scenario/*.c)
SCENARIO_BINS := $(patsubst tests/scenario/%.c,$(GUEST)/scenario/%,$(SCENARIO_SRCS))

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

# The guest runs the host-built tool (with its shared libraries copied in)
# and statically linked scenario programs.
guest-bin: $(SCENARIO_BINS)
	$(MAKE) -C tools WERROR=1
	mkdir -p $(GUEST)
	cp tools/tcpstatectl $(GUEST)/tcpstatectl

$(GUEST)/scenario/%: tests/scenario/%.c $(wildcard tests/scenario/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -static -pthread -o $@ $<

# The benchmarks' QEMU plugin (tests/qemu/insncount.c): built here for
# tests/qemu/run.sh (QEMU_PLUGIN=insncount) and for the build matrix.
PLUGIN := build/insncount.so
plugin: $(PLUGIN)

$(PLUGIN): tests/qemu/insncount.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o $@ $<

check:
	tests/check.sh

# The whole guest suite on both PREEMPT_RT kernels (make check runs a
# subset there: tests/lib/kernel.sh, KERNEL_CASES_RT).
check-rt:
	KERNEL_SERIES="6.1-rt 6.12-rt" KERNEL_CASES_RT= tests/check.sh

test-unit:
	tests/unit/run.sh

test-build:
	tests/build-matrix.sh

# The guest suite on a KASAN + lockdep + kmemleak 6.12 kernel, built once.
check-debug:
	tests/debug/run.sh

# The same on its PREEMPT_RT variant (+ raw-lock nesting checks), built once.
check-debug-rt:
	DEBUG_VARIANT=rt tests/debug/run.sh

# Plausible bugs (tests/mutants/*.patch), each applied to a copy of the
# tree: the tests each one names must fail. Not part of make check (time).
check-mutants:
	SERIES=$(or $(SERIES),6.12) tests/mutants/run.sh '$(MUTANTS)'

# make fuzz FUZZ_SECONDS=3600: a longer run of the host fuzzer
fuzz:
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),600) tests/fuzz/run.sh

# The 1000-cycle insmod/rmmod soak under churn, on both kernels (~1 hour).
soak:
	for s in 6.1 6.12; do \
		QEMU_TIMEOUT=7200 tests/qemu/run.sh $$s manual/lifecycle-soak || exit 1; \
	done

# make test-qemu SERIES=6.12 CASES=regex
test-qemu:
	tests/qemu/run.sh $(or $(SERIES),6.12) $(CASES)

demo:
	scripts/demo.sh

deps:
	scripts/deps.sh

deb:
	scripts/deb.sh

# The tool, its man page and completion; the module is modules_install's.
install: tools
	$(INSTALL) -D -m 0755 tools/tcpstatectl $(DESTDIR)$(SBINDIR)/tcpstatectl
	$(INSTALL) -D -m 0644 man/tcpstatectl.8 $(DESTDIR)$(MANDIR)/man8/tcpstatectl.8
	$(INSTALL) -D -m 0644 completion/tcpstatectl.bash \
		$(DESTDIR)$(BASHCOMPDIR)/tcpstatectl

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/tcpstatectl
	rm -f $(DESTDIR)$(MANDIR)/man8/tcpstatectl.8
	rm -f $(DESTDIR)$(BASHCOMPDIR)/tcpstatectl

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) \
		$(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) \
		modules_install

clean:
	$(MAKE) -C tools clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build

.PHONY: all module tools guest-bin plugin check check-rt check-debug check-debug-rt check-mutants test-unit test-build test-qemu demo deps deb clean fuzz soak \
	install uninstall modules_install
