/* SPDX-License-Identifier: ISC */
/*
 * test_xmalloc - the one out-of-memory policy: the fatal hook runs first
 * (it is where ui/ will restore the terminal), once, then one line on
 * stderr, then abort.  Run in a child, which is what aborts.
 */
#include "config.h"

#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "xmalloc.h"

static int	hook_fd = -1;

static void
hook(void)
{
	/* Say we ran, then fail again: the hook must not run twice. */
	if (write(hook_fd, "H", 1) != 1)
		_exit(3);
	xmalloc_fatal("inside the hook");
}

/* Run f in a child with stderr and the hook's pipe captured. */
static void
run_child(void (*f)(void), char *err, size_t errsize, char *hooked,
    size_t hsize, int *status)
{
	int	 ep[2], hp[2];
	pid_t	 pid;
	ssize_t	 n;

	assert_int_equal(pipe(ep), 0);
	assert_int_equal(pipe(hp), 0);
	if ((pid = fork()) == 0) {
		dup2(ep[1], 2);
		close(ep[0]);
		close(hp[0]);
		hook_fd = hp[1];
		signal(SIGABRT, SIG_DFL);
		f();
		_exit(0);
	}
	close(ep[1]);
	close(hp[1]);
	n = read(ep[0], err, errsize - 1);
	err[n > 0 ? n : 0] = '\0';
	n = read(hp[0], hooked, hsize - 1);
	hooked[n > 0 ? n : 0] = '\0';
	close(ep[0]);
	close(hp[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
}

static void
child_huge(void)
{
	xmalloc_set_fatal_hook(hook);
	(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
}

static void
test_fatal_hook(void **state)
{
	char	err[512], hooked[16];
	int	status;

	run_child(child_huge, err, sizeof(err), hooked, sizeof(hooked),
	    &status);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	/* Once: the failure inside the hook went straight to the end. */
	assert_string_equal(hooked, "H");
	/* One line, from the innermost failure (the hook's). */
	assert_string_equal(err, "fgtop: out of memory (inside the hook)\n");
}

static void
child_plain(void)
{
	(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
}

static void
test_fatal_line(void **state)
{
	char	err[512], hooked[16];
	int	status;

	run_child(child_plain, err, sizeof(err), hooked, sizeof(hooked),
	    &status);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_string_equal(hooked, "");
	assert_string_equal(err,
	    "fgtop: out of memory (18446744073709551615 bytes)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fatal_line),
		cmocka_unit_test(test_fatal_hook),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
