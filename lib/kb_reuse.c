/*
 * The reuse of the knowledge base (sd-report --kb): how many tickets each
 * article solved, from the kb key of their solve events.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/kb.h"
#include "sd/ticket.h"

struct reuse {
	struct sd_kb_reuse *v;
	size_t n, cap;
	long *seen;             /* the article numbers of one ticket, to count it once */
	const struct sd_filter *f;
	void (*bad)(const char *message, void *arg);
	void *arg;
};

static int
article(const struct sd_kb_article *a, void *arg)
{
	struct reuse *r = arg;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct sd_kb_reuse *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return sd__oom();
		r->v = v;
		r->cap = cap;
	}
	memcpy(r->v[r->n].id, a->id, SD_KB_ID_MAX);
	r->v[r->n].tickets = 0;
	if (!(r->v[r->n].title = sd__strdup(a->title)))
		return sd__oom();
	r->n++;
	return 0;
}

static int
ticket(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct reuse *r = arg;
	struct sd_ticket *t = NULL;

	(void)n;
	if (!data || sd_ticket_parse(&t, data, len, path, SD_PARSE_FULL) < 0) {
		if (r->bad)
			r->bad(sd_error_message(), r->arg);
		sd_error_clear();
		return 0;
	}
	if (r->f && !sd_filter_match(r->f, t))
		goto out;
	memset(r->seen, 0, r->n * sizeof(*r->seen));
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *kb = sd_ticket_event_get(t, i, "kb");
		const char *action = sd_ticket_event_get(t, i, "action");

		if (!kb || !action || strcmp(action, "solve"))
			continue;
		for (size_t k = 0; k < r->n; k++)
			if (!strcmp(r->v[k].id, kb) && !r->seen[k]) {
				r->seen[k] = 1;
				r->v[k].tickets++;
			}
	}
out:
	sd_ticket_free(t);
	return 0;
}

void
sd_kb_reuse_free(struct sd_kb_reuse *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].title);
	free(v);
}

int
sd_kb_reuse(struct sd_store *s, const struct sd_filter *f, struct sd_kb_reuse **out,
    size_t *n, void (*bad)(const char *message, void *arg), void *arg)
{
	struct reuse r = { .f = f, .bad = bad, .arg = arg };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = sd_kb_each(s, article, &r)) < 0)
		goto fail;
	if (!(r.seen = calloc(r.n + 1, sizeof(*r.seen)))) {
		rc = sd__oom();
		goto fail;
	}
	if (r.n && (rc = sd_store_each(s, ticket, &r)) < 0)
		goto fail;
	free(r.seen);
	*out = r.v;
	*n = r.n;
	return 0;
fail:
	free(r.seen);
	sd_kb_reuse_free(r.v, r.n);
	return rc;
}
