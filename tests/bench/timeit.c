/*
 * timeit - run a command, print how long it took.
 *
 * usage: timeit CMD [ARG...] [&& CMD [ARG...]]...
 *
 * Runs each command in turn (a literal "&&" argument separates them; a
 * failure stops the chain), its stdin and stdout /dev/null, its stderr
 * ours, and prints the elapsed wall-clock time of the whole chain in
 * milliseconds on the monotonic clock, from before the first fork to
 * after the last wait.  Exit 0; 1, with nothing on stdout, when a command
 * failed; 64 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct timespec a, b;
	int null, i, status;

	if (argc < 2) {
		fprintf(stderr, "usage: timeit CMD [ARG...] [&& CMD [ARG...]]...\n");
		return 64;
	}
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		perror("timeit: /dev/null");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 1; i < argc; ) {
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
			dup2(null, 1);
			execvp(cmd[0], cmd);
			fprintf(stderr, "timeit: %s: %s\n", cmd[0], strerror(errno));
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("timeit: waitpid");
				return 1;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "timeit: %s: %s %d\n", cmd[0],
			    WIFEXITED(status) ? "exit status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			return 1;
		}
		i = j + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	return fflush(stdout) ? 1 : 0;
}
