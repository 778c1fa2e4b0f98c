/* SPDX-License-Identifier: ISC */
/*
 * cli - the FortiGate CLI stream layer.
 *
 * Everything between raw shell bytes and the per-command parsers: where a
 * prompt ends a buffer (`HOST # `, `HOST (VDOM) # `, `HOST $ `,
 * `HOST# `), the `--More--` pager and the way it is erased, the echoed
 * command, making device text safe for a terminal, naming the output kind
 * of a typed command (abbreviations included), and splitting a pasted or
 * recorded transcript into (prompt, command, output) records.  src/shell
 * uses it on the live SSH channel, src/analyze on pasted transcripts.
 *
 * Pure like every parser: libc only, no globals, no I/O, bounded by
 * explicit lengths (input need not be NUL-terminated), never crashes.
 *
 * On a live channel bytes come in pieces.  cli_prompt_at_end and
 * cli_more_at_end look only at a bounded tail of the buffer, so calling
 * them after every read of a growing buffer costs the same however long
 * it is; a piece that cuts a prompt or the pager short simply gives -1
 * until the rest arrives.  cli_strip_more, cli_sanitize and cli_clean
 * give the same result whether they see a text whole or in pieces split
 * just after a LF (no escape sequence, UTF-8 character or pager erase
 * runs across a LF), so a stream can be cleaned line by line: hold back
 * the bytes after the last LF until more arrive.  A piece that ends
 * elsewhere loses the escape sequence or character it cuts.
 *
 * Ownership: cli_prompt_* fill a struct cli_prompt whose pointers point
 * into the caller's buffer (nothing allocated).  cli_strip_more,
 * cli_sanitize and cli_clean write into a caller buffer at least as long
 * as the input (they never grow the text; out may equal in).  A
 * cli_transcript and every string it holds belong to its arena;
 * cli_transcript_free releases all of it.
 */
#ifndef CLI_H
#define CLI_H

#include "util.h"

/* Longest hostname or parenthesised context accepted in a prompt. */
#define CLI_NAME_MAX	64
/* Longest prompt: "HOST (CONTEXT) # ". */
#define CLI_PROMPT_MAX	(2 * CLI_NAME_MAX + 6)

struct cli_prompt {
	const char	*host;		/* NULL for the bare "# " form */
	size_t		 hostlen;
	const char	*vdom;		/* the word in parentheses, or NULL */
	size_t		 vdomlen;
	char		 mark;		/* '#' (admin) or '$' (read-only) */
	size_t		 len;		/* length, trailing blank included */
};

/*
 * A prompt at the very end of (buf, len), at the start of a line, with
 * the space FortiOS prints after '#' or '$': what the shell waits for
 * before it takes a command's output as complete.  Looks at the last
 * CLI_PROMPT_MAX + 1 bytes at most.  Returns the prompt's offset in
 * buf and fills out (may be NULL), or -1.
 */
long	 cli_prompt_at_end(const char *, size_t, struct cli_prompt *);

/*
 * A prompt at the start of one line (s, n) without its line ending, as
 * pasted: the space after '#' may be missing when nothing follows.
 * Bare "# " / "$ " counts only when allow_bare is set (host NULL).
 * Returns 1 and fills out, 0 when the line does not start with a prompt;
 * the text typed after it starts at s + out->len.
 */
int	 cli_prompt_line(const char *, size_t, int allow_bare,
	    struct cli_prompt *);

/*
 * The pager prompt at the end of (buf, len): "--More--" alone on its
 * line, with up to 16 blanks before and after it.  Looks at the last 41
 * bytes at most.  Returns its offset (the start of the blanks before
 * it), or -1.  The shell answers it with a space.
 */
long	 cli_more_at_end(const char *, size_t);

/*
 * Remove every "--More--" pager prompt (at the start of a line, blanks
 * allowed before it; elsewhere it is device text and stays) and the
 * sequence the device used to erase it once a key was pressed: CR +
 * blanks + CR, backspaces + blanks + backspaces, CR + ESC [ K (any
 * erase-in-line), or a newline when the text was pasted.  The prompt and
 * its erase must be in the same text: give it a command's whole output,
 * or pieces that end at a LF.  Returns the new length; *count (may be
 * NULL) gets the number of pager prompts removed.
 */
size_t	 cli_strip_more(const char *, size_t, char *, size_t *);

/*
 * Make device text harmless for a terminal.  Kept: printable ASCII, TAB,
 * LF and valid UTF-8.  Removed entirely: ESC sequences (CSI with any
 * parameters, OSC/DCS/SOS/PM/APC strings up to BEL, ST or the end of the
 * line, two-byte and nF escapes, and anything cut off at the end of the
 * buffer), CR, BS, NUL, DEL and the other C0 controls.  Each byte of
 * invalid UTF-8 (raw 8-bit C1 such as 0x9b included), and each C1
 * control or bidirectional override written as valid UTF-8, becomes '?'.
 * The result is never longer than the input.  Returns its length.
 */
size_t	 cli_sanitize(const char *, size_t, char *);

/* cli_strip_more then cli_sanitize; the same rules for out. */
size_t	 cli_clean(const char *, size_t, char *, size_t *);

/*
 * Where the output of cmd starts in (buf, len): just after the echoed
 * command line (LF or CRLF, stray CRs, a prompt in front and runs of
 * blanks tolerated), or 0 when the first non-blank line is not the echo.
 */
size_t	 cli_echo_end(const char *, size_t, const char *);

/*
 * The output kinds, the one home of what the CLI layer knows of each:
 * the commands that print it and the markers that recognise its output
 * pasted alone.  cli_kinds ends with a NULL name.
 */
#define CLI_KIND_WORDS		4
#define CLI_KIND_MARKERS	2

enum cli_mark {
	CLI_MARK_START = 1,	/* a line starts with text */
	CLI_MARK_ANYWHERE,	/* text is in a line */
	CLI_MARK_IKE,		/* "ike " after a console timestamp */
	CLI_MARK_AFTER_VD	/* a line starts with text after a "vd: " one */
};

struct cli_marker {
	enum cli_mark	 how;
	const char	*text;
};

struct cli_kind {
	const char		*name;		/* as src/kind.c names it */
	const char		*command;	/* the one to type, for help */
	const char		*words[CLI_KIND_WORDS];	/* canonical */
	unsigned		 alone;		/* bit i: words[i] takes no more */
	struct cli_marker	 markers[CLI_KIND_MARKERS];
};

extern const struct cli_kind	cli_kinds[];
const struct cli_kind		*cli_kind_find(const char *);

/*
 * The output kind a typed command produces, named as in src/kind.c
 * ("tunnel-summary", "ike-gateway-list", "tunnel-list", "ike-debug",
 * "sniffer", "traceroute", "routing-table", "system-status"), or NULL.
 * FortiOS abbreviations are accepted: each typed word must be the
 * canonical word or a prefix of it at least two characters long
 * ("di vpn tun li", "get sys stat").  Quotes and extra blanks are
 * tolerated, and a leading "sudo VDOM" is skipped.
 */
const char	*cli_classify(const char *, size_t);

/*
 * Whether a typed command starts with the canonical words given in one
 * string ("config vdom", "diagnose debug reset"), each typed word
 * abbreviating its canonical word as in cli_classify.  1 or 0.
 */
int	 cli_match(const char *, size_t, const char *);

/*
 * Word i (from 0) of a typed command, quotes removed: 1 and (w, wn) set,
 * or 0 when the command has fewer words.  Only the first 8 words count.
 */
int	 cli_arg(const char *, size_t, size_t, const char **, size_t *);

/*
 * The kind of output text printed without its command (pasted alone),
 * from markers no other output has; NULL when unsure.
 */
const char	*cli_sniff(const char *, size_t);

/*
 * The VDOM of "sudo VDOM command" (FortiOS 7.x): 1 and (v, vn) set, or 0.
 */
int	 cli_sudo_vdom(const char *, size_t, const char **, size_t *);

/*
 * Whether cmd (already known not to be a record of an output kind) is a
 * CLI command at all: its first word abbreviates a FortiOS verb (config,
 * edit, end, get, diagnose, ...).  Text after a prompt that is not
 * (debug output printed behind the prompt) is output, not a command.
 */
int	 cli_is_command(const char *, size_t);

/*
 * One command and its output, from a transcript.  Prompts are kept as
 * printed, always ending in the blank after '#' or '$' (a paste may have
 * lost it).
 */
struct cli_record {
	const char	*prompt;	/* "FGT (root) # ", "# " or NULL */
	const char	*hostname;	/* NULL when no prompt named one */
	const char	*vdom;		/* in the prompt's parentheses; NULL */
	const char	*command;	/* trimmed; NULL for output alone */
	/*
	 * The output kind: cli_classify, or cli_sniff for output alone;
	 * NULL for `diagnose debug enable` when no `diagnose debug
	 * application ike` came before it (and no reset since) and its
	 * lines are not IKE debug either.
	 */
	const char	*kind;
	/*
	 * The VDOM the command ran in: "sudo VDOM cmd", else the prompt's
	 * context when it names a VDOM (not a nested config block, not
	 * "(vdom)"), else the `config vdom` + `edit X` (or `config global`:
	 * "global") the session is in; NULL when unknown.
	 */
	const char	*session_vdom;
	const char	*output;	/* cleaned, NUL-terminated */
	size_t		 outlen;
};

struct cli_transcript {
	struct parena		*arena;
	struct cli_record	*recs;
	size_t			 nrecs;
	size_t			 cap;
	const char		**prompts;	/* distinct, in order seen */
	size_t			 nprompts;
	size_t			 pcap;
	size_t			 pager;		/* --More-- prompts removed */
};

/*
 * Split a transcript, cleaned (cli_clean) first.  A record starts at a
 * line that is a prompt followed by a command, "# command", or a known
 * command alone on its line (as pasted without prompts).  A prompt with
 * nothing after it ends the output of the record before it; text after
 * a prompt that is not a command is output (debug lines printed behind
 * the prompt).  Output before the first command, or after a prompt
 * alone, becomes a record with a NULL command, kept only when cli_sniff
 * recognises it; but output after a prompt alone continues a running
 * ike-debug record (debug goes on printing once the prompt is back).
 * NULL only when memory runs out.
 */
struct cli_transcript	*cli_transcript_parse(const char *, size_t);
/*
 * The same split, handing each record to cb as soon as it is complete
 * instead of keeping it, so memory stays about twice the input however
 * many records it holds: the record and its strings are valid only
 * during the call.  cb returns 0 to go on, non-zero to stop.  *nrecs
 * gets the number of records handed over.  0, or -1 when memory ran
 * out or cb stopped.
 */
int	 cli_transcript_each(const char *, size_t,
	    int (*)(void *, const struct cli_record *), void *, size_t *);
void			 cli_transcript_free(struct cli_transcript *);

#endif
