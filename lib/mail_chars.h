#ifndef SD_MAIL_CHARS_H
#define SD_MAIL_CHARS_H

/*
 * What the files of the email gateway (lib/mail*.c) share, and no other
 * file of lib/ uses.  Nothing here needs GMime or GLib: lib/mail_html.c
 * and lib/mail_quote.c build without them.  The ASCII tests and case
 * folding are GLib's g_ascii_* ones, never the locale's.
 */

#include <stddef.h>
#include <string.h>

static inline int
sd_mail__is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Is line (n bytes) white space only? */
static inline int
sd_mail__is_blank(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!sd_mail__is_space((unsigned char)line[i]))
			return 0;
	return 1;
}

static inline int
sd_mail__is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
sd_mail__is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
sd_mail__to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 0 when the first n bytes of a and b (up to a NUL; n may be SIZE_MAX:
 * the whole strings) are the same, the case of ASCII letters ignored. */
static inline int
sd_mail__ncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0 && *a && *b; n--, a++, b++)
		if (sd_mail__to_lower(*a) != sd_mail__to_lower(*b))
			return sd_mail__to_lower(*a) - sd_mail__to_lower(*b);
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

/* The length of the reply or forward marker at s ("Re: ", "RE[2]: ",
 * "Fwd: ", "RV: "), 0 if there is none; *fwd says whether a forward's
 * (lib/mail_quote.c). */
size_t sd_mail__marker(const char *s, int *fwd);

/* The length of s (len bytes) cut to at most max, on a character boundary. */
static inline size_t
sd_mail__cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* A header value quoted in a message: at most 100 bytes. */
static inline int
sd_mail__shown(const char *v)
{
	return (int)sd_mail__cut(v, strlen(v), 100);
}

#endif
