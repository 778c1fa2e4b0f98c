/* SPDX-License-Identifier: ISC */
/*
 * bench_ui - the dashboard's cost with 100,000 tunnels, run by
 * `make bench` after the parser bench.
 *
 * The model holds 100 devices of 1,000 tunnels each, merged from
 * generated `get vpn ipsec tunnel summary` outputs (two rounds, so rates
 * and sparklines exist; one tunnel in 50 down, one in 20 degraded).  The
 * dashboard draws on a 132x40 xterm-256color whose output goes to a file,
 * so every byte a frame writes is counted.  It reports:
 *   - keystroke to frame written (ui_key, then the frame drawn and
 *     flushed), median and worst, for: typing a filter, page down, a
 *     sort change, Enter/Esc on a tunnel;
 *   - the bytes a redraw of an unchanged screen writes (target 0);
 *   - the CPU the dashboard uses on an idle libuv loop for 5 s when
 *     nothing changes (target 0 %).
 * It is a report, not a test: it prints OVER TARGET when a target is
 * missed and always exits 0.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "tunnel_summary.h"
#include "ui_int.h"

#define NDEV		100
#define NTUN		1000
#define TARGET_MS	10.0

static double
mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static double
cpu(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

static void
fill(struct model *m, int round, double now)
{
	struct tunnel_summary	*ts;
	struct mdev		*d;
	char			*buf, name[32];
	size_t			 len, cap = (size_t)NTUN * 160;
	int			 i, k, up;

	buf = malloc(cap);
	for (i = 0; i < NDEV; i++) {
		snprintf(name, sizeof name, "fgt-%03d", i);
		d = round == 0 ? model_add_device(m, name, "127.0.0.1", 22) :
		    m->devs[i];
		if (round == 0)
			model_device_state(d, MDEV_UP, NULL, now);
		len = 0;
		for (k = 0; k < NTUN; k++) {
			up = k % 50 == 7 ? 0 : 1;
			len += (size_t)snprintf(buf + len, cap - len,
			    "'site-%03d-%04d' 10.%d.%d.%d:0  "
			    "selectors(total,up): %d/%d  rx(pkt,err): %d/%d  "
			    "tx(pkt,err): %d/0\n", i, k, i, k / 250, k % 250,
			    k % 20 == 3 ? 2 : 1, k % 20 == 3 ? 1 : up,
			    (k * 7 + 1) * (round + 1), k % 13 == 0 ? round : 0,
			    (k * 5 + 3) * (round + 1));
		}
		ts = tunnel_summary_parse(buf, len);
		model_round_begin(d);
		model_merge_summary(model_vdom(d, "root"), ts, 1, now);
		model_round_end(d, now, 40);
		tunnel_summary_free(ts);
	}
	free(buf);
}

static int
cmpd(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* One keystroke: handled, drawn, written; the time in ms. */
static double
key(struct ui *ui, int fn, int k)
{
	double	 t0 = mono();

	ui_key(ui, fn, (wint_t)k);
	ui_draw(ui);
	fflush(stdout);
	return ((mono() - t0) * 1000);
}

static void
report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof *ms, cmpd);
	printf("  %-34s median %6.2f ms  worst %6.2f ms  (%d keys)%s\n", what,
	    ms[n / 2], ms[n - 1], n, ms[n / 2] > TARGET_MS ?
	    "  OVER TARGET" : "");
}

static void
stop_cb(uv_timer_t *t)
{
	ui_close(t->data);
	uv_close((uv_handle_t *)t, NULL);
}

int
main(void)
{
	static const char	 filter[] = "site-042-07";
	struct ui_term		 term;
	struct mevent		 ev;
	char			 name[5][16] = { "fgt-000", "root",
		"site-000-0001", "up", "down" };
	struct model		*m;
	struct ui		*ui;
	struct stat		 st1, st2;
	uv_loop_t		 loop;
	uv_timer_t		 stop;
	char			 path[] = "/tmp/fgtop-bench-ui.XXXXXX";
	double			 ms[200], t0, c0, now;
	char			*err = NULL;
	FILE			*out, *in;
	int			 i, n, fd;

	setenv("LINES", "40", 1);
	setenv("COLUMNS", "132", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("NO_COLOR");
	t0 = mono();
	m = model_new();
	now = ui_now();
	fill(m, 0, now - 5);
	fill(m, 1, now);
	printf("bench_ui: %zu tunnels on %d devices (model built in %.1f s, "
	    "%.1f MB)\n", model_ntunnels(m), NDEV, mono() - t0,
	    (double)model_bytes(m) / 1e6);
	if ((fd = mkstemp(path)) == -1 || (out = fdopen(fd, "w")) == NULL ||
	    (in = fopen("/dev/null", "r")) == NULL) {
		perror("bench_ui");
		return (0);
	}
	memset(&term, 0, sizeof term);
	term.out = out;
	term.in = in;
	term.type = "xterm-256color";
	term.no_input = 1;
	if ((ui = ui_new(NULL, m, NULL, NULL, &term, &err)) == NULL) {
		printf("bench_ui: %s\n", err);
		return (0);
	}
	t0 = mono();
	ui_draw(ui);
	printf("  first frame (collect and sort)     %6.2f ms\n",
	    (mono() - t0) * 1000);

	/* Typing a filter, then clearing it. */
	n = 0;
	ms[n++] = key(ui, 0, '/');
	for (i = 0; filter[i] != '\0'; i++)
		ms[n++] = key(ui, 0, filter[i]);
	ms[n++] = key(ui, 0, '\r');
	report("filter typed (/site-042-07 Enter)", ms, n);
	key(ui, 0, '/');
	key(ui, 0, '\r');
	for (n = 0; n < 100; n++)
		ms[n] = key(ui, 1, KEY_NPAGE);
	report("page down", ms, n);
	for (n = 0; n < 26; n++)
		ms[n] = key(ui, 0, n % 2 ? '<' : '>');
	report("sort change (> and <)", ms, n);
	for (n = 0; n < 26; n++)
		ms[n] = key(ui, 0, 'I');
	report("sort reversed (I)", ms, n);
	for (n = 0; n < 40; n++)
		ms[n] = key(ui, 0, n % 2 ? 27 : '\r');
	report("drill down and back (Enter, Esc)", ms, n);

	/* An unchanged screen redrawn: bytes written. */
	ui_draw(ui);
	fflush(out);
	fstat(fd, &st1);
	for (i = 0; i < 100; i++)
		ui_draw(ui);
	fflush(out);
	fstat(fd, &st2);
	printf("  unchanged redraw                   %6lld bytes per frame "
	    "(100 frames)%s\n", (long long)(st2.st_size - st1.st_size) / 100,
	    st2.st_size != st1.st_size ? "  OVER TARGET" : "");
	ui_free(ui);

	/*
	 * Idle: the dashboard on a loop for 5 s, nothing changing after a
	 * tunnel changed state (its highlight ends after 3 s).
	 */
	uv_loop_init(&loop);
	ui = ui_new(&loop, m, NULL, NULL, &term, &err);
	memset(&ev, 0, sizeof ev);
	ev.time = ui_now();
	ev.type = "tunnel-state";
	ev.device = name[0];
	ev.vdom = name[1];
	ev.tunnel = name[2];
	ev.from = name[3];
	ev.to = name[4];
	ui_events(ui, &ev);
	uv_timer_init(&loop, &stop);
	stop.data = ui;
	uv_timer_start(&stop, stop_cb, 5000, 0);
	uv_run(&loop, UV_RUN_NOWAIT);	/* the first frame */
	t0 = mono();
	c0 = cpu();
	uv_run(&loop, UV_RUN_DEFAULT);
	printf("  idle CPU (5 s, nothing changes)    %6.2f %% (%lu frames)%s\n",
	    (cpu() - c0) / (mono() - t0) * 100, ui->frames, (cpu() - c0) /
	    (mono() - t0) > 0.005 ? "  OVER TARGET" : "");
	ui_free(ui);
	uv_loop_close(&loop);
	fclose(out);
	fclose(in);
	unlink(path);
	model_free(m);
	return (0);
}
