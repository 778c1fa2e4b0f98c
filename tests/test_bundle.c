/* SPDX-License-Identifier: ISC */
/*
 * test_bundle - the incident bundle: `fgtop export` end to end (the real
 * binary against the real fgtsim on loopback, faults.scn), and the
 * bundle writer in process, every bundle opened with the real tar.
 *
 * What the tunnel must look like is read from the scenario loaded into
 * fgtsim's device model in process (as test_engine does), so the README
 * is checked against the scenario, not against fgtop's own output.  The
 * password fgtop logs in with is the test's own (fgtsim --password), and
 * every byte of every bundle (the .tar.gz unpacked by tar, and the tar
 * stream itself, headers included) is searched for it and for key
 * material: SK_ keys, `key=N <hex>`, any run of 32 hex digits.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "evlog.h"
#include "model.h"
#include "sim/device.h"
#include "simutil.h"
#include "testutil.h"
#include "tunnel_summary.h"

/* The password the test sets: it must appear in no bundle. */
#define PASSWORD	"Bundle-Secret-7q3"

struct fx {
	struct sim	 sim;	/* first: sim_setup_state */
	char		 dir[256];	/* where bundles go */
};

static int
setup(void **state)
{
	struct fx	*fx;

	sim_setup_state(state, sizeof *fx);
	fx = *state;
	snprintf(fx->dir, sizeof fx->dir, "%s", sim_path(&fx->sim, "b"));
	assert_int_equal(mkdir(fx->dir, 0700), 0);
	return (0);
}

/* A shell command (paths are the test's own); its exit status. */
static int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd;
	int	 st;

	va_start(ap, fmt);
	tu_assert_cmp(vasprintf(&cmd, fmt, ap), >, 0);
	va_end(ap);
	st = system(cmd);
	free(cmd);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* fgtsim with faults.scn, the test's password, and a config for it. */
static void
start(struct fx *fx)
{
	const char	*pw;
	FILE		*f;

	sim_start(&fx->sim, sim_scenario("faults.scn"), "--password",
	    "admin:" PASSWORD, NULL);
	pw = sim_password_file(&fx->sim, PASSWORD);
	f = fopen(fx->sim.cfg, "w");
	assert_non_null(f);
	fprintf(f, "export-dir %s\ndevice d0\n  address 127.0.0.1\n  port %d\n"
	    "  user admin\n  password-file %s\ndevice d9\n  address 127.0.0.1\n"
	    "  port %d\n  user admin\n  password-file %s\n", fx->dir,
	    fx->sim.port, pw, sim_closed_port(), pw);
	fclose(f);
}

/*
 * fgtop with the connection options and the arguments (NULL-terminated);
 * stdout and stderr to the sim's files.  fsize > 0 limits the size of
 * the files it may write (RLIMIT_FSIZE: a full disk, for the bundle).
 * Its exit status.
 */
static int
run(struct fx *fx, long fsize, ...)
{
	const char	*args[40];
	va_list		 ap;
	int		 n = 0;

	va_start(ap, fsize);
	while ((args[n] = va_arg(ap, const char *)) != NULL && n < 38)
		n++;
	va_end(ap);
	args[n] = NULL;
	return (sim_fgtop_runv(&fx->sim, &(struct sim_proc){ NULL,
	    fx->sim.out, fx->sim.err, 0, fsize, NULL }, 60, 0, args));
}

/* The file's text (or fails), with its length. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return (buf);
}

static void
expect_has(const char *text, const char *frag, const char *what)
{
	if (strstr(text, frag) == NULL)
		fail_msg("%s: no \"%s\" in:\n%s", what, frag, text);
}

static int
is_hex(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F'));
}

/*
 * No secret in these bytes: the password, an SK_ key, a `key=N <hex>`
 * whose hex is still there, a run of 32 hex digits (a 128-bit key; SPIs
 * and cookies are 8 and 16).
 */
static void
no_secret(const char *p, size_t n, const char *what)
{
	size_t	 i, k, run = 0;

	if (memmem(p, n, PASSWORD, strlen(PASSWORD)) != NULL)
		fail_msg("%s: holds the login password", what);
	for (i = 0; i < n; i++) {
		run = is_hex((unsigned char)p[i]) ? run + 1 : 0;
		if (run >= 32)
			fail_msg("%s: 32 hex digits at byte %zu: key material",
			    what, i - 31);
		if (i + 4 < n && memcmp(p + i, "SK_", 3) == 0 &&
		    p[i + 3] >= 'a' && p[i + 3] <= 'z')
			fail_msg("%s: an SK_ key at byte %zu", what, i);
		if (i + 4 < n && memcmp(p + i, "key=", 4) == 0) {
			for (k = i + 4; k < n && p[k] >= '0' && p[k] <= '9';
			    k++)
				;
			if (k + 1 < n && k > i + 4 && p[k] == ' ' &&
			    is_hex((unsigned char)p[k + 1]))
				fail_msg("%s: key material after %.*s", what,
				    (int)(k - i), p + i);
		}
	}
}

/* Text a terminal can show: no C0 but TAB and LF, no DEL, no ESC. */
static void
no_controls(const char *p, size_t n, const char *what)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\n' &&
		    p[i] != '\t') || p[i] == 0x7f)
			fail_msg("%s: control byte 0x%02x at %zu", what,
			    (unsigned char)p[i], i);
}

/* Every file under dir: no secret, no control; returns how many. */
static size_t
scan_tree(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	struct stat	 sb;
	char		 path[1024], *text;
	size_t		 n = 0, len;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			n += scan_tree(path);
			continue;
		}
		text = slurp(path, &len);
		no_secret(text, len, path);
		no_controls(text, len, path);
		free(text);
		n++;
	}
	closedir(d);
	return (n);
}

/*
 * Unpack the bundle with tar into dir/x; the archive's listing (tar
 * -tzf, in archive order) in *list; the whole tar stream scanned too.
 * Returns the top directory's name (static).
 */
static const char *
unpack(struct fx *fx, const char *bundle, char **list)
{
	static char	 top[256];
	char		 path[512], *tarb;
	size_t		 len;
	const char	*nl;

	assert_int_equal(sh("rm -rf '%s/x' && mkdir '%s/x' && "
	    "tar -xzf '%s' -C '%s/x'", fx->dir, fx->dir, bundle, fx->dir), 0);
	snprintf(path, sizeof path, "%s/list", fx->dir);
	assert_int_equal(sh("tar -tzf '%s' > '%s'", bundle, path), 0);
	*list = slurp(path, NULL);
	nl = strchr(*list, '/');
	assert_non_null(nl);
	snprintf(top, sizeof top, "%.*s", (int)(nl - *list), *list);
	/* gzip's content, headers and padding included. */
	snprintf(path, sizeof path, "%s/stream.tar", fx->dir);
	assert_int_equal(sh("gzip -dc '%s' > '%s'", bundle, path), 0);
	tarb = slurp(path, &len);
	no_secret(tarb, len, "the tar stream");
	free(tarb);
	unlink(path);
	return (top);
}

static char *
bfile(struct fx *fx, const char *top, const char *name)
{
	char	 path[1024];

	snprintf(path, sizeof path, "%s/x/%s/%s", fx->dir, top, name);
	return (slurp(path, NULL));
}

/* The top directory: fgtop-DEV[-TUN]-yyyymmddThhmmssZ, in [t0, t1]. */
static void
check_top(const char *top, const char *prefix, time_t t0, time_t t1)
{
	struct tm	 tm;
	char		 lo[32], hi[32];
	const char	*stamp = top + strlen(prefix);

	if (strncmp(top, prefix, strlen(prefix)) != 0 || strlen(stamp) != 16)
		fail_msg("top directory %s, want %sYYYYmmddTHHMMSSZ", top,
		    prefix);
	gmtime_r(&t0, &tm);
	strftime(lo, sizeof lo, "%Y%m%dT%H%M%SZ", &tm);
	gmtime_r(&t1, &tm);
	strftime(hi, sizeof hi, "%Y%m%dT%H%M%SZ", &tm);
	if (strcmp(stamp, lo) < 0 || strcmp(stamp, hi) > 0)
		fail_msg("bundle time %s not within %s..%s", stamp, lo, hi);
}

static struct sim_tunnel *
scn_tunnel(struct sim_world *w, const char *name)
{
	struct sim_device	*d = sim_world_device(w, 0);
	size_t			 i, k;

	for (i = 0; i < d->nvdoms; i++)
		for (k = 0; k < d->vdoms[i]->ntunnels; k++)
			if (strcmp(d->vdoms[i]->tunnels[k]->name, name) == 0)
				return (d->vdoms[i]->tunnels[k]);
	fail_msg("faults.scn has no tunnel %s", name);
	return (NULL);
}

/* The two tunnels agree on every key of the schema, and on these. */
static void
same_tunnel(json_t *got, json_t *want)
{
	static const char *const stable[] = { "name", "parent", "children",
	    "state", "remote_addr", "local_addr", "selectors_total",
	    "selectors_up", NULL };
	static const char *const p1[] = { "status", "version", "direction",
	    "interface", "local_addr", "remote_addr", "remote_port", NULL };
	static const char *const p2[] = { "name", "sa", "src", "dst", NULL };
	const char	*k;
	json_t		*v, *a, *b;
	size_t		 i, n;

	json_object_foreach(want, k, v)
		if (json_object_get(got, k) == NULL)
			fail_msg("tunnel.json lacks the schema's key %s", k);
	assert_int_equal(json_object_size(got), json_object_size(want));
	for (i = 0; stable[i] != NULL; i++)
		if (!json_equal(json_object_get(got, stable[i]),
		    json_object_get(want, stable[i])))
			fail_msg("tunnel.json %s differs from --once", stable[i]);
	a = json_object_get(got, "phase1");
	b = json_object_get(want, "phase1");
	for (i = 0; p1[i] != NULL; i++)
		if (!json_equal(json_object_get(a, p1[i]),
		    json_object_get(b, p1[i])))
			fail_msg("tunnel.json phase1.%s differs", p1[i]);
	a = json_object_get(got, "phase2");
	b = json_object_get(want, "phase2");
	assert_int_equal(json_array_size(a), json_array_size(b));
	for (n = 0; n < json_array_size(a); n++)
		for (i = 0; p2[i] != NULL; i++)
			if (!json_equal(json_object_get(json_array_get(a, n),
			    p2[i]), json_object_get(json_array_get(b, n),
			    p2[i])))
				fail_msg("tunnel.json phase2[%zu].%s differs",
				    n, p2[i]);
	a = json_object_get(got, "findings");
	b = json_object_get(want, "findings");
	assert_int_equal(json_array_size(a), json_array_size(b));
	for (n = 0; n < json_array_size(a); n++)
		if (!json_equal(json_object_get(json_array_get(a, n), "rule"),
		    json_object_get(json_array_get(b, n), "rule")))
			fail_msg("tunnel.json findings[%zu] differs", n);
}

/* A raw output: its header, then text holding frag. */
static void
check_raw(struct fx *fx, const char *top, const char *file,
    const char *cmd, const char *vdom, const char *frag)
{
	char	*t = bfile(fx, top, file), head[512];

	snprintf(head, sizeof head, "# command: %s\n# vdom: %s\n# time: ",
	    cmd, vdom);
	if (strncmp(t, head, strlen(head)) != 0)
		fail_msg("%s does not start with \"%s\":\n%s", file, head, t);
	expect_has(t, "# status: ok\n\n", file);
	expect_has(t, frag, file);
	free(t);
}

/*
 * fgtop export of psk-v1 (faults.scn: PSK mismatch, so phase 1 stays
 * connecting and the state rules say ST-P1-CONNECTING).
 */
static void
test_export_tunnel(void **state)
{
	struct fx		*fx = *state;
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_tunnel	*st;
	json_t			*once, *got, *want, *ev;
	json_error_t		 je;
	char			 err[256], path[512], frag[1024], a[32], b[32];
	char			*list, *out, *t, *line, *save;
	const char		*top, *ev0;
	time_t			 t0, t1;
	size_t			 nev = 0;
	int			 added = 0, raised = 0;

	w = sim_world_load(sim_scenario("faults.scn"), err, sizeof err);
	if (w == NULL)
		fail_msg("faults.scn: %s", err);
	d = sim_world_device(w, 0);
	st = scn_tunnel(w, "psk-v1");
	assert_int_equal(st->state, ST_CONNECTING);
	start(fx);

	assert_int_equal(run(fx, 0, "--once", "--json", "--accept-new", "d0",
	    NULL), 0);
	once = tu_json_file(fx->sim.out, fx->sim.err);

	snprintf(path, sizeof path, "%s/psk.tar.gz", fx->dir);
	t0 = time(NULL);
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d0", "--tunnel",
	    "psk-v1", "-o", path, NULL), 0);
	t1 = time(NULL);
	out = slurp(fx->sim.out, NULL);
	snprintf(frag, sizeof frag, "%s\n", path);
	assert_string_equal(out, frag);
	free(out);
	t = slurp(fx->sim.err, NULL);
	assert_string_equal(t, "");
	free(t);

	top = unpack(fx, path, &list);
	check_top(top, "fgtop-d0-psk-v1-", t0, t1);
	snprintf(frag, sizeof frag,
	    "%1$s/\n%1$s/tunnel.json\n%1$s/findings.json\n%1$s/events.jsonl\n"
	    "%1$s/raw/01-get-system-status.txt\n"
	    "%1$s/raw/02-root-get-vpn-ipsec-tunnel-summary.txt\n"
	    "%1$s/raw/03-root-diagnose-vpn-ike-gateway-list-name-psk-v1.txt\n"
	    "%1$s/raw/04-root-diagnose-vpn-tunnel-list-name-psk-v1.txt\n"
	    "%1$s/README.txt\n", top);
	assert_string_equal(list, frag);
	free(list);
	snprintf(frag, sizeof frag, "%s/x", fx->dir);
	assert_int_equal(scan_tree(frag), 8);

	/* README: the device, the tunnel and its state, the finding. */
	t = bfile(fx, top, "README.txt");
	expect_has(t, "fgtop incident bundle: tunnel psk-v1 on d0\n", "README");
	snprintf(frag, sizeof frag, "  hostname    %s\n", d->hostname);
	expect_has(t, frag, "README hostname");
	snprintf(frag, sizeof frag, "  version     v%s build ", d->version);
	expect_has(t, frag, "README version");
	snprintf(frag, sizeof frag, "  serial      %s\n", d->serial);
	expect_has(t, frag, "README serial");
	expect_has(t, "Tunnel psk-v1 (VDOM root)\n", "README tunnel");
	snprintf(frag, sizeof frag, "  peer        %s port 500, local gateway "
	    "%s\n", render_ip4(st->remote, a), render_ip4(st->local, b));
	expect_has(t, frag, "README peer");
	expect_has(t, "  state       down since ", "README state");
	snprintf(frag, sizeof frag, "  phase 1     NOT established: "
	    "connecting for ");
	expect_has(t, frag, "README phase 1");
	snprintf(frag, sizeof frag, "(IKEv%d, %s, interface %s)\n", st->ike,
	    st->responder ? "responder" : "initiator", st->iface);
	expect_has(t, frag, "README phase 1 words");
	expect_has(t, "  phase 2     0 of 1 selectors up\n", "README phase 2");
	expect_has(t, "Findings\n  1. [warning] ST-P1-CONNECTING: phase 1 is "
	    "down (connecting)\n", "README finding");
	expect_has(t, "     seen: gateway list: status: connecting",
	    "README evidence");
	snprintf(frag, sizeof frag, "       execute traceroute %s\n",
	    render_ip4(st->remote, a));
	expect_has(t, frag, "README next step");
	expect_has(t, "     fix: ", "README fix");
	expect_has(t, "  raw/04-root-diagnose-vpn-tunnel-list-name-psk-v1.txt\n"
	    "      diagnose vpn tunnel list name psk-v1 (VDOM root): ok\n",
	    "README raw list");
	expect_has(t, "What the tools read\n  Nothing", "README tools");
	free(t);

	/* tunnel.json is the --once document's tunnel. */
	snprintf(frag, sizeof frag, "%s/x/%s/tunnel.json", fx->dir, top);
	got = json_load_file(frag, 0, &je);
	if (got == NULL)
		fail_msg("tunnel.json: %s", je.text);
	want = tu_named(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(once, "devices"), 0), "vdoms"), 0),
	    "tunnels"), "psk-v1");
	assert_non_null(want);
	same_tunnel(got, want);
	json_decref(got);

	/* findings.json: the rule, with its evidence. */
	snprintf(frag, sizeof frag, "%s/x/%s/findings.json", fx->dir, top);
	got = json_load_file(frag, 0, &je);
	assert_non_null(got);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    got, 0), "rule")), "ST-P1-CONNECTING");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    got, 0), "tunnel")), "psk-v1");
	ev0 = json_string_value(json_array_get(json_object_get(
	    json_array_get(got, 0), "evidence"), 0));
	assert_non_null(ev0);
	tu_assert_prefix(ev0, "gateway list: status: connecting");
	json_decref(got);

	/* events.jsonl: this tunnel's timeline and the device's, no other. */
	t = bfile(fx, top, "events.jsonl");
	for (line = strtok_r(t, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), nev++) {
		ev = json_loads(line, 0, &je);
		if (ev == NULL)
			fail_msg("events.jsonl line %zu: %s", nev + 1, je.text);
		assert_string_equal(json_string_value(json_object_get(ev,
		    "device")), "d0");
		if (json_string_value(json_object_get(ev, "tunnel")) != NULL)
			assert_string_equal(json_string_value(json_object_get(
			    ev, "tunnel")), "psk-v1");
		if (strcmp(json_string_value(json_object_get(ev, "event")),
		    "tunnel-added") == 0) {
			assert_string_equal(json_string_value(json_object_get(
			    ev, "to")), "down");
			added++;
		}
		if (strcmp(json_string_value(json_object_get(ev, "event")),
		    "finding-raised") == 0) {
			assert_string_equal(json_string_value(json_object_get(
			    ev, "item")), "ST-P1-CONNECTING");
			raised++;
		}
		json_decref(ev);
	}
	free(t);
	assert_int_equal(added, 1);
	assert_int_equal(raised, 1);
	assert_int_equal(nev, 3);	/* device up, tunnel added, finding */

	/* raw/: the commands, at the top and in the VDOM, fresh. */
	snprintf(frag, sizeof frag, "Serial-Number: %s\n", d->serial);
	check_raw(fx, top, "raw/01-get-system-status.txt", "get system status",
	    "(top level)", frag);
	snprintf(frag, sizeof frag, "'psk-v1' %s:", render_ip4(st->remote, a));
	check_raw(fx, top, "raw/02-root-get-vpn-ipsec-tunnel-summary.txt",
	    "get vpn ipsec tunnel summary", "root", frag);
	check_raw(fx, top,
	    "raw/03-root-diagnose-vpn-ike-gateway-list-name-psk-v1.txt",
	    "diagnose vpn ike gateway list name psk-v1", "root",
	    "\nname: psk-v1\n");
	check_raw(fx, top,
	    "raw/04-root-diagnose-vpn-tunnel-list-name-psk-v1.txt",
	    "diagnose vpn tunnel list name psk-v1", "root",
	    "\nname=psk-v1 ver=1 ");
	/* fgtsim's log witnesses what was sent. */
	free(sim_log_wait(&fx->sim,
	    "\"command\":\"diagnose vpn tunnel list name psk-v1\"", 5000));

	json_decref(once);
	sim_world_free(w);
}

/*
 * The device's bundle: every tunnel's state in the summary, the full
 * lists, and the ESP/AH keys `diagnose vpn tunnel list` prints for the
 * up tunnels removed.  Written into the config's export-dir.
 */
static void
test_export_device(void **state)
{
	struct fx		*fx = *state;
	struct sim_world	*w;
	struct sim_device	*d;
	struct sim_tunnel	*st;
	DIR			*dir;
	struct dirent		*de;
	char			 err[256], path[512], frag[1024];
	char			*list, *t, *out;
	const char		*top;
	size_t			 i, n = 0;

	w = sim_world_load(sim_scenario("faults.scn"), err, sizeof err);
	if (w == NULL)
		fail_msg("faults.scn: %s", err);
	d = sim_world_device(w, 0);
	start(fx);
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d0", NULL), 0);
	dir = opendir(fx->dir);
	while ((de = readdir(dir)) != NULL)
		if (strncmp(de->d_name, "fgtop-d0-", 9) == 0) {
			snprintf(path, sizeof path, "%s/%s", fx->dir,
			    de->d_name);
			n++;
		}
	closedir(dir);
	assert_int_equal(n, 1);
	out = slurp(fx->sim.out, NULL);
	snprintf(frag, sizeof frag, "%s\n", path);
	assert_string_equal(out, frag);
	free(out);

	top = unpack(fx, path, &list);
	snprintf(frag, sizeof frag, "%s/device.json\n", top);
	expect_has(list, frag, "device bundle list");
	snprintf(frag, sizeof frag, "%s/raw/04-root-diagnose-vpn-tunnel-list."
	    "txt\n", top);
	expect_has(list, frag, "device bundle list");
	free(list);
	snprintf(frag, sizeof frag, "%s/x", fx->dir);
	assert_int_equal(scan_tree(frag), 8);

	t = bfile(fx, top, "README.txt");
	expect_has(t, "fgtop incident bundle: device d0\n", "README");
	for (i = 0; i < d->vdoms[0]->ntunnels; i++) {
		st = d->vdoms[0]->tunnels[i];
		snprintf(frag, sizeof frag, "  root/%s: %s for ", st->name,
		    st->state == ST_UP ? "up" : "down");
		expect_has(t, frag, "README tunnels");
	}
	free(t);
	/* hq-ok is up: its SA's keys were printed, and are gone. */
	t = bfile(fx, top, "raw/04-root-diagnose-vpn-tunnel-list.txt");
	expect_has(t, "\nname=hq-ok ver=2 ", "full tunnel list");
	expect_has(t, " esp=aes key=16 (hidden)\n", "ESP key removed");
	expect_has(t, " ah=sha256 key=32 (hidden)\n", "AH key removed");
	free(t);
	sim_world_free(w);
}

/* Nothing in dir but what the test put there (no half bundle). */
static void
dir_holds_only(const char *path, const char *keep)
{
	DIR		*d = opendir(path);
	struct dirent	*de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    (keep == NULL || strcmp(de->d_name, keep) != 0))
			fail_msg("%s holds %s", path, de->d_name);
	closedir(d);
}

static void
test_export_failures(void **state)
{
	struct fx		*fx = *state;
	struct sim_world	*w;
	struct sim_device	*d;
	char			 err[256], path[512], want[1024];
	char			*t;
	size_t			 i;

	w = sim_world_load(sim_scenario("faults.scn"), err, sizeof err);
	if (w == NULL)
		fail_msg("faults.scn: %s", err);
	d = sim_world_device(w, 0);
	start(fx);

	/* A full device: one sentence, exit 1. */
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d0", "--tunnel",
	    "psk-v1", "-o", "/dev/full", NULL), 1);
	t = slurp(fx->sim.err, NULL);
	assert_string_equal(t, "fgtop: cannot write /dev/full: No space left "
	    "on device\n");
	free(t);

	/* A path under a file. */
	snprintf(path, sizeof path, "%s/plain", fx->dir);
	sim_write_file(path, "x\n");
	snprintf(path, sizeof path, "%s/plain/b.tar.gz", fx->dir);
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d0", "--tunnel",
	    "psk-v1", "-o", path, NULL), 1);
	t = slurp(fx->sim.err, NULL);
	snprintf(want, sizeof want, "fgtop: cannot write %s: Not a "
	    "directory\n", path);
	assert_string_equal(t, want);
	free(t);
	dir_holds_only(fx->dir, "plain");

	/*
	 * The disk fills in the middle of the bundle (a 2 KB file size
	 * limit; the bundle is bigger): no temporary, no bundle left.
	 */
	snprintf(path, sizeof path, "%s/full", fx->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/full/b.tar.gz", fx->dir);
	assert_int_equal(run(fx, 2048, "export", "--accept-new", "d0",
	    "--tunnel", "psk-v1", "-o", path, NULL), 1);
	t = slurp(fx->sim.err, NULL);
	snprintf(want, sizeof want, "fgtop: cannot write %s: File too large\n",
	    path);
	assert_string_equal(t, want);
	free(t);
	snprintf(path, sizeof path, "%s/full", fx->dir);
	dir_holds_only(path, NULL);
	assert_int_equal(rmdir(path), 0);

	/* No such tunnel: the names it has, in the device's order. */
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d0", "--tunnel",
	    "nope", NULL), 1);
	snprintf(want, sizeof want, "fgtop: d0 has no tunnel nope; it has: ");
	for (i = 0; i < d->vdoms[0]->ntunnels; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want),
		    "%s%s", i > 0 ? ", " : "", d->vdoms[0]->tunnels[i]->name);
	strcat(want, "\n");
	t = slurp(fx->sim.err, NULL);
	assert_string_equal(t, want);
	free(t);

	/* Unreachable: why, and no bundle. */
	assert_int_equal(run(fx, 0, "export", "--accept-new", "d9", "--tunnel",
	    "psk-v1", NULL), 1);
	t = slurp(fx->sim.err, NULL);
	expect_has(t, "fgtop: d9: ", "unreachable");
	expect_has(t, "connection refused\n", "unreachable");
	assert_ptr_equal(strchr(t, '\n'), t + strlen(t) - 1);
	free(t);
	dir_holds_only(fx->dir, "plain");
	sim_world_free(w);
}

static void
ev_collect(void *arg, const struct mevent *e)
{
	char	*s = arg;
	size_t	 n = strlen(s);

	snprintf(s + n, 256 - n, "%s:%s:%s ", e->type, e->tunnel != NULL ?
	    e->tunnel : "-", e->to != NULL ? e->to : "-");
}

/*
 * evlog: a bounded ring (the oldest go), the timeline of one tunnel
 * with its device's own events, and evlog_only keeping one tunnel's.
 */
static void
test_evlog(void **state)
{
	struct model	*m = model_new();
	struct mevent	*ev;
	struct evlog	*l;
	char		 got[256];

	model_event(m, 1, "tunnel-added", "d0", "root", "t1", NULL, NULL,
	    "up", NULL);
	model_event(m, 2, "tunnel-added", "d0", "root", "t2", NULL, NULL,
	    "down", NULL);
	model_event(m, 3, "device-state", "d0", NULL, NULL, NULL, "up",
	    "stale", NULL);
	model_event(m, 4, "tunnel-state", "d0", "root", "t1", NULL, "up",
	    "down", NULL);
	model_event(m, 5, "tunnel-state", "d1", "root", "t1", NULL, "up",
	    "down", NULL);
	ev = model_events_take(m, NULL);

	l = evlog_new(3);
	evlog_add(l, ev);
	assert_int_equal(evlog_count(l), 3);
	got[0] = '\0';
	evlog_each(l, "d0", "root", "t1", ev_collect, got);
	assert_string_equal(got, "device-state:-:stale tunnel-state:t1:down ");
	evlog_free(l);

	l = evlog_new(8);
	evlog_only(l, "t1");
	evlog_add(l, ev);
	assert_int_equal(evlog_count(l), 4);
	got[0] = '\0';
	evlog_each(l, "d0", NULL, NULL, ev_collect, got);
	assert_string_equal(got, "tunnel-added:t1:up device-state:-:stale "
	    "tunnel-state:t1:down ");
	evlog_free(l);
	mevent_free(ev);
	model_free(m);
}

/* bundle_redact: the IKE debug parser's secret lines, `key=N <hex>`. */
static void
test_redact(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "ike 0:psk-v1:22: IKE SA 7f7d1d60f3385b2c/0 SK_ei 16:"
		  "0123456789abcdef0123456789abcdef\n",
		  "(key material hidden)\n" },
		{ "ike 0:psk-v1:22: ISAKMP SA 7f7d/0 key 16:00112233445566778899"
		  "aabbccddeeff\n", "(key material hidden)\n" },
		{ "0123456789abcdef0123456789abcdef\n",
		  "(key material hidden)\n" },
		{ "  dec: spi=9fbaba90 esp=aes key=16 a779f017a79a7e25bebcd73a"
		  "8729ca4d\n       ah=sha1 key=20 032444a21009bb1ed477c1b1c9ff"
		  "f594761031d5\n",
		  "  dec: spi=9fbaba90 esp=aes key=16 (hidden)\n       ah=sha1 "
		  "key=20 (hidden)\n" },
		{ "name: psk-v1\nstatus: connecting\n",
		  "name: psk-v1\nstatus: connecting\n" },
		{ "monkey=1 donkey=2 key=x\n", "monkey=1 donkey=2 key=x\n" },
		{ "red \x1b[31mtext\x1b[0m\r\n\x07" "end",
		  "red text\nend" },
	};
	char	*r;
	size_t	 i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = bundle_redact(cases[i].in, strlen(cases[i].in), &n);
		assert_string_equal(r, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		free(r);
	}
}

/*
 * The writer in process: a device fgtop cannot reach, a tunnel with the
 * tools' results and IKE debug lines (one secret), names long enough
 * for the ustar prefix field, hostile bytes; then a write that fails.
 */
static void
test_writer(void **state)
{
	static const char	 tun[] = "branch-office-with-a-35-char-name";
	struct fx		*fx = *state;
	struct model		*m;
	struct mdev		*d;
	struct mvdom		*v;
	struct mtun		*t;
	struct tunnel_summary	*ts;
	struct evlog		*log;
	struct mevent		*ev;
	struct bundle		*b;
	char			 text[1200], frag[1024], *path, *err, *list, *s;
	const char		*line;
	const char		*top;
	double			 now = (double)time(NULL);

	m = model_new();
	d = model_add_device(m, "a-device-name-long-enough-to-be-cut-at-40-"
	    "bytes", "192.0.2.9", 22);
	v = model_vdom(d, "root");
	snprintf(text, sizeof text, "'%s' 192.0.2.1:0  selectors(total,up): "
	    "1/0  rx(pkt,err): 0/0  tx(pkt,err): 0/3\n", tun);
	ts = tunnel_summary_parse(text, strlen(text));
	assert_non_null(ts);
	model_round_begin(d);
	model_merge_summary(v, ts, 1, now - 10);
	model_round_end(d, now - 10, 5);
	tunnel_summary_free(ts);
	/* An error sentence holding device bytes: the README cleans it. */
	model_device_state(d, MDEV_UNREACHABLE, "192.0.2.9: connection "
	    "refused\x1b]0;owned\x07", now - 5);
	t = model_tunnel(v, tun);
	assert_non_null(t);
	model_tool_result(d, t, now - 3, "route", "192.0.2.1",
	    "no active route to 192.0.2.1", "Routing table for VRF=0\n"
	    "\x1b]0;pwned\x07S*  0.0.0.0/0 via 198.51.100.1\n");
	line = "ike 0:x:1: IKE SA 1/0 SK_ar 16:00112233445566778899aabbccddeeff";
	model_debug_line(d, t, now - 2, line, strlen(line), 1, "noise", NULL);
	line = "ike 0:x:1: probable pre-shared secret mismatch\x1b[2J";
	model_debug_line(d, t, now - 1, line, strlen(line), 0, "psk",
	    "P1-PSK-V1");
	log = evlog_new(8);
	ev = model_events_take(m, NULL);
	evlog_add(log, ev);
	mevent_free(ev);

	b = bundle_new(d->name, "root", tun);
	bundle_timeline(b, evlog_each, log);
	bundle_no_raw(b, "the device is unreachable: 192.0.2.9: connection "
	    "refused");
	assert_int_equal(bundle_write(b, m, now, "9.9", fx->dir, NULL, &path,
	    &err), 0);
	assert_null(err);
	top = unpack(fx, path, &list);
	/* fgtop-<40 bytes of the name>-<tunnel>-<time>: past 100 bytes. */
	snprintf(frag, sizeof frag, "fgtop-%.40s-%s-", d->name, tun);
	check_top(top, frag, (time_t)now, (time_t)now);
	snprintf(frag, sizeof frag, "%s/%s.tar.gz", fx->dir, top);
	assert_string_equal(path, frag);
	snprintf(frag, sizeof frag, "%1$s/\n%1$s/tunnel.json\n"
	    "%1$s/findings.json\n%1$s/events.jsonl\n%1$s/tools/01-route.txt\n"
	    "%1$s/tools/debug.txt\n%1$s/README.txt\n", top);
	assert_string_equal(list, frag);
	tu_assert_cmp(strlen(top) + strlen("/tools/01-route.txt"), >, 100);
	free(list);
	snprintf(frag, sizeof frag, "%s/x", fx->dir);
	assert_int_equal(scan_tree(frag), 6);

	s = bfile(fx, top, "tools/01-route.txt");
	assert_int_equal(strncmp(s, "# tool: route\n# target: 192.0.2.1\n"
	    "# time: ", 42), 0);
	expect_has(s, "# reading: no active route to 192.0.2.1\n\n"
	    "Routing table for VRF=0\nS*  0.0.0.0/0 via 198.51.100.1\n",
	    "route result");
	free(s);
	s = bfile(fx, top, "tools/debug.txt");
	expect_has(s, "(key material hidden)\n", "debug lines");
	expect_has(s, " psk        P1-PSK-V1          ike 0:x:1: probable "
	    "pre-shared secret mismatch\n", "debug lines");
	free(s);
	s = bfile(fx, top, "README.txt");
	expect_has(s, "  state       unreachable since ", "README device");
	expect_has(s, ": 192.0.2.9: connection refused\n", "README device");
	expect_has(s, "  None: the device is unreachable: 192.0.2.9: "
	    "connection refused\n", "README raw");
	expect_has(s, "route toward 192.0.2.1: no active route to 192.0.2.1\n",
	    "README tools");
	expect_has(s, "IKE debug: 2 lines kept of 2 seen", "README tools");
	free(s);
	s = bfile(fx, top, "events.jsonl");
	expect_has(s, "\"event\":\"tunnel-added\"", "events");
	expect_has(s, "\"event\":\"device-state\"", "events");
	free(s);
	free(path);

	/* A failed write: one sentence, nothing left behind. */
	assert_int_equal(sh("rm -rf '%s'/*", fx->dir), 0);
	assert_int_equal(bundle_write(b, m, now, "9.9", NULL, "/dev/full",
	    &path, &err), -1);
	assert_null(path);
	assert_string_equal(err, "cannot write /dev/full: No space left on "
	    "device");
	free(err);
	snprintf(frag, sizeof frag, "%s/none/x.tar.gz", fx->dir);
	assert_int_equal(bundle_write(b, m, now, "9.9", NULL, frag, &path,
	    &err), -1);
	snprintf(text, sizeof text, "cannot write %s: No such file or "
	    "directory", frag);
	assert_string_equal(err, text);
	free(err);
	dir_holds_only(fx->dir, NULL);

	bundle_free(b);
	evlog_free(log);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_evlog),
		cmocka_unit_test_setup_teardown(test_writer, setup, sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_export_tunnel, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_export_device, setup,
		    sim_teardown_state),
		cmocka_unit_test_setup_teardown(test_export_failures, setup,
		    sim_teardown_state),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
