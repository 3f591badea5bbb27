/*
 * Finding a fixed string in a ticket's texts, whatever its case: Unicode
 * case folding and NFC on both sides, then a plain substring search.
 *
 * The folding is libunistring's u8_casefold, the whole of Unicode's
 * CaseFolding.txt, locale-free.  It is slow (some 10 MB/s), and a search
 * of a million tickets folds gigabytes, so what it does to the letters
 * desks write most (ASCII, U+0080..U+07FF: Latin, Greek, Cyrillic,
 * Hebrew, Arabic; U+2000..U+20CF: punctuation and currency) is asked of
 * it once, char by char, into a table; a text of those alone is folded
 * through the table, byte by byte, and any other text (a combining mark,
 * CJK, invalid UTF-8) goes to u8_casefold whole.  Both give the same
 * bytes: the table is u8_casefold's answer, and a char of combining class
 * 0 in those ranges composes with no neighbour under NFC.
 */

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "internal.h"
#include "sd/search.h"

#define FOLD_MAX 8
#define TWO_LO 0x80
#define TWO_HI 0x800
#define PUNCT_LO 0x2000
#define PUNCT_HI 0x20d0

/* A char's folding; len 0: not in the table, ask u8_casefold. */
struct fold {
	unsigned char len;
	char s[FOLD_MAX];
};

static struct fold two[TWO_HI - TWO_LO], punct[PUNCT_HI - PUNCT_LO];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

struct sd_search {
	char *pat;              /* folded */
	size_t len;
	int ascii;              /* the folded pattern is ASCII */
	int plain;              /* and holds no byte the codec escapes */
};

static void
table_fill(struct fold *t, ucs4_t lo, ucs4_t hi)
{
	for (ucs4_t c = lo; c < hi; c++) {
		uint8_t in[4], out[FOLD_MAX], *r;
		size_t n = sizeof(out);
		int k;

		if (uc_combining_class(c) != 0 || (k = u8_uctomb(in, c, sizeof(in))) <= 0)
			continue;
		r = u8_casefold(in, (size_t)k, NULL, UNINORM_NFC, out, &n);
		if (r == out && n > 0) {
			memcpy(t[c - lo].s, out, n);
			t[c - lo].len = (unsigned char)n;
		} else if (r != out) {
			free(r);
		}
	}
}

static void
table_init(void)
{
	table_fill(two, TWO_LO, TWO_HI);
	table_fill(punct, PUNCT_LO, PUNCT_HI);
}

/* A buffer on the stack first, on the heap when that is too small. */
struct scratch {
	char *p;
	size_t len, cap;
	char stack[4096];
};

static void
scratch_init(struct scratch *b)
{
	b->p = b->stack;
	b->len = 0;
	b->cap = sizeof(b->stack);
}

static void
scratch_free(struct scratch *b)
{
	if (b->p != b->stack)
		free(b->p);
}

/* Room for n more bytes; -1 when out of memory. */
static int
scratch_room(struct scratch *b, size_t n)
{
	char *p;
	size_t cap;

	if (b->len + n <= b->cap)
		return 0;
	cap = 2 * (b->len + n);
	if (b->p == b->stack) {
		if (!(p = malloc(cap)))
			return -1;
		memcpy(p, b->stack, b->len);
	} else if (!(p = realloc(b->p, cap))) {
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

/* s folded into b through the table: 0, 1 when a char is not in it, -1
 * when out of memory. */
static int
fold_fast(struct scratch *b, const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (scratch_room(b, n) < 0)
		return -1;
	while (i < n) {
		const struct fold *f;
		unsigned c = s[i];

		if (c < 0x80) {
			if (b->len == b->cap && scratch_room(b, n - i) < 0)
				return -1;
			b->p[b->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
			f = &two[(((c & 0x1f) << 6) | (s[i + 1] & 0x3f)) - TWO_LO];
			i += 2;
		} else if (c == 0xe2 && i + 2 < n && (s[i + 1] & 0xc0) == 0x80 &&
		    (s[i + 2] & 0xc0) == 0x80) {
			unsigned cp = 0x2000 | ((s[i + 1] & 0x3fu) << 6) | (s[i + 2] & 0x3fu);
			if (cp >= PUNCT_HI)
				return 1;
			f = &punct[cp - PUNCT_LO];
			i += 3;
		} else {
			return 1;
		}
		if (!f->len)
			return 1;
		if (scratch_room(b, f->len + (n - i)) < 0)
			return -1;
		memcpy(b->p + b->len, f->s, f->len);
		b->len += f->len;
	}
	return 0;
}

/* s folded into b; -1 when out of memory. */
static int
fold(struct scratch *b, const char *s, size_t n)
{
	uint8_t *r;
	size_t len;
	int rc;

	b->len = 0;
	if ((rc = fold_fast(b, (const unsigned char *)s, n)) <= 0)
		return rc;
	b->len = 0;
	len = b->cap;
	if (!(r = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFC, (uint8_t *)b->p, &len)))
		return -1;
	if ((char *)r != b->p) {
		scratch_free(b);
		b->p = (char *)r;
		b->cap = len;
	}
	b->len = len;
	return 0;
}

int
sd_search_new(struct sd_search **out, const char *pattern)
{
	struct sd_search *s;
	struct scratch b;
	size_t n = strlen(pattern);

	*out = NULL;
	if (!n)
		return sd_error_set(SD_EUSAGE, "%s", _("--grep: give a text to look for"));
	if (!sd__utf8_valid(pattern, n))
		return sd_error_set(SD_EINVALID, "%s", _("--grep: not valid UTF-8"));
	pthread_once(&table_once, table_init);
	if (!(s = calloc(1, sizeof(*s))))
		return sd__oom();
	scratch_init(&b);
	if (fold(&b, pattern, n) < 0 || !(s->pat = malloc(b.len + 1))) {
		scratch_free(&b);
		free(s);
		return sd__oom();
	}
	memcpy(s->pat, b.p, b.len);
	s->pat[b.len] = '\0';
	s->len = b.len;
	scratch_free(&b);
	s->ascii = s->plain = 1;
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->pat[i];
		if (c >= 0x80)
			s->ascii = 0;   /* escapes are ASCII: letters beyond stay plain */
		else if (c < 0x20 || c == 0x7f || c == '\\' || c == ';' || c == '"')
			s->plain = 0;
	}
	*out = s;
	return 0;
}

void
sd_search_free(struct sd_search *s)
{
	if (!s)
		return;
	free(s->pat);
	free(s);
}

/* An ASCII pattern in ASCII text, A-Z taken as a-z. */
static int
find_ascii(const struct sd_search *s, const unsigned char *h, size_t n)
{
	const unsigned char *p = (const unsigned char *)s->pat;
	unsigned char up = p[0] >= 'a' && p[0] <= 'z' ? p[0] - 32 : p[0];

	for (size_t i = 0; i + s->len <= n; i++) {
		size_t j;

		if (h[i] != p[0] && h[i] != up)
			continue;
		for (j = 1; j < s->len; j++) {
			unsigned char c = h[i + j];
			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != p[j])
				break;
		}
		if (j == s->len)
			return 1;
	}
	return 0;
}

static int
is_ascii(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] >= 0x80)
			return 0;
	return 1;
}

int
sd_search_text(const struct sd_search *s, const char *text, size_t len)
{
	struct scratch b;
	int found;

	if (is_ascii(text, len))
		return s->ascii && find_ascii(s, (const unsigned char *)text, len);
	scratch_init(&b);
	/* Out of memory: a ticket kept rather than lost. */
	found = fold(&b, text, len) < 0 || (b.len >= s->len && memmem(b.p, b.len, s->pat, s->len));
	scratch_free(&b);
	return found;
}

int
sd_search_file_may(const struct sd_search *s, const char *data, size_t len)
{
	struct scratch b;
	int rc, found;

	/* Texts come out of the file as they are in it, but for escapes
	 * (a backslash), continuation lines (`key+ =`) and line ends. */
	if (!s->plain || memchr(data, '\\', len) || memmem(data, len, "+ =", 3))
		return 1;
	if (is_ascii(data, len))
		return s->ascii && find_ascii(s, (const unsigned char *)data, len);
	scratch_init(&b);
	b.len = 0;
	rc = fold_fast(&b, (const unsigned char *)data, len);
	found = rc != 0 || (b.len >= s->len && memmem(b.p, b.len, s->pat, s->len));
	scratch_free(&b);
	return found;
}

static int
has(const struct sd_search *s, const char *text)
{
	return text && *text && sd_search_text(s, text, strlen(text));
}

int
sd_search_ticket(const struct sd_search *s, const struct sd_ticket *t)
{
	size_t n = sd_ticket_event_count(t);

	if (has(s, sd_ticket_get(t, SD_F_TITLE)) ||
	    has(s, sd_ticket_text(t, SD_TEXT_DESCRIPTION)) ||
	    has(s, sd_ticket_text(t, SD_TEXT_SOLUTION)))
		return 1;
	for (size_t i = 0; i < n; i++) {
		const char *action = sd_ticket_event_get(t, i, "action");
		if (action && (sd__streq(action, "note") || sd__streq(action, "reply")) &&
		    has(s, sd_ticket_event_get(t, i, "text")))
			return 1;
		if (has(s, sd_ticket_event_get(t, i, "provider_ref")))
			return 1;
	}
	return 0;
}
