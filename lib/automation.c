/*
 * Automation runs once: with [sync] automation = hub, what acts for the
 * whole desk (closing what is due, SLA alerts, mail in and out) acts at
 * the hub alone, never at a site as well.  The table says which work is
 * such automation; everything else runs wherever it is asked.
 */
#include "internal.h"
#include "store_internal.h"
#include "sd/sync.h"

/* Work by enum sd_automation: 1 when [sync] automation = hub keeps it at
 * the hub. */
static const unsigned char at_hub[] = {
	[SD_AUTO_CLOSE] = 1,            /* sd-close --auto: closes, unmanaged, reminders */
	[SD_AUTO_SLA_ALERT] = 1,        /* sd-sla --new-only's state, hooks/sla */
	[SD_AUTO_SLA_LIST] = 0,         /* sd-sla's listing: each machine may look */
	[SD_AUTO_MAIL_IN] = 1,          /* sd-mail reading a message */
	[SD_AUTO_MAIL_FLUSH] = 1,       /* sd-mail --flush: the queue sent */
	[SD_AUTO_MAIL_AFTER] = 1,       /* the mail an action sends after its commit */
	[SD_AUTO_HOOK_MAIL] = 1,        /* the mail hooks send (share/hooks/mail.sh) */
	[SD_AUTO_HOOK] = 0,             /* a hook's other work */
};

int
sd_automation_here(const struct sd_store *s, enum sd_automation what)
{
	if ((unsigned)what >= sizeof(at_hub) || !at_hub[what])
		return 1;
	/* Asks the repository's git config, which changes nothing of s. */
	return sd_sync_automation_here((struct sd_store *)s);
}
