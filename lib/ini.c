/*
 * inih behind one door: every INI file sd reads goes through sd__ini_parse,
 * which feeds inih one whole line at a time so that handlers know the line
 * number and a line too long for inih's buffer is an error, never two lines.
 *
 * Most files never reach inih: a file whose every line is plain, the only
 * kinds of line sd writes, is read here, giving the handler what inih
 * would give it, for about a fifth of inih's instructions; the reading of
 * a ticket is what sd-list, sd-sla and sd-report spend their time on.  Any
 * other file goes to inih whole.  tests/unit/test_ini.c holds the two ways
 * equal over random files.
 */
#include <ctype.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_internal.h"

struct parse {
	const char *p, *end;
	int lineno;
	int toolong;            /* first line over the limit, or 0 */
	sd_ini_handler handler;
	void *user;
	int failed_line;        /* first line a handler refused, or 0 */
	int prev_name;          /* inih holds a key an indented line goes on */
	char message[512];
	char section[256];      /* the current section, whole: inih cuts
	                         * names at its MAX_SECTION (50) bytes */
};

/* inih tells a handler of a section only with its first key: tell ours
 * of every [section] line, keys or none, with a NULL name.  For that each
 * line is read as inih reads it: a byte-order mark skipped on the first,
 * white space skipped; a comment; an indented line after a key goes on
 * with that key's value (even one that looks like a [section]); a section
 * whose `]` an inline comment hides is an error that keeps the section. */
static void
classify(struct parse *ps, const char *line, size_t n)
{
	const char *p = line, *end = line + n, *q;
	char *name = ps->section;

	if (ps->lineno == 1 && n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end || *p == ';' || *p == '#')
		return;
	if (ps->prev_name && p > line)
		return;                 /* a continuation */
	if (*p != '[') {
		/* A key line names a key when `=` or `:` comes before any
		 * inline comment and a name before it. */
		for (q = p; q < end && *q != '=' && *q != ':'; q++)
			if (*q == ';' && q > p && isspace((unsigned char)q[-1]))
				return;
		if (q < end) {
			const char *e = q;
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			ps->prev_name = e > p;
		}
		return;
	}
	for (q = p + 1; q < end && *q != ']'; q++)
		if (*q == ';' && isspace((unsigned char)q[-1]))
			return;
	if (q == end || q - p - 1 >= (long)sizeof(ps->section))
		return;
	ps->prev_name = 0;
	memcpy(name, p + 1, (size_t)(q - p - 1));
	name[q - p - 1] = '\0';
	if (ps->failed_line)
		return;
	sd_error_clear();
	if (!ps->handler(ps->user, name, NULL, NULL, ps->lineno)) {
		ps->failed_line = ps->lineno;
		snprintf(ps->message, sizeof(ps->message), "%s", sd_error_message());
	}
}

static char *
reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *nl;
	size_t n, text;

	if (ps->p >= ps->end)
		return NULL;
	nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	n = nl ? (size_t)(nl - ps->p) + 1 : (size_t)(ps->end - ps->p);
	/* The line without its end, \n or \r\n, against one limit. */
	text = n;
	if (text > 0 && ps->p[text - 1] == '\n')
		text--;
	if (text > 0 && ps->p[text - 1] == '\r')
		text--;
	ps->lineno++;
	if (text > SD_INI_LINE_MAX || n > (size_t)num - 1) {
		/* inih would read the rest as a line of its own. */
		if (!ps->toolong)
			ps->toolong = ps->lineno;
		strcpy(str, "\n");
	} else {
		classify(ps, ps->p, n);
		memcpy(str, ps->p, n);
		str[n] = '\0';
	}
	ps->p += n;
	return str;
}

static int
trampoline(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;

	(void)section;
	if (ps->failed_line)
		return 1;
	sd_error_clear();
	if (ps->handler(ps->user, ps->section, name, value, ps->lineno))
		return 1;
	ps->failed_line = ps->lineno;
	snprintf(ps->message, sizeof(ps->message), "%s", sd_error_message());
	return 1;
}

int sd__ini_inih_only;

/* Is the line, without its \n, one inih reads exactly as plain_parse
 * does?  Empty; `[section]` with no `]` or `;` inside; or a plain pair
 * (sd__ini_pair).  No control character (so no CR, no tab, no multi-line),
 * no BOM, no long line. */
static int
plain_line(const char *p, size_t n)
{
	size_t key, value;

	if (n == 0)
		return 1;
	if (p[0] != '[')
		return sd__ini_pair(p, n, &key, &value);
	if (n > SD_INI_LINE_MAX)
		return 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)p[k];
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	for (size_t i = 1; i < n - 1; i++)
		if (p[i] == ']' || p[i] == ';')
			return 0;
	return n >= 2 && p[n - 1] == ']';
}

/* The bytes a key is made of: letters, digits, `_ . + -` (in any locale). */
static const unsigned char key_byte[256] = {
	['+'] = 1, ['-'] = 1, ['.'] = 1, ['_'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
	['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
	['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

int
sd__ini_pair_flags(const char *p, size_t n, int flags, size_t *key, size_t *value)
{
	size_t i = 0;

	if (n == 0 || n > SD_INI_LINE_MAX || (flags & SD_INI_CONTROL))
		return 0;
	if (flags & SD_INI_SEMI)
		for (size_t k = 1; k < n; k++)
			if (p[k] == ';' && p[k - 1] == ' ')
				return 0;       /* inih's inline comment */
	while (i < n && key_byte[(unsigned char)p[i]])
		i++;
	if (i == 0)
		return 0;
	*key = i;
	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] != '=' || p[n - 1] == ' ')
		return 0;
	for (i++; i < n && p[i] == ' '; i++)
		;
	*value = i;
	return 1;
}

int
sd__ini_pair(const char *p, size_t n, size_t *key, size_t *value)
{
	int flags;

	if (sd__ini_line(p, p + n, &flags) != p + n)
		return 0;       /* a \n inside */
	return sd__ini_pair_flags(p, n, flags, key, value);
}

int
sd__ini_plain(const char *data, size_t len)
{
	const char *p, *nl, *end = data + len;

	for (p = data; p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		if (!plain_line(p, (size_t)(nl - p)))
			return 0;
	}
	return 1;
}

/* Every line of the file as inih would read it, to the handler; 1 when the
 * file is not all plain lines and nothing was read. */
static int
plain_parse(struct parse *ps, const char *path, int code)
{
	char line[SD_INI_LINE_MAX + 1];
	const char *p, *nl;

	if (!sd__ini_plain(ps->p, (size_t)(ps->end - ps->p)))
		return 1;
	for (p = ps->p; p < ps->end; p = nl + 1) {
		size_t n;
		char *eq, *name, *value, *q;

		if (!(nl = memchr(p, '\n', (size_t)(ps->end - p))))
			nl = ps->end;
		n = (size_t)(nl - p);
		ps->lineno++;
		if (n == 0)
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		sd_error_clear();
		if (line[0] == '[') {
			line[n - 1] = '\0';
			snprintf(ps->section, sizeof(ps->section), "%s", line + 1);
			if (!ps->handler(ps->user, ps->section, NULL, NULL, ps->lineno))
				break;
			continue;
		}
		eq = strchr(line, '=');
		name = line;
		for (q = eq; q > name && q[-1] == ' '; q--)
			;
		*q = '\0';
		for (value = eq + 1; *value == ' '; value++)
			;
		if (!ps->handler(ps->user, ps->section, name, value, ps->lineno))
			break;
	}
	if (p >= ps->end)
		return 0;
	snprintf(ps->message, sizeof(ps->message), "%s", sd_error_message());
	return sd_error_set(code, "%s:%d: %s", path, ps->lineno,
	    ps->message[0] ? ps->message : _("invalid line"));
}

int
sd__ini_parse(const char *data, size_t len, const char *path, int code,
    sd_ini_handler handler, void *user)
{
	struct parse ps = { data, data + len, 0, 0, handler, user, 0, 0, "", "" };
	const char *nul = memchr(data, '\0', len);
	int rc;

	if (nul) {
		int line = 1;
		for (const char *q = data; q < nul; q++)
			line += *q == '\n';
		return sd_error_set(code, "%s:%d: %s", path, line, _("NUL byte"));
	}
	if (!sd__ini_inih_only && (rc = plain_parse(&ps, path, code)) <= 0)
		return rc;
	rc = ini_parse_stream(reader, &ps, trampoline, &ps);
	if (ps.toolong && (!ps.failed_line || ps.toolong < ps.failed_line) &&
	    (rc <= 0 || ps.toolong <= rc))
		return sd_error_set(code, _("%s:%d: line longer than %d bytes"),
		    path, ps.toolong, SD_INI_LINE_MAX);
	if (ps.failed_line && (rc <= 0 || ps.failed_line <= rc))
		return sd_error_set(code, "%s:%d: %s", path, ps.failed_line,
		    ps.message[0] ? ps.message : _("invalid line"));
	if (rc > 0)
		return sd_error_set(code, _("%s:%d: not a [section] or key = value line"),
		    path, rc);
	if (rc < 0)
		return sd__oom();
	return 0;
}
