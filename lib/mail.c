/*
 * The email gateway (sd-mail(1)): a message read with GMime into a
 * struct sd_mail, the route it takes, and the note or ticket it becomes.
 * GMime is used in sd_mail_parse alone; it is set up at the first call
 * and let go by sd_mail_shutdown (GMime cannot be set up twice: its
 * shutdown leaves tables that a second g_mime_init does not make again).
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "internal.h"
#include "sd/desk.h"
#include "sd/id.h"
#include "sd/mail.h"
#include "sd/ticket.h"

#define REPLACEMENT "\xef\xbf\xbd"      /* U+FFFD in UTF-8 */

static int gmime_ready;

/* Small string helpers. */

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The length of s (len bytes) cut to at most max, on a character boundary. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Valid UTF-8 but for NUL bytes, which clean_utf8 drops anyway. */
static int
utf8_ok(const char *s, size_t n)
{
	while (n > 0) {
		const char *nul = memchr(s, '\0', n);
		size_t k = nul ? (size_t)(nul - s) : n;

		if (k && !sd__utf8_valid(s, k))
			return 0;
		k += nul != NULL;
		s += k;
		n -= k;
	}
	return 1;
}

/* n bytes of s without NUL bytes, every invalid UTF-8 sequence as
 * U+FFFD; malloc'd. */
static char *
clean_utf8(const char *s, size_t n)
{
	char *plain = malloc(n + 1), *valid, *out;
	size_t k = 0;

	if (!plain)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i])
			plain[k++] = s[i];
	plain[k] = '\0';
	if (sd__utf8_valid(plain, k))
		return plain;
	valid = g_utf8_make_valid(plain, (gssize)k);
	free(plain);
	out = valid ? sd__strdup(valid) : NULL;
	g_free(valid);
	return out;
}

/* s on one line: control characters as spaces, runs of white space as
 * one, none at either end; malloc'd. */
static char *
one_line(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int space = 0;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == 0x7f) {
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

/* A header's or a name's text: valid UTF-8 on one line; malloc'd. */
static char *
line_of(const char *s)
{
	char *clean = clean_utf8(s, strlen(s)), *line;

	if (!clean)
		return NULL;
	line = one_line(clean);
	free(clean);
	return line;
}

/* Does line (n bytes) start with one of words, ASCII case ignored? */
static int
starts_with(const char *line, size_t n, const char *const *words)
{
	for (; *words; words++) {
		size_t k = strlen(*words);
		if (k <= n && !g_ascii_strncasecmp(line, *words, k))
			return 1;
	}
	return 0;
}

static int
is_blank(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space((unsigned char)line[i]))
			return 0;
	return 1;
}


/* Character sets. */

static int
is_charset(const char *charset, const char *const *names)
{
	for (; *names; names++)
		if (!g_ascii_strcasecmp(charset, *names))
			return 1;
	return 0;
}

/* Append n bytes of text in charset to out as UTF-8.  What cannot be
 * converted becomes U+FFFD.  Text with no charset, or one iconv does not
 * know, is taken as UTF-8 when it is that and else as Windows-1252, as
 * most unlabelled 8-bit mail is. */
static void
add_utf8(struct sd_buf *out, const char *in, size_t n, const char *charset)
{
	static const char *const ascii[] = { "us-ascii", "ascii", NULL };
	static const char *const utf8[] = { "utf-8", "utf8", NULL };
	static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "latin1", "l1", NULL };
	char buf[4096], *o;
	size_t room;
	iconv_t cd;

	if (!charset || !*charset || is_charset(charset, ascii)) {
		/* No charset, or 8-bit bytes labelled ASCII. */
		if (utf8_ok(in, n)) {
			sd_buf__add(out, in, n);
			return;
		}
		charset = "windows-1252";
	} else if (is_charset(charset, utf8)) {
		sd_buf__add(out, in, n);        /* broken sequences are repaired later */
		return;
	}
	/* ISO-8859-1 labels carry Windows-1252 text as often as not; the two
	 * differ only where Latin-1 has control characters. */
	if (is_charset(charset, latin1))
		charset = "windows-1252";
	if ((cd = g_mime_iconv_open("UTF-8", charset)) == (iconv_t)-1) {
		/* A charset iconv does not know. */
		if (utf8_ok(in, n) || !strcmp(charset, "windows-1252"))
			sd_buf__add(out, in, n);
		else
			add_utf8(out, in, n, "windows-1252");
		return;
	}
	while (n > 0) {
		char *ip = (char *)in;
		size_t r;

		o = buf;
		room = sizeof(buf);
		r = iconv(cd, &ip, &n, &o, &room);
		sd_buf__add(out, buf, (size_t)(o - buf));
		in = ip;
		if (r == (size_t)-1 && errno != E2BIG && n > 0) {
			/* A byte it cannot read: say so, and go on after it. */
			sd_buf__adds(out, REPLACEMENT);
			in++;
			n--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	o = buf;
	room = sizeof(buf);
	iconv(cd, NULL, NULL, &o, &room);       /* back to the initial shift state */
	sd_buf__add(out, buf, (size_t)(o - buf));
	g_mime_iconv_close(cd);
}


/* HTML as text. */

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

		while (i < len && i < start + 8 && (hex ? g_ascii_isxdigit(s[i]) : g_ascii_isdigit(s[i])))
			cp = cp * (hex ? 16 : 10) + (unsigned long)g_ascii_xdigit_value(s[i++]);
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
	while (i < len && k < sizeof(name) - 1 && g_ascii_isalnum(s[i]))
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
	char u[8];

	sd_buf__add(b, u, (size_t)g_unichar_to_utf8(cp, u));
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
	char u[8];

	if (cp == 0xa0) {
		/* A space that stays: Outlook's blank lines are &nbsp; alone. */
		put_text(h, " ", 1);
		return;
	}
	if (cp == '\n' && h->pre) {
		sd_buf__addc(&h->out, '\n');
		return;
	}
	put_text(h, u, (size_t)g_unichar_to_utf8(cp, u));
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
		if (!is_space((unsigned char)s[j]))
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

	while (i < n && !is_space((unsigned char)tag[i]) && tag[i] != '>')
		i++;
	while (i < n) {
		size_t a, an, v = i, vn = 0;

		while (i < n && (is_space((unsigned char)tag[i]) || tag[i] == '/'))
			i++;
		a = i;
		while (i < n && !is_space((unsigned char)tag[i]) && tag[i] != '=' && tag[i] != '>')
			i++;
		if (!(an = i - a))
			break;
		while (i < n && is_space((unsigned char)tag[i]))
			i++;
		if (i < n && tag[i] == '=') {
			i++;
			while (i < n && is_space((unsigned char)tag[i]))
				i++;
			if (i < n && (tag[i] == '"' || tag[i] == '\'')) {
				char q = tag[i++];
				for (v = i; i < n && tag[i] != q; i++)
					;
				vn = i - v;
				i += i < n;
			} else {
				for (v = i; i < n && !is_space((unsigned char)tag[i]) && tag[i] != '>'; i++)
					;
				vn = i - v;
			}
		}
		if (an == nl && !g_ascii_strncasecmp(tag + a, name, nl))
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
	if (h->href && !g_ascii_strncasecmp(h->href, "http", 4) && !is_blank(text, tl) &&
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
			if (s[j] == '<' && s[j + 1] == '/' && !g_ascii_strncasecmp(s + j + 2, name, nl))
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
	while (j < len && k < sizeof(name) - 1 && (g_ascii_isalnum(s[j]) || s[j] == ':' || s[j] == '-'))
		name[k++] = g_ascii_tolower(s[j++]);
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
			if (n > 0 && is_space((unsigned char)s[start + n - 1]))
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

		if (c == '<' && i + 1 < len && (g_ascii_isalpha(s[i + 1]) || s[i + 1] == '/' ||
		    s[i + 1] == '!' || s[i + 1] == '?')) {
			i = markup(&h, s, len, i);
		} else if (c == '&' && (cp = entity(s + i, len - i, &k))) {
			put_char(&h, cp);
			i += k;
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
			put_char(&h, 0xa0);
			i += 2;
		} else if (c == '\r' || (is_space(c) && !h.pre)) {
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


/* Replies: what they quote. */

/* "-----Original Message-----" and its translations. */
static int
is_original_marker(const char *l, size_t n)
{
	static const char *const words[] = {
		"original message", "mensaje original", "message d'origine",
		"mensagem original", "messaggio originale", "ursprüngliche nachricht",
		"oorspronkelijk bericht", NULL
	};
	size_t dashes = 0;

	while (n > 0 && is_space((unsigned char)*l)) {
		l++;
		n--;
	}
	while (n > 0 && *l == '-') {
		l++;
		n--;
		dashes++;
	}
	while (n > 0 && *l == ' ') {
		l++;
		n--;
	}
	return dashes >= 2 && starts_with(l, n, words);
}

/* The header block Outlook puts above what it quotes: a From: line and,
 * among the next four, at least two of Sent:, To:, Subject:... */
static int
is_header_block(char **line, const size_t *len, size_t i, size_t n)
{
	static const char *const from[] = { "from:", "de:", "von:", "da:", "*from:*", "*de:*", NULL };
	static const char *const next[] = {
		"sent:", "date:", "to:", "cc:", "subject:", "enviado:", "fecha:",
		"para:", "asunto:", "gesendet:", "an:", "betreff:", "envoyé :",
		"envoyé:", "à :", "objet :", "inviato:", "oggetto:", "*sent:*",
		"*date:*", "*to:*", "*subject:*", "*enviado:*", "*fecha:*", "*para:*",
		"*asunto:*", NULL
	};
	int seen = 0;

	if (!starts_with(line[i], len[i], from))
		return 0;
	for (size_t j = i + 1; j < n && j <= i + 4; j++)
		seen += starts_with(line[j], len[j], next);
	return seen >= 2;
}

static int
is_attribution(const char *l, size_t n)
{
	static const char *const ends[] = {
		"wrote:", "escribió:", "escribio:", "a écrit :", "a écrit:", "schrieb:",
		"escreveu:", "ha scritto:", "skrev:", NULL
	};

	while (n > 0 && is_space((unsigned char)l[n - 1]))
		n--;
	for (const char *const *e = ends; *e; e++) {
		size_t k = strlen(*e);
		if (k <= n && !g_ascii_strncasecmp(l + n - k, *e, k))
			return 1;
	}
	return 0;
}

/* The words an attribution starts with: "On ...", "El ...", "Le ...". */
static int
starts_attribution(const char *l, size_t n)
{
	static const char *const words[] = { "on ", "el ", "le ", "am ", "em ", "il ", NULL };

	return starts_with(l, n, words);
}

static int
quoted(const char *l, size_t n)
{
	return n > 0 && l[0] == '>';
}

/* Mark in drop what a reply quotes. */
static void
mark_quotes(char **line, const size_t *len, char *drop, size_t n)
{
	size_t cut = n;

	for (size_t i = 0; i < n && cut == n; i++)
		if (is_original_marker(line[i], len[i]) || is_header_block(line, len, i, n)) {
			cut = i;
			/* Outlook's rule of underscores above the block goes too. */
			while (cut > 0 && is_blank(line[cut - 1], len[cut - 1]))
				cut--;
			if (cut > 0 && len[cut - 1] >= 10 && strspn(line[cut - 1], "_-") >= len[cut - 1])
				cut--;
		}
	for (size_t i = cut; i < n; i++)
		drop[i] = 1;
	for (size_t i = 0; i < cut; i++) {
		size_t j = i;

		if (!quoted(line[i], len[i]))
			continue;
		drop[i] = 1;
		if (i > 0 && quoted(line[i - 1], len[i - 1]))
			continue;
		/* The first quoted line: the attribution above it goes. */
		while (j > 0 && is_blank(line[j - 1], len[j - 1]))
			j--;
		if (j == 0 || !is_attribution(line[j - 1], len[j - 1]))
			continue;
		for (size_t k = j - 1; k < i; k++)
			drop[k] = 1;
		/* One wrapped over two lines. */
		if (j >= 2 && !starts_attribution(line[j - 1], len[j - 1]) &&
		    !is_blank(line[j - 2], len[j - 2]) && starts_attribution(line[j - 2], len[j - 2]))
			drop[j - 2] = 1;
	}
}

void
sd_mail_cut_quotes(char *text, int forward)
{
	size_t n = 1, w = 0, pending = 0;
	char **line = NULL, *drop = NULL;
	size_t *len = NULL;
	int dropped = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	line = malloc(n * sizeof(*line));
	len = malloc(n * sizeof(*len));
	drop = calloc(n, 1);
	if (!line || !len || !drop)
		goto out;       /* kept whole: leaving quotes out is a nicety */
	line[0] = text;
	for (size_t i = 0; ; ) {
		char *nl = strchr(line[i], '\n');
		if (!nl) {
			len[i] = strlen(line[i]);
			break;
		}
		len[i] = (size_t)(nl - line[i]);
		line[++i] = nl + 1;
	}
	/* A forward is the message it forwards: kept whole. */
	if (!forward)
		mark_quotes(line, len, drop, n);
	/* Write back what stays, in place: it is never longer.  Blank lines
	 * go at either end, and where a cut would leave two in a row. */
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			dropped = 1;
			continue;
		}
		if (is_blank(line[i], len[i])) {
			pending++;
			continue;
		}
		if (w) {
			if (dropped && pending > 1)
				pending = 1;
			text[w++] = '\n';
			while (pending-- > 0)
				text[w++] = '\n';
		}
		memmove(text + w, line[i], len[i]);
		w += len[i];
		pending = 0;
		dropped = 0;
	}
	text[w] = '\0';
out:
	free(line);
	free(len);
	free(drop);
}


/* Subjects. */

/* The length of the reply or forward marker at s ("Re: ", "RE[2]: ",
 * "Fwd: ", "RV: "), 0 if there is none; *fwd says whether a forward's. */
static size_t
marker(const char *s, int *fwd)
{
	static const char *const replies[] = { "re", "aw", "sv", "antw", "rif", "res", NULL };
	static const char *const forwards[] = { "fw", "fwd", "rv", "tr", "wg", "enc", NULL };
	char word[8];
	size_t i = 0;

	while (i < 5 && g_ascii_isalpha(s[i]))
		i++;
	if (i == 0 || i > 4)
		return 0;
	memcpy(word, s, i);
	word[i] = '\0';
	if (s[i] == '[' || s[i] == '(') {
		char close = s[i] == '[' ? ']' : ')';
		size_t j = i + 1;
		while (g_ascii_isdigit(s[j]))
			j++;
		if (j == i + 1 || s[j] != close)
			return 0;
		i = j + 1;
	}
	while (s[i] == ' ')
		i++;
	if (s[i++] != ':')
		return 0;
	while (s[i] == ' ')
		i++;
	for (int f = 0; f < 2; f++)
		for (const char *const *w = f ? forwards : replies; *w; w++)
			if (!g_ascii_strcasecmp(word, *w)) {
				*fwd = f;
				return i;
			}
	return 0;
}

static int
is_forward(const char *subject)
{
	int fwd = 0;

	return marker(subject, &fwd) && fwd;
}

/* A reply: it says what it answers, or its subject does. */
static int
is_reply(GMimeMessage *msg, const char *subject)
{
	int fwd = 0;

	return g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To") ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "References") ||
	    (marker(subject, &fwd) && !fwd) || is_forward(subject);
}

/* The next [PREFIX-N] tag in s from *at on: its number, or 0 when there
 * is none more. */
static long
next_tag(const char *prefix, const char **at)
{
	size_t pl = strlen(prefix);

	for (const char *p = strchr(*at, '['); p; p = strchr(p + 1, '[')) {
		const char *close = strchr(p + 1, ']');
		char id[SD_ID_MAX];
		long n;

		if (!close || g_ascii_strncasecmp(p + 1, prefix, pl) || p[1 + pl] != '-' ||
		    (size_t)(close - p - 1) >= sizeof(id))
			continue;
		memcpy(id, p + 1, (size_t)(close - p - 1));
		id[close - p - 1] = '\0';
		if (sd_id_parse(&n, prefix, id) < 0) {
			sd_error_clear();
			continue;
		}
		*at = close + 1;
		return n;
	}
	return 0;
}

/* s in a form to compare: composed and case-folded; g_malloc'd. */
static char *
fold(const char *s)
{
	char *nfc = g_utf8_normalize(s, -1, G_NORMALIZE_DEFAULT_COMPOSE), *f;

	if (!nfc)
		return NULL;
	f = g_utf8_casefold(nfc, -1);
	g_free(nfc);
	return f;
}

/* Is there one of the keywords in subject, as whole words, case ignored? */
static int
has_keyword(const char *subject, const char *const *kw, size_t n)
{
	char *s = fold(subject);
	int found = 0;

	for (size_t i = 0; s && !found && i < n; i++) {
		char *k = fold(kw[i]);
		size_t kl = k ? strlen(k) : 0;

		for (const char *p = s; kl && !found && (p = strstr(p, k)); p = g_utf8_next_char(p))
			found = (p == s || !g_unichar_isalnum(g_utf8_get_char(g_utf8_find_prev_char(s, p)))) &&
			    (!p[kl] || !g_unichar_isalnum(g_utf8_get_char(p + kl)));
		g_free(k);
	}
	g_free(s);
	return found;
}


/* Reading a message. */

struct walk {
	struct sd_buf plain, html;
	struct sd_mail_attachment *att;
	size_t natt, cap;
	int failed;
};

static void
add_attachment(struct walk *w, const char *name, const char *type, size_t size)
{
	struct sd_mail_attachment *a;

	if (w->natt == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct sd_mail_attachment *v = realloc(w->att, cap * sizeof(*v));
		if (!v) {
			w->failed = 1;
			return;
		}
		w->att = v;
		w->cap = cap;
	}
	a = &w->att[w->natt];
	a->name = line_of(name ? name : "");
	a->type = line_of(type ? type : "application/octet-stream");
	a->size = size;
	if (!a->name || !a->type) {
		free(a->name);
		free(a->type);
		w->failed = 1;
		return;
	}
	w->natt++;
}

/* The decoded content of part (its transfer encoding undone) added to
 * b; or, when b is NULL, only its size. */
static size_t
part_content(GMimePart *part, struct sd_buf *b)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *stream;
	size_t n = 0;

	if (!content)
		return 0;
	stream = b ? g_mime_stream_mem_new() : g_mime_stream_null_new();
	if (g_mime_data_wrapper_write_to_stream(content, stream) >= 0) {
		if (b) {
			GByteArray *a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
			sd_buf__add(b, a->data, a->len);
			n = a->len;
		} else {
			n = GMIME_STREAM_NULL(stream)->written;
		}
	}
	g_object_unref(stream);
	return n;
}

/* A text part, as UTF-8, after what to holds already. */
static void
add_text(struct sd_buf *to, GMimePart *part)
{
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	struct sd_buf raw = SD_BUF_INIT;

	part_content(part, &raw);
	if (to->len)
		sd_buf__addc(to, '\n');
	if (raw.len)
		add_utf8(to, raw.data, raw.len, charset);
	if (raw.failed)
		to->failed = 1;
	sd_buf__free(&raw);
}

/* Each part of the message: the text/plain ones make the text (the
 * text/html ones when there is no plain one), the rest are attachments. */
static void
walk_part(GMimeObject *parent, GMimeObject *part, gpointer arg)
{
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	struct walk *w = arg;

	(void)parent;
	if (GMIME_IS_MESSAGE_PART(part)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
		const char *name = g_mime_object_get_content_disposition_parameter(part, "filename");
		GMimeStream *null = g_mime_stream_null_new();

		if (!name)
			name = g_mime_object_get_content_type_parameter(part, "name");
		if (!name && inner)
			name = g_mime_message_get_subject(inner);
		if (inner)
			g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, null);
		add_attachment(w, name, type, GMIME_STREAM_NULL(null)->written);
		g_object_unref(null);
	} else if (GMIME_IS_PART(part)) {
		GMimePart *p = GMIME_PART(part);
		const char *name = g_mime_part_get_filename(p);
		int attached = g_mime_part_is_attachment(p) || (name && *name);

		if (!attached && g_mime_content_type_is_type(ct, "text", "plain"))
			add_text(&w->plain, p);
		else if (!attached && g_mime_content_type_is_type(ct, "text", "html"))
			add_text(&w->html, p);
		else
			add_attachment(w, name, type, part_content(p, NULL));
	}
	g_free(type);
}

/* The first mailbox of list, looking into groups. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list)
{
	for (int i = 0; list && i < internet_address_list_length(list); i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		InternetAddressMailbox *mb = NULL;

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			mb = INTERNET_ADDRESS_MAILBOX(ia);
		else if (INTERNET_ADDRESS_IS_GROUP(ia))
			mb = first_mailbox(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
		if (mb && internet_address_mailbox_get_addr(mb) && *internet_address_mailbox_get_addr(mb))
			return mb;
	}
	return NULL;
}

/* The value of header name, on one line; *out NULL when there is none. */
static int
header(char **out, GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);

	*out = NULL;
	if (!v)
		return 0;
	return (*out = line_of(v)) ? 0 : sd__oom();
}

/* The message's own text: its plain text, else its HTML as text; CRLF
 * as LF, valid UTF-8; in a reply, what it quotes left out (a first
 * message may hold `>` lines of its own). */
static int
body_text(char **out, struct walk *w, const char *subject, int reply)
{
	char *text = NULL;
	size_t k = 0;
	int rc;

	*out = NULL;
	if (w->plain.failed || w->html.failed)
		return sd__oom();
	if (w->plain.len) {
		for (size_t i = 0; i < w->plain.len; i++)
			if (!(w->plain.data[i] == '\r' && i + 1 < w->plain.len && w->plain.data[i + 1] == '\n'))
				w->plain.data[k++] = w->plain.data[i];
		*out = clean_utf8(w->plain.data, k);
	} else if (w->html.len) {
		if ((rc = sd_mail_html_text(&text, w->html.data, w->html.len)) < 0)
			return rc;
		*out = clean_utf8(text, strlen(text));
		free(text);
	} else {
		*out = sd__strdup("");
	}
	if (!*out)
		return sd__oom();
	/* Kept whole, as a forward is, when not a reply; blank ends go. */
	sd_mail_cut_quotes(*out, !reply || is_forward(subject));
	return 0;
}

int
sd_mail_parse(struct sd_mail **out, const char *data, size_t len)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	struct walk w = { SD_BUF_INIT, SD_BUF_INIT, NULL, 0, 0, 0 };
	GMimeParserOptions *opts = NULL;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	InternetAddressMailbox *mb;
	struct sd_mail *m = NULL;
	const char *subject, *name;
	int rc;

	*out = NULL;
	if (len == 0)
		return sd_error_set(SD_EINVALID, "%s", _("not a mail message: the input is empty"));
	if (len > SD_MAIL_INPUT_MAX)
		return sd_error_set(SD_EINVALID, _("the message is larger than %ld MiB"),
		    SD_MAIL_INPUT_MAX >> 20);
	/* The mbox envelope line procmail and local delivery put first. */
	if (len > 5 && !memcmp(data, "From ", 5)) {
		const char *nl = memchr(data, '\n', len);
		len = nl ? len - (size_t)(nl + 1 - data) : 0;
		data = nl ? nl + 1 : data;
	}
	if (!(m = calloc(1, sizeof(*m))))
		return sd__oom();
	if (!gmime_ready) {
		g_mime_init();
		gmime_ready = 1;
	}
	opts = g_mime_parser_options_new();
	/* Undeclared 8-bit headers: UTF-8 if they are, else Windows-1252. */
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, opts);
	if (!msg || !(mb = first_mailbox(g_mime_message_get_from(msg)))) {
		rc = sd_error_set(SD_EINVALID, "%s", _("not a mail message: no sender address in From:"));
		goto out;
	}
	subject = g_mime_message_get_subject(msg);
	name = internet_address_get_name(INTERNET_ADDRESS(mb));
	if (!(m->subject = line_of(subject ? subject : "")) ||
	    !(m->from_name = line_of(name ? name : "")) ||
	    !(m->from_addr = line_of(internet_address_mailbox_get_addr(mb)))) {
		rc = sd__oom();
		goto out;
	}
	if ((rc = header(&m->auto_submitted, msg, "Auto-Submitted")) < 0 ||
	    (rc = header(&m->precedence, msg, "Precedence")) < 0 ||
	    (rc = header(&m->return_path, msg, "Return-Path")) < 0)
		goto out;
	g_mime_message_foreach(msg, walk_part, &w);
	m->attachments = w.att;
	m->nattachments = w.natt;
	w.att = NULL;
	if (w.failed) {
		rc = sd__oom();
		goto out;
	}
	rc = body_text(&m->text, &w, m->subject, is_reply(msg, m->subject));
out:
	if (rc == 0)
		*out = m;
	else
		sd_mail_free(m);
	for (size_t i = 0; i < w.natt && w.att; i++) {
		free(w.att[i].name);
		free(w.att[i].type);
	}
	free(w.att);
	sd_buf__free(&w.plain);
	sd_buf__free(&w.html);
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	g_mime_parser_options_free(opts);
	return rc;
}

void
sd_mail_shutdown(void)
{
	if (gmime_ready)
		g_mime_shutdown();
	gmime_ready = 0;
}

int
sd_mail_read(struct sd_mail **out, FILE *in)
{
	struct sd_buf b = SD_BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc;

	*out = NULL;
	/* One byte over the limit is enough to refuse it. */
	while (b.len <= (size_t)SD_MAIL_INPUT_MAX && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		sd_buf__add(&b, chunk, n);
	if (ferror(in)) {
		sd_buf__free(&b);
		return sd_error_set(SD_EIO, _("reading the message: %s"), strerror(errno));
	}
	if ((rc = sd_buf__check(&b)) == 0)
		rc = sd_mail_parse(out, b.data ? b.data : "", b.len);
	sd_buf__free(&b);
	return rc;
}

void
sd_mail_free(struct sd_mail *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->from_name);
	free(m->from_addr);
	free(m->text);
	for (size_t i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].name);
		free(m->attachments[i].type);
	}
	free(m->attachments);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->return_path);
	free(m);
}


/* The route. */

/* r ignores the message, for why (printf format). */
static void
ignore(struct sd_mail_route *r, const char *fmt, ...)
{
	va_list ap;

	r->action = SD_MAIL_IGNORE;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* A header value quoted in a message: at most 100 bytes. */
static int
shown(const char *v)
{
	return (int)utf8_cut(v, strlen(v), 100);
}

/* Is the first word of a header value one of words, case ignored? */
static int
first_word_is(const char *v, const char *const *words)
{
	size_t n = strcspn(v, " \t;(,");

	for (; *words; words++)
		if (strlen(*words) == n && !g_ascii_strncasecmp(v, *words, n))
			return 1;
	return 0;
}

/* An automatic message (RFC 3834), a list's or a bounce: never answered,
 * for the desk's own messages would answer it. */
static int
automatic(struct sd_mail_route *r, const struct sd_mail *m)
{
	static const char *const no[] = { "no", NULL };
	static const char *const bulk[] = { "bulk", "junk", "list", NULL };
	const char *at = strchr(m->from_addr, '@');
	size_t local = at ? (size_t)(at - m->from_addr) : strlen(m->from_addr);

	if (m->auto_submitted && *m->auto_submitted && !first_word_is(m->auto_submitted, no))
		ignore(r, _("an automatic message (Auto-Submitted: %.*s)"),
		    shown(m->auto_submitted), m->auto_submitted);
	else if (m->precedence && first_word_is(m->precedence, bulk))
		ignore(r, _("a bulk or list message (Precedence: %.*s)"),
		    shown(m->precedence), m->precedence);
	else if (m->return_path && !strcmp(m->return_path, "<>"))
		ignore(r, "%s", _("a bounce (Return-Path: <>)"));
	else if (local == 13 && !g_ascii_strncasecmp(m->from_addr, "mailer-daemon", 13))
		ignore(r, _("a bounce (from %.*s)"), shown(m->from_addr), m->from_addr);
	else
		return 0;
	return 1;
}

/* From one of the desk's own addresses: an agent's or a group's. */
static int
own_address(struct sd_mail_route *r, const struct sd_mail *m, const struct sd_config *cfg)
{
	const char *who = NULL;

	for (size_t i = 0; !who && i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);
		if (a->email && !g_ascii_strcasecmp(a->email, m->from_addr))
			who = a->id;
	}
	for (size_t i = 0; !who && i < sd_config_group_count(cfg); i++) {
		const struct sd_group *g = sd_config_group_at(cfg, i);
		if (g->email && !g_ascii_strcasecmp(g->email, m->from_addr))
			who = g->name;
	}
	if (!who)
		return 0;
	ignore(r, _("from %.*s, the desk's own address (%s in agents.ini)"),
	    shown(m->from_addr), m->from_addr, who);
	return 1;
}

void
sd_mail_route(struct sd_mail_route *r, const struct sd_mail *m,
    const struct sd_config *cfg, sd_mail_status_fn status, void *arg)
{
	const char *prefix = sd_config_prefix(cfg), *at = m->subject, *st;
	const char *const *kw;
	size_t nkw = sd_config_keywords(cfg, &kw);
	long n;

	memset(r, 0, sizeof(*r));
	r->action = SD_MAIL_IGNORE;
	if (automatic(r, m) || own_address(r, m, cfg))
		return;
	/* The first tag that names a ticket; the others are as no tag. */
	while ((n = next_tag(prefix, &at)))
		if ((st = status(n, arg))) {
			r->ticket = n;
			r->action = sd_status_final(st) ? SD_MAIL_RELATED : SD_MAIL_NOTE;
			return;
		}
	if (has_keyword(m->subject, kw, nkw))
		r->action = SD_MAIL_NEW;
	else if (nkw)
		ignore(r, _("no ticket [%s-N] and no word of sd.ini [mail] keywords in the subject"),
		    prefix);
	else
		ignore(r, _("no ticket [%s-N] in the subject, and sd.ini has no [mail] keywords"),
		    prefix);
}

struct store_status {
	struct sd_store *s;
	char status[SD_STATUS_MAX];
	int rc;
	char message[512];      /* the first failure's */
};

static const char *
store_status(long n, void *arg)
{
	struct store_status *a = arg;
	struct sd_ticket *t;
	int rc;

	if ((rc = sd_store_load(a->s, &t, n)) < 0) {
		if (rc == SD_ENOTFOUND)
			sd_error_clear();
		else if (!a->rc) {
			a->rc = rc;
			snprintf(a->message, sizeof(a->message), "%s", sd_error_message());
		}
		return NULL;
	}
	snprintf(a->status, sizeof(a->status), "%s", sd_ticket_get(t, SD_F_STATUS));
	sd_ticket_free(t);
	return a->status;
}

int
sd_mail_decide(struct sd_mail_route *r, struct sd_store *s, const struct sd_mail *m)
{
	struct store_status a = { s, "", 0, "" };

	sd_mail_route(r, m, sd_store_config(s), store_status, &a);
	/* A ticket file that does not parse: said, not taken for no ticket. */
	return a.rc ? sd_error_set(a.rc, "%s", a.message) : 0;
}


/* The draft. */

/* The subject as a title: without reply and forward markers, and
 * without the tag of ticket tag (0: none), which `related` holds. */
static char *
mail_title(const struct sd_mail *m, const char *prefix, long tag)
{
	char *t = one_line(m->subject), *p, id[SD_ID_MAX + 2];
	size_t k, il;
	int fwd;

	if (!t)
		return NULL;
	if (tag) {
		id[0] = '[';
		sd_id_format(id + 1, prefix, tag);
		strcat(id, "]");
		il = strlen(id);
		for (p = t; *p; p++)
			if (!g_ascii_strncasecmp(p, id, il))
				memset(p, ' ', il);
		p = one_line(t);
		free(t);
		if (!(t = p))
			return NULL;
	}
	for (p = t; (k = marker(p, &fwd)); p += k)
		;
	memmove(t, p, strlen(p) + 1);
	if (!*t) {
		/* No subject: the text's first line, else say so. */
		const char *s = m->text + strspn(m->text, " \t\n");
		size_t n = strcspn(s, "\n");
		char *first = sd__strndup(s, n);

		free(t);
		if (!first)
			return NULL;
		t = one_line(first);
		free(first);
		if (t && !*t) {
			free(t);
			t = sd__strdup("(no subject)");
		}
		if (!t)
			return NULL;
	}
	k = utf8_cut(t, strlen(t), SD_MAIL_TITLE_MAX);
	while (k > 0 && t[k - 1] == ' ')
		k--;
	t[k] = '\0';
	return t;
}

/* The text: for a note, who sent it first; the message's text; the
 * attachments listed at the end, since the store keeps none.  At most
 * SD_MAIL_TEXT_MAX bytes: a longer message is cut, and says so.  Its
 * words are English whatever the user's language: they go into the ticket
 * file, which reads the same in every language. */
static char *
mail_text(const struct sd_mail *m, int note)
{
	enum { LISTED = 100, NAME_MAX_ = 200, ADDR_MAX = 254 };
	struct sd_buf head = SD_BUF_INIT, tail = SD_BUF_INIT, b = SD_BUF_INIT;
	const char *cut = "[... the rest of the message is left out: sd keeps texts of up to 1 MiB]";
	size_t tl = strlen(m->text), room;

	if (note) {
		int nl = (int)utf8_cut(m->from_name, strlen(m->from_name), NAME_MAX_);
		int al = (int)utf8_cut(m->from_addr, strlen(m->from_addr), ADDR_MAX);
		if (nl)
			sd_buf__printf(&head, "From: %.*s <%.*s>", nl, m->from_name, al, m->from_addr);
		else
			sd_buf__printf(&head, "From: %.*s", al, m->from_addr);
	}
	if (m->nattachments)
		sd_buf__adds(&tail, "Attachments, not kept in the ticket:");
	for (size_t i = 0; i < m->nattachments && i < LISTED; i++) {
		const struct sd_mail_attachment *a = &m->attachments[i];
		const char *name = *a->name ? a->name : "(no name)";
		sd_buf__printf(&tail, "\n- %.*s (%.*s, ", (int)utf8_cut(name, strlen(name), NAME_MAX_),
		    name, (int)utf8_cut(a->type, strlen(a->type), NAME_MAX_), a->type);
		sd_buf__printf(&tail, a->size == 1 ? "%zu byte)" : "%zu bytes)", a->size);
	}
	if (m->nattachments > LISTED) {
		sd_buf__addc(&tail, '\n');
		sd_buf__printf(&tail, "- and %zu more", m->nattachments - LISTED);
	}
	room = SD_MAIL_TEXT_MAX - head.len - tail.len - 4;
	sd_buf__add(&b, "", 0);
	sd_buf__add(&b, head.data ? head.data : "", head.len);
	if (tl) {
		if (b.len)
			sd_buf__adds(&b, "\n\n");
		if (tl > room) {
			sd_buf__add(&b, m->text, utf8_cut(m->text, tl, room - strlen(cut) - 1));
			sd_buf__printf(&b, "\n%s", cut);
		} else {
			sd_buf__add(&b, m->text, tl);
		}
	}
	if (tail.len) {
		if (b.len)
			sd_buf__adds(&b, "\n\n");
		sd_buf__add(&b, tail.data, tail.len);
	}
	if (head.failed || tail.failed)
		b.failed = 1;
	sd_buf__free(&head);
	sd_buf__free(&tail);
	return sd_buf__check(&b) < 0 ? (sd_buf__free(&b), NULL) : sd_buf__detach(&b);
}

/* The channel of tickets by mail must be one of the store's. */
static int
email_channel(const struct sd_config *cfg)
{
	if (sd_config_has_channel(cfg, "email"))
		return 0;
	return sd_error_set(SD_ECONFIG, "%s",
	    _("sd.ini: [lifecycle] channels lacks email, the channel of tickets by mail"));
}

int
sd_mail_draft(struct sd_mail_draft *d, const struct sd_mail *m,
    const struct sd_mail_route *r, const struct sd_config *cfg)
{
	const char *who = *m->from_name ? m->from_name : m->from_addr;
	int rc;

	memset(d, 0, sizeof(*d));
	if (r->action != SD_MAIL_NOTE && (rc = email_channel(cfg)) < 0)
		return rc;
	if (!(d->title = mail_title(m, sd_config_prefix(cfg),
	    r->action == SD_MAIL_IGNORE || r->action == SD_MAIL_NEW ? 0 : r->ticket)) ||
	    !(d->requester = sd__strndup(who, utf8_cut(who, strlen(who), SD_MAIL_TITLE_MAX))))
		goto oom;
	/* An address sd would refuse leaves the ticket without one: it waits
	 * in pending-info when the address is required. */
	if (sd_field_check(cfg, SD_F_REQUESTER_EMAIL, m->from_addr) == 0) {
		if (!(d->email = sd__strdup(m->from_addr)))
			goto oom;
	} else {
		sd_error_clear();
	}
	if (!(d->text = mail_text(m, r->action == SD_MAIL_NOTE)))
		goto oom;
	if (!*d->text && r->action != SD_MAIL_NOTE) {
		free(d->text);
		d->text = NULL;
	}
	return 0;
oom:
	sd_mail_draft_free(d);
	return sd__oom();
}

void
sd_mail_draft_free(struct sd_mail_draft *d)
{
	free(d->title);
	free(d->requester);
	free(d->email);
	free(d->text);
	memset(d, 0, sizeof(*d));
}

/* Has ticket n become final since the route was taken? */
static int
became_final(struct sd_store *s, long n)
{
	struct sd_ticket *t;
	int final;

	if (sd_store_load(s, &t, n) < 0)
		return 0;
	final = sd_status_final(sd_ticket_get(t, SD_F_STATUS));
	sd_ticket_free(t);
	return final;
}

int
sd_mail_apply(struct sd_store *s, const struct sd_agent *agent,
    struct sd_mail_route *r, const struct sd_mail_draft *d, const char *type,
    char id[SD_ID_MAX])
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *prefix = sd_config_prefix(cfg);
	struct sd_new_params p = { 0 };
	char related[SD_ID_MAX];
	int rc;

	id[0] = '\0';
	if (r->action == SD_MAIL_IGNORE)
		return 0;
	if (r->action == SD_MAIL_NOTE) {
		struct sd_act a = { .action = "note", .text = d->text };
		char status[SD_STATUS_MAX];

		if ((rc = sd_desk_act(s, agent, r->ticket, &a, status)) == 0) {
			sd_id_format(id, prefix, r->ticket);
			return 0;
		}
		if (rc != SD_EINVALID || !became_final(s, r->ticket))
			return rc;
		sd_error_clear();
		r->action = SD_MAIL_RELATED;
	}
	if ((rc = email_channel(cfg)) < 0)
		return rc;
	p.type = type;
	p.title = d->title;
	p.requester = d->requester;
	p.channel = "email";
	p.email = d->email;
	p.description = d->text;
	if (r->action == SD_MAIL_RELATED) {
		sd_id_format(related, prefix, r->ticket);
		p.related = related;
	}
	return sd_desk_new(s, agent, &p, id);
}
