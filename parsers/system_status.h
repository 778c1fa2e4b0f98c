/* SPDX-License-Identifier: ISC */
/*
 * system_status - parse `get system status`.
 *
 * One "Key: value" line per field, from FortiOS 5.0 to 7.6; the set of
 * lines grows with every release (DB versions, security level, reboot
 * reason), so only the keys fgtop needs are read and the rest skipped.
 * The version line carries the model, version, build, build date and
 * release type:
 *   Version: FortiGate-60F v7.4.8,build2795,250523 (GA.M)
 *   Version: FortiGate-VM v5.0,build0228,130809 (GA Patch 4)
 * The numeric version (major.minor.patch) is kept so that callers can
 * pick the command syntax of the device (e.g. the IKE log filter changed
 * in 7.4.1): see system_status_at_least.
 *
 * Ownership: the result and every string in it belong to its arena;
 * system_status_free releases all of it.  Strings the device did not print
 * are NULL, numbers PNUM_UNKNOWN.
 */
#ifndef SYSTEM_STATUS_H
#define SYSTEM_STATUS_H

#include "util.h"

struct system_status {
	struct parena	*arena;
	size_t		 n;		/* fields recognised */

	const char	*version;	/* "v7.4.8" */
	pnum		 major;		/* 7 */
	pnum		 minor;		/* 4 */
	pnum		 patch;		/* 8; unknown for "v5.0" */
	pnum		 build;		/* 2795 ("build0228" -> 228) */
	const char	*build_date;	/* "250523" as printed */
	const char	*model;		/* "FortiGate-60F" */
	const char	*release;	/* "GA.M", "GA Patch 4" */

	const char	*hostname;
	const char	*serial;
	const char	*operation_mode;	/* "NAT", "Transparent" */
	const char	*current_vdom;
	pnum		 max_vdoms;
	const char	*vdom_mode;	/* disable|enable|multiple|split-task */
	const char	*ha_mode;	/* as printed: "a-p, master" */
	const char	*ha_role;	/* text after the comma: "master" */
	pnum		 branch_point;
	const char	*release_info;	/* "Release Version Information" */
	const char	*system_time;
	const char	*last_reboot;	/* "Last reboot reason" (7.x) */
};

/* NULL only when memory runs out. */
struct system_status	*system_status_parse(const char *, size_t);
void			 system_status_free(struct system_status *);

/*
 * Is the device's FortiOS at least major.minor.patch?  1 yes, 0 no, -1 when
 * the version is unknown.  A missing patch number counts as 0.
 */
int	system_status_at_least(const struct system_status *, int, int, int);

#endif
