#ifndef SD_SYNC_H
#define SD_SYNC_H

#include <stddef.h>

#include "sd/progress.h"
#include "sd/store.h"

/*
 * A desk of many sites through one hub (sd-sync(1)): a site works
 * offline, and a sync replays its commits through the action table on
 * top of the hub's head, never a text merge, then pushes (fast-forward
 * only).  Which store is a site is machine-local: git config sd.site
 * (its name) and sd.hub (the hub's URL); the numbers a site gives new
 * tickets come from blocks the hub leases it (sites.ini).
 */

#define SD_SITE_MAX 33

/* One line of a sync's report: kind "superseded", "overridden",
 * "config" (a configuration edit left for a coordinator) or "lease";
 * id the ticket (or the file, or the block); detail one line. */
struct sd_sync_line {
	const char *kind;
	const char *id;
	const char *detail;
};
typedef void (*sd_sync_line_fn)(const struct sd_sync_line *line, void *arg);

/* Is s a site?  1 and its name, 0 (the hub, or a store alone). */
int sd_store_site(struct sd_store *s, char name[SD_SITE_MAX]);
/* The hub's URL (git config sd.hub), a caller's copy: SD_ENOTFOUND
 * without one. */
int sd_store_hub_url(struct sd_store *s, char **url);
/* May automation (sd-close --auto, sd-sla alerts, sd-mail) act here?  0
 * at a site of a desk whose [sync] automation is hub. */
int sd_sync_automation_here(struct sd_store *s);

/* The work that is automation, for sd_automation_here (lib/automation.c
 * says which of it [sync] automation = hub keeps at the hub). */
enum sd_automation {
	SD_AUTO_CLOSE,          /* sd-close --auto */
	SD_AUTO_SLA_ALERT,      /* sd-sla's alerts: --new-only, hooks/sla */
	SD_AUTO_SLA_LIST,       /* sd-sla's listing */
	SD_AUTO_MAIL_IN,        /* sd-mail reading a message */
	SD_AUTO_MAIL_FLUSH,     /* sd-mail --flush */
	SD_AUTO_MAIL_AFTER,     /* the mail an action sends after its commit */
	SD_AUTO_HOOK_MAIL,      /* the mail hooks send */
	SD_AUTO_HOOK            /* a hook's other work */
};
/* Does what run here?  1 yes; 0 no: a site of a desk whose [sync]
 * automation is hub, where this is automation the hub does. */
int sd_automation_here(const struct sd_store *s, enum sd_automation what);

struct sd_sync_opts {
	int dry_run;            /* report only: nothing pushed, no ref moved */
	int no_push;            /* replay onto the hub's head here; push later */
	const char *now;        /* RFC 3339, the command's clock */
	struct sd_progress *progress;
};

/* What a sync did, for its command to say. */
struct sd_sync_result {
	size_t fetched;         /* hub commits new here */
	size_t replayed;        /* local commits replayed onto them */
	size_t pushed;          /* commits the hub took */
	int fast_forward;       /* nothing local: the branch just followed */
};

/* Sync s with its hub (the store unlocked; sd_sync locks it for the
 * moves that need it). */
int sd_sync(struct sd_store *s, const struct sd_sync_opts *o, struct sd_sync_result *r,
    sd_sync_line_fn fn, void *arg);

/* What sd-sync --status shows. */
struct sd_sync_status {
	char site[SD_SITE_MAX];
	char *hub;              /* the hub's URL, or NULL */
	size_t ahead, behind;   /* as of the last fetch */
	long left;              /* numbers left in this site's blocks (-1: no leases) */
	char last[40];          /* the last sync's time, or "" */
	long long offset;       /* the hub's clock minus this one at the last sync, seconds */
};
int sd_sync_status(struct sd_store *s, struct sd_sync_status *st);
void sd_sync_status_free(struct sd_sync_status *st);

/* Take a block of numbers now (online). */
int sd_sync_lease(struct sd_store *s, const struct sd_sync_opts *o, sd_sync_line_fn fn, void *arg);
/* This site becomes the hub: sd.site and sd.hub unset, later leases above
 * every number ever seen. */
int sd_sync_promote(struct sd_store *s, const struct sd_sync_opts *o);
/* Make DIR a site of the hub at url, named site: clone (objects checked
 * on receipt), the files written, the first lease taken. */
int sd_sync_enroll(const char *url, const char *dir, const char *site,
    const struct sd_sync_opts *o);

#endif
