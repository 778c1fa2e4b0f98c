/*
 * fgtop - terminal dashboard for FortiGate IPsec VPNs.
 *
 * This file is the command line: it picks the mode and hands over.  The
 * offline modes (parse, analyze) read text, run it through the parsers
 * and print JSON; they need no terminal and no network.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "demo.h"
#include "engine.h"
#include "json.h"
#include "kind.h"
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
	    "       fgtop parse --as KIND [FILE|-]\n"
	    "       fgtop analyze [FILE|-]\n"
	    "%s"
	    "       fgtop --help | --version\n"
	    "\n"
	    "%s\n"
	    "  parse     parse one FortiOS command's output and print JSON\n"
	    "  analyze   split a pasted CLI transcript into commands and\n"
	    "            print each one parsed, as JSON\n"
	    "\n"
	    "KIND is one of:\n", engine_synopsis, engine_usage);
	for (i = 0; kinds[i] != NULL; i++)
		fprintf(f, "  %-18s %s\n", kinds[i]->name, kinds[i]->command);
	fprintf(f,
	    "\nWith no FILE, or FILE -, read standard input.\n"
	    "Exit status: 0 when something was recognised, 1 when nothing\n"
	    "was (or the input could not be read), 2 on usage errors.\n");
	exit(status);
}

/* Read all of FILE (or stdin for NULL or "-"); NULL with errno set. */
static char *
read_input(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;
	int	 saved;

	if (path == NULL || strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	for (;;) {
		if (cap - len < 65536) {
			if (cap >= FGTOP_MAXINPUT) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		errno = EIO;
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	*lenp = len;
	return (buf);

fail:
	saved = errno;
	if (f != stdin)
		fclose(f);
	free(buf);
	errno = saved;
	return (NULL);
}

/* Print the document; a full disk or closed pipe is an error, not silence. */
static int
write_json(struct json *j)
{
	char	*s = json_take(j);
	int	 rc = 0;

	if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "fgtop: writing output: %s\n",
		    strerror(errno));
		rc = -1;
	}
	free(s);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct kind	*k = NULL;
	const char		*path;
	struct json		 j;
	char			*buf;
	size_t			 len, count;
	void			*r;
	int			 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "a:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if ((k = kind_find(optarg)) == NULL) {
				fprintf(stderr, "fgtop: unknown kind: %s\n",
				    optarg);
				usage(2);
			}
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
	if ((buf = read_input(path, &len)) == NULL) {
		fprintf(stderr, "fgtop: %s: %s\n", input_name(path),
		    strerror(errno));
		return (1);
	}
	if ((r = k->parse(buf, len)) == NULL) {
		fprintf(stderr, "fgtop: out of memory parsing %s\n",
		    input_name(path));
		free(buf);
		return (1);
	}
	free(buf);
	count = k->count(r);
	json_init(&j, 1);
	k->report(&j, r);
	k->free(r);
	if (write_json(&j) != 0)
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
	const char	*path;
	struct json	 j;
	char		*buf;
	size_t		 len, n;

	if (argc > 2)
		usage(2);
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	path = argc == 2 ? argv[1] : NULL;
	if ((buf = read_input(path, &len)) == NULL) {
		fprintf(stderr, "fgtop: %s: %s\n", input_name(path),
		    strerror(errno));
		return (1);
	}
	json_init(&j, 1);
	n = analyze_transcript(&j, buf, len);
	free(buf);
	if (write_json(&j) != 0)
		return (1);
	if (n == 0) {
		fprintf(stderr, "fgtop: no FortiOS command recognised in %s\n",
		    input_name(path));
		return (1);
	}
	return (0);
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

static const struct engine_ui face = {
	face_start, face_events, face_close, face_free, face_tool_line,
	face_tool_end, face_debug_badge, face_set_findings
};

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage(2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(0);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("fgtop %s\n", PACKAGE_VERSION);
		return (0);
	}
	if (strcmp(argv[1], "parse") == 0)
		return (cmd_parse(argc - 1, argv + 1));
	if (strcmp(argv[1], "analyze") == 0)
		return (cmd_analyze(argc - 1, argv + 1));
	if (strcmp(argv[1], "--demo") == 0) {
		engine_set_ui(&face, "DEMO");
		return (demo_main(argc, argv));
	}
	/* Options and DESTs: the live engine (the dashboard by default). */
	engine_set_ui(&face, NULL);
	return (engine_main(argc, argv));
}
