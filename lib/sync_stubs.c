/*
 * Stand-ins for the parts of sd-sync other branches write (the replay,
 * sites.ini and its leases, enrolling a site): removed when they are
 * merged.
 */
#include <string.h>

#include "internal.h"
#include "sync_internal.h"
#include "sd/error.h"

static int
missing(const char *what)
{
	return sd_error_set(SD_EIO, "%s: not built in this version", what);
}

int
sd__sync_replay(git_repository *repo, const struct sd__replay_in *in, git_oid *out,
    sd_sync_line_fn fn, void *arg)
{
	(void)repo; (void)in; (void)out; (void)fn; (void)arg;
	return missing("replay");
}

int
sd_sync_enroll(const char *url, const char *dir, const char *site,
    const struct sd_sync_opts *o)
{
	(void)url; (void)dir; (void)site; (void)o;
	return missing("enroll");
}
