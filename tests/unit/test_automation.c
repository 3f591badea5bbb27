/*
 * Automation runs once (lib/automation.c): which work sd_automation_here
 * keeps at the hub, at a site (git config sd.site) of a desk whose sd.ini
 * has [sync] automation = hub; everywhere else, all of it runs.
 */
#include <git2.h>

#include "unit.h"
#include "sd/sync.h"

static char dir[] = "/tmp/sd-unit-automation.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	git_libgit2_init();
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	git_libgit2_shutdown();
	return system(cmd) == 0 ? 0 : -1;
}

/* A store named name whose sd.ini ends with sync ("" for no [sync]), a
 * site named site (NULL: none), opened. */
static struct sd_store *
store(const char *name, const char *sync, const char *site)
{
	char root[256], ini[1024];
	const char *texts[4] = { ini, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI };
	struct sd_store *s = NULL;

	snprintf(root, sizeof(root), "%s/%s", dir, name);
	snprintf(ini, sizeof(ini), "%s%s", UNIT_SD_INI, sync);
	assert_ok(sd_store_init(root, texts, NULL, NULL, 1795000000));
	if (site) {
		git_repository *repo = NULL;
		git_config *cfg = NULL;
		char git[300];

		snprintf(git, sizeof(git), "%s/.git", root);
		assert_int_equal(git_repository_open(&repo, git), 0);
		assert_int_equal(git_repository_config(&cfg, repo), 0);
		assert_int_equal(git_config_set_string(cfg, "sd.site", site), 0);
		git_config_free(cfg);
		git_repository_free(repo);
	}
	assert_ok(sd_store_open(&s, root, 0));
	return s;
}

/* Every kind of work, and whether a site with automation = hub does it. */
static const struct {
	enum sd_automation what;
	int at_site;
} kinds[] = {
	{ SD_AUTO_CLOSE, 0 },
	{ SD_AUTO_SLA_ALERT, 0 },
	{ SD_AUTO_SLA_LIST, 1 },
	{ SD_AUTO_MAIL_IN, 0 },
	{ SD_AUTO_MAIL_FLUSH, 0 },
	{ SD_AUTO_MAIL_AFTER, 0 },
	{ SD_AUTO_HOOK_MAIL, 0 },
	{ SD_AUTO_HOOK, 1 },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static void
all_here(struct sd_store *s)
{
	for (size_t i = 0; i < NKINDS; i++)
		assert_int_equal(sd_automation_here(s, kinds[i].what), 1);
}

/* A site of a desk whose hub does the automation: the listing of sd-sla
 * and a hook's other work alone; a value outside the table is no
 * automation. */
static void
test_site_hub(void **state)
{
	struct sd_store *s = store("site-hub", "[sync]\nautomation = hub\n", "bog");

	(void)state;
	assert_int_equal(sd_sync_automation_here(s), 0);
	for (size_t i = 0; i < NKINDS; i++)
		assert_int_equal(sd_automation_here(s, kinds[i].what), kinds[i].at_site);
	assert_int_equal(sd_automation_here(s, (enum sd_automation)99), 1);
	sd_store_free(s);
}

/* [sync] without automation: hub, the default. */
static void
test_site_default(void **state)
{
	struct sd_store *s = store("site-default", "[sync]\nlease = 1000\n", "bog");

	(void)state;
	assert_int_equal(sd_automation_here(s, SD_AUTO_CLOSE), 0);
	assert_int_equal(sd_automation_here(s, SD_AUTO_MAIL_IN), 0);
	assert_int_equal(sd_automation_here(s, SD_AUTO_SLA_LIST), 1);
	sd_store_free(s);
}

/* automation = everywhere at a site; the hub; a store without [sync]
 * whose git config names a site: all of it runs. */
static void
test_elsewhere(void **state)
{
	struct sd_store *s;

	(void)state;
	all_here(s = store("site-everywhere", "[sync]\nautomation = everywhere\n", "bog"));
	sd_store_free(s);
	all_here(s = store("hub", "[sync]\nautomation = hub\n", NULL));
	sd_store_free(s);
	all_here(s = store("alone", "", "bog"));
	sd_store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_hub),
		cmocka_unit_test(test_site_default),
		cmocka_unit_test(test_elsewhere),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
