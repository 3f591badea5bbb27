/*
 * One ticket in memory and its file (sd-ticket(5)): its fields, texts and
 * events, read fast or through inih, and written.  What the fields are is
 * lib/field.c's; whether their values are good, lib/validate.c's.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_internal.h"
#include "ini_internal.h"
#include "internal.h"
#include "sd/ticket.h"

static const char *const text_sections[] = { "description", "solution" };

struct kv {
	char *key, *value;
};

struct event {
	struct kv *kv;
	size_t n;
};

/* A ticket read by scan() keeps every string and array in one block, so
 * that reading costs one allocation; the first change copies them out
 * into pieces of their own (unblock) and keeps the block to the end, so
 * that a string got from the ticket before can still be given to it. */
struct sd_ticket {
	char *f[SD_F__COUNT];
	char *text[2];
	struct event *ev;
	size_t nev;
	char *block;            /* when set, all the above lies in it */
	char *old;              /* the block, after unblock */
};

int
sd_ticket_new(struct sd_ticket **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	return 0;
}

static void
event_free(struct event *e)
{
	for (size_t k = 0; k < e->n; k++) {
		free(e->kv[k].key);
		free(e->kv[k].value);
	}
	free(e->kv);
}

/* What t holds, not t itself. */
static void
contents_free(struct sd_ticket *t)
{
	free(t->old);
	if (t->block) {
		free(t->block);
		return;
	}
	for (int f = 0; f < SD_F__COUNT; f++)
		free(t->f[f]);
	free(t->text[0]);
	free(t->text[1]);
	for (size_t i = 0; i < t->nev; i++)
		event_free(&t->ev[i]);
	free(t->ev);
}

void
sd_ticket_free(struct sd_ticket *t)
{
	if (!t)
		return;
	contents_free(t);
	free(t);
}

/* Every string and array of t in pieces of its own, before a change. */
static int
unblock(struct sd_ticket *t)
{
	struct sd_ticket u = { 0 };

	if (!t->block)
		return 0;
	for (int f = 0; f < SD_F__COUNT; f++)
		if (t->f[f] && !(u.f[f] = sd__strdup(t->f[f])))
			goto oom;
	for (int i = 0; i < 2; i++)
		if (t->text[i] && !(u.text[i] = sd__strdup(t->text[i])))
			goto oom;
	if (t->nev && !(u.ev = calloc(t->nev, sizeof(*u.ev))))
		goto oom;
	for (; u.nev < t->nev; u.nev++) {
		const struct event *e = &t->ev[u.nev];
		struct event *d = &u.ev[u.nev];

		if (e->n && !(d->kv = calloc(e->n, sizeof(*d->kv))))
			goto oom;
		for (; d->n < e->n; d->n++)
			if (!(d->kv[d->n].key = sd__strdup(e->kv[d->n].key)) ||
			    !(d->kv[d->n].value = sd__strdup(e->kv[d->n].value))) {
				free(d->kv[d->n].key);
				goto oom_event;
			}
	}
	u.old = t->block;
	*t = u;
	return 0;
oom_event:
	u.nev++;        /* the event being copied, freed with the others */
oom:
	contents_free(&u);
	return sd__oom();
}

const char *
sd_ticket_get(const struct sd_ticket *t, enum sd_field f)
{
	return t->f[f] ? t->f[f] : "";
}

int
sd_ticket_set(struct sd_ticket *t, enum sd_field f, const char *value)
{
	char *v = NULL;
	int rc;

	if ((rc = unblock(t)) < 0)
		return rc;
	if (value && *value && !(v = sd__strdup(value)))
		return sd__oom();
	free(t->f[f]);
	t->f[f] = v;
	return 0;
}

long
sd_ticket_number(const struct sd_ticket *t, enum sd_field f)
{
	const char *v = t->f[f];
	long n = 0;
	int k;

	if (!v)
		return 0;
	/* A few digits, as sd writes numbers: by hand; else as strtol reads. */
	for (k = 0; k < 9 && v[k] >= '0' && v[k] <= '9'; k++)
		n = n * 10 + (v[k] - '0');
	return k > 0 && !v[k] ? n : strtol(v, NULL, 10);
}

int
sd_ticket_set_number(struct sd_ticket *t, enum sd_field f, long n)
{
	char s[32];

	snprintf(s, sizeof(s), "%ld", n);
	return sd_ticket_set(t, f, s);
}

const char *
sd_ticket_text(const struct sd_ticket *t, enum sd_text which)
{
	return t->text[which] ? t->text[which] : "";
}

int
sd_ticket_set_text(struct sd_ticket *t, enum sd_text which, const char *text)
{
	char *v = NULL;
	int rc;

	if ((rc = unblock(t)) < 0)
		return rc;
	if (text && *text && !(v = sd__strdup(text)))
		return sd__oom();
	free(t->text[which]);
	t->text[which] = v;
	return 0;
}

size_t
sd_ticket_event_count(const struct sd_ticket *t)
{
	return t->nev;
}

static int
event_new(struct sd_ticket *t)
{
	struct event *ev;
	int rc;

	if ((rc = unblock(t)) < 0)
		return rc;
	if (!(ev = realloc(t->ev, (t->nev + 1) * sizeof(*ev))))
		return sd__oom();
	t->ev = ev;
	memset(&ev[t->nev++], 0, sizeof(*ev));
	return 0;
}

int
sd_ticket_event_set(struct sd_ticket *t, size_t i, const char *key, const char *value)
{
	struct event *e;
	struct kv *kv;
	char *v;
	int rc;

	if ((rc = unblock(t)) < 0)
		return rc;
	e = &t->ev[i];
	if (!(v = sd__strdup(value ? value : "")))
		return sd__oom();
	for (size_t k = 0; k < e->n; k++)
		if (!strcmp(e->kv[k].key, key)) {
			free(e->kv[k].value);
			e->kv[k].value = v;
			return 0;
		}
	if (!(kv = realloc(e->kv, (e->n + 1) * sizeof(*kv)))) {
		free(v);
		return sd__oom();
	}
	e->kv = kv;
	if (!(kv[e->n].key = sd__strdup(key))) {
		free(v);
		return sd__oom();
	}
	kv[e->n++].value = v;
	return 0;
}

int
sd_ticket_event_add(struct sd_ticket *t, size_t *index, const char *at,
    const char *by, const char *action)
{
	int rc;

	if ((rc = event_new(t)) < 0)
		return rc;
	*index = t->nev - 1;
	if ((rc = sd_ticket_event_set(t, *index, "at", at)) < 0 ||
	    (rc = sd_ticket_event_set(t, *index, "by", by)) < 0 ||
	    (rc = sd_ticket_event_set(t, *index, "action", action)) < 0)
		return rc;
	return 0;
}

const char *
sd_ticket_event_get(const struct sd_ticket *t, size_t i, const char *key)
{
	const struct event *e = &t->ev[i];

	for (size_t k = 0; k < e->n; k++)
		if (sd__streq(e->kv[k].key, key))
			return e->kv[k].value;
	return NULL;
}

const char *
sd_ticket_provider_ref(const struct sd_ticket *t)
{
	for (size_t i = t->nev; i-- > 0;) {
		const char *ref = sd_ticket_event_get(t, i, "provider_ref");
		if (ref)
			return ref;
	}
	return NULL;
}

size_t sd_ticket_event_keys(const struct sd_ticket *t, size_t i) { return t->ev[i].n; }
const char *sd_ticket_event_key(const struct sd_ticket *t, size_t i, size_t k) { return t->ev[i].kv[k].key; }
const char *sd_ticket_event_value(const struct sd_ticket *t, size_t i, size_t k) { return t->ev[i].kv[k].value; }

/* Reading: inih hands over one chunk at a time; `key` lines start a value
 * (or, in text, a new line of it) and `key+` lines go on with it. */
struct reader {
	struct sd_ticket *t;
	int head_only;
	int where;              /* 0 nowhere, 1 ticket, 2 text, 3 event */
	int which;              /* the field, text or event being read */
	char last[64];          /* the key of the last line in this section */
	struct sd_buf value;    /* the value being built */
	int done_ticket;
	int seen[SD_F__COUNT];
	int seen_text[2];
	int stop;
	int next;               /* the field expected next in [ticket] */
};

static int
flush(struct reader *r)
{
	int rc;

	if (!r->last[0])
		return 0;
	if ((rc = sd_buf__check(&r->value)) < 0)
		return rc;
	if (r->where == 1) {
		rc = sd_ticket_set(r->t, r->which, r->value.data);
	} else if (r->where == 2) {
		rc = sd_ticket_set_text(r->t, r->which, r->value.data);
	} else {
		rc = sd_ticket_event_set(r->t, (size_t)r->which, r->last,
		    r->value.data ? r->value.data : "");
	}
	/* The buffer is kept for the next value: one allocation a file. */
	r->value.len = 0;
	if (r->value.data)
		r->value.data[0] = '\0';
	r->last[0] = '\0';
	return rc;
}

static int
begin(struct reader *r, const char *section)
{
	char *end;
	long n;

	if (flush(r) < 0)
		return -1;
	if (r->where == 1)
		r->done_ticket = 1;
	if (!strcmp(section, "ticket")) {
		if (r->done_ticket)
			return sd_error_set(SD_EINVALID, "%s", _("duplicate section [ticket]")), -1;
		r->where = 1;
		return 0;
	}
	if (!r->done_ticket)
		return sd_error_set(SD_EINVALID, _("[%s] before [ticket]"), section), -1;
	if (r->head_only) {
		r->stop = 1;
		return 0;
	}
	for (int i = 0; i < 2; i++)
		if (!strcmp(section, text_sections[i])) {
			if (r->seen_text[i] || r->t->nev)
				return sd_error_set(SD_EINVALID, _("[%s] out of place"), section), -1;
			r->seen_text[i] = 1;
			r->where = 2;
			r->which = i;
			return 0;
		}
	if (!strncmp(section, "event ", 6)) {
		n = strtol(section + 6, &end, 10);
		if (*end || !isdigit((unsigned char)section[6]) || n != (long)r->t->nev + 1)
			return sd_error_set(SD_EINVALID, _("[%s] should be [event %zu]"),
			    section, r->t->nev + 1), -1;
		if (event_new(r->t) < 0)
			return -1;
		r->where = 3;
		r->which = (int)r->t->nev - 1;
		return 0;
	}
	return sd_error_set(SD_EINVALID, _("unknown section [%s]"), section), -1;
}

int
sd__event_lines(const char *key, size_t n)
{
	return (n == 4 && !memcmp(key, "text", 4)) || (n == 10 && !memcmp(key, "attachment", 10));
}

/* Event keys are short words, so that every line of an event fits in
 * inih's buffer however long its value. */
static int
event_key_ok(const char *key)
{
	size_t n = strspn(key, "abcdefghijklmnopqrstuvwxyz_");

	return n > 0 && n <= 24 && !key[n];
}

static int
on_line(void *user, const char *section, const char *name, const char *value, int lineno)
{
	struct reader *r = user;
	char key[64];
	size_t n;
	int cont;

	(void)lineno;
	if (r->stop)
		return 1;
	if (!name)
		return begin(r, section) == 0;
	if (!*section)
		return sd_error_set(SD_EINVALID, "%s", _("key outside any [section]")), 0;
	n = strlen(name);
	cont = n > 1 && name[n - 1] == '+';
	if (n - cont >= sizeof(key))
		return sd_error_set(SD_EINVALID, _("unknown key '%s'"), name), 0;
	memcpy(key, name, n - cont);
	key[n - cont] = '\0';
	if (cont) {
		if (strcmp(key, r->last))
			return sd_error_set(SD_EINVALID, _("'%s' does not follow a '%s' line"), name, key), 0;
	} else if ((r->where == 2 || (r->where == 3 && sd__event_lines(key, strlen(key)))) &&
	    !strcmp(key, r->last)) {
		sd_buf__addc(&r->value, '\n');     /* the next line of a text */
	} else {
		if (flush(r) < 0)
			return 0;
		if (r->where == 1) {
			/* Fields come in the order sd writes them: try that first. */
			int f = r->next < SD_F__COUNT && !strcmp(sd__fields[r->next].name, key) ?
			    r->next : sd_field_lookup(key);
			r->next = f + 1;
			if (f < 0)
				return sd_error_set(SD_EINVALID, _("unknown key '%s'"), key), 0;
			if (r->seen[f])
				return sd_error_set(SD_EINVALID, _("duplicate key '%s'"), key), 0;
			r->seen[f] = 1;
			r->which = f;
		} else if (r->where == 2) {
			if (strcmp(key, "text") || r->t->text[r->which])
				return sd_error_set(SD_EINVALID, _("unknown key '%s'"), key), 0;
		} else if (sd_ticket_event_get(r->t, (size_t)r->which, key)) {
			return sd_error_set(SD_EINVALID, _("duplicate key '%s'"), key), 0;
		} else if (!event_key_ok(key)) {
			return sd_error_set(SD_EINVALID, _("'%s' is not an event key (a-z and _, 24 at most)"), key), 0;
		}
		memcpy(r->last, key, n - cont + 1);
		if (!r->value.data)
			sd_buf__add(&r->value, "", 0);
	}
	{
		/* Checked chunk by chunk, so that a bad byte is told with its
		 * line: sd never splits a character across chunks. */
		size_t before = r->value.len;
		if (sd_codec__take(&r->value, value) < 0)
			return 0;
		if (!r->value.failed && !sd__utf8_valid(r->value.data + before, r->value.len - before))
			return sd_error_set(SD_EINVALID, _("'%s' is not valid UTF-8 or holds a NUL"), key), 0;
	}
	return 1;
}

/* The lines of data that SD_PARSE_CLOCK reads, in *out: all of [ticket],
 * the [event N] lines, and of each event the keys the clocks need, with
 * their continuation lines.  A key line always starts with its key
 * (sd-ticket(5)), so text can never pass for one. */
static int
clock_lines(struct sd_buf *out, const char *data, size_t len)
{
	static const char *const keep[] = {
		"at =", "by =", "action =", "from =", "to =", "group =", "superseded =",
		/* A long value goes on in key+ lines, right after its key's. */
		"at+ =", "by+ =", "action+ =", "from+ =", "to+ =", "group+ =", "superseded+ =",
	};
	const char *p = data, *end = data + len;
	int section = 0;        /* 1 ticket, 2 event, 0 other */

	/* At most the whole file: one allocation. */
	sd_buf__add(out, data, len);
	out->len = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		int take = section == 1;

		if (*p == '[') {
			/* Within the line: the data may end in the middle of one. */
			section = n >= 8 && !memcmp(p, "[ticket]", 8) ? 1 :
			    n >= 7 && !memcmp(p, "[event ", 7) ? 2 : 0;
			take = section != 0;
		} else if (section == 2) {
			for (size_t k = 0; k < SD_ARRAY_SIZE(keep) && !take; k++)
				take = n > strlen(keep[k]) && !strncmp(p, keep[k], strlen(keep[k]));
		}
		if (take)
			sd_buf__add(out, p, n);
		p += n;
	}
	return sd_buf__check(out);
}

/* Reading the files sd writes, fast.
 *
 * sd writes a ticket in plain lines alone (sd-ticket(5)): `[section]`,
 * `key = value` and blank lines.  scan() reads such a file in one pass,
 * into one block of memory that the ticket keeps: its strings decoded
 * there, its events and their pairs as arrays there.  It tells no error:
 * at the first line that the general reader (on_line, through
 * sd__ini_parse and inih) would read otherwise or refuse, it gives up, and
 * the file is read again that way, which says what is wrong.  So the two
 * agree on every file, as tests/unit/test_ticket.c checks. */

enum { SCAN_GAVE_UP = 1 };

/* The section being read: as clock_lines and begin() see them. */
enum scan_section { IN_NONE, IN_TICKET, IN_TEXT, IN_EVENT, IN_SKIP };

struct scan {
	struct sd_ticket *t;
	int mode;
	enum scan_section in;
	int which;              /* the text, or the event, being read */
	int done_ticket;
	int seen_text[2];
	uint64_t seen;          /* the fields read, a bit each */
	int next;               /* the field expected next */
	struct kv *pairs;       /* the next free pair of the block */
	char *s;                /* where the next string goes */
	char *value;            /* the value being read, or NULL */
	int field;              /* its field, in [ticket] */
	const char *key;        /* its key in the file, keylen bytes */
	size_t keylen;
};

/* The value being read is whole: into its field, text or pair. */
static void
scan_end_value(struct scan *sc)
{
	int empty;

	if (!sc->value)
		return;
	empty = sc->s == sc->value;
	*sc->s++ = '\0';
	if (sc->in == IN_TICKET)
		sc->t->f[sc->field] = empty ? NULL : sc->value;
	else if (sc->in == IN_TEXT)
		sc->t->text[sc->which] = empty ? NULL : sc->value;
	else
		sc->t->ev[sc->which].kv[sc->t->ev[sc->which].n - 1].value = sc->value;
	sc->value = NULL;
	sc->key = NULL;
	sc->keylen = 0;
}

/* A `[section]` line of n bytes: 0 read, 1 give up, 2 the end (HEAD). */
static int
scan_section(struct scan *sc, const char *p, size_t n)
{
	static const char *const texts[2] = { "[description]", "[solution]" };
	struct sd_ticket *t = sc->t;
	int is_ticket = n >= 8 && !memcmp(p, "[ticket]", 8);
	int is_event = n >= 7 && !memcmp(p, "[event ", 7);

	scan_end_value(sc);
	if (sc->in == IN_TICKET)
		sc->done_ticket = 1;
	if (sc->done_ticket && sc->mode == SD_PARSE_HEAD && !is_ticket)
		return 2;
	if (sc->mode == SD_PARSE_CLOCK && !is_ticket && !is_event) {
		sc->in = IN_SKIP;       /* clock_lines leaves it out */
		return 0;
	}
	if (is_ticket) {
		if (n != 8 || sc->done_ticket)
			return SCAN_GAVE_UP;
		sc->in = IN_TICKET;
		return 0;
	}
	if (!sc->done_ticket)
		return SCAN_GAVE_UP;
	if (is_event) {
		size_t want = t->nev + 1, k = 7, got = 0;

		if (n < 9 || p[k] == '0')
			return SCAN_GAVE_UP;
		for (; k < n - 1 && p[k] >= '0' && p[k] <= '9' && got <= want; k++)
			got = got * 10 + (size_t)(p[k] - '0');
		if (k == 7 || k != n - 1 || p[k] != ']' || got != want)
			return SCAN_GAVE_UP;
		t->ev[t->nev].kv = sc->pairs;
		t->ev[t->nev].n = 0;
		sc->which = (int)t->nev++;
		sc->in = IN_EVENT;
		return 0;
	}
	for (int i = 0; i < 2; i++)
		if (n == strlen(texts[i]) && !memcmp(p, texts[i], n)) {
			if (sc->seen_text[i] || t->nev)
				return SCAN_GAVE_UP;
			sc->seen_text[i] = 1;
			sc->which = i;
			sc->in = IN_TEXT;
			return 0;
		}
	return SCAN_GAVE_UP;
}

/* Are the k bytes at p those at s?  For the words of a ticket file, a few
 * bytes long, where a call to memcmp costs more than the comparing: up to
 * 16 bytes in two loads of each side, which may overlap. */
static inline int
same(const char *p, const char *s, size_t k)
{
	uint64_t a, b, c, d;
	uint32_t w, x, y, z;

	if (k >= 8 && k <= 16) {
		memcpy(&a, p, 8), memcpy(&b, s, 8);
		memcpy(&c, p + k - 8, 8), memcpy(&d, s + k - 8, 8);
		return a == b && c == d;
	}
	if (k >= 4 && k < 8) {
		memcpy(&w, p, 4), memcpy(&x, s, 4);
		memcpy(&y, p + k - 4, 4), memcpy(&z, s + k - 4, 4);
		return w == x && y == z;
	}
	if (k > 16)
		return !memcmp(p, s, k);
	for (size_t i = 0; i < k; i++)
		if (p[i] != s[i])
			return 0;
	return 1;
}

/* Does the data at p (n bytes to its end) start with `KEY =` or `KEY+ =`
 * and go on after it, KEY being the k bytes at key? */
static inline int
keeps(const char *p, size_t n, const char *key, size_t k)
{
	if (n <= k + 2 || !same(p, key, k))
		return 0;
	if (p[k] == '+')
		return n > k + 3 && p[k + 1] == ' ' && p[k + 2] == '=';
	return p[k] == ' ' && p[k + 1] == '=';
}

/* Does the event line at p (data ending at end, p before it) reach the
 * clocks?  As clock_lines decides: when it starts with `KEY =` or
 * `KEY+ =` and goes on after that (if only with its \n), for a KEY it
 * keeps. */
static int
clock_key(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	switch (p[0]) {
	case 'a': return keeps(p, n, "at", 2) || keeps(p, n, "action", 6);
	case 'b': return keeps(p, n, "by", 2);
	case 'f': return keeps(p, n, "from", 4);
	case 'g': return keeps(p, n, "group", 5);       /* the calendar's */
	case 's': return keeps(p, n, "superseded", 10); /* moves no clock */
	case 't': return keeps(p, n, "to", 2);
	}
	return 0;
}

/* Is the field f named by the n bytes at key?  (The first byte first: it
 * tells most fields apart at once.) */
static int
names_field(int f, const char *key, size_t n)
{
	return sd__fields[f].len == n && sd__fields[f].name[0] == key[0] &&
	    same(sd__fields[f].name, key, n);
}

/* The field named by the n bytes at key, trying next first; -1 if none. */
static int
field_named(const char *key, size_t n, int next)
{
	if (next < SD_F__COUNT && names_field(next, key, n))
		return next;
	for (int f = 0; f < SD_F__COUNT; f++)
		if (names_field(f, key, n))
			return f;
	return -1;
}

/* Is string s the n bytes at key (no NUL among them)? */
static inline int
names_key(const char *s, const char *key, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == key[i])
		i++;
	return i == n && !s[n];
}

/* Is the n bytes at key an event key: a-z and _, 24 at most? */
static int
event_key_bytes(const char *key, size_t n)
{
	if (n == 0 || n > 24)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((key[i] < 'a' || key[i] > 'z') && key[i] != '_')
			return 0;
	return 1;
}

/* Is the line of n bytes `NAME = VALUE` or `NAME =`, NAME field f's, as
 * sd writes it, and so a pair that sd__ini_pair_flags reads as key NAME
 * and the value from *value on?  The test for the line sd writes next. */
static int
field_line(int f, const char *p, size_t n, int flags, size_t *value)
{
	size_t len;

	if (f >= SD_F__COUNT || (flags & (SD_INI_CONTROL | SD_INI_SEMI)) || n > SD_INI_LINE_MAX)
		return 0;
	len = sd__fields[f].len;
	if (n < len + 2 || !same(p, sd__fields[f].name, len) || p[len] != ' ' || p[len + 1] != '=')
		return 0;
	if (n == len + 2) {
		*value = n;
		return 1;
	}
	if (n > len + 3 && p[len + 2] == ' ' && p[len + 3] != ' ' && p[n - 1] != ' ') {
		*value = len + 3;
		return 1;
	}
	return 0;
}

/* A `key = value` line of n bytes, its flags from sd__ini_line: 0 read,
 * 1 give up. */
static int
scan_pair(struct scan *sc, const char *p, size_t n, int flags)
{
	struct sd_ticket *t = sc->t;
	size_t klen, vat, kn;
	int cont, f = -1;
	long got;

	if (sc->in == IN_TICKET && field_line(sc->next, p, n, flags, &vat))
		klen = sd__fields[f = sc->next].len;
	else if (!sd__ini_pair_flags(p, n, flags, &klen, &vat))
		return SCAN_GAVE_UP;
	cont = klen > 1 && p[klen - 1] == '+';
	kn = klen - cont;
	if (cont) {
		if (!sc->value || kn != sc->keylen || !same(p, sc->key, kn))
			return SCAN_GAVE_UP;
	} else if (sc->value && (sc->in == IN_TEXT || (sc->in == IN_EVENT &&
	    sd__event_lines(p, kn))) && kn == sc->keylen && same(p, sc->key, kn)) {
		*sc->s++ = '\n';        /* the next line of a text */
	} else {
		scan_end_value(sc);
		if (sc->in == IN_TICKET) {
			if (f < 0)
				f = field_named(p, kn, sc->next);
			if (f < 0 || (sc->seen & (UINT64_C(1) << f)))
				return SCAN_GAVE_UP;
			sc->seen |= UINT64_C(1) << f;
			sc->field = f;
			sc->next = f + 1;
		} else if (sc->in == IN_TEXT) {
			if (kn != 4 || !same(p, "text", 4) || t->text[sc->which])
				return SCAN_GAVE_UP;
		} else if (sc->in == IN_EVENT) {
			struct event *e = &t->ev[sc->which];

			if (!event_key_bytes(p, kn))
				return SCAN_GAVE_UP;
			for (size_t k = 0; k < e->n; k++)
				if (names_key(e->kv[k].key, p, kn))
					return SCAN_GAVE_UP;
			memcpy(sc->s, p, kn);
			sc->s[kn] = '\0';
			sc->pairs->key = sc->s;
			sc->pairs->value = NULL;
			sc->pairs++;
			e->n++;
			sc->s += kn + 1;
		} else {
			return SCAN_GAVE_UP;    /* outside any section */
		}
		sc->value = sc->s;
		sc->key = p;
		sc->keylen = kn;
	}
	if ((got = sd_codec__decode(sc->s, p + vat, n - vat)) < 0)
		return SCAN_GAVE_UP;
	/* ASCII alone is valid UTF-8; a quoted value may decode to more. */
	if (((flags & SD_INI_HIGH) || (vat < n && p[vat] == '"')) &&
	    !sd__utf8_valid(sc->s, (size_t)got))
		return SCAN_GAVE_UP;
	sc->s += got;
	return 0;
}

/* t from data in one block, as sd_ticket_parse would read it in mode;
 * SCAN_GAVE_UP when that must be left to the general reader. */
static int
scan(struct sd_ticket **out, const char *data, size_t len, int mode)
{
	const char *p = data, *end = data + len, *nl;
	struct scan sc = { 0 };
	size_t pairs, heads, size;
	int rc = 0;

	*out = NULL;
	/* Room for the block.  A line that holds a pair is 3 bytes at least
	 * with its \n (`k=\n`), one that starts an event 10 (`[event 1]\n`),
	 * and the strings of a line take no more bytes than the line and its
	 * \n (see scan_pair). */
	pairs = len / 3 + 1;
	heads = len / 10 + 1;
	size = heads * sizeof(struct event) + pairs * sizeof(struct kv) + 2 * len + 2;
	if (!(sc.t = calloc(1, sizeof(*sc.t))) || !(sc.t->block = malloc(size))) {
		free(sc.t);
		return SCAN_GAVE_UP;    /* the general reader needs less */
	}
	sc.t->ev = (struct event *)sc.t->block;
	sc.pairs = (struct kv *)(sc.t->ev + heads);
	sc.s = (char *)(sc.pairs + pairs);
	sc.mode = mode;
	sc.in = mode == SD_PARSE_CLOCK ? IN_SKIP : IN_NONE;

	for (; rc == 0 && p < end; p = nl + 1) {
		size_t n;
		int flags;

		if (*p != '[' && (sc.in == IN_SKIP ||
		    (mode == SD_PARSE_CLOCK && sc.in == IN_EVENT && !clock_key(p, end)))) {
			/* clock_lines leaves it out: only its end matters. */
			nl = sd__ini_eol(p, end);
			continue;
		}
		nl = sd__ini_line(p, end, &flags);
		n = (size_t)(nl - p);
		if (n && *p == '[')
			rc = scan_section(&sc, p, n);
		else if (n)
			rc = scan_pair(&sc, p, n, flags);
	}
	scan_end_value(&sc);
	if (rc == 2)
		rc = 0;         /* HEAD: [ticket] is read */
	if (rc == 0 && (!sc.done_ticket && sc.in != IN_TICKET))
		rc = SCAN_GAVE_UP;
	for (int f = 0; rc == 0 && f < SD_F__COUNT; f++)
		if (sd_field_optional(f))
			sc.seen |= UINT64_C(1) << f;
	if (rc == 0 && sc.seen != (UINT64_C(1) << SD_F__COUNT) - 1)
		rc = SCAN_GAVE_UP;
	if (rc != 0) {
		sd_ticket_free(sc.t);
		return rc;
	}
	if (!sc.t->nev)
		sc.t->ev = NULL;
	*out = sc.t;
	return 0;
}

/* Nonzero: every ticket read by the general reader, none by scan (tests). */
int sd__ticket_scan_off;

int
sd_ticket_parse(struct sd_ticket **out, const char *data, size_t len,
    const char *path, int mode)
{
	struct sd_buf lines = SD_BUF_INIT;
	struct reader r = { 0 };
	int head_only = mode == SD_PARSE_HEAD;
	int rc;

	*out = NULL;
	if (!sd__ticket_scan_off && (rc = scan(out, data, len, mode)) <= 0)
		return rc;
	if (mode == SD_PARSE_CLOCK) {
		if ((rc = clock_lines(&lines, data, len)) < 0)
			return rc;
		rc = sd_ticket_parse(out, lines.data ? lines.data : "", lines.len, path, SD_PARSE_FULL);
		sd_buf__free(&lines);
		/* Told with the lines of the whole file. */
		if (rc < 0 && sd_ticket_parse(out, data, len, path, SD_PARSE_FULL) == 0) {
			sd_ticket_free(*out);
			*out = NULL;
			rc = sd_error_set(SD_EINVALID, _("%s: malformed"), path);
		}
		return rc;
	}
	if ((rc = sd_ticket_new(&r.t)) < 0)
		return rc;
	r.head_only = head_only;
	if (head_only) {
		/* The list commands need [ticket] alone: stop at the next section. */
		const char *p = data, *end = data + len;
		while ((p = memchr(p, '\n', (size_t)(end - p))) && p + 1 < end) {
			if (p[1] == '[' && ((size_t)(end - p - 1) < 8 || memcmp(p + 1, "[ticket]", 8))) {
				len = (size_t)(p + 1 - data);
				break;
			}
			p++;
		}
	}
	rc = sd__ini_parse(data, len, path, SD_EINVALID, on_line, &r);
	if (rc == 0 && (rc = flush(&r)) < 0)
		rc = sd_error_set(rc, "%s: %s", path, sd_error_message());
	if (rc == 0 && !r.where)
		rc = sd_error_set(SD_EINVALID, _("%s: no [ticket] section"), path);
	for (int f = 0; rc == 0 && f < SD_F__COUNT; f++)
		if (!r.seen[f] && !sd_field_optional(f))
			rc = sd_error_set(SD_EINVALID, _("%s: [ticket] has no '%s'"), path, sd__fields[f].name);
	sd_buf__free(&r.value);
	if (rc < 0) {
		sd_ticket_free(r.t);
		return rc;
	}
	*out = r.t;
	return 0;
}

int
sd_ticket_peek_status(const char *data, size_t len, char out[32])
{
	const char *p = data, *end = data + len, *nl;

	if (len < 9 || memcmp(data, "[ticket]\n", 9))
		return 0;
	/* Within [ticket]: up to the next line that starts a section. */
	for (p = data + 9; p < end && *p != '['; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			return 0;
		if (nl - p > 9 && !memcmp(p, "status = ", 9)) {
			size_t n = (size_t)(nl - p - 9);
			if (n == 0 || n >= 32)
				return 0;
			memcpy(out, p + 9, n);
			out[n] = '\0';
			return sd_status_valid(out);
		}
	}
	return 0;
}

int
sd_ticket_format(char **out, size_t *len, const struct sd_ticket *t)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__adds(&b, "[ticket]\n");
	for (int f = 0; f < SD_F__COUNT; f++) {
		const char *v = sd_ticket_get(t, f);
		if (*v || !sd_field_optional(f))
			sd_codec__put(&b, sd__fields[f].name, v, strlen(v), 0);
	}
	for (int i = 0; i < 2; i++)
		if (t->text[i]) {
			sd_buf__printf(&b, "\n[%s]\n", text_sections[i]);
			sd_codec__put(&b, "text", t->text[i], strlen(t->text[i]), 1);
		}
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		sd_buf__printf(&b, "\n[event %zu]\n", i + 1);
		for (size_t k = 0; k < e->n; k++)
			sd_codec__put(&b, e->kv[k].key, e->kv[k].value,
			    strlen(e->kv[k].value), sd__event_lines(e->kv[k].key, strlen(e->kv[k].key)));
	}
	if (b.failed) {
		sd_buf__free(&b);
		return sd__oom();
	}
	*len = b.len;
	*out = sd_buf__detach(&b);
	return 0;
}
