/* SPDX-License-Identifier: ISC */
/*
 * xfile - file-system chores shared by modules (see xfile.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "xfile.h"
#include "xmalloc.h"

/* 0700: the journal names devices and peers, ~/.ssh is private. */
int
xfile_mkdirs(const char *dir)
{
	char	*p = xstrdup(dir), *s;
	int	 rc = 0, end;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		end = *s == '\0';
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return (rc);
}

int
xfile_write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}
