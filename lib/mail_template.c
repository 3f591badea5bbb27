/*
 * The templates of the desk's mail (share/templates/LANG/KIND): a first
 * line "Subject: ...", a blank line, the body, {{name}} placeholders; and
 * what fills them that depends on the language: a window and a date in
 * words, the fields the requester owes, the survey's question.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sd/mail_out.h"

const char *const sd_mail_kinds[] = SD_MAIL_KINDS;
const char *const sd_mail_placeholders[] = SD_MAIL_PLACEHOLDERS;

static int
known(const char *name, size_t n)
{
	for (size_t i = 0; sd_mail_placeholders[i]; i++)
		if (strlen(sd_mail_placeholders[i]) == n && !memcmp(sd_mail_placeholders[i], name, n))
			return 1;
	return 0;
}

static const char *
value_of(const struct sd_mail_vars *v, const char *name, size_t n)
{
	for (size_t i = 0; i < v->n; i++)
		if (strlen(v->v[i].name) == n && !memcmp(v->v[i].name, name, n))
			return v->v[i].value ? v->v[i].value : "";
	return "";
}

/* text (from path, line first its first line) with its placeholders
 * filled, into b. */
static int
fill(struct sd_buf *b, const char *text, size_t len, const char *path, int line,
    const struct sd_mail_vars *v)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "{{", 2), *close, *q;

		if (!open) {
			sd_buf__add(b, p, (size_t)(end - p));
			break;
		}
		for (q = p; q < open; q++)
			line += *q == '\n';
		sd_buf__add(b, p, (size_t)(open - p));
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (!close || memchr(open, '\n', (size_t)(close - open)))
			return sd_error_set(SD_ECONFIG, _("%s:%d: '{{' without its '}}'"), path, line);
		if (!known(open + 2, (size_t)(close - open - 2)))
			return sd_error_set(SD_ECONFIG, _("%s:%d: unknown placeholder {{%.*s}}"), path,
			    line, (int)(close - open - 2), open + 2);
		sd_buf__adds(b, value_of(v, open + 2, (size_t)(close - open - 2)));
		p = close + 2;
	}
	return sd_buf__check(b);
}

int
sd_mail_render(char **subject, char **body, const char *text, size_t len, const char *path,
    const struct sd_mail_vars *v)
{
	struct sd_buf s = SD_BUF_INIT, bd = SD_BUF_INIT;
	const char *nl = memchr(text, '\n', len);
	size_t first = nl ? (size_t)(nl - text) : len;
	int rc;

	*subject = *body = NULL;
	if (first < 9 || strncmp(text, "Subject: ", 9))
		return sd_error_set(SD_ECONFIG, _("%s:1: the first line is not 'Subject: ...'"), path);
	if (nl && nl + 1 < text + len && nl[1] != '\n')
		return sd_error_set(SD_ECONFIG, _("%s:2: not the blank line after the subject"), path);
	const char *b0 = nl && nl + 1 < text + len ? nl + 2 : text + len;
	if (b0 > text + len)
		b0 = text + len;
	if ((rc = fill(&s, text + 9, first - 9, path, 1, v)) < 0 ||
	    (rc = fill(&bd, b0, (size_t)(text + len - b0), path, 3, v)) < 0) {
		sd_buf__free(&s);
		sd_buf__free(&bd);
		return rc;
	}
	/* A placeholder left empty leaves no gap: blank lines in a row as
	 * one, none at the end. */
	if (bd.data) {
		size_t w = 0;
		for (size_t r = 0; r < bd.len; r++)
			if (!(bd.data[r] == '\n' && w >= 2 && bd.data[w - 1] == '\n' &&
			    bd.data[w - 2] == '\n'))
				bd.data[w++] = bd.data[r];
		while (w >= 2 && bd.data[w - 1] == '\n' && bd.data[w - 2] == '\n')
			w--;
		bd.data[w] = '\0';
		bd.len = w;
	}
	if (!s.data)
		sd_buf__adds(&s, "");
	if (!bd.data)
		sd_buf__adds(&bd, "");
	if ((rc = sd_buf__check(&s)) < 0 || (rc = sd_buf__check(&bd)) < 0) {
		sd_buf__free(&s);
		sd_buf__free(&bd);
		return rc;
	}
	*subject = sd_buf__detach(&s);
	*body = sd_buf__detach(&bd);
	return 0;
}

int
sd_mail_template(char **subject, char **body, const char *dir, const char *lang,
    const char *kind, const struct sd_mail_vars *v)
{
	struct sd_buf path = SD_BUF_INIT;
	char *text = NULL;
	size_t len;
	int rc;

	*subject = *body = NULL;
	sd_buf__printf(&path, "%s/%s/%s", dir, lang, kind);
	if ((rc = sd_buf__check(&path)) < 0)
		return rc;
	if (access(path.data, F_OK) < 0 && errno == ENOENT) {
		/* No template of this kind: not mailed.  No directory of the
		 * language at all: sd is not installed whole. */
		*strrchr(path.data, '/') = '\0';
		rc = access(path.data, F_OK) == 0 ? 1 :
		    sd_error_set(SD_ECONFIG, _("%s: no templates (is SD_SHAREDIR right?)"), path.data);
		sd_buf__free(&path);
		return rc;
	}
	if ((rc = sd__read_file_max(&text, &len, path.data, 1024 * 1024)) < 0) {
		rc = sd_error_set(SD_ECONFIG, "%s", sd_error_message());
	} else if (!sd__utf8_valid(text, len) || memchr(text, '\0', len)) {
		rc = sd_error_set(SD_ECONFIG, _("%s: not UTF-8 text"), path.data);
	} else {
		rc = sd_mail_render(subject, body, text, len, path.data, v);
	}
	free(text);
	sd_buf__free(&path);
	return rc;
}

/* The units of a duration in words: singular and plural, English then
 * Spanish. */
enum { W_BDAY, W_BHOUR, W_BMIN, W_DAY, W_HOUR, W_MIN };
static const char *const unit_words[][4] = {
	[W_BDAY] = { "business day", "business days", "día hábil", "días hábiles" },
	[W_BHOUR] = { "business hour", "business hours", "hora hábil", "horas hábiles" },
	[W_BMIN] = { "business minute", "business minutes", "minuto hábil", "minutos hábiles" },
	[W_DAY] = { "day", "days", "día", "días" },
	[W_HOUR] = { "hour", "hours", "hora", "horas" },
	[W_MIN] = { "minute", "minutes", "minuto", "minutos" },
};

void
sd_mail_window_words(char *out, size_t n, const struct sd_duration *d, const char *lang)
{
	int es = !strcmp(lang, "es"), u;
	long long a = d->amount, k;

	if (d->unit == SD_DUR_BUSINESS_DAYS)
		k = a, u = W_BDAY;
	else if (d->unit == SD_DUR_BUSINESS && a % 3600 == 0)
		k = a / 3600, u = W_BHOUR;
	else if (d->unit == SD_DUR_BUSINESS)
		k = a / 60, u = W_BMIN;
	else if (a % 86400 == 0 && a / 86400 > 2)
		k = a / 86400, u = W_DAY;
	else if (a % 3600 == 0)
		k = a / 3600, u = W_HOUR;
	else
		k = a / 60, u = W_MIN;
	snprintf(out, n, "%lld %s", k, unit_words[u][2 * es + (k != 1)]);
}

void
sd_mail_date_words(char *out, size_t n, time_t t, const struct sd_zone *zone, const char *lang)
{
	static const char *const days_en[7] = { "Sunday", "Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday" };
	static const char *const days_es[7] = { "domingo", "lunes", "martes", "miércoles",
	    "jueves", "viernes", "sábado" };
	static const char *const months_en[12] = { "January", "February", "March", "April",
	    "May", "June", "July", "August", "September", "October", "November", "December" };
	static const char *const months_es[12] = { "enero", "febrero", "marzo", "abril", "mayo",
	    "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre" };
	struct tm tm;

	if (!sd_zone_local(zone, t, &tm)) {
		snprintf(out, n, "?");
		return;
	}
	if (!strcmp(lang, "es"))
		snprintf(out, n, "%s %d de %s de %d a las %02d:%02d (%s)", days_es[tm.tm_wday % 7],
		    tm.tm_mday, months_es[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		    sd_zone_name(zone));
	else
		snprintf(out, n, "%s %d %s %d at %02d:%02d (%s)", days_en[tm.tm_wday % 7],
		    tm.tm_mday, months_en[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		    sd_zone_name(zone));
}

void
sd_mail_missing_words(char *out, size_t n, const char *missing, const char *lang)
{
	static const struct { const char *field, *en, *es; } words[] = {
		{ "requester_email", "your email address", "su correo electrónico" },
		{ "requester_phone", "your phone number", "su número de teléfono" },
		{ "category", "the category", "la categoría" },
		{ "urgency", "the urgency", "la urgencia" },
		{ "impact", "the impact", "el impacto" },
	};
	int es = !strcmp(lang, "es");
	const char *p = missing;
	size_t count = 0, total = 0;

	out[0] = '\0';
	for (const char *q = missing; *q; q += strspn(q, " "))
		if (*q != ' ') {
			total++;
			q += strcspn(q, " ");
		}
	while (*(p += strspn(p, " "))) {
		size_t len = strcspn(p, " ");
		const char *w = NULL;

		for (size_t i = 0; i < SD_ARRAY_SIZE(words); i++)
			if (strlen(words[i].field) == len && !strncmp(words[i].field, p, len))
				w = es ? words[i].es : words[i].en;
		count++;
		snprintf(out + strlen(out), n - strlen(out), "%s%.*s",
		    count == 1 ? "" : count == total ? (es ? " y " : " and ") : ", ",
		    w ? (int)strlen(w) : (int)len, w ? w : p);
		p += len;
	}
}

const char *
sd_mail_rating_question(const char *lang)
{
	if (!strcmp(lang, "es"))
		return "¿Cómo califica la solución? Responda a este correo con una\n"
		    "calificación de 1 a 5 (5 la mejor), o con una palabra: excelente,\n"
		    "bueno, regular, malo, muy malo. Si la solución no sirve, responda\n"
		    "diciendo qué sigue fallando y el caso se reabre.";
	return "How would you rate the solution? Reply to this mail with a rating\n"
	    "from 1 to 5 (5 the best), or a word: excellent, good, fair, poor,\n"
	    "very poor. If the solution does not work, reply saying what still\n"
	    "fails and the case is reopened.";
}
