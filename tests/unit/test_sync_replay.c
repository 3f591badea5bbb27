/*
 * lib/sync_replay.c: a site's commits replayed onto the hub's head, in
 * real stores made by the built commands (SD_TOP/build/bin): one store,
 * its branch set back to the merge base for the site's commits, so that
 * base..tip and base..onto are the two sides.  Each result is held to
 * the hook's check (sd_fsck_commits) and to hand-written expectations;
 * also the rules, clocks and steps the replay leans on.
 */
#include <ftw.h>
#include <git2.h>
#include <sys/stat.h>

#include "unit.h"
#include "internal.h"
#include "sync_internal.h"

static char top[] = "/tmp/sd-unit-replay.XXXXXX";

/* The hook's clock: the day after the events of these tests. */
#define HOOK_NOW ((time_t)1772514000)

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

/* sh -c cmd in top, quietly; fail unless it exits 0. */
static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	char cmd[4096], full[4400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd %s && (%s) >/dev/null 2>%s/err", top, cmd, top);
	if (system(full) != 0) {
		char err[512] = "";
		FILE *f;
		snprintf(full, sizeof(full), "%s/err", top);
		if ((f = fopen(full, "r"))) {
			size_t n = fread(err, 1, sizeof(err) - 1, f);
			err[n] = '\0';
			fclose(f);
		}
		fail_msg("%s: failed: %s", cmd, err);
	}
}

/* A command of sd in store st, by agent at now (-05:00 on 2026-03-02). */
static void
sd(const char *st, const char *agent, const char *hhmm, const char *cmd)
{
	sh("SD_STORE=%s/%s SD_AGENT=%s SD_NOW=2026-03-02T%s:00-05:00 %s", top, st, agent, hhmm,
	    cmd);
}

static void
mk(const char *st)
{
	sh("SD_AGENT=carmen SD_NOW=2026-03-02T07:00:00-05:00 sd-init --example %s", st);
}

/* A printer incident, priority 1 (4bh to solve, from 08:00: 12:00). */
static void
incident(const char *st, const char *hhmm, const char *title)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "sd-new -t incident -s '%s' -r Pedro --email p@example.org "
	    "-c hardware/printer -u high -i high -m jams", title);
	sd(st, "ana", hhmm, cmd);
}

struct side {
	git_repository *repo;
	git_oid base, onto, tip, out;
	char dir[512];
};

static void
head(struct side *s, git_oid *id)
{
	if (!s->repo) {
		snprintf(s->dir, sizeof(s->dir), "%s/%s", top, "x");
		fail_msg("no repository");
	}
	assert_int_equal(git_reference_name_to_id(id, s->repo, "refs/heads/main"), 0);
}

static void
open_side(struct side *s, const char *st)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/%s", top, st);
	assert_int_equal(git_repository_open(&s->repo, s->dir), 0);
}

/* The branch back to the base: the site's commits follow from there. */
static void
to_base(struct side *s)
{
	char hex[GIT_OID_HEXSZ + 1];

	head(s, &s->onto);
	git_oid_tostr(hex, sizeof(hex), &s->base);
	sh("git -C %s update-ref refs/heads/main %s", s->dir, hex);
}

struct lines {
	char v[16][300];
	int n;
};

static void
collect(const struct sd_sync_line *l, void *arg)
{
	struct lines *x = arg;

	if (x->n < 16)
		snprintf(x->v[x->n++], sizeof(x->v[0]), "%s\t%s\t%s", l->kind, l->id, l->detail);
}

static void
fsck_say(const struct sd_fsck_finding *f, void *arg)
{
	(void)arg;
	print_message("# fsck: %s: %s\n", f->path ? f->path : "", f->message);
}

/* The file path at commit id (a caller's copy), or NULL. */
static char *
file_at(struct side *s, const git_oid *id, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *text = NULL;

	if (git_commit_lookup(&c, s->repo, id) == 0 && git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_blob_lookup(&b, s->repo, git_tree_entry_id(e)) == 0)
		text = strndup(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return text;
}

static struct sd_ticket *
ticket_at(struct side *s, const git_oid *id, int n)
{
	struct sd_ticket *t = NULL;
	char path[64], *text;

	snprintf(path, sizeof(path), "tickets/000/SD-%d.ini", n);
	text = file_at(s, id, path);
	if (!text)
		fail_msg("%s: not in the tree", path);
	assert_ok(sd_ticket_parse(&t, text, strlen(text), path, SD_PARSE_FULL));
	free(text);
	return t;
}

/* Replay base..tip onto onto; then every commit onto..out is one of the
 * site's, its author and date kept, committer = author, its trailers
 * there, and passes the hook's check; returns how many. */
static int
replay_as(struct side *s, struct lines *l, const char *site);

static int
replay(struct side *s, struct lines *l)
{
	return replay_as(s, l, NULL);
}

static int
replay_as(struct side *s, struct lines *l, const char *site)
{
	struct sd__replay_in in;
	char range[100], a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	git_oid id;
	int n = 0;

	head(s, &s->tip);
	memset(&in, 0, sizeof(in));
	in.base = s->base;
	in.tip = s->tip;
	in.onto = s->onto;
	in.site = site;
	in.now = "2026-03-02T18:00:00-05:00";
	memset(l, 0, sizeof(*l));
	assert_ok(sd__sync_replay(s->repo, &in, &s->out, collect, l));
	/* No ref moved. */
	head(s, &id);
	assert_true(git_oid_equal(&id, &s->tip));
	for (git_oid_cpy(&id, &s->out); !git_oid_equal(&id, &s->onto); n++) {
		git_commit *c = NULL, *orig = NULL;
		const char *msg, *rf;
		git_oid o;

		assert_int_equal(git_commit_lookup(&c, s->repo, &id), 0);
		assert_int_equal(git_commit_parentcount(c), 1);
		msg = git_commit_message(c);
		if (site) {
			const char *x = strstr(msg, "\nSite: bog\n");
			assert_non_null(x);
			assert_null(strstr(x + 1, "\nSite: bog\n"));
		}
		assert_non_null(strstr(msg, "\nAction: "));
		assert_non_null(rf = strstr(msg, "\nReplayed-From: "));
		assert_int_equal(git_oid_fromstrn(&o, rf + 16, GIT_OID_HEXSZ), 0);
		assert_string_equal(rf + 16 + GIT_OID_HEXSZ, "\n");
		assert_int_equal(git_commit_lookup(&orig, s->repo, &o), 0);
		/* The site's own: the same message before the trailers added. */
		assert_int_equal(strncmp(msg, git_commit_message(orig),
		    strlen(git_commit_message(orig))), 0);
		assert_string_equal(git_commit_author(c)->name, git_commit_author(orig)->name);
		assert_string_equal(git_commit_author(c)->email, git_commit_author(orig)->email);
		assert_int_equal(git_commit_author(c)->when.time, git_commit_author(orig)->when.time);
		assert_int_equal(git_commit_author(c)->when.offset,
		    git_commit_author(orig)->when.offset);
		assert_string_equal(git_commit_committer(c)->email, git_commit_author(c)->email);
		assert_int_equal(git_commit_committer(c)->when.time, git_commit_author(c)->when.time);
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(orig);
		git_commit_free(c);
	}
	git_oid_tostr(a, sizeof(a), &s->onto);
	git_oid_tostr(b, sizeof(b), &s->out);
	snprintf(range, sizeof(range), "%s..%s", a, b);
	/* The hook's check; with Site: it wants a sites.ini (lib/verify.c),
	 * which these stores have not: held to it without. */
	if (!site)
		assert_int_equal(sd_fsck_commits(s->dir, range, HOOK_NOW, fsck_say, NULL), 0);
	return n;
}

static void
close_side(struct side *s)
{
	git_repository_free(s->repo);
	s->repo = NULL;
}

static int
setup(void **state)
{
	const char *t = getenv("SD_TOP");
	char path[4096];

	(void)state;
	if (!t || !mkdtemp(top))
		return -1;
	snprintf(path, sizeof(path), "%s/build/bin:%s", t, getenv("PATH") ? getenv("PATH") : "");
	setenv("PATH", path, 1);
	snprintf(path, sizeof(path), "%s/share", t);
	setenv("SD_SHAREDIR", path, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	git_libgit2_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
	return 0;
}

/* The hub changed SD-1, the site SD-2: each taken as its side has it,
 * the site's blob byte for byte. */
static void
test_fast_path(void **state)
{
	struct side s;
	struct lines l;
	char *a, *b;

	(void)state;
	mk("fast");
	incident("fast", "08:00", "one");
	incident("fast", "08:05", "two");
	open_side(&s, "fast");
	head(&s, &s.base);
	sd("fast", "ana", "11:00", "sd-note -m 'at the hub' SD-1");
	to_base(&s);
	sd("fast", "luis", "10:00", "sd-note -m 'at the site' SD-2");
	assert_int_equal(replay(&s, &l), 1);
	assert_int_equal(l.n, 0);
	a = file_at(&s, &s.tip, "tickets/000/SD-2.ini");
	b = file_at(&s, &s.out, "tickets/000/SD-2.ini");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = file_at(&s, &s.onto, "tickets/000/SD-1.ini");
	b = file_at(&s, &s.out, "tickets/000/SD-1.ini");
	assert_string_equal(a, b);
	free(a);
	free(b);
	close_side(&s);
}

/* An assign at the hub and a note at the site: both kept, in order. */
static void
test_assign_note(void **state)
{
	struct side s;
	struct lines l;
	struct sd_ticket *t;

	(void)state;
	mk("an");
	incident("an", "08:00", "one");
	open_side(&s, "an");
	head(&s, &s.base);
	sd("an", "carmen", "09:00", "sd-assign SD-1 ana");
	to_base(&s);
	sd("an", "luis", "10:00", "sd-note -m 'called back' SD-1");
	sd("an", "luis", "10:30", "sd-note -m 'no answer' --contact-attempt SD-1");
	assert_int_equal(replay(&s, &l), 2);
	assert_int_equal(l.n, 0);
	t = ticket_at(&s, &s.out, 1);
	assert_int_equal(sd_ticket_event_count(t), 4);
	assert_string_equal(sd_ticket_event_get(t, 1, "action"), "assign");
	assert_string_equal(sd_ticket_event_get(t, 2, "action"), "note");
	assert_string_equal(sd_ticket_event_get(t, 2, "by"), "luis");
	assert_string_equal(sd_ticket_event_get(t, 2, "at"), "2026-03-02T10:00:00-05:00");
	assert_string_equal(sd_ticket_event_get(t, 2, "text"), "called back");
	assert_string_equal(sd_ticket_event_get(t, 3, "contact_attempt"), "yes");
	assert_string_equal(sd_ticket_get(t, SD_F_ASSIGNEE), "ana");
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "assigned");
	assert_string_equal(sd_ticket_get(t, SD_F_RESPONDED), "2026-03-02T09:00:00-05:00");
	assert_string_equal(sd_ticket_get(t, SD_F_CONTACT_ATTEMPTS), "1");
	assert_string_equal(sd_ticket_get(t, SD_F_UPDATED), "2026-03-02T10:30:00-05:00");
	sd_ticket_free(t);
	close_side(&s);
}

/* Site: added to a replayed commit that lacks it, never twice. */
static void
test_site_trailer(void **state)
{
	struct side s;
	struct lines l;

	(void)state;
	mk("st");
	incident("st", "08:00", "one");
	open_side(&s, "st");
	head(&s, &s.base);
	sd("st", "ana", "11:00", "sd-note -m 'at the hub' SD-1");
	to_base(&s);
	sh("git -C st config sd.site bog");
	sd("st", "luis", "10:00", "sd-note -m 'at the site, Site: bog already' SD-1");
	sh("git -C st config --unset sd.site");
	sd("st", "luis", "10:30", "sd-note -m 'no Site: yet' SD-1");
	assert_int_equal(replay_as(&s, &l, "bog"), 2);
	close_side(&s);
}

/* Every [ticket] key and text of a equals b's. */
static void
same_fields(const struct sd_ticket *a, const struct sd_ticket *b)
{
	for (int f = 0; f < SD_F__COUNT; f++)
		if (strcmp(sd_ticket_get(a, f), sd_ticket_get(b, f)))
			fail_msg("%s: '%s', not '%s'", sd_field_name(f), sd_ticket_get(a, f),
			    sd_ticket_get(b, f));
	for (int x = 0; x < 2; x++)
		assert_string_equal(sd_ticket_text(a, x), sd_ticket_text(b, x));
}

/* The hub solved what the site assigned and suspended: both site moves
 * kept as superseded, the fields the hub's. */
static void
test_solved_superseded(void **state)
{
	struct side s;
	struct lines l;
	struct sd_ticket *t, *h;
	char hex[GIT_OID_HEXSZ + 1];

	(void)state;
	mk("sol");
	incident("sol", "08:00", "one");
	sd("sol", "carmen", "08:10", "sd-assign SD-1 ana");
	open_side(&s, "sol");
	head(&s, &s.base);
	sd("sol", "ana", "11:00", "sd-solve -m 'new toner' SD-1");
	to_base(&s);
	sd("sol", "carmen", "09:00", "sd-assign SD-1 luis");
	sd("sol", "luis", "09:30", "sd-suspend -m 'waiting for parts' SD-1");
	assert_int_equal(replay(&s, &l), 2);
	git_oid_tostr(hex, sizeof(hex), &s.onto);
	t = ticket_at(&s, &s.out, 1);
	h = ticket_at(&s, &s.onto, 1);
	same_fields(t, h);
	assert_int_equal(sd_ticket_event_count(t), sd_ticket_event_count(h) + 2);
	assert_string_equal(sd_ticket_event_get(t, 3, "action"), "assign");
	assert_string_equal(sd_ticket_event_get(t, 3, "assignee"), "luis");
	assert_string_equal(sd_ticket_event_get(t, 3, "superseded"), hex);
	assert_string_equal(sd_ticket_event_get(t, 4, "action"), "suspend");
	assert_string_equal(sd_ticket_event_get(t, 4, "at"), "2026-03-02T09:30:00-05:00");
	assert_string_equal(sd_ticket_event_get(t, 4, "to"), "suspended");
	assert_string_equal(sd_ticket_event_get(t, 4, "superseded"), hex);
	/* One line per ticket per kind. */
	assert_int_equal(l.n, 1);
	assert_int_equal(strncmp(l.v[0], "superseded\tSD-1\tassign by carmen", 32), 0);
	sd_ticket_free(t);
	sd_ticket_free(h);
	close_side(&s);
}

/* A note on a ticket closed at the hub: superseded, nothing else moves. */
static void
test_closed_note(void **state)
{
	struct side s;
	struct lines l;
	struct sd_ticket *t, *h;

	(void)state;
	mk("cl");
	incident("cl", "08:00", "one");
	sd("cl", "carmen", "08:10", "sd-assign SD-1 ana");
	open_side(&s, "cl");
	head(&s, &s.base);
	sd("cl", "ana", "10:00", "sd-solve -m 'new toner' SD-1");
	sd("cl", "ana", "10:30", "sd-close -m thanks SD-1");
	to_base(&s);
	sd("cl", "luis", "10:15", "sd-note -m 'still jams?' SD-1");
	assert_int_equal(replay(&s, &l), 1);
	t = ticket_at(&s, &s.out, 1);
	h = ticket_at(&s, &s.onto, 1);
	same_fields(t, h);
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "closed");
	assert_int_equal(sd_ticket_event_count(t), 5);
	assert_string_equal(sd_ticket_event_get(t, 4, "text"), "still jams?");
	assert_non_null(sd_ticket_event_get(t, 4, "superseded"));
	assert_int_equal(l.n, 1);
	sd_ticket_free(t);
	sd_ticket_free(h);
	close_side(&s);
}

/* Titles both sides changed: the later wins, the other is kept. */
static void
test_titles(void **state)
{
	struct side s;
	struct lines l;
	struct sd_ticket *t;

	(void)state;
	mk("ti");
	incident("ti", "08:00", "one");
	incident("ti", "08:05", "two");
	open_side(&s, "ti");
	head(&s, &s.base);
	sd("ti", "ana", "10:00", "sd-update --title 'hub one' SD-1");
	sd("ti", "ana", "11:00", "sd-update --title 'hub two' SD-2");
	to_base(&s);
	sd("ti", "luis", "11:00", "sd-update --title 'site one' SD-1");
	sd("ti", "luis", "10:00", "sd-update --title 'site two' SD-2");
	assert_int_equal(replay(&s, &l), 2);
	t = ticket_at(&s, &s.out, 1);
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "site one");
	assert_string_equal(sd_ticket_event_get(t, 2, "overridden"), "title:hub one");
	sd_ticket_free(t);
	t = ticket_at(&s, &s.out, 2);
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "hub two");
	assert_string_equal(sd_ticket_event_get(t, 2, "overridden"), "title:site two");
	assert_string_equal(sd_ticket_event_get(t, 2, "by"), "luis");
	/* updated never goes back: the hub's 11:00, not the site's 10:00. */
	assert_string_equal(sd_ticket_event_get(t, 2, "at"), "2026-03-02T10:00:00-05:00");
	assert_string_equal(sd_ticket_get(t, SD_F_UPDATED), "2026-03-02T11:00:00-05:00");
	sd_ticket_free(t);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "overridden\tSD-1\tupdate by luis: title lost (hub one)");
	assert_string_equal(l.v[1], "overridden\tSD-2\tupdate by luis: title lost (site two)");
	close_side(&s);
}

/* A configuration file committed raw by carmen (a coordinator): file
 * gets a comment line, text. */
static void
config_commit(const char *st, const char *file, const char *text, const char *when)
{
	sh("cd %s && export GIT_INDEX_FILE=$PWD/.git/tmp-index GIT_AUTHOR_NAME='Carmen Vargas' "
	    "GIT_AUTHOR_EMAIL=carmen.vargas@example.org GIT_AUTHOR_DATE='%s' "
	    "GIT_COMMITTER_NAME='Carmen Vargas' GIT_COMMITTER_EMAIL=carmen.vargas@example.org "
	    "GIT_COMMITTER_DATE='%s' && git read-tree HEAD && "
	    "b=$( (git cat-file blob HEAD:%s; echo '; %s') | git hash-object -w --stdin) && "
	    "git update-index --cacheinfo 100644,$b,%s && t=$(git write-tree) && "
	    "c=$(printf 'edit %s\\n\\nAction: edit\\n' | git commit-tree $t -p HEAD) && "
	    "git update-ref refs/heads/main $c && rm -f $GIT_INDEX_FILE",
	    st, when, when, file, text, file, file);
}

/* Configuration: taken when the hub left the file alone, else left out
 * and told. */
static void
test_config(void **state)
{
	struct side s;
	struct lines l;
	char *a, *b;

	(void)state;
	mk("cf");
	incident("cf", "08:00", "one");
	open_side(&s, "cf");
	head(&s, &s.base);
	config_commit("cf", "sd.ini", "by the hub", "2026-03-02T09:00:00-05:00");
	to_base(&s);
	config_commit("cf", "sd.ini", "by the site", "2026-03-02T09:30:00-05:00");
	config_commit("cf", "sla.ini", "by the site", "2026-03-02T09:40:00-05:00");
	sd("cf", "luis", "10:00", "sd-note -m 'at the site' SD-1");
	/* sd.ini left out: two of the three commits. */
	assert_int_equal(replay(&s, &l), 2);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "config\tsd.ini\tnot replayed: the hub changed it too");
	a = file_at(&s, &s.onto, "sd.ini");
	b = file_at(&s, &s.out, "sd.ini");
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = file_at(&s, &s.tip, "sla.ini");
	b = file_at(&s, &s.out, "sla.ini");
	assert_string_equal(a, b);
	assert_non_null(strstr(b, "; by the site\n"));
	free(a);
	free(b);
	close_side(&s);
}

/* An offline suspend of one business hour, 09:00-10:00, appended after
 * the hub's note of 10:45 and its own suspend 11:00-11:30: 4bh from
 * 08:00 with the hub's half hour off is 12:30; the site's hour, counted
 * where it happened, moves it by exactly that, to 13:30. */
static void
test_offline_suspend(void **state)
{
	struct side s;
	struct lines l;
	struct sd_ticket *t;

	(void)state;
	mk("su");
	incident("su", "08:00", "one");
	sd("su", "carmen", "08:10", "sd-assign SD-1 ana");
	open_side(&s, "su");
	head(&s, &s.base);
	t = ticket_at(&s, &s.base, 1);
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESOLUTION), "2026-03-02T12:00:00-05:00");
	sd_ticket_free(t);
	sd("su", "ana", "10:45", "sd-note -m 'at the hub' SD-1");
	sd("su", "ana", "11:00", "sd-suspend -m 'hub waits' SD-1");
	sd("su", "ana", "11:30", "sd-resume -m 'hub back' SD-1");
	to_base(&s);
	sd("su", "ana", "09:00", "sd-suspend -m 'out for lunch' SD-1");
	sd("su", "ana", "10:00", "sd-resume -m back SD-1");
	assert_int_equal(replay(&s, &l), 2);
	assert_int_equal(l.n, 0);
	t = ticket_at(&s, &s.onto, 1);
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESOLUTION), "2026-03-02T12:30:00-05:00");
	sd_ticket_free(t);
	t = ticket_at(&s, &s.out, 1);
	assert_string_equal(sd_ticket_event_get(t, 2, "action"), "note");
	assert_string_equal(sd_ticket_event_get(t, 4, "action"), "resume");
	assert_string_equal(sd_ticket_event_get(t, 5, "action"), "suspend");
	assert_string_equal(sd_ticket_event_get(t, 5, "at"), "2026-03-02T09:00:00-05:00");
	assert_string_equal(sd_ticket_event_get(t, 6, "action"), "resume");
	assert_string_equal(sd_ticket_event_get(t, 6, "to"), "assigned");
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "assigned");
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESOLUTION), "2026-03-02T13:30:00-05:00");
	sd_ticket_free(t);
	close_side(&s);
}

/* A merge in the site's history: refused, nothing written to refs. */
static void
test_merge_refused(void **state)
{
	struct side s;
	struct sd__replay_in in;
	git_oid out, after;
	char hex[GIT_OID_HEXSZ + 1], msg[200];

	(void)state;
	mk("me");
	incident("me", "08:00", "one");
	open_side(&s, "me");
	head(&s, &s.base);
	sd("me", "ana", "11:00", "sd-note -m 'at the hub' SD-1");
	to_base(&s);
	sd("me", "luis", "10:00", "sd-note -m 'at the site' SD-1");
	git_oid_tostr(hex, sizeof(hex), &s.onto);
	sh("cd %s && c=$(printf 'merge\\n\\nAction: note\\n' | git commit-tree HEAD^{tree} -p HEAD "
	    "-p %s) && git update-ref refs/heads/main $c", s.dir, hex);
	head(&s, &s.tip);
	memset(&in, 0, sizeof(in));
	in.base = s.base;
	in.tip = s.tip;
	in.onto = s.onto;
	in.site = NULL;
	assert_int_equal(sd__sync_replay(s.repo, &in, &out, NULL, NULL), SD_EINVALID);
	git_oid_tostr(hex, sizeof(hex), &s.tip);
	snprintf(msg, sizeof(msg), "commit %.12s: a merge commit; sd-sync replays a linear history",
	    hex);
	assert_string_equal(sd_error_message(), msg);
	assert_true(git_oid_equal(&out, &s.onto));
	head(&s, &after);
	assert_true(git_oid_equal(&after, &s.tip));
	/* Nothing to replay: out is onto. */
	in.tip = s.base;
	assert_ok(sd__sync_replay(s.repo, &in, &out, NULL, NULL));
	assert_true(git_oid_equal(&out, &s.onto));
	close_side(&s);
}

/* A clock that went back: the event takes the ticket's last `at`. */
static void
test_clock_back(void **state)
{
	struct side s;
	struct sd_ticket *t;

	(void)state;
	mk("cb");
	incident("cb", "08:00", "one");
	sd("cb", "ana", "10:00", "sd-note -m first SD-1");
	sd("cb", "ana", "09:00", "sd-note -m 'clock went back' SD-1");
	open_side(&s, "cb");
	head(&s, &s.tip);
	t = ticket_at(&s, &s.tip, 1);
	assert_int_equal(sd_ticket_event_count(t), 3);
	assert_string_equal(sd_ticket_event_get(t, 2, "at"), "2026-03-02T10:00:00-05:00");
	assert_string_equal(sd_ticket_get(t, SD_F_UPDATED), "2026-03-02T10:00:00-05:00");
	sd_ticket_free(t);
	close_side(&s);
}

/* A ticket registered and a file attached at the site: taken as they
 * are, in new places of the hub's tree; a number the hub gave too (no
 * leases) refused, nothing written. */
static void
test_added(void **state)
{
	struct side s;
	struct lines l;
	struct sd__replay_in in;
	char *a, *b, path[200];
	git_oid out;
	FILE *f;

	(void)state;
	mk("ad");
	incident("ad", "08:00", "one");
	open_side(&s, "ad");
	head(&s, &s.base);
	sd("ad", "ana", "11:00", "sd-note -m 'at the hub' SD-1");
	to_base(&s);
	incident("ad", "09:00", "two");
	snprintf(path, sizeof(path), "%s/photo.txt", top);
	assert_non_null(f = fopen(path, "w"));
	fputs("a photo of the jam\n", f);
	fclose(f);
	sd("ad", "luis", "09:30", "sd-attach -m photo SD-1 photo.txt");
	assert_int_equal(replay(&s, &l), 2);
	assert_int_equal(l.n, 0);
	a = file_at(&s, &s.tip, "tickets/000/SD-2.ini");
	b = file_at(&s, &s.out, "tickets/000/SD-2.ini");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* attachments/XX/SHA-256 of the file. */
	sh("cd %s && git ls-tree -r --name-only HEAD attachments >../att", s.dir);
	snprintf(path, sizeof(path), "%s/att", top);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(path, sizeof(path), f));
	fclose(f);
	path[strcspn(path, "\n")] = '\0';
	assert_int_equal(strncmp(path, "attachments/", 12), 0);
	a = file_at(&s, &s.out, path);
	assert_non_null(a);
	assert_string_equal(a, "a photo of the jam\n");
	free(a);
	/* The hub registers SD-2 too. */
	git_oid_cpy(&in.tip, &s.tip);
	sh("git -C %s update-ref refs/heads/main $(git -C %s rev-parse refs/heads/main)", s.dir,
	    s.dir);
	{
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &s.onto);
		sh("git -C %s update-ref refs/heads/main %s", s.dir, hex);
	}
	incident("ad", "11:30", "two at the hub");
	head(&s, &in.onto);
	in.base = s.base;
	in.site = "bog";
	in.now = "2026-03-02T18:00:00-05:00";
	assert_int_equal(sd__sync_replay(s.repo, &in, &out, NULL, NULL), SD_EINVALID);
	assert_string_equal(sd_error_message(), "tickets/000/SD-2.ini: registered at the site, "
	    "but the hub has a ticket of that number");
	assert_true(git_oid_equal(&out, &in.onto));
	close_side(&s);
}

/* What the rules and the clocks make of a superseded event, by hand: a
 * suspend kept as superseded on an assigned ticket stops no clock (due
 * 12:00 as before, not unknown as a suspend leaves it); the rules take it
 * only with every key unchanged and a commit's id; overridden only for a
 * key the action may change. */
static void
test_superseded_rules(void **state)
{
	static const char *const hex = "0123456789abcdef0123456789abcdef01234567";
	struct side s;
	struct sd_config *cfg = NULL;
	struct sd_ticket *before, *t;
	char *texts[4];
	size_t ev;

	(void)state;
	mk("ru");
	incident("ru", "08:00", "one");
	sd("ru", "carmen", "08:10", "sd-assign SD-1 ana");
	open_side(&s, "ru");
	head(&s, &s.base);
	for (int f = 0; f < 4; f++)
		texts[f] = file_at(&s, &s.base, sd_config_files[f]);
	assert_ok(sd_config_parse(&cfg, (const char *const *)texts, sd_config_files));
	before = ticket_at(&s, &s.base, 1);
	t = ticket_at(&s, &s.base, 1);
	assert_ok(sd_ticket_event_add(t, &ev, "2026-03-02T09:00:00-05:00", "ana", "suspend"));
	assert_ok(sd_ticket_event_set(t, ev, "from", "assigned"));
	assert_ok(sd_ticket_event_set(t, ev, "to", "suspended"));
	assert_ok(sd_ticket_event_set(t, ev, "text", "parts"));
	assert_ok(sd_ticket_event_set(t, ev, "superseded", hex));
	assert_ok(sd_sla_update(t, cfg));
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESOLUTION), "2026-03-02T12:00:00-05:00");
	assert_ok(sd_rules_check(cfg, NULL, sd_config_agent(cfg, "ana"), "suspend", before, t,
	    NULL, NULL));
	/* Not by the commit's author. */
	assert_int_equal(sd_rules_check(cfg, NULL, sd_config_agent(cfg, "luis"), "suspend", before,
	    t, NULL, NULL), SD_EINVALID);
	assert_string_equal(sd_error_message(), "[event 3] is by ana, not by luis who made the commit");
	/* A key changed with it. */
	assert_ok(sd_ticket_set(t, SD_F_UPDATED, "2026-03-02T09:00:00-05:00"));
	assert_int_equal(sd_rules_check(cfg, NULL, sd_config_agent(cfg, "ana"), "suspend", before,
	    t, NULL, NULL), SD_EINVALID);
	assert_string_equal(sd_error_message(), "[event 3] is superseded, yet updated changed "
	    "('2026-03-02T08:10:00-05:00' -> '2026-03-02T09:00:00-05:00')");
	assert_ok(sd_ticket_set(t, SD_F_UPDATED, sd_ticket_get(before, SD_F_UPDATED)));
	/* Not a commit. */
	assert_ok(sd_ticket_event_set(t, ev, "superseded", "abc"));
	assert_int_equal(sd_ticket_check(t, cfg), SD_EINVALID);
	assert_string_equal(sd_error_message(), "[event 3] superseded is not a commit (40 hex digits)");
	sd_ticket_free(t);
	/* overridden: on a key the action may change, as KEY:VALUE. */
	t = ticket_at(&s, &s.base, 1);
	assert_ok(sd_ticket_event_add(t, &ev, "2026-03-02T09:00:00-05:00", "ana", "note"));
	assert_ok(sd_ticket_event_set(t, ev, "text", "hello"));
	assert_ok(sd_ticket_event_set(t, ev, "overridden", "title:old"));
	assert_ok(sd_ticket_set(t, SD_F_UPDATED, "2026-03-02T09:00:00-05:00"));
	assert_int_equal(sd_rules_check(cfg, NULL, sd_config_agent(cfg, "ana"), "note", before, t,
	    NULL, NULL), SD_EINVALID);
	assert_string_equal(sd_error_message(), "[event 3]: note writes no 'overridden'");
	assert_ok(sd_ticket_event_set(t, ev, "overridden", "contact_attempts:2"));
	assert_ok(sd_ticket_set(t, SD_F_CONTACT_ATTEMPTS, "1"));
	assert_ok(sd_rules_check(cfg, NULL, sd_config_agent(cfg, "ana"), "note", before, t,
	    NULL, NULL));
	assert_ok(sd_ticket_event_set(t, ev, "overridden", "nokey"));
	assert_int_equal(sd_ticket_check(t, cfg), SD_EINVALID);
	assert_string_equal(sd_error_message(), "[event 3] overridden is not KEY:VALUE");
	sd_ticket_free(t);
	sd_ticket_free(before);
	for (int f = 0; f < 4; f++)
		free(texts[f]);
	sd_config_free(cfg);
	close_side(&s);
}

/* A replay again over what the hub has from an earlier one (a run
 * killed after its push): the commits there are skipped by their
 * Replayed-From:, the rest replayed once; all there: nothing new. */
static void
test_idempotent(void **state)
{
	struct sd__replay_in in;
	struct side s;
	struct lines l;
	struct sd_ticket *t;
	git_oid first, out1, onto0;

	(void)state;
	mk("idem");
	incident("idem", "08:00", "one");
	open_side(&s, "idem");
	head(&s, &s.base);
	sd("idem", "ana", "11:00", "sd-note -m 'at the hub' SD-1");
	to_base(&s);
	sd("idem", "luis", "10:00", "sd-note -m 'first at the site' SD-1");
	head(&s, &first);
	sd("idem", "luis", "10:30", "sd-note -m 'second at the site' SD-1");
	/* The first commit alone replayed, as a killed run pushed it. */
	memset(&in, 0, sizeof(in));
	in.base = s.base;
	in.tip = first;
	in.onto = s.onto;
	in.now = "2026-03-02T18:00:00-05:00";
	memset(&l, 0, sizeof(l));
	assert_ok(sd__sync_replay(s.repo, &in, &out1, collect, &l));
	assert_false(git_oid_equal(&out1, &s.onto));
	onto0 = s.onto;
	/* The whole range onto that: the second alone is new. */
	s.onto = out1;
	assert_int_equal(replay(&s, &l), 1);
	t = ticket_at(&s, &s.out, 1);
	assert_int_equal(sd_ticket_event_count(t), 4);
	assert_string_equal(sd_ticket_event_get(t, 1, "text"), "at the hub");
	assert_string_equal(sd_ticket_event_get(t, 2, "text"), "first at the site");
	assert_string_equal(sd_ticket_event_get(t, 3, "text"), "second at the site");
	sd_ticket_free(t);
	/* And once more onto the result: nothing new at all. */
	s.onto = s.out;
	assert_int_equal(replay(&s, &l), 0);
	assert_true(git_oid_equal(&s.out, &s.onto));
	assert_false(git_oid_equal(&s.out, &onto0));
	close_side(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_assign_note),
		cmocka_unit_test(test_site_trailer),
		cmocka_unit_test(test_solved_superseded),
		cmocka_unit_test(test_closed_note),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_offline_suspend),
		cmocka_unit_test(test_merge_refused),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_added),
		cmocka_unit_test(test_superseded_rules),
		cmocka_unit_test(test_idempotent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
