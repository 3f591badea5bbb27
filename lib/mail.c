/*
 * Reading a message, for the mail gateway (sd-mail(1)): an RFC 5322
 * message parsed with GMime into a struct sd_mail, its MIME parts walked
 * for the text and the attachments, its headers decoded to UTF-8 on one
 * line, and whether it is automatic (a bounce, a report, an automatic
 * reply, a list's), never to be answered.  The only file of libsd that
 * calls GMime: it is set up at the first sd_mail_parse and let go by
 * sd_mail_shutdown (GMime cannot be set up twice: its shutdown leaves
 * tables that a second g_mime_init does not make again).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "internal.h"
#include "mail_chars.h"
#include "sd/format.h"
#include "sd/mail.h"
#include "sd/mail_out.h"

#define REPLACEMENT "\xef\xbf\xbd"      /* U+FFFD in UTF-8 */

static int gmime_ready;

/* Text as valid UTF-8, on one line. */

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

/* A header's or a name's text: valid UTF-8 on one line; malloc'd. */
static char *
line_of(const char *s)
{
	char *clean = clean_utf8(s, strlen(s)), *line;

	if (!clean)
		return NULL;
	line = sd_mail_one_line(clean);
	free(clean);
	return line;
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



/* Replies and forwards. */

static int
is_forward(const char *subject)
{
	int fwd = 0;

	return sd_mail__marker(subject, &fwd) && fwd;
}

/* A reply: it says what it answers, or its subject does. */
static int
is_reply(GMimeMessage *msg, const char *subject)
{
	int fwd = 0;

	return g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To") ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "References") ||
	    (sd_mail__marker(subject, &fwd) && !fwd) || is_forward(subject);
}


/* Limits ([mail] in sd.ini): what a message may hold. */

static const struct sd_mail_limits *
limits(const struct sd_mail_limits *lim)
{
	static const struct sd_mail_limits defaults = { SD_MAIL_SIZE_DEFAULT,
		SD_MAIL_DEPTH_DEFAULT, SD_MAIL_PARTS_DEFAULT, SD_MAIL_NOTES_DEFAULT,
		SD_MAIL_TEXT_DEFAULT };

	return lim ? lim : &defaults;
}

static int
too_large(const struct sd_mail_limits *lim)
{
	return sd_error_set(SD_EINVALID, _("the message is larger than %zu bytes ([mail] max_size)"),
	    lim->max_size);
}

/* The lines of data that could begin a MIME part, counted without the
 * parser: every part after the first begins at a line starting "--" (a
 * boundary) or under a Content-Type header.  Each makes at most three
 * objects of the parser (an attached message: the part, the message and
 * its body), so these lines bound its memory. */
static size_t
part_starts(const char *data, size_t len)
{
	size_t n = 0;

	for (const char *p = data, *end = data + len; p < end; ) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if ((k >= 2 && p[0] == '-' && p[1] == '-') ||
		    (k >= 12 && !g_ascii_strncasecmp(p, "content-type", 12)))
			n++;
		p += k + 1;
	}
	return n;
}

/* Count obj and the parts inside it, at level (the multiparts and
 * attached messages around it), attached messages' parts included;
 * SD_EINVALID past lim. */
static int
check_part(GMimeObject *obj, int level, const struct sd_mail_limits *lim, int *parts)
{
	int rc = 0;

	if (!obj)
		return 0;
	if (++*parts > lim->max_parts)
		return sd_error_set(SD_EINVALID,
		    _("the message has more than %d MIME parts ([mail] max_parts)"), lim->max_parts);
	if (!GMIME_IS_MULTIPART(obj) && !GMIME_IS_MESSAGE_PART(obj))
		return 0;
	if (level >= lim->max_depth)
		return sd_error_set(SD_EINVALID,
		    _("the message nests MIME parts more than %d deep ([mail] max_depth)"),
		    lim->max_depth);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; rc == 0 && i < g_mime_multipart_get_count(mp); i++)
			rc = check_part(g_mime_multipart_get_part(mp, i), level + 1, lim, parts);
	} else {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner)
			rc = check_part(g_mime_message_get_mime_part(inner), level + 1, lim, parts);
	}
	return rc;
}


/* Reading a message. */

struct walk {
	struct sd_buf plain, html;
	struct sd_buf fwd;      /* the forwarded messages, as text */
	struct sd_mail_attachment *att;
	size_t natt, cap;
	int failed;
};

/* An attachment, its decoded bytes data (size of them, malloc'd: w's
 * from here, freed on failure). */
static void
add_attachment(struct walk *w, const char *name, const char *type, char *data, size_t size)
{
	struct sd_mail_attachment *a;

	if (w->natt == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct sd_mail_attachment *v = realloc(w->att, cap * sizeof(*v));
		if (!v) {
			free(data);
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
	a->data = data;
	if (!a->name || !a->type || !a->data) {
		free(a->name);
		free(a->type);
		free(a->data);
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

/* A text part, as UTF-8, after what to holds already; a text/plain one's
 * format=flowed undone (RFC 3676, which is for text/plain alone). */
static void
add_text(struct sd_buf *to, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
	const char *format = g_mime_object_get_content_type_parameter(obj, "format");
	const char *delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
	struct sd_buf raw = SD_BUF_INIT, text = SD_BUF_INIT;

	part_content(part, &raw);
	if (to->len)
		sd_buf__addc(to, '\n');
	if (raw.len)
		add_utf8(&text, raw.data, raw.len, charset);
	if (text.len && format && !g_ascii_strcasecmp(format, "flowed") &&
	    g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "plain")) {
		size_t k = 0;

		/* CRLF as LF, NUL bytes out: lines, as a C string. */
		for (size_t i = 0; i < text.len; i++)
			if (text.data[i] && !(text.data[i] == '\r' && i + 1 < text.len &&
			    text.data[i + 1] == '\n'))
				text.data[k++] = text.data[i];
		text.len = k;
		sd_buf__addc(&text, '\0');
		if (!text.failed) {
			sd_mail_unflow(text.data, delsp && !g_ascii_strcasecmp(delsp, "yes"));
			text.len = strlen(text.data);
		}
	}
	sd_buf__add(to, text.data ? text.data : "", text.len);
	if (raw.failed || text.failed)
		to->failed = 1;
	sd_buf__free(&raw);
	sd_buf__free(&text);
}

static void walk_part(GMimeObject *parent, GMimeObject *part, gpointer arg);
static int message_text(struct sd_buf *out, struct walk *w);

/* A forwarded message (a message/rfc822 part) as text, after the
 * forwarded ones w holds: who sent it, when, its subject, and its own
 * text with what it forwards in turn; its attachments are w's.  Its words
 * are English, as every word sd-mail writes into a ticket. */
static void
add_forward(struct walk *w, GMimeMessage *inner)
{
	struct walk iw = { SD_BUF_INIT, SD_BUF_INIT, SD_BUF_INIT, NULL, 0, 0, 0 };
	InternetAddressList *from = g_mime_message_get_from(inner);
	const char *date = g_mime_object_get_header(GMIME_OBJECT(inner), "Date");
	const char *subject = g_mime_message_get_subject(inner);
	char *who = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;
	char *v;

	if (w->fwd.len)
		sd_buf__adds(&w->fwd, "\n\n");
	sd_buf__adds(&w->fwd, "---------- Forwarded message ----------");
	if (who && *who && (v = line_of(who))) {
		sd_buf__printf(&w->fwd, "\nFrom: %s", v);
		free(v);
	}
	g_free(who);
	if (date && (v = line_of(date))) {
		sd_buf__printf(&w->fwd, "\nDate: %s", v);
		free(v);
	}
	if (subject && (v = line_of(subject))) {
		sd_buf__printf(&w->fwd, "\nSubject: %s", v);
		free(v);
	}
	g_mime_message_foreach(inner, walk_part, &iw);
	if (message_text(&w->fwd, &iw) < 0)
		w->failed = 1;
	/* Its attachments are the message's. */
	for (size_t i = 0; i < iw.natt; i++) {
		add_attachment(w, iw.att[i].name, iw.att[i].type, iw.att[i].data, iw.att[i].size);
		free(iw.att[i].name);
		free(iw.att[i].type);
	}
	if (iw.failed)
		w->failed = 1;
	free(iw.att);
	sd_buf__free(&iw.plain);
	sd_buf__free(&iw.html);
	sd_buf__free(&iw.fwd);
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

		/* A forwarded message: its text is kept, as the forward's. */
		if (inner)
			add_forward(w, inner);
	} else if (GMIME_IS_PART(part)) {
		GMimePart *p = GMIME_PART(part);
		const char *name = g_mime_part_get_filename(p);
		int attached = g_mime_part_is_attachment(p) || (name && *name);

		if (!attached && g_mime_content_type_is_type(ct, "text", "plain"))
			add_text(&w->plain, p);
		else if (!attached && g_mime_content_type_is_type(ct, "text", "html"))
			add_text(&w->html, p);
		else {
			struct sd_buf bytes = SD_BUF_INIT;

			part_content(p, &bytes);
			sd_buf__add(&bytes, "", 0);     /* a buffer, even for no bytes */
			add_attachment(w, name, type, bytes.failed ? NULL : bytes.data, bytes.len);
			if (bytes.failed)
				sd_buf__free(&bytes);
		}
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

/* The addresses of list, groups' members too, each once (case ignored),
 * into m->cc: at most SD_MAIL_CC_MAX. */
static int
add_cc(struct sd_mail *m, InternetAddressList *list)
{
	for (int i = 0; list && i < internet_address_list_length(list); i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		const char *addr;
		char *v, **cc;
		size_t k;
		int rc;

		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if ((rc = add_cc(m, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)))) < 0)
				return rc;
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia) ||
		    !(addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))) || !*addr)
			continue;
		for (k = 0; k < m->ncc && g_ascii_strcasecmp(m->cc[k], addr); k++)
			;
		if (k < m->ncc || m->ncc == SD_MAIL_CC_MAX)
			continue;
		if (!(v = line_of(addr)) || !(cc = realloc(m->cc, (m->ncc + 1) * sizeof(*cc)))) {
			free(v);
			return sd__oom();
		}
		m->cc = cc;
		m->cc[m->ncc++] = v;
	}
	return 0;
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

/* The ids of header name (In-Reply-To, References), on one line: only
 * its last SD_MAIL_IDS_MAX bytes, from an id's '<' on, for a thread's
 * latest messages are last; *out NULL when there is none. */
static int
ids_header(char **out, GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	size_t n = v ? strlen(v) : 0;

	*out = NULL;
	if (!v)
		return 0;
	if (n > SD_MAIL_IDS_MAX) {
		const char *lt = memchr(v + n - SD_MAIL_IDS_MAX, '<', SD_MAIL_IDS_MAX);

		v = lt ? lt : v + n;
	}
	return (*out = line_of(v)) ? 0 : sd__oom();
}

/* What w read as text, after out: its plain text, else its HTML as
 * text; CRLF as LF, valid UTF-8, with nothing cut. */
static int
walk_text(char **out, struct walk *w)
{
	char *text = NULL;
	size_t k = 0;
	int rc;

	*out = NULL;
	if (w->plain.failed || w->html.failed || w->fwd.failed)
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
	return *out ? 0 : sd__oom();
}

/* Blank lines at either end of text (in place) out. */
static void
trim_blank(char *text)
{
	size_t n = strlen(text), start = 0, end = n;

	while (end > 0 && sd_mail__is_space((unsigned char)text[end - 1]))
		end--;
	for (size_t i = 0; i < end; i++) {
		if (text[i] == '\n')
			start = i + 1;
		else if (!sd_mail__is_space((unsigned char)text[i]))
			break;
	}
	memmove(text, text + start, end - start);
	text[end - start] = '\0';
}

/* A forwarded message's text after out: a blank line, its own text
 * whole, then what it forwards. */
static int
message_text(struct sd_buf *out, struct walk *w)
{
	char *text;
	int rc;

	if ((rc = walk_text(&text, w)) < 0)
		return rc;
	trim_blank(text);
	if (*text)
		sd_buf__printf(out, "\n\n%s", text);
	free(text);
	if (w->fwd.len) {
		sd_buf__adds(out, "\n\n");
		sd_buf__add(out, w->fwd.data, w->fwd.len);
	}
	return 0;
}

/* The message's text: its own, in a reply what it quotes left out (a
 * first message may hold `>` lines of its own), then the messages it
 * forwards, whole. */
static int
body_text(char **out, struct walk *w, const char *subject, int reply)
{
	struct sd_buf b = SD_BUF_INIT;
	char *own;
	int rc;

	*out = NULL;
	if ((rc = walk_text(&own, w)) < 0)
		return rc;
	/* Kept whole, as a forward is, when not a reply; blank ends go. */
	sd_mail_cut_quotes(own, !reply || is_forward(subject));
	if (!w->fwd.len) {
		*out = own;
		return 0;
	}
	sd_buf__adds(&b, own);
	if (*own)
		sd_buf__adds(&b, "\n\n");
	free(own);
	sd_buf__add(&b, w->fwd.data, w->fwd.len);
	if (sd_buf__check(&b) < 0)
		return sd__oom();
	own = sd_buf__detach(&b);
	*out = clean_utf8(own, strlen(own));
	free(own);
	return *out ? 0 : sd__oom();
}

/* The envelope sender as given (sd_mail_parse_from), or of the mbox
 * "From " line (n bytes after "From "): "" the null sender; malloc'd. */
static char *
envelope(const char *given, const char *line, size_t n)
{
	size_t k;
	char *v, *one;

	if (given) {
		line = given;
		n = strlen(given);
	}
	while (n > 0 && sd_mail__is_space((unsigned char)*line)) {
		line++;
		n--;
	}
	for (k = 0; k < n && !sd_mail__is_space((unsigned char)line[k]); k++)
		;
	if (k >= 2 && line[0] == '<' && line[k - 1] == '>') {
		line++;
		k -= 2;
	}
	/* Postfix says MAILER-DAEMON for the null sender, in the "From "
	 * line and in pipe(8)'s ${sender}. */
	if (k == 13 && !g_ascii_strncasecmp(line, "mailer-daemon", 13))
		k = 0;
	if (!(v = sd__strndup(line, k)))
		return NULL;
	one = line_of(v);
	free(v);
	return one;
}

int
sd_mail_parse(struct sd_mail **out, const char *data, size_t len,
    const struct sd_mail_limits *lim)
{
	return sd_mail_parse_from(out, data, len, lim, NULL);
}

int
sd_mail_parse_from(struct sd_mail **out, const char *data, size_t len,
    const struct sd_mail_limits *lim, const char *sender)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	struct walk w = { SD_BUF_INIT, SD_BUF_INIT, SD_BUF_INIT, NULL, 0, 0, 0 };
	const char *from_line = NULL;
	size_t from_len = 0;
	GMimeContentType *ct;
	char why[8], *decoded = NULL;
	GMimeParserOptions *opts = NULL;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	InternetAddressMailbox *mb;
	struct sd_mail *m = NULL;
	const char *subject, *name;
	int rc, parts = 0;

	*out = NULL;
	if (len == 0)
		return sd_error_set(SD_EINVALID, "%s", _("not a mail message: the input is empty"));
	lim = limits(lim);
	if (len > lim->max_size)
		return too_large(lim);
	if (part_starts(data, len) > SD_MAIL_SCAN_MAX)
		return sd_error_set(SD_EINVALID,
		    _("the message has more than %d lines that could begin a MIME part"),
		    SD_MAIL_SCAN_MAX);
	/* The mbox envelope line procmail and local delivery put first. */
	if (len > 5 && !memcmp(data, "From ", 5)) {
		const char *nl = memchr(data, '\n', len);
		from_line = data + 5;
		from_len = nl ? (size_t)(nl - from_line) : len - 5;
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
	if (!msg) {
		rc = sd_error_set(SD_EINVALID, "%s", _("not a mail message: no sender address in From:"));
		goto out;
	}
	mb = first_mailbox(g_mime_message_get_from(msg));
	subject = g_mime_message_get_subject(msg);
	if (mb) {
		name = internet_address_get_name(INTERNET_ADDRESS(mb));
	} else {
		/* No address ("From: MAILER-DAEMON <>", which GMime does not
		 * take for a mailbox): the name, what comes before the '<'. */
		const char *raw = g_mime_object_get_header(GMIME_OBJECT(msg), "From");

		if (raw && !(decoded = g_mime_utils_header_decode_text(NULL, raw))) {
			rc = sd__oom();
			goto out;
		}
		if (decoded) {
			char *lt = strchr(decoded, '<'), *q = decoded;

			if (lt)
				*lt = '\0';
			g_strstrip(decoded);
			if (*q == '"' && strlen(q) >= 2 && q[strlen(q) - 1] == '"') {
				q[strlen(q) - 1] = '\0';
				memmove(q, q + 1, strlen(q));
			}
		}
		name = decoded;
	}
	if (!(m->subject = line_of(subject ? subject : "")) ||
	    !(m->from_name = line_of(name ? name : "")) ||
	    !(m->from_addr = line_of(mb ? internet_address_mailbox_get_addr(mb) : ""))) {
		rc = sd__oom();
		goto out;
	}
	/* The requester's Message-ID, kept for the desk's mail to thread on. */
	{
		const char *mid = g_mime_message_get_message_id(msg);

		if (mid && sd__msgid_ok(mid) && !(m->message_id = sd__strdup(mid))) {
			rc = sd__oom();
			goto out;
		}
	}
	if ((rc = header(&m->auto_submitted, msg, "Auto-Submitted")) < 0 ||
	    (rc = header(&m->precedence, msg, "Precedence")) < 0 ||
	    (rc = header(&m->return_path, msg, "Return-Path")) < 0 ||
	    (rc = header(&m->autoreply, msg, "X-Autoreply")) < 0 ||
	    (rc = header(&m->autorespond, msg, "X-Autorespond")) < 0 ||
	    (rc = ids_header(&m->in_reply_to, msg, "In-Reply-To")) < 0 ||
	    (rc = ids_header(&m->references, msg, "References")) < 0 ||
	    (rc = add_cc(m, g_mime_message_get_cc(msg))) < 0)
		goto out;
	ct = g_mime_object_get_content_type(g_mime_message_get_mime_part(msg));
	if (ct && g_mime_content_type_is_type(ct, "multipart", "report")) {
		const char *rt = g_mime_content_type_get_parameter(ct, "report-type");
		if (!(m->report_type = line_of(rt ? rt : ""))) {
			rc = sd__oom();
			goto out;
		}
	}
	if ((sender || from_line) && !(m->sender = envelope(sender, from_line, from_len))) {
		rc = sd__oom();
		goto out;
	}
	/* A message with no sender address is taken only to be ignored. */
	if (!mb && !sd_mail_automatic(m, why, sizeof(why))) {
		rc = sd_error_set(SD_EINVALID, "%s", _("not a mail message: no sender address in From:"));
		goto out;
	}
	if ((rc = check_part(g_mime_message_get_mime_part(msg), 0, lim, &parts)) < 0)
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
	sd_buf__free(&w.fwd);
	g_free(decoded);
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
sd_mail_read(struct sd_mail **out, FILE *in, const struct sd_mail_limits *lim)
{
	return sd_mail_read_from(out, in, lim, NULL);
}

int
sd_mail_read_from(struct sd_mail **out, FILE *in, const struct sd_mail_limits *lim,
    const char *sender)
{
	struct sd_buf b = SD_BUF_INIT;
	char chunk[65536];
	size_t n, max;
	int rc, over = 0;

	*out = NULL;
	lim = limits(lim);
	max = lim->max_size;
	/* What is past the limit is read, not kept: the mail system writing
	 * it should see the exit status, not a broken pipe. */
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (over || n > max - b.len)
			over = 1;
		else
			sd_buf__add(&b, chunk, n);
	}
	if (ferror(in)) {
		sd_buf__free(&b);
		return sd_error_set(SD_EIO, _("reading the message: %s"), strerror(errno));
	}
	if (over)
		rc = too_large(lim);
	else if ((rc = sd_buf__check(&b)) == 0)
		rc = sd_mail_parse_from(out, b.data ? b.data : "", b.len, lim, sender);
	sd_buf__free(&b);
	return rc;
}

void
sd_mail_free(struct sd_mail *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->message_id);
	free(m->from_name);
	free(m->from_addr);
	free(m->text);
	for (size_t i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].name);
		free(m->attachments[i].type);
		free(m->attachments[i].data);
	}
	free(m->attachments);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->return_path);
	free(m->autoreply);
	free(m->autorespond);
	free(m->report_type);
	free(m->sender);
	for (size_t i = 0; i < m->ncc; i++)
		free(m->cc[i]);
	free(m->cc);
	free(m->in_reply_to);
	free(m->references);
	free(m);
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


/* Automatic messages: a list of tests, in the order they are told apart.
 * Each fills why (one line) and says whether it fits. */

static const char *const no_words[] = { "no", NULL };

static int
is_report(const struct sd_mail *m, char *why, size_t n)
{
	if (!m->report_type)
		return 0;
	if (*m->report_type)
		snprintf(why, n, _("a delivery or disposition report (multipart/report; report-type=%.*s)"),
		    sd_mail__shown(m->report_type), m->report_type);
	else
		snprintf(why, n, "%s", _("a delivery or disposition report (multipart/report)"));
	return 1;
}

static int
is_auto_submitted(const struct sd_mail *m, char *why, size_t n)
{
	if (!m->auto_submitted || !*m->auto_submitted || first_word_is(m->auto_submitted, no_words))
		return 0;
	snprintf(why, n, _("an automatic message (Auto-Submitted: %.*s)"),
	    sd_mail__shown(m->auto_submitted), m->auto_submitted);
	return 1;
}

static int
is_autoreply(const struct sd_mail *m, char *why, size_t n)
{
	const char *h = "X-Autoreply", *v = m->autoreply;

	if (!v || !*v || first_word_is(v, no_words)) {
		h = "X-Autorespond";
		v = m->autorespond;
	}
	if (!v || !*v || first_word_is(v, no_words))
		return 0;
	snprintf(why, n, _("an automatic reply (%s: %.*s)"), h, sd_mail__shown(v), v);
	return 1;
}

static int
is_bulk(const struct sd_mail *m, char *why, size_t n)
{
	static const char *const bulk[] = { "bulk", "junk", "list", NULL };

	if (!m->precedence || !first_word_is(m->precedence, bulk))
		return 0;
	snprintf(why, n, _("a bulk or list message (Precedence: %.*s)"),
	    sd_mail__shown(m->precedence), m->precedence);
	return 1;
}

static int
is_null_sender(const struct sd_mail *m, char *why, size_t n)
{
	if (m->return_path && !strcmp(m->return_path, "<>"))
		snprintf(why, n, "%s", _("a bounce (Return-Path: <>)"));
	else if (m->sender && !*m->sender)
		snprintf(why, n, "%s", _("a bounce (the null envelope sender)"));
	else
		return 0;
	return 1;
}

/* From MAILER-DAEMON or postmaster: by the address's local part, or by
 * the name of a From: with no address. */
static int
is_daemon(const struct sd_mail *m, char *why, size_t n)
{
	static const char *const daemons[] = { "mailer-daemon", "postmaster", NULL };
	const char *who = *m->from_addr ? m->from_addr : m->from_name;
	const char *at = strchr(who, '@');
	size_t local = at ? (size_t)(at - who) : strlen(who);

	for (const char *const *d = daemons; *d; d++)
		if (local == strlen(*d) && !g_ascii_strncasecmp(who, *d, local)) {
			snprintf(why, n, _("a bounce (from %.*s)"), sd_mail__shown(who), who);
			return 1;
		}
	return 0;
}

static const struct {
	const char *reason;     /* its key in SD_MAIL_REASONS */
	int (*fits)(const struct sd_mail *, char *, size_t);
} automatic_kinds[] = {
	{ "report", is_report },
	{ "auto-submitted", is_auto_submitted },
	{ "autoreply", is_autoreply },
	{ "precedence", is_bulk },
	{ "null-sender", is_null_sender },
	{ "mailer-daemon", is_daemon },
};

const char *
sd_mail_automatic(const struct sd_mail *m, char *why, size_t n)
{
	for (size_t i = 0; i < sizeof(automatic_kinds) / sizeof(automatic_kinds[0]); i++)
		if (automatic_kinds[i].fits(m, why, n))
			return automatic_kinds[i].reason;
	if (n)
		why[0] = '\0';
	return NULL;
}
