/* SPDX-License-Identifier: ISC */
/*
 * fgtop - terminal dashboard for FortiGate IPsec VPNs.
 *
 * This file is the command line: it picks the mode and hands over.  The
 * offline modes (parse, analyze) read text, run it through the parsers
 * and print JSON; they need no terminal and no network.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "cmdtool.h"
#include "demo.h"
#include "diagnose.h"
#include "engine.h"
#include "journal.h"
#include "json.h"
#include "kind.h"
#include "pstream.h"
#include "replay.h"
#include "ui.h"
#include "xmalloc.h"

/* Input is device output pasted or captured: bound it. */
#define FGTOP_MAXINPUT	((size_t)1 << 30)

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;
	size_t	 i;

	fprintf(f,
	    "usage: fgtop [options] DEST...   (the dashboard)\n"
	    "       fgtop --demo [options]\n"
	    "       fgtop parse [-c] --as KIND [FILE|-]\n"
	    "       fgtop analyze [-c] [--text] [FILE|-]\n"
	    "%s%s%s%s%s"
	    "       fgtop --help | --version\n"
	    "\n"
	    "%s\n%s"
	    "  parse     parse one FortiOS command's output and print JSON\n"
	    "  analyze   split a pasted CLI transcript into commands and\n"
	    "            print each one parsed and the findings, as JSON\n"
	    "            (--text: the findings as a short report)\n"
	    "  -c, --compact  JSON without whitespace (default: indented)\n"
	    "%s"
	    "\n"
	    "KIND is one of:\n", engine_synopsis, cmdtool_synopsis,
	    engine_export_synopsis, journal_synopsis, replay_synopsis,
	    engine_usage, journal_usage, replay_usage);
	for (i = 0; kinds[i] != NULL; i++)
		fprintf(f, "  %-18s %s\n", kinds[i]->name,
		    kind_command(kinds[i]));
	fprintf(f,
	    "\nWith no FILE, or FILE -, read standard input.\n"
	    "Exit status: 0 when something was recognised, 1 when nothing\n"
	    "was (or the input could not be read), 2 on usage errors.\n");
	exit(status);
}

/* The input text: mapped when it is a regular file, else read. */
struct input {
	char	*buf;
	size_t	 len;
	int	 mapped;
};

/*
 * Read all of FILE (or stdin for NULL or "-"); -1 with errno set.  A
 * regular file is mapped, not copied: its pages are the kernel's cache,
 * so a 20 MB listing costs neither a copy nor 20 MB of fresh zeroed
 * pages.  A pipe grows a buffer as it comes.
 */
static int
input_read(const char *path, struct input *in)
{
	struct stat	 sb;
	char		*buf;
	size_t		 len = 0, cap = 65536;
	ssize_t		 n;
	void		*m;
	int		 fd, saved;

	memset(in, 0, sizeof(*in));
	if (path == NULL || strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) == -1)
		return (-1);
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
		if ((uintmax_t)sb.st_size > FGTOP_MAXINPUT) {
			errno = EFBIG;
			goto fail;
		}
		m = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE |
		    MAP_POPULATE, fd, 0);
		if (m != MAP_FAILED) {
			if (fd != STDIN_FILENO)
				close(fd);
			in->buf = m;
			in->len = sb.st_size;
			in->mapped = 1;
			return (0);
		}
	}
	buf = xmalloc(cap);
	for (;;) {
		if (cap == len) {
			if (cap >= FGTOP_MAXINPUT) {
				errno = EFBIG;
				free(buf);
				goto fail;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	in->buf = buf;
	in->len = len;
	return (0);

fail:
	saved = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	errno = saved;
	return (-1);
}

static void
input_free(struct input *in)
{
	if (in->mapped)
		munmap(in->buf, in->len);
	else
		free(in->buf);
	in->buf = NULL;
}

/*
 * Finish the document streamed to stdout; a full disk or closed pipe is
 * an error, not silence.
 */
static int
write_end(struct json *j)
{
	int	rc = 0;

	json_line_end(j);
	if (json_flush(j) != 0) {
		fprintf(stderr, "fgtop: writing output: %s\n",
		    strerror(errno));
		rc = -1;
	}
	json_free(j);
	return (rc);
}

static const char *
input_name(const char *path)
{
	return (path == NULL || strcmp(path, "-") == 0 ? "standard input" :
	    path);
}

static int
cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "compact", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct kind	*k = NULL;
	const char		*path;
	struct json		 j;
	struct input		 in;
	size_t			 count;
	void			*r;
	int			 ch, pretty = JSON_PRETTY;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "a:ch", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if ((k = kind_find(optarg)) == NULL) {
				fprintf(stderr, "fgtop: unknown kind: %s\n",
				    optarg);
				usage(2);
			}
			break;
		case 'c':
			pretty = JSON_COMPACT;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (k == NULL) {
		fprintf(stderr, "fgtop: parse needs --as KIND\n");
		usage(2);
	}
	if (argc - optind > 1)
		usage(2);
	path = argc > optind ? argv[optind] : NULL;
	if (input_read(path, &in) != 0) {
		fprintf(stderr, "fgtop: %s: %s\n", input_name(path),
		    strerror(errno));
		return (1);
	}
	json_init_file(&j, stdout, pretty);
	if (k->stream != NULL) {
		if (pstream_run(k, &j, in.buf, in.len, &count) != 0)
			xmalloc_fatal("parsing");
	} else {
		if ((r = k->parse(in.buf, in.len)) == NULL)
			xmalloc_fatal("parsing");
		count = k->count(r);
		k->report(&j, r);
		k->free(r);
	}
	input_free(&in);
	if (write_end(&j) != 0)
		return (1);
	if (count == 0) {
		fprintf(stderr, "fgtop: no %s output recognised in %s\n",
		    k->name, input_name(path));
		return (1);
	}
	return (0);
}

static int
cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "compact", no_argument, NULL, 'c' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*path;
	struct json		 j;
	struct dg_findings	 fs;
	struct input		 in;
	char			*text;
	size_t			 n;
	int			 ch, pretty = JSON_PRETTY, as_text = 0, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "ch", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			pretty = JSON_COMPACT;
			break;
		case 't':
			as_text = 1;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (argc - optind > 1)
		usage(2);
	path = argc > optind ? argv[optind] : NULL;
	if (input_read(path, &in) != 0) {
		fprintf(stderr, "fgtop: %s: %s\n", input_name(path),
		    strerror(errno));
		return (1);
	}
	/* --text prints only the findings: the records go nowhere. */
	if (as_text)
		json_init(&j, JSON_COMPACT);
	else
		json_init_file(&j, stdout, pretty);
	dg_findings_init(&fs);
	n = analyze_transcript_findings(&j, in.buf, in.len, &fs);
	input_free(&in);
	if (as_text) {
		json_free(&j);
		text = diagnose_text(&fs);
		if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
			fprintf(stderr, "fgtop: writing output: %s\n",
			    strerror(errno));
			rc = 1;
		}
		free(text);
	} else if (write_end(&j) != 0)
		rc = 1;
	dg_findings_free(&fs);
	if (rc == 0 && n == 0) {
		fprintf(stderr, "fgtop: no FortiOS command recognised in %s\n",
		    input_name(path));
		rc = 1;
	}
	return (rc);
}

/* The dashboard as the engine sees it (engine.h: struct engine_ui). */
static void *
face_start(uv_loop_t *loop, struct model *m, const struct ui_actions *act,
    const char *mark, char *const *keys, const char *theme, char **err)
{
	struct ui	*ui;
	char		*why = NULL;
	size_t		 i;

	for (i = 0; keys != NULL && keys[i] != NULL; i += 2)
		if (ui_bind(keys[i], keys[i + 1], &why) != 0) {
			xasprintf(err, "config: key %s %s: %s", keys[i],
			    keys[i + 1], why);
			free(why);
			return (NULL);
		}
	if ((ui = ui_new(loop, m, act, mark, NULL, err)) == NULL)
		return (NULL);
	if (theme != NULL)
		ui_theme(ui, theme, &why);
	return (ui);
}

static void
face_events(void *ui, const struct mevent *ev)
{
	ui_events(ui, ev);
}

static void
face_close(void *ui)
{
	ui_close(ui);
}

static void
face_free(void *ui)
{
	ui_free(ui);
}

static void
face_tool_line(void *ui, unsigned id, const char *line, int cls)
{
	ui_tool_line(ui, id, line, (enum ui_line_class)cls);
}

static void
face_tool_end(void *ui, unsigned id, const char *reading)
{
	ui_tool_end(ui, id, reading);
}

static void
face_debug_badge(void *ui, const char *dev, const char *peer, double since)
{
	ui_debug_badge(ui, dev, peer, since);
}

static void
face_set_findings(void *ui, const struct ui_findings *f)
{
	ui_set_findings(ui, f);
}

static void
face_notice(void *ui, int err, const char *s)
{
	ui_notice(ui, err, s);
}

static const struct engine_ui face = {
	face_start, face_events, face_close, face_free, face_tool_line,
	face_tool_end, face_debug_badge, face_set_findings, face_notice
};

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage(2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(0);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("fgtop %s\n"
		    "Copyright (c) 2026 fgtop developers\n"
		    "ISC licence: free to use, copy, modify and distribute, "
		    "with or\nwithout fee, provided the copyright notice and "
		    "this permission\nnotice appear in all copies; no "
		    "warranty.  See COPYING.\n", PACKAGE_VERSION);
		return (0);
	}
	if (strcmp(argv[1], "parse") == 0)
		return (cmd_parse(argc - 1, argv + 1));
	if (strcmp(argv[1], "analyze") == 0)
		return (cmd_analyze(argc - 1, argv + 1));
	if (strcmp(argv[1], "journal") == 0)
		return (journal_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "route") == 0 || strcmp(argv[1], "trace") == 0 ||
	    strcmp(argv[1], "sniff") == 0 || strcmp(argv[1], "debug") == 0)
		return (cmdtool_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "export") == 0)
		return (engine_export_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "replay") == 0)
		return (replay_main(argc - 1, argv + 1));
	if (strcmp(argv[1], "--demo") == 0) {
		engine_set_ui(&face, "DEMO");
		return (demo_main(argc, argv));
	}
	/* Options and DESTs: the live engine (the dashboard by default). */
	engine_set_ui(&face, NULL);
	return (engine_main(argc, argv));
}
