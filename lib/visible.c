/* Controls made visible: a text as it may be shown on a terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/format.h"

size_t
sd_control_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] && (p[0] < 0x20 || p[0] == 0x7f))
		return 1;
	/* U+0080..U+009F in UTF-8: C1 controls (0x9b is a CSI of its own). */
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	return 0;
}

size_t
sd_bidi_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] == 0xd8 && p[1] == 0x9c)                       /* U+061C ALM */
		return 2;
	if (p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||    /* LRM, RLM */
	    (p[2] >= 0xaa && p[2] <= 0xae)))                    /* LRE..RLO */
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)       /* LRI..PDI */
		return 3;
	return 0;
}

/* The length of the UTF-8 character at p, or 0 when p holds none. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t k;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] < 0xe0)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] < 0xf0)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] < 0xf5)
		k = 4;
	else
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (!sd__utf8_valid((const char *)p, k))
		return 0;
	return k;
}

/* c (0x00..0x7f) as cat -v shows it, into o; the bytes written. */
static size_t
caret(char *o, unsigned char c)
{
	if (c < 0x20 || c == 0x7f) {
		o[0] = '^';
		o[1] = c == 0x7f ? '?' : (char)(c + 0x40);
		return 2;
	}
	o[0] = (char)c;
	return 1;
}

int
sd_visible(char **out, const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *o;

	/* Each byte grows to four at most ("M-^X"). */
	if (n > (SIZE_MAX - 1) / 4 || !(*out = o = malloc(4 * n + 1)))
		return sd__oom();
	while (*p) {
		size_t k;

		if ((*p == '\n' || *p == '\t') && (flags & SD_VISIBLE_LINES)) {
			*o++ = (char)*p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			o += caret(o, *p++);
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* A C1 control: as cat -v shows its Latin-1 byte. */
			*o++ = 'M';
			*o++ = '-';
			o += caret(o, (unsigned char)(p[1] & 0x7f));
			p += 2;
		} else if ((k = utf8_len(p)) > 0) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			/* A byte that is no UTF-8: cat -v's M- and its low bits. */
			*o++ = 'M';
			*o++ = '-';
			o += caret(o, (unsigned char)(*p++ & 0x7f));
		}
	}
	*o = '\0';
	return 0;
}
