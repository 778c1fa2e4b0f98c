/* SPDX-License-Identifier: ISC */
/*
 * fuzz_khosts - libFuzzer harness for src/khosts.c: any bytes as a
 * known_hosts file (lines of names, hashed names in base64, patterns,
 * NULs, lines too long), read and filtered for a few logins, the copy
 * read back.  Nothing is checked but memory and undefined behaviour:
 * which lines a copy holds is test_khosts's business.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "khosts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char	*host;
		int		 port;
	} logins[] = {
		{ "fw1", 22 }, { "10.0.0.1", 2222 }, { "FW2", 0 },
	};
	static char	 path[64];
	char		 name[64], buf[4096];
	FILE		*f;
	size_t		 i;
	int		 fd;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/fuzz_khosts.%ld",
		    (long)getpid());
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
	/* Each input read anew: its size and mtime may be the last one's. */
	khosts_free();
	for (i = 0; i < sizeof logins / sizeof logins[0]; i++) {
		fd = khosts_filter(path, logins[i].host, logins[i].port, name,
		    sizeof name);
		if (fd == -1)
			continue;
		if ((f = fopen(name, "r")) != NULL) {
			while (fread(buf, 1, sizeof buf, f) > 0)
				continue;
			fclose(f);
		}
		close(fd);
	}
	khosts_free();
	return (0);
}
