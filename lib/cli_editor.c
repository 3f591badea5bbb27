/*
 * The agent's editor on a file, for sd-edit and sd-kb edit: $VISUAL,
 * else $EDITOR, else vi, through the shell so that it may hold options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "sd/cli.h"

int
sd_cli_edit(const char *path)
{
	const char *editor = getenv("VISUAL");
	int status;
	pid_t pid;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	/* The shell expands it, unquoted, so that it may hold options;
	 * the file goes as "$1", whatever its name. */
	if (setenv("SD_EDITOR", editor, 1) < 0)
		return sd__oom();
	fflush(NULL);
	if ((pid = fork()) < 0)
		return sd_error_set(SD_EIO, "%s", _("fork: cannot start the editor"));
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "$SD_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return sd_error_set(SD_EIO, _("the editor (%s) failed; nothing changed"), editor);
	return 0;
}
