#ifndef SD_CLI_H
#define SD_CLI_H

#include <getopt.h>
#include <libintl.h>
#include <stdio.h>

#include "sd/filter.h"
#include "sd/store.h"
#include "sd/sync.h"

/*
 * The command side of libsd, for cmd/ alone: the one part that prints.
 * It turns codes into exit statuses and messages into `prog: message`
 * lines on stderr, and holds what every command does the same way.
 */

/* Messages through gettext, in sd's domain (xgettext -k_ -kN_). */
#ifndef _
#define _(s) dgettext("sd", s)
#endif
#ifndef N_
#define N_(s) (s)
#endif

/* The long options every command takes, for getopt_long tables. */
enum { SD_OPT_VERSION = 0x100, SD_OPT_FIRST_OWN = 0x101 };
#define SD_CLI_LONG_OPTIONS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, SD_OPT_VERSION }

/* Locale, message catalogue, the program's name for messages, and where
 * zones are ($TZDIR: sd_config_set_zone_dir). */
void sd_cli_start(const char *prog);
const char *sd_cli_prog(void);

/* Print the last message as `prog: message`; return code's exit status. */
int sd_cli_fail(int code);
/* `prog: message` on stderr, on one line whatever message holds. */
void sd_cli_say(const char *message);
/* `prog: warning: ...` on stderr. */
void sd_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The usage text on stdout (exit 0: for -h), or on stderr after a message
 * (exit 64: for a bad command line).  usage is marked N_() where it is
 * written and translated here. */
int sd_cli_help(const char *usage);
int sd_cli_usage(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sd_cli_version(void);

/* The width of the terminal standard output is, as git finds it: $COLUMNS
 * when a number, else the terminal's, else 80; 0 when it is no terminal. */
size_t sd_cli_columns(void);

/* The text of -m TEXT or -F FILE (- for stdin); *out NULL when neither was
 * given.  Both, an empty text, or a text that is not UTF-8: an error code. */
int sd_cli_text(char **out, const char *m, const char *file);
/* The bytes of file (- for stdin), any bytes, for an attachment named
 * name: SD_ENOTFOUND when it cannot be opened or is a directory,
 * SD_EINVALID (sd_attach_fits' message) when longer than cfg's
 * [attachments] max_size. */
int sd_cli_attach_file(char **out, size_t *len, const char *file, const char *name,
    const struct sd_config *cfg);

/* The current time: $SD_NOW when set (SD_EUSAGE if it is not RFC 3339),
 * else the clock.  Read here, once, for the library, which reads none. */
int sd_cli_now(time_t *out);

/* Open the store (-C dir or found) and, when need_agent, the acting agent;
 * the store's current time is sd_cli_now's. */
int sd_cli_open(struct sd_store **s, const struct sd_agent **agent,
    const char *dir, int need_agent);

/* Close a store sd_cli_open opened (NULL: nothing), first saying as a
 * warning what failed after a change was committed (sd_store_warning). */
void sd_cli_close(struct sd_store *s);

/* After a committed change: the mail it sends (sd_cli_mail), then
 * hooks/ACTION; a failure of either is a warning, not an error (SPEC
 * section 9): the change is made. */
void sd_cli_hook(struct sd_store *s, const char *action, const char *id,
    const struct sd_agent *agent, const char *input);
/* The mail of action on ticket id (sd_mail_after), a mail not sent a
 * warning line (it stays queued). */
void sd_cli_mail(struct sd_store *s, const char *action, const char *id);
/* Does automation what run here (sd_automation_here)?  1 yes; 0 no, and
 * said so on one line: the command does nothing and exits 0. */
int sd_cli_automation(const struct sd_store *s, enum sd_automation what);
/* sd-close --auto: the reminders due (sd_mail_remind). */
void sd_cli_mail_remind(struct sd_store *s);

/* The whole of a command that takes one action on one ticket: open the
 * store as the acting agent, take a->action on the ticket idarg names
 * (a->text from -m or -F), print its ID, run the hook.  Returns the exit
 * status.  For assign, a NULL a->assignee means the acting agent. */
struct sd_act;
int sd_cli_act(const char *dir, const char *idarg, struct sd_act *a,
    const char *m, const char *file, const char *usage);

/* The main of a command that takes one action on one ticket named by its
 * only argument: -C, -F, -m, -h and --version are read here, the options
 * in own (long only, NULL-terminated) go to fn, which returns 0 or the
 * exit status of a bad value; then sd_cli_act. */
typedef int (*sd_cli_option_fn)(int c, const char *arg, struct sd_act *a,
    const char *usage);
int sd_cli_act_main(int argc, char *argv[], const char *usage, struct sd_act *a,
    const struct option *own, sd_cli_option_fn fn);

/* The filter options a command was given, kept until its store is open. */
struct sd_cli_filters {
	struct { int key; const char *value; } v[64];
	size_t n;
};

/* Keep option c if it is a filter option: 1 when kept, 0 when c is not
 * one, SD_EUSAGE when there are too many. */
int sd_cli_filter_take(struct sd_cli_filters *fs, int c, const char *value);
/* The filter of what was kept (--assignee me asks who acts).  A value
 * outside its set is SD_EUSAGE. */
int sd_cli_filter_build(struct sd_filter **out, const struct sd_cli_filters *fs,
    struct sd_store *s, time_t now);
/* own's options and then more's, NULL-terminated, malloc'd. */
struct option *sd_cli_options(const struct option *own, const struct option *more);

/* Progress of long work on stderr (lib/cli_progress.c): with --quiet
 * (NEVER) none; with --progress (ALWAYS) shown; else (AUTO) shown when
 * stderr is a terminal.  A stage says nothing for its first second
 * ($SD_PROGRESS_DELAY seconds: for tests).  NULL when nothing is shown:
 * what libsd's long work takes. */
enum { SD_CLI_PROGRESS_AUTO, SD_CLI_PROGRESS_NEVER, SD_CLI_PROGRESS_ALWAYS };
struct sd_progress;
const struct sd_progress *sd_cli_progress(int mode);
/* The progress line shown, if any, wiped: before other output; a count
 * to come draws it again.  sd_cli_say and sd_cli_warn call it. */
void sd_cli_progress_clear(void);
/* The long options --quiet and --progress, for getopt_long tables, and
 * what they set. */
enum { SD_OPT_QUIET = 0xff0, SD_OPT_PROGRESS = 0xff1 };
#define SD_CLI_PROGRESS_OPTIONS \
	{ "progress", no_argument, NULL, SD_OPT_PROGRESS }, \
	{ "quiet", no_argument, NULL, SD_OPT_QUIET }

/* Flush stdout: a failed write is exit 74.  Returns the final status. */
int sd_cli_exit(int status);

/* Run the agent's editor on path ($VISUAL, else $EDITOR, else vi; lib/cli_editor.c):
 * 0, or SD_EIO when it cannot start or exits other than 0. */
int sd_cli_edit(const char *path);

#endif
