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
sd__sites_parse(struct sd__sites *out, const char *text, size_t len)
{
	(void)text; (void)len;
	memset(out, 0, sizeof(*out));
	return 0;
}

void
sd__sites_free(struct sd__sites *s)
{
	(void)s;
}

const struct sd__site *
sd__sites_find(const struct sd__sites *s, const char *name)
{
	(void)s; (void)name;
	return NULL;
}

int
sd__sync_lease_commit(struct sd_store *s, const struct sd_agent *agent, const char *site,
    long *first, long *last)
{
	(void)s; (void)agent; (void)site; (void)first; (void)last;
	return missing("lease");
}

int
sd_sync_enroll(const char *url, const char *dir, const char *site,
    const struct sd_sync_opts *o)
{
	(void)url; (void)dir; (void)site; (void)o;
	return missing("enroll");
}
