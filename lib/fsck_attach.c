/*
 * sd-fsck's check of attachments: each file under attachments/ holds the
 * bytes its name's SHA-256 gives, each reference of a ticket names such a
 * file with its size, and each file is referenced by some ticket.  A hash
 * set of the files by digest keeps it linear in the store's size.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fsck_attach.h"
#include "sd/attach.h"
#include "sd/ticket.h"

struct entry {
	char hex[SD_ATTACH_HEX + 1];
	size_t size;
	int used;               /* a slot taken */
	int referenced;
};

struct ref {
	char hex[SD_ATTACH_HEX + 1];
	size_t size;
	char *rel;              /* the ticket file */
};

struct sd__fsck_attach {
	struct entry *slots;
	size_t cap, n;
	struct ref *refs;
	size_t nrefs, refcap;
	int failed;
};

int
sd__fsck_attach_new(struct sd__fsck_attach **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	return 0;
}

void
sd__fsck_attach_free(struct sd__fsck_attach *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nrefs; i++)
		free(a->refs[i].rel);
	free(a->refs);
	free(a->slots);
	free(a);
}

/* The slot of hex: its own, or the empty one where it goes.  The digest's
 * first 16 hex digits are as good a hash as any. */
static struct entry *
slot(struct sd__fsck_attach *a, const char *hex)
{
	size_t h = 0;

	for (int i = 0; i < 16; i++)
		h = h * 16 + (size_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
	for (size_t i = h & (a->cap - 1);; i = (i + 1) & (a->cap - 1))
		if (!a->slots[i].used || !strcmp(a->slots[i].hex, hex))
			return &a->slots[i];
}

static int
grow(struct sd__fsck_attach *a)
{
	struct entry *old = a->slots;
	size_t oldcap = a->cap;

	a->cap = a->cap ? 2 * a->cap : 64;
	if (!(a->slots = calloc(a->cap, sizeof(*a->slots)))) {
		a->slots = old;
		a->cap = oldcap;
		return -1;
	}
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			*slot(a, old[i].hex) = old[i];
	free(old);
	return 0;
}

void
sd__fsck_attach_file(struct sd__fsck_attach *a, const char *path, const void *data, size_t len,
    sd__fsck_attach_fn fn, void *arg)
{
	char hex[SD_ATTACH_HEX + 1];
	struct entry *e;

	/* A path out of the layout is the layout's to tell (lib/layout.c). */
	if (sd_attach_path_parse(path, hex) < 0) {
		sd_error_clear();
		return;
	}
	if (sd_attach_check(path, data, len) < 0) {
		fn(path, sd_error_message() + strlen(path) + 2, arg);
		sd_error_clear();
	}
	if ((a->n + 1) * 2 > a->cap && grow(a) < 0) {
		a->failed = 1;
		return;
	}
	e = slot(a, hex);
	if (!e->used) {
		memcpy(e->hex, hex, sizeof(e->hex));
		e->size = len;
		e->used = 1;
		a->n++;
	}
}

void
sd__fsck_attach_ticket(struct sd__fsck_attach *a, const char *rel, const struct sd_ticket *t,
    sd__fsck_attach_fn fn, void *arg)
{
	struct sd_attach_list l;

	if (sd_attach_list(&l, t) < 0) {
		fn(rel, sd_error_message(), arg);
		sd_error_clear();
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		struct ref *r;

		if (a->nrefs == a->refcap) {
			struct ref *v = realloc(a->refs, (a->refcap = a->refcap ? 2 * a->refcap : 64) *
			    sizeof(*v));
			if (!v) {
				a->failed = 1;
				break;
			}
			a->refs = v;
		}
		r = &a->refs[a->nrefs];
		memcpy(r->hex, l.v[i].hex, sizeof(r->hex));
		r->size = l.v[i].size;
		if (!(r->rel = sd__strdup(rel))) {
			a->failed = 1;
			break;
		}
		a->nrefs++;
	}
	sd_attach_list_free(&l);
}

int
sd__fsck_attach_end(struct sd__fsck_attach *a, sd__fsck_attach_fn fn, void *arg)
{
	char path[SD_ATTACH_PATH_MAX], msg[300];

	if (a->failed)
		return sd__oom();
	for (size_t i = 0; i < a->nrefs; i++) {
		struct entry *e = a->cap ? slot(a, a->refs[i].hex) : NULL;

		sd_attach_path(path, a->refs[i].hex);
		if (!e || !e->used) {
			snprintf(msg, sizeof(msg), _("references %s, which is not in HEAD"), path);
			fn(a->refs[i].rel, msg, arg);
		} else {
			e->referenced = 1;
			if (e->size != a->refs[i].size) {
				snprintf(msg, sizeof(msg), _("references %s as %zu bytes; it holds %zu"),
				    path, a->refs[i].size, e->size);
				fn(a->refs[i].rel, msg, arg);
			}
		}
	}
	/* In the order of the slots: sorted for the reader by sd-fsck's
	 * caller, if at all. */
	for (size_t i = 0; i < a->cap; i++)
		if (a->slots[i].used && !a->slots[i].referenced) {
			sd_attach_path(path, a->slots[i].hex);
			fn(path, _("a stray attachment: no ticket references it"), arg);
		}
	return 0;
}
