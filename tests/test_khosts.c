/* SPDX-License-Identifier: ISC */
/*
 * test_khosts - the lines of a known_hosts file a login's copy holds.
 *
 * The table below says, for every kind of line libssh 0.10 reads, which
 * logins it can name (knownhosts.c and match.c: names lowercased,
 * "[host]:port" off port 22, a bracketed name against "[host]:22" on
 * it, comments and @markers skipped, hashed names, wildcards and
 * negations matched by libssh itself, a line too long or holding a NUL
 * ends libssh's reading).  Each copy must hold exactly the lines that
 * can name its login, in the file's order, read back through the name
 * libssh is given.  Then: a changed file is read again, khosts_add
 * appends (creating the directory, ending a last line left open) and
 * keeps the copy in step, a write that fails half-way leaves the file
 * as it was, and running out of descriptors fails one login, not all.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tucmp.h"
#include "khosts.h"
#include "xmalloc.h"

/* The logins: host as libssh keeps it, and port. */
static const struct login {
	char		 id;
	const char	*host;
	int		 port;
} logins[] = {
	{ 'a', "10.0.0.1", 22 },
	{ 'b', "10.0.0.1", 2222 },
	{ 'c', "FW2", 22 },		/* libssh lowercases it */
	{ 'd', "fw1", 0 },		/* port unset: 22 */
};

/* A line, and the logins it can name ('*': libssh must judge it). */
static const struct kline {
	const char	*text;
	const char	*logins;
} klines[] = {
	{ "# fw1 10.0.0.1 a comment", "" },
	{ "", "" },
	{ "   \t", "" },
	{ "@cert-authority * ssh-ed25519 AAAAca", "" },
	{ "fw1,10.0.0.1 ssh-ed25519 AAAA1", "ad" },
	{ "[10.0.0.1]:2222 ssh-ed25519 AAAA2", "b" },
	{ "Fw2 ssh-rsa AAAA3", "c" },
	{ "|1|c2FsdHNhbHRzYWx0c2FsdA==|aGFzaGhhc2hoYXNoaGFzaA== "
	    "ssh-ed25519 AAAA4", "*" },
	{ "|1|!!!!|c2FsdHNhbHRzYWx0c2FsdHNhbHQ= ssh-ed25519 AAAA4b", "*" },
	{ "|1|c2FsdA|c2FsdHNhbHRzYWx0c2FsdHNhbHQ= ssh-ed25519 AAAA4c", "*" },
	{ "*.corp ssh-ed25519 AAAA5", "*" },
	{ "!fw9,fw? ssh-ed25519 AAAA6", "*" },
	{ "[10.0.0.1]:22 ssh-ed25519 AAAA7", "a" },
	{ "[fw1]:22,[FW2]:22 ssh-ed25519 AAAA8", "cd" },
	{ "\tfw1 ssh-ed25519 AAAA9", "*" },
	{ " fw1 ssh-ed25519 AAAA10", "*" },
	{ "10.0.0.10 ssh-ed25519 AAAA11", "" },
	{ "10.0.0.1.example ssh-ed25519 AAAA12", "" },
	{ "fw3,,fw1 ssh-ed25519 AAAA13", "d" },
	{ "[10.0.0.1]:22222 ssh-ed25519 AAAA14", "" },
	{ "fw1 ssh-ed25519 AAAA15\r", "d" },
	{ NULL, "*" },			/* 9,000 bytes: libssh stops there */
	{ "fw1 ssh-ed25519 AAAA16", "d" },	/* the last, no newline */
};
#define NKLINES	(sizeof klines / sizeof klines[0])

/*
 * Lines ssh-keygen -H hashes, one name each as ssh writes them (HMAC-SHA1
 * of the name keyed with a random salt), with a real key.  libssh hashes
 * the name it matches plain ones against: "[10.0.0.1]:22" hashed names
 * nothing (port 22 is "10.0.0.1").
 */
static const struct kline tohash[] = {
	{ "fw1", "d" },
	{ "[10.0.0.1]:2222", "b" },
	{ "10.0.0.1", "a" },
	{ "fw2", "c" },
	{ "[10.0.0.1]:22", "" },
	{ "fw10", "" },
};
#define NTOHASH	(sizeof tohash / sizeof tohash[0])

static char	 dir[64];
static char	*longline;
/* klines with the hashed lines before the last two. */
static struct kline	 all[NKLINES + NTOHASH];
static char		*hashed[NTOHASH];

static char *
path_in(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", dir, name);
	return (p);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *
read_path(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "r");
	char	*buf = NULL;
	size_t	 cap = 0, n;

	if (f == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	*len = 0;
	do {
		cap = cap * 2 + 4096;
		buf = xrealloc(buf, cap + 1);
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (*len == cap);
	fclose(f);
	buf[*len] = '\0';
	return (buf);
}

/* The copy for host:port, read as libssh reads it (by its name). */
static char *
copy_for(const char *path, const char *host, int port, size_t *len)
{
	char	 name[64], *text;
	int	 fd;

	fd = khosts_filter(path, host, port, name, sizeof name);
	if (fd == -1)
		fail_msg("khosts_filter %s %s:%d: -1", path, host, port);
	text = read_path(name, len);
	close(fd);
	return (text);
}

static void
build_lines(void)
{
	char	*plain = path_in("tohash"), *pub, *text, *p, *nl, cmd[256];
	size_t	 i, n = 0;

	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -C '' "
	    "-f '%s/key' >/dev/null 2>&1", dir);
	assert_int_equal(system(cmd), 0);
	pub = read_path(strcat(strcpy(cmd, dir), "/key.pub"), &i);
	pub[strcspn(pub, "\n")] = '\0';
	text = xstrdup("");
	for (i = 0; i < NTOHASH; i++) {
		p = text;
		xasprintf(&text, "%s%s %s\n", p, tohash[i].text, pub);
		free(p);
	}
	write_file(plain, text, strlen(text));
	free(text);
	free(pub);
	snprintf(cmd, sizeof cmd, "ssh-keygen -H -f '%s' >/dev/null 2>&1",
	    plain);
	assert_int_equal(system(cmd), 0);
	text = read_path(plain, &i);
	for (p = text, i = 0; i < NTOHASH; i++, p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			fail_msg("ssh-keygen -H wrote %zu lines", i);
		*nl = '\0';
		tu_assert_prefix(p, "|1|");
		hashed[i] = xstrdup(p);
	}
	free(text);
	free(plain);

	for (i = 0; i + 2 < NKLINES; i++)
		all[n++] = klines[i];
	for (i = 0; i < NTOHASH; i++) {
		all[n].text = hashed[i];
		all[n++].logins = tohash[i].logins;
	}
	for (i = NKLINES - 2; i < NKLINES; i++)
		all[n++] = klines[i];
}

static const char *
kline_text(size_t i)
{
	return (all[i].text != NULL ? all[i].text : longline);
}

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_khosts.XXXXXX");
	assert_non_null(mkdtemp(dir));
	longline = xmalloc(9000 + 1);
	memcpy(longline, "fw1 ssh-ed25519 ", 16);
	memset(longline + 16, 'A', 9000 - 16);
	longline[9000] = '\0';
	(void)state;
	return (0);
}

static int
teardown(void **state)
{
	char	 cmd[128];
	size_t	 i;

	khosts_free();
	for (i = 0; i < NTOHASH; i++)
		free(hashed[i]);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return (-1);
	free(longline);
	(void)state;
	return (0);
}

/* Every login's copy holds the lines that can name it, in order. */
static void
test_select(void **state)
{
	char	*path = path_in("known_hosts"), *text = NULL, *want, *got;
	size_t	 i, j, len = 0, wlen, glen;

	build_lines();
	for (i = 0; i < NKLINES + NTOHASH; i++) {
		const char	*t = kline_text(i);
		size_t		 n = strlen(t);

		text = xrealloc(text, len + n + 2);
		memcpy(text + len, t, n);
		len += n;
		if (i + 1 < NKLINES + NTOHASH)
			text[len++] = '\n';
	}
	write_file(path, text, len);
	free(text);

	for (j = 0; j < sizeof logins / sizeof logins[0]; j++) {
		want = xstrdup("");
		wlen = 0;
		for (i = 0; i < NKLINES + NTOHASH; i++) {
			const char	*t = kline_text(i);
			size_t		 n = strlen(t);

			if (strchr(all[i].logins, logins[j].id) == NULL &&
			    strcmp(all[i].logins, "*") != 0)
				continue;
			want = xrealloc(want, wlen + n + 2);
			memcpy(want + wlen, t, n);
			wlen += n;
			want[wlen++] = '\n';
			want[wlen] = '\0';
		}
		got = copy_for(path, logins[j].host, logins[j].port, &glen);
		if (glen != wlen || memcmp(got, want, wlen) != 0)
			fail_msg("login %c (%s:%d): got\n%.2000s\nwant\n%.2000s",
			    logins[j].id, logins[j].host, logins[j].port, got,
			    want);
		free(got);
		free(want);
	}
	free(path);
	(void)state;
}

/* A missing file: -1, libssh is given the path itself. */
static void
test_missing(void **state)
{
	char	*path = path_in("none"), name[64];

	assert_int_equal(khosts_filter(path, "fw1", 22, name, sizeof name),
	    -1);
	free(path);
	(void)state;
}

/* A file changed behind our back (other size, or replaced) is read again. */
static void
test_reload(void **state)
{
	char	*path = path_in("reload"), *tmp = path_in("reload.new");
	char	*got;
	size_t	 len;

	write_file(path, "fw1 ssh-ed25519 AAAA1\n", 22);
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n");
	free(got);

	write_file(path, "fw1 ssh-ed25519 BBBBBBBB\n", 25);
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 BBBBBBBB\n");
	free(got);

	/* Same size, new inode: what ssh-keygen -R leaves. */
	write_file(tmp, "fw1 ssh-ed25519 CCCCCCCC\n", 25);
	assert_int_equal(rename(tmp, path), 0);
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 CCCCCCCC\n");
	free(got);
	free(tmp);
	free(path);
	(void)state;
}

/* accept-new: the line lands in the file and in the copy. */
static void
test_add(void **state)
{
	char		*path = path_in("sub/dir/known_hosts"), *sub, *got;
	struct stat	 st;
	size_t		 len;

	/* A missing directory is made, 0700, as libssh makes it. */
	assert_int_equal(khosts_add(path, "fw1 ssh-ed25519 AAAA1\n"), 0);
	sub = path_in("sub/dir");
	assert_int_equal(stat(sub, &st), 0);
	tu_assert_cmp(st.st_mode & 0777, ==, 0700);
	free(sub);
	got = read_path(path, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n");
	free(got);

	/* Read once; then each add is in the copy at its place. */
	got = copy_for(path, "fw2", 22, &len);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(khosts_add(path, "fw2 ssh-ed25519 AAAA2\n"), 0);
	assert_int_equal(khosts_add(path, "*.corp ssh-rsa AAAA3\n"), 0);
	assert_int_equal(khosts_add(path, "fw2,fw3 ssh-rsa AAAA4\n"), 0);
	got = copy_for(path, "fw2", 22, &len);
	assert_string_equal(got, "fw2 ssh-ed25519 AAAA2\n"
	    "*.corp ssh-rsa AAAA3\nfw2,fw3 ssh-rsa AAAA4\n");
	free(got);
	got = read_path(path, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n"
	    "fw2 ssh-ed25519 AAAA2\n*.corp ssh-rsa AAAA3\n"
	    "fw2,fw3 ssh-rsa AAAA4\n");
	free(got);
	free(path);
	(void)state;
}

/* A last line without its newline is ended before ours. */
static void
test_add_open_line(void **state)
{
	char	*path = path_in("open"), *got;
	size_t	 len;

	write_file(path, "fw1 ssh-ed25519 AAAA1", 21);
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n");
	free(got);
	assert_int_equal(khosts_add(path, "fw2 ssh-ed25519 AAAA2\n"), 0);
	got = read_path(path, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n"
	    "fw2 ssh-ed25519 AAAA2\n");
	free(got);
	got = copy_for(path, "fw2", 22, &len);
	assert_string_equal(got, "fw2 ssh-ed25519 AAAA2\n");
	free(got);
	free(path);
	(void)state;
}

/*
 * The disk fills half-way through the line (RLIMIT_FSIZE stands in for
 * it: the kernel writes up to the limit, then refuses): an error, and
 * the file is as it was, not ending in half a line.
 */
static void
test_add_full(void **state)
{
	static const char old[] = "fw1 ssh-ed25519 AAAA1\n";
	char		*path = path_in("full"), *got;
	struct rlimit	 saved, rl;
	size_t		 len;
	int		 rc, err;

	write_file(path, old, strlen(old));
	got = copy_for(path, "fw2", 22, &len);
	assert_string_equal(got, "");
	free(got);

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	rl = saved;
	rl.rlim_cur = strlen(old) + 8;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	rc = khosts_add(path, "fw2 ssh-ed25519 AAAAAAAAAAAAAAAAAAAAAAAA\n");
	err = errno;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, -1);
	assert_int_equal(err, EFBIG);

	got = read_path(path, &len);
	assert_string_equal(got, old);
	free(got);
	/* And the copy is read again, not left with the line. */
	got = copy_for(path, "fw2", 22, &len);
	assert_string_equal(got, "");
	free(got);
	free(path);
	(void)state;
}

/* Out of descriptors for a moment: this login reads the file itself. */
static void
test_no_fd(void **state)
{
	char		*path = path_in("nofd"), *got, name[64];
	struct rlimit	 saved, rl;
	size_t		 len;
	int		 fd;

	write_file(path, "fw1 ssh-ed25519 AAAA1\n", 22);
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n");
	free(got);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	rl = saved;
	rl.rlim_cur = 3;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	fd = khosts_filter(path, "fw1", 22, name, sizeof name);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	assert_int_equal(fd, -1);
	/* And the next login has its copy again. */
	got = copy_for(path, "fw1", 22, &len);
	assert_string_equal(got, "fw1 ssh-ed25519 AAAA1\n");
	free(got);
	free(path);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_open_line),
		cmocka_unit_test(test_add_full),
		cmocka_unit_test(test_no_fd),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
