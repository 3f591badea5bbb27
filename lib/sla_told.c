/*
 * What sd-sla --new-only has told: the state file .git/sd-sla-told, its
 * parsing and its text, and which of a run's findings are new.
 */

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sd/sla.h"

/* The longest ID a line may hold: a prefix and 15 digits fit well. */
#define ID_MAX 64

struct told {
	char *id;
	enum sd_clock clock;
	enum sd_sla_state state;
	int line;               /* in the file parsed; 0 when marked */
};

struct sd_sla_told {
	struct told *v;
	size_t n, cap;
	int sorted;             /* v is in order of id and clock: for lookups */
};

/* By enum sd_clock; unmanaged came later: files before it read the same. */
static const char *const clock_names[3] = { "response", "resolution", "unmanaged" };

static const char *
state_name(enum sd_sla_state st)
{
	return st == SD_SLA_BREACHED ? "breached" : "at-risk";
}

int
sd_sla_told_new(struct sd_sla_told **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	return 0;
}

void
sd_sla_told_free(struct sd_sla_told *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].id);
	free(t->v);
	free(t);
}

size_t
sd_sla_told_count(const struct sd_sla_told *t)
{
	return t->n;
}

static int
add(struct sd_sla_told *t, const char *id, size_t idlen, enum sd_clock clock,
    enum sd_sla_state state, int line)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct told *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return sd__oom();
		t->v = v;
		t->cap = cap;
	}
	if (!(t->v[t->n].id = sd__strndup(id, idlen)))
		return sd__oom();
	t->v[t->n].clock = clock;
	t->v[t->n].state = state;
	t->v[t->n].line = line;
	t->n++;
	t->sorted = 0;
	return 0;
}

static int
cmp_told(const void *a, const void *b)
{
	const struct told *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->clock != y->clock)
		return x->clock < y->clock ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The told clock id's clock in t, or NULL: by halves when t is sorted
 * (as parsed), else one by one (a set only marked). */
static const struct told *
find(const struct sd_sla_told *t, const char *id, enum sd_clock clock)
{
	size_t lo = 0, hi = t->n;

	if (!t->sorted) {
		for (size_t i = 0; i < t->n; i++)
			if (t->v[i].clock == clock && !strcmp(t->v[i].id, id))
				return &t->v[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->v[mid].id, id);

		if (!c)
			c = t->v[mid].clock == clock ? 0 : t->v[mid].clock < clock ? -1 : 1;
		if (!c)
			return &t->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A field of a line: printable, no tab, not empty. */
static int
field_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int
word(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

/* One line of the file, s[0 .. n - 1], no newline. */
static int
parse_line(struct sd_sla_told *t, const char *s, size_t n, const char *name, int line)
{
	const char *tab1 = memchr(s, '\t', n), *tab2, *st;
	size_t idlen, clen, slen;
	enum sd_clock clock;
	enum sd_sla_state state;

	if (!tab1 || !(tab2 = memchr(tab1 + 1, '\t', n - (size_t)(tab1 + 1 - s))))
		goto bad;
	idlen = (size_t)(tab1 - s);
	clen = (size_t)(tab2 - tab1 - 1);
	st = tab2 + 1;
	slen = n - (size_t)(st - s);
	if (!field_ok(s, idlen) || idlen > ID_MAX || !field_ok(tab1 + 1, clen) ||
	    !field_ok(st, slen) || memchr(st, '\t', slen))
		goto bad;
	if (word(tab1 + 1, clen, clock_names[0]))
		clock = SD_CLOCK_RESPONSE;
	else if (word(tab1 + 1, clen, clock_names[1]))
		clock = SD_CLOCK_RESOLUTION;
	else if (word(tab1 + 1, clen, clock_names[2]))
		clock = SD_CLOCK_UNMANAGED;
	else
		return sd_error_set(SD_EINVALID,
		    _("%s:%d: clock '%.*s' is not response, resolution or unmanaged"),
		    name, line, (int)clen, tab1 + 1);
	if (word(st, slen, "at-risk"))
		state = SD_SLA_AT_RISK;
	else if (word(st, slen, "breached"))
		state = SD_SLA_BREACHED;
	else
		return sd_error_set(SD_EINVALID, _("%s:%d: state '%.*s' is not at-risk or breached"),
		    name, line, (int)slen, st);
	return add(t, s, idlen, clock, state, line);
bad:
	return sd_error_set(SD_EINVALID, _("%s:%d: not a line of ID, clock and state, by tabs"),
	    name, line);
}

int
sd_sla_told_parse(struct sd_sla_told **out, const char *data, size_t len, const char *name)
{
	struct sd_sla_told *t;
	size_t at = 0;
	int line = 0, rc;

	*out = NULL;
	if ((rc = sd_sla_told_new(&t)) < 0)
		return rc;
	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);

		line++;
		if (!nl) {
			rc = sd_error_set(SD_EINVALID, _("%s:%d: the last line has no newline"),
			    name, line);
			goto fail;
		}
		if ((rc = parse_line(t, data + at, (size_t)(nl - data - at), name, line)) < 0)
			goto fail;
		at = (size_t)(nl - data) + 1;
	}
	if (t->n)        /* qsort wants an array, even of none */
		qsort(t->v, t->n, sizeof(*t->v), cmp_told);
	for (size_t i = 1; i < t->n; i++)
		if (!strcmp(t->v[i].id, t->v[i - 1].id) && t->v[i].clock == t->v[i - 1].clock) {
			rc = sd_error_set(SD_EINVALID, _("%s:%d: %s %s is there twice"), name,
			    t->v[i].line, t->v[i].id, clock_names[t->v[i].clock]);
			goto fail;
		}
	t->sorted = 1;
	*out = t;
	return 0;
fail:
	sd_sla_told_free(t);
	return rc;
}

int
sd_sla_told_format(const struct sd_sla_told *t, char **out, size_t *len)
{
	struct sd_buf b = SD_BUF_INIT;
	int rc;

	for (size_t i = 0; i < t->n; i++)
		sd_buf__printf(&b, "%s\t%s\t%s\n", t->v[i].id, clock_names[t->v[i].clock],
		    state_name(t->v[i].state));
	if ((rc = sd_buf__check(&b)) < 0) {
		sd_buf__free(&b);
		return rc;
	}
	*len = b.len;
	*out = sd_buf__detach(&b);
	return *out ? 0 : sd__oom();
}

int
sd_sla_told_mark(struct sd_sla_told *next, const struct sd_sla_told *prev,
    const char *id, enum sd_clock clock, enum sd_sla_state state)
{
	const struct told *was;
	size_t idlen = strlen(id);
	int rc;

	if (state == SD_SLA_OK)
		return 0;
	if (!field_ok(id, idlen) || idlen > ID_MAX)
		return sd_error_set(SD_EINVALID, _("'%s' is not a ticket ID"), id);
	if ((rc = add(next, id, idlen, clock, state, 0)) < 0)
		return rc;
	if (!prev)
		return 1;
	was = find(prev, id, clock);
	return !was || was->state != state;
}

int
sd_sla_told_keep(struct sd_sla_told *next, const struct sd_sla_told *prev, const char *id)
{
	int rc;

	if (!prev)
		return 0;
	for (size_t k = 0; k < SD_ARRAY_SIZE(clock_names); k++) {
		const struct told *was = find(prev, id, (enum sd_clock)k);

		if (was && (rc = add(next, was->id, strlen(was->id), was->clock, was->state, 0)) < 0)
			return rc;
	}
	return 0;
}

int
sd_sla_told_load(struct sd_store *s, struct sd_sla_told **out)
{
	char *data = NULL, *name;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = sd__store_read(s, SD_SLA_TOLD_FILE, &data, &len);
	if (rc == SD_ENOTFOUND)
		return sd_sla_told_new(out);
	if (rc < 0)
		return rc;
	if (!(name = sd__path(s->root, SD_SLA_TOLD_FILE))) {
		free(data);
		return sd__oom();
	}
	rc = sd_sla_told_parse(out, data, len, name);
	free(name);
	free(data);
	return rc;
}

int
sd_sla_told_save(struct sd_store *s, const struct sd_sla_told *t)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = sd_sla_told_format(t, &text, &len)) < 0)
		return rc;
	rc = sd__store_write(s, SD_SLA_TOLD_FILE, text, len, 0644);
	free(text);
	return rc;
}
