/*
 * A knowledge-base article as a file (sd/kb.h): its id and path, the
 * one shape it is written in, read back strictly, and the search of its
 * words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/format.h"
#include "sd/kb.h"
#include "sd/validate.h"

static const char *const keys[] = { "id", "title", "category", "updated_by", "updated_at" };

/* N, 1..999999999, without leading zeros: its value, or 0. */
static long
number(const char *s, size_t n)
{
	long v = 0;

	if (n == 0 || n > 9 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
sd_kb_id_parse(long *n, const char *arg)
{
	const char *s = arg;

	if ((s[0] == 'K' || s[0] == 'k') && (s[1] == 'B' || s[1] == 'b') && s[2] == '-')
		s += 3;
	if (!(*n = number(s, strlen(s))))
		return sd_error_set(SD_EUSAGE, _("'%s' is not an article id (KB-N)"), arg);
	return 0;
}

void
sd_kb_id_format(char out[SD_KB_ID_MAX], long n)
{
	snprintf(out, SD_KB_ID_MAX, "KB-%ld", n);
}

void
sd_kb_path(char out[SD_KB_PATH_MAX], long n)
{
	snprintf(out, SD_KB_PATH_MAX, "kb/KB-%ld.txt", n);
}

int
sd_kb_path_parse(const char *path, long *n)
{
	size_t len = strlen(path);
	long v = 0;

	if (!strncmp(path, "kb/KB-", 6) && len > 10 && !strcmp(path + len - 4, ".txt"))
		v = number(path + 6, len - 10);
	if (n)
		*n = v;
	if (!v)
		return sd_error_set(SD_EINVALID, _("%s: not an article's path (kb/KB-N.txt)"), path);
	return 0;
}

int
sd_kb_title_check(const char *title)
{
	size_t n = strlen(title);

	if (n == 0)
		return sd_error_set(SD_EINVALID, "%s", _("the title is empty"));
	if (n > SD_KB_TITLE_MAX)
		return sd_error_set(SD_EINVALID, _("the title is %zu bytes, over %d"), n,
		    SD_KB_TITLE_MAX);
	if (!sd__utf8_valid(title, n))
		return sd_error_set(SD_EINVALID, "%s", _("the title is not UTF-8"));
	for (const char *p = title; *p; p++)
		if (sd_control_len(p) || sd_bidi_len(p))
			return sd_error_set(SD_EINVALID, "%s",
			    _("the title holds a control or bidirectional character"));
	if (title[0] == ' ' || title[n - 1] == ' ')
		return sd_error_set(SD_EINVALID, "%s", _("the title begins or ends with a space"));
	return 0;
}

int
sd_kb_category_check(const struct sd_config *cfg, const char *category)
{
	if (*category && !sd_config_category(cfg, category))
		return sd_error_set(SD_EINVALID, _("unknown category '%s'"), category);
	return 0;
}

void
sd_kb_free(struct sd_kb_article *a)
{
	free(a->title);
	free(a->category);
	free(a->updated_by);
	free(a->updated_at);
	free(a->text);
	memset(a, 0, sizeof(*a));
}

int
sd_kb_format(char **out, size_t *len, const struct sd_kb_article *a)
{
	const char *v[5] = { a->id, a->title, a->category, a->updated_by, a->updated_at };
	struct sd_buf b = SD_BUF_INIT;
	size_t tn = strlen(a->text);

	for (int i = 0; i < 5; i++)
		sd_buf__printf(&b, *v[i] ? "%s = %s\n" : "%s =\n", keys[i], v[i]);
	sd_buf__printf(&b, "\n%s%s", a->text, tn && a->text[tn - 1] == '\n' ? "" : "\n");
	if (b.failed) {
		sd_buf__free(&b);
		return sd__oom();
	}
	*len = b.len;
	*out = sd_buf__detach(&b);
	return 0;
}

int
sd_kb_parse(struct sd_kb_article *a, const char *data, size_t len, const char *path)
{
	char **v[5] = { NULL, &a->title, &a->category, &a->updated_by, &a->updated_at };
	const char *p = data, *end = data + len;
	char *again = NULL;
	size_t again_len = 0;
	int rc = 0;

	memset(a, 0, sizeof(*a));
	if (memchr(data, '\0', len) || !sd__utf8_valid(data, len))
		return sd_error_set(SD_EINVALID, _("%s: not UTF-8 text"), path);
	for (int i = 0; i < 5; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = strlen(keys[i]);

		if (!nl || strncmp(p, keys[i], k) || (size_t)(nl - p) < k + 2 ||
		    p[k] != ' ' || p[k + 1] != '=' ||
		    (nl - p > (long)k + 2 && (p[k + 2] != ' ' || nl - p == (long)k + 3))) {
			rc = sd_error_set(SD_EINVALID, _("%s:%d: not '%s = VALUE' (sd-ticket(5), "
			    "the knowledge base)"), path, i + 1, keys[i]);
			goto fail;
		}
		if (i == 0) {
			if (nl - p - (long)k - 3 >= SD_KB_ID_MAX || nl - p <= (long)k + 2) {
				rc = sd_error_set(SD_EINVALID, _("%s:1: not an article id (KB-N)"), path);
				goto fail;
			}
			memcpy(a->id, p + k + 3, (size_t)(nl - p) - k - 3);
		} else if (!(*v[i] = nl - p > (long)k + 2 ? sd__strndup(p + k + 3,
		    (size_t)(nl - p) - k - 3) : sd__strdup(""))) {
			rc = sd__oom();
			goto fail;
		}
		p = nl + 1;
	}
	if (strncmp(a->id, "KB-", 3) || sd_kb_id_parse(&a->n, a->id) < 0) {
		rc = sd_error_set(SD_EINVALID, _("%s:1: '%s' is not an article id (KB-N)"), path, a->id);
		goto fail;
	}
	if (sd_kb_title_check(a->title) < 0) {
		rc = sd_error_set(SD_EINVALID, "%s:2: %s", path, sd_error_message());
		goto fail;
	}
	if (!*a->updated_by || !*a->updated_at) {
		rc = sd_error_set(SD_EINVALID, _("%s:%d: empty"), path, *a->updated_by ? 5 : 4);
		goto fail;
	}
	if (p == end || *p != '\n' || p + 1 == end || end[-1] != '\n') {
		rc = sd_error_set(SD_EINVALID, _("%s:6: a blank line and a text ending with a "
		    "newline must follow the header"), path);
		goto fail;
	}
	if (p[1 + strspn(p + 1, " \t\r\n")] == '\0') {
		rc = sd_error_set(SD_EINVALID, _("%s:7: the article's text is empty"), path);
		goto fail;
	}
	if (sd_text_check(p + 1, (size_t)(end - p - 1)) < 0) {
		rc = sd_error_set(SD_EINVALID, "%s: %s", path, sd_error_message());
		goto fail;
	}
	if (!(a->text = sd__strndup(p + 1, (size_t)(end - p - 1)))) {
		rc = sd__oom();
		goto fail;
	}
	/* Exactly the shape sd-kb writes. */
	if ((rc = sd_kb_format(&again, &again_len, a)) < 0)
		goto fail;
	if (again_len != len || memcmp(again, data, len)) {
		rc = sd_error_set(SD_EINVALID, _("%s: not in the shape sd-kb writes"), path);
		goto fail;
	}
	free(again);
	return 0;
fail:
	free(again);
	sd_kb_free(a);
	return rc;
}

/* The code point at *s, lower-cased, and *s past it; an invalid byte is
 * itself plus 0x110000, never equal to a letter. */
static unsigned long
folded(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t k = sd__utf8_char_len(p, strlen(*s));
	unsigned long c;

	if (k == 1 && p[0] >= 0x80) {
		(*s)++;
		return 0x110000UL + p[0];
	}
	if (k == 1)
		c = p[0];
	else if (k == 2)
		c = (p[0] & 0x1fUL) << 6 | (p[1] & 0x3fUL);
	else if (k == 3)
		c = (p[0] & 0x0fUL) << 12 | (p[1] & 0x3fUL) << 6 | (p[2] & 0x3fUL);
	else
		c = (p[0] & 0x07UL) << 18 | (p[1] & 0x3fUL) << 12 | (p[2] & 0x3fUL) << 6 | (p[3] & 0x3fUL);
	*s += k;
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) || (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	/* Greek capitals with tonos. */
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
	    c != 0x17f)
		/* Latin Extended-A: pairs, upper case first (odd from U+0139 to U+0148 and
		 * from U+0179). */
		return ((c >= 0x139 && c <= 0x148) || c >= 0x179) ? (c % 2 ? c + 1 : c) :
		    (c % 2 ? c : c + 1);
	return c;
}

static int
contains(const char *hay, const char *needle)
{
	for (const char *h = hay;; folded(&h)) {
		const char *a = h, *b = needle;
		int same = 1;

		while (*b && same)
			same = *a && folded(&a) == folded(&b);
		if (same)
			return 1;
		if (!*h)
			return 0;
	}
}

int
sd_kb_match(const struct sd_kb_article *a, const char *pattern)
{
	return contains(a->title, pattern) || contains(a->text, pattern);
}
