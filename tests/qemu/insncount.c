// SPDX-License-Identifier: GPL-2.0
/*
 * insncount: a QEMU TCG plugin that counts the instructions each vCPU
 * executes, and prints every vCPU's count whenever the guest executes the
 * marker instruction (tests/scenario/insnmark.h). Benchmarks bracket a run
 * with two markers and get, exactly and repeatably, what each CPU did in
 * between: the loop's CPU and the subscriber's CPU apart, which guest
 * clocks cannot tell (under -icount both vCPUs advance one clock).
 *
 * Loaded by tests/qemu/run.sh when QEMU_PLUGIN=insncount; the marks go to
 * QEMU's log (-d plugin -D FILE), one line each:
 *     MARK <n> <vcpu count> <insns of vCPU 0> <insns of vCPU 1> ...
 * where n counts marks from 0 in the order they executed.
 *
 * Counting is per translated block, at its entry: a block left early (an
 * exception, an interrupt under -icount) counts whole. That is a handful
 * of instructions in a benchmark's millions, the same for every setup.
 *
 * Written against QEMU's plugin API version 1 (QEMU 7.2, Debian 12). Only
 * the few calls used here are declared, so no QEMU source is needed to
 * build it; the vCPU callbacks run on one thread under round-robin TCG
 * (and with -icount), which is how bench/run.sh boots with it.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* The plugin API, version 1 (include/qemu/qemu-plugin.h in QEMU 7.2). */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

EXPORT int qemu_plugin_version = 1;

/* nopl 0x54534d4b(%rax): "KMST", see tests/scenario/insnmark.h */
static const uint8_t marker[] = { 0x0f, 0x1f, 0x80, 0x4b, 0x4d, 0x53, 0x54 };

#define MAX_VCPUS 64

static uint64_t insns[MAX_VCPUS];
static unsigned int nvcpus = 1;
static uint64_t marks;

static void tb_exec(unsigned int vcpu, void *n)
{
	if (vcpu < MAX_VCPUS) {
		insns[vcpu] += (uintptr_t)n;
		if (vcpu >= nvcpus)
			nvcpus = vcpu + 1;
	}
}

static void mark_exec(unsigned int vcpu, void *unused)
{
	char line[64 + MAX_VCPUS * 21];
	size_t len;
	unsigned int i;

	(void)vcpu;
	(void)unused;
	len = (size_t)snprintf(line, sizeof(line), "MARK %" PRIu64 " %u",
			       marks++, nvcpus);
	for (i = 0; i < nvcpus && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" %" PRIu64, insns[i]);
	if (len < sizeof(line) - 1) {
		line[len++] = '\n';
		line[len] = '\0';
	}
	qemu_plugin_outs(line);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), marker, sizeof(marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_exec,
							       QEMU_PLUGIN_CB_NO_REGS,
							       NULL);
	}
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const void *info,
			       int argc, char **argv)
{
	(void)info;
	(void)argc;
	(void)argv;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
