/*
 * The codec of values in ticket files (sd-ticket(5)): plain values as
 * they are, others quoted with escapes over one or more lines, and back.
 */

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "codec_internal.h"
#include "sd/codec.h"

static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int
sd_codec_is_plain(const char *value, size_t len)
{
	const unsigned char *s = (const unsigned char *)value;

	if (len >= SD_CODEC_PLAIN_MAX)
		return 0;
	if (len == 0)
		return 1;
	if (s[0] == '"' || s[0] == ';' || s[0] == '#' || s[0] == ' ' ||
	    s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (is_ctl(s[i]))
			return 0;
		if (s[i] == ';' && i > 0 && s[i - 1] == ' ')
			return 0;
	}
	return 1;
}

/* The quoted length of byte s[i], given the byte before it (or 0). */
static size_t
quoted_len(unsigned char c, unsigned char prev)
{
	if (c == '\\' || c == '\t' || c == '\r' || c == '\n')
		return 2;
	if (c == ';' && prev == ' ')
		return 2;
	if (is_ctl(c))
		return 4;
	return 1;
}

static void
put_quoted(struct sd_buf *b, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	sd_buf__addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '\\': sd_buf__adds(b, "\\\\"); break;
		case '\t': sd_buf__adds(b, "\\t"); break;
		case '\r': sd_buf__adds(b, "\\r"); break;
		case '\n': sd_buf__adds(b, "\\n"); break;
		case ';':
			sd_buf__adds(b, i > 0 && s[i - 1] == ' ' ? "\\;" : ";");
			break;
		default:
			if (is_ctl(c)) {
				sd_buf__adds(b, "\\x");
				sd_buf__addc(b, hex[c >> 4]);
				sd_buf__addc(b, hex[c & 15]);
			} else {
				sd_buf__addc(b, (char)c);
			}
		}
	}
	sd_buf__addc(b, '"');
}

/* One line of text (no newline when multiline) as key and key+ lines. */
static void
put_line(struct sd_buf *b, const char *key, const unsigned char *s, size_t n)
{
	size_t pos = 0;
	int first = 1;

	do {
		size_t end = pos, qlen = 2;

		while (end < n) {
			size_t k = sd__utf8_char_len(s + end, n - end), q = 0;
			for (size_t j = 0; j < k; j++)
				q += quoted_len(s[end + j], end + j > pos ? s[end + j - 1] : 0);
			if (qlen + q > SD_CODEC_CHUNK_MAX)
				break;
			qlen += q;
			end += k;
		}
		sd_buf__adds(b, key);
		sd_buf__adds(b, first ? " =" : "+ =");
		if (end > pos) {
			sd_buf__addc(b, ' ');
			if (sd_codec_is_plain((const char *)s + pos, end - pos))
				sd_buf__add(b, s + pos, end - pos);
			else
				put_quoted(b, s + pos, end - pos);
		}
		sd_buf__addc(b, '\n');
		first = 0;
		pos = end;
	} while (pos < n);
}

void
sd_codec__put(struct sd_buf *b, const char *key, const char *value,
    size_t len, int multiline)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t start = 0;

	if (!multiline) {
		put_line(b, key, s, len);
		return;
	}
	/* Text: one key line per line, so "" is one empty line and a final
	 * newline a last empty one: a value written is a value read back. */
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '\n') {
			put_line(b, key, s + start, i - start);
			start = i + 1;
		}
	}
}

int
sd_codec_encode(char **out, size_t *outlen, const char *key,
    const char *value, size_t len, int multiline)
{
	struct sd_buf b = SD_BUF_INIT;

	if (*out) {
		b.data = *out;
		b.len = *outlen;
		b.cap = *outlen + 1;
	}
	sd_codec__put(&b, key, value, len, multiline);
	if (b.failed) {
		*out = NULL;
		*outlen = 0;
		return sd__oom();
	}
	*outlen = b.len;
	*out = sd_buf__detach(&b);
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

long
sd_codec__decode(char *dst, const char *chunk, size_t n)
{
	size_t o = 0;

	if (n == 0 || chunk[0] != '"') {
		memcpy(dst, chunk, n);
		return (long)n;
	}
	if (n < 2 || chunk[n - 1] != '"')
		return sd_error_set(SD_EINVALID, "%s", _("quoted value has no closing quote"));
	for (size_t i = 1; i < n - 1; i++) {
		char c = chunk[i];
		int hi, lo;

		if (c != '\\') {
			dst[o++] = c;
			continue;
		}
		if (++i >= n - 1)
			return sd_error_set(SD_EINVALID, "%s", _("quoted value ends in a lone backslash"));
		switch (chunk[i]) {
		case '\\': dst[o++] = '\\'; break;
		case ';':  dst[o++] = ';'; break;
		case 't':  dst[o++] = '\t'; break;
		case 'r':  dst[o++] = '\r'; break;
		case 'n':  dst[o++] = '\n'; break;
		case 'x':
			if (i + 2 >= n - 1 || (hi = hexval(chunk[i + 1])) < 0 ||
			    (lo = hexval(chunk[i + 2])) < 0 || (hi == 0 && lo == 0))
				return sd_error_set(SD_EINVALID, "%s", _("bad \\x escape in quoted value"));
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
			break;
		default:
			return sd_error_set(SD_EINVALID, _("unknown escape \\%c in quoted value"), chunk[i]);
		}
	}
	return (long)o;
}

int
sd_codec__take(struct sd_buf *b, const char *chunk)
{
	size_t n = strlen(chunk), at = b->len;
	long k;

	/* Room for the bytes decoded, never more than the chunk's. */
	sd_buf__add(b, chunk, n);
	if (b->failed)
		return 0;       /* the caller checks b */
	k = sd_codec__decode(b->data + at, chunk, n);
	b->len = at + (k < 0 ? 0 : (size_t)k);
	b->data[b->len] = '\0';
	return k < 0 ? (int)k : 0;
}

int
sd_codec_decode_chunk(char **out, size_t *outlen, const char *chunk)
{
	struct sd_buf b = SD_BUF_INIT;
	int rc;

	if (*out) {
		b.data = *out;
		b.len = *outlen;
		b.cap = *outlen + 1;
	}
	rc = sd_codec__take(&b, chunk);
	if (rc == 0)
		rc = sd_buf__check(&b);
	if (rc < 0 && b.failed) {
		*out = NULL;
		*outlen = 0;
		return rc;
	}
	*outlen = b.len;
	*out = sd_buf__detach(&b);
	if (!*out)
		return sd__oom();
	return rc;
}
