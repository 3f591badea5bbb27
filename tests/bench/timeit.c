/*
 * timeit - run a command, print how long it took and its peak memory.
 *
 * usage: timeit [-o FILE] [-x MAX] CMD [ARG...] [&& CMD [ARG...]]...
 *
 * Runs each command in turn (a literal "&&" argument separates them; a
 * failure stops the chain), its stdin /dev/null, its stdout /dev/null or,
 * with -o, FILE (truncated first, shared by the chain), its stderr ours,
 * and prints one line: the elapsed wall-clock time of the whole chain in
 * milliseconds on the monotonic clock, from before the first fork to
 * after the last wait; a space; the peak resident set size in KiB, the
 * largest ru_maxrss that wait4() reported for any command of the chain
 * (a command's own peak, or that of a child it waited for, whichever is
 * bigger: not a sum over processes alive at once).
 *
 * A command fails when killed by a signal or when its exit status is not
 * 0; with -x MAX, an exit status up to MAX counts as success (sd-sla exits
 * 1 and 2 for its findings).  Exit 0; 1, with nothing on stdout, when a
 * command failed; 64 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
usage(void)
{
	fprintf(stderr, "usage: timeit [-o FILE] [-x MAX] CMD [ARG...] [&& CMD [ARG...]]...\n");
	return 64;
}

int
main(int argc, char *argv[])
{
	struct timespec a, b;
	struct rusage ru;
	const char *outfile = NULL;
	long maxrss = 0;
	int null, out, i, status, c, okmax = 0;
	char *end;

	while ((c = getopt(argc, argv, "+o:x:")) != -1) {
		switch (c) {
		case 'o':
			outfile = optarg;
			break;
		case 'x':
			okmax = (int)strtol(optarg, &end, 10);
			if (*end || !*optarg || okmax < 0 || okmax > 255)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		perror("timeit: /dev/null");
		return 1;
	}
	out = null;
	if (outfile && (out = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		fprintf(stderr, "timeit: %s: %s\n", outfile, strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = optind; i < argc; ) {
		char **cmd = argv + i;
		pid_t pid;
		int j;

		for (j = i; j < argc && strcmp(argv[j], "&&"); j++)
			;
		argv[j < argc ? j : argc] = NULL;
		if (j == i) {
			fprintf(stderr, "timeit: empty command\n");
			return 64;
		}
		if ((pid = fork()) < 0) {
			perror("timeit: fork");
			return 1;
		}
		if (pid == 0) {
			dup2(null, 0);
			dup2(out, 1);
			execvp(cmd[0], cmd);
			fprintf(stderr, "timeit: %s: %s\n", cmd[0], strerror(errno));
			_exit(127);
		}
		while (wait4(pid, &status, 0, &ru) < 0)
			if (errno != EINTR) {
				perror("timeit: wait4");
				return 1;
			}
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (!WIFEXITED(status) || WEXITSTATUS(status) > okmax) {
			fprintf(stderr, "timeit: %s: %s %d\n", cmd[0],
			    WIFEXITED(status) ? "exit status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			return 1;
		}
		i = j + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f %ld\n", (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6,
	    maxrss);
	return fflush(stdout) ? 1 : 0;
}
