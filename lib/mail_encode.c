/*
 * The wire forms of outgoing mail: quoted-printable bodies (RFC 2045),
 * encoded-words for non-ASCII header text (RFC 2047) and header lines
 * folded under 78 columns (RFC 5322).  Written here, small, so that only
 * sd-mail links GMime.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"
#include "sd/format.h"
#include "sd/mail_out.h"

static const char hex[] = "0123456789ABCDEF";

int
sd_mail_encode_qp(char **out, const char *text)
{
	struct sd_buf b = SD_BUF_INIT;
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	while (*p) {
		char enc[4];
		size_t n;

		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
			sd_buf__addc(&b, '\n');
			col = 0;
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		/* Blanks before a line's end, '=', controls, 8-bit bytes, and
		 * a '.' or the 'F' of "From " opening a line are encoded. */
		int eol = p[1] == '\n' || !p[1] || (p[1] == '\r' && p[2] == '\n');
		int plain = (*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !eol);
		if (col == 0 && (*p == '.' || (*p == 'F' && !strncmp((const char *)p, "From ", 5))))
			plain = 0;
		if (plain) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		/* 76 octets a line at most, the soft break's '=' included;
		 * the last character of a line may take the 76th. */
		int last = !p[1] || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		if (col + n > (last ? 76u : 75u)) {
			sd_buf__adds(&b, "=\n");
			col = 0;
			if (*p == '.') {
				enc[0] = '=';
				enc[1] = '2';
				enc[2] = 'E';
				n = 3;
			}
		}
		sd_buf__add(&b, enc, n);
		col += n;
		p++;
	}
	if (b.len == 0 || b.data[b.len - 1] != '\n')
		sd_buf__addc(&b, '\n');
	if (sd_buf__check(&b) < 0) {
		sd_buf__free(&b);
		return SD_EIO;
	}
	*out = sd_buf__detach(&b);
	return 0;
}

/* May c stand as itself in a Q encoded-word of a phrase (RFC 2047 5(3))? */
static int
q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    strchr("!*+-/", c) != NULL;
}

static size_t
q_len(const unsigned char *p, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += q_plain(p[i]) || p[i] == ' ' ? 1 : 3;
	return len;
}

static void
q_add(struct sd_buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ')
			sd_buf__addc(b, '_');
		else if (q_plain(p[i]))
			sd_buf__addc(b, (char)p[i]);
		else
			sd_buf__printf(b, "=%c%c", hex[p[i] >> 4], hex[p[i] & 15]);
}

#define WORD_OPEN_LEN 10        /* "=?UTF-8?Q?" */
#define WORD_MAX 75

static void
b64_add(struct sd_buf *b, const unsigned char *p, size_t n)
{
	/* n is one word's octets, fewer than WORD_MAX: room for WORD_MAX. */
	unsigned char out[4 * ((WORD_MAX + 2) / 3) + 1];

	if (n > WORD_MAX)
		n = WORD_MAX;

	sd_buf__add(b, (char *)out, (size_t)EVP_EncodeBlock(out, p, (int)n));
}

/* Where the next word of text (len octets) ends: as many whole characters
 * as it holds; in B, unless it is the last, a multiple of 3 octets, so
 * that it has no padding (a decoder that joins adjacent words before it
 * decodes them, as GMime does, would lose what follows a padded one).  0
 * when B finds no such place. */
static size_t
word_take(const unsigned char *p, size_t len, int q)
{
	size_t take = 0, best = 0, room = WORD_MAX - WORD_OPEN_LEN - 2;

	while (take < len) {
		size_t k = sd__utf8_char_len(p + take, len - take);
		size_t need = q ? q_len(p, take + k) : (take + k + 2) / 3 * 4;
		if (need > room)
			break;
		take += k;
		if (q || take == len || take % 3 == 0)
			best = take;
	}
	return best;
}

int
sd_mail_encode_words(char **out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), enc = 0;
	struct sd_buf b = SD_BUF_INIT;
	int q;

	/* Q while at most a third of the octets need encoding, else B
	 * when every word finds its end, else Q. */
	for (size_t i = 0; i < len; i++)
		enc += !(q_plain(p[i]) || p[i] == ' ');
	q = enc * 3 <= len;
	for (size_t at = 0, t; !q && at < len; at += t)
		if (!(t = word_take(p + at, len - at, 0)))
			q = 1;
	while (len > 0) {
		size_t take = word_take(p, len, q);

		if (b.len)
			sd_buf__addc(&b, ' ');
		sd_buf__adds(&b, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
		if (q)
			q_add(&b, p, take);
		else
			b64_add(&b, p, take);
		sd_buf__adds(&b, "?=");
		p += take;
		len -= take;
	}
	if (sd_buf__check(&b) < 0) {
		sd_buf__free(&b);
		return SD_EIO;
	}
	*out = b.data ? sd_buf__detach(&b) : sd__strdup("");
	return *out ? 0 : sd__oom();
}

/* Needs token (n bytes) an encoded-word: 8-bit, a control, something
 * that reads as an encoded-word, or too long for a folded line? */
static int
needs_words(const char *t, size_t n, int phrase)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] >= 0x7f || (unsigned char)t[i] < 0x20 ||
		    (phrase && strchr("()<>[]:;@\\,.\"", t[i])))
			return 1;
	return n > 70 || (n >= 2 && memmem(t, n, "=?", 2) != NULL);
}

/* Fold one more piece onto a header: on this line after a space, or on
 * a new one, so that no line passes 78 octets. */
static void
fold_add(struct sd_buf *b, size_t *col, const char *piece, size_t n)
{
	if (*col + 1 + n > 78) {
		sd_buf__adds(b, "\n ");
		*col = 1;
	} else {
		sd_buf__addc(b, ' ');
		(*col)++;
	}
	sd_buf__add(b, piece, n);
	*col += n;
}

/* Encoded-words, blank-separated, each folded on as one. */
static void
fold_words(struct sd_buf *b, size_t *col, const char *words)
{
	for (const char *w = words; *w;) {
		const char *sp = strchr(w, ' ');
		size_t k = sp ? (size_t)(sp - w) : strlen(w);
		fold_add(b, col, w, k);
		w += k + (sp != NULL);
	}
}

/* value as words split on single spaces, each run of words that needs
 * encoding encoded as one. */
static int
fold_text(struct sd_buf *b, size_t *col, const char *value, int phrase)
{
	const char *p = value;

	while (*p) {
		const char *end = strchr(p, ' '), *run_end;
		size_t n;

		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		/* "(ref TOKEN)", the approval's reference, stays on one line. */
		if (n == 4 && !memcmp(p, "(ref", 4) && *end == ' ' && end[1] &&
		    !needs_words(end + 1, strcspn(end + 1, " "), phrase)) {
			end += 1 + strcspn(end + 1, " ");
			n = (size_t)(end - p);
		}
		if (!needs_words(p, n, phrase)) {
			fold_add(b, col, p, n);
		} else {
			/* The run: this word and those after it that need
			 * encoding too, spaces kept inside it. */
			char *words, *run;
			run_end = end;
			while (*run_end == ' ') {
				const char *q = run_end + 1, *e = strchr(q, ' ');
				if (!e)
					e = q + strlen(q);
				if (!needs_words(q, (size_t)(e - q), phrase))
					break;
				run_end = e;
			}
			if (!(run = sd__strndup(p, (size_t)(run_end - p))))
				return sd__oom();
			if (sd_mail_encode_words(&words, run) < 0) {
				free(run);
				return SD_EIO;
			}
			free(run);
			fold_words(b, col, words);
			free(words);
			end = run_end;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

char *
sd_mail_one_line(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int space = 0;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || sd_control_len((const char *)p) == 2) {
			p += *p == 0xc2;        /* a C1 control: both its bytes */
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

/* A display name: as fold_text when it stays on one line; else all of
 * it as encoded-words, since a reader may keep the folding whitespace
 * next to a plain word of a phrase (GMime does). */
static int
fold_phrase(struct sd_buf *b, size_t *col, const char *display)
{
	struct sd_buf t = SD_BUF_INIT;
	size_t tcol = *col;
	char *words;
	int rc;

	if ((rc = fold_text(&t, &tcol, display, 1)) < 0 || (rc = sd_buf__check(&t)) < 0) {
		sd_buf__free(&t);
		return rc;
	}
	if (!strchr(t.data, '\n')) {
		sd_buf__add(b, t.data, t.len);
		*col = tcol;
		sd_buf__free(&t);
		return 0;
	}
	sd_buf__free(&t);
	if ((rc = sd_mail_encode_words(&words, display)) < 0)
		return rc;
	fold_words(b, col, words);
	free(words);
	return 0;
}

/* Does an ASCII display name need quoting (an RFC 5322 special)? */
static int
needs_quote(const char *s)
{
	return strpbrk(s, "()<>[]:;@\\,.\"") != NULL;
}

int
sd_mail_header(char **out, const char *name, const char *value)
{
	struct sd_buf b = SD_BUF_INIT;
	size_t col = strlen(name) + 1;
	char *clean = sd_mail_one_line(value);

	*out = NULL;
	if (!clean)
		return sd__oom();
	sd_buf__printf(&b, "%s:", name);
	if (!*clean)
		sd_buf__addc(&b, ' ');
	if (fold_text(&b, &col, clean, 0) < 0) {
		free(clean);
		sd_buf__free(&b);
		return SD_EIO;
	}
	free(clean);
	sd_buf__addc(&b, '\n');
	if (sd_buf__check(&b) < 0) {
		sd_buf__free(&b);
		return SD_EIO;
	}
	*out = sd_buf__detach(&b);
	return 0;
}

int
sd_mail_header_addresses(char **out, const char *name, const struct sd_mail_rcpt *v,
    size_t n)
{
	struct sd_buf b = SD_BUF_INIT;
	size_t col = strlen(name) + 1;

	*out = NULL;
	/* An address goes in as it is: none may end it or add another. */
	for (size_t i = 0; i < n; i++)
		for (const unsigned char *p = (const unsigned char *)v[i].addr; *p; p++)
			if (*p <= ' ' || *p == 0x7f || strchr("<>,;:\"()[]\\", *p))
				return sd_error_set(SD_EINVALID, _("%s: '%s' is not one address"), name,
				    v[i].addr);
	sd_buf__printf(&b, "%s:", name);
	for (size_t i = 0; i < n; i++) {
		char *display = sd_mail_one_line(v[i].name ? v[i].name : "");
		int encode = 0;

		if (!display) {
			sd_buf__free(&b);
			return sd__oom();
		}
		for (const char *p = display; *p && !encode; p++)
			encode = (unsigned char)*p >= 0x7f || (p[0] == '=' && p[1] == '?');
		if (*display && (encode || strlen(display) > 60)) {
			if (fold_phrase(&b, &col, display) < 0) {
				free(display);
				sd_buf__free(&b);
				return SD_EIO;
			}
		} else if (*display && needs_quote(display)) {
			struct sd_buf q = SD_BUF_INIT;
			sd_buf__addc(&q, '"');
			for (const char *p = display; *p; p++) {
				if (*p == '"' || *p == '\\')
					sd_buf__addc(&q, '\\');
				sd_buf__addc(&q, *p);
			}
			sd_buf__addc(&q, '"');
			if (sd_buf__check(&q) < 0) {
				free(display);
				sd_buf__free(&b);
				sd_buf__free(&q);
				return SD_EIO;
			}
			fold_add(&b, &col, q.data, q.len);
			sd_buf__free(&q);
		} else if (*display) {
			if (fold_phrase(&b, &col, display) < 0) {
				free(display);
				sd_buf__free(&b);
				return SD_EIO;
			}
		}
		free(display);
		{
			struct sd_buf a = SD_BUF_INIT;
			sd_buf__printf(&a, "<%s>%s", v[i].addr, i + 1 < n ? "," : "");
			if (sd_buf__check(&a) < 0) {
				sd_buf__free(&b);
				return SD_EIO;
			}
			fold_add(&b, &col, a.data, a.len);
			sd_buf__free(&a);
		}
	}
	sd_buf__addc(&b, '\n');
	if (sd_buf__check(&b) < 0) {
		sd_buf__free(&b);
		return SD_EIO;
	}
	*out = sd_buf__detach(&b);
	return 0;
}
