/*
 * The layout of a store's tree (SPEC sections 1 and 2): which paths it
 * may hold, told a path or a tree at a time, and the next ticket number
 * its shards leave.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "store_internal.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/id.h"
#include "sd/kb.h"

#define MSG_MAX 256

static const char m_outside[] = N_("not part of a store's layout");
static const char m_hooks[] = N_("hooks/ is each machine's own, never in the store's history");
static const char m_link[] = N_("a symbolic link");
static const char m_notfile[] = N_("not a regular file");
static const char m_notdir[] = N_("not a directory");
static const char m_shard[] = N_("not a shard (NNN: the ticket number / 1000, zero-padded to 3 digits)");
static const char m_empty[] = N_("an empty shard");

long
sd__shard_number(const char *name)
{
	long v = 0;
	size_t n = strlen(name);

	if (n < 3 || n > 12)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

long
sd__layout_shard(const char *name)
{
	return strlen(name) > 3 && name[0] == '0' ? -1 : sd__shard_number(name);
}

/* The ticket number in a file name "PREFIX-N.ini", or 0. */
long
sd__file_number(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix), n = strlen(name);
	long v = 0;

	if (strncmp(name, prefix, plen) || name[plen] != '-' || n < plen + 6 ||
	    strcmp(name + n - 4, ".ini") || name[plen + 1] == '0')
		return 0;
	for (size_t i = plen + 1; i < n - 4; i++) {
		if (name[i] < '0' || name[i] > '9' || i - plen > SD_ID_DIGITS)
			return 0;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static int
is_config(const char *name)
{
	if (!strcmp(name, "sites.ini"))
		return 1;       /* sd's own: the blocks the hub leased */
	for (size_t f = 0; f < SD_ARRAY_SIZE(sd_config_files); f++)
		if (!strcmp(name, sd_config_files[f]))
			return 1;
	return 0;
}

/* What is wrong with a file of git mode `mode` where a file belongs. */
static const char *
mode_defect(unsigned mode)
{
	if (mode == 0 || mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE)
		return NULL;
	return mode == GIT_FILEMODE_LINK ? _(m_link) : _(m_notfile);
}

/* Ticket n is not in its shard: say which it is. */
static const char *
wrong_shard(char msg[MSG_MAX], long n)
{
	char want[SD_ID_MAX];

	sd_id_shard(want, n);
	snprintf(msg, MSG_MAX, _("not in its shard (belongs in tickets/%s/)"), want);
	return msg;
}

/* What is wrong with the ticket file name in the shard named shard (slen
 * bytes of it), or NULL with its number in *n. */
static const char *
ticket_defect(char msg[MSG_MAX], const char *shard, size_t slen, const char *name,
    const char *prefix, long *n)
{
	char want[SD_ID_MAX];

	if (!(*n = sd__file_number(name, prefix))) {
		snprintf(msg, MSG_MAX, _("not a ticket file name (%s-N.ini)"), prefix);
		return msg;
	}
	sd_id_shard(want, *n);
	if (strlen(want) != slen || strncmp(shard, want, slen))
		return wrong_shard(msg, *n);
	return NULL;
}

/* What is wrong with entry e of the shard named shard, or NULL with its
 * number in *n. */
static const char *
shard_entry_defect(char msg[MSG_MAX], const git_tree_entry *e, const char *shard,
    const char *prefix, long *n)
{
	const char *why;

	*n = 0;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return _(m_notfile);
	if ((why = mode_defect(git_tree_entry_filemode(e))))
		return why;
	return ticket_defect(msg, shard, strlen(shard), git_tree_entry_name(e), prefix, n);
}

/* What is wrong with entry e of tickets/, leaving out what is inside it:
 * NULL for a shard directory, with its number in *k. */
static const char *
tickets_entry_defect(char msg[MSG_MAX], const git_tree_entry *e, const char *prefix, long *k)
{
	const char *name = git_tree_entry_name(e);
	long n;

	*k = sd__layout_shard(name);
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return *k < 0 ? _(m_shard) : NULL;
	if (*k >= 0)
		return _(m_notdir);
	if ((n = sd__file_number(name, prefix)))
		return wrong_shard(msg, n);
	return _(m_outside);
}

int
sd__layout_ticket_path(const char *path, const char *prefix, long *n)
{
	const char *shard = path, *slash = NULL, *why;
	char msg[MSG_MAX];
	long num = 0;

	if (n)
		*n = 0;
	if (!strncmp(path, "tickets/", 8))
		slash = strchr(shard = path + 8, '/');
	if (!slash || strchr(slash + 1, '/')) {
		snprintf(msg, sizeof(msg), _("not a ticket file path (tickets/NNN/%s-N.ini)"), prefix);
		return sd_error_set(SD_EINVALID, "%s: %s", path, msg);
	}
	if ((why = ticket_defect(msg, shard, (size_t)(slash - shard), slash + 1, prefix, &num)))
		return sd_error_set(SD_EINVALID, "%s: %s", path, why);
	if (n)
		*n = num;
	return 0;
}

int
sd__layout_path(const char *path, unsigned mode, const char *prefix, long *n)
{
	const char *why = NULL;

	if (n)
		*n = 0;
	if (!strncmp(path, "hooks/", 6))
		why = _(m_hooks);
	else if (!strncmp(path, "attachments/", 12))
		return sd_attach_path_parse(path, NULL) < 0 ?
		    sd_error_set(SD_EINVALID, "%s: %s", path, sd_error_message()) :
		    (why = mode_defect(mode)) ? sd_error_set(SD_EINVALID, "%s: %s", path, why) : 0;
	else if (!strncmp(path, "kb/", 3))
		return sd_kb_path_parse(path, NULL) < 0 ? sd_error_set(SD_EINVALID, "%s", sd_error_message()) :
		    (why = mode_defect(mode)) ? sd_error_set(SD_EINVALID, "%s: %s", path, why) : 0;
	else if (strncmp(path, "tickets/", 8) && !is_config(path))
		why = _(m_outside);
	else
		why = mode_defect(mode);
	if (why)
		return sd_error_set(SD_EINVALID, "%s: %s", path, why);
	return strncmp(path, "tickets/", 8) ? 0 : sd__layout_ticket_path(path, prefix, n);
}

/* In data's [ticket] section, the value of the line `id = VALUE` (*val,
 * *vlen, as inih would read it) and the line's number; 0 when none. */
static int
id_line(const char **val, size_t *vlen, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int line = 1, in = 0;

	for (; p < end; line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '[') {
			if (in)
				break;
			in = eol - q >= 8 && !strncmp(q, "[ticket]", 8);
		} else if (in && eol - q > 2 && q[0] == 'i' && q[1] == 'd') {
			const char *v = q + 2, *e;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if (v < eol && *v == '=') {
				for (v++; v < eol && (*v == ' ' || *v == '\t'); v++)
					;
				/* Up to an inline comment " ;", trailing space cut. */
				for (e = v; e < eol && !(*e == ';' && e > v && (e[-1] == ' ' || e[-1] == '\t')); e++)
					;
				while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
					e--;
				*val = v;
				*vlen = (size_t)(e - v);
				return line;
			}
		}
		p = eol + 1;
	}
	*val = "";
	*vlen = 0;
	return 0;
}

/* What is wrong with the id line of ticket n's file data, or NULL; the
 * line in *line. */
static const char *
id_defect(char msg[MSG_MAX], int *line, const char *prefix, long n, const char *data, size_t len)
{
	char id[SD_ID_MAX], value[SD_ID_MAX + 1];
	const char *v;
	size_t vlen;

	*line = id_line(&v, &vlen, data, len);
	sd_id_format(id, prefix, n);
	if (*line && vlen == strlen(id) && !memcmp(v, id, vlen))
		return NULL;
	/* The value, cut short. */
	if (vlen > SD_ID_MAX)
		vlen = SD_ID_MAX;
	snprintf(value, sizeof(value), "%.*s", (int)vlen, v);
	snprintf(msg, MSG_MAX, _("id '%s' does not match the file name"), value);
	return msg;
}

int
sd__layout_ticket_id(const char *path, const char *prefix, long n, const char *data, size_t len)
{
	char msg[MSG_MAX];
	const char *why;
	int line;

	if (!(why = id_defect(msg, &line, prefix, n, data, len)))
		return 0;
	if (line)
		return sd_error_set(SD_EINVALID, "%s:%d: %s", path, line, why);
	return sd_error_set(SD_EINVALID, "%s: %s", path, why);
}

/* A walk of a tree for sd__layout_check_dir. */
struct walk {
	git_repository *repo;
	const char *prefix;
	int flags;
	sd__layout_fn fn;
	void *arg;
	int told;
	int stopped;
};

/* Tell fn of the defect why at dir/name (dir "" for the root). */
static int
tell(struct walk *w, const char *dir, const char *name, int line, const char *why)
{
	struct sd_buf path = SD_BUF_INIT;
	int rc;

	sd_buf__printf(&path, "%s%s%s", dir, *dir && name ? "/" : "", name ? name : "");
	if ((rc = sd_buf__check(&path)) == 0) {
		w->told++;
		if (w->fn(path.data, line, why, w->arg))
			w->stopped = 1;
	}
	sd_buf__free(&path);
	return rc;
}

/* The subtree of entry e of the tree at dir. */
static int
subtree(git_tree **out, struct walk *w, const char *dir, const git_tree_entry *e)
{
	struct sd_buf path = SD_BUF_INIT;
	int rc;

	if (git_tree_lookup(out, w->repo, git_tree_entry_id(e)) == 0)
		return 0;
	sd_buf__printf(&path, "%s%s%s", dir, *dir ? "/" : "", git_tree_entry_name(e));
	rc = path.failed ? sd__oom() : sd__git_error(path.data);
	sd_buf__free(&path);
	return rc;
}

/* tickets/NNN: the ticket files of the shard named shard. */
static int
walk_shard(struct walk *w, git_tree *t, const char *dir, const char *shard)
{
	char msg[MSG_MAX];
	int rc = 0;

	if (git_tree_entrycount(t) == 0)
		return tell(w, dir, NULL, 0, _(m_empty));
	for (size_t i = 0; i < git_tree_entrycount(t) && rc == 0 && !w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		git_blob *blob = NULL;
		long n;
		const char *why = shard_entry_defect(msg, e, shard, w->prefix, &n);
		int line = 0;

		if (why) {
			rc = tell(w, dir, git_tree_entry_name(e), 0, why);
			continue;
		}
		if (w->flags & SD_LAYOUT_NO_IDS)
			continue;
		if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
			rc = sd__git_error(git_tree_entry_name(e));
			break;
		}
		if ((why = id_defect(msg, &line, w->prefix, n, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob))))
			rc = tell(w, dir, git_tree_entry_name(e), line, why);
		git_blob_free(blob);
	}
	return rc;
}

/* tickets: shards. */
static int
walk_tickets(struct walk *w, git_tree *t, const char *dir)
{
	char msg[MSG_MAX];
	int rc = 0;

	for (size_t i = 0; i < git_tree_entrycount(t) && rc == 0 && !w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		struct sd_buf sub = SD_BUF_INIT;
		long k;
		const char *why = tickets_entry_defect(msg, e, w->prefix, &k);
		git_tree *shard = NULL;

		if (why) {
			rc = tell(w, dir, git_tree_entry_name(e), 0, why);
			continue;
		}
		sd_buf__printf(&sub, "%s/%s", dir, git_tree_entry_name(e));
		if ((rc = sd_buf__check(&sub)) == 0 && (rc = subtree(&shard, w, dir, e)) == 0)
			rc = walk_shard(w, shard, sub.data, git_tree_entry_name(e));
		git_tree_free(shard);
		sd_buf__free(&sub);
	}
	return rc;
}

/* A directory of plain files whose names check() approves (it says why
 * not, or NULL); empty, it is told as empty. */
static int
walk_files(struct walk *w, git_tree *t, const char *dir, const char *empty,
    const char *(*check)(const char *path))
{
	int rc = 0;

	if (git_tree_entrycount(t) == 0)
		return tell(w, dir, NULL, 0, empty);
	for (size_t i = 0; i < git_tree_entrycount(t) && rc == 0 && !w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		struct sd_buf path = SD_BUF_INIT;
		const char *why = NULL;

		sd_buf__printf(&path, "%s/%s", dir, git_tree_entry_name(e));
		if ((rc = sd_buf__check(&path)) < 0)
			break;
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			why = _(m_notfile);
		else if (!(why = mode_defect(git_tree_entry_filemode(e))))
			why = check(path.data);
		if (why)
			rc = tell(w, dir, git_tree_entry_name(e), 0, why);
		sd_buf__free(&path);
	}
	return rc;
}

/* attachments/XX: files named by the SHA-256 of their bytes (their
 * digests are sd-fsck's to check, lib/fsck.c). */
static const char *
attach_name(const char *path)
{
	return sd_attach_path_parse(path, NULL) < 0 ? sd_error_message() : NULL;
}

static int
walk_attach_dir(struct walk *w, git_tree *t, const char *dir)
{
	return walk_files(w, t, dir, _("an empty attachments directory"), attach_name);
}

/* attachments: XX directories. */
static int
walk_attachments(struct walk *w, git_tree *t, const char *dir)
{
	int rc = 0;

	for (size_t i = 0; i < git_tree_entrycount(t) && rc == 0 && !w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		struct sd_buf sub = SD_BUF_INIT;
		git_tree *xx = NULL;

		if (git_tree_entry_type(e) != GIT_OBJECT_TREE || strlen(name) != 2 ||
		    !strchr("0123456789abcdef", name[0]) || !strchr("0123456789abcdef", name[1]) ||
		    !name[0] || !name[1]) {
			rc = tell(w, dir, name, 0, _("not an attachments directory (XX: the first two "
			    "hex digits of the SHA-256 of its files)"));
			continue;
		}
		sd_buf__printf(&sub, "%s/%s", dir, name);
		if ((rc = sd_buf__check(&sub)) == 0 && (rc = subtree(&xx, w, dir, e)) == 0)
			rc = walk_attach_dir(w, xx, sub.data);
		git_tree_free(xx);
		sd_buf__free(&sub);
	}
	return rc;
}

/* kb: articles, kb/KB-N.txt (their shape is sd-fsck's to check). */
static const char *
kb_name(const char *path)
{
	return sd_kb_path_parse(path, NULL) < 0 ? _("not an article's name (KB-N.txt)") : NULL;
}

static int
walk_kb(struct walk *w, git_tree *t, const char *dir)
{
	return walk_files(w, t, dir, _("an empty knowledge base directory"), kb_name);
}

/* The root: the configuration files, tickets/, attachments/ and kb/. */
static int
walk_root(struct walk *w, git_tree *t)
{
	int rc = 0;

	for (size_t i = 0; i < git_tree_entrycount(t) && rc == 0 && !w->stopped; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e), *why = NULL;
		git_tree *tickets = NULL;

		if (!strcmp(name, "tickets") && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if ((rc = subtree(&tickets, w, "", e)) == 0)
				rc = walk_tickets(w, tickets, "tickets");
			git_tree_free(tickets);
			continue;
		}
		if (!strcmp(name, "attachments") && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if ((rc = subtree(&tickets, w, "", e)) == 0)
				rc = walk_attachments(w, tickets, "attachments");
			git_tree_free(tickets);
			continue;
		}
		if (!strcmp(name, "kb") && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if ((rc = subtree(&tickets, w, "", e)) == 0)
				rc = walk_kb(w, tickets, "kb");
			git_tree_free(tickets);
			continue;
		}
		if (!strcmp(name, "tickets") || !strcmp(name, "attachments") || !strcmp(name, "kb"))
			why = _(m_notdir);
		else if (!strcmp(name, "hooks"))
			why = _(m_hooks);
		else if (!is_config(name))
			why = _(m_outside);
		else if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			why = _(m_notfile);
		else
			why = mode_defect(git_tree_entry_filemode(e));
		if (why)
			rc = tell(w, "", name, 0, why);
	}
	return rc;
}

int
sd__layout_check_dir(git_repository *repo, git_tree *tree, const char *dir,
    const char *prefix, int flags, sd__layout_fn fn, void *arg)
{
	struct walk w = { repo, prefix, flags, fn, arg, 0, 0 };
	int rc;

	if (!*dir)
		rc = walk_root(&w, tree);
	else if (!strcmp(dir, "tickets"))
		rc = walk_tickets(&w, tree, dir);
	else if (!strncmp(dir, "tickets/", 8) && !strchr(dir + 8, '/') && sd__layout_shard(dir + 8) >= 0)
		rc = walk_shard(&w, tree, dir, dir + 8);
	else if (!strncmp(dir, "tickets/", 8) && !strchr(dir + 8, '/'))
		rc = tell(&w, dir, NULL, 0, _(m_shard));
	else if (!strcmp(dir, "attachments"))
		rc = walk_attachments(&w, tree, dir);
	else if (!strncmp(dir, "attachments/", 12) && !strchr(dir + 12, '/') && strlen(dir + 12) == 2)
		rc = walk_attach_dir(&w, tree, dir);
	else if (!strcmp(dir, "kb"))
		rc = walk_kb(&w, tree, dir);
	else if (!strncmp(dir, "hooks", 5) && (!dir[5] || dir[5] == '/'))
		rc = tell(&w, dir, NULL, 0, _(m_hooks));
	else
		rc = tell(&w, dir, NULL, 0, _(m_outside));
	return rc < 0 ? rc : w.told;
}

int
sd__layout_check_tree(git_repository *repo, git_tree *root, const char *prefix,
    int flags, sd__layout_fn fn, void *arg)
{
	return sd__layout_check_dir(repo, root, "", prefix, flags, fn, arg);
}

/* The next number: see sd__layout_next. */

struct shard_at {
	long k;                 /* its number */
	size_t i;               /* its entry in tickets/ */
};

static int
cmp_down(const void *a, const void *b)
{
	long x = ((const struct shard_at *)a)->k, y = ((const struct shard_at *)b)->k;

	return (x < y) - (x > y);
}

/* HEAD's layout is broken at dir/name: refuse to number anything. */
static int
refuse(const char *dir, const char *name, const char *why)
{
	struct sd_buf path = SD_BUF_INIT;
	int rc;

	sd_buf__printf(&path, "%s%s%s", dir, name ? "/" : "", name ? name : "");
	rc = path.failed ? sd__oom() :
	    sd_error_set(SD_EINVALID, _("%s: %s; run sd-fsck"), path.data, why);
	sd_buf__free(&path);
	return rc;
}

/* Is n in one of the ranges (none given: any n)? */
static int
in_ranges(long n, const long (*ranges)[2], size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (ranges[i][0] <= n && n <= ranges[i][1])
			return 1;
	return !ranges;
}

/* The largest number of the shard e of tickets/ (0 when it is empty), each
 * of whose files must be a ticket of that shard; with ranges, the largest
 * in one of them. */
static int
shard_max_in(long *max, git_repository *repo, git_tree *tickets, size_t at, const char *prefix,
    const long (*ranges)[2], size_t nr)
{
	const git_tree_entry *e = git_tree_entry_byindex(tickets, at);
	const char *shard = git_tree_entry_name(e);
	struct sd_buf dir = SD_BUF_INIT;
	git_tree *t = NULL;
	char msg[MSG_MAX];
	int rc = 0;

	*max = 0;
	sd_buf__printf(&dir, "tickets/%s", shard);
	if ((rc = sd_buf__check(&dir)) < 0)
		goto out;
	if (git_tree_lookup(&t, repo, git_tree_entry_id(e)) < 0) {
		rc = sd__git_error(dir.data);
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *f = git_tree_entry_byindex(t, i);
		const char *why;
		long n;

		if ((why = shard_entry_defect(msg, f, shard, prefix, &n))) {
			rc = refuse(dir.data, git_tree_entry_name(f), why);
			goto out;
		}
		if (n > *max && in_ranges(n, ranges, nr))
			*max = n;
	}
out:
	git_tree_free(t);
	sd_buf__free(&dir);
	return rc;
}

static int
shard_max(long *max, git_repository *repo, git_tree *tickets, size_t at, const char *prefix)
{
	return shard_max_in(max, repo, tickets, at, prefix, NULL, 0);
}

int
sd__layout_max_in(long *out, git_repository *repo, git_tree *root, const char *prefix,
    const long (*ranges)[2], size_t nr)
{
	const git_tree_entry *e = git_tree_entry_byname(root, "tickets");
	git_tree *tickets = NULL;
	struct shard_at *v = NULL;
	size_t n = 0;
	int rc = 0;

	*out = 0;
	if (!e || !nr)
		return 0;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return refuse("tickets", NULL, _(m_notdir));
	if (git_tree_lookup(&tickets, repo, git_tree_entry_id(e)) < 0)
		return sd__git_error("tickets");
	if (!(v = calloc(git_tree_entrycount(tickets) + 1, sizeof(*v)))) {
		rc = sd__oom();
		goto out;
	}
	/* The shards that may hold a number of the ranges, by their names,
	 * opened from the highest down to the first that holds one. */
	for (size_t i = 0; i < git_tree_entrycount(tickets); i++) {
		long k = sd__layout_shard(git_tree_entry_name(git_tree_entry_byindex(tickets, i)));
		int hit = 0;

		if (k < 0 || git_tree_entry_type(git_tree_entry_byindex(tickets, i)) != GIT_OBJECT_TREE)
			continue;       /* sd__layout_next and sd-fsck refuse it */
		for (size_t r = 0; r < nr && !hit; r++)
			hit = k * 1000 <= ranges[r][1] && k * 1000 + 999 >= ranges[r][0];
		if (hit) {
			v[n].k = k;
			v[n++].i = i;
		}
	}
	qsort(v, n, sizeof(*v), cmp_down);
	for (size_t at = 0; at < n && !*out; at++)
		if ((rc = shard_max_in(out, repo, tickets, v[at].i, prefix, ranges, nr)) < 0)
			break;
out:
	free(v);
	git_tree_free(tickets);
	return rc;
}

int
sd__layout_next(long *out, git_repository *repo, git_tree *root, const char *prefix)
{
	const git_tree_entry *e = git_tree_entry_byname(root, "tickets");
	git_tree *tickets = NULL;
	git_tree_entry *there = NULL;
	struct shard_at *v = NULL;
	size_t n = 0, at;
	long max = 0, below;
	char msg[MSG_MAX], *rel = NULL;
	int rc = 0;

	*out = 0;
	if (!e) {
		*out = 1;               /* no ticket yet */
		return 0;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return refuse("tickets", NULL, _(m_notdir));
	if (git_tree_lookup(&tickets, repo, git_tree_entry_id(e)) < 0)
		return sd__git_error("tickets");
	/* The shards by their names alone (git sorts them as text: "1000"
	 * before "999"), highest first; anything else in tickets/ could
	 * hold a number, so nothing is numbered until it is gone. */
	if (!(v = calloc(git_tree_entrycount(tickets) + 1, sizeof(*v)))) {
		rc = sd__oom();
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(tickets); i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tickets, i);
		const char *why = tickets_entry_defect(msg, te, prefix, &v[n].k);

		if (why) {
			rc = refuse("tickets", git_tree_entry_name(te), why);
			goto out;
		}
		v[n++].i = i;
	}
	qsort(v, n, sizeof(*v), cmp_down);
	/* From the highest down to the first that holds a ticket: sd never
	 * leaves a shard empty, but a tree pushed into the store may. */
	for (at = 0; at < n; at++) {
		if ((rc = shard_max(&max, repo, tickets, v[at].i, prefix)) < 0)
			goto out;
		if (max)
			break;
	}
	/* Its neighbour below holds only its own numbers, all below. */
	if (at + 1 < n && (rc = shard_max(&below, repo, tickets, v[at + 1].i, prefix)) < 0)
		goto out;
	if ((rc = sd_id_path(&rel, prefix, max + 1)) < 0)
		goto out;
	if (git_tree_entry_bypath(&there, root, rel) == 0) {
		rc = refuse(rel, NULL, _("the next ticket's file is there already"));
		goto out;
	}
	*out = max + 1;
out:
	git_tree_entry_free(there);
	free(rel);
	free(v);
	git_tree_free(tickets);
	return rc;
}
