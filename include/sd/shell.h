#ifndef SD_SHELL_H
#define SD_SHELL_H

#include <stddef.h>

/*
 * sd-shell, the SSH forced command: what an SSH_ORIGINAL_COMMAND may be.
 * Words are split as a shell splits them, with '...', "..." and \ quoting,
 * but nothing is ever expanded or run: a character the shell would act on
 * ($ ` ; & | < > ( ) { } * ? [ ~ # newline), unquoted, refuses the line.
 */

/* Split line into a NULL-terminated word vector (free with
 * sd_shell_free); SD_EUSAGE saying why for a line that is refused. */
int sd_shell_split(char ***out, size_t *n, const char *line);
void sd_shell_free(char **words, size_t n);

/* Nonzero for the programs sd-shell runs: every sd command but sd-init,
 * sd-edit (an editor is a shell) and sd-shell itself. */
int sd_shell_allowed(const char *program);

#endif
