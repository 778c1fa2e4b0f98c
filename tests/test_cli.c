/* SPDX-License-Identifier: ISC */
/*
 * test_cli - the CLI stream layer: prompts at the end of a buffer, the
 * --More-- pager and each way of erasing it, echo removal, sanitising
 * hostile bytes (exact outputs), the promises made to the live shell
 * (bytes arriving in pieces, cost bounded by the tail), command
 * classification with FortiOS abbreviations, and transcript splitting
 * on every real capture.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cli.h"

#define S(lit)	(lit), (sizeof(lit) - 1)

/* Prompts. */

static void
want_prompt(const char *buf, size_t len, long off, const char *host,
    const char *vdom, char mark)
{
	struct cli_prompt	p;
	long			got;

	got = cli_prompt_at_end(buf, len, &p);
	if (got != off)
		fail_msg("prompt in \"%.*s\": offset %ld, want %ld", (int)len,
		    buf != NULL ? buf : "", got, off);
	if (off < 0)
		return;
	if (p.hostlen != strlen(host) || memcmp(p.host, host, p.hostlen) != 0)
		fail_msg("prompt \"%.*s\": host %.*s, want %s", (int)len, buf,
		    (int)p.hostlen, p.host, host);
	if (vdom == NULL ? p.vdom != NULL : p.vdom == NULL ||
	    p.vdomlen != strlen(vdom) || memcmp(p.vdom, vdom, p.vdomlen) != 0)
		fail_msg("prompt \"%.*s\": vdom %.*s, want %s", (int)len, buf,
		    (int)p.vdomlen, p.vdom ? p.vdom : "", vdom ? vdom : "null");
	if (p.mark != mark)
		fail_msg("prompt \"%.*s\": mark %c, want %c", (int)len, buf,
		    p.mark, mark);
	if (p.len != len - (size_t)off)
		fail_msg("prompt \"%.*s\": len %zu", (int)len, buf, p.len);
}

static void
test_prompt_at_end(void **state)
{
	want_prompt(S("output\r\nFGT # "), 8, "FGT", NULL, '#');
	want_prompt(S("FGT # "), 0, "FGT", NULL, '#');
	want_prompt(S("x\nFGT-BRANCH (root) # "), 2, "FGT-BRANCH", "root",
	    '#');
	want_prompt(S("x\r\nFGT02 (R3) # "), 3, "FGT02", "R3", '#');
	want_prompt(S("x\nFG100F-1 (global) # "), 2, "FG100F-1", "global",
	    '#');
	want_prompt(S("x\nro-admin.lab_1 $ "), 2, "ro-admin.lab_1", NULL,
	    '$');
	want_prompt(S("x\nFGT-BJ# "), 2, "FGT-BJ", NULL, '#');
	want_prompt(S("x\nfw.example.com (vd-2_a.b) # "), 2,
	    "fw.example.com", "vd-2_a.b", '#');
	/* A config context with blanks, as `edit "to HQ"` shows it. */
	want_prompt(S("x\nFGT (to HQ) # "), 2, "FGT", "to HQ", '#');
	/* The last prompt counts, not an earlier one. */
	want_prompt(S("A # get x\nout\nB # "), 14, "B", NULL, '#');

	/* Not prompts. */
	want_prompt(S("abc FGT # "), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT # get sys"), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT #"), -1, NULL, NULL, 0);
	want_prompt(S("x\n# "), -1, NULL, NULL, 0);
	want_prompt(S("x\n(root) # "), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT (root # "), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT () # "), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT  # "), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT # \n"), -1, NULL, NULL, 0);
	want_prompt(S("x\nFGT #  "), -1, NULL, NULL, 0);
	want_prompt(S("x\nF\x1bGT # "), -1, NULL, NULL, 0);
	want_prompt(S("x\n"
	    "a123456789012345678901234567890123456789012345678901234567890123"
	    "4 # "), -1, NULL, NULL, 0);
	want_prompt("", 0, -1, NULL, NULL, 0);
	want_prompt(NULL, 0, -1, NULL, NULL, 0);
	want_prompt(S(" "), -1, NULL, NULL, 0);

	/* Names up to CLI_NAME_MAX long, no longer. */
	want_prompt(S("x\n"
	    "h123456789012345678901234567890123456789012345678901234567890123"
	    " (v123456789012345678901234567890123456789012345678901234567890123"
	    ") # "), 2,
	    "h123456789012345678901234567890123456789012345678901234567890123",
	    "v123456789012345678901234567890123456789012345678901234567890123",
	    '#');
	want_prompt(S("x\nFGT (v1234567890123456789012345678901234567890123456"
	    "789012345678901234) # "), -1, NULL, NULL, 0);
}

/*
 * A live channel delivers the prompt in pieces: every piece before the
 * last gives -1, and a long buffer costs no more than a short one.
 */
static void
test_prompt_pieces(void **state)
{
	static const char	 full[] = "out\r\nFGT-A (R3) # ";
	char			*big;
	size_t			 i, n = 1 << 22;

	for (i = 0; i < sizeof(full) - 1; i++) {
		if (cli_prompt_at_end(full, i, NULL) != -1 ||
		    cli_more_at_end(full, i) != -1)
			fail_msg("piece of %zu bytes taken for a prompt", i);
	}
	assert_int_equal(cli_prompt_at_end(S(full), NULL), 5);

	/* Four megabytes of one line: each call stays at the tail. */
	big = malloc(n + 16);
	assert_non_null(big);
	memset(big, ' ', n);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(cli_prompt_at_end(big, n, NULL), -1);
		assert_int_equal(cli_more_at_end(big, n), -1);
	}
	memcpy(big + n - 9, "--More-- ", 9);
	assert_int_equal(cli_more_at_end(big, n), -1);
	big[n - 10] = '\n';
	assert_int_equal(cli_more_at_end(big, n), (long)n - 9);
	memcpy(big + n, "\nFGT # ", 7);
	assert_int_equal(cli_prompt_at_end(big, n + 7, NULL), (long)n + 1);
	free(big);
}

static void
test_prompt_line(void **state)
{
	struct cli_prompt	p;

	assert_int_equal(cli_prompt_line(S("FortiGate-VM #"), 0, &p), 1);
	assert_int_equal(p.len, 14);
	assert_int_equal(cli_prompt_line(S("FG1 # ike shrank heap"), 0, &p),
	    1);
	assert_int_equal(p.len, 6);
	assert_int_equal(cli_prompt_line(S("# diagnose vpn tunnel list"), 0,
	    &p), 0);
	assert_int_equal(cli_prompt_line(S("# diagnose vpn tunnel list"), 1,
	    &p), 1);
	assert_null(p.host);
	assert_int_equal(p.len, 2);
	assert_int_equal(cli_prompt_line(S("$ get system status"), 1, &p), 1);
	assert_int_equal(p.mark, '$');
	assert_int_equal(cli_prompt_line(S("#config-version=FGT60F"), 1, &p),
	    0);
	assert_int_equal(cli_prompt_line(S("Virus-DB: 1.00000(2018-04-09)"),
	    1, &p), 0);
	assert_int_equal(cli_prompt_line(S("   FGT # get"), 1, &p), 0);
}

/* The pager. */

static void
test_more_at_end(void **state)
{
	assert_int_equal(cli_more_at_end(S("a\n--More-- ")), 2);
	assert_int_equal(cli_more_at_end(S("a\r\n --More-- ")), 3);
	assert_int_equal(cli_more_at_end(S("a\n--More--")), 2);
	assert_int_equal(cli_more_at_end(S("--More-- ")), 0);
	assert_int_equal(cli_more_at_end(S("a --More-- ")), -1);
	assert_int_equal(cli_more_at_end(S("a\n--More-- x")), -1);
	assert_int_equal(cli_more_at_end(S("a\n-More-- ")), -1);
	assert_int_equal(cli_more_at_end(S("More-- ")), -1);
	assert_int_equal(cli_more_at_end("", 0), -1);
	assert_int_equal(cli_more_at_end(NULL, 0), -1);
	/* Up to 16 blanks on each side. */
	assert_int_equal(cli_more_at_end(S("a\n                --More--"
	    "                ")), 2);
	assert_int_equal(cli_more_at_end(S("a\n                 --More--")),
	    -1);
	assert_int_equal(cli_more_at_end(S("a\n--More--                 ")),
	    -1);
}

static void
want_strip(const char *what, const char *in, size_t len, const char *want,
    size_t wantcount)
{
	char	*out;
	size_t	 n, count;

	out = malloc(len + 1);
	assert_non_null(out);
	n = cli_strip_more(in, len, out, &count);
	if (n != strlen(want) || memcmp(out, want, n) != 0)
		fail_msg("strip %s: got \"%.*s\", want \"%s\"", what, (int)n,
		    out, want);
	if (count != wantcount)
		fail_msg("strip %s: %zu pagers, want %zu", what, count,
		    wantcount);
	/* The same in place. */
	memcpy(out, in, len);
	n = cli_strip_more(out, len, out, NULL);
	if (n != strlen(want) || memcmp(out, want, n) != 0)
		fail_msg("strip %s in place: got \"%.*s\"", what, (int)n, out);
	free(out);
}

static void
test_strip_more(void **state)
{
	want_strip("cr-blanks-cr",
	    S("line1\r\n--More-- \r          \rline2\r\n"),
	    "line1\r\nline2\r\n", 1);
	/* The next line's own leading blanks survive. */
	want_strip("leading blank",
	    S("l1\r\n --More-- \r           \r 'to10.1.1.1' x\r\n"),
	    "l1\r\n 'to10.1.1.1' x\r\n", 1);
	want_strip("backspaces",
	    S("a\n--More-- \b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\bb\n"),
	    "a\nb\n", 1);
	want_strip("cr-el", S("a\n--More--\r\x1b[Kb\n"), "a\nb\n", 1);
	want_strip("cr-el2", S("a\n--More-- \r\x1b[2K\rb"), "a\nb", 1);
	want_strip("el alone", S("a\n--More-- \x1b[0K  b"), "a\n  b", 1);
	want_strip("pasted lf", S("a\n--More--\nb\n"), "a\nb\n", 1);
	want_strip("pasted crlf", S("a\r\n--More--\r\nb"), "a\r\nb", 1);
	want_strip("at end", S("a\n--More-- "), "a\n", 1);
	want_strip("two pages",
	    S("1\n--More-- \r         \r2\n--More-- \r         \r3\n"),
	    "1\n2\n3\n", 2);
	want_strip("none", S("no pager -- More here\n"),
	    "no pager -- More here\n", 0);
	want_strip("cut short", S("a\n--More"), "a\n--More", 0);
	/* Only the pager's own line: in device text it stays. */
	want_strip("mid-line", S("name=a--More--b x\n'--More--' --More--\n"),
	    "name=a--More--b x\n'--More--' --More--\n", 0);
	want_strip("first on line", S("--More--\nx --More--\n"),
	    "x --More--\n", 1);
	want_strip("empty", "", 0, "", 0);
}

/* Echo. */

static void
test_echo(void **state)
{
	static const char	a[] = "get sys stat\r\nVersion: x\r\n";
	static const char	b[] = "FGT # get system status\r\nVersion\r\n";
	static const char	c[] = "\r\n diagnose vpn  ike gateway  list \n"
	    "vd: root/0\n";
	static const char	d[] = "Version: x\nget sys stat\n";

	assert_int_equal(cli_echo_end(S(a), "get sys stat"), 14);
	assert_int_equal(cli_echo_end(S(b), "get system status"), 25);
	assert_int_equal(cli_echo_end(S(c), "diagnose vpn ike gateway list"),
	    strchr(c + 2, '\n') + 1 - c);
	assert_int_equal(cli_echo_end(S(d), "get sys stat"), 0);
	assert_int_equal(cli_echo_end(S("get sys"), "get sys stat"), 0);
	assert_int_equal(cli_echo_end(S("get sys stat"), "get sys stat"), 12);
	assert_int_equal(cli_echo_end("", 0, "x"), 0);
	assert_int_equal(cli_echo_end(S("x"), NULL), 0);
}

/* Sanitising. */

/*
 * The case as given, then behind 1 to 17 plain bytes and before a line
 * end and as many (the line end closes what a case leaves open), so its
 * bytes fall at every place of the eight-byte words cli_sanitize reads;
 * into another buffer and in place.
 */
static void
want_clean(const char *what, const char *in, size_t len, const char *want)
{
	char	*buf, *out, *exp;
	size_t	 n, pad, wl = strlen(want), blen, elen;
	int	 inplace;

	for (pad = 0; pad <= 17; pad++) {
		blen = len + 2 * pad + (pad > 0);
		elen = wl + 2 * pad + (pad > 0);
		buf = malloc(blen + 1);
		out = malloc(blen + 1);
		exp = malloc(elen + 1);
		assert_non_null(buf);
		assert_non_null(out);
		assert_non_null(exp);
		memset(exp, 'p', pad);
		memcpy(exp + pad, want, wl);
		if (pad > 0)
			exp[pad + wl] = '\n';
		memset(exp + pad + wl + 1, 's', pad);
		for (inplace = 0; inplace <= 1; inplace++) {
			memset(buf, 'p', pad);
			memcpy(buf + pad, in, len);
			if (pad > 0)
				buf[pad + len] = '\n';
			memset(buf + pad + len + 1, 's', pad);
			n = cli_sanitize(buf, blen, inplace ? buf : out);
			if (inplace)
				memcpy(out, buf, n);
			if (n != elen || memcmp(out, exp, n) != 0)
				fail_msg("sanitize %s (%zu plain bytes around%s): "
				    "got \"%.*s\" (%zu), want \"%.*s\"", what,
				    pad, inplace ? ", in place" : "", (int)n, out,
				    n, (int)elen, exp);
		}
		free(buf);
		free(out);
		free(exp);
	}
}

/* What may reach a terminal: printable, TAB, LF, UTF-8 without C1. */
static void
check_safe(const char *what, const unsigned char *s, size_t n)
{
	size_t		i, k = 0;
	unsigned long	cp = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\t' || s[i] == '\n' ||
		    (s[i] >= 0x20 && s[i] < 0x7f))
			continue;
		if (s[i] < 0x80)
			fail_msg("%s: control byte 0x%02x at %zu", what, s[i],
			    i);
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			k = 1, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			k = 2, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			k = 3, cp = s[i] & 0x07;
		else
			fail_msg("%s: bad lead byte 0x%02x at %zu", what,
			    s[i], i);
		if (i + k >= n)
			fail_msg("%s: cut UTF-8 at %zu", what, i);
		for (; k > 0; k--) {
			i++;
			if ((s[i] & 0xc0) != 0x80)
				fail_msg("%s: bad UTF-8 at %zu", what, i);
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < 0xa0 || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp > 0x10ffff || (cp >= 0x202a && cp <= 0x202e))
			fail_msg("%s: code point U+%04lx at %zu", what, cp, i);
	}
}

static void
test_sanitize(void **state)
{
	char	*big, *out;
	size_t	 i, n;

	want_clean("sgr", S("a\x1b[31mred\x1b[0m\n"), "ared\n");
	want_clean("osc52 bel", S("x\x1b]52;c;ZXZpbA==\ay"), "xy");
	want_clean("osc52 st", S("x\x1b]52;c;ZXZpbA==\x1b\\y"), "xy");
	want_clean("osc to eol", S("x\x1b]0;title\nnext"), "x\nnext");
	want_clean("osc cut", S("abc\x1b]52;c;AAAA"), "abc");
	want_clean("huge params",
	    S("a\x1b[99999999999999999999999999;999999999999999999Hb"), "ab");
	want_clean("esc at end", S("abc\x1b"), "abc");
	want_clean("csi at end", S("abc\x1b["), "abc");
	want_clean("csi params at end", S("abc\x1b[12;"), "abc");
	want_clean("csi cut by lf", S("a\x1b[12\nb"), "a\nb");
	want_clean("8-bit csi", S("a\x9b" "31mb"), "a?31mb");
	want_clean("utf8 c1 csi", S("a\xc2\x9b" "31mb"), "a?31mb");
	want_clean("utf8 nel", S("a\xc2\x85" "b"), "a?b");
	want_clean("utf8 kept", S("T\xc5\x8dky\xc5\x8d \xe2\x9c\x93 "
	    "\xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x94\x92"),
	    "T\xc5\x8dky\xc5\x8d \xe2\x9c\x93 \xe6\x9d\xb1\xe4\xba\xac "
	    "\xf0\x9f\x94\x92");
	want_clean("overlong", S("\xc0\xaf"), "??");
	want_clean("surrogate", S("\xed\xa0\x80"), "???");
	want_clean("cut utf8", S("a\xe6\x9d"), "a??");
	want_clean("beyond 10ffff", S("\xf4\x90\x80\x80"), "????");
	want_clean("ff", S("\xff\xfe"), "??");
	want_clean("bidi override", S("a\xe2\x80\xae" "b"), "a?b");
	want_clean("c0", S("a\r\nb\bc\0d\ae\x7f" "f\tg\x01\x1f"),
	    "a\nbcdef\tg");
	want_clean("two-byte escapes", S("a\x1b(Bb\x1b" "cc\x1b" "7d"), "abcd");
	want_clean("dcs", S("a\x1bP1$r\x1b\\b"), "ab");
	want_clean("apc", S("a\x1b_payload\x1b\\b"), "ab");
	want_clean("lone esc", S("a\x1b\0b"), "ab");
	want_clean("esc esc", S("a\x1b\x1b[2Jb"), "ab");
	want_clean("plain", S("name=vpn1 ver=2\n"), "name=vpn1 ver=2\n");
	/* Line ends inside the words read eight at a time. */
	want_clean("crlf", S("ab\r\ncd\r\n\r\nefghijklmnop\r\nq\r"),
	    "ab\ncd\n\nefghijklmnop\nq");
	want_clean("cr inside", S("abc\rdef\r\r\nghi\r\n"), "abcdef\nghi\n");
	want_clean("lf tab", S("a\tb\nc\td\n\t\n"), "a\tb\nc\td\n\t\n");
	/*
	 * In place, a CR gone just before a CR LF: the word there cannot be
	 * stored whole (it would reach bytes not read yet).
	 */
	want_clean("cr then crlf", S("x\ry\r\nzzzzzzzzzzzzzzzz\r\n"),
	    "xy\nzzzzzzzzzzzzzzzz\n");
	want_clean("empty", "", 0, "");

	/* A CSI with a megabyte of parameters goes, and fast. */
	n = 1 << 20;
	big = malloc(n + 4);
	out = malloc(n + 4);
	assert_non_null(big);
	assert_non_null(out);
	big[0] = 'a';
	big[1] = '\x1b';
	big[2] = '[';
	for (i = 3; i < n; i++)
		big[i] = i % 2 ? '9' : ';';
	big[n] = 'm';
	big[n + 1] = 'b';
	assert_int_equal(cli_sanitize(big, n + 2, out), 2);
	assert_memory_equal(out, "ab", 2);

	/* Whatever comes in, only safe text comes out. */
	srand(12345);
	for (i = 0; i < 20000; i++) {
		size_t	k, len = rand() % 64;

		for (k = 0; k < len; k++)
			big[k] = (char)(rand() % 4 == 0 ? "\x1b\x9b\xc2\r"
			    [rand() % 4] : rand());
		n = cli_clean(big, len, out, NULL);
		tu_assert_cmp(n, <=, len);
		check_safe("random", (unsigned char *)out, n);
	}
	free(big);
	free(out);
}

/*
 * Out a few bytes behind in, in one buffer, as the shell cleans after
 * the echo: the same as into another buffer.
 */
static void
test_sanitize_behind(void **state)
{
	static const char	in[] =
	    "name: a\r\nversion: 1\r\n\r\n\r\nx\ry\r\nIKE SA: created 1/1"
	    "  established 1/1  time 10/10/10 ms\r\n\tid/spi: 1171\r\r\n"
	    "\x1b[1mbold\x1b[0m \xc3\xa9t\xc3\xa9\r\nend";
	static const char	out[] =
	    "name: a\nversion: 1\n\n\nxy\nIKE SA: created 1/1"
	    "  established 1/1  time 10/10/10 ms\n\tid/spi: 1171\n"
	    "bold \xc3\xa9t\xc3\xa9\nend";
	char			 want[sizeof(in)], buf[sizeof(in) + 16];
	size_t			 n, wn, d;

	wn = cli_sanitize(in, sizeof(in) - 1, want);
	assert_int_equal(wn, sizeof(out) - 1);
	assert_memory_equal(want, out, wn);
	for (d = 0; d <= 16; d++) {
		memcpy(buf + d, in, sizeof(in) - 1);
		n = cli_sanitize(buf + d, sizeof(in) - 1, buf);
		if (n != wn || memcmp(buf, want, n) != 0)
			fail_msg("%zu behind: got \"%.*s\", want \"%.*s\"", d,
			    (int)n, buf, (int)wn, want);
	}
}

/*
 * Cleaning a stream in pieces that end at a LF gives what cleaning it
 * whole does: the contract the live shell relies on.
 */
static void
test_clean_pieces(void **state)
{
	static const char *const tok[] = {
		"a", "b c", " ", "  ", "\t", "\n", "\r\n", "\r", "\b",
		"\x1b", "\x1b[", "2", ";", "K", "m", "\x1b]0;t", "\a",
		"\x1b\\", "\x1b(", "--More--", "--More-- ", "-", "\xc2",
		"\x9b", "\xe6\x9d", "\xb1", "\xf0\x9f\x94\x92", "\0",
	};
	char	in[1024], whole[1024], pieces[1024];
	size_t	i, k, len, nw, np, start, cw, cp, c;
	int	t;

	srand(4242);
	for (i = 0; i < 50000; i++) {
		len = 0;
		for (k = rand() % 40; k > 0; k--) {
			t = rand() % (int)(sizeof(tok) / sizeof(tok[0]));
			/* "\0" is one byte; the others are C strings. */
			c = tok[t][0] == '\0' ? 1 : strlen(tok[t]);
			memcpy(in + len, tok[t], c);
			len += c;
		}
		nw = cli_clean(in, len, whole, &cw);
		np = cp = start = 0;
		for (k = 0; k < len; k++) {
			if (in[k] != '\n' || rand() % 2 == 0)
				continue;
			np += cli_clean(in + start, k + 1 - start, pieces + np,
			    &c);
			cp += c;
			start = k + 1;
		}
		np += cli_clean(in + start, len - start, pieces + np, &c);
		cp += c;
		if (np != nw || memcmp(whole, pieces, nw) != 0 || cp != cw)
			fail_msg("case %zu: pieces give \"%.*s\" (%zu pagers), "
			    "whole \"%.*s\" (%zu)", i, (int)np, pieces, cp,
			    (int)nw, whole, cw);
	}
}

/* Classification. */

static void
test_classify(void **state)
{
	static const struct {
		const char	*cmd;
		const char	*kind;
	} t[] = {
		{ "get vpn ipsec tunnel summary", "tunnel-summary" },
		{ "get vpn ipsec tunnel summary ", "tunnel-summary" },
		{ "get vpn ipsec tun sum", "tunnel-summary" },
		{ "diagnose vpn ike gateway list", "ike-gateway-list" },
		{ "diagnose vpn  ike gateway  list", "ike-gateway-list" },
		{ "diagnose vpn ike gateway list name to10.189.0.182",
		    "ike-gateway-list" },
		{ "di vpn ike gate list", "ike-gateway-list" },
		{ "diagnose vpn ike gateway", "ike-gateway-list" },
		{ "diagnose vpn ike gatewa", "ike-gateway-list" },
		{ "get vpn ike gateway", "ike-gateway-list" },
		{ "get vpn ike gateway vpn-to-obsd", "ike-gateway-list" },
		{ "diagnose vpn tunnel list", "tunnel-list" },
		{ "diag vpn tun list", "tunnel-list" },
		{ "diagnose vpn tunnel list name \"to HQ (main)\"",
		    "tunnel-list" },
		{ "get vpn ipsec tunnel name vpn1", "tunnel-list" },
		{ "get vpn ipsec tunnel details", "tunnel-list" },
		{ "diagnose debug application ike -1", "ike-debug" },
		{ "diag debug app ike 255", "ike-debug" },
		{ "diagnose debug enable", "ike-debug" },
		{ "diagnose debug  enable", "ike-debug" },
		{ "di de en", "ike-debug" },
		{ "diagnose sniffer packet any 'host 1.2.3.4 and port 500' 4",
		    "sniffer" },
		{ "diag sniff pack any", "sniffer" },
		{ "dia sni pa any \"host 192.168.112.1\" 4", "sniffer" },
		{ "execute traceroute 172.18.12.1", "traceroute" },
		{ "exec traceroute 192.168.1.0", "traceroute" },
		{ "execute  traceroute 2.2.2.2", "traceroute" },
		{ "get router info routing-table all", "routing-table" },
		{ "get router info routing-table  all", "routing-table" },
		{ "get router info routing-table details 8.8.8.8",
		    "routing-table" },
		{ "get rou info rout all", "routing-table" },
		{ "get router info6 routing-table", "routing-table" },
		{ "get system status", "system-status" },
		{ "get sys stat", "system-status" },
		{ "ge sys status", "system-status" },
		{ "get system status | grep Version", "system-status" },
		{ "sudo root diagnose vpn tunnel list", "tunnel-list" },
		{ "sudo global get system status", "system-status" },
		{ "\"get\" vpn ipsec tunnel summary", "tunnel-summary" },
		/* Not an output kind. */
		{ "config vdom", NULL },
		{ "edit root", NULL },
		{ "end", NULL },
		{ "diagnose debug reset", NULL },
		{ "diagnose debug disable", NULL },
		{ "diagnose debug console timestamp enable", NULL },
		{ "diagnose vpn ike log-filter name \"IPSEC_TUN_01\"", NULL },
		{ "diagnose vpn ike log filter rem-addr4 1.2.3.4", NULL },
		{ "diagnose vpn ike gateway clear", NULL },
		{ "diagnose vpn ike gateway flush name x", NULL },
		{ "diagnose vpn tunnel flush", NULL },
		{ "diagnose vpn tunnel up p2 p1", NULL },
		{ "execute traceroute-options source 10.10.1.1", NULL },
		{ "get system arp", NULL },
		{ "g sys stat", NULL },
		{ "get s status", NULL },
		{ "get systemx status", NULL },
		{ "get", NULL },
		{ "sudo", NULL },
		{ "sudo root", NULL },
		{ "", NULL },
		{ "ike 0:to-FG2: ignoring request", NULL },
	};
	size_t		 i;
	const char	*k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		k = cli_classify(t[i].cmd, strlen(t[i].cmd));
		if (t[i].kind == NULL ? k != NULL : k == NULL ||
		    strcmp(k, t[i].kind) != 0)
			fail_msg("classify \"%s\": %s, want %s", t[i].cmd,
			    k ? k : "NULL", t[i].kind ? t[i].kind : "NULL");
	}
	assert_null(cli_classify(NULL, 0));
}

static void
test_words(void **state)
{
	const char	*v;
	size_t		 vn;

	assert_true(cli_is_command(S("config vdom")));
	assert_true(cli_is_command(S("e")));
	assert_true(cli_is_command(S("exe ping 1.1.1.1")));
	assert_false(cli_is_command(S("ike 0:to-FG2: x")));
	assert_false(cli_is_command(S("id=20085 trace_id=1")));
	assert_false(cli_is_command(S("Version: x")));
	assert_false(cli_is_command(S("")));
	assert_true(cli_match(S("conf vdom"), "config vdom"));
	assert_true(cli_match(S("diag debug reset"), "diagnose debug reset"));
	assert_false(cli_match(S("diag debug"), "diagnose debug reset"));
	assert_false(cli_match(S("config system"), "config vdom"));
	assert_true(cli_arg(S("edit \"my vdom\" x"), 1, &v, &vn));
	assert_int_equal(vn, 7);
	assert_memory_equal(v, "my vdom", 7);
	assert_false(cli_arg(S("edit"), 1, &v, &vn));
	assert_true(cli_sudo_vdom(S("sudo R3 get system status"), &v, &vn));
	assert_int_equal(vn, 2);
	assert_memory_equal(v, "R3", 2);
	assert_false(cli_sudo_vdom(S("get system status"), &v, &vn));
}

static void
test_sniff(void **state)
{
	assert_string_equal(cli_sniff(S("ike 0: comes 1.1.1.1:500\n")),
	    "ike-debug");
	assert_string_equal(cli_sniff(S("2025-01-15 08:27:17.1 ike V=root:0:"
	    " x\n")), "ike-debug");
	assert_string_equal(cli_sniff(S("\nVersion: FortiGate-60F v7.4.8\n")),
	    "system-status");
	assert_string_equal(cli_sniff(S("vd: root/0\nname: x\n"
	    "IKE SA: created 1/1\n")), "ike-gateway-list");
	assert_string_equal(cli_sniff(S("traceroute to 8.8.8.8 (8.8.8.8)\n")),
	    "traceroute");
	assert_null(cli_sniff(S("name: x\nIKE SA: created 1/1\n")));
	assert_null(cli_sniff(S("hello\n")));
	assert_null(cli_sniff(NULL, 0));
}

/* Transcripts. */

static void
check_str(const char *what, const char *field, const char *got,
    const char *want)
{
	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: %s \"%s\", want \"%s\"", what, field,
		    got ? got : "NULL", want ? want : "NULL");
}

struct wrec {
	const char	*prompt, *hostname, *vdom, *command, *kind;
};

struct wfix {
	const char	*file;
	size_t		 nrecs;
	struct wrec	 recs[6];
	const char	*prompts[4];	/* distinct, in order */
	int		 pager;
};

/*
 * No record's output keeps a prompt line, a pager remnant or a control
 * character, whatever the input was.
 */
static void
check_invariants(const char *what, const struct cli_transcript *t)
{
	const struct cli_record	*r;
	struct cli_prompt	 p;
	struct plines		 pl;
	const char		*s;
	size_t			 i, n;

	for (i = 0; i < t->nrecs; i++) {
		r = &t->recs[i];
		if (r->command == NULL && r->kind == NULL)
			fail_msg("%s: record %zu: neither command nor kind",
			    what, i);
		if (r->output == NULL || strlen(r->output) != r->outlen)
			fail_msg("%s: record %zu: bad output", what, i);
		if (strstr(r->output, "--More--") != NULL)
			fail_msg("%s: record %zu: pager left", what, i);
		check_safe(what, (const unsigned char *)r->output, r->outlen);
		pl_init(&pl, r->output, r->outlen);
		while (pl_next(&pl, &s, &n)) {
			if (cli_prompt_line(s, n, 0, &p) && p.len >= n - 1)
				fail_msg("%s: record %zu: prompt \"%.*s\" in "
				    "output", what, i, (int)n, s);
		}
		if (r->kind != NULL && strcmp(r->kind, "ike-debug") != 0 &&
		    kind_find(r->kind) == NULL)
			fail_msg("%s: record %zu: unknown kind %s", what, i,
			    r->kind);
	}
}

static void
check_fixture(const struct wfix *w)
{
	struct cli_transcript	*t;
	char			*buf, rel[512], what[600];
	size_t			 len, i, np;

	snprintf(rel, sizeof(rel), "real/%s", w->file);
	buf = tu_fixture(rel, &len);
	t = cli_transcript_parse(buf, len);
	assert_non_null(t);
	check_invariants(w->file, t);
	if (t->nrecs != w->nrecs)
		fail_msg("%s: %zu records, want %zu", w->file, t->nrecs,
		    w->nrecs);
	for (i = 0; i < w->nrecs; i++) {
		snprintf(what, sizeof(what), "%s record %zu", w->file, i);
		check_str(what, "prompt", t->recs[i].prompt, w->recs[i].prompt);
		check_str(what, "hostname", t->recs[i].hostname,
		    w->recs[i].hostname);
		check_str(what, "vdom", t->recs[i].vdom, w->recs[i].vdom);
		check_str(what, "command", t->recs[i].command,
		    w->recs[i].command);
		check_str(what, "kind", t->recs[i].kind, w->recs[i].kind);
		if (t->recs[i].kind != NULL && t->recs[i].outlen == 0 &&
		    strcmp(t->recs[i].kind, "ike-debug") != 0)
			fail_msg("%s: empty output", what);
	}
	for (np = 0; np < 4 && w->prompts[np] != NULL; np++)
		;
	if (t->nprompts != np)
		fail_msg("%s: %zu prompts, want %zu", w->file, t->nprompts, np);
	for (i = 0; i < np; i++)
		check_str(w->file, "prompts[]", t->prompts[i], w->prompts[i]);
	if ((t->pager > 0) != w->pager)
		fail_msg("%s: pager_seen %d, want %d", w->file, t->pager > 0,
		    w->pager);
	cli_transcript_free(t);
	free(buf);
}

#define GWL	"ike-gateway-list"
#define IKED	"ike-debug"

static const struct wfix fixtures[] = {
	/* The prompts-paging manifest entries. */
	{ "prompts-paging/01-system-status-6.0.2-elided-more-pager.txt", 1,
	    { { NULL, NULL, NULL, NULL, "system-status" } }, { NULL }, 1 },
	{ "prompts-paging/04-log-filter-legacy-syntax-hostname-prompt.txt", 3,
	    { { "firewall-01 # ", "firewall-01", NULL,
	    "diagnose vpn ike log-filter name \"IPSEC_TUN_01\"", NULL },
	    { "firewall-01 # ", "firewall-01", NULL,
	    "diagnose debug application ike -1", IKED },
	    { "firewall-01 # ", "firewall-01", NULL,
	    "diagnose debug enable", IKED } },
	    { "firewall-01 # " }, 0 },
	/* config vdom / edit / next: the context shows in the prompt. */
	{ "prompts-paging/05-vdom-config-edit-next-bgp-routes.txt", 6,
	    { { "FGT02 # ", "FGT02", NULL, "config vdom", NULL },
	    { "FGT02 (vdom) # ", "FGT02", "vdom", "edit R1", NULL },
	    { "FGT02 (R1) # ", "FGT02", "R1",
	    "get router info routing-table bgp", "routing-table" },
	    { "FGT02 (R1) # ", "FGT02", "R1", "next", NULL },
	    { "FGT02 (vdom) # ", "FGT02", "vdom", "edit R2", NULL },
	    { "FGT02 (R2) # ", "FGT02", "R2",
	    "get router info routing-table bgp", "routing-table" } },
	    { "FGT02 # ", "FGT02 (vdom) # ", "FGT02 (R1) # ",
	    "FGT02 (R2) # " }, 0 },
	{ "prompts-paging/06-sudo-other-vdom-routes.txt", 2,
	    { { "FGT02 (R1) # ", "FGT02", "R1",
	    "get router info routing-table bgp", "routing-table" },
	    { "FGT02 (R1) # ", "FGT02", "R1",
	    "sudo R2 get router info routing-table bgp", "routing-table" } },
	    { "FGT02 (R1) # " }, 0 },
	/* Debug printed behind the prompt, pasted without its command. */
	{ "ike-debug-labelled/03-ikev2-initiator-ts-unacceptable.txt", 1,
	    { { "FG1 # ", "FG1", NULL, NULL, IKED } }, { "FG1 # " }, 0 },
	{ "ike-debug-labelled/07-initiator-no-firewall-policy.txt", 1,
	    { { NULL, NULL, NULL, NULL, IKED } }, { NULL }, 0 },
	{ "ike-debug-labelled/10-ikev2-responder-p1-no-proposal-chosen.txt", 1,
	    { { "FortiGate5 (root) # ", "FortiGate5", "root", NULL, IKED } },
	    { "FortiGate5 (root) # " }, 0 },
	{ "ike-debug-labelled/11-ikev2-initiator-network-unreachable.txt", 1,
	    { { "FG1 # ", "FG1", NULL, NULL, IKED } }, { "FG1 # " }, 0 },
	{ "ike-debug-labelled/12-ikev2-initiator-child-rekey-no-answer.txt", 1,
	    { { NULL, NULL, NULL, NULL, IKED } }, { NULL }, 0 },
	/* A prompt in the middle of the stream does not split it. */
	{ "ike-debug-labelled/15-ikev2-responder-success-added-ipsec-sa.txt", 1,
	    { { NULL, NULL, NULL, NULL, IKED } }, { "FG1 # " }, 0 },
	{ "ike-debug/01-ikev1-p1-no-proposal-chosen.txt", 2,
	    { { "FGT-BJ# ", "FGT-BJ", NULL,
	    "diagnose debug application ike -1", IKED },
	    { "FGT-BJ# ", "FGT-BJ", NULL, "diagnose debug  enable", IKED } },
	    { "FGT-BJ# " }, 0 },
	{ "ike-debug/02-ikev1-aggressive-peer-id-mismatch.txt", 2,
	    { { "FGT-BJ# ", "FGT-BJ", NULL,
	    "diagnose debug application ike -1", IKED },
	    { "FGT-BJ# ", "FGT-BJ", NULL, "diagnose debug  enable", IKED } },
	    { "FGT-BJ# " }, 0 },
	/* "# command": the root prompt pasted without a hostname. */
	{ "ike-gateway-list/00-walkthrough-jp-blog-ikev1-responder-connecting.txt",
	    1, { { "# ", NULL, NULL,
	    "diagnose vpn ike gateway list name to10.189.0.182", GWL } },
	    { NULL }, 0 },
	{ "ike-gateway-list/02-spoke-initiator-ikev1.txt", 1,
	    { { "# ", NULL, NULL, "diagnose vpn  ike gateway  list", GWL } },
	    { NULL }, 0 },
	{ "ike-gateway-list/04-advpn-hub-2-children-auto-discovery-sender.txt",
	    1, { { "# ", NULL, NULL, "diagnose vpn  ike gateway list", GWL } },
	    { NULL }, 0 },
	{ "ike-gateway-list/05-ikev2-static-hub-peer-id-transport.txt", 1,
	    { { "DC1-HUB # ", "DC1-HUB", NULL, "diagnose vpn ike gateway",
	    GWL } }, { "DC1-HUB # " }, 0 },
	{ "ike-gateway-list/10-ikev2-connecting-7.2.0-placeholder-addrs.txt", 1,
	    { { "EUDC2-Transit-FW01 # ", "EUDC2-Transit-FW01", NULL,
	    "diagnose vpn ike gatewa", GWL } }, { "EUDC2-Transit-FW01 # " },
	    0 },
	{ "routing-table/01-hub-bgp-over-dialup.txt", 1,
	    { { "FGT-wangxiang-used # ", "FGT-wangxiang-used", NULL,
	    "get router info routing-table  all", "routing-table" } },
	    { "FGT-wangxiang-used # " }, 0 },
	/* The command alone on its line. */
	{ "routing-table/04-sdwan-hub-ecmp-bgp-loopback.txt", 1,
	    { { NULL, NULL, NULL, "get router info routing-table all",
	    "routing-table" } }, { NULL }, 0 },
	{ "routing-table/07-ntc-ospf-e2-tunnels-ecmp.txt", 1,
	    { { NULL, NULL, NULL, NULL, "routing-table" } }, { NULL }, 0 },
	{ "sniffer/01-udp500-no-reply.txt", 1,
	    { { "FGT-BJ# ", "FGT-BJ", NULL,
	    "diagnose sniffer packet any 'host 200.1.1.2 and udp port 500' 4",
	    "sniffer" } }, { "FGT-BJ# " }, 0 },
	/* Indented as a whole, as a blog's code block. */
	{ "sniffer/02-vti-icmp-esp-spi-seq.txt", 1,
	    { { "FortiGate # ", "FortiGate", NULL,
	    "dia sni pa any \"host 192.168.112.1 or host 101.100.1.1\" 4",
	    "sniffer" } }, { "FortiGate # " }, 0 },
	{ "system-status/01-ntc-7.4.8-60F.txt", 1,
	    { { NULL, NULL, NULL, NULL, "system-status" } }, { NULL }, 0 },
	/* The closing prompt lost its blank: still one prompt. */
	{ "system-status/05-fortios-5.0-vm-metasploit.txt", 1,
	    { { "FortiGate-VM # ", "FortiGate-VM", NULL, "get system status",
	    "system-status" } }, { "FortiGate-VM # " }, 0 },
	{ "traceroute/02-ntc-timeouts-then-reached.txt", 1,
	    { { NULL, NULL, NULL, NULL, "traceroute" } }, { NULL }, 0 },
	{ "traceroute/03-vdom-prompt-r3.txt", 1,
	    { { "FGT02 (R3) # ", "FGT02", "R3",
	    "execute traceroute 172.18.12.1", "traceroute" } },
	    { "FGT02 (R3) # " }, 0 },
	{ "traceroute/06-bgp-lab-one-probe-source.txt", 2,
	    { { "BGP-LAB (R1) # ", "BGP-LAB", "R1",
	    "execute traceroute-options source 10.10.1.1", NULL },
	    { "BGP-LAB (R1) # ", "BGP-LAB", "R1",
	    "execute traceroute 10.10.4.1", "traceroute" } },
	    { "BGP-LAB (R1) # " }, 0 },
	{ "tunnel-list/00-walkthrough-jp-blog-by-name-sa0.txt", 1,
	    { { "# ", NULL, NULL, "diagnose vpn tunnel list name 10.189.0.182",
	    "tunnel-list" } }, { NULL }, 0 },
	{ "tunnel-list/02-spoke-static-auto-negotiate.txt", 1,
	    { { "# ", NULL, NULL, "diagnose vpn  tunnel list",
	    "tunnel-list" } }, { NULL }, 0 },
	{ "tunnel-list/04-advpn-hub-children-ads.txt", 1,
	    { { "# ", NULL, NULL, "diagnose vpn  tunnel list",
	    "tunnel-list" } }, { NULL }, 0 },
	{ "tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt", 1,
	    { { "# ", NULL, NULL, "get vpn ipsec tunnel summary",
	    "tunnel-summary" } }, { NULL }, 0 },
	{ "tunnel-summary/01-advpn-hub-4-dialup-children.txt", 1,
	    { { NULL, NULL, NULL, "get vpn ipsec tunnel summary",
	    "tunnel-summary" } }, { NULL }, 0 },
	{ "tunnel-summary/05-hostname-prompt-down-tunnel-single-space.txt", 1,
	    { { "firewall-01 # ", "firewall-01", NULL,
	    "get vpn ipsec tunnel summary", "tunnel-summary" } },
	    { "firewall-01 # " }, 0 },
};

static void
test_split_fixtures(void **state)
{
	size_t	i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_fixture(&fixtures[i]);
}

/*
 * Every capture in tests/fixtures/real, including ones added after
 * this test was written: each splits into at least one record, and the
 * invariants hold.
 */
static void
test_split_every_fixture(void **state)
{
	struct cli_transcript	*t;
	struct dirent		*de, *fe;
	DIR			*d, *fd;
	char			 path[4096], rel[1024];
	char			*buf;
	size_t			 len, nfiles = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/real", TOP_SRCDIR);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/tests/fixtures/real/%s",
		    TOP_SRCDIR, de->d_name);
		if ((fd = opendir(path)) == NULL)
			continue;
		while ((fe = readdir(fd)) != NULL) {
			len = strlen(fe->d_name);
			if (len < 4 ||
			    strcmp(fe->d_name + len - 4, ".txt") != 0)
				continue;
			snprintf(rel, sizeof(rel), "real/%s/%s", de->d_name,
			    fe->d_name);
			buf = tu_fixture(rel, &len);
			t = cli_transcript_parse(buf, len);
			assert_non_null(t);
			check_invariants(rel, t);
			if (t->nrecs == 0)
				fail_msg("%s: no record", rel);
			cli_transcript_free(t);
			free(buf);
			nfiles++;
		}
		closedir(fd);
	}
	closedir(d);
	tu_assert_cmp(nfiles, >=, sizeof(fixtures) / sizeof(fixtures[0]));
}

/* A raw shell log: CRLF, pager erases, colours, a VDOM, debug. */
static void
test_split_raw_session(void **state)
{
	static const char in[] =
	    "\x1b]0;FGT-A\aFGT-A # config vdom\r\n"
	    "\r\n"
	    "FGT-A (vdom) # edit R3\r\n"
	    "current vf=R3:1\r\n"
	    "\r\n"
	    "FGT-A (R3) # get vpn ipsec tun sum\r\n"
	    "'a' 192.0.2.1:0  selectors(total,up): 1/1  rx(pkt,err): 1/0  "
	    "tx(pkt,err): 2/0\r\n"
	    "--More-- \r          \r"
	    "'b c' 192.0.2.2:0  selectors(total,up): 2/0  rx(pkt,err): 0/0  "
	    "tx(pkt,err): 0/0\r\n"
	    "\r\n"
	    "FGT-A (R3) # \r\n"
	    "FGT-A (R3) # di de app ike -1\r\n"
	    "FGT-A (R3) # di de en\r\n"
	    "FGT-A (R3) # ike 0:vpn1:1: \x1b[31mnegotiation timeout\x1b[0m\r\n"
	    "ike 0:vpn1: connection expiring due to phase1 down\r\n"
	    "FGT-A (R3) # \r\n"
	    "ike 0:vpn1: deleting\r\n"
	    "FGT-A (R3) # diagnose debug reset\r\n"
	    "FGT-A (R3) # \r\n"
	    "stray text after the prompt\r\n"
	    "FGT-A (R3) # ";
	struct cli_transcript	*t;
	const struct cli_record	*r;

	t = cli_transcript_parse(in, sizeof(in) - 1);
	assert_non_null(t);
	check_invariants("raw session", t);
	assert_int_equal(t->nrecs, 6);
	assert_int_equal(t->pager, 1);
	assert_int_equal(t->nprompts, 3);
	check_str("raw", "prompts[0]", t->prompts[0], "FGT-A # ");
	check_str("raw", "prompts[1]", t->prompts[1], "FGT-A (vdom) # ");
	check_str("raw", "prompts[2]", t->prompts[2], "FGT-A (R3) # ");
	r = &t->recs[0];
	check_str("raw 0", "command", r->command, "config vdom");
	check_str("raw 0", "hostname", r->hostname, "FGT-A");
	assert_null(r->kind);
	r = &t->recs[1];
	check_str("raw 1", "command", r->command, "edit R3");
	assert_string_equal(r->output, "current vf=R3:1\n\n");
	r = &t->recs[2];
	check_str("raw 2", "command", r->command, "get vpn ipsec tun sum");
	check_str("raw 2", "kind", r->kind, "tunnel-summary");
	check_str("raw 2", "vdom", r->vdom, "R3");
	assert_string_equal(r->output,
	    "'a' 192.0.2.1:0  selectors(total,up): 1/1  rx(pkt,err): 1/0  "
	    "tx(pkt,err): 2/0\n"
	    "'b c' 192.0.2.2:0  selectors(total,up): 2/0  rx(pkt,err): 0/0  "
	    "tx(pkt,err): 0/0\n\n");
	r = &t->recs[3];
	check_str("raw 3", "command", r->command, "di de app ike -1");
	check_str("raw 3", "kind", r->kind, "ike-debug");
	assert_int_equal(r->outlen, 0);
	/* Debug behind the prompt, and after a bare prompt, stays with it. */
	r = &t->recs[4];
	check_str("raw 4", "command", r->command, "di de en");
	check_str("raw 4", "kind", r->kind, "ike-debug");
	assert_string_equal(r->output,
	    "ike 0:vpn1:1: negotiation timeout\n"
	    "ike 0:vpn1: connection expiring due to phase1 down\n"
	    "ike 0:vpn1: deleting\n");
	/* Unrecognised text after a bare prompt is dropped. */
	r = &t->recs[5];
	check_str("raw 5", "command", r->command, "diagnose debug reset");
	assert_int_equal(r->outlen, 0);
	cli_transcript_free(t);
}

static void
test_split_edges(void **state)
{
	struct cli_transcript	*t;
	char			*big;
	size_t			 i, n;

	t = cli_transcript_parse(NULL, 0);
	assert_non_null(t);
	assert_int_equal(t->nrecs, 0);
	cli_transcript_free(t);

	t = cli_transcript_parse(S("\n\n   \nFGT # \nFGT #\n#\n"));
	assert_non_null(t);
	assert_int_equal(t->nrecs, 0);
	assert_int_equal(t->nprompts, 1);
	cli_transcript_free(t);

	/* A bare prompt alone ends the output, as a named one does. */
	t = cli_transcript_parse(S("# get sys stat\nVersion: FortiGate-60F\n"
	    "# \nhello\n$\n"));
	assert_non_null(t);
	check_invariants("bare", t);
	assert_int_equal(t->nrecs, 1);
	assert_string_equal(t->recs[0].output, "Version: FortiGate-60F\n");
	cli_transcript_free(t);

	/* A prompt and a command with no newline at all. */
	t = cli_transcript_parse(S("FGT $ get sys stat"));
	assert_non_null(t);
	assert_int_equal(t->nrecs, 1);
	check_str("no newline", "prompt", t->recs[0].prompt, "FGT $ ");
	check_str("no newline", "kind", t->recs[0].kind, "system-status");
	assert_int_equal(t->recs[0].outlen, 0);
	cli_transcript_free(t);

	/* NULs, a lone CR line and a very long line. */
	n = 200000;
	big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "FGT # get sys stat\n\0\r\rVersion: FortiGate", 40);
	for (i = 40; i < n; i++)
		big[i] = "ab\0\x1b[m"[i % 6];
	t = cli_transcript_parse(big, n);
	assert_non_null(t);
	check_invariants("long", t);
	assert_int_equal(t->nrecs, 1);
	cli_transcript_free(t);

	/* Many distinct prompts: the list stays bounded. */
	for (i = 0, n = 0; i < 1000; i++)
		n += snprintf(big + n, 64, "h%zu # end\n", i);
	t = cli_transcript_parse(big, n);
	assert_non_null(t);
	assert_int_equal(t->nprompts, 64);
	assert_int_equal(t->nrecs, 1000);
	cli_transcript_free(t);
	free(big);
}

/*
 * cli_kinds (command words, markers) and src/kind.c's table (parser,
 * report) name the same kinds in the same order: adding a kind to one
 * and not the other fails here.
 */
static void
test_kind_tables_agree(void **state)
{
	size_t	i;

	for (i = 0; kinds[i] != NULL && cli_kinds[i].name != NULL; i++) {
		assert_string_equal(kinds[i]->name, cli_kinds[i].name);
		assert_non_null(cli_kinds[i].command);
		assert_non_null(cli_kinds[i].words[0]);
		assert_non_null(cli_kinds[i].markers[0].text);
		/* Its own command is recognised as it. */
		assert_string_equal(cli_classify(cli_kinds[i].command,
		    strlen(cli_kinds[i].command)), cli_kinds[i].name);
		assert_string_equal(kind_command(kinds[i]),
		    cli_kinds[i].command);
	}
	assert_null(kinds[i]);
	assert_null(cli_kinds[i].name);
}

/* What a streaming callback saw: copies, the record dies after the call. */
struct seen {
	char	cmd[8][64];
	char	vdom[8][64];
	char	kind[8][32];
	size_t	n;
	size_t	stop_at;	/* 0: never */
};

static void
seen_copy(char *to, size_t size, const char *s)
{
	snprintf(to, size, "%s", s == NULL ? "(null)" : s);
}

static int
seen_record(void *arg, const struct cli_record *r)
{
	struct seen	*sn = arg;

	if (sn->n < 8) {
		seen_copy(sn->cmd[sn->n], sizeof(sn->cmd[0]), r->command);
		seen_copy(sn->vdom[sn->n], sizeof(sn->vdom[0]),
		    r->session_vdom);
		seen_copy(sn->kind[sn->n], sizeof(sn->kind[0]), r->kind);
	}
	sn->n++;
	return (sn->stop_at != 0 && sn->n == sn->stop_at);
}

/*
 * The split hands over records in order, each knowing the VDOM it ran
 * in and its final kind; the kept form (cli_transcript_parse) says the
 * same.
 */
static void
test_split_each_session(void **state)
{
	static const char in[] =
	    "FGT # config vdom\n"
	    "FGT (vdom) # edit blue\n"
	    "current vf=blue:1\n"
	    "FGT (blue) # get vpn ipsec tunnel summary\n"
	    "'t1' 1.2.3.4:0  selectors(total,up): 1/1  rx(pkt,err): 1/0  "
	    "tx(pkt,err): 1/0\n"
	    "FGT (blue) # end\n"
	    "FGT # sudo red get system status\n"
	    "Version: FortiGate-60F v7.4.8,build2795,250523 (GA.M)\n"
	    "FGT # diagnose debug enable\n"
	    "FGT # \n";
	static const char *const cmd[] = { "config vdom", "edit blue",
	    "get vpn ipsec tunnel summary", "end", "sudo red get system status",
	    "diagnose debug enable" };
	static const char *const vdom[] = { "(null)", "(null)", "blue", "blue",
	    "red", "(null)" };
	static const char *const kind[] = { "(null)", "(null)",
	    "tunnel-summary", "(null)", "system-status", "(null)" };
	struct cli_transcript	*t;
	struct seen		 sn;
	size_t			 i, n;
	char			 what[32];

	memset(&sn, 0, sizeof(sn));
	assert_int_equal(cli_transcript_each(in, sizeof(in) - 1, seen_record,
	    &sn, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(sn.n, 6);
	t = cli_transcript_parse(in, sizeof(in) - 1);
	assert_non_null(t);
	assert_int_equal(t->nrecs, 6);
	for (i = 0; i < 6; i++) {
		snprintf(what, sizeof(what), "record %zu", i);
		check_str(what, "command", sn.cmd[i], cmd[i]);
		check_str(what, "session_vdom", sn.vdom[i], vdom[i]);
		check_str(what, "kind", sn.kind[i], kind[i]);
		check_str(what, "kept command", t->recs[i].command, cmd[i]);
		check_str(what, "kept session_vdom", t->recs[i].session_vdom,
		    i == 0 || i == 1 || i == 5 ? NULL : vdom[i]);
		check_str(what, "kept kind", t->recs[i].kind,
		    strcmp(kind[i], "(null)") == 0 ? NULL : kind[i]);
	}
	cli_transcript_free(t);

	/* The callback can stop the split. */
	memset(&sn, 0, sizeof(sn));
	sn.stop_at = 2;
	assert_int_equal(cli_transcript_each(in, sizeof(in) - 1, seen_record,
	    &sn, &n), -1);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompt_at_end),
		cmocka_unit_test(test_prompt_line),
		cmocka_unit_test(test_prompt_pieces),
		cmocka_unit_test(test_more_at_end),
		cmocka_unit_test(test_strip_more),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_behind),
		cmocka_unit_test(test_clean_pieces),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_split_fixtures),
		cmocka_unit_test(test_split_every_fixture),
		cmocka_unit_test(test_split_raw_session),
		cmocka_unit_test(test_split_edges),
		cmocka_unit_test(test_split_each_session),
		cmocka_unit_test(test_kind_tables_agree),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
