/*
 * test_engine - `fgtop --once --json` and `--watch-json` end to end: the
 * real fgtop binary against the real fgtsim over SSH on loopback.
 *
 * What each device and tunnel should look like is not typed here: the
 * test loads the same scenario file into fgtsim's device model
 * (tests/sim, in process) and reads the intended state of every tunnel
 * from it (up, phase 1 connecting, selectors at sa=0 ...), so a scenario
 * edit cannot leave the test asserting stale values.  fgtop's JSON is
 * parsed (jansson) and compared field by field.  fgtsim's --log is the
 * witness of what fgtop sent: every command line is run through the
 * allowlist again, with its context.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "allow.h"
#include "sim/device.h"
#include "simutil.h"
#include "testutil.h"

struct fx {
	struct sim	 sim;
	char		 cfg[256];
	char		 kh[256];
	char		 out[256];
	char		 err[256];
};

static const char *
fgtop_path(void)
{
	static char	 path[1024];
	const char	*s = getenv("top_builddir");

	snprintf(path, sizeof path, "%s/src/fgtop",
	    s != NULL && *s != '\0' ? s : ".");
	return (path);
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof *fx);

	sim_init(&fx->sim);
	snprintf(fx->cfg, sizeof fx->cfg, "%s", sim_path(&fx->sim, "config"));
	snprintf(fx->kh, sizeof fx->kh, "%s",
	    sim_path(&fx->sim, "known_hosts"));
	snprintf(fx->out, sizeof fx->out, "%s", sim_path(&fx->sim, "out"));
	snprintf(fx->err, sizeof fx->err, "%s", sim_path(&fx->sim, "err"));
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	sim_cleanup(&fx->sim);
	free(fx);
	return (0);
}

/*
 * The config: device d<i> on fgtsim's i-th port, then `extra` devices
 * on ports where nothing listens.  Every device logs in as admin with
 * the password from a 0600 file.
 */
static void
write_config(struct fx *fx, const char *per_device, int closed)
{
	char	*pw = sim_path(&fx->sim, "pw");
	FILE	*f;
	int	 i;

	sim_write_file(pw, "fgtsim\n");
	assert_int_equal(chmod(pw, 0600), 0);
	f = fopen(fx->cfg, "w");
	assert_non_null(f);
	for (i = 0; i < fx->sim.nports + closed; i++)
		fprintf(f, "device d%d\n  address 127.0.0.1\n  port %d\n"
		    "  user admin\n  password-file %s\n%s\n", i,
		    i < fx->sim.nports ? fx->sim.ports[i] : sim_closed_port(),
		    pw, per_device != NULL ? per_device : "");
	fclose(f);
}

/* Run fgtop with the common options and more; its exit status. */
static int
run_fgtop(struct fx *fx, double limit, int sig_after, ...)
{
	const char	*argv[40];
	char		*cargv[40];
	const char	*a;
	va_list		 ap;
	pid_t		 pid;
	double		 until;
	int		 argc = 0, status, killed = 0;

	argv[argc++] = fgtop_path();
	va_start(ap, sig_after);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 30)
		argv[argc++] = a;
	va_end(ap);
	argv[argc++] = "--config";
	argv[argc++] = fx->cfg;
	argv[argc++] = "--known-hosts";
	argv[argc++] = fx->kh;
	argv[argc++] = "-F";
	argv[argc++] = "none";
	argv[argc++] = "--no-agent";
	argv[argc] = NULL;
	if ((pid = fork()) == 0) {
		if (freopen(fx->out, "w", stdout) == NULL ||
		    freopen(fx->err, "w", stderr) == NULL)
			_exit(126);
		memcpy(cargv, argv, sizeof cargv);
		execv(cargv[0], cargv);
		_exit(127);
	}
	assert_true(pid > 0);
	until = now_s() + limit;
	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (now_s() > until) {
			if (sig_after && !killed) {
				kill(pid, SIGTERM);
				killed = 1;
				until = now_s() + 10;
				continue;
			}
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("fgtop did not finish in %.0f s", limit);
		}
		usleep(20000);
	}
	if (!WIFEXITED(status))
		fail_msg("fgtop died with signal %d", WTERMSIG(status));
	return (WEXITSTATUS(status));
}

static json_t *
load_out(struct fx *fx)
{
	json_error_t	 e;
	json_t		*doc;

	doc = json_load_file(fx->out, 0, &e);
	if (doc == NULL) {
		char *err = sim_read_file(fx->err);

		fail_msg("fgtop output is not JSON (%s, line %d); stderr: %s",
		    e.text, e.line, err);
	}
	return (doc);
}

static const char *
jstr(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL)
		fail_msg("no key \"%s\"", k);
	return (json_is_null(v) ? NULL : json_string_value(v));
}

static json_int_t
jint(json_t *o, const char *k)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL || !json_is_integer(v))
		fail_msg("\"%s\" is not a number", k);
	return (json_integer_value(v));
}

static void
expect_str(const char *what, const char *got, const char *want)
{
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", what,
		    got != NULL ? got : "(null)", want != NULL ? want : "(null)");
}

static json_t *
find_named(json_t *arr, const char *name)
{
	size_t	 i;
	json_t	*v;

	json_array_foreach(arr, i, v) {
		const char *n = json_string_value(json_object_get(v, "name"));

		if (n != NULL && strcmp(n, name) == 0)
			return (v);
	}
	return (NULL);
}

/* What a scenario tunnel in this state must look like. */
static void
check_tunnel(const char *dev, json_t *jt, const struct sim_tunnel *t)
{
	/* Dial-up instances carry their server's selectors. */
	const struct sim_tunnel *sel = t->np2 == 0 && t->parent != NULL ?
			    t->parent : t;
	const char	*state, *p1;
	char		 what[256], addr[32];
	int		 sa;
	size_t		 i;
	json_t		*p2s, *p2, *ph1;

	switch (t->state) {
	case ST_UP:
		state = "up", p1 = "established", sa = 1;
		break;
	case ST_CONNECTING:
		state = "down", p1 = "connecting", sa = 0;
		break;
	default:
		state = "down", p1 = "established", sa = 0;
		break;
	}
	snprintf(what, sizeof what, "%s %s state", dev, t->name);
	expect_str(what, jstr(jt, "state"), state);
	snprintf(what, sizeof what, "%s %s remote_addr", dev, t->name);
	expect_str(what, jstr(jt, "remote_addr"), render_ip4(t->remote, addr));
	snprintf(what, sizeof what, "%s %s local_addr", dev, t->name);
	expect_str(what, jstr(jt, "local_addr"), render_ip4(t->local, addr));
	ph1 = json_object_get(jt, "phase1");
	if (!json_is_object(ph1))
		fail_msg("%s %s: no phase1", dev, t->name);
	snprintf(what, sizeof what, "%s %s phase1.status", dev, t->name);
	expect_str(what, jstr(ph1, "status"), p1);
	if (jint(ph1, "version") != t->ike)
		fail_msg("%s %s: IKE version %lld, want %d", dev, t->name,
		    (long long)jint(ph1, "version"), t->ike);
	snprintf(what, sizeof what, "%s %s phase1.interface", dev, t->name);
	expect_str(what, jstr(ph1, "interface"), t->iface);
	p2s = json_object_get(jt, "phase2");
	if (json_array_size(p2s) != sel->np2 ||
	    jint(jt, "selectors_total") != (json_int_t)sel->np2 ||
	    jint(jt, "selectors_up") != (sa ? (json_int_t)sel->np2 : 0))
		fail_msg("%s %s: %zu selectors listed, summary %lld/%lld; "
		    "want %zu, %zu up", dev, t->name, json_array_size(p2s),
		    (long long)jint(jt, "selectors_total"),
		    (long long)jint(jt, "selectors_up"), sel->np2,
		    sa ? sel->np2 : 0);
	for (i = 0; i < sel->np2; i++) {
		p2 = find_named(p2s, sel->p2[i].name);
		if (p2 == NULL)
			fail_msg("%s %s: no selector %s", dev, t->name,
			    sel->p2[i].name);
		if (jint(p2, "sa") != sa)
			fail_msg("%s %s %s: sa=%lld, want %d", dev, t->name,
			    sel->p2[i].name, (long long)jint(p2, "sa"), sa);
	}
}

/* Every device of the scenario, every VDOM, every tunnel, as intended. */
static void
check_world(json_t *doc, const char *scn, double t)
{
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_vdom		*v;
	struct sim_tunnel	*st;
	json_t			*jd, *jv, *jt, *devs;
	char			 err[256], dev[32], ver[32];
	size_t			 i, k, n;

	w = sim_world_load(sim_scenario(scn), err, sizeof err);
	if (w == NULL)
		fail_msg("%s: %s", scn, err);
	sim_world_advance(w, t);
	devs = json_object_get(doc, "devices");
	for (i = 0; i < w->ndevices; i++) {
		d = w->devices[i];
		snprintf(dev, sizeof dev, "d%zu", i);
		jd = find_named(devs, dev);
		if (jd == NULL)
			fail_msg("no device %s", dev);
		expect_str("device state", jstr(jd, "state"), "up");
		expect_str("hostname", jstr(jd, "hostname"), d->hostname);
		snprintf(ver, sizeof ver, "v%s", d->version);
		expect_str("version", jstr(jd, "version"), ver);
		expect_str("model", jstr(jd, "model"), d->model);
		expect_str("serial", jstr(jd, "serial"), d->serial);
		assert_null(jstr(jd, "error"));
		assert_int_equal(json_array_size(json_object_get(jd,
		    "vdoms")), d->nvdoms);
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			jv = find_named(json_object_get(jd, "vdoms"),
			    d->multi_vdom ? v->name : "root");
			if (jv == NULL)
				fail_msg("%s: no VDOM %s", dev, v->name);
			for (n = 0; n < v->ntunnels; n++) {
				st = v->tunnels[n];
				jt = find_named(json_object_get(jv, "tunnels"),
				    st->name);
				if (jt == NULL)
					fail_msg("%s: no tunnel %s", dev,
					    st->name);
				if (st->is_template) {
					assert_int_equal(jint(jt, "children"),
					    st->nchildren);
					continue;
				}
				if (st->parent != NULL)
					expect_str("parent", jstr(jt, "parent"),
					    st->parent->name);
				check_tunnel(dev, jt, st);
			}
		}
	}
	sim_world_free(w);
}

/*
 * The witness: every command fgtsim logged went through the allowlist
 * as fgtop sent it, each connection's commands in their order.
 */
static void
check_sent(struct fx *fx)
{
	char			*log = sim_read_file(fx->sim.log), *l, *nl;
	struct allow_ctx	 ctx[256];
	const char		*why;
	char			 cmd[1024];
	int			 conn, n = 0;
	char			*p, *q;

	for (conn = 0; conn < 256; conn++)
		allow_init(&ctx[conn]);
	for (l = log; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		*nl = '\0';
		if (strstr(l, "\"event\":\"command\"") == NULL)
			continue;
		p = strstr(l, "\"conn\":");
		conn = p != NULL ? atoi(p + 7) % 256 : 0;
		p = strstr(l, "\"command\":\"");
		assert_non_null(p);
		p += 11;
		q = strrchr(p, '"');
		assert_non_null(q);
		snprintf(cmd, sizeof cmd, "%.*s", (int)(q - p), p);
		if (strcmp(cmd, "exit") == 0)
			continue;
		if (!allow_check(&ctx[conn], cmd, strlen(cmd), &why))
			fail_msg("fgtop sent `%s', which the allowlist "
			    "refuses: %s", cmd, why);
		n++;
	}
	assert_true(n > 0);
	free(log);
}

static void
test_once_walkthrough(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc, *t;

	sim_start(&fx->sim, sim_scenario("walkthrough.scn"), NULL);
	write_config(fx, NULL, 0);
	assert_int_equal(run_fgtop(fx, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = load_out(fx);
	check_world(doc, "walkthrough.scn", 1);
	/* The capture's own values, as the KB walk-through shows them. */
	t = find_named(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(doc, "devices"), 0), "vdoms"), 0),
	    "tunnels"), "to10.189.0.182");
	expect_str("direction", jstr(json_object_get(t, "phase1"),
	    "direction"), "responder");
	json_decref(doc);
	check_sent(fx);
}

static void
test_once_multivdom_disclaimer(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc;
	char		*log;

	sim_start(&fx->sim, sim_scenario("multivdom.scn"), NULL);
	/* Without `disclaimer accept' fgtop does not press 'a'. */
	write_config(fx, NULL, 0);
	assert_int_equal(run_fgtop(fx, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 1);
	doc = load_out(fx);
	expect_str("state", jstr(json_array_get(json_object_get(doc,
	    "devices"), 0), "state"), "error");
	assert_non_null(strstr(jstr(json_array_get(json_object_get(doc,
	    "devices"), 0), "error"), "disclaimer"));
	json_decref(doc);

	write_config(fx, "  disclaimer accept", 0);
	assert_int_equal(run_fgtop(fx, 30, 0, "--once", "--json", NULL), 0);
	doc = load_out(fx);
	check_world(doc, "multivdom.scn", 1);
	json_decref(doc);
	check_sent(fx);
	/* The VDOMs were learnt before any `edit'. */
	log = sim_read_file(fx->sim.log);
	assert_non_null(strstr(log, "\"command\":\"diagnose sys vd list\""));
	assert_true(strstr(log, "\"command\":\"diagnose sys vd list\"") <
	    strstr(log, "\"command\":\"edit "));
	free(log);
}

static void
test_once_faults_and_demo(void **state)
{
	struct fx	*fx = *state;
	json_t		*doc;

	sim_start(&fx->sim, sim_scenario("faults.scn"), NULL);
	write_config(fx, NULL, 0);
	assert_int_equal(run_fgtop(fx, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = load_out(fx);
	check_world(doc, "faults.scn", 1);
	json_decref(doc);
	sim_cleanup(&fx->sim);

	sim_init(&fx->sim);
	snprintf(fx->out, sizeof fx->out, "%s", sim_path(&fx->sim, "out"));
	snprintf(fx->err, sizeof fx->err, "%s", sim_path(&fx->sim, "err"));
	snprintf(fx->cfg, sizeof fx->cfg, "%s", sim_path(&fx->sim, "config"));
	snprintf(fx->kh, sizeof fx->kh, "%s",
	    sim_path(&fx->sim, "known_hosts"));
	sim_start(&fx->sim, sim_scenario("demo.scn"), NULL);
	assert_int_equal(fx->sim.nports, 4);
	write_config(fx, "  disclaimer accept", 0);
	assert_int_equal(run_fgtop(fx, 30, 0, "--once", "--json",
	    "--accept-new", NULL), 0);
	doc = load_out(fx);
	check_world(doc, "demo.scn", 1);
	json_decref(doc);
	check_sent(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_walkthrough,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_once_multivdom_disclaimer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_faults_and_demo,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
