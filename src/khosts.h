/* SPDX-License-Identifier: ISC */
/*
 * khosts - known_hosts files read once per process, not once per login.
 *
 * libssh 0.10 reads and matches the whole of the user's and the global
 * known_hosts file twice per login (to order the host key algorithms,
 * then to check the key): about 4,000 instructions per line per login,
 * O(N) per login and O(N^2) for an estate whose known_hosts names every
 * box; a hashed line (HashKnownHosts) is decoded and hashed each time,
 * 20 ms a login for a file of 1,000.  khosts keeps each file's text, indexes its plain lines (a host
 * field of literal names, as `ssh` and libssh write them) by name, and
 * gives a login a small file of its own (a memfd, opened by libssh as
 * /proc/self/fd/N) holding, in the file's order, only the lines libssh
 * could match for that host: the plain lines naming it, the hashed
 * lines whose hash is its name's (HMAC-SHA1 from key states computed
 * once a line), and every line khosts does not evaluate (wildcards,
 * negations, lines libssh would stop at).  libssh's own matching still
 * decides on what it is given, so nothing of its semantics changes;
 * comments, blank lines and @marker lines, which libssh skips, are left
 * out.  A file is read again when its device, inode, size, mtime or
 * ctime change.
 *
 * khosts_add appends an accepted host key to the real file (as
 * ssh_session_update_known_hosts would, which would write into the
 * memfd) and keeps the copy in step without reading the file again.
 *
 * Ownership: the cache is the process's, used from the loop thread
 * only; khosts_free releases it.  A descriptor khosts_filter returns is
 * the caller's to close once libssh has checked the key.
 */
#ifndef KHOSTS_H
#define KHOSTS_H

#include <stddef.h>

/*
 * A descriptor of a file holding the lines of the known_hosts file at
 * path that libssh could match for host and port (host as libssh keeps
 * it, any case), and its name for SSH_OPTIONS_KNOWNHOSTS in name.  -1
 * when the file cannot be read (libssh is then given path itself and
 * finds what it finds: a missing file is an unknown host) or when the
 * system has no memfd or /proc.
 */
int	khosts_filter(const char *path, const char *host, int port,
	    char *name, size_t size);

/*
 * Append line (one known_hosts entry, ending in a newline) to the file
 * at path, creating it and its directory (0700) if missing.  A short
 * write is cut back, so a full disk never leaves half a line.  0, or
 * -1 with errno set.
 */
int	khosts_add(const char *path, const char *line);

/* Forget every file read. */
void	khosts_free(void);

#endif
