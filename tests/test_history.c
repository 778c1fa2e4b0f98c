/* SPDX-License-Identifier: ISC */
/*
 * test_history - per-tunnel history: uptime, downtime, flaps, the
 * sparkline's cells, its bound, and histories restored before the
 * tunnel is polled.
 *
 * States are driven through the model's own path (summary outputs
 * merged, rounds ended), at times chosen on minute boundaries from an
 * hour-aligned base B, so every expected value follows from the
 * timeline written in each test.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "diagnose_model.h"
#include "model.h"
#include "testutil.h"
#include "tunnel_summary.h"

#define B	1800000000.0	/* a multiple of 3600 */

/* One round in which tunnel "hq" has total/up selectors. */
static void
round_at(struct mdev *d, struct mvdom *v, int total, int up, double now)
{
	struct tunnel_summary	*ts;
	char			 text[256];

	snprintf(text, sizeof text, "'hq' 10.0.0.1:0  selectors(total,up):"
	    " %d/%d  rx(pkt,err): 1/0  tx(pkt,err): 1/0\n", total, up);
	ts = tunnel_summary_parse(text, strlen(text));
	assert_non_null(ts);
	model_round_begin(d);
	model_merge_summary(v, ts, 1, now);
	tunnel_summary_free(ts);
	model_round_end(d, now, 1);
}

/* Cells as characters: ? unknown, ^ up, g degraded, v down. */
static void
spark_text(const struct mtun *t, double now, double window, size_t n,
    char *out)
{
	static const char	 ch[] = { '?', 'v', 'g', '^' };
	unsigned char		 cells[128];
	size_t			 i;

	tu_assert_cmp(n, <=, sizeof cells);
	model_tunnel_spark(t, now, window, cells, n);
	for (i = 0; i < n; i++) {
		tu_assert_cmp(cells[i], <=, MTUN_UP);
		out[i] = ch[cells[i]];
	}
	out[n] = '\0';
}

/*
 * First seen down, 7 s ago, nothing before: held down for 7 s, no
 * uptime, 7 s down; the minute it is in is a down cell, not a blank.
 */
static void
test_first_seen_down(void **state)
{
	struct model	*m = model_new();
	struct mvdom	*v;
	struct mtun	*t;
	char		 spark[64];
	int		 st = -1;

	v = model_vdom(model_add_device(m, "fw1", NULL, 0), "root");
	round_at(v->dev, v, 1, 0, B + 30);	/* added, down */
	assert_non_null(t = model_tunnel(v, "hq"));
	assert_string_equal(mtun_state_name(t->state), "down");
	tu_assert_double_equal(model_tunnel_held(t, B + 37, &st), 7, 0);
	assert_string_equal(mtun_state_name((enum mtun_state)st), "down");
	tu_assert_double_equal(model_tunnel_uptime(t, B + 37), 0, 0);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 37, 86400), 7,
	    1e-6);
	spark_text(t, B + 37, 3600, 60, spark);
	assert_string_equal(spark, "???????????????????????????????????????"
	    "????????????????????v");
	/* 5 min 37 s on: the six cells since B + 7 are down. */
	spark_text(t, B + 367, 3600, 60, spark);
	assert_string_equal(spark, "???????????????????????????????????????"
	    "???????????????vvvvvv");
	/* Nothing known yet: unknown for nothing. */
	model_history_clear(&t->hist);
	tu_assert_double_equal(model_tunnel_held(t, B + 37, &st), 0, 0);
	assert_string_equal(mtun_state_name((enum mtun_state)st), "unknown");
	model_free(m);
}

static void
test_timeline(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;
	char		 spark[64];

	round_at(d, v, 2, 2, B);		/* added, up */
	t = model_tunnel(v, "hq");
	tu_assert_double_equal(model_tunnel_uptime(t, B + 50), 50, 0);
	round_at(d, v, 2, 0, B + 100);		/* flap 1, down */
	tu_assert_double_equal(model_tunnel_uptime(t, B + 120), 0, 0);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 130, 86400), 30,
	    1e-6);
	round_at(d, v, 2, 2, B + 160);		/* up after 60 s down */
	round_at(d, v, 2, 2, B + 200);		/* no change */
	round_at(d, v, 2, 1, B + 400);		/* flap 2, degraded */
	round_at(d, v, 2, 2, B + 460);		/* up */

	tu_assert_double_equal(model_tunnel_uptime(t, B + 1000), 540, 1e-6);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 1000, 86400), 60,
	    1e-6);
	assert_int_equal(model_tunnel_flaps(t, B + 1000, 3600), 2);
	/* A window that starts after the first flap's minute sees one. */
	assert_int_equal(model_tunnel_flaps(t, B + 1000, 700), 1);

	round_at(d, v, 2, 0, B + 1000);		/* flap 3, down */
	tu_assert_double_equal(model_tunnel_uptime(t, B + 1300), 0, 0);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 1300, 86400), 360,
	    1e-6);
	assert_int_equal(model_tunnel_flaps(t, B + 1300, 3600), 3);
	/* The first 60 s down lie outside the last 600 s. */
	tu_assert_double_equal(model_tunnel_downtime(t, B + 1300, 600), 300,
	    1e-6);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 1300, 1300), 360,
	    1e-6);

	/* One cell a minute over the last hour, ending at B + 1800. */
	spark_text(t, B + 1800, 3600, 60, spark);
	assert_string_equal(spark,
	    "??????????????????????????????"	/* before B: not known */
	    "^"					/* B */
	    "vv"				/* down at B+100..B+160 */
	    "^^^"
	    "gg"				/* degraded B+400..B+460 */
	    "^^^^^^^^"				/* B+480..B+960 */
	    "vvvvvvvvvvvvvv");			/* down from B+1000 */

	/* An hour later the first flaps have left the hour. */
	assert_int_equal(model_tunnel_flaps(t, B + 4400, 3600), 1);
	assert_int_equal(model_tunnel_flaps(t, B + 4400, 86400), 3);
	model_free(m);
}

/* A tunnel flapping every 5 s for a day costs what one flap costs. */
static void
test_bounded(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;
	size_t		 once, k;

	round_at(d, v, 1, 1, B);
	round_at(d, v, 1, 0, B + 5);
	t = model_tunnel(v, "hq");
	once = model_bytes(m);
	for (k = 1; k < 8640; k++) {
		model_history_note(t, MTUN_UP, B + 10.0 * (double)k);
		model_history_note(t, MTUN_DOWN, B + 10.0 * (double)k + 5);
	}
	assert_int_equal(model_bytes(m), once);
	assert_int_equal(model_tunnel_flaps(t, B + 86400, 3600), 360);
	assert_int_equal(model_tunnel_flaps(t, B + 86400, 86400), 8640);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 86400, 86400),
	    43200, 1e-3);
	/* Half an hour of flapping, half an hour down since B + 86395. */
	tu_assert_double_equal(model_tunnel_downtime(t, B + 86400 + 1800, 3600),
	    1800.0 / 2 - 5 + 1805, 1e-3);
	model_free(m);
}

/* The journal's states, restored before the first poll, carry on. */
static void
test_restore(void **state)
{
	struct model	*m = model_new();
	struct mdev	*d = model_add_device(m, "fw1", NULL, 0);
	struct mvdom	*v = model_vdom(d, "root");
	struct mtun	*t;

	model_history_restore(m, "fw1", "root", "hq", MTUN_UP, B - 600);
	model_history_restore(m, "fw1", "root", "hq", MTUN_DOWN, B - 420);
	model_history_restore(m, "fw1", "root", "hq", MTUN_UP, B - 300);
	/* Another VDOM's tunnel of the same name keeps its own. */
	model_history_restore(m, "fw1", "other", "hq", MTUN_DOWN, B - 900);
	assert_int_equal(m->npending, 2);

	round_at(d, v, 1, 1, B);		/* still up: no transition */
	t = model_tunnel(v, "hq");
	tu_assert_double_equal(model_tunnel_uptime(t, B + 100), 400, 1e-6);
	assert_int_equal(model_tunnel_flaps(t, B + 100, 3600), 1);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 100, 86400), 120,
	    1e-6);

	/* A restore for a tunnel the model has goes straight to it. */
	model_history_restore(m, "fw1", "root", "hq", MTUN_DOWN, B + 200);
	assert_int_equal(model_tunnel_flaps(t, B + 300, 3600), 2);
	tu_assert_double_equal(model_tunnel_downtime(t, B + 300, 86400), 220,
	    1e-6);

	/* The other VDOM's history is handed over when it appears. */
	v = model_vdom(d, "other");
	round_at(d, v, 1, 0, B + 300);
	t = model_tunnel(v, "hq");
	tu_assert_double_equal(model_tunnel_downtime(t, B + 300, 86400), 1200,
	    1e-6);
	assert_int_equal(model_tunnel_flaps(t, B + 300, 3600), 0);
	model_free(m);
}

/* The finding of rule id on t, or NULL. */
static const struct dg_finding *
finding(const struct mtun *t, const char *id)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);
	size_t				 i;

	for (i = 0; fs != NULL && i < fs->n; i++)
		if (strcmp(fs->v[i].rule->id, id) == 0)
			return (&fs->v[i]);
	return (NULL);
}

/*
 * ST-FLAP from the history: the model's threshold of flaps in the last
 * hour (4 by default) raises it, fewer do not, 0 never does.
 */
static void
test_flap_finding(void **state)
{
	struct model			*m = model_new();
	struct mdev			*d = model_add_device(m, "fw1", NULL,
	    0);
	struct mvdom			*v = model_vdom(d, "root");
	const struct dg_finding		*f;
	struct mtun			*t;
	double				 now = B;
	int				 k;

	assert_int_equal(m->flap_threshold, MODEL_FLAP_THRESHOLD);
	assert_int_equal(MODEL_FLAP_THRESHOLD, 4);
	round_at(d, v, 1, 1, now);
	t = model_tunnel(v, "hq");
	for (k = 1; k <= 4; k++) {
		round_at(d, v, 1, 0, now += 60);
		round_at(d, v, 1, 1, now += 60);
		diagnose_model_tunnel(t, now, NULL, 0);
		f = finding(t, "ST-FLAP");
		if (k < 4) {
			assert_null(f);
			continue;
		}
		assert_non_null(f);
		assert_int_equal(f->nevidence, 1);
		assert_string_equal(f->evidence[0], "went down 4 times in the "
		    "last hour (fgtop's history)");
	}
	/* An hour on, the flaps have left the window. */
	diagnose_model_tunnel(t, now + 3600, NULL, 0);
	assert_null(finding(t, "ST-FLAP"));
	/* flap-threshold 0: never. */
	m->flap_threshold = 0;
	diagnose_model_tunnel(t, now, NULL, 0);
	assert_null(finding(t, "ST-FLAP"));
	m->flap_threshold = 2;
	diagnose_model_tunnel(t, now, NULL, 0);
	assert_non_null(finding(t, "ST-FLAP"));
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_seen_down),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_flap_finding),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
