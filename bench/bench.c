/* SPDX-License-Identifier: ISC */
/*
 * bench - parser throughput against `wc -l`, run by `make bench`.
 *
 * Generates, in a temporary directory, a 10,000-tunnel `diagnose vpn
 * tunnel list` in the 7.x format (two proxyids each, modelled on
 * tests/fixtures/real/tunnel-list/02-spoke-static-auto-negotiate.txt with
 * distinct names, addresses, SPIs and counters) and a 10,000-line `get vpn
 * ipsec tunnel summary`.  For each it reports the size, the best of five
 * parse times (through the kind table, as `fgtop parse` does, without the
 * JSON), the throughput, the ratio to the best of five runs of `wc -l` on
 * the same file in the same invocation, and the memory the parsed result
 * holds beyond the input, per tunnel.  The parsers keep everything in an
 * arena that is only released by *_free, so the memory held right after
 * the parse is its peak.
 *
 * Then it times the whole process as a user runs it, `fgtop parse --as
 * tunnel-list FILE > OUT` (read, parse, JSON to a file; indented and
 * -c; then both again on one thread, FGTOP_PARSE_THREADS=0), best of
 * fifteen, beside `wc -l` and TextFSM (Debian's
 * python3-textfsm, bench/tunnel_list.textfsm, rows written as JSON too)
 * on the same file in the same run.  TextFSM is skipped with a message
 * when it is not installed (apt-get install python3-textfsm).
 *
 * It is a report, not a test: it always exits 0, and prints OVER TARGET
 * when a target (tunnel list parse <= 4x wc -l, <= 1 KB per tunnel,
 * whole process <= 10x wc -l and >= 50x faster than TextFSM) is missed,
 * or MISMATCH when a parser did not find all 10,000 tunnels.
 *
 * usage: bench/bench [FGTOP BENCHDIR]  (make bench passes src/fgtop and
 * the source's bench/ directory; without them only the parse is timed)
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kind.h"

#define BENCH_TUNNELS	10000
#define BENCH_RUNS	5
#define TARGET_RATIO	4.0
#define TARGET_BYTES	1024.0
#define TARGET_WHOLE	10.0	/* whole process / wc -l, at most */
#define TARGET_TEXTFSM	50.0	/* TextFSM / whole process, at least */
#define WHOLE_RUNS	15	/* processes are noisier than a loop */

extern char	**environ;

int	main(int, char **);

struct result {
	const char	*kind;
	size_t		 bytes;
	double		 parse_s;	/* best of BENCH_RUNS */
	double		 cold_s;	/* the first run */
	double		 wc_s;		/* best of BENCH_RUNS, < 0 if none */
	size_t		 count;
	double		 mem;		/* bytes held by the result, < 0 n/a */
};

/* xorshift64: reproducible key material and counters. */
static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

static void
bench_hex(FILE *f, uint64_t *s, int digits)
{
	int	i;

	for (i = 0; i < digits; i += 8)
		fprintf(f, "%08x", (unsigned)(bench_rand(s) & 0xffffffffu));
}

static void
bench_proxyid(FILE *f, int i, int p, uint64_t *s)
{
	int		a = i / 250, b = i % 250 + 1;
	unsigned	dp, ep;

	dp = (unsigned)(bench_rand(s) % 100000);
	ep = (unsigned)(bench_rand(s) % 100000);
	fprintf(f, "proxyid=SPOKE%05d-P%d proto=0 sa=1 ref=2 serial=%d "
	    "auto-negotiate\n", i, p, p + 1);
	fprintf(f, "  src: 0:10.%d.%d.0/255.255.255.0:0\n", 100 + a, b);
	fprintf(f, "  dst: 0:172.%d.%d.0/255.255.255.0:0\n", 16 + a, b);
	fprintf(f, "  SA:  ref=5 options=18227 type=00 soft=0 mtu=1438 "
	    "expire=%d/0B replaywin=2048\n", 40000 + (i * 7 + p) % 3000);
	fprintf(f, "       seqno=%x esn=0 replaywin_lastseq=%08x qat=0 "
	    "rekey=0 hash_search_len=1\n", ep + 1, dp);
	fprintf(f, "  life: type=01 bytes=0/0 timeout=%d/43200\n",
	    40100 + (i * 7 + p) % 3000);
	fprintf(f, "  dec: spi=%08x esp=aes key=16 ",
	    (unsigned)(bench_rand(s) & 0xffffffffu));
	bench_hex(f, s, 32);
	fprintf(f, "\n       ah=sha1 key=20 ");
	bench_hex(f, s, 40);
	fprintf(f, "\n  enc: spi=%08x esp=aes key=16 ",
	    (unsigned)(bench_rand(s) & 0xffffffffu));
	bench_hex(f, s, 32);
	fprintf(f, "\n       ah=sha1 key=20 ");
	bench_hex(f, s, 40);
	fprintf(f, "\n  dec:pkts/bytes=%u/%u, enc:pkts/bytes=%u/%u\n",
	    dp, dp * 90, ep, ep * 90);
	fprintf(f, "  npu_flag=01 npu_rgwy=100.%d.%d.1 npu_lgwy=200.%d.%d.2 "
	    "npu_selid=%x dec_npuid=0 enc_npuid=1\n", 64 + a, b, 1 + a, b,
	    i * 2 + p);
}

static void
bench_tunnel(FILE *f, int i, uint64_t *s)
{
	int	a = i / 250, b = i % 250 + 1;

	fprintf(f, "------------------------------------------------------\n");
	fprintf(f, "name=SPOKE%05d ver=1 serial=%x 200.%d.%d.2:0->"
	    "100.%d.%d.1:0 tun_id=100.%d.%d.1 tun_id6=::100.%d.%d.1 "
	    "dst_mtu=1500 dpd-link=on weight=1\n", i, i + 1, 1 + a, b,
	    64 + a, b, 64 + a, b, 64 + a, b);
	fprintf(f, "bound_if=10 lgwy=static/1 tun=intf mode=auto/1 "
	    "encap=none/552 options[0228]=npu frag-rfc  run_state=0 "
	    "role=primary accept_traffic=1 overlay_id=0\n\n");
	fprintf(f, "proxyid_num=2 child_num=0 refcnt=4 ilast=%d olast=%d "
	    "ad=/0\n", i % 60, (i + 3) % 60);
	fprintf(f, "stat: rxp=%d txp=%d rxb=%d txb=%d\n", i * 3, i * 5,
	    i * 300, i * 500);
	fprintf(f, "dpd: mode=on-demand on=1 idle=10000ms retry=3 count=0 "
	    "seqno=%d\n", i % 97);
	fprintf(f, "natt: mode=none draft=0 interval=0 remote_port=0\n");
	bench_proxyid(f, i, 0, s);
	bench_proxyid(f, i, 1, s);
	fprintf(f, "run_tally=0\n");
}

static void
bench_summary_line(FILE *f, int i)
{
	int	a = i / 250, b = i % 250 + 1;

	fprintf(f, "'SPOKE%05d' 100.%d.%d.1:0  selectors(total,up): "
	    "2/%d  rx(pkt,err): %d/0  tx(pkt,err): %d/%d\n", i, 64 + a, b,
	    i % 7 == 0 ? 1 : 2, i * 3, i * 5, i % 11 == 0);
}

static int
bench_write(const char *path, int summary)
{
	FILE		*f;
	uint64_t	 s = 0x9e3779b97f4a7c15ULL;
	int		 i;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	if (!summary)
		fprintf(f, "list all ipsec tunnel in vd 0\n");
	for (i = 0; i < BENCH_TUNNELS; i++) {
		if (summary)
			bench_summary_line(f, i);
		else
			bench_tunnel(f, i, &s);
	}
	return (fclose(f) != 0 ? -1 : 0);
}

static char *
bench_read(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 size;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc(size > 0 ? size : 1)) == NULL) {
		fclose(f);
		return (NULL);
	}
	if (fread(buf, 1, size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return (NULL);
	}
	fclose(f);
	*len = size;
	return (buf);
}

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Bytes malloc has handed out and not taken back, mmap'd blocks too. */
static double
bench_heap(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2	mi;

	mi = mallinfo2();
	return ((double)mi.uordblks + (double)mi.hblkhd);
#else
	return (-1);
#endif
}

/*
 * Best of runs of argv with stdout to out; -1 if it cannot run or exits
 * other than with status ok.
 */
static double
bench_spawn(char **argv, const char *out, int runs, int ok)
{
	posix_spawn_file_actions_t	 fa;
	double				 t0, t, best = -1;
	pid_t				 pid, rc;
	int				 i, status;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return (-1);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600);
	for (i = 0; i < runs; i++) {
		/*
		 * A fresh file each run: truncating the last run's 46 MB in
		 * the child would be timed, and is not fgtop's work.
		 */
		if (strcmp(out, "/dev/null") != 0)
			unlink(out);
		t0 = bench_now();
		if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
			break;
		while ((rc = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
			;
		t = bench_now() - t0;
		if (rc == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != ok)
			break;
		if (best < 0 || t < best)
			best = t;
	}
	posix_spawn_file_actions_destroy(&fa);
	return (best);
}

/* Best of BENCH_RUNS of `wc -l path >/dev/null`; -1 if wc cannot run. */
static double
bench_wc(char *path)
{
	static char	 wc[] = "wc", dashl[] = "-l";
	char		*argv[] = { wc, dashl, path, NULL };

	return (bench_spawn(argv, "/dev/null", BENCH_RUNS, 0));
}

static int
bench_one(const char *kindname, char *path, struct result *res)
{
	const struct kind	*k;
	char			*buf;
	size_t			 len;
	void			*r;
	double			 t0, t, h0, h1;
	int			 i;

	memset(res, 0, sizeof(*res));
	res->kind = kindname;
	res->parse_s = res->cold_s = res->wc_s = res->mem = -1;
	if ((k = kind_find(kindname)) == NULL) {
		fprintf(stderr, "bench: no kind %s\n", kindname);
		return (-1);
	}
	if ((buf = bench_read(path, &len)) == NULL) {
		fprintf(stderr, "bench: cannot read %s\n", path);
		return (-1);
	}
	res->bytes = len;
	for (i = 0; i < BENCH_RUNS; i++) {
		h0 = bench_heap();
		t0 = bench_now();
		r = k->parse(buf, len);
		t = bench_now() - t0;
		h1 = bench_heap();
		if (r == NULL) {
			fprintf(stderr, "bench: %s: out of memory\n", kindname);
			free(buf);
			return (-1);
		}
		if (res->parse_s < 0 || t < res->parse_s)
			res->parse_s = t;
		if (i == 0) {
			res->cold_s = t;
			res->count = k->count(r);
			if (h0 >= 0 && h1 >= 0)
				res->mem = h1 - h0;
		}
		k->free(r);
	}
	free(buf);
	res->wc_s = bench_wc(path);
	return (0);
}

/* Bytes held per tunnel, or -1 when not measured. */
static double
bench_per_tunnel(const struct result *res)
{
	return (res->mem >= 0 ? res->mem / BENCH_TUNNELS : -1);
}

/* One row of the table; 1 when the parser missed tunnels. */
static int
bench_print(const struct result *res)
{
	double	mbs;

	mbs = res->parse_s > 0 ? res->bytes / 1e6 / res->parse_s : 0;
	printf("%-15s %10zu %9.3f %8.3f %8.1f", res->kind, res->bytes,
	    res->parse_s * 1e3, res->cold_s * 1e3, mbs);
	if (res->wc_s > 0)
		printf(" %9.3f %6.2fx", res->wc_s * 1e3,
		    res->parse_s / res->wc_s);
	else
		printf(" %9s %7s", "n/a", "n/a");
	printf(" %7zu", res->count);
	if (res->mem >= 0)
		printf(" %9.0f B\n", bench_per_tunnel(res));
	else
		printf(" %11s\n", "n/a");

	if (res->count == BENCH_TUNNELS)
		return (0);
	printf("  MISMATCH: %s parsed %zu tunnels, expected %d; its figures "
	    "are not meaningful until the parser finds them all\n", res->kind,
	    res->count, BENCH_TUNNELS);
	return (1);
}

static void
bench_target(const char *what, double got, double limit, const char *unit)
{
	if (got < 0)
		printf("  %-38s n/a (not measured)\n", what);
	else if (got <= limit)
		printf("  %-38s %8.2f%s  ok (<= %.0f%s)\n", what, got, unit,
		    limit, unit);
	else
		printf("  %-38s %8.2f%s  OVER TARGET (> %.0f%s)\n", what, got,
		    unit, limit, unit);
}

/* A ratio row: a / b, or n/a. */
static double
bench_ratio(double a, double b)
{
	return (a > 0 && b > 0 ? a / b : -1);
}

/* At least limit: the TextFSM comparison, where bigger is better. */
static void
bench_target_min(const char *what, double got, double limit)
{
	if (got < 0)
		printf("  %-38s n/a (not measured)\n", what);
	else if (got >= limit)
		printf("  %-38s %8.2fx  ok (>= %.0fx)\n", what, got, limit);
	else
		printf("  %-38s %8.2fx  UNDER TARGET (< %.0fx)\n", what, got,
		    limit);
}

/*
 * The whole process as a user runs it, beside wc -l and TextFSM on the
 * same file, in this run.
 */
static void
bench_whole(char *fgtop, const char *benchdir, char *input,
    const char *dir)
{
	static char	 parse[] = "parse", as[] = "--as", kind[] =
			     "tunnel-list", compact[] = "-c";
	static char	 py[] = "/usr/bin/python3", py2[] = "python3";
	char		 out[4200], tfsm_out[4200], script[4200], tmpl[4200];
	char		*pretty_argv[] = { fgtop, parse, as, kind, input, NULL };
	char		*compact_argv[] = { fgtop, parse, compact, as, kind,
			     input, NULL };
	char		*tfsm_argv[] = { py, script, tmpl, input, tfsm_out,
			     NULL };
	static char	 wc_cmd[] = "wc", dashl[] = "-l";
	char		*wc_argv[] = { wc_cmd, dashl, input, NULL };
	double		 wc, pretty, comp, tfsm, pretty1, comp1;
	struct stat	 sb;
	long long	 pretty_bytes = -1, compact_bytes = -1;

	snprintf(out, sizeof(out), "%s/out.json", dir);
	snprintf(tfsm_out, sizeof(tfsm_out), "%s/textfsm.json", dir);
	snprintf(script, sizeof(script), "%s/textfsm_bench.py", benchdir);
	snprintf(tmpl, sizeof(tmpl), "%s/tunnel_list.textfsm", benchdir);

	wc = bench_spawn(wc_argv, "/dev/null", WHOLE_RUNS, 0);
	pretty = bench_spawn(pretty_argv, out, WHOLE_RUNS, 0);
	if (stat(out, &sb) == 0)
		pretty_bytes = sb.st_size;
	comp = bench_spawn(compact_argv, out, WHOLE_RUNS, 0);
	if (stat(out, &sb) == 0)
		compact_bytes = sb.st_size;
	/* The same on one thread (src/pstream.c), for what the second buys. */
	setenv("FGTOP_PARSE_THREADS", "0", 1);
	pretty1 = bench_spawn(pretty_argv, out, WHOLE_RUNS, 0);
	comp1 = bench_spawn(compact_argv, out, WHOLE_RUNS, 0);
	unsetenv("FGTOP_PARSE_THREADS");
	if (access(py, X_OK) != 0)
		tfsm_argv[0] = py2;
	/* Seconds a run: once is enough to compare. */
	tfsm = bench_spawn(tfsm_argv, "/dev/null", 1, 0);

	printf("\nwhole process, tunnel-list, output to a file (best of %d):\n",
	    WHOLE_RUNS);
	printf("  %-34s %9.3f ms\n", "wc -l", wc * 1e3);
	printf("  %-34s %9.3f ms  %6.2fx wc -l  %lld bytes out\n",
	    "fgtop parse (indented)", pretty * 1e3,
	    bench_ratio(pretty, wc), pretty_bytes);
	printf("  %-34s %9.3f ms  %6.2fx wc -l  %lld bytes out\n",
	    "fgtop parse -c (compact)", comp * 1e3, bench_ratio(comp, wc),
	    compact_bytes);
	printf("  %-34s %9.3f ms  %6.2fx wc -l\n", "  the same on one thread",
	    pretty1 * 1e3, bench_ratio(pretty1, wc));
	printf("  %-34s %9.3f ms  %6.2fx wc -l\n", "  -c on one thread",
	    comp1 * 1e3, bench_ratio(comp1, wc));
	if (tfsm > 0)
		printf("  %-34s %9.3f ms  %6.2fx fgtop parse, %.2fx -c\n",
		    "TextFSM (1 run)", tfsm * 1e3, bench_ratio(tfsm, pretty),
		    bench_ratio(tfsm, comp));
	else
		printf("  TextFSM: not run (install python3-textfsm to "
		    "compare)\n");
	printf("\ntargets (whole process):\n");
	bench_target("fgtop parse / wc -l", bench_ratio(pretty, wc),
	    TARGET_WHOLE, "x");
	bench_target("fgtop parse -c / wc -l", bench_ratio(comp, wc),
	    TARGET_WHOLE, "x");
	bench_target_min("TextFSM / fgtop parse", bench_ratio(tfsm, pretty),
	    TARGET_TEXTFSM);
	bench_target_min("TextFSM / fgtop parse -c", bench_ratio(tfsm, comp),
	    TARGET_TEXTFSM);
	unlink(out);
	unlink(tfsm_out);
}

int
main(int argc, char **argv)
{
	static const char	*names[2] = { "tunnel-list", "tunnel-summary" };
	struct result		 res[2];
	const char		*tmp;
	char			 dir[4096], path[2][4200] = { "", "" };
	int			 i, mismatch = 0;

	/*
	 * fgtop parses the same commands again every few seconds, and a
	 * long-running poller's heap keeps the pages it freed.  Keep them
	 * here too, so "parse ms" is the parser's work and not the kernel
	 * zeroing pages that free() gave back after the previous run; the
	 * first run, with fresh pages, is reported as "cold ms".
	 */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/fgtop-bench.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench: mkdtemp %s: %s\n", dir,
		    strerror(errno));
		return (0);
	}
	for (i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/%s.txt", dir, names[i]);
		if (bench_write(path[i], i) != 0) {
			fprintf(stderr, "bench: cannot write %s\n", path[i]);
			goto out;
		}
	}

	printf("fgtop bench: %d tunnels (tunnel list: 7.x format, 2 proxyids "
	    "each); best of %d runs\n\n", BENCH_TUNNELS, BENCH_RUNS);
	printf("%-15s %10s %9s %8s %8s %9s %7s %7s %11s\n", "input",
	    "bytes", "parse ms", "cold ms", "MB/s", "wc -l ms", "ratio",
	    "items", "mem/tunnel");
	for (i = 0; i < 2; i++) {
		if (bench_one(names[i], path[i], &res[i]) != 0)
			goto out;
		mismatch |= bench_print(&res[i]);
	}

	printf("\ntargets:\n");
	bench_target("tunnel-list parse time / wc -l",
	    res[0].wc_s > 0 ? res[0].parse_s / res[0].wc_s : -1,
	    TARGET_RATIO, "x");
	bench_target("tunnel-list memory per tunnel",
	    bench_per_tunnel(&res[0]), TARGET_BYTES, " B");
	bench_target("tunnel-summary memory per tunnel",
	    bench_per_tunnel(&res[1]), TARGET_BYTES, " B");
	if (mismatch)
		printf("  MISMATCH: not every tunnel was parsed (see above)\n");
	printf("\n(parse: best of %d with the heap kept, as in a poller; "
	    "cold: first run;\n memory: bytes malloc holds for the parsed "
	    "result, beyond the input buffer;\n wc -l: fork+exec+wait of "
	    "`wc -l FILE`, the same files, this run)\n", BENCH_RUNS);
	if (argc == 3)
		bench_whole(argv[1], argv[2], path[0], dir);
out:
	unlink(path[0]);
	unlink(path[1]);
	rmdir(dir);
	return (0);
}
