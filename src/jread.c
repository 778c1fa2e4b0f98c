/* SPDX-License-Identifier: ISC */
/*
 * jread - the journal reader; see jread.h.
 *
 * Lines are read with getline, so a line costs what it holds and no more
 * (a snapshot of a large estate is one long line).  Each line is decoded
 * with jansson whole; nothing is guessed from a line that does not
 * decode.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jread.h"
#include "model.h"
#include "model_load.h"
#include "xmalloc.h"

/* The event types the model writes (model.h); the reader's one list. */
static const char *const jread_types[] = {
	"device-state", "tunnel-added", "tunnel-removed", "tunnel-state",
	"phase1", "sa", "rekey", "counter-reset", "finding-raised",
	"finding-cleared", "tool", "snapshot",
};

static const char *
jread_type(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < sizeof jread_types /
	    sizeof jread_types[0]; i++)
		if (strcmp(s, jread_types[i]) == 0)
			return (jread_types[i]);
	return (NULL);
}

/* Times. */

/* 1 to max digits at *p; the value, or -1 when fewer than min. */
static int
jread_digits(const char **p, int min, int max)
{
	int	 v = 0, n = 0;

	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return (n < min ? -1 : v);
}

/* "HH:MM[:SS[.fff]]" at *p into tm and *frac; -1 if not one. */
static int
jread_clock(const char **p, struct tm *tm, double *frac)
{
	double	 scale = 0.1;

	*frac = 0;
	if ((tm->tm_hour = jread_digits(p, 1, 2)) < 0 || **p != ':')
		return (-1);
	(*p)++;
	if ((tm->tm_min = jread_digits(p, 2, 2)) < 0)
		return (-1);
	tm->tm_sec = 0;
	if (**p == ':') {
		(*p)++;
		if ((tm->tm_sec = jread_digits(p, 2, 2)) < 0)
			return (-1);
		if (**p == '.' || **p == ',') {
			(*p)++;
			if (!isdigit((unsigned char)**p))
				return (-1);
			for (; isdigit((unsigned char)**p); (*p)++) {
				*frac += (**p - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
		return (-1);
	return (0);
}

static double
jread_relative(const char *s, double now)
{
	char	*end;
	double	 v;

	if (!isdigit((unsigned char)s[1]))
		return (NAN);
	v = strtod(s + 1, &end);
	switch (*end) {
	case 's':
		break;
	case 'm':
		v *= 60;
		break;
	case 'h':
		v *= 3600;
		break;
	case 'd':
		v *= 86400;
		break;
	default:
		return (NAN);
	}
	if (end[1] != '\0')
		return (NAN);
	return (now - v);
}

/* near: a clock alone is the nearest such time to now, not now's day's. */
static double
jread_parse_time(const char *s, double now, int near)
{
	struct tm	 tm;
	const char	*p;
	char		*end;
	double		 frac, v;
	time_t		 t;
	int		 utc = 0, day;

	if (s == NULL)
		return (NAN);
	if (s[0] == '-')
		return (jread_relative(s, now));
	if (s[0] == '@') {
		if (!isdigit((unsigned char)s[1]))
			return (NAN);
		v = strtod(s + 1, &end);
		return (*end == '\0' ? v : NAN);
	}
	memset(&tm, 0, sizeof tm);
	p = s;
	if (strlen(s) >= 10 && s[4] == '-') {
		/* A date first: YYYY-MM-DD, then T or a space. */
		if ((tm.tm_year = jread_digits(&p, 4, 4)) < 0 || *p++ != '-' ||
		    (tm.tm_mon = jread_digits(&p, 2, 2)) < 1 ||
		    tm.tm_mon > 12 || *p++ != '-' ||
		    (tm.tm_mday = jread_digits(&p, 2, 2)) < 1 ||
		    tm.tm_mday > 31 || (*p != 'T' && *p != ' '))
			return (NAN);
		p++;
		tm.tm_year -= 1900;
		tm.tm_mon--;
		if (jread_clock(&p, &tm, &frac) != 0)
			return (NAN);
		if (*p == 'Z') {
			utc = 1;
			p++;
		}
		near = 0;
	} else {
		/* A clock alone: that time on the day of now, local. */
		t = (time_t)now;
		localtime_r(&t, &tm);
		if (jread_clock(&p, &tm, &frac) != 0)
			return (NAN);
	}
	if (*p != '\0')
		return (NAN);
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1)
		return (NAN);
	day = !near ? 0 : t > now + 43200 ? -1 : t < now - 43200 ? 1 : 0;
	if (day != 0) {
		/* mktime, not +-86400: a day is 23 or 25 hours at DST. */
		tm.tm_mday += day;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return (NAN);
	}
	return ((double)t + frac);
}

double
journal_parse_time(const char *s, double now)
{
	return (jread_parse_time(s, now, 0));
}

double
journal_parse_moment(const char *s, double shown)
{
	return (jread_parse_time(s, shown, 1));
}

/* Files. */

char *
journal_dir(char **err)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char		*dir;

	if (x != NULL && *x == '/') {
		xasprintf(&dir, "%s/fgtop", x);
		return (dir);
	}
	if (home != NULL && *home != '\0') {
		xasprintf(&dir, "%s/.local/state/fgtop", home);
		return (dir);
	}
	*err = xstrdup("no journal directory: neither XDG_STATE_HOME nor "
	    "HOME is set");
	return (NULL);
}

struct jfile {
	char		*path;
	double		 first;		/* time of the first line, or NaN */
	double		 key;		/* first, else the name's day (UTC) */
	long		 date;		/* YYYYMMDD of the name */
	long		 part;		/* N of .N, 0 without */
};

/* journal-YYYYMMDD.jsonl or journal-YYYYMMDD.N.jsonl; 0 if not one. */
static int
jread_name(const char *name, long *date, long *part)
{
	const char	*p;
	char		*end;

	if (strncmp(name, "journal-", 8) != 0)
		return (0);
	p = name + 8;
	*date = strtol(p, &end, 10);
	if (end != p + 8 || !isdigit((unsigned char)*p))
		return (0);
	p = end;
	*part = 0;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		*part = strtol(p + 1, &end, 10);
		p = end;
	}
	return (strcmp(p, ".jsonl") == 0);
}

/*
 * The time of a file's first line without decoding it (a snapshot line
 * may be megabytes): the first "time":"..." of its first bytes.  The
 * reader decodes properly later; this only orders files.
 */
static double
jread_first_time(const char *path)
{
	char	 buf[512], iso[40];
	char	*p, *q;
	size_t	 n;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return (NAN);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((q = strchr(buf, '\n')) != NULL)
		*q = '\0';
	if ((p = strstr(buf, "\"time\":\"")) == NULL)
		return (NAN);
	p += 8;
	if ((q = strchr(p, '"')) == NULL || (size_t)(q - p) >= sizeof iso)
		return (NAN);
	memcpy(iso, p, (size_t)(q - p));
	iso[q - p] = '\0';
	return (journal_parse_time(iso, 0));
}

/* By the first line's time (the name's day without one), then name. */
static int
jread_cmp(const void *a, const void *b)
{
	const struct jfile	*x = a, *y = b;

	if (x->key != y->key)
		return (x->key < y->key ? -1 : 1);
	if (x->date != y->date)
		return (x->date < y->date ? -1 : 1);
	if (x->part != y->part)
		return (x->part < y->part ? -1 : 1);
	return (strcmp(x->path, y->path));
}

int
journal_files(const char *dir, double since, double until, char ***paths,
    size_t *npaths, char **err)
{
	struct jfile	*f = NULL;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, i, k;
	long		 date, part;
	double		 next;

	*paths = NULL;
	*npaths = 0;
	if ((d = opendir(dir)) == NULL) {
		xasprintf(err, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (!jread_name(de->d_name, &date, &part))
			continue;
		f = xreallocarray(f, n + 1, sizeof *f);
		xasprintf(&f[n].path, "%s/%s", dir, de->d_name);
		f[n].first = jread_first_time(f[n].path);
		f[n].key = f[n].first;
		if (isnan(f[n].key)) {
			struct tm	 tm;

			memset(&tm, 0, sizeof tm);
			tm.tm_year = (int)(date / 10000) - 1900;
			tm.tm_mon = (int)(date / 100 % 100) - 1;
			tm.tm_mday = (int)(date % 100);
			f[n].key = (double)timegm(&tm);
		}
		f[n].date = date;
		f[n].part = part;
		n++;
	}
	closedir(d);
	if (n == 0)
		return (0);
	qsort(f, n, sizeof *f, jread_cmp);
	*paths = xcalloc(n, sizeof **paths);
	for (i = k = 0; i < n; i++) {
		/* A file holds lines until the next one starts. */
		next = i + 1 < n ? f[i + 1].first : NAN;
		if ((!isnan(until) && !isnan(f[i].first) &&
		    f[i].first > until) ||
		    (!isnan(since) && !isnan(next) && next < since)) {
			free(f[i].path);
			continue;
		}
		(*paths)[k++] = f[i].path;
	}
	*npaths = k;
	free(f);
	return (0);
}

void
journal_files_free(char **paths, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Lines. */

struct jread_ctx {
	double		 since;
	double		 until;
	int		 (*on_event)(const struct jread_event *, void *);
	int		 (*on_snapshot)(double, struct model *, void *);
	int		 scan;		/* journal_scan: snapshots as lines */
	void		*arg;
	struct jread_stats *st;
};

static int
jread_blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return (0);
	return (1);
}

static char *
jread_field(const json_t *o, const char *key)
{
	return (model_load_clean(json_string_value(json_object_get(o, key))));
}

static int
jread_event_line(struct jread_ctx *c, const json_t *o, const char *type,
    double t, size_t file, long long off)
{
	struct jread_event	 e;
	char			*s[7];
	int			 rc;
	size_t			 i;

	memset(&e, 0, sizeof e);
	e.time = t;
	e.type = type;
	e.file = file;
	e.offset = off;
	if (type[0] != 's' || strcmp(type, "snapshot") != 0) {
		e.device = s[0] = jread_field(o, "device");
		e.vdom = s[1] = jread_field(o, "vdom");
		e.tunnel = s[2] = jread_field(o, "tunnel");
		e.item = s[3] = jread_field(o, "item");
		e.from = s[4] = jread_field(o, "from");
		e.to = s[5] = jread_field(o, "to");
		e.detail = s[6] = jread_field(o, "detail");
	} else
		memset(s, 0, sizeof s);
	rc = c->on_event(&e, c->arg);
	for (i = 0; i < 7; i++)
		free(s[i]);
	return (rc);
}

static int
jread_snapshot_line(struct jread_ctx *c, const json_t *o, double t)
{
	struct model	*m;
	char		*err = NULL;

	m = model_new();
	if (model_load_json(m, json_object_get(o, "model"), &err) != 0) {
		free(err);
		model_free(m);
		c->st->snapshots--;
		c->st->skipped++;
		return (0);
	}
	return (c->on_snapshot(t, m, c->arg));
}

/*
 * A snapshot line as fgtop writes it, {"event":"snapshot","time":"ISO",
 * read for journal_scan from its first bytes; -1 when the line does not
 * start so (it is then decoded like any other).  The model is decoded
 * only when it is loaded (journal_snapshot_load).
 */
static int
jread_scan_snapshot(struct jread_ctx *c, const char *line, size_t len,
    size_t file, long long off)
{
	static const char	 head[] = "{\"event\":\"snapshot\",\"time\":\"";
	struct jread_event	 e;
	const char		*p = line + sizeof head - 1, *q;
	char			 iso[40];
	double			 t;

	if (len < sizeof head || memcmp(line, head, sizeof head - 1) != 0 ||
	    (q = memchr(p, '"', len - (sizeof head - 1))) == NULL ||
	    (size_t)(q - p) >= sizeof iso)
		return (-1);
	memcpy(iso, p, (size_t)(q - p));
	iso[q - p] = '\0';
	if (isnan(t = journal_parse_time(iso, 0)))
		return (-1);
	c->st->snapshots++;
	if (c->on_event == NULL)
		return (0);
	memset(&e, 0, sizeof e);
	e.time = t;
	e.type = jread_types[sizeof jread_types / sizeof jread_types[0] - 1];
	e.file = file;
	e.offset = off;
	return (c->on_event(&e, c->arg));
}

/* One whole line; nonzero stops the read. */
static int
jread_line(struct jread_ctx *c, const char *line, size_t len, size_t file,
    long long off)
{
	struct jread_stats	*st = c->st;
	json_t			*o;
	json_error_t		 jerr;
	const char		*type;
	double			 t;
	int			 rc = 0;

	/*
	 * A snapshot nobody asked for is not decoded: fgtop writes them
	 * starting so, and one is ~80 MB at 1,000 devices (fgtop journal
	 * and the restore on start read a day of them).
	 */
	if (c->on_snapshot == NULL && !c->scan && len > 19 &&
	    memcmp(line, "{\"event\":\"snapshot\"", 19) == 0)
		return (0);
	/* The index wants a snapshot's place and time, not its model. */
	if (c->scan && (rc = jread_scan_snapshot(c, line, len, file, off)) !=
	    -1)
		return (rc);
	rc = 0;
	if (jread_blank(line, len) ||
	    (o = json_loadb(line, len, 0, &jerr)) == NULL) {
		st->skipped++;
		return (0);
	}
	if (!json_is_object(o) || (t = journal_parse_time(json_string_value(
	    json_object_get(o, "time")), 0), isnan(t))) {
		st->skipped++;
		goto out;
	}
	if ((type = jread_type(json_string_value(json_object_get(o,
	    "event")))) == NULL) {
		st->skipped++;
		st->unknown++;
		goto out;
	}
	if ((!isnan(c->since) && t < c->since) ||
	    (!isnan(c->until) && t > c->until))
		goto out;
	if (strcmp(type, "snapshot") == 0 && !c->scan) {
		if (!json_is_object(json_object_get(o, "model"))) {
			st->skipped++;
			goto out;
		}
		st->snapshots++;
		if (c->on_snapshot != NULL)
			rc = jread_snapshot_line(c, o, t);
		goto out;
	}
	if (strcmp(type, "snapshot") == 0)
		st->snapshots++;
	else
		st->events++;
	if (c->on_event != NULL)
		rc = jread_event_line(c, o, type, t, file, off);
out:
	json_decref(o);
	return (rc);
}

static int
jread_file(struct jread_ctx *c, const char *path, size_t file, char **err)
{
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	long long	 off = 0;
	int		 rc = 0;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(err, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (rc == 0 && (n = getline(&line, &cap, f)) != -1) {
		c->st->lines++;
		if (line[n - 1] != '\n') {
			/* Torn: the writer never finished this line. */
			c->st->skipped++;
			c->st->torn++;
		} else
			rc = jread_line(c, line, (size_t)n - 1, file, off);
		off += n;
	}
	if (rc == 0 && ferror(f)) {
		xasprintf(err, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return (rc);
}

static int
jread_run(struct jread_ctx *c, char *const *paths, size_t npaths,
    char **err)
{
	size_t	 i;
	int	 rc;

	memset(c->st, 0, sizeof *c->st);
	for (i = 0; i < npaths; i++)
		if ((rc = jread_file(c, paths[i], i, err)) != 0)
			return (rc);
	return (0);
}

int
journal_read(char *const *paths, size_t npaths, double since, double until,
    int (*on_event)(const struct jread_event *, void *),
    int (*on_snapshot)(double, struct model *, void *), void *arg,
    struct jread_stats *st, char **err)
{
	struct jread_ctx	 c;
	struct jread_stats	 dummy;

	memset(&c, 0, sizeof c);
	c.since = since;
	c.until = until;
	c.on_event = on_event;
	c.on_snapshot = on_snapshot;
	c.arg = arg;
	c.st = st != NULL ? st : &dummy;
	return (jread_run(&c, paths, npaths, err));
}

int
journal_scan(char *const *paths, size_t npaths,
    int (*on_line)(const struct jread_event *, void *), void *arg,
    struct jread_stats *st, char **err)
{
	struct jread_ctx	 c;
	struct jread_stats	 dummy;

	memset(&c, 0, sizeof c);
	c.since = c.until = NAN;
	c.on_event = on_line;
	c.scan = 1;
	c.arg = arg;
	c.st = st != NULL ? st : &dummy;
	return (jread_run(&c, paths, npaths, err));
}

int
journal_snapshot_load(const char *path, long long offset, struct model *m,
    double *time, char **err)
{
	json_t		*o = NULL;
	json_error_t	 jerr;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	int		 rc = -1;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(err, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fseeko(f, (off_t)offset, SEEK_SET) != 0 ||
	    (n = getline(&line, &cap, f)) == -1) {
		xasprintf(err, "%s: no line at offset %lld", path, offset);
		goto out;
	}
	if ((o = json_loadb(line, (size_t)n, 0, &jerr)) == NULL ||
	    jread_type(json_string_value(json_object_get(o, "event"))) !=
	    jread_types[sizeof jread_types / sizeof jread_types[0] - 1]) {
		xasprintf(err, "%s: no snapshot at offset %lld", path, offset);
		goto out;
	}
	*time = journal_parse_time(json_string_value(json_object_get(o,
	    "time")), 0);
	rc = model_load_json(m, json_object_get(o, "model"), err);
out:
	json_decref(o);
	free(line);
	fclose(f);
	return (rc);
}

struct model *
journal_snapshot_at(const char *path, long long offset, double *time,
    char **err)
{
	struct model	*m = model_new();

	if (journal_snapshot_load(path, offset, m, time, err) != 0) {
		model_free(m);
		return (NULL);
	}
	return (m);
}
