/* SPDX-License-Identifier: ISC */
/*
 * test_prom - `fgtop --prom-textfile` with its real consumers: the real
 * fgtop against the real fgtsim on loopback writes the textfile; Debian's
 * promtool checks it (`promtool check metrics`); this test reads it back
 * with a decoder of its own that follows the text format (label values
 * unescaped: \\, \", \n), and the end-to-end test serves it with
 * prometheus-node-exporter's textfile collector to a Prometheus server
 * that scrapes it, then asks Prometheus's HTTP API for fgtop_tunnel_up.
 *
 * What each tunnel should show is not typed here: the scenario is loaded
 * into fgtsim's device model in process (as test_engine does) and every
 * tunnel's intended state gives its metrics (up, phase 1 and phase 2,
 * selectors), its labels (VDOM, parent of a dial-up child, peer) and the
 * template's children.  Counters and findings are compared with the
 * --once --json document of the same run, so the two outputs agree.
 *
 * Without promtool, prometheus or prometheus-node-exporter the tests that
 * need them are skipped, except under CI=true, where that fails.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "prom.h"
#include "tunnel_summary.h"
#include "sim/device.h"
#include "simutil.h"
#include "testutil.h"

struct fx {
	struct sim	 sim;	/* first: sim_setup_state */
	char		 prom[320];
};

static int
setup(void **state)
{
	struct fx	*fx;

	sim_setup_state(state, sizeof *fx);
	fx = *state;
	snprintf(fx->prom, sizeof fx->prom, "%s",
	    sim_path(&fx->sim, "fgtop.prom"));
	return (0);
}

/* The program on PATH, or skip (fail under CI, which installs it). */
static void
need(const char *prog)
{
	char		 buf[512];
	const char	*path = getenv("PATH"), *p, *e;
	const char	*ci = getenv("CI");

	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p = e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)(e - p), p, prog);
		if (access(buf, X_OK) == 0)
			return;
		if (*e == ':')
			e++;
	}
	if (ci != NULL && strcmp(ci, "true") == 0)
		fail_msg("%s is not installed (./bootstrap check installs it)",
		    prog);
	fprintf(stderr, "SKIP: %s is not installed (./bootstrap check "
	    "installs it)\n", prog);
	skip();
}

/* `promtool check metrics < path` passes, or the test fails with why. */
static void
promtool_check(struct fx *fx, const char *path)
{
	const char	*argv[] = { "promtool", "check", "metrics", NULL };
	char		 out[256];
	char		*text;

	need("promtool");
	snprintf(out, sizeof out, "%s", sim_path(&fx->sim, "promtool.out"));
	if (sim_run(argv, &(struct sim_proc){ path, out, out, 0, 0, NULL }, 60,
	    0) != 0) {
		text = sim_read_file(out);
		fail_msg("promtool check metrics %s: %s", path, text);
	}
}

/*
 * The textfile, decoded as the text format says: one sample a line,
 * name{label="value",...} value; values unescaped.
 */
#define MAXLABELS	8

struct sample {
	char	*name;
	char	*lname[MAXLABELS];
	char	*lvalue[MAXLABELS];
	int	 nlabels;
	double	 v;
};

/* Samples by metric, device, VDOM, tunnel and severity: the hub has
 * 30,000 of them. */
#define TF_HASH		65536

struct textfile {
	struct sample	*s;
	size_t		 n;
	char		*text;
	long		 hash[TF_HASH];		/* index + 1, or 0 */
};

static const char *label(const struct sample *, const char *);

static unsigned
tf_key(const char *metric, const char *dev, const char *vdom,
    const char *tunnel, const char *sev)
{
	const char	*parts[5] = { metric, dev, vdom, tunnel, sev };
	const char	*p;
	unsigned	 h = 2166136261u;
	int		 i;

	for (i = 0; i < 5; i++) {
		for (p = parts[i] != NULL ? parts[i] : ""; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return (h % TF_HASH);
}

static int
tf_match(const struct sample *s, const char *metric, const char *dev,
    const char *vdom, const char *tunnel, const char *sev)
{
	const char	*want[4] = { dev, vdom, tunnel, sev };
	const char	*names[4] = { "device", "vdom", "tunnel", "severity" };
	const char	*got;
	int		 i;

	if (strcmp(s->name, metric) != 0)
		return (0);
	for (i = 0; i < 4; i++) {
		got = label(s, names[i]);
		if (strcmp(got != NULL ? got : "", want[i] != NULL ? want[i] :
		    "") != 0)
			return (0);
	}
	return (1);
}

static void
tf_index(struct textfile *tf)
{
	const struct sample	*s;
	unsigned		 h;
	size_t			 i;

	memset(tf->hash, 0, sizeof tf->hash);
	tu_assert_cmp(tf->n, <, TF_HASH / 2);
	for (i = 0; i < tf->n; i++) {
		s = &tf->s[i];
		h = tf_key(s->name, label(s, "device"), label(s, "vdom"),
		    label(s, "tunnel"), label(s, "severity"));
		while (tf->hash[h] != 0)
			h = (h + 1) % TF_HASH;
		tf->hash[h] = (long)i + 1;
	}
}

/* A tunnel's sample of metric (sev: the severity label, or NULL). */
static const struct sample *
tsample(const struct textfile *tf, const char *metric, const char *dev,
    const char *vdom, const char *tunnel, const char *sev)
{
	unsigned	 h = tf_key(metric, dev, vdom, tunnel, sev);

	for (; tf->hash[h] != 0; h = (h + 1) % TF_HASH)
		if (tf_match(&tf->s[tf->hash[h] - 1], metric, dev, vdom,
		    tunnel, sev))
			return (&tf->s[tf->hash[h] - 1]);
	return (NULL);
}

/* A quoted label value from p (after the quote), unescaped in place. */
static char *
unquote(char **pp, const char *line)
{
	char	*p = *pp, *o = p, *start = p;

	for (;;) {
		if (*p == '\0' || *p == '\n')
			fail_msg("unterminated label value: %s", line);
		if (*p == '"')
			break;
		if (*p == '\\') {
			p++;
			if (*p == 'n')
				*o++ = '\n';
			else if (*p == '\\' || *p == '"')
				*o++ = *p;
			else
				fail_msg("bad escape \\%c: %s", *p, line);
			p++;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	*pp = p + 1;
	return (start);
}

static void
textfile_load(struct textfile *tf, const char *path)
{
	char		*l, *nl, *p, *line;
	struct sample	*s;
	char		 copy[2048];

	memset(tf, 0, sizeof *tf);
	tf->text = sim_read_file(path);
	for (l = tf->text; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if (*l == '#' || *l == '\0')
			continue;
		snprintf(copy, sizeof copy, "%s", l);
		line = copy;
		tf->s = realloc(tf->s, (tf->n + 1) * sizeof *tf->s);
		s = &tf->s[tf->n++];
		memset(s, 0, sizeof *s);
		s->name = l;
		p = l + strcspn(l, "{ ");
		if (*p == '{') {
			*p++ = '\0';
			while (*p != '}') {
				if (s->nlabels == MAXLABELS)
					fail_msg("too many labels: %s", line);
				s->lname[s->nlabels] = p;
				p += strcspn(p, "=");
				if (p[0] != '=' || p[1] != '"')
					fail_msg("bad label: %s", line);
				*p = '\0';
				p += 2;
				s->lvalue[s->nlabels++] = unquote(&p, line);
				if (*p == ',')
					p++;
			}
			p++;
		} else
			*p = '\0';
		if (*p != ' ')
			fail_msg("no value: %s", line);
		s->v = strtod(p + 1, NULL);
	}
	tf_index(tf);
}

static void
textfile_free(struct textfile *tf)
{
	free(tf->s);
	free(tf->text);
}

static const char *
label(const struct sample *s, const char *name)
{
	int	 i;

	for (i = 0; i < s->nlabels; i++)
		if (strcmp(s->lname[i], name) == 0)
			return (s->lvalue[i]);
	return (NULL);
}

/*
 * The sample of metric name whose labels are the pairs given
 * (name, value, ..., NULL), or NULL.
 */
static const struct sample *
find(const struct textfile *tf, const char *name, ...)
{
	const char	*k, *v, *got;
	va_list		 ap;
	size_t		 i;
	int		 ok;

	for (i = 0; i < tf->n; i++) {
		if (strcmp(tf->s[i].name, name) != 0)
			continue;
		ok = 1;
		va_start(ap, name);
		while (ok && (k = va_arg(ap, const char *)) != NULL) {
			v = va_arg(ap, const char *);
			got = label(&tf->s[i], k);
			ok = got != NULL && strcmp(got, v) == 0;
		}
		va_end(ap);
		if (ok)
			return (&tf->s[i]);
	}
	return (NULL);
}

static size_t
count(const struct textfile *tf, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < tf->n; i++)
		n += strcmp(tf->s[i].name, name) == 0;
	return (n);
}

/* The value of a tunnel's metric; fails when the sample is missing. */
static double
tval(const struct textfile *tf, const char *metric, const char *dev,
    const char *vdom, const char *tunnel)
{
	const struct sample	*s;

	s = tsample(tf, metric, dev, vdom, tunnel, NULL);
	if (s == NULL)
		fail_msg("no %s for %s/%s/%s", metric, dev, vdom, tunnel);
	return (s->v);
}

static void
expect_val(const char *what, const char *tunnel, double got, double want)
{
	char	name[256];

	snprintf(name, sizeof name, "%s of %s", what, tunnel);
	tu_assert_double_named(name, got, want, 0);
}

/* A counter as the JSON says it; fails when it is not a number. */
static double
jnum(json_t *o, const char *k, const char *tunnel)
{
	json_t	*v = json_object_get(o, k);

	if (!json_is_integer(v))
		fail_msg("%s of %s is not a number in the JSON", k, tunnel);
	return ((double)json_integer_value(v));
}

/* A tunnel's findings of one severity in the JSON document. */
static double
jfindings(json_t *jt, const char *severity)
{
	json_t	*f;
	size_t	 i, n = 0;

	json_array_foreach(json_object_get(jt, "findings"), i, f)
		n += strcmp(json_string_value(json_object_get(f,
		    "severity")), severity) == 0;
	return ((double)n);
}

/* One scenario tunnel's metrics against its intended state. */
static void
check_tunnel(const struct textfile *tf, const char *dev, const char *vdom,
    const struct sim_tunnel *t, json_t *jt)
{
	static const char *const sev[] = {
		"critical", "error", "warning", "info"
	};
	const struct sim_tunnel *sel = t->np2 == 0 && t->parent != NULL ?
			    t->parent : t;
	const struct sample	*s;
	char			 addr[32];
	double			 up = t->state == ST_UP, nfind = 0;
	size_t			 i;

	s = tsample(tf, "fgtop_tunnel_up", dev, vdom, t->name, NULL);
	if (s == NULL)
		fail_msg("no fgtop_tunnel_up for %s/%s/%s", dev, vdom,
		    t->name);
	tu_expect_str("peer", label(s, "peer"), render_ip4(t->remote, addr));
	tu_expect_str("parent", label(s, "parent"),
	    t->parent != NULL ? t->parent->name : "");
	expect_val("fgtop_tunnel_up", t->name, s->v, up);
	expect_val("fgtop_tunnel_phase1_up", t->name,
	    tval(tf, "fgtop_tunnel_phase1_up", dev, vdom, t->name),
	    t->state != ST_CONNECTING);
	expect_val("fgtop_tunnel_phase2_up", t->name,
	    tval(tf, "fgtop_tunnel_phase2_up", dev, vdom, t->name), up);
	expect_val("fgtop_tunnel_selectors", t->name,
	    tval(tf, "fgtop_tunnel_selectors", dev, vdom, t->name),
	    (double)sel->np2);
	expect_val("fgtop_tunnel_selectors_up", t->name,
	    tval(tf, "fgtop_tunnel_selectors_up", dev, vdom, t->name),
	    up * (double)sel->np2);
	/* One round: nothing flapped yet. */
	expect_val("fgtop_tunnel_flaps_last_hour", t->name,
	    tval(tf, "fgtop_tunnel_flaps_last_hour", dev, vdom, t->name), 0);
	/* The same round as the JSON document. */
	expect_val("fgtop_tunnel_rx_packets_total", t->name,
	    tval(tf, "fgtop_tunnel_rx_packets_total", dev, vdom, t->name),
	    jnum(jt, "rx_pkt", t->name));
	expect_val("fgtop_tunnel_tx_packets_total", t->name,
	    tval(tf, "fgtop_tunnel_tx_packets_total", dev, vdom, t->name),
	    jnum(jt, "tx_pkt", t->name));
	expect_val("fgtop_tunnel_rx_errors_total", t->name,
	    tval(tf, "fgtop_tunnel_rx_errors_total", dev, vdom, t->name),
	    jnum(jt, "rx_err", t->name));
	expect_val("fgtop_tunnel_tx_errors_total", t->name,
	    tval(tf, "fgtop_tunnel_tx_errors_total", dev, vdom, t->name),
	    jnum(jt, "tx_err", t->name));
	for (i = 0; i < 4; i++) {
		s = tsample(tf, "fgtop_tunnel_findings", dev, vdom, t->name,
		    sev[i]);
		if (s == NULL)
			fail_msg("no %s findings for %s", sev[i], t->name);
		expect_val(sev[i], t->name, s->v, jfindings(jt, sev[i]));
		nfind += s->v;
	}
	/* A down tunnel has a finding that says why. */
	if (!up && nfind == 0)
		fail_msg("%s is down and has no finding", t->name);
}

/*
 * Every device, VDOM and tunnel of the scenario at simulated second 1,
 * in the textfile as the scenario means it; doc is the --once --json
 * document of the same run.  Returns the number of tunnels checked.
 */
static size_t
check_scenario(const struct textfile *tf, json_t *doc, const char *scn)
{
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_vdom		*v;
	struct sim_tunnel	*t;
	const struct sample	*s;
	json_t			*jd, *jv, *jt;
	char			 err[256], dev[32], ver[32];
	const char		*vname;
	size_t			 i, k, n, ntun, checked = 0;

	w = sim_world_load(scn, err, sizeof err);
	if (w == NULL)
		fail_msg("%s: %s", scn, err);
	sim_world_advance(w, 1);
	for (i = 0; i < w->ndevices; i++) {
		d = w->devices[i];
		snprintf(dev, sizeof dev, "d%zu", i);
		jd = tu_named(json_object_get(doc, "devices"), dev);
		assert_non_null(jd);
		s = find(tf, "fgtop_device_up", "device", dev, "host",
		    "127.0.0.1", NULL);
		if (s == NULL)
			fail_msg("no fgtop_device_up for %s", dev);
		expect_val("fgtop_device_up", dev, s->v, 1);
		s = find(tf, "fgtop_device_info", "device", dev, NULL);
		assert_non_null(s);
		tu_expect_str("hostname", label(s, "hostname"), d->hostname);
		snprintf(ver, sizeof ver, "v%s", d->version);
		tu_expect_str("version", label(s, "version"), ver);
		tu_expect_str("serial", label(s, "serial"), d->serial);
		assert_non_null(find(tf, "fgtop_device_poll_duration_seconds",
		    "device", dev, NULL));
		assert_non_null(find(tf,
		    "fgtop_device_last_success_timestamp_seconds", "device",
		    dev, NULL));
		ntun = 0;
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			vname = d->multi_vdom ? v->name : "root";
			jv = tu_named(json_object_get(jd, "vdoms"), vname);
			assert_non_null(jv);
			for (n = 0; n < v->ntunnels; n++) {
				t = v->tunnels[n];
				ntun++;
				if (t->is_template) {
					/* Its children are counted, it has
					 * no state of its own. */
					s = tsample(tf,
					    "fgtop_tunnel_children", dev,
					    vname, t->name, NULL);
					if (s == NULL)
						fail_msg("no children of %s",
						    t->name);
					expect_val("fgtop_tunnel_children",
					    t->name, s->v, t->nchildren);
					assert_null(tsample(tf,
					    "fgtop_tunnel_up", dev, vname,
					    t->name, NULL));
					continue;
				}
				jt = tu_named(json_object_get(jv,
				    "tunnels"), t->name);
				if (jt == NULL)
					fail_msg("no %s in the JSON", t->name);
				check_tunnel(tf, dev, vname, t, jt);
				checked++;
			}
		}
		s = find(tf, "fgtop_device_tunnels", "device", dev, NULL);
		assert_non_null(s);
		expect_val("fgtop_device_tunnels", dev, s->v, (double)ntun);
	}
	sim_world_free(w);
	return (checked);
}

/* --once --json and the textfile of one scenario; checked tunnels. */
static size_t
once_scenario(struct fx *fx, const char *scn, const char *per_device)
{
	struct textfile	 tf;
	json_t		*doc;
	size_t		 n;

	sim_start(&fx->sim, scn, NULL);
	sim_fgtop_config(&fx->sim, NULL, per_device, 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--accept-new", "--prom-textfile", fx->prom, NULL), 0);
	promtool_check(fx, fx->prom);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	textfile_load(&tf, fx->prom);
	n = check_scenario(&tf, doc, scn);
	/* One fgtop_tunnel_up a tunnel with a state, no more. */
	assert_int_equal(count(&tf, "fgtop_tunnel_up"), n);
	textfile_free(&tf);
	json_decref(doc);
	return (n);
}

static void
test_faults(void **state)
{
	struct fx	*fx = *state;
	char		*err;

	assert_int_equal(once_scenario(fx, sim_scenario("faults.scn"), NULL),
	    12);
	/* A path that ends in .prom: no warning at all. */
	err = sim_read_file(fx->sim.err);
	assert_null(strstr(err, "warning"));
	free(err);
}

static void
test_multivdom(void **state)
{
	struct fx	*fx = *state;
	struct textfile	 tf;

	assert_int_equal(once_scenario(fx, sim_scenario("multivdom.scn"),
	    "  disclaimer accept"), 4);
	/* A tunnel in its own VDOM, with two selectors both up. */
	textfile_load(&tf, fx->prom);
	expect_val("selectors", "custa-hq", tval(&tf,
	    "fgtop_tunnel_selectors", "d0", "CUST-A", "custa-hq"), 2);
	assert_null(find(&tf, "fgtop_tunnel_up", "vdom", "root", "tunnel",
	    "custa-hq", NULL));
	textfile_free(&tf);
}

/* The 2,000 dial-up children, each with its parent; the hub counts them. */
static void
test_hub(void **state)
{
	struct fx	*fx = *state;
	struct textfile	 tf;
	const struct sample *s;

	assert_int_equal(once_scenario(fx, sim_scenario("hub.scn"), NULL),
	    2001);
	textfile_load(&tf, fx->prom);
	s = find(&tf, "fgtop_tunnel_up", "tunnel", "HUB_1999", NULL);
	assert_non_null(s);
	assert_string_equal(label(s, "parent"), "HUB");
	textfile_free(&tf);
}

/*
 * Names with spaces, quotes, a backslash and UTF-8 go through fgtsim,
 * the parsers and the textfile intact, escaped as the format wants.
 */
static const char names_scn[] =
    "device FGT-NAMES\n  model FortiGate-100F\n  version 7.4.3\n"
    "  serial FGT1HFTK0000NAME\n  user admin password fgtsim\n"
    "  tunnel \"to HQ \\\"main\\\" C:\\\\vpn\"\n    interface wan1\n"
    "    local 198.51.100.2\n    remote 203.0.113.7\n    ike 2\n"
    "    phase2 \"hq sel\" src 10.1.0.0/24 dst 10.0.0.0/16\n"
    "    traffic 5 pps\n"
    "  tunnel Z\xc3\xbcrich-dr\n    interface wan1\n"
    "    local 198.51.100.2\n    remote 203.0.113.8\n    ike 2\n"
    "    phase2 zrh src 10.1.0.0/24 dst 10.8.0.0/16\n"
    "    fault psk-mismatch\n"
    "  tunnel dialin\n    type dialup\n    interface wan1\n"
    "    local 198.51.100.2\n    ike 2\n"
    "    phase2 dialin src 10.1.0.0/24 dst 0.0.0.0/0\n"
    "    traffic 1 pps\n    children 2\n";

static void
test_names(void **state)
{
	struct fx	*fx = *state;
	struct textfile	 tf;
	char		 scn[300], *text;

	snprintf(scn, sizeof scn, "%s", sim_path(&fx->sim, "names.scn"));
	sim_write_file(scn, names_scn);
	/* Two static tunnels and two dial-up children. */
	assert_int_equal(once_scenario(fx, scn, NULL), 4);
	textfile_load(&tf, fx->prom);
	assert_non_null(find(&tf, "fgtop_tunnel_up", "tunnel",
	    "to HQ \"main\" C:\\vpn", NULL));
	textfile_free(&tf);
	/* As the format escapes it, byte for byte. */
	text = sim_read_file(fx->prom);
	assert_non_null(strstr(text, "fgtop_tunnel_up{device=\"d0\","
	    "vdom=\"root\",tunnel=\"to HQ \\\"main\\\" C:\\\\vpn\","
	    "parent=\"\",peer=\"203.0.113.7\"} 1\n"));
	assert_non_null(strstr(text, "tunnel=\"Z\xc3\xbcrich-dr\""));
	free(text);
}

/*
 * Control bytes never reach the file: a device named with ESC, a
 * newline, a quote, a backslash, an invalid UTF-8 byte and a C1
 * control; the label value reads as the visible text JSON would give.
 */
static void
test_escape(void **state)
{
	struct fx		*fx = *state;
	struct model		*m = model_new();
	struct textfile		 tf;
	const struct sample	*s;
	char			*err = NULL, *text;
	const unsigned char	*p;

	model_add_device(m, "fw\x1b[31m\n\"x\"\\\xff\xc2\x9b", "host\x07",
	    22);
	if (prom_write(m, fx->prom, 1764576000, "test\x1b", &err) != 0)
		fail_msg("prom_write: %s", err);
	model_free(m);
	text = sim_read_file(fx->prom);
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f || *p == 0xff ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			fail_msg("byte 0x%02x in the textfile at %zu", *p,
			    (size_t)(p - (const unsigned char *)text));
	free(text);
	promtool_check(fx, fx->prom);
	textfile_load(&tf, fx->prom);
	s = find(&tf, "fgtop_device_up", NULL);
	assert_non_null(s);
	assert_string_equal(label(s, "device"),
	    "fw\\x1b[31m\\n\"x\"\\\\xff\\xc2\\x9b");
	assert_string_equal(label(s, "host"), "host\\x07");
	assert_int_equal((int)s->v, 0);
	/* A device never polled has no poll duration or success time. */
	assert_int_equal(count(&tf, "fgtop_device_poll_duration_seconds"), 0);
	assert_int_equal(count(&tf,
	    "fgtop_device_last_success_timestamp_seconds"), 0);
	s = find(&tf, "fgtop_build_info", NULL);
	assert_non_null(s);
	assert_string_equal(label(s, "version"), "test\\x1b");
	textfile_free(&tf);
}

#define SUMMARY(up) \
	"FW1 # get vpn ipsec tunnel summary\n" \
	"'hq' 203.0.113.1:0  selectors(total,up): 1/" up \
	"  rx(pkt,err): 10/0  tx(pkt,err): 20/1\n" \
	"FW1 # "

/*
 * The history (model.h) in the textfile: a tunnel up at 1000 s, down at
 * 1100, up at 1200, down at 1300, up at 1400, written at 1500, has gone
 * down twice in the last hour and been down 200 s of the last day.
 */
static void
test_history(void **state)
{
	static const char *const seq[] = { "1", "0", "1", "0", "1" };
	struct fx		*fx = *state;
	struct model		*m = model_new();
	struct mdev		*d;
	struct mvdom		*v;
	struct tunnel_summary	*ts;
	struct textfile		 tf;
	char			*err = NULL, text[512];
	size_t			 i;

	d = model_add_device(m, "fw1", "192.0.2.1", 22);
	v = model_vdom(d, "root");
	for (i = 0; i < 5; i++) {
		model_round_begin(d);
		snprintf(text, sizeof text, SUMMARY("%s"), seq[i]);
		ts = tunnel_summary_parse(text, strlen(text));
		assert_non_null(ts);
		model_merge_summary(v, ts, 1, 1000 + 100 * (double)i);
		tunnel_summary_free(ts);
		model_round_end(d, 1000 + 100 * (double)i, 250);
	}
	if (prom_write(m, fx->prom, 1500, "test", &err) != 0)
		fail_msg("prom_write: %s", err);
	model_free(m);
	promtool_check(fx, fx->prom);
	textfile_load(&tf, fx->prom);
	expect_val("flaps", "hq", tval(&tf, "fgtop_tunnel_flaps_last_hour",
	    "fw1", "root", "hq"), 2);
	expect_val("downtime", "hq", tval(&tf,
	    "fgtop_tunnel_down_seconds_last_day", "fw1", "root", "hq"), 200);
	expect_val("up", "hq", tval(&tf, "fgtop_tunnel_up", "fw1", "root",
	    "hq"), 1);
	expect_val("last change", "hq", tval(&tf,
	    "fgtop_tunnel_last_change_timestamp_seconds", "fw1", "root",
	    "hq"), 1400);
	expect_val("tx errors", "hq", tval(&tf,
	    "fgtop_tunnel_tx_errors_total", "fw1", "root", "hq"), 1);
	expect_val("poll duration", "fw1", find(&tf,
	    "fgtop_device_poll_duration_seconds", "device", "fw1",
	    NULL)->v, 0.25);
	expect_val("last success", "fw1", find(&tf,
	    "fgtop_device_last_success_timestamp_seconds", "device", "fw1",
	    NULL)->v, 1400);
	/* Only the summary was polled: no phase 1 to tell. */
	assert_null(tsample(&tf, "fgtop_tunnel_phase1_up", "fw1", "root",
	    "hq", NULL));
	textfile_free(&tf);
}

/*
 * A textfile that cannot be written is a warning: --once still prints
 * its JSON and exits as it would, and the old file stays as it was.
 */
static void
test_unwritable(void **state)
{
	struct fx	*fx = *state;
	struct stat	 sb;
	char		*err, *text, path[300], tmp[340];
	json_t		*doc;

	sim_start(&fx->sim, sim_scenario("faults.scn"), NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	/* Below a regular file. */
	snprintf(path, sizeof path, "%s/x.prom", fx->sim.cfg);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--accept-new", "--prom-textfile", path, NULL), 0);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	assert_int_equal(json_array_size(json_object_get(doc, "devices")), 1);
	json_decref(doc);
	err = sim_read_file(fx->sim.err);
	if (strstr(err, "fgtop: warning: cannot write ") == NULL ||
	    strstr(err, "Not a directory") == NULL)
		fail_msg("stderr: %s", err);
	free(err);

	/* The old file stays when the new one cannot be made. */
	sim_write_file(fx->prom, "# the old file\n");
	snprintf(tmp, sizeof tmp, "%s.tmp", fx->prom);
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--prom-textfile", fx->prom, NULL), 0);
	text = sim_read_file(fx->prom);
	assert_string_equal(text, "# the old file\n");
	free(text);
	err = sim_read_file(fx->sim.err);
	assert_non_null(strstr(err, "Is a directory"));
	free(err);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	json_decref(doc);
	rmdir(tmp);

	/*
	 * Not a regular file (a FIFO here; /dev/null as root in the field):
	 * refused, never renamed over.
	 */
	snprintf(path, sizeof path, "%s", sim_path(&fx->sim, "fifo.prom"));
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--json",
	    "--prom-textfile", path, NULL), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
	err = sim_read_file(fx->sim.err);
	if (strstr(err, "not a regular file") == NULL)
		fail_msg("stderr: %s", err);
	free(err);
	doc = tu_json_file(fx->sim.out, fx->sim.err);
	json_decref(doc);

	/* Not *.prom: written, with a warning that node_exporter skips it. */
	snprintf(path, sizeof path, "%s", sim_path(&fx->sim, "fgtop.txt"));
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--prom-textfile",
	    path, NULL), 0);
	err = sim_read_file(fx->sim.err);
	if (strstr(err, "does not end in .prom") == NULL)
		fail_msg("stderr: %s", err);
	free(err);
	promtool_check(fx, path);
}

/*
 * --watch-json polling four times a second, the textfile named by the
 * config file: the file follows, but is rewritten at most once a second
 * (each write is a new file: its modification time changes).
 */
static void
test_watch_coalesced(void **state)
{
	struct fx	*fx = *state;
	struct stat	 st;
	struct timespec	 seen[64];
	size_t		 nseen = 0, i;
	pid_t		 pid;
	double		 t0, until;
	int		 status;
	char		 global[400];

	sim_start(&fx->sim, sim_scenario("faults.scn"), NULL);
	/* The config file's keyword, this time. */
	snprintf(global, sizeof global, "prom-textfile \"%s\"\n", fx->prom);
	sim_fgtop_config(&fx->sim, global, NULL, 0);
	pid = sim_fgtop_spawn(&fx->sim, NULL, (const char *const []){
	    "--watch-json", "--accept-new", "--poll", "0.25", "--full-poll",
	    "0.25", NULL });
	t0 = sim_now();
	until = t0 + 4.5;
	while (sim_now() < until) {
		if (stat(fx->prom, &st) == 0 && (nseen == 0 ||
		    seen[nseen - 1].tv_sec != st.st_mtim.tv_sec ||
		    seen[nseen - 1].tv_nsec != st.st_mtim.tv_nsec) &&
		    nseen < 64)
			seen[nseen++] = st.st_mtim;
		usleep(10000);
	}
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	/* 18 rounds in 4.5 s; written once at the start, then each second. */
	if (nseen < 3 || nseen > 6)
		fail_msg("the file was written %zu times in 4.5 s", nseen);
	for (i = 1; i < nseen; i++) {
		double gap = (double)(seen[i].tv_sec - seen[i - 1].tv_sec) +
		    (double)(seen[i].tv_nsec - seen[i - 1].tv_nsec) / 1e9;

		tu_assert_double_cmp(gap, >=, 0.9);
	}
	promtool_check(fx, fx->prom);
}

/*
 * GET path from 127.0.0.1:port (HTTP/1.0, the body until the server
 * closes); the body, or NULL when nothing answers yet.  Caller frees.
 */
static char *
http_get(int port, const char *path)
{
	struct sockaddr_in	 sin;
	char			*buf, req[1024], *body;
	size_t			 len = 0, cap = 65536;
	ssize_t			 r;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return (NULL);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		close(fd);
		return (NULL);
	}
	snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n"
	    "\r\n", path, port);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return (NULL);
	}
	buf = malloc(cap);
	assert_non_null(buf);
	while ((r = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	close(fd);
	buf[len] = '\0';
	if ((body = strstr(buf, "\r\n\r\n")) == NULL) {
		free(buf);
		return (NULL);
	}
	body = strdup(body + 4);
	free(buf);
	return (body);
}

/* A server in the background, stdout and stderr into its log. */
static pid_t
spawn(const char *const *argv, const char *log)
{
	return (sim_spawn(argv, &(struct sim_proc){ NULL, log, log, 1, 0, NULL }));
}

static void
reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

/*
 * fgtop -> node_exporter's textfile collector -> Prometheus: the HTTP
 * API returns fgtop_tunnel_up of every tunnel with its labels and the
 * value the scenario means.
 */
static void
test_end_to_end(void **state)
{
	struct fx		*fx = *state;
	struct sim_world	*w;
	struct sim_tunnel	*t;
	char			 dir[300], arg[3][400], scn[300], *body = NULL;
	char			 cfg[300], addr[32], err[256];
	const char		*ne[8], *pr[8];
	pid_t			 nepid, prpid;
	json_t			*doc, *res, *r, *m;
	size_t			 i, n, found = 0;
	double			 until;
	int			 neport, prport;

	need("prometheus");
	need("prometheus-node-exporter");
	snprintf(scn, sizeof scn, "%s", sim_path(&fx->sim, "names.scn"));
	sim_write_file(scn, names_scn);
	sim_start(&fx->sim, scn, NULL);
	sim_fgtop_config(&fx->sim, NULL, NULL, 0);
	snprintf(dir, sizeof dir, "%s", sim_path(&fx->sim, "textfile"));
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(fx->prom, sizeof fx->prom, "%s/fgtop.prom", dir);
	assert_int_equal(sim_fgtop_run(&fx->sim, 60, 0, "--once", "--accept-new",
	    "--prom-textfile", fx->prom, NULL), 0);

	neport = sim_closed_port();
	snprintf(arg[0], sizeof arg[0], "--web.listen-address=127.0.0.1:%d",
	    neport);
	snprintf(arg[1], sizeof arg[1], "--collector.textfile.directory=%s",
	    dir);
	ne[0] = "prometheus-node-exporter";
	ne[1] = arg[0];
	ne[2] = "--collector.disable-defaults";
	ne[3] = "--collector.textfile";
	ne[4] = arg[1];
	ne[5] = NULL;
	nepid = spawn(ne, sim_path(&fx->sim, "node_exporter.log"));

	prport = sim_closed_port();
	snprintf(cfg, sizeof cfg, "%s", sim_path(&fx->sim, "prometheus.yml"));
	snprintf(arg[2], sizeof arg[2], "global:\n  scrape_interval: 1s\n"
	    "scrape_configs:\n  - job_name: fgtop\n    static_configs:\n"
	    "      - targets: ['127.0.0.1:%d']\n", neport);
	sim_write_file(cfg, arg[2]);
	snprintf(arg[0], sizeof arg[0], "--config.file=%s", cfg);
	snprintf(arg[1], sizeof arg[1], "--storage.tsdb.path=%s",
	    sim_path(&fx->sim, "tsdb"));
	snprintf(arg[2], sizeof arg[2], "--web.listen-address=127.0.0.1:%d",
	    prport);
	pr[0] = "prometheus";
	pr[1] = arg[0];
	pr[2] = arg[1];
	pr[3] = arg[2];
	pr[4] = NULL;
	prpid = spawn(pr, sim_path(&fx->sim, "prometheus.log"));

	/* Until the first scrape is stored; no fixed sleep. */
	until = sim_now() + 30;
	doc = NULL;
	while (sim_now() < until) {
		free(body);
		body = http_get(prport, "/api/v1/query?query=fgtop_tunnel_up");
		if (body != NULL && (doc = json_loads(body, 0, NULL)) != NULL &&
		    json_array_size(json_object_get(json_object_get(doc,
		    "data"), "result")) >= 4)
			break;
		json_decref(doc);
		doc = NULL;
		usleep(200000);
	}
	reap(prpid);
	reap(nepid);
	if (doc == NULL)
		fail_msg("Prometheus never returned fgtop_tunnel_up: %s; "
		    "its log: %s", body != NULL ? body : "(no answer)",
		    sim_read_file(sim_path(&fx->sim, "prometheus.log")));
	free(body);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "success");
	res = json_object_get(json_object_get(doc, "data"), "result");

	w = sim_world_load(scn, err, sizeof err);
	assert_non_null(w);
	sim_world_advance(w, 1);
	for (n = 0; n < w->devices[0]->vdoms[0]->ntunnels; n++) {
		t = w->devices[0]->vdoms[0]->tunnels[n];
		if (t->is_template)
			continue;
		json_array_foreach(res, i, r) {
			m = json_object_get(r, "metric");
			if (strcmp(json_string_value(json_object_get(m,
			    "tunnel")), t->name) != 0)
				continue;
			found++;
			assert_string_equal(json_string_value(
			    json_object_get(m, "device")), "d0");
			assert_string_equal(json_string_value(
			    json_object_get(m, "vdom")), "root");
			assert_string_equal(json_string_value(
			    json_object_get(m, "peer")),
			    render_ip4(t->remote, addr));
			/* Prometheus drops a label whose value is empty. */
			if (t->parent != NULL)
				assert_string_equal(json_string_value(
				    json_object_get(m, "parent")),
				    t->parent->name);
			else
				assert_null(json_object_get(m, "parent"));
			assert_string_equal(json_string_value(json_array_get(
			    json_object_get(r, "value"), 1)),
			    t->state == ST_UP ? "1" : "0");
		}
	}
	sim_world_free(w);
	/* to HQ "main" C:\vpn, Zürich-dr, dialin_0 and dialin_1. */
	assert_int_equal(found, 4);
	assert_int_equal(json_array_size(res), 4);
	json_decref(doc);
}

/* Each fgtop_ metric named in text is one the textfile has (TYPE line). */
static size_t
check_names(const char *text, const char *types, const char *what)
{
	const char	*p = text;
	char		 name[128], want[160];
	size_t		 n, checked = 0;

	while ((p = strstr(p, "fgtop_")) != NULL) {
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		p += n;
		snprintf(want, sizeof want, "# TYPE %s ", name);
		if (strstr(types, want) == NULL)
			fail_msg("%s names %s, which fgtop does not write",
			    what, name);
		checked++;
	}
	return (checked);
}

/*
 * contrib/prometheus: the rules pass promtool and their unit tests; the
 * Grafana dashboard is JSON with panels that query fgtop's metrics, and
 * neither names a metric fgtop does not write.
 */
static void
test_contrib(void **state)
{
	struct fx	*fx = *state;
	const char	*check[] = { "promtool", "check", "rules",
			    TOP_SRCDIR "/contrib/prometheus/fgtop.rules.yml",
			    NULL };
	const char	*unit[] = { "promtool", "test", "rules",
			    TOP_SRCDIR "/contrib/prometheus/fgtop.rules.test.yml",
			    NULL };
	struct model	*m = model_new();
	json_error_t	 je;
	json_t		*dash, *panel, *target;
	char		 out[300], *err = NULL, *types, *rules;
	struct sim_proc	 po = { NULL, out, out, 0, 0, NULL };
	const char	*expr;
	size_t		 i, k, nexpr = 0, nnames = 0;

	need("promtool");
	snprintf(out, sizeof out, "%s", sim_path(&fx->sim, "promtool.out"));
	if (sim_run(check, &po, 60, 0) != 0)
		fail_msg("promtool check rules: %s", sim_read_file(out));
	if (sim_run(unit, &po, 60, 0) != 0)
		fail_msg("promtool test rules: %s", sim_read_file(out));

	/* Every metric has its TYPE line, samples or not. */
	if (prom_write(m, fx->prom, 1764576000, "test", &err) != 0)
		fail_msg("prom_write: %s", err);
	model_free(m);
	types = sim_read_file(fx->prom);
	rules = sim_read_file(TOP_SRCDIR "/contrib/prometheus/fgtop.rules.yml");
	nnames = check_names(rules, types, "fgtop.rules.yml");
	assert_in_range(nnames, 6, 1000);
	free(rules);

	dash = json_load_file(TOP_SRCDIR
	    "/contrib/prometheus/grafana-fgtop.json", 0, &je);
	if (dash == NULL)
		fail_msg("grafana-fgtop.json: %s (line %d)", je.text, je.line);
	assert_string_equal(json_string_value(json_object_get(dash, "uid")),
	    "fgtop-ipsec");
	tu_assert_cmp(json_array_size(json_object_get(dash, "panels")), >=, 4);
	json_array_foreach(json_object_get(dash, "panels"), i, panel) {
		assert_non_null(json_string_value(json_object_get(panel,
		    "type")));
		assert_true(json_is_object(json_object_get(panel, "gridPos")));
		tu_assert_cmp(json_array_size(json_object_get(panel,
		    "targets")), >, 0);
		json_array_foreach(json_object_get(panel, "targets"), k,
		    target) {
			expr = json_string_value(json_object_get(target,
			    "expr"));
			if (expr == NULL)
				fail_msg("panel %s: a target without expr",
				    json_string_value(json_object_get(panel,
				    "title")));
			if (check_names(expr, types, "grafana-fgtop.json") ==
			    0)
				fail_msg("panel %s queries no fgtop metric: %s",
				    json_string_value(json_object_get(panel,
				    "title")), expr);
			nexpr++;
		}
	}
	assert_in_range(nexpr, 4, 1000);
	json_decref(dash);
	free(types);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_faults, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_multivdom, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_hub, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_names, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_escape, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_history, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_unwritable, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_watch_coalesced, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_end_to_end, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_contrib, setup,
		    sim_teardown_state),
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
