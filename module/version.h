/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSTATE_VERSION_H
#define _TCPSTATE_VERSION_H

/* Normally passed in by Kbuild from the VERSION file or git. */
#ifndef TCPSTATE_VERSION
#define TCPSTATE_VERSION "0.1.0"
#endif

#endif /* _TCPSTATE_VERSION_H */
