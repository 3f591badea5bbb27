/*
 * Which store is a site of a desk and which the hub: machine-local, the
 * git config of the store's repository (sd.site, sd.hub), never in a
 * commit; and whether automation may act here ([sync] automation).
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/error.h"
#include "sd/sync.h"

/* A site's name: lowercase letters, digits and '-', 1 to 32. */
static int
site_name_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= SD_SITE_MAX)
		return 0;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

/* git config key of the store's repository, a caller's copy; 0 and NULL
 * when unset. */
static int
local_config(struct sd_store *s, const char *key, char **out)
{
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	int rc = 0;

	*out = NULL;
	if (git_repository_config(&cfg, s->repo) == 0 &&
	    git_config_get_string_buf(&v, cfg, key) == 0 && !(*out = sd__strdup(v.ptr)))
		rc = sd__oom();
	git_buf_dispose(&v);
	git_config_free(cfg);
	git_error_clear();
	return rc;
}

int
sd_store_site(struct sd_store *s, char name[SD_SITE_MAX])
{
	char *v;
	int rc = local_config(s, "sd.site", &v);

	name[0] = '\0';
	if (rc < 0 || !v)
		return rc;
	if (!site_name_ok(v))
		rc = sd_error_set(SD_ECONFIG, _("git config sd.site must be a name of lowercase "
		    "letters, digits and '-', 32 at most, not '%s'"), v);
	else
		memcpy(name, v, strlen(v) + 1);
	free(v);
	return rc < 0 ? rc : 1;
}

int
sd_store_hub_url(struct sd_store *s, char **url)
{
	int rc = local_config(s, "sd.hub", url);

	if (rc == 0 && (!*url || !**url)) {
		free(*url);
		*url = NULL;
		rc = sd_error_set(SD_ENOTFOUND, "%s", _("no hub: git config sd.hub is not set "
		    "(make a site with sd-sync --enroll)"));
	}
	return rc;
}

int
sd_sync_automation_here(struct sd_store *s)
{
	const struct sd_sync_config *sc = sd_config_sync(s->cfg);
	char name[SD_SITE_MAX];

	if (!sc->given || !sc->automation_hub)
		return 1;
	return sd_store_site(s, name) != 1;
}

int
sd__site_name_ok(const char *name)
{
	return site_name_ok(name);
}
