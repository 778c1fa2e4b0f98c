/* SPDX-License-Identifier: ISC */
/*
 * cfg - fgtop's own configuration; see the header.
 *
 * The file is read a line at a time: a small tokenizer splits it into
 * words in place, the first word is looked up in a keyword table that
 * says where it may stand (before the first device, inside a device
 * block, or both) and how many arguments it takes, and its handler fills
 * struct cfg.  Handlers return a sentence without the position; the
 * loop puts "file:line: " in front.
 *
 * Secrets come last and from outside: a file that only the user may
 * read, a command's first line of output, or the terminal with echo
 * off.  Every buffer that held one is wiped before it is freed.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cfg.h"
#include "xmalloc.h"

#define CFG_MAXWORDS	64	/* a group of 63 members */
#define CFG_MAXSECRET	1024	/* longest password or token we read */
#define CFG_MAXNAME	31	/* longest VDOM name FortiOS takes */

/* Where a keyword may stand. */
#define CFG_GLOBAL	0x1
#define CFG_DEVICE	0x2

struct cfg_parse {
	struct cfg	 *cfg;
	struct cfg_target *dev;		/* the device block we are in */
	unsigned	  seen_global;	/* keywords given, one bit each */
	unsigned	  seen_device;
	char		 *msg;		/* the handler's sentence */
};

struct cfg_keyword {
	const char	*name;
	int		 where;
	int		 nargs;		/* -1: one or more */
	int		(*fn)(struct cfg_parse *, char **, size_t);
};

static void __attribute__((format(printf, 2, 3)))
cfg_fail(char **err, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*err = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(*err, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

static void
cfg_wipe(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

static void
cfg_free_list(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char **
cfg_copy_list(char *const *v)
{
	char	**c;
	size_t	  i, n;

	if (v == NULL)
		return (NULL);
	for (n = 0; v[n] != NULL; n++)
		;
	c = xcalloc(n + 1, sizeof(*c));
	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return (c);
}

static char *
cfg_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
cfg_target_clear(struct cfg_target *t)
{
	free(t->name);
	free(t->address);
	free(t->user);
	free(t->identity);
	free(t->password_file);
	free(t->password_command);
	free(t->token_command);
	cfg_free_list(t->vdoms);
	cfg_wipe(&t->password);
	cfg_wipe(&t->token);
	memset(t, 0, sizeof(*t));
}

/* A deep copy without the secrets, which cfg_secrets fills later. */
static void
cfg_target_copy(struct cfg_target *to, const struct cfg_target *from)
{
	memset(to, 0, sizeof(*to));
	to->name = cfg_dup(from->name);
	to->address = cfg_dup(from->address);
	to->port = from->port;
	to->user = cfg_dup(from->user);
	to->identity = cfg_dup(from->identity);
	to->password_file = cfg_dup(from->password_file);
	to->password_command = cfg_dup(from->password_command);
	to->token_command = cfg_dup(from->token_command);
	to->ask_password = from->ask_password;
	to->vdoms = cfg_copy_list(from->vdoms);
	to->disclaimer_accept = from->disclaimer_accept;
	to->poll_ms = from->poll_ms;
	to->full_poll_ms = from->full_poll_ms;
}

void
cfg_init(struct cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->poll_ms = 5000;
	cfg->full_poll_ms = 30000;
	cfg->flap_threshold = -1;
}

static void
cfg_free_targets(struct cfg *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->ntargets; i++)
		cfg_target_clear(&cfg->targets[i]);
	free(cfg->targets);
	cfg->targets = NULL;
	cfg->ntargets = 0;
}

void
cfg_free(struct cfg *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->ndevices; i++)
		cfg_target_clear(&cfg->devices[i]);
	free(cfg->devices);
	for (i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].name);
		cfg_free_list(cfg->groups[i].members);
	}
	free(cfg->groups);
	cfg_free_targets(cfg);
	free(cfg->ssh_config);
	free(cfg->known_hosts);
	cfg_free_list(cfg->keys);
	free(cfg->theme);
	free(cfg->export_dir);
	free(cfg->prom_textfile);
	free(cfg->journal);
	cfg_init(cfg);
}

int
cfg_duration(const char *s, unsigned *ms)
{
	unsigned long long	 v = 0, mult;
	const char		*p = s;

	if (*p < '0' || *p > '9')
		return (-1);
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT_MAX)
			return (-1);
	}
	if (*p == '\0' || strcmp(p, "s") == 0)
		mult = 1000;
	else if (strcmp(p, "ms") == 0)
		mult = 1;
	else if (strcmp(p, "m") == 0)
		mult = 60 * 1000;
	else if (strcmp(p, "h") == 0)
		mult = 3600 * 1000;
	else
		return (-1);
	v *= mult;
	if (v == 0 || v > UINT_MAX)
		return (-1);
	*ms = (unsigned)v;
	return (0);
}

/* ~/x is $HOME/x (or the password database's home); ~user is not. */
static char *
cfg_path(const char *s, char **msg)
{
	const char	*home;
	struct passwd	*pw;
	char		*p;

	if (s[0] != '~')
		return (xstrdup(s));
	if (s[1] != '\0' && s[1] != '/') {
		cfg_fail(msg, "%s: only ~/ is expanded, not ~user", s);
		return (NULL);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) == NULL) {
			cfg_fail(msg, "%s: no home directory to expand ~ to",
			    s);
			return (NULL);
		}
		home = pw->pw_dir;
	}
	xasprintf(&p, "%s%s", home, s + 1);
	return (p);
}

static int
cfg_port(const char *s, int *port)
{
	long	v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		v = v * 10 + (*s - '0');
	}
	if (v < 1 || v > 65535)
		return (-1);
	*port = (int)v;
	return (0);
}

static int
cfg_yesno(const char *s, const char *yes, const char *no, int *v)
{
	if (strcmp(s, yes) == 0)
		*v = 1;
	else if (strcmp(s, no) == 0)
		*v = 0;
	else
		return (-1);
	return (0);
}

/* A VDOM name as FortiOS takes it, which is also what allow lets through. */
static int
cfg_vdom_name(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > CFG_MAXNAME)
		return (0);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    strchr("\"'\\?,", s[i]) != NULL)
			return (0);
	return (1);
}

/* "root,dmz" into a NULL-terminated list. */
static char **
cfg_vdoms(const char *s, char **msg)
{
	char		**v = NULL;
	const char	 *p = s, *e;
	size_t		  n = 0;

	for (;;) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (!cfg_vdom_name(p, (size_t)(e - p))) {
			cfg_free_list(v);
			cfg_fail(msg, "bad VDOM list \"%s\": names are 1-%d "
			    "characters without spaces or quotes, separated by "
			    "commas", s, CFG_MAXNAME);
			return (NULL);
		}
		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = xstrndup(p, (size_t)(e - p));
		v[n] = NULL;
		if (*e == '\0')
			return (v);
		p = e + 1;
	}
}

static int
kw_poll(struct cfg_parse *p, char **a, size_t n)
{
	unsigned	ms;

	if (cfg_duration(a[1], &ms) == -1) {
		cfg_fail(&p->msg, "%s: bad duration \"%s\" (want a number "
		    "above 0 and ms, s, m or h: 500ms, 5s, 2m)", a[0], a[1]);
		return (-1);
	}
	if (strcmp(a[0], "poll") == 0)
		*(p->dev != NULL ? &p->dev->poll_ms : &p->cfg->poll_ms) = ms;
	else
		*(p->dev != NULL ? &p->dev->full_poll_ms :
		    &p->cfg->full_poll_ms) = ms;
	return (0);
}

/* The field a path or string keyword fills. */
static char **
cfg_field(struct cfg_parse *p, const char *kw)
{
	if (strcmp(kw, "ssh-config") == 0)
		return (&p->cfg->ssh_config);
	if (strcmp(kw, "known-hosts") == 0)
		return (&p->cfg->known_hosts);
	if (strcmp(kw, "export-dir") == 0)
		return (&p->cfg->export_dir);
	if (strcmp(kw, "prom-textfile") == 0)
		return (&p->cfg->prom_textfile);
	if (strcmp(kw, "identity") == 0)
		return (&p->dev->identity);
	if (strcmp(kw, "password-file") == 0)
		return (&p->dev->password_file);
	if (strcmp(kw, "password-command") == 0)
		return (&p->dev->password_command);
	if (strcmp(kw, "token-command") == 0)
		return (&p->dev->token_command);
	if (strcmp(kw, "address") == 0)
		return (&p->dev->address);
	return (&p->dev->user);
}

/* One way to get a device's password: two would hide a mistake. */
static int
cfg_one_password(struct cfg_parse *p, const char *kw)
{
	struct cfg_target	*d = p->dev;

	if (d->password_file != NULL || d->password_command != NULL ||
	    d->ask_password) {
		cfg_fail(&p->msg, "%s: %s has another password source "
		    "already; use one of password-file, password-command and "
		    "ask-password", kw, d->name);
		return (-1);
	}
	return (0);
}

static int
kw_path(struct cfg_parse *p, char **a, size_t n)
{
	char	**f;

	if (strcmp(a[0], "password-file") == 0 &&
	    cfg_one_password(p, a[0]) == -1)
		return (-1);
	f = cfg_field(p, a[0]);
	return ((*f = cfg_path(a[1], &p->msg)) == NULL ? -1 : 0);
}

static int
kw_string(struct cfg_parse *p, char **a, size_t n)
{
	if (*a[1] == '\0') {
		cfg_fail(&p->msg, "%s: empty value", a[0]);
		return (-1);
	}
	if (strcmp(a[0], "password-command") == 0 &&
	    cfg_one_password(p, a[0]) == -1)
		return (-1);
	*cfg_field(p, a[0]) = xstrdup(a[1]);
	return (0);
}

static int
kw_accept_new(struct cfg_parse *p, char **a, size_t n)
{
	if (cfg_yesno(a[1], "yes", "no", &p->cfg->accept_new) == -1) {
		cfg_fail(&p->msg, "accept-new: want yes or no, not \"%s\"",
		    a[1]);
		return (-1);
	}
	return (0);
}

/* key ACTION KEY: a dashboard binding, kept in order (later wins). */
static int
kw_key(struct cfg_parse *p, char **a, size_t n)
{
	size_t	 k = 0;

	if (p->cfg->keys != NULL)
		while (p->cfg->keys[k] != NULL)
			k++;
	p->cfg->keys = xreallocarray(p->cfg->keys, k + 3,
	    sizeof(*p->cfg->keys));
	p->cfg->keys[k] = xstrdup(a[1]);
	p->cfg->keys[k + 1] = xstrdup(a[2]);
	p->cfg->keys[k + 2] = NULL;
	return (0);
}

static int
kw_theme(struct cfg_parse *p, char **a, size_t n)
{
	if (strcmp(a[1], "default") != 0 && strcmp(a[1], "mono") != 0) {
		cfg_fail(&p->msg, "theme: want default or mono, not \"%s\"",
		    a[1]);
		return (-1);
	}
	p->cfg->theme = xstrdup(a[1]);
	return (0);
}

/* journal DIR|FILE|off: off is kept as the word, a path expanded. */
static int
kw_journal(struct cfg_parse *p, char **a, size_t n)
{
	if (strcmp(a[1], "off") == 0) {
		p->cfg->journal = xstrdup("off");
		return (0);
	}
	return ((p->cfg->journal = cfg_path(a[1], &p->msg)) == NULL ? -1 : 0);
}

static int
kw_snapshot(struct cfg_parse *p, char **a, size_t n)
{
	if (cfg_duration(a[1], &p->cfg->snapshot_ms) == -1) {
		cfg_fail(&p->msg, "%s: bad duration \"%s\" (want a number "
		    "above 0 and ms, s, m or h: 5m, 1h)", a[0], a[1]);
		return (-1);
	}
	return (0);
}

static int
kw_flap(struct cfg_parse *p, char **a, size_t n)
{
	char	*end;
	long	 v;

	v = strtol(a[1], &end, 10);
	if (end == a[1] || *end != '\0' || v < 0 || v > 100000) {
		cfg_fail(&p->msg, "flap-threshold: want a number of flaps "
		    "(0: never), not \"%s\"", a[1]);
		return (-1);
	}
	p->cfg->flap_threshold = (int)v;
	return (0);
}

static int
kw_port(struct cfg_parse *p, char **a, size_t n)
{
	if (cfg_port(a[1], &p->dev->port) == -1) {
		cfg_fail(&p->msg, "port: bad port \"%s\" (want 1-65535)", a[1]);
		return (-1);
	}
	return (0);
}

static int
kw_ask_password(struct cfg_parse *p, char **a, size_t n)
{
	int	v;

	if (cfg_yesno(a[1], "yes", "no", &v) == -1) {
		cfg_fail(&p->msg, "ask-password: want yes or no, not \"%s\"",
		    a[1]);
		return (-1);
	}
	if (v && cfg_one_password(p, a[0]) == -1)
		return (-1);
	p->dev->ask_password = v;
	return (0);
}

static int
kw_disclaimer(struct cfg_parse *p, char **a, size_t n)
{
	if (cfg_yesno(a[1], "accept", "refuse",
	    &p->dev->disclaimer_accept) == -1) {
		cfg_fail(&p->msg, "disclaimer: want accept or refuse, not "
		    "\"%s\"", a[1]);
		return (-1);
	}
	return (0);
}

static int
kw_vdoms(struct cfg_parse *p, char **a, size_t n)
{
	return ((p->dev->vdoms = cfg_vdoms(a[1], &p->msg)) == NULL ? -1 : 0);
}

/* Names the command line can give: not empty, no @ (that means a group). */
static int
cfg_alias(struct cfg_parse *p, const char *what, const char *s)
{
	const char	*c;

	if (*s == '\0' || *s == '@') {
		cfg_fail(&p->msg, "%s: bad name \"%s\" (empty or starting "
		    "with @)", what, s);
		return (-1);
	}
	for (c = s; *c != '\0'; c++) {
		if ((unsigned char)*c <= ' ' || (unsigned char)*c == 0x7f) {
			cfg_fail(&p->msg, "%s: a name has no spaces", what);
			return (-1);
		}
	}
	return (0);
}

static int
kw_device(struct cfg_parse *p, char **a, size_t n)
{
	struct cfg	*cfg = p->cfg;
	size_t		 i;

	if (cfg_alias(p, "device", a[1]) == -1)
		return (-1);
	for (i = 0; i < cfg->ndevices; i++) {
		if (strcmp(cfg->devices[i].name, a[1]) == 0) {
			cfg_fail(&p->msg, "device %s is defined twice", a[1]);
			return (-1);
		}
	}
	cfg->devices = xreallocarray(cfg->devices, cfg->ndevices + 1,
	    sizeof(*cfg->devices));
	p->dev = &cfg->devices[cfg->ndevices++];
	memset(p->dev, 0, sizeof(*p->dev));
	p->dev->name = xstrdup(a[1]);
	p->seen_device = 0;
	return (0);
}

static int
kw_group(struct cfg_parse *p, char **a, size_t n)
{
	struct cfg		*cfg = p->cfg;
	struct cfg_group	*g;
	size_t			 i;

	if (cfg_alias(p, "group", a[1]) == -1)
		return (-1);
	for (i = 0; i < cfg->ngroups; i++) {
		if (strcmp(cfg->groups[i].name, a[1]) == 0) {
			cfg_fail(&p->msg, "group %s is defined twice", a[1]);
			return (-1);
		}
	}
	for (i = 2; i < n; i++)
		if (cfg_alias(p, "group member", a[i]) == -1)
			return (-1);
	cfg->groups = xreallocarray(cfg->groups, cfg->ngroups + 1,
	    sizeof(*cfg->groups));
	g = &cfg->groups[cfg->ngroups++];
	g->name = xstrdup(a[1]);
	g->members = xcalloc(n - 1, sizeof(*g->members));
	for (i = 2; i < n; i++)
		g->members[i - 2] = xstrdup(a[i]);
	return (0);
}

static const struct cfg_keyword cfg_keywords[] = {
	{ "poll",		CFG_GLOBAL | CFG_DEVICE, 1, kw_poll },
	{ "full-poll",		CFG_GLOBAL | CFG_DEVICE, 1, kw_poll },
	{ "ssh-config",		CFG_GLOBAL, 1, kw_path },
	{ "known-hosts",	CFG_GLOBAL, 1, kw_path },
	{ "accept-new",		CFG_GLOBAL, 1, kw_accept_new },
	{ "key",		CFG_GLOBAL, 2, kw_key },
	{ "theme",		CFG_GLOBAL, 1, kw_theme },
	{ "export-dir",		CFG_GLOBAL, 1, kw_path },
	{ "prom-textfile",	CFG_GLOBAL, 1, kw_path },
	{ "journal",		CFG_GLOBAL, 1, kw_journal },
	{ "snapshot-interval",	CFG_GLOBAL, 1, kw_snapshot },
	{ "flap-threshold",	CFG_GLOBAL, 1, kw_flap },
	{ "device",		CFG_GLOBAL | CFG_DEVICE, 1, kw_device },
	{ "address",		CFG_DEVICE, 1, kw_string },
	{ "port",		CFG_DEVICE, 1, kw_port },
	{ "user",		CFG_DEVICE, 1, kw_string },
	{ "identity",		CFG_DEVICE, 1, kw_path },
	{ "password-file",	CFG_DEVICE, 1, kw_path },
	{ "password-command",	CFG_DEVICE, 1, kw_string },
	{ "token-command",	CFG_DEVICE, 1, kw_string },
	{ "ask-password",	CFG_DEVICE, 1, kw_ask_password },
	{ "vdoms",		CFG_DEVICE, 1, kw_vdoms },
	{ "disclaimer",		CFG_DEVICE, 1, kw_disclaimer },
	{ "group",		CFG_GLOBAL | CFG_DEVICE, -1, kw_group },
};
#define CFG_NKEYWORDS	(sizeof(cfg_keywords) / sizeof(cfg_keywords[0]))

/*
 * Split a line into words in place: blanks separate, "..." groups (with
 * \" and \\ inside), a word starting with # ends the line.  -1 with a
 * sentence on an unterminated quote or a control byte.
 */
static int
cfg_split(char *line, char **w, size_t *nw, char **msg)
{
	char	*r = line, *o;
	int	 quoted;

	*nw = 0;
	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '\0' || *r == '#')
			return (0);
		if (*nw == CFG_MAXWORDS) {
			cfg_fail(msg, "too many words on one line (at most %d)",
			    CFG_MAXWORDS);
			return (-1);
		}
		w[(*nw)++] = o = r;
		quoted = 0;
		for (; *r != '\0'; r++) {
			if (!quoted && (*r == ' ' || *r == '\t'))
				break;
			if ((unsigned char)*r < 0x20 && *r != '\t') {
				cfg_fail(msg, "control character in the line");
				return (-1);
			}
			if (*r == '"')
				quoted = !quoted;
			else if (quoted && *r == '\\' &&
			    (r[1] == '"' || r[1] == '\\'))
				*o++ = *++r;
			else
				*o++ = *r;
		}
		if (quoted) {
			cfg_fail(msg, "unterminated quote");
			return (-1);
		}
		if (*r != '\0')
			r++;
		*o = '\0';
	}
}

static int
cfg_line(struct cfg_parse *p, char *line)
{
	const struct cfg_keyword	*k;
	char				*w[CFG_MAXWORDS];
	size_t				 nw, i;
	unsigned			*seen;

	if (cfg_split(line, w, &nw, &p->msg) == -1)
		return (-1);
	if (nw == 0)
		return (0);
	for (i = 0; i < CFG_NKEYWORDS; i++)
		if (strcmp(cfg_keywords[i].name, w[0]) == 0)
			break;
	if (i == CFG_NKEYWORDS) {
		cfg_fail(&p->msg, "unknown keyword \"%s\"", w[0]);
		return (-1);
	}
	k = &cfg_keywords[i];
	if (p->dev == NULL && (k->where & CFG_GLOBAL) == 0) {
		cfg_fail(&p->msg, "%s outside a device block (put it after "
		    "a device line)", k->name);
		return (-1);
	}
	if (p->dev != NULL && (k->where & CFG_DEVICE) == 0) {
		cfg_fail(&p->msg, "%s is global: put it before the first "
		    "device", k->name);
		return (-1);
	}
	if (k->nargs == -1 ? nw < 3 : nw != (size_t)k->nargs + 1) {
		cfg_fail(&p->msg, "%s takes %s", k->name, k->nargs == -1 ?
		    "a name and at least one member" : k->nargs == 2 ?
		    "an action and a key" : "one value");
		return (-1);
	}
	/* device, group and key may repeat; the rest once per scope. */
	if (k->fn != kw_device && k->fn != kw_group && k->fn != kw_key) {
		seen = p->dev != NULL ? &p->seen_device : &p->seen_global;
		if (*seen & (1U << i)) {
			cfg_fail(&p->msg, "%s given twice%s%s", k->name,
			    p->dev != NULL ? " for " : "",
			    p->dev != NULL ? p->dev->name : "");
			return (-1);
		}
		*seen |= 1U << i;
	}
	return (k->fn(p, w, nw));
}

static char *
cfg_default_path(void)
{
	const char	*x, *home;
	struct passwd	*pw;
	char		*p;

	/* The XDG spec: a relative XDG_CONFIG_HOME is ignored. */
	if ((x = getenv("XDG_CONFIG_HOME")) != NULL && x[0] == '/') {
		xasprintf(&p, "%s/fgtop/config", x);
		return (p);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return (NULL);
		home = pw->pw_dir;
	}
	xasprintf(&p, "%s/.config/fgtop/config", home);
	return (p);
}

int
cfg_load(struct cfg *cfg, const char *path, char **err)
{
	struct cfg_parse	 p;
	FILE			*f;
	char			*def = NULL, *line = NULL;
	size_t			 cap = 0;
	ssize_t			 len;
	unsigned		 lineno = 0;
	int			 rc = 0;

	*err = NULL;
	if (path == NULL && (path = def = cfg_default_path()) == NULL)
		return (0);
	if ((f = fopen(path, "r")) == NULL) {
		if (def != NULL && errno == ENOENT) {
			free(def);
			return (0);
		}
		cfg_fail(err, "%s: %s", path, strerror(errno));
		free(def);
		return (-1);
	}
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			cfg_fail(err, "%s:%u: NUL byte in the line", path,
			    lineno);
			rc = -1;
			break;
		}
		if (cfg_line(&p, line) == -1) {
			cfg_fail(err, "%s:%u: %s", path, lineno, p.msg);
			free(p.msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		cfg_fail(err, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	free(def);
	return (rc);
}

/* Parse [user@]host[:port], [v6]:port or a bare v6 address. */
static int
cfg_dest(struct cfg_target *t, const char *dest, char **err)
{
	const char	*at, *h, *end, *colon = NULL, *c;
	char		*port;

	memset(t, 0, sizeof(*t));
	h = dest;
	if ((at = strrchr(dest, '@')) != NULL) {
		if (at == dest) {
			cfg_fail(err, "%s: empty user name", dest);
			return (-1);
		}
		h = at + 1;
	}
	if (*h == '[') {
		if ((end = strchr(h, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':')) {
			cfg_fail(err, "%s: want [address]:port", dest);
			return (-1);
		}
		colon = end[1] == ':' ? end + 1 : NULL;
		h++;
	} else {
		end = h + strlen(h);
		/* One colon is a port; more is a bare IPv6 address. */
		if ((colon = strchr(h, ':')) != NULL &&
		    strchr(colon + 1, ':') == NULL)
			end = colon;
		else
			colon = NULL;
	}
	if (end == h || *h == '-') {
		cfg_fail(err, "%s: no host name or address", dest);
		return (-1);
	}
	for (c = dest; *c != '\0'; c++) {
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f) {
			cfg_fail(err, "%s: space or control character in the "
			    "destination", dest);
			return (-1);
		}
	}
	if (colon != NULL) {
		port = xstrdup(colon + 1);
		if (cfg_port(port, &t->port) == -1) {
			cfg_fail(err, "%s: bad port \"%s\" (want 1-65535)",
			    dest, port);
			free(port);
			return (-1);
		}
		free(port);
	}
	t->name = xstrdup(dest);
	t->address = xstrndup(h, (size_t)(end - h));
	if (at != NULL)
		t->user = xstrndup(dest, (size_t)(at - dest));
	return (0);
}

static int
cfg_has_target(const struct cfg *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->ntargets; i++)
		if (strcmp(cfg->targets[i].name, name) == 0)
			return (1);
	return (0);
}

/* A device of the file by its alias, or a DEST; skipped if there. */
static int
cfg_add_target(struct cfg *cfg, const char *dest, char **err)
{
	struct cfg_target	 t;
	size_t			 i;

	if (*dest == '\0') {
		cfg_fail(err, "empty destination");
		return (-1);
	}
	for (i = 0; i < cfg->ndevices; i++)
		if (strcmp(cfg->devices[i].name, dest) == 0)
			break;
	if (i < cfg->ndevices)
		cfg_target_copy(&t, &cfg->devices[i]);
	else if (cfg_dest(&t, dest, err) == -1)
		return (-1);
	if (cfg_has_target(cfg, t.name)) {
		cfg_target_clear(&t);
		return (0);
	}
	cfg->targets = xreallocarray(cfg->targets, cfg->ntargets + 1,
	    sizeof(*cfg->targets));
	cfg->targets[cfg->ntargets++] = t;
	return (0);
}

static int
cfg_add_group(struct cfg *cfg, const char *name, char **err)
{
	const struct cfg_group	*g = NULL;
	char			*e;
	size_t			 i;

	for (i = 0; i < cfg->ngroups; i++)
		if (strcmp(cfg->groups[i].name, name) == 0)
			g = &cfg->groups[i];
	if (g == NULL) {
		cfg_fail(err, "@%s: no such group in the config file", name);
		return (-1);
	}
	for (i = 0; g->members[i] != NULL; i++) {
		if (cfg_add_target(cfg, g->members[i], &e) == -1) {
			cfg_fail(err, "group %s: %s", name, e);
			free(e);
			return (-1);
		}
	}
	return (0);
}

int
cfg_targets(struct cfg *cfg, char *const *dests, size_t n,
    const char *vdoms, char **err)
{
	char	**v = NULL, *msg;
	size_t	  i;

	*err = NULL;
	cfg_free_targets(cfg);
	if (vdoms != NULL && (v = cfg_vdoms(vdoms, &msg)) == NULL) {
		cfg_fail(err, "--vdom: %s", msg);
		free(msg);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if ((dests[i][0] == '@' ? cfg_add_group(cfg, dests[i] + 1,
		    err) : cfg_add_target(cfg, dests[i], err)) == -1)
			goto fail;
	}
	if (n == 0) {
		for (i = 0; i < cfg->ndevices; i++)
			(void)cfg_add_target(cfg, cfg->devices[i].name, err);
	}
	if (cfg->ntargets == 0) {
		cfg_fail(err, "no device: give a DEST or add a device to the "
		    "config file");
		goto fail;
	}
	for (i = 0; v != NULL && i < cfg->ntargets; i++) {
		cfg_free_list(cfg->targets[i].vdoms);
		cfg->targets[i].vdoms = cfg_copy_list(v);
	}
	cfg_free_list(v);
	return (0);
fail:
	cfg_free_list(v);
	cfg_free_targets(cfg);
	return (-1);
}

/* The first line of buf (up to a newline), or NULL if it is empty. */
static char *
cfg_first_line(const char *buf, size_t n)
{
	size_t	i;

	for (i = 0; i < n && buf[i] != '\n' && buf[i] != '\0'; i++)
		;
	if (i > 0 && buf[i - 1] == '\r')
		i--;
	return (i == 0 ? NULL : xstrndup(buf, i));
}

/* A full buffer without a line end: the secret would be cut short. */
static int
cfg_too_long(const char *buf, size_t n, size_t cap)
{
	return (n == cap && memchr(buf, '\n', n) == NULL);
}

static int
cfg_read_file(struct cfg_target *t, char **err)
{
	char		buf[CFG_MAXSECRET];
	struct stat	st;
	ssize_t		n;
	int		fd;

	if ((fd = open(t->password_file, O_RDONLY | O_CLOEXEC)) == -1) {
		cfg_fail(err, "%s: password file %s: %s", t->name,
		    t->password_file, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		cfg_fail(err, "%s: password file %s is not a regular file",
		    t->name, t->password_file);
		close(fd);
		return (-1);
	}
	/* As ssh does for keys: a secret others can read is not one. */
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		cfg_fail(err, "%s: password file %s is accessible by group or "
		    "others (mode %04o); make it private with chmod 600",
		    t->name, t->password_file, (unsigned)st.st_mode & 07777);
		close(fd);
		return (-1);
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0) {
		cfg_fail(err, "%s: password file %s: %s", t->name,
		    t->password_file, strerror(errno));
		return (-1);
	}
	if (cfg_too_long(buf, (size_t)n, sizeof(buf))) {
		explicit_bzero(buf, sizeof(buf));
		cfg_fail(err, "%s: password file %s: the first line is longer "
		    "than %d bytes", t->name, t->password_file,
		    CFG_MAXSECRET - 1);
		return (-1);
	}
	t->password = cfg_first_line(buf, (size_t)n);
	explicit_bzero(buf, sizeof(buf));
	if (t->password == NULL) {
		cfg_fail(err, "%s: password file %s has an empty first line",
		    t->name, t->password_file);
		return (-1);
	}
	return (0);
}

/*
 * Run cmd with /bin/sh -c, stdin from /dev/null, and keep the first
 * line of its output.  The error names the device and the keyword, not
 * the output, which may hold the secret.
 */
static int
cfg_run(const struct cfg_target *t, const char *kw, const char *cmd,
    char **out, char **err)
{
	char	buf[CFG_MAXSECRET], drain[512];
	size_t	len = 0;
	ssize_t	n;
	pid_t	pid;
	int	fds[2], status, nullfd;

	*out = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		cfg_fail(err, "%s: %s: pipe: %s", t->name, kw,
		    strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		cfg_fail(err, "%s: %s: fork: %s", t->name, kw,
		    strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0) {
		if ((nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1 ||
		    dup2(nullfd, STDIN_FILENO) == -1 ||
		    dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* Read to the end so the command never blocks on a full pipe. */
	for (;;) {
		if (len < sizeof(buf))
			n = read(fds[0], buf + len, sizeof(buf) - len);
		else
			n = read(fds[0], drain, sizeof(drain));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < sizeof(buf))
			len += (size_t)n;
	}
	explicit_bzero(drain, sizeof(drain));
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	if (status != 0) {
		explicit_bzero(buf, sizeof(buf));
		if (status != -1 && WIFSIGNALED(status))
			cfg_fail(err, "%s: %s was killed by signal %d",
			    t->name, kw, WTERMSIG(status));
		else
			cfg_fail(err, "%s: %s failed (exit status %d)",
			    t->name, kw, status == -1 ? -1 :
			    WEXITSTATUS(status));
		return (-1);
	}
	if (cfg_too_long(buf, len, sizeof(buf))) {
		explicit_bzero(buf, sizeof(buf));
		cfg_fail(err, "%s: %s: the first line is longer than %d bytes",
		    t->name, kw, CFG_MAXSECRET - 1);
		return (-1);
	}
	*out = cfg_first_line(buf, len);
	explicit_bzero(buf, sizeof(buf));
	if (*out == NULL) {
		cfg_fail(err, "%s: %s printed nothing on its first line",
		    t->name, kw);
		return (-1);
	}
	return (0);
}

/* Signals that arrive while echo is off: noted, then re-raised. */
static volatile sig_atomic_t cfg_signo;

static void
cfg_on_signal(int sig)
{
	cfg_signo = sig;
}

static const int cfg_signals[] = {
	SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM
};
#define CFG_NSIGNALS	(sizeof(cfg_signals) / sizeof(cfg_signals[0]))

/*
 * Read a line from the terminal with echo off.  A signal interrupts
 * the read (no SA_RESTART); echo is back on before it is delivered
 * again with its old handler, as readpassphrase(3) does.  One question:
 * 0, -1 with *err, or -2 to ask again after a stop (Ctrl-Z, then fg).
 */
static int
cfg_ask_once(struct cfg_target *t, char **err)
{
	struct sigaction	 sa, old[CFG_NSIGNALS];
	struct termios		 saved, quiet;
	char			 buf[CFG_MAXSECRET], c, *prompt, *q;
	size_t			 len = 0, i;
	ssize_t			 n;
	int			 fd, sig, e, cut = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1 ||
	    tcgetattr(fd, &saved) == -1) {
		e = errno;
		if (fd != -1)
			close(fd);
		cfg_fail(err, "%s needs a password on the terminal; none is "
		    "available (/dev/tty: %s)", t->name, strerror(e));
		return (-1);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cfg_on_signal;
	cfg_signo = 0;
	for (i = 0; i < CFG_NSIGNALS; i++)
		sigaction(cfg_signals[i], &sa, &old[i]);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	/* The prompt only once echo is off: what follows is not shown. */
	xasprintf(&prompt, "Password for %s: ", t->name);
	for (q = prompt; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?';
	(void)!write(fd, prompt, strlen(prompt));
	free(prompt);
	while (cfg_signo == 0) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != 1 || c == '\n' || c == '\r')
			break;
		if (len < sizeof(buf) - 1)
			buf[len++] = c;
		else
			cut = 1;
	}
	buf[len] = '\0';
	explicit_bzero(&c, sizeof(c));
	(void)!write(fd, "\n", 1);
	tcsetattr(fd, TCSAFLUSH, &saved);
	close(fd);
	for (i = 0; i < CFG_NSIGNALS; i++)
		sigaction(cfg_signals[i], &old[i], NULL);
	if ((sig = cfg_signo) != 0) {
		explicit_bzero(buf, sizeof(buf));
		kill(getpid(), sig);
		if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			return (-2);
		cfg_fail(err, "%s: password prompt interrupted by signal %d",
		    t->name, sig);
		return (-1);
	}
	if (len == 0 || cut) {
		explicit_bzero(buf, sizeof(buf));
		cfg_fail(err, "%s: %s", t->name, cut ? "the password is "
		    "too long" : "no password given");
		return (-1);
	}
	t->password = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return (0);
}

static int
cfg_ask(struct cfg_target *t, char **err)
{
	int	rc;

	while ((rc = cfg_ask_once(t, err)) == -2)
		;
	return (rc);
}

int
cfg_token(struct cfg_target *t, char **err)
{
	char	*tok;

	*err = NULL;
	if (t->token_command == NULL)
		return (0);
	if (cfg_run(t, "token-command", t->token_command, &tok, err) == -1)
		return (-1);
	cfg_wipe(&t->token);
	t->token = tok;
	return (0);
}

int
cfg_secrets(struct cfg *cfg, int may_prompt, char **err)
{
	struct cfg_target	*t;
	size_t			 i;

	*err = NULL;
	for (i = 0; i < cfg->ntargets; i++) {
		t = &cfg->targets[i];
		cfg_wipe(&t->password);
		if (t->password_file != NULL) {
			if (cfg_read_file(t, err) == -1)
				return (-1);
		} else if (t->password_command != NULL) {
			if (cfg_run(t, "password-command", t->password_command,
			    &t->password, err) == -1)
				return (-1);
		} else if (t->ask_password) {
			if (!may_prompt) {
				cfg_fail(err, "%s needs a password on the "
				    "terminal; none is available", t->name);
				return (-1);
			}
			if (cfg_ask(t, err) == -1)
				return (-1);
		}
		if (cfg_token(t, err) == -1)
			return (-1);
	}
	return (0);
}
