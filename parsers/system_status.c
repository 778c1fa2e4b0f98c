/* SPDX-License-Identifier: ISC */
/*
 * system_status - parse `get system status`; see the header.
 *
 * Every line is "Key: value" as the terminal shows it (pu_visible); the
 * version and HA lines are taken apart, the others are looked up in
 * ss_keys and kept as printed.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "system_status.h"

static int
ss_str(struct system_status *st, const char **dst, const char *v, size_t vn)
{
	pu_trim(&v, &vn);
	if (vn == 0)
		return (0);
	if ((*dst = pa_strndup(st->arena, v, vn)) == NULL)
		return (-1);
	st->n++;
	return (0);
}

static void
ss_num(struct system_status *st, pnum *dst, const char *v, size_t vn)
{
	pnum	x;

	pu_trim(&v, &vn);
	if (vn > 0 && pu_num(v, vn, &x) == vn) {
		*dst = x;
		st->n++;
	}
}

/* "v7.4.8" -> 7, 4, 8; "v5.0" -> 5, 0, unknown. */
static void
ss_version_parts(struct system_status *st, const char *v, size_t vn)
{
	pnum	*part[3];
	size_t	 i = 1, k, p;
	pnum	 x;

	part[0] = &st->major;
	part[1] = &st->minor;
	part[2] = &st->patch;
	for (p = 0; p < 3 && i < vn; p++) {
		if ((k = pu_num(v + i, vn - i, &x)) == 0)
			return;
		*part[p] = x;
		i += k;
		if (i >= vn || v[i] != '.')
			return;
		i++;
	}
}

/*
 * "FortiGate-60F v7.4.8,build2795,250523 (GA.M)": the model runs to the
 * token that starts with 'v' and a digit; the rest is comma-separated,
 * and any field may be missing.
 */
static int
ss_version(struct system_status *st, const char *v, size_t vn)
{
	size_t	i, start, end;
	pnum	x;

	pu_trim(&v, &vn);
	for (i = 0; i < vn; i++) {
		if (v[i] == 'v' && i + 1 < vn && v[i + 1] >= '0' &&
		    v[i + 1] <= '9' && (i == 0 || v[i - 1] == ' '))
			break;
	}
	if (i == vn)
		return (ss_str(st, &st->model, v, vn));
	if (i > 0 && ss_str(st, &st->model, v, i) != 0)
		return (-1);
	start = i;
	while (i < vn && v[i] != ',' && v[i] != ' ')
		i++;
	if (ss_str(st, &st->version, v + start, i - start) != 0)
		return (-1);
	ss_version_parts(st, v + start, i - start);
	if (i < vn && v[i] == ',') {
		i++;
		if (pu_starts(v + i, vn - i, "build") &&
		    (end = pu_num(v + i + 5, vn - i - 5, &x)) > 0) {
			st->build = x;
			i += 5 + end;
		}
		if (i < vn && v[i] == ',') {
			start = ++i;
			while (i < vn && v[i] >= '0' && v[i] <= '9')
				i++;
			if (i > start && ss_str(st, &st->build_date, v + start,
			    i - start) != 0)
				return (-1);
		}
	}
	while (i < vn && v[i] != '(')
		i++;
	if (i < vn) {
		start = ++i;
		while (i < vn && v[i] != ')')
			i++;
		if (ss_str(st, &st->release, v + start, i - start) != 0)
			return (-1);
	}
	return (0);
}

static int
ss_ha(struct system_status *st, const char *v, size_t vn)
{
	long	comma;

	pu_trim(&v, &vn);
	if (ss_str(st, &st->ha_mode, v, vn) != 0)
		return (-1);
	if ((comma = pu_find(v, vn, ",")) >= 0)
		return (ss_str(st, &st->ha_role, v + comma + 1,
		    vn - comma - 1));
	return (0);
}

/*
 * The plain "Key: value" lines fgtop keeps, and where: a string, or a
 * number (num set).  The first one printed wins.
 */
static const struct ss_key {
	const char	*key;
	size_t		 off;
	int		 num;
} ss_keys[] = {
	{ "Hostname", offsetof(struct system_status, hostname), 0 },
	{ "Serial-Number", offsetof(struct system_status, serial), 0 },
	{ "Operation Mode", offsetof(struct system_status, operation_mode), 0 },
	{ "Current virtual domain",
	    offsetof(struct system_status, current_vdom), 0 },
	{ "Virtual domain configuration",
	    offsetof(struct system_status, vdom_mode), 0 },
	{ "Release Version Information",
	    offsetof(struct system_status, release_info), 0 },
	{ "System time", offsetof(struct system_status, system_time), 0 },
	{ "Last reboot reason",
	    offsetof(struct system_status, last_reboot), 0 },
	{ "Branch point", offsetof(struct system_status, branch_point), 1 },
	{ "Max number of virtual domains",
	    offsetof(struct system_status, max_vdoms), 1 },
};

static int
ss_keyed(struct system_status *st, const struct ss_key *k, const char *v,
    size_t vn)
{
	const char	**str;
	pnum		 *num;

	if (k->num) {
		num = (pnum *)((char *)st + k->off);
		if (*num == PNUM_UNKNOWN)
			ss_num(st, num, v, vn);
		return (0);
	}
	str = (const char **)((char *)st + k->off);
	return (*str != NULL ? 0 : ss_str(st, str, v, vn));
}

static int
ss_line(struct system_status *st, const char *s, size_t n)
{
	const char	*key, *v;
	size_t		 kn, vn, i;
	long		 colon;

	/* Trim first: a CR CR LF ending is no pager erase. */
	pu_trim(&s, &n);
	pu_visible(&s, &n);
	if ((colon = pu_find(s, n, ":")) <= 0)
		return (0);
	key = s;
	kn = colon;
	v = s + colon + 1;
	vn = n - colon - 1;
	if (kn == 7 && memcmp(key, "Version", 7) == 0)
		return (st->version != NULL ? 0 : ss_version(st, v, vn));
	if (kn == 15 && memcmp(key, "Current HA mode", 15) == 0)
		return (st->ha_mode != NULL ? 0 : ss_ha(st, v, vn));
	for (i = 0; i < sizeof(ss_keys) / sizeof(ss_keys[0]); i++) {
		if (strlen(ss_keys[i].key) == kn &&
		    memcmp(ss_keys[i].key, key, kn) == 0)
			return (ss_keyed(st, &ss_keys[i], v, vn));
	}
	return (0);
}

struct system_status *
system_status_parse(const char *buf, size_t len)
{
	struct system_status	*st;
	struct parena		*pa;
	struct plines		 pl;
	const char		*line;
	size_t			 n;

	if ((st = pa_new_result(sizeof(*st), &pa)) == NULL)
		return (NULL);
	st->arena = pa;
	st->major = st->minor = st->patch = st->build = PNUM_UNKNOWN;
	st->max_vdoms = st->branch_point = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		if (ss_line(st, line, n) != 0) {
			pa_free(pa);
			return (NULL);
		}
	}
	return (st);
}

void
system_status_free(struct system_status *st)
{
	if (st != NULL)
		pa_free(st->arena);
}

int
system_status_at_least(const struct system_status *st, int major, int minor,
    int patch)
{
	pnum	have[3], want[3];
	int	i;

	if (st == NULL || st->major == PNUM_UNKNOWN)
		return (-1);
	have[0] = st->major;
	have[1] = st->minor == PNUM_UNKNOWN ? 0 : st->minor;
	have[2] = st->patch == PNUM_UNKNOWN ? 0 : st->patch;
	want[0] = major;
	want[1] = minor;
	want[2] = patch;
	for (i = 0; i < 3; i++) {
		if (have[i] != want[i])
			return (have[i] > want[i]);
	}
	return (1);
}
