/*
 * HTML as text, for the mail gateway (sd_mail_html_text): tags dropped,
 * entities decoded, block elements as line breaks, list items as "- ",
 * quoted blocks as "> " lines, links followed by their address; the lines
 * tidied.  Plain C: no GMime, no GLib.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mail_chars.h"
#include "sd/mail.h"

/* The elements whose content is not text. */
static const char *const hidden[] = { "head", "script", "style", "title", NULL };

#define QUOTE_MARKS 8           /* "> " marks shown at most, however deep */

struct html {
	struct sd_buf out;
	int pre;                /* inside <pre>: white space kept */
	int quote;              /* <blockquote> depth */
	int space;              /* white space seen: one space before more text */
	char *href;             /* the link open, if any */
	size_t href_at;         /* where its text began in out */
	/* Where the end tag of each hidden element was last found (0: not
	 * looked for; SIZE_MAX: there is none), so that a message full of
	 * <style> never closed is read once, not once per tag. */
	size_t end_tag[SD_ARRAY_SIZE(hidden) - 1];
};

/* The names of U+00A0 .. U+00FF, in order. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
	"Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
	"Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
	"egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml"
};

/* The other entities mail writers use. */
static const struct { const char *name; unsigned cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
	{ "Yuml", 0x178 }, { "fnof", 0x192 }, { "circ", 0x2c6 }, { "tilde", 0x2dc },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 }, { "zwnj", 0x200c },
	{ "zwj", 0x200d }, { "lrm", 0x200e }, { "rlm", 0x200f }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201a },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "bdquo", 0x201e }, { "dagger", 0x2020 },
	{ "Dagger", 0x2021 }, { "bull", 0x2022 }, { "hellip", 0x2026 }, { "permil", 0x2030 },
	{ "lsaquo", 0x2039 }, { "rsaquo", 0x203a }, { "euro", 0x20ac }, { "trade", 0x2122 },
	{ "larr", 0x2190 }, { "rarr", 0x2192 },
};

/* ASCII letters and digits, as g_ascii_isalnum: never the locale's. */
static int
is_alnum(int c)
{
	return sd_mail__is_alpha(c) || sd_mail__is_digit(c);
}

static int
is_xdigit(int c)
{
	return sd_mail__is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The value of hexadecimal digit c. */
static int
xdigit_value(int c)
{
	if (sd_mail__is_digit(c))
		return c - '0';
	return sd_mail__to_lower(c) - 'a' + 10;
}

/* Unicode scalar value cp (no surrogate, at most U+10FFFF) in UTF-8 into
 * u; its length. */
static size_t
utf8_put(char u[4], unsigned cp)
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The character of the entity at s ("&...;", len bytes left), its length
 * in *n; 0 when s does not start one. */
static unsigned
entity(const char *s, size_t len, size_t *n)
{
	char name[16];
	size_t i = 1, k = 0;

	if (len > 2 && s[1] == '#') {
		int hex = len > 3 && (s[2] == 'x' || s[2] == 'X');
		unsigned long cp = 0;
		size_t start = i = hex ? 3 : 2;

		while (i < len && i < start + 8 && (hex ? is_xdigit(s[i]) : sd_mail__is_digit(s[i])))
			cp = cp * (hex ? 16 : 10) + (unsigned long)xdigit_value(s[i++]);
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		*n = i;
		/* What no text holds: NUL, controls, surrogates, beyond Unicode. */
		if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp < 0xa0) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			cp = 0xfffd;
		return (unsigned)cp;
	}
	while (i < len && k < sizeof(name) - 1 && is_alnum(s[i]))
		name[k++] = s[i++];
	name[k] = '\0';
	if (!k || i >= len || s[i] != ';')
		return 0;
	*n = i + 1;
	for (size_t e = 0; e < SD_ARRAY_SIZE(latin1_names); e++)
		if (!strcmp(name, latin1_names[e]))
			return 0xa0 + (unsigned)e;
	for (size_t e = 0; e < SD_ARRAY_SIZE(entities); e++)
		if (!strcmp(name, entities[e].name))
			return entities[e].cp;
	return 0;
}

static void
add_char(struct sd_buf *b, unsigned cp)
{
	char u[4];

	sd_buf__add(b, u, utf8_put(u, cp));
}

/* n bytes of s, entities decoded; malloc'd. */
static char *
decode_entities(const char *s, size_t n)
{
	struct sd_buf b = SD_BUF_INIT;
	size_t i = 0, k;
	unsigned cp;

	sd_buf__add(&b, "", 0);
	while (i < n) {
		if (s[i] == '&' && (cp = entity(s + i, n - i, &k))) {
			add_char(&b, cp);
			i += k;
		} else {
			sd_buf__addc(&b, s[i++]);
		}
	}
	return sd_buf__detach(&b);
}

static int
at_line_start(const struct html *h)
{
	return h->out.len == 0 || h->out.data[h->out.len - 1] == '\n';
}

/* End the line, unless it is empty. */
static void
line_break(struct html *h)
{
	if (!at_line_start(h))
		sd_buf__addc(&h->out, '\n');
	h->space = 0;
}

/* Text: after the quote marks a line in a <blockquote> starts with, and
 * after one space where white space was. */
static void
put_text(struct html *h, const char *s, size_t n)
{
	if (at_line_start(h)) {
		for (int i = 0; i < h->quote && i < QUOTE_MARKS; i++)
			sd_buf__adds(&h->out, "> ");
	} else if (h->space && h->out.data[h->out.len - 1] != ' ') {
		sd_buf__addc(&h->out, ' ');
	}
	h->space = 0;
	sd_buf__add(&h->out, s, n);
}

static void
put_char(struct html *h, unsigned cp)
{
	char u[4];

	if (cp == 0xa0) {
		/* A space that stays: Outlook's blank lines are &nbsp; alone. */
		put_text(h, " ", 1);
		return;
	}
	if (cp == '\n' && h->pre) {
		sd_buf__addc(&h->out, '\n');
		return;
	}
	put_text(h, u, utf8_put(u, cp));
}

/* Where the tag that starts at s[i] ends (after its '>'), quoted
 * attribute values skipped. */
static size_t
tag_end(const char *s, size_t len, size_t i)
{
	char quote = 0, last = 0;

	for (size_t j = i + 1; j < len; j++) {
		if (quote) {
			if (s[j] == quote)
				quote = 0;
		} else if (s[j] == '>') {
			return j + 1;
		} else if ((s[j] == '"' || s[j] == '\'') && last == '=') {
			quote = s[j];
		}
		if (!sd_mail__is_space((unsigned char)s[j]))
			last = s[j];
	}
	return len;
}

/* The value of attribute name in tag (n bytes, "<a ...>"), entities
 * decoded; malloc'd, NULL when it has none. */
static char *
attr_value(const char *tag, size_t n, const char *name)
{
	size_t i = 1, nl = strlen(name);

	while (i < n && !sd_mail__is_space((unsigned char)tag[i]) && tag[i] != '>')
		i++;
	while (i < n) {
		size_t a, an, v = i, vn = 0;

		while (i < n && (sd_mail__is_space((unsigned char)tag[i]) || tag[i] == '/'))
			i++;
		a = i;
		while (i < n && !sd_mail__is_space((unsigned char)tag[i]) && tag[i] != '=' && tag[i] != '>')
			i++;
		if (!(an = i - a))
			break;
		while (i < n && sd_mail__is_space((unsigned char)tag[i]))
			i++;
		if (i < n && tag[i] == '=') {
			i++;
			while (i < n && sd_mail__is_space((unsigned char)tag[i]))
				i++;
			if (i < n && (tag[i] == '"' || tag[i] == '\'')) {
				char q = tag[i++];
				for (v = i; i < n && tag[i] != q; i++)
					;
				vn = i - v;
				i += i < n;
			} else {
				for (v = i; i < n && !sd_mail__is_space((unsigned char)tag[i]) && tag[i] != '>'; i++)
					;
				vn = i - v;
			}
		}
		if (an == nl && !sd_mail__ncasecmp(tag + a, name, nl))
			return decode_entities(tag + v, vn);
	}
	return NULL;
}

/* A link's text is kept; its address follows, <like this>, when the text
 * does not show it already. */
static void
html_link(struct html *h, int closing, const char *tag, size_t n)
{
	const char *text = h->out.data ? h->out.data + h->href_at : "";
	size_t tl = h->out.len - h->href_at;

	if (!closing) {
		free(h->href);
		h->href = attr_value(tag, n, "href");
		h->href_at = h->out.len;
		return;
	}
	if (h->href && !sd_mail__ncasecmp(h->href, "http", 4) && !sd_mail__is_blank(text, tl) &&
	    !memmem(text, tl, h->href, strlen(h->href))) {
		h->space = 1;
		put_text(h, "<", 1);
		sd_buf__adds(&h->out, h->href);
		sd_buf__addc(&h->out, '>');
	}
	free(h->href);
	h->href = NULL;
}

static int
is_word(const char *name, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(name, *words))
			return 1;
	return 0;
}

/* What element name (a start or end tag, its text tag) does to the text. */
static void
element(struct html *h, const char *name, int closing, const char *tag, size_t n)
{
	static const char *const blocks[] = {
		"p", "div", "tr", "table", "ul", "ol", "dl", "dt", "dd", "li",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "article",
		"aside", "footer", "header", "section", "nav", "form", "fieldset",
		"center", "caption", "figure", "body", NULL
	};

	if (!strcmp(name, "br")) {
		sd_buf__addc(&h->out, '\n');
		h->space = 0;
	} else if (!strcmp(name, "pre")) {
		line_break(h);
		h->pre = !closing;
	} else if (!strcmp(name, "blockquote")) {
		line_break(h);
		h->quote += closing ? (h->quote > 0 ? -1 : 0) : 1;
	} else if (!strcmp(name, "li") && !closing) {
		line_break(h);
		put_text(h, "- ", 2);
	} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
		h->space = !at_line_start(h);
	} else if (!strcmp(name, "a")) {
		html_link(h, closing, tag, n);
	} else if (is_word(name, blocks)) {
		line_break(h);
	}
}

/* Past the end tag of hidden element k, from i on; i itself when there
 * is none, so that a <head> never closed does not hide the whole text. */
static size_t
skip_element(struct html *h, const char *s, size_t len, size_t i, size_t k)
{
	const char *name = hidden[k];
	size_t nl = strlen(name), j = h->end_tag[k];

	if (j == 0 || (j != SIZE_MAX && j < i)) {
		for (j = i; j + 2 + nl <= len; j++)
			if (s[j] == '<' && s[j + 1] == '/' && !sd_mail__ncasecmp(s + j + 2, name, nl))
				break;
		h->end_tag[k] = j = j + 2 + nl <= len ? j : SIZE_MAX;
	}
	return j == SIZE_MAX ? i : tag_end(s, len, j);
}

/* The markup that starts at s[i] ('<'); returns where the text goes on. */
static size_t
markup(struct html *h, const char *s, size_t len, size_t i)
{
	size_t j = i + 1, end, k = 0;
	char name[16];
	int closing = 0;

	if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
		const char *e = memmem(s + i + 4, len - i - 4, "-->", 3);
		return e ? (size_t)(e - s) + 3 : len;
	}
	end = tag_end(s, len, i);
	if (s[j] == '!' || s[j] == '?')
		return end;
	if (s[j] == '/') {
		closing = 1;
		j++;
	}
	while (j < len && k < sizeof(name) - 1 && (is_alnum(s[j]) || s[j] == ':' || s[j] == '-'))
		name[k++] = sd_mail__to_lower(s[j++]);
	name[k] = '\0';
	for (size_t e = 0; !closing && hidden[e]; e++)
		if (!strcmp(name, hidden[e]))
			return skip_element(h, s, len, end, e);
	element(h, name, closing, s + i, end - i);
	return end;
}

/* Lines without white space at their ends (NBSP too), no more than one
 * blank line in a row, none first or last. */
static char *
tidy(const char *s, size_t len)
{
	struct sd_buf b = SD_BUF_INIT;
	size_t i = 0;
	int blank = 0;

	sd_buf__add(&b, "", 0);
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) : len - i, start = i;

		i += n + (nl != NULL);
		for (;;) {
			if (n > 0 && sd_mail__is_space((unsigned char)s[start + n - 1]))
				n--;
			else if (n > 1 && !memcmp(s + start + n - 2, "\xc2\xa0", 2))
				n -= 2;
			else
				break;
		}
		while (n > 1 && !memcmp(s + start, "\xc2\xa0", 2)) {
			start += 2;
			n -= 2;
		}
		if (!n) {
			blank = 1;
			continue;
		}
		if (b.len)
			sd_buf__adds(&b, blank ? "\n\n" : "\n");
		sd_buf__add(&b, s + start, n);
		blank = 0;
	}
	return sd_buf__detach(&b);
}

int
sd_mail_html_text(char **out, const char *s, size_t len)
{
	struct html h = { SD_BUF_INIT, 0, 0, 0, NULL, 0, { 0 } };
	size_t i = 0, k;
	unsigned cp;
	int rc;

	*out = NULL;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<' && i + 1 < len && (sd_mail__is_alpha(s[i + 1]) || s[i + 1] == '/' ||
		    s[i + 1] == '!' || s[i + 1] == '?')) {
			i = markup(&h, s, len, i);
		} else if (c == '&' && (cp = entity(s + i, len - i, &k))) {
			put_char(&h, cp);
			i += k;
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
			put_char(&h, 0xa0);
			i += 2;
		} else if (c == '\r' || (sd_mail__is_space(c) && !h.pre)) {
			h.space = 1;
			i++;
		} else if (c == '\n') {
			put_char(&h, '\n');
			i++;
		} else {
			put_text(&h, s + i, 1);
			i++;
		}
	}
	free(h.href);
	if ((rc = sd_buf__check(&h.out)) < 0) {
		sd_buf__free(&h.out);
		return rc;
	}
	*out = tidy(h.out.data ? h.out.data : "", h.out.len);
	sd_buf__free(&h.out);
	return *out ? 0 : sd__oom();
}

