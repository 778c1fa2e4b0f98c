/* SPDX-License-Identifier: ISC */
/*
 * log - fgtsim's JSON event log.
 *
 * Each event is written as one complete line and flushed at once, so a
 * test can read the file while fgtsim runs and never sees half a line.
 * The timestamp "t" is wall seconds since the log was opened; the
 * simulated clock is not logged because --speed makes it a multiple.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "log.h"

static FILE		*log_file;
static struct timespec	 log_start;

static double
log_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)(ts.tv_sec - log_start.tv_sec) +
	    (double)(ts.tv_nsec - log_start.tv_nsec) / 1e9);
}

int
log_open(const char *path, char *err, size_t errlen)
{
	if ((log_file = fopen(path, "a")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	clock_gettime(CLOCK_MONOTONIC, &log_start);
	return (0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/* Start a line with the fields every event has. */
static int
log_begin(struct json *j, const char *event, uint64_t conn,
    const char *device)
{
	if (log_file == NULL)
		return (0);
	json_init(j, 0);
	json_obj_begin(j);
	json_key(j, "t");
	json_double(j, log_now(), 3);
	json_kstr(j, "event", event);
	if (device != NULL)
		json_kstr(j, "device", device);
	if (conn != 0)
		json_knum(j, "conn", (int64_t)conn);
	return (1);
}

static void
log_end(struct json *j)
{
	json_obj_end(j);
	fwrite(j->buf, 1, j->len, log_file);
	fputc('\n', log_file);
	fflush(log_file);
	json_free(j);
}

static void
log_state(struct json *j, const char *key, const struct sim_debug_state *ds)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kbool(j, "enabled", ds->enabled != 0);
	json_knum(j, "ike_level", ds->ike_level);
	json_kbool(j, "filter_set", ds->filter_set != 0);
	json_obj_end(j);
}

void
log_listen(const char *device, const char *addr, int port)
{
	struct json	 j;

	if (!log_begin(&j, "listen", 0, device))
		return;
	json_kstr(&j, "addr", addr);
	json_knum(&j, "port", port);
	log_end(&j);
}

/* An event with one string field of its own. */
static void
log_one(const char *event, uint64_t conn, const char *device,
    const char *key, const char *value)
{
	struct json	 j;

	if (!log_begin(&j, event, conn, device))
		return;
	json_kstr(&j, key, value);
	log_end(&j);
}

void
log_connect(uint64_t conn, const char *device, const char *peer)
{
	log_one("connect", conn, device, "peer", peer);
}

void
log_refused(uint64_t conn, const char *device, const char *why)
{
	log_one("refused", conn, device, "reason", why);
}

void
log_auth(uint64_t conn, const char *device, const char *user,
    const char *method, int ok)
{
	struct json	 j;

	if (!log_begin(&j, "auth", conn, device))
		return;
	json_kstr(&j, "user", user);
	json_kstr(&j, "method", method);
	json_kstr(&j, "result", ok > 0 ? "ok" : ok == 0 ? "fail" : "partial");
	log_end(&j);
}

void
log_command(uint64_t conn, const char *device, const char *vdom,
    const char *cmd)
{
	struct json	 j;

	if (!log_begin(&j, "command", conn, device))
		return;
	json_kstr(&j, "vdom", vdom);
	json_kstr(&j, "command", cmd);
	log_end(&j);
}

void
log_debug(uint64_t conn, const char *device, const char *change,
    const struct sim_debug_state *before, const struct sim_debug_state *after)
{
	struct json	 j;

	if (!log_begin(&j, "debug", conn, device))
		return;
	json_kstr(&j, "change", change);
	log_state(&j, "before", before);
	log_state(&j, "after", after);
	log_end(&j);
}

void
log_disconnect(uint64_t conn, const char *device, const char *reason,
    const struct sim_debug_state *left)
{
	struct json	 j;

	if (!log_begin(&j, "disconnect", conn, device))
		return;
	json_kstr(&j, "reason", reason);
	log_state(&j, "debug", left);
	log_end(&j);
}
