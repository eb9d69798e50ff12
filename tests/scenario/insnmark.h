/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The marker instruction of the insncount QEMU plugin
 * (tests/qemu/insncount.c): a 7-byte no-op, nopl 0x54534d4b(%rax), whose
 * displacement ("KMST") no compiler emits. Executing it makes the plugin
 * log every vCPU's executed-instruction count; anywhere else it does
 * nothing.
 */
#ifndef TCPSTATE_INSNMARK_H
#define TCPSTATE_INSNMARK_H

static inline void insn_mark(void)
{
#if defined(__x86_64__)
	__asm__ volatile(".byte 0x0f, 0x1f, 0x80, 0x4b, 0x4d, 0x53, 0x54" ::: "memory");
#endif
}

#endif
