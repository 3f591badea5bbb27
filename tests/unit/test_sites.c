/*
 * sites.ini (lib/sites.c): strict parsing with the line of each defect,
 * which numbers a site or the hub may give, leases and new sites, and the
 * text written back.
 */
#include <git2.h>

#include "unit.h"
#include "sync_internal.h"

static const char two[] =
    "[site bog]\n"
    "number = 1\n"
    "blocks = 1001-2000, 3001-4000\n"
    "\n"
    "[site lim]\n"
    "number = 2\n"
    "blocks = 2001-3000\n";

static void
parse_ok(struct sd__sites *s, const char *text)
{
	assert_ok(sd__sites_parse(s, text, strlen(text)));
}

static void
test_parse(void **state)
{
	struct sd__sites s;

	(void)state;
	parse_ok(&s, two);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].name, "bog");
	assert_int_equal(s.v[0].number, 1);
	assert_int_equal(s.v[0].nblocks, 2);
	assert_int_equal(s.v[0].blocks[0][0], 1001);
	assert_int_equal(s.v[0].blocks[0][1], 2000);
	assert_int_equal(s.v[0].blocks[1][0], 3001);
	assert_int_equal(s.v[0].blocks[1][1], 4000);
	assert_string_equal(s.v[1].name, "lim");
	assert_int_equal(s.v[1].number, 2);
	assert_int_equal(s.v[1].nblocks, 1);
	assert_non_null(sd__sites_find(&s, "lim"));
	assert_null(sd__sites_find(&s, "mex"));
	assert_int_equal(sd__sites_max(&s), 4000);
	sd__sites_free(&s);
	/* None at all, or an empty file: no site. */
	assert_ok(sd__sites_parse(&s, NULL, 0));
	assert_int_equal(s.n, 0);
	parse_ok(&s, "# no site yet\n\n");
	assert_int_equal(s.n, 0);
	/* A comment, a site without blocks yet. */
	parse_ok(&s, "; sites\n[site a-1]\nnumber = 7\nblocks =\n");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].number, 7);
	assert_int_equal(s.v[0].nblocks, 0);
	sd__sites_free(&s);
}

static void
test_parse_bad(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "number = 1\n", "sites.ini:1: a key before any [site NAME] section" },
		{ "[site Bog]\n", "sites.ini:1: not a [site NAME] section (NAME: lowercase "
		  "letters, digits and '-', 32 at most)" },
		{ "[sitebog]\n", "sites.ini:1: not a [site NAME] section (NAME: lowercase "
		  "letters, digits and '-', 32 at most)" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10\n[site bog]\n",
		  "sites.ini:4: a second section for this site" },
		{ "[site bog]\nnumber = 0\n", "sites.ini:2: number: not a whole number from 1 to 999999" },
		{ "[site bog]\nnumber = 01\n", "sites.ini:2: number: not a whole number from 1 to 999999" },
		{ "[site bog]\nnumber = 1000000\n",
		  "sites.ini:2: number: not a whole number from 1 to 999999" },
		{ "[site bog]\nnumber = 1\nnumber = 2\n", "sites.ini:3: number given twice" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10\n[site lim]\nnumber = 1\n",
		  "sites.ini:5: number: another site has it" },
		{ "[site bog]\nnumber=1\n", "sites.ini:2: not a key = value line" },
		{ "[site bog]\nnumber x = 1\n", "sites.ini:2: not a key = value line" },
		{ "[site bog]\ncolour = red\n", "sites.ini:2: not a key of sites.ini (number, blocks)" },
		{ "[site bog]\nnumber = 1\nblocks = 10-1\n",
		  "sites.ini:3: blocks: a block that ends before it starts" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10, 5-20\n",
		  "sites.ini:3: blocks: not ascending and disjoint" },
		{ "[site bog]\nnumber = 1\nblocks = 11-20, 1-10\n",
		  "sites.ini:3: blocks: not ascending and disjoint" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10,11-20\n",
		  "sites.ini:3: blocks: not a list of FIRST-LAST, below 1000000000" },
		{ "[site bog]\nnumber = 1\nblocks = 1-1000000000\n",
		  "sites.ini:3: blocks: not a list of FIRST-LAST, below 1000000000" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10, \n",
		  "sites.ini:3: blocks: not a list of FIRST-LAST, below 1000000000" },
		{ "[site bog]\nnumber = 1\nblocks = 1-10\n\n[site lim]\nnumber = 2\nblocks = 10-20\n",
		  "sites.ini:7: blocks: a block overlaps another site's" },
		{ "[site bog]\nblocks = 1-10\n[site lim]\n", "sites.ini:3: the site before has no number" },
		{ "[site bog]\nnumber = 1\n[site lim]\n", "sites.ini:3: the site before has no blocks" },
		{ "[site bog]\nnumber = 1\n", "sites.ini:2: the last site has no blocks" },
		{ "[site bog]\nnumber = 1\r\n", "sites.ini:2: a control character" },
	};
	struct sd__sites s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = sd__sites_parse(&s, cases[i].text, strlen(cases[i].text));
		if (rc != SD_EINVALID || strcmp(sd_error_message(), cases[i].msg))
			fail_msg("case %zu: %d %s", i, rc, sd_error_message());
		assert_int_equal(s.n, 0);
	}
}

static void
test_may_number(void **state)
{
	struct sd__sites s, none = { 0 };

	(void)state;
	parse_ok(&s, two);
	/* bog: its two blocks and 1000000001..1999999999. */
	assert_true(sd__sites_may_number(&s, "bog", 1001));
	assert_true(sd__sites_may_number(&s, "bog", 2000));
	assert_true(sd__sites_may_number(&s, "bog", 3001));
	assert_true(sd__sites_may_number(&s, "bog", 4000));
	assert_false(sd__sites_may_number(&s, "bog", 1000));
	assert_false(sd__sites_may_number(&s, "bog", 2001));
	assert_false(sd__sites_may_number(&s, "bog", 4001));
	assert_false(sd__sites_may_number(&s, "bog", 1000000000));
	assert_true(sd__sites_may_number(&s, "bog", 1000000001));
	assert_true(sd__sites_may_number(&s, "bog", 1999999999));
	assert_false(sd__sites_may_number(&s, "bog", 2000000000));
	assert_false(sd__sites_may_number(&s, "bog", 2000000001));
	/* lim: 2001..3000 and 2000000001..2999999999. */
	assert_true(sd__sites_may_number(&s, "lim", 2500));
	assert_false(sd__sites_may_number(&s, "lim", 1500));
	assert_true(sd__sites_may_number(&s, "lim", 2000000001));
	assert_false(sd__sites_may_number(&s, "lim", 1000000001));
	/* A site sites.ini does not know gives nothing. */
	assert_false(sd__sites_may_number(&s, "mex", 5000));
	assert_false(sd__sites_may_number(&none, "bog", 1));
	/* The hub: outside every block and overflow range. */
	assert_true(sd__sites_may_number(&s, NULL, 1));
	assert_true(sd__sites_may_number(&s, NULL, 1000));
	assert_false(sd__sites_may_number(&s, NULL, 1001));
	assert_false(sd__sites_may_number(&s, NULL, 2500));
	assert_false(sd__sites_may_number(&s, NULL, 4000));
	assert_true(sd__sites_may_number(&s, NULL, 4001));
	assert_true(sd__sites_may_number(&s, NULL, 1000000000));
	assert_false(sd__sites_may_number(&s, NULL, 1000000001));
	assert_false(sd__sites_may_number(&s, NULL, 2999999999));
	assert_true(sd__sites_may_number(&s, NULL, 3000000001));
	assert_false(sd__sites_may_number(&s, NULL, 0));
	assert_true(sd__sites_may_number(&none, NULL, 1001));
	sd__sites_free(&s);
}

static void
test_lease(void **state)
{
	struct sd__sites s, t, none = { 0 };
	char *text;
	long a, b;

	(void)state;
	parse_ok(&s, two);
	/* Above every block (4000) and max_seen: 4001..5000. */
	assert_ok(sd__sites_lease(&text, &s, "lim", 1000, 3500, &a, &b));
	assert_int_equal(a, 4001);
	assert_int_equal(b, 5000);
	assert_string_equal(text,
	    "[site bog]\nnumber = 1\nblocks = 1001-2000, 3001-4000\n\n"
	    "[site lim]\nnumber = 2\nblocks = 2001-3000, 4001-5000\n");
	free(text);
	/* max_seen 4001 rounds up to the next multiple, plus 1. */
	assert_ok(sd__sites_lease(&text, &s, "bog", 1000, 4001, &a, &b));
	assert_int_equal(a, 5001);
	assert_int_equal(b, 6000);
	free(text);
	/* max_seen 6000 exactly: 6001. */
	assert_ok(sd__sites_lease(&text, &s, "bog", 1000, 6000, &a, &b));
	assert_int_equal(a, 6001);
	free(text);
	/* A new site: number max+1 = 3, its first block. */
	assert_ok(sd__sites_lease(&text, &s, "mex", 500, 0, &a, &b));
	assert_int_equal(a, 4001);
	assert_int_equal(b, 4500);
	parse_ok(&t, text);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[2].name, "mex");
	assert_int_equal(t.v[2].number, 3);
	assert_int_equal(t.v[2].nblocks, 1);
	sd__sites_free(&t);
	free(text);
	/* The first site of a desk with no ticket: 1..1000, number 1. */
	assert_ok(sd__sites_lease(&text, &none, "bog", 1000, 0, &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 1000);
	assert_string_equal(text, "[site bog]\nnumber = 1\nblocks = 1-1000\n");
	free(text);
	/* Three tickets at the hub: 1001. */
	assert_ok(sd__sites_lease(&text, &none, "bog", 1000, 3, &a, &b));
	assert_int_equal(a, 1001);
	free(text);
	/* Nothing left below 10^9. */
	assert_fails(sd__sites_lease(&text, &none, "bog", 1000, 999998001, &a, &b), SD_EINVALID,
	    "no block of 1000 numbers is left below 1000000000");
	assert_ok(sd__sites_lease(&text, &none, "bog", 1000, 999998000, &a, &b));
	assert_int_equal(a, 999998001);
	assert_int_equal(b, 999999000);
	free(text);
	assert_fails(sd__sites_lease(&text, &none, "Bog", 1000, 0, &a, &b), SD_EINVALID,
	    "Bog: not a site's name (lowercase letters, digits and '-', 32 at most)");
	sd__sites_free(&s);
}

static void
test_round_trip(void **state)
{
	static const char *const texts[] = {
		"",
		"[site bog]\nnumber = 1\nblocks = 1001-2000, 3001-4000\n\n"
		"[site lim]\nnumber = 2\nblocks = 2001-3000\n",
		"[site x]\nnumber = 999999\nblocks =\n",
		"[site a]\nnumber = 4\nblocks = 1-1\n\n[site b]\nnumber = 2\nblocks = 2-999999999\n",
	};
	struct sd__sites s;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		parse_ok(&s, texts[i]);
		assert_ok(sd__sites_write(&text, &s));
		assert_string_equal(text, texts[i]);
		free(text);
		sd__sites_free(&s);
	}
	/* Written from a spacier text, the same canonical one. */
	parse_ok(&s, "[site bog]   \nnumber = 1\n\n\n# c\nblocks = 5-9\n");
	assert_ok(sd__sites_write(&text, &s));
	assert_string_equal(text, "[site bog]\nnumber = 1\nblocks = 5-9\n");
	free(text);
	sd__sites_free(&s);
}

static char dir[] = "/tmp/sd-unit-sites.XXXXXX";

static void
told(const struct sd_fsck_finding *f, void *arg)
{
	(void)arg;
	print_message("# %s\n", f->message);
}

/* HEAD's message of the store at root. */
static char *
head_message(const char *root)
{
	git_repository *r = NULL;
	git_object *o = NULL;
	char *m;

	assert_int_equal(git_repository_open(&r, root), 0);
	assert_int_equal(git_revparse_single(&o, r, "HEAD"), 0);
	m = strdup(git_commit_message((git_commit *)o));
	git_object_free(o);
	git_repository_free(r);
	return m;
}

static void
set_site(const char *root, const char *site)
{
	git_repository *r = NULL;
	git_config *c = NULL;

	assert_int_equal(git_repository_open(&r, root), 0);
	assert_int_equal(git_repository_config(&c, r), 0);
	if (site)
		assert_int_equal(git_config_set_string(c, "sd.site", site), 0);
	else
		git_config_delete_entry(c, "sd.site");
	git_config_free(c);
	git_repository_free(r);
}

/* Lease commits in a real store, the numbers they give, and the hook's
 * check of them (sd_fsck_commits). */
static void
test_lease_commit(void **state)
{
	static const char *const texts[4] = {
		UNIT_SD_INI "[sync]\nlease = 10\n", UNIT_SLA_INI, UNIT_AGENTS_INI,
		UNIT_ESCALATION_INI
	};
	struct sd_store *s = NULL;
	const struct sd_agent *ana;
	char root[256], git[300], *m;
	long a, b, n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(root, sizeof(root), "%s/store", dir);
	snprintf(git, sizeof(git), "%s/.git", root);
	assert_ok(sd_store_init(root, texts, NULL, NULL, 1795000000));
	assert_ok(sd_store_open(&s, root, 0));
	ana = sd_config_agent(sd_store_config(s), "ana");
	/* The hub with [sync] and no site: 1. */
	assert_ok(sd_store_next_id(s, &n));
	assert_int_equal(n, 1);
	assert_ok(sd__sync_lease_commit(s, ana, "bog", &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 10);
	m = head_message(root);
	assert_string_equal(m, "lease 1-10 to bog\n\nAction: lease\nSite: bog\n");
	free(m);
	assert_ok(sd__sync_lease_commit(s, ana, "lim", &a, &b));
	assert_int_equal(a, 11);
	assert_int_equal(b, 20);
	assert_ok(sd__sync_lease_commit(s, ana, "bog", &a, &b));
	assert_int_equal(a, 21);
	assert_int_equal(b, 30);
	/* The hub: above every block. */
	assert_ok(sd_store_next_id(s, &n));
	assert_int_equal(n, 31);
	sd_store_free(s);
	/* The site bog: its first block's first number. */
	set_site(root, "bog");
	assert_ok(sd_store_open(&s, root, 0));
	ana = sd_config_agent(sd_store_config(s), "ana");
	assert_ok(sd_store_next_id(s, &n));
	assert_int_equal(n, 1);
	/* A lease taken at the site says Site: bog as well. */
	assert_ok(sd__sync_lease_commit(s, ana, "bog", &a, &b));
	assert_int_equal(a, 31);
	m = head_message(root);
	assert_string_equal(m, "lease 31-40 to bog\n\nAction: lease\nSite: bog\n");
	free(m);
	sd_store_free(s);
	/* A site sites.ini does not know. */
	set_site(root, "mex");
	assert_ok(sd_store_open(&s, root, 0));
	assert_fails(sd_store_next_id(s, &n), SD_EBUSY,
	    "this site has no block of numbers yet: run sd-sync --lease");
	sd_store_free(s);
	set_site(root, NULL);
	/* The hook takes every one of them. */
	assert_ok(sd_fsck_commits(git, "HEAD", 0, told, NULL));
	{
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_may_number),
		cmocka_unit_test(test_lease),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_lease_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
