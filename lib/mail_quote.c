/*
 * Replies and forwards, for the mail gateway: what a reply quotes, left
 * out of its text (sd_mail_cut_quotes), and the markers subjects start
 * with, "Re:" or "Fwd:" and their translations.  Plain C: no GMime, no
 * GLib.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail_chars.h"
#include "sd/mail.h"

/* Does line (n bytes) start with one of words, ASCII case ignored? */
static int
starts_with(const char *line, size_t n, const char *const *words)
{
	for (; *words; words++) {
		size_t k = strlen(*words);
		if (k <= n && !sd_mail__ncasecmp(line, *words, k))
			return 1;
	}
	return 0;
}

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

	while (n > 0 && sd_mail__is_space((unsigned char)*l)) {
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

	while (n > 0 && sd_mail__is_space((unsigned char)l[n - 1]))
		n--;
	for (const char *const *e = ends; *e; e++) {
		size_t k = strlen(*e);
		if (k <= n && !sd_mail__ncasecmp(l + n - k, *e, k))
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
			while (cut > 0 && sd_mail__is_blank(line[cut - 1], len[cut - 1]))
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
		while (j > 0 && sd_mail__is_blank(line[j - 1], len[j - 1]))
			j--;
		if (j == 0 || !is_attribution(line[j - 1], len[j - 1]))
			continue;
		for (size_t k = j - 1; k < i; k++)
			drop[k] = 1;
		/* One wrapped over two lines. */
		if (j >= 2 && !starts_attribution(line[j - 1], len[j - 1]) &&
		    !sd_mail__is_blank(line[j - 2], len[j - 2]) && starts_attribution(line[j - 2], len[j - 2]))
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
		if (sd_mail__is_blank(line[i], len[i])) {
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

/* The reply and forward markers of subjects (lib/mail_internal.h). */
size_t
sd_mail__marker(const char *s, int *fwd)
{
	static const char *const replies[] = { "re", "aw", "sv", "antw", "rif", "res", NULL };
	static const char *const forwards[] = { "fw", "fwd", "rv", "tr", "wg", "enc", NULL };
	char word[8];
	size_t i = 0;

	while (i < 5 && sd_mail__is_alpha(s[i]))
		i++;
	if (i == 0 || i > 4)
		return 0;
	memcpy(word, s, i);
	word[i] = '\0';
	if (s[i] == '[' || s[i] == '(') {
		char close = s[i] == '[' ? ']' : ')';
		size_t j = i + 1;
		while (sd_mail__is_digit(s[j]))
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
			if (!sd_mail__ncasecmp(word, *w, SIZE_MAX)) {
				*fwd = f;
				return i;
			}
	return 0;
}
