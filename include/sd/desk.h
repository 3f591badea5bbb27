#ifndef SD_DESK_H
#define SD_DESK_H

/* The desk's work on tickets (lib/desk.c): registering one with sd-new,
 * the actions' updates, sd-edit's targets, and the hooks actions run. */

#include "sd/attach.h"
#include "sd/id.h"
#include "sd/store.h"

/* What sd-new is given; NULL for what was not. */
struct sd_new_params {
	const char *type, *title, *requester, *category, *urgency, *impact;
	const char *channel, *email, *phone, *related, *description;
	const char *cc;         /* by mail: the Cc: addresses its event records */
	struct sd_attach_file *files;   /* attachments (sd/attach.h), or NULL */
	size_t nfiles;
	const char *message_id; /* by mail: the requester's Message-ID, kept
	                           in the first event (sd-mail) */
};

/* Register a ticket (SPEC sections 3, 5, 7): check, number it under the
 * lock, commit.  Its id in id.  (The caller runs hooks/new.) */
int sd_desk_new(struct sd_store *s, const struct sd_agent *agent,
    const struct sd_new_params *p, char id[SD_ID_MAX]);

/* What sd-update changes; NULL for what stays. */
struct sd_update_params {
	const char *title, *category, *urgency, *impact, *email, *phone;
	const char *text;       /* why, for the event */
};

/* Correct or complete ticket n: recompute priority and due dates; a
 * pending-info ticket now complete becomes new.  Returns 1, and commits
 * nothing, when the ticket holds those values already. */
int sd_desk_update(struct sd_store *s, const struct sd_agent *agent, long n,
    const struct sd_update_params *p);

/* The fields of `required` (sd.ini) that t lacks and the requester owes
 * (requester_email, requester_phone): what pending-info waits on;
 * space-separated in *missing (static storage); returns how many. */
int sd_desk_missing(const struct sd_ticket *t, const struct sd_config *cfg,
    const char **missing);

/* The fields of `required` that t lacks and the desk owes (category,
 * urgency, impact): they leave it new, for the desk to classify; as
 * sd_desk_missing. */
int sd_desk_unclassified(const struct sd_ticket *t, const struct sd_config *cfg,
    const char **missing);

/* Nonzero when field f (enum sd_field) is the desk's to fill, not the
 * requester's to give. */
int sd_desk_owed(int f);

/* The failed attempts to reach t's requester (notes with
 * contact_attempt = yes) since it was registered or last reopened
 * (lib/contact.c). */
int sd_desk_contact_attempts(const struct sd_ticket *t);
/* May t be solved with code no-contact: 0 once it has
 * [lifecycle] contact_attempts of them, else SD_EINVALID saying so. */
int sd_desk_no_contact(const struct sd_ticket *t, const struct sd_config *cfg);

/* Run hooks/ACTION of the store for ticket id (NULL: none) with the
 * environment of SPEC section 9, stdin from input (NULL: /dev/null).  A
 * hook that is not there is no error; one that fails is SD_EIO. */
int sd_desk_hook(const struct sd_store *s, const char *action, const char *id,
    const struct sd_agent *agent, const char *input);


/* sd-edit: what arg names, a ticket (*n > 0: an id or its file's path) or
 * a configuration file (*n == 0: "sd.ini" or a path to it); *rel is the
 * path in the store.  SD_EINVALID for anything else. */
int sd_desk_edit_target(struct sd_store *s, const char *arg, long *n, char **rel);

/* One action of a ticket's life (sd(7)): what the command was given. */
struct sd_act {
	const char *action;     /* assign escalate suspend resume solve close
	                           reject reopen note approve deny */
	const char *text;       /* diagnosis, solution, reason, comment or note */
	const char *assignee;   /* assign: the agent */
	const char *group;      /* escalate: --group, or NULL */
	int level;              /* escalate: --level, or 0 */
	const char *provider_ref;       /* escalate to a provider: its case
	                                   number (--provider-ref), or NULL */
	const char *code;       /* solve: --code, or NULL for solved */
	const char *kb;         /* solve: --kb, the article that solved it, or NULL */
	int rating;             /* close: 1..5, or 0 */
	const char *role;       /* approve, deny */
	int contact_attempt;    /* note: a failed attempt to reach the requester */
	struct sd_attach_file *files;   /* attachments kept with the event, stored
	                                   under attachments/ (sd/attach.h) */
	size_t nfiles;
	/* A further check of the ticket, under the lock, before it changes
	 * (NULL: none): an error it returns refuses the action. */
	int (*check)(const struct sd_ticket *t, void *arg);
	void *check_arg;
	/* solve of a problem: called, after the commit, with the id of each
	 * incident it solved too (NULL: none). */
	void (*also)(const char *id, void *arg);
	void *also_arg;
};

/* Take the action on ticket n under the lock, through the transition table
 * and the role rules (sd/workflow.h), as one commit.  The status it left
 * the ticket in goes to status (SD_STATUS_MAX bytes). */
#define SD_STATUS_MAX 32
int sd_desk_act(struct sd_store *s, const struct sd_agent *agent, long n,
    const struct sd_act *a, char status[SD_STATUS_MAX]);

/* Relate tickets both ways, in one commit; a final ticket gains the link
 * and nothing else.  Calls fn for each ticket changed. */
int sd_desk_link(struct sd_store *s, const struct sd_agent *agent,
    const long *ids, size_t n, void (*fn)(const char *id, void *arg), void *arg);

/* Link incidents ids[0..n) to the problem: each names it (`problem`), it
 * lists them (`incidents`), in one commit.  Only incidents, to a problem,
 * and none linked to another problem already (SD_EINVALID, nothing
 * changed).  Calls fn for each ticket changed, the problem first. */
int sd_desk_link_problem(struct sd_store *s, const struct sd_agent *agent, long problem,
    const long *ids, size_t n, void (*fn)(const char *id, void *arg), void *arg);

/* The end of window w from start (a ticket's time, RFC 3339) on the
 * store's calendar: wall units count every second, business ones its
 * hours (lib/complete.c). */
int sd_desk_window_end(time_t *end, const struct sd_config *cfg, const char *start,
    const struct sd_duration *w);

/* The instant pending-info ticket t becomes unmanaged: info_window after
 * its `created`, on the store's calendar for a business window.  Returns
 * 0; 1 (and *at untouched) when t is not pending-info, or is but owes
 * nothing of the requester's (sd_desk_missing); < 0 for a bad `created`.
 * sd-close --auto moves it once now >= *at. */
int sd_desk_unmanaged_at(time_t *at, const struct sd_config *cfg, const struct sd_ticket *t);

/* sd-close --auto: solved tickets past accept_window are closed, pending-info
 * tickets past info_window become unmanaged, each in its own commit under
 * the lock.  fn hears of each (with dry_run, of each that would change),
 * bad of each file that does not parse (path:line: what). */
struct sd_auto_row {
	const char *id, *from, *to, *reason;
};
int sd_desk_auto(struct sd_store *s, const struct sd_agent *agent, int dry_run,
    void (*fn)(const struct sd_auto_row *row, void *arg),
    void (*bad)(const char *message, void *arg), void *arg);

#endif
