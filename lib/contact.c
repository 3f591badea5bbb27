/*
 * The contact rule (ICETEX's procedure): the desk may solve a ticket
 * whose requester it cannot reach, code no-contact, only after
 * [lifecycle] contact_attempts failed attempts to reach them since the
 * ticket was registered or last reopened; the acceptance window then
 * runs as for any solve.
 */

#include <string.h>

#include "internal.h"
#include "sd/config.h"
#include "sd/desk.h"
#include "sd/ticket.h"

int
sd_desk_contact_attempts(const struct sd_ticket *t)
{
	size_t n = sd_ticket_event_count(t);
	int count = 0;

	/* A reopening is the requester's answer: what came before it no
	 * longer shows that they cannot be reached. */
	for (size_t i = n; i-- > 0;) {
		const char *action = sd_ticket_event_get(t, i, "action");
		const char *yes = sd_ticket_event_get(t, i, "contact_attempt");

		if (action && !strcmp(action, "reopen"))
			break;
		if (action && !strcmp(action, "note") && yes && !strcmp(yes, "yes"))
			count++;
	}
	return count;
}

int
sd_desk_no_contact(const struct sd_ticket *t, const struct sd_config *cfg)
{
	int need = sd_config_contact_attempts(cfg), have = sd_desk_contact_attempts(t);

	if (have >= need)
		return 0;
	return sd_error_set(SD_EINVALID,
	    _("no-contact needs %d failed contact attempts (sd-note --contact-attempt) "
	    "since the ticket was registered or reopened; it has %d"), need, have);
}
