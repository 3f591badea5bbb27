#ifndef SD_EDIT_H
#define SD_EDIT_H

#include "sd/store.h"

/*
 * sd-edit over a file that may have been changed by hand (SPEC section 11):
 * the editor starts from the file as it is on disk, so that a hand change
 * can be kept, but what the result is checked against is HEAD's version,
 * the one sd wrote.  (Which file an argument names: sd_desk_edit_target.)
 */

/* The text of rel (ticket n's file when n > 0) in HEAD, *head, and on
 * disk, *disk: NULL when the file is not there, a hand change when it
 * differs from *head.  SD_ENOTFOUND when HEAD has no rel ("no such
 * ticket"); SD_EINVALID when a NUL byte is in it, or something else than
 * a regular file stands in its place. */
int sd_edit_texts(struct sd_store *s, long n, const char *rel, char **head,
    char **disk);

/* Check text, an edited version of rel, against head, HEAD's: a ticket is
 * not final, keeps its id and status and every field is valid
 * (SD_EINVALID); a configuration file loads with the others (SD_ECONFIG)
 * and is edited by a coordinator alone (SD_EPERM).  A problem of text
 * that has a line is told as `rel: draft line N: what`.  Given head as
 * text, whether agent may edit rel at all. */
int sd_edit_check(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *rel, const char *head, const char *text);

/* Under the lock, if rel still holds disk (NULL: not there; SD_EBUSY if it
 * changed meanwhile): commit text as one change, action edit, over a hand
 * change of rel.  A ticket gets an edit event naming the fields changed
 * from HEAD's version, its priority and due dates recomputed.  Returns 1,
 * and commits nothing, when text is HEAD's version, or a ticket comes out
 * of it as it was but for its updated time (a due date the clock gives
 * back, a blank moved); a hand change on disk is then undone. */
int sd_edit_commit(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *rel, const char *disk, const char *text);

#endif
