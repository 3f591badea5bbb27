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

/* The longest SSH_ORIGINAL_COMMAND sd-shell takes, in bytes (a longer text
 * goes by standard input, with -F -). */
#define SD_SHELL_LINE_MAX 65536

/*
 * What sd-shell hands to the command it runs, in the environment: the
 * store (its real path) and the agent the key is bound to.  With the
 * store set, the commands refuse -C and any -F but standard input
 * (sd_store_find, sd_cli_text); setting it can only restrict, so anyone
 * may.  The agent acts whatever [policy] trust_env_agent says only for
 * the account that owns the store, the one whose authorized_keys binds
 * keys to agents (and who can write the store's history anyway); for any
 * other account it counts as $SD_AGENT would (sd_store_agent).
 */
#define SD_SHELL_STORE_ENV "SD_SHELL_STORE"
#define SD_SHELL_AGENT_ENV "SD_SHELL_AGENT"

/* The arguments words[1..n-1] of a command run by sd-shell, whatever their
 * place (an option's value, after --): 0, or SD_EPERM naming the first
 * that could choose another store (-C, -CDIR, --store, SD_STORE) or read
 * a file (-F or --file with anything but -). */
int sd_shell_check_args(char *const *words, size_t n);

/* Nonzero for an environment variable sd-shell removes before it runs a
 * command: anything that could choose another store, repository, agent,
 * time, zone, editor or program (SD_*, GIT_*, TZ, TZDIR, EDITOR, ...). */
int sd_shell_env_removed(const char *name);

/* Nonzero for the programs sd-shell runs: every sd command but sd-init,
 * sd-edit (an editor is a shell) and sd-shell itself. */
int sd_shell_allowed(const char *program);

#endif
