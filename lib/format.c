/*
 * Output formats: cells in TSV, CSV and JSON, and the rows of a table
 * aligned for a terminal or written for a machine.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/format.h"

/* A table is aligned on this many rows; later ones use the same widths. */
#define TABLE_SAMPLE 1000

static const char *const names[] = { "table", "text", "tsv", "csv", "json", "ini", "html" };

int
sd_format_parse(enum sd_format *out, const char *name, const char *allowed)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < SD_ARRAY_SIZE(names); i++) {
		const char *p = allowed;
		if (strcmp(name, names[i]))
			continue;
		while ((p = strstr(p, name))) {
			if ((p == allowed || p[-1] == ',') && (p[n] == ',' || !p[n])) {
				*out = (enum sd_format)i;
				return 0;
			}
			p += n;
		}
	}
	return sd_error_set(SD_EUSAGE, _("unknown format '%s' (one of %s)"), name, allowed);
}

void
sd_put_tsv(FILE *f, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\t\n\r\\");

		fwrite(s, 1, n, f);     /* the bytes that need no escape, at once */
		switch (s[n]) {
		case '\0': return;
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		default: fputs("\\\\", f); break;
		}
		s += n + 1;
	}
}

/* A CSV cell; guard: one a spreadsheet would take for a formula (its
 * first character one of = + - @ TAB CR, OWASP's "CSV Injection") gets
 * a ' before it, and quotes, as OWASP recommends. */
static void
put_csv(FILE *f, const char *s, int guard)
{
	int formula = guard && *s && strchr("=+-@\t\r", *s);

	if (!formula && !strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputs(formula ? "\"'" : "\"", f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

void
sd_put_csv(FILE *f, const char *s)
{
	put_csv(f, s, 1);
}

void
sd_put_json(FILE *f, const char *s)
{
	putc('"', f);
	for (;;) {
		size_t n = 0;
		unsigned char c;

		while ((c = (unsigned char)s[n]) >= 0x20 && c != '"' && c != '\\')
			n++;
		fwrite(s, 1, n, f);     /* the bytes that need no escape, at once */
		switch (c) {
		case '\0': putc('"', f); return;
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default: fprintf(f, "\\u%04x", c); break;
		}
		s += n + 1;
	}
}

/* A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		if (*++s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return !*s;
}

struct sd_table {
	FILE *f;
	enum sd_format fmt;
	size_t ncols;
	char **names;
	char **labels;          /* the table's header for people, or NULL */
	int *numeric;
	size_t *width;
	char **sample;          /* the first rows of a table, flattened */
	size_t nsample;
	size_t rows;
	int flushed;
	int visible;            /* cells through sd_visible (SD_FORMAT_VISIBLE) */
	size_t fit, cut;        /* lines at most fit wide, column cut giving way */
};

/* cells through sd_visible, into *out (malloc'd, free with shown_free). */
static int
shown_of(char ***out, const char *const *cells, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof(*v));

	*out = v;
	if (!v)
		return sd__oom();
	for (size_t i = 0; i < n; i++) {
		int rc = sd_visible(&v[i], cells[i] ? cells[i] : "", 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
shown_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int
sd_table_new(struct sd_table **out, FILE *f, enum sd_format fmt, size_t ncols,
    const char *const *colnames, const int *numeric)
{
	struct sd_table *t = calloc(1, sizeof(*t));

	int visible = (fmt & SD_FORMAT_VISIBLE) != 0;
	char **shown = NULL;

	*out = NULL;
	fmt = (enum sd_format)(fmt & ~SD_FORMAT_VISIBLE);
	if (fmt == SD_FORMAT_INI || fmt == SD_FORMAT_HTML) {
		free(t);
		return sd_error_set(SD_EUSAGE, "%s", _("format ini is not for tables"));
	}
	if (!t)
		return sd__oom();
	t->f = f;
	t->fmt = fmt;
	t->visible = visible;
	t->ncols = ncols;
	t->names = calloc(ncols, sizeof(char *));
	t->numeric = calloc(ncols, sizeof(int));
	t->width = calloc(ncols, sizeof(size_t));
	if (!t->names || !t->numeric || !t->width)
		goto oom;
	for (size_t i = 0; i < ncols; i++) {
		if (!(t->names[i] = sd__strdup(colnames[i])))
			goto oom;
		t->numeric[i] = numeric ? numeric[i] : 0;
	}
	if (fmt == SD_FORMAT_TSV || fmt == SD_FORMAT_CSV) {
		if (visible && shown_of(&shown, colnames, ncols) < 0)
			goto oom;
		for (size_t i = 0; i < ncols; i++) {
			if (i)
				putc(fmt == SD_FORMAT_TSV ? '\t' : ',', f);
			(fmt == SD_FORMAT_TSV ? sd_put_tsv : sd_put_csv)(f,
			    shown ? shown[i] : colnames[i]);
		}
		fputs(fmt == SD_FORMAT_CSV ? "\r\n" : "\n", f);
		shown_free(shown, ncols);
		shown = NULL;
	} else if (fmt == SD_FORMAT_JSON) {
		putc('[', f);
	} else if (fmt == SD_FORMAT_TABLE || fmt == SD_FORMAT_TEXT) {
		t->fmt = SD_FORMAT_TABLE;
		if (!(t->sample = calloc(TABLE_SAMPLE * ncols, sizeof(char *))))
			goto oom;
		for (size_t i = 0; i < ncols; i++)
			t->width[i] = strlen(colnames[i]);
	}
	*out = t;
	return 0;
oom:
	shown_free(shown, ncols);
	sd_table_free(t);
	return sd__oom();
}

size_t
sd_format_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

int
sd_table_labels(struct sd_table *t, const char *const *labels)
{
	if (t->fmt != SD_FORMAT_TABLE)
		return 0;
	if (!t->labels && !(t->labels = calloc(t->ncols, sizeof(char *))))
		return sd__oom();
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->labels[i]);
		t->labels[i] = NULL;
		if (t->visible ? sd_visible(&t->labels[i], labels[i], 0) < 0 :
		    !(t->labels[i] = sd__strdup(labels[i])))
			return sd__oom();
		if (t->nsample == 0 && !t->flushed)
			t->width[i] = sd_format_width(labels[i]);
	}
	return 0;
}

/* A header in capitals.  LC_CTYPE stays C, so toupper() knows ASCII
 * alone; the two-byte letters of Latin-1 (á é í ó ú ñ ü ...) that
 * translated labels hold are raised here: U+00E0..U+00FE but U+00F7 is
 * 0x20 above its capital, in the second byte. */
static void
upper(char *out, size_t size, const char *s)
{
	size_t k = 0;

	for (; *s && k + 2 < size; s++) {
		unsigned char c = (unsigned char)*s, d = (unsigned char)s[1];
		if (c == 0xc3 && d >= 0xa0 && d <= 0xbe && d != 0xb7) {
			out[k++] = (char)c;
			out[k++] = (char)(d - 0x20);
			s++;
		} else {
			out[k++] = (char)toupper(c);
		}
	}
	/* Cut short in a character: never leave half of it. */
	if (((unsigned char)*s & 0xc0) == 0x80) {
		while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0)
			k--;
	}
	out[k] = '\0';
}

/* The first width - 1 characters of c and an ellipsis, in place of c. */
static void
put_cut(FILE *f, const char *c, size_t width)
{
	size_t n = 0;

	for (const char *p = c; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && ++n == width)
			break;
		putc(*p, f);
	}
	fputs("\xe2\x80\xa6", f);     /* U+2026 HORIZONTAL ELLIPSIS */
}

static void
table_line(struct sd_table *t, char *const *cells, int header)
{
	for (size_t i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		char up[64];

		if (header) {
			upper(up, sizeof(up), c);
			c = up;
		}
		if (t->fit && i == t->cut && sd_format_width(c) > t->width[i]) {
			put_cut(t->f, c, t->width[i]);
			c = "";
			if (i + 1 < t->ncols)
				fputs("  ", t->f);
			continue;
		}
		fputs(c, t->f);
		if (i + 1 < t->ncols) {
			/* Two spaces at least: a row after the sample may be
			 * wider than its column. */
			size_t w = sd_format_width(c), end = t->width[i] + 2;
			if (end < w + 2)
				end = w + 2;
			for (; w < end; w++)
				putc(' ', t->f);
		}
	}
	putc('\n', t->f);
}

static void
table_flush(struct sd_table *t)
{
	if (t->flushed)
		return;
	t->flushed = 1;
	/* No rows, no table: cron mails only when there is something. */
	if (t->nsample == 0)
		return;
	if (t->fit) {
		/* What the other columns leave to column cut, 10 at least. */
		size_t others = 2 * (t->ncols - 1);
		for (size_t i = 0; i < t->ncols; i++)
			if (i != t->cut)
				others += t->width[i];
		size_t room = others + 10 < t->fit ? t->fit - others : 10;
		if (t->width[t->cut] > room)
			t->width[t->cut] = room;
	}
	table_line(t, t->labels ? t->labels : t->names, 1);
	for (size_t r = 0; r < t->nsample; r++)
		table_line(t, &t->sample[r * t->ncols], 0);
	for (size_t i = 0; i < t->nsample * t->ncols; i++)
		free(t->sample[i]);
	t->nsample = 0;
}

static int table_row(struct sd_table *t, const char *const *cells);

int
sd_table_row(struct sd_table *t, const char *const *cells)
{
	char **shown = NULL;
	int rc;

	if (!t->visible)
		return table_row(t, cells);
	if ((rc = shown_of(&shown, cells, t->ncols)) == 0)
		rc = table_row(t, (const char *const *)shown);
	shown_free(shown, t->ncols);
	return rc;
}

static int
table_row(struct sd_table *t, const char *const *cells)
{
	FILE *f = t->f;

	switch (t->fmt) {
	case SD_FORMAT_TSV:
	case SD_FORMAT_CSV:
		for (size_t i = 0; i < t->ncols; i++) {
			if (i)
				putc(t->fmt == SD_FORMAT_TSV ? '\t' : ',', f);
			if (t->fmt == SD_FORMAT_TSV)
				sd_put_tsv(f, cells[i]);
			else    /* a number of a numeric column is no formula, -1 neither */
				put_csv(f, cells[i], !(t->numeric[i] && is_json_number(cells[i])));
		}
		fputs(t->fmt == SD_FORMAT_CSV ? "\r\n" : "\n", f);
		break;
	case SD_FORMAT_JSON:
		fputs(t->rows ? ",\n{" : "\n{", f);
		for (size_t i = 0; i < t->ncols; i++) {
			if (i)
				putc(',', f);
			sd_put_json(f, t->names[i]);
			putc(':', f);
			/* A number, null when empty; what is not a number
			 * stays a string, so the output is JSON still. */
			if (t->numeric[i] && !*cells[i])
				fputs("null", f);
			else if (t->numeric[i] && is_json_number(cells[i]))
				fputs(cells[i], f);
			else
				sd_put_json(f, cells[i]);
		}
		putc('}', f);
		break;
	default:
		if (t->flushed) {
			table_line(t, (char *const *)cells, 0);
			break;
		}
		for (size_t i = 0; i < t->ncols; i++) {
			size_t w = sd_format_width(cells[i]);
			if (w > t->width[i])
				t->width[i] = w;
			if (!(t->sample[t->nsample * t->ncols + i] = sd__strdup(cells[i])))
				return sd__oom();
		}
		if (++t->nsample == TABLE_SAMPLE)
			table_flush(t);
	}
	t->rows++;
	return 0;
}

int
sd_table_fit(struct sd_table *t, size_t width, size_t column)
{
	if (t->fmt == SD_FORMAT_TABLE && column < t->ncols) {
		t->fit = width;
		t->cut = column;
	}
	return 0;
}

int
sd_table_end(struct sd_table *t)
{
	if (t->fmt == SD_FORMAT_JSON)
		fputs(t->rows ? "\n]\n" : "]\n", t->f);
	else if (t->fmt == SD_FORMAT_TABLE)
		table_flush(t);
	return 0;
}

void
sd_table_free(struct sd_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->sample && i < t->nsample * t->ncols; i++)
		free(t->sample[i]);
	free(t->sample);
	for (size_t i = 0; t->names && i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	for (size_t i = 0; t->labels && i < t->ncols; i++)
		free(t->labels[i]);
	free(t->labels);
	free(t->numeric);
	free(t->width);
	free(t);
}
