/*
 * The knowledge base in the store: articles read from HEAD's tree under
 * kb/, and written by one commit each (action kb) under the lock.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sd/kb.h"
#include "sd/validate.h"

/* HEAD's kb/ tree; *out NULL when there is none. */
static int
kb_tree(struct sd_store *s, git_tree **out)
{
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (git_commit_lookup(&c, s->repo, &head) < 0 || git_commit_tree(&root, c) < 0)
		rc = sd__git_error("HEAD");
	else if (git_tree_entry_bypath(&e, root, "kb") == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(out, s->repo, git_tree_entry_id(e)) < 0)
		rc = sd__git_error("kb");
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

static int
read_entry(struct sd_store *s, const git_tree_entry *e, struct sd_kb_article *a)
{
	char path[SD_KB_PATH_MAX + 256];
	git_blob *b = NULL;
	long n;
	int rc;

	snprintf(path, sizeof(path), "kb/%s", git_tree_entry_name(e));
	if ((rc = sd_kb_path_parse(path, &n)) < 0)
		return rc;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || git_blob_lookup(&b, s->repo,
	    git_tree_entry_id(e)) < 0)
		return sd_error_set(SD_EINVALID, _("%s: not a regular file"), path);
	rc = sd_kb_parse(a, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), path);
	git_blob_free(b);
	if (rc == 0 && a->n != n) {
		sd_kb_free(a);
		rc = sd_error_set(SD_EINVALID, _("%s: id does not match the file name"), path);
	}
	return rc;
}

int
sd_kb_load(struct sd_store *s, struct sd_kb_article *a, long n)
{
	char path[SD_KB_PATH_MAX], id[SD_KB_ID_MAX];
	const git_tree_entry *e;
	git_tree *t = NULL;
	int rc;

	memset(a, 0, sizeof(*a));
	sd_kb_path(path, n);
	sd_kb_id_format(id, n);
	if ((rc = kb_tree(s, &t)) < 0)
		return rc;
	if (!t || !(e = git_tree_entry_byname(t, path + 3)))
		rc = sd_error_set(SD_ENOTFOUND, _("%s: no such article"), id);
	else
		rc = read_entry(s, e, a);
	git_tree_free(t);
	return rc;
}

struct numbered {
	long n;
	size_t i;
};

static int
by_number(const void *x, const void *y)
{
	const struct numbered *a = x, *b = y;

	return (a->n > b->n) - (a->n < b->n);
}

int
sd_kb_each(struct sd_store *s, sd_kb_each_fn fn, void *arg)
{
	struct numbered *v = NULL;
	git_tree *t = NULL;
	size_t n = 0;
	int rc;

	if ((rc = kb_tree(s, &t)) < 0 || !t)
		return rc;
	if (!(v = calloc(git_tree_entrycount(t) + 1, sizeof(*v)))) {
		rc = sd__oom();
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		char path[SD_KB_PATH_MAX + 256];
		snprintf(path, sizeof(path), "kb/%s", git_tree_entry_name(git_tree_entry_byindex(t, i)));
		if ((rc = sd_kb_path_parse(path, &v[n].n)) < 0)
			goto out;
		v[n++].i = i;
	}
	qsort(v, n, sizeof(*v), by_number);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sd_kb_article a;
		if ((rc = read_entry(s, git_tree_entry_byindex(t, v[i].i), &a)) < 0)
			break;
		rc = fn(&a, arg);
		sd_kb_free(&a);
	}
out:
	free(v);
	git_tree_free(t);
	return rc;
}

/* The next number: one more than the largest in HEAD. */
static int
next_number(struct sd_store *s, long *out)
{
	git_tree *t = NULL;
	int rc;

	*out = 1;
	if ((rc = kb_tree(s, &t)) < 0 || !t)
		return rc;
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		char path[SD_KB_PATH_MAX + 256];
		long n;
		snprintf(path, sizeof(path), "kb/%s", git_tree_entry_name(git_tree_entry_byindex(t, i)));
		if (sd_kb_path_parse(path, &n) == 0 && n >= *out)
			*out = n + 1;
	}
	sd_error_clear();
	git_tree_free(t);
	return 0;
}

/* Check an article's words, and commit it. */
static int
commit_article(struct sd_store *s, const struct sd_agent *agent, struct sd_kb_article *a,
    const char *verb)
{
	const struct sd_config *cfg = sd_store_config(s);
	struct sd_change *c = NULL;
	char now_s[SD_TIME_MAX], path[SD_KB_PATH_MAX], *data = NULL;
	size_t len;
	int rc;

	if (!agent)
		return sd_error_set(SD_EPERM, "%s", _("kb needs an agent of agents.ini"));
	sd_time_format(now_s, sd_config_zone(cfg), sd_store_now(s));
	a->updated_by = (char *)agent->id;
	a->updated_at = now_s;
	sd_kb_path(path, a->n);
	if ((rc = sd_kb_format(&data, &len, a)) == 0 &&
	    (rc = sd_change_new(&c, "kb")) == 0 &&
	    (rc = sd_change_subject(c, "%s: %s: %s", a->id, verb, a->title)) == 0 &&
	    (rc = sd_change_file(c, path, data, len)) == 0)
		rc = sd_store_commit(s, c, agent);
	a->updated_by = NULL;
	a->updated_at = NULL;
	sd_change_free(c);
	free(data);
	return rc;
}

static int
check_words(const struct sd_config *cfg, const char *title, const char *category,
    const char *text)
{
	int rc;

	if ((rc = sd_kb_title_check(title)) < 0 || (rc = sd_kb_category_check(cfg, category)) < 0)
		return rc;
	if (!text[strspn(text, " \t\r\n")])
		return sd_error_set(SD_EINVALID, "%s", _("the article's text is empty"));
	return sd_text_check(text, strlen(text));
}

int
sd_kb_new(struct sd_store *s, const struct sd_agent *agent, const char *title,
    const char *category, const char *text, char id[SD_KB_ID_MAX])
{
	struct sd_kb_article a = { 0 };
	int rc;

	id[0] = '\0';
	if (!category)
		category = "";
	if ((rc = check_words(sd_store_config(s), title, category, text)) < 0)
		return rc;
	if ((rc = sd_store_lock(s)) < 0)
		return rc;
	if ((rc = next_number(s, &a.n)) == 0) {
		sd_kb_id_format(a.id, a.n);
		a.title = (char *)title;
		a.category = (char *)category;
		a.text = (char *)text;
		if ((rc = commit_article(s, agent, &a, "new")) == 0)
			memcpy(id, a.id, SD_KB_ID_MAX);
	}
	sd_store_unlock(s);
	return rc;
}

/* The value of `key = value` in the header lines of an edited article. */
static char *
header_value(const char *data, const char *key, const char *end)
{
	size_t k = strlen(key);

	for (const char *p = data; p < end; p = strchr(p, '\n') + 1) {
		const char *nl = strchr(p, '\n'), *v = p + k;

		if ((size_t)(nl - p) < k || strncmp(p, key, k))
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '=') {
			v++;
			while (*v == ' ' || *v == '\t')
				v++;
			return sd__strndup(v, (size_t)(nl - v));
		}
	}
	return sd__strdup("");
}

int
sd_kb_edit(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *data, size_t len)
{
	struct sd_kb_article old, a = { 0 };
	const char *blank = strstr(data, "\n\n");
	char *id = NULL, *title = NULL, *category = NULL, *text = NULL;
	int rc;

	(void)len;
	/* The header as written, a blank line, the text. */
	if (!blank || strlen(data) != len)
		return sd_error_set(SD_EINVALID, "%s", _("the article has no blank line "
		    "between its header and its text"));
	if (!(id = header_value(data, "id", blank + 1)) ||
	    !(title = header_value(data, "title", blank + 1)) ||
	    !(category = header_value(data, "category", blank + 1)) ||
	    !(text = sd__strdup(blank + 2))) {
		rc = sd__oom();
		goto out;
	}
	/* A text keeps one final newline. */
	while (*text && text[strlen(text) - 1] == '\n' && strlen(text) > 1 &&
	    text[strlen(text) - 2] == '\n')
		text[strlen(text) - 1] = '\0';
	if ((rc = sd_store_lock(s)) < 0)
		goto out;
	if ((rc = sd_kb_load(s, &old, n)) < 0)
		goto unlock;
	if (strcmp(id, old.id)) {
		rc = sd_error_set(SD_EINVALID, _("id: '%s' may not change (%s)"), id, old.id);
		goto done;
	}
	if ((rc = check_words(sd_store_config(s), title, category, text)) < 0)
		goto done;
	if (text[strlen(text) - 1] != '\n' ? !strncmp(text, old.text, strlen(text)) &&
	    strlen(old.text) == strlen(text) + 1 : !strcmp(text, old.text))
		if (!strcmp(title, old.title) && !strcmp(category, old.category)) {
			rc = 1;
			goto done;
		}
	a.n = n;
	memcpy(a.id, old.id, sizeof(a.id));
	a.title = title;
	a.category = category;
	a.text = text;
	rc = commit_article(s, agent, &a, "edit");
done:
	sd_kb_free(&old);
unlock:
	sd_store_unlock(s);
out:
	free(id);
	free(title);
	free(category);
	free(text);
	return rc;
}
