#ifndef SD_DESK_H
#define SD_DESK_H

#include "sd/id.h"
#include "sd/store.h"

/* What sd-new is given; NULL for what was not. */
struct sd_new_params {
	const char *type, *title, *requester, *category, *urgency, *impact;
	const char *channel, *email, *phone, *related, *description;
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
 * pending-info ticket now complete becomes new. */
int sd_desk_update(struct sd_store *s, const struct sd_agent *agent, long n,
    const struct sd_update_params *p);

/* The fields of `required` (sd.ini) that t lacks, space-separated in
 * *missing (static storage); returns how many. */
int sd_desk_missing(const struct sd_ticket *t, const struct sd_config *cfg,
    const char **missing);

/* Run hooks/ACTION of the store for ticket id (NULL: none) with the
 * environment of SPEC section 9, stdin from input (NULL: /dev/null).  A
 * hook that is not there is no error; one that fails is SD_EIO. */
int sd_desk_hook(const struct sd_store *s, const char *action, const char *id,
    const struct sd_agent *agent, const char *input);

#endif
