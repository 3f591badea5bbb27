/*
 * format=flowed (RFC 3676) undone, for the mail gateway: the lines a
 * mail program wrapped joined again, the space it stuffed before a line
 * taken away, the quote depth of each line kept.  No GMime: plain bytes.
 */
#include <string.h>

#include "sd/mail.h"

/* The quote depth of line (n bytes): its leading '>'s. */
static size_t
depth_of(const char *line, size_t n)
{
	size_t d = 0;

	while (d < n && line[d] == '>')
		d++;
	return d;
}

void
sd_mail_unflow(char *text, int delsp)
{
	char *o = text;
	const char *p = text;
	size_t open = 0;        /* the depth of the paragraph being joined,
	                           plus one; 0 when none is */

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t d = depth_of(p, n);
		const char *c = p + d;          /* the content */
		size_t cn = n - d;
		int space = cn > 0 && *c == ' ', stuffed, flowed;
		/* "-- " is a signature's start, never flowed. */
		int sig = cn - (size_t)space == 3 && !memcmp(c + space, "-- ", 3);

		if (open && (open - 1 != d || sig)) {
			/* A flowed line before one of another depth, or before a
			 * signature: a paragraph ends there (RFC 3676, 4.5). */
			*o++ = '\n';
			open = 0;
		}
		/* A stuffed '>' starting a line at depth 0 keeps its space: it
		 * is text, not a quote, and a reply's quotes are cut by their
		 * '>' later. */
		stuffed = space && !(d == 0 && !open && cn > 1 && c[1] == '>');
		if (stuffed) {
			c++;
			cn--;
		}
		flowed = cn > 0 && c[cn - 1] == ' ' && !sig;
		if (!open && d > 0) {
			memset(o, '>', d);
			o += d;
			if (stuffed && cn)
				*o++ = ' ';     /* "> text" stays so */
		}
		if (flowed && delsp)
			cn--;
		memmove(o, c, cn);
		o += cn;
		if (flowed) {
			open = d + 1;
		} else {
			open = 0;
			if (nl)
				*o++ = '\n';
		}
		p += n + (nl != NULL);
		if (open && !nl)
			open = 0;       /* the last line: no newline to give back */
	}
	if (open)
		*o++ = '\n';   /* a flowed last line: its own newline */
	*o = '\0';
}
