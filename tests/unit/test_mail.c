/*
 * The email gateway (sd/mail.h): the sample messages of tests/mail/ read
 * field by field, HTML as text, the quotes of replies left out, the route
 * each kind of message takes (from structs built here, with no GMime),
 * the draft of the note or ticket, and every error return.
 */
#include "unit.h"
#include "internal.h"
#include "sd/mail.h"

/* --- helpers ------------------------------------------------------------ */

/* tests/mail/name, read whole (the caller frees it). */
static char *
sample(const char *name, size_t *len)
{
	const char *top = getenv("SD_TOP");
	char path[4096], *data = NULL;

	snprintf(path, sizeof(path), "%s/tests/mail/%s", top ? top : ".", name);
	if (sd__read_file(&data, len, path) < 0)
		fail_msg("%s: %s", path, sd_error_message());
	return data;
}

/* The sample message name, parsed; fails the test if it does not parse. */
static struct sd_mail *
parse_sample(const char *name)
{
	struct sd_mail *m = NULL;
	size_t len;
	char *data = sample(name, &len);
	int rc = sd_mail_parse(&m, data, len, NULL);

	free(data);
	if (rc < 0)
		fail_msg("%s: %s", name, sd_error_message());
	assert_non_null(m);
	return m;
}

/* A store's configuration: prefix SD, keywords, the desk's addresses. */
static struct sd_config *
config(const char *mail, const char *channels)
{
	static char sd[1024];
	static const char *const names[4] = {
		"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
	};
	const char *texts[4] = {
		sd,
		UNIT_SLA_INI,
		"[group desk]\nlevel = 1\nemail = mesadeservicios@example.org\n"
		"[group network]\nlevel = 2\n"
		"[agent ana]\nname = Ana\nemail = ana.gomez@example.org\ngroups = desk\n"
		"[agent mail]\nname = Mail gateway\ngroups = desk\n",
		"[network/vpn]\nlevel1 = desk\nlevel2 = network\n",
	};
	struct sd_config *cfg = NULL;

	snprintf(sd, sizeof(sd), "[store]\nprefix = SD\ntimezone = America/Bogota\n"
	    "[calendar]\nmon = 07:30-17:00\n[lifecycle]\nchannels = %s\n%s",
	    channels, mail);
	if (sd_config_parse(&cfg, texts, names) < 0)
		fail_msg("sd_config_parse: %s", sd_error_message());
	return cfg;
}

/* Tickets for the route: SD-1 assigned, SD-7 closed, SD-8 rejected. */
static const char *
status_of(long n, void *arg)
{
	int *asked = arg;

	(*asked)++;
	return n == 1 ? "assigned" : n == 7 ? "closed" : n == 8 ? "rejected" : NULL;
}

/* A message as sd_mail_parse leaves it, for the route and the draft. */
static struct sd_mail
mail(const char *subject, const char *name, const char *addr, const char *text)
{
	struct sd_mail m = { 0 };

	m.subject = (char *)subject;
	m.from_name = (char *)name;
	m.from_addr = (char *)addr;
	m.text = (char *)text;
	return m;
}

static enum sd_mail_action
route(const struct sd_mail *m, const struct sd_config *cfg, struct sd_mail_route *r)
{
	int asked = 0;

	sd_mail_route(r, m, cfg, status_of, &asked);
	return r->action;
}

/* --- reading the sample messages ----------------------------------------- */

static void
multipart_with_pdf(void **state)
{
	struct sd_mail *m = parse_sample("multipart-pdf.eml");

	(void)state;
	assert_string_equal(m->subject, "Ayuda: error al abrir el módulo de facturación");
	assert_string_equal(m->from_name, "Laura Méndez");
	assert_string_equal(m->from_addr, "laura.mendez@example.org");
	assert_string_equal(m->text,
	    "Buenos días,\n\nAl abrir el módulo de facturación sale el error del adjunto.\n"
	    "Adjunto la captura en PDF.\n\nGracias,\nLaura Méndez\nContabilidad, ext. 4410");
	assert_int_equal(m->nattachments, 1);
	assert_string_equal(m->attachments[0].name, "error facturación.pdf");
	assert_string_equal(m->attachments[0].type, "application/pdf");
	assert_int_equal(m->attachments[0].size, 590);
	assert_string_equal(m->return_path, "<laura.mendez@example.org>");
	assert_null(m->auto_submitted);
	assert_null(m->precedence);
	sd_mail_free(m);
}

static void
latin1_quoted_printable(void **state)
{
	struct sd_mail *m = parse_sample("latin1-qp.eml");

	(void)state;
	assert_string_equal(m->subject, "Solicitud de soporte: contraseña caducada");
	assert_string_equal(m->from_name, "Álvaro Núñez");
	assert_string_equal(m->from_addr, "alvaro.nunez@example.org");
	assert_string_equal(m->text,
	    "Buenos días:\n\nMi contraseña del correo caducó esta mañana y no puedo "
	    "cambiarla desde el portal; sale «usuario bloqueado» después de tres "
	    "intentos. ¿Me la pueden restablecer?\n\nAtentamente,\nÁlvaro Núñez\n"
	    "Bodega, sede Norte");
	assert_int_equal(m->nattachments, 0);
	assert_null(m->return_path);
	sd_mail_free(m);
}

static void
outlook_html_only(void **state)
{
	struct sd_mail *m = parse_sample("outlook-html.eml");

	(void)state;
	assert_string_equal(m->subject, "AYUDA – equipo lento después de la actualización");
	assert_string_equal(m->from_name, "Pérez, Carlos");
	assert_string_equal(m->from_addr, "carlos.perez@example.org");
	assert_string_equal(m->text,
	    "Buenos días,\n\n"
	    "Desde la actualización del lunes el equipo PC-CONT-07 tarda unos 10 "
	    "minutos en encender… y Excel se cierra con el mensaje “No responde”.\n\n"
	    "- Sistema: Windows 11 – 16 GB\n"
	    "- Presupuesto de reparación: < 200 € & sin cambio de equipo\n\n"
	    "El informe está en la intranet "
	    "<https://intranet.example.org/informes/pc-cont-07?dia=23&mes=11>.\n\n"
	    "Gracias,\nCarlos Pérez\nContabilidad | Ext. 4412");
	assert_int_equal(m->nattachments, 0);
	sd_mail_free(m);
}

static void
reply_quoting_the_ticket(void **state)
{
	struct sd_mail *m = parse_sample("reply.eml");

	(void)state;
	assert_string_equal(m->subject, "Re: RV: [SD-1] VPN down");
	assert_string_equal(m->from_name, "Pedro Ruiz");
	/* The plain alternative; the quote and the attribution over two
	 * lines above it left out; the HTML alternative is no attachment. */
	assert_string_equal(m->text, "Sigue cayéndose cada 10 minutos, también desde la casa.");
	assert_int_equal(m->nattachments, 0);
	sd_mail_free(m);
}

static void
outlook_reply(void **state)
{
	struct sd_mail *m = parse_sample("reply-outlook.eml");

	(void)state;
	assert_string_equal(m->subject, "RE: [sd-1] VPN down");
	assert_string_equal(m->from_name, "Pedro Ruiz");
	assert_string_equal(m->text, "Ya funciona, gracias.\nPueden cerrar el caso.\n\nPedro");
	sd_mail_free(m);
}

static void
auto_reply(void **state)
{
	struct sd_mail *m = parse_sample("auto-reply.eml");

	(void)state;
	assert_string_equal(m->subject, "Respuesta automática: [SD-1] VPN down");
	assert_string_equal(m->auto_submitted, "auto-replied (vacation)");
	assert_string_equal(m->precedence, "bulk");
	assert_string_equal(m->return_path, "<>");
	sd_mail_free(m);
}

static void
no_keyword_and_agent(void **state)
{
	struct sd_mail *m = parse_sample("no-keyword.eml");

	(void)state;
	assert_string_equal(m->subject, "Almuerzo de fin de año: confirmen asistencia");
	assert_string_equal(m->from_name, "Marcela Ortiz");
	sd_mail_free(m);
	m = parse_sample("agent.eml");
	assert_string_equal(m->from_name, "Luis Pérez");
	assert_string_equal(m->from_addr, "Luis.Perez@Example.org");
	assert_string_equal(m->text, "Te llamo en 5 minutos.");
	sd_mail_free(m);
}

/* --- what is not a message ----------------------------------------------- */

static void
not_messages(void **state)
{
	struct sd_mail *m = (struct sd_mail *)1;
	size_t len;
	char *data = sample("garbage.eml", &len), *big;

	(void)state;
	assert_fails(sd_mail_parse(&m, data, len, NULL), SD_EINVALID,
	    "not a mail message: no sender address in From:");
	assert_null(m);
	free(data);
	assert_fails(sd_mail_parse(&m, "", 0, NULL), SD_EINVALID, "not a mail message: the input is empty");
	assert_fails(sd_mail_parse(&m, "Hello,\nthis is not mail.\n", 25, NULL), SD_EINVALID,
	    "not a mail message: no sender address in From:");
	assert_fails(sd_mail_parse(&m, "Subject: help\n\nno sender\n", 25, NULL), SD_EINVALID,
	    "not a mail message: no sender address in From:");
	/* An mbox "From " line and nothing after it. */
	assert_fails(sd_mail_parse(&m, "From a@example.org Mon Nov 23 10:00:00 2026", 43, NULL),
	    SD_EINVALID, "not a mail message: no sender address in From:");
	assert_non_null(big = calloc(1, (size_t)SD_MAIL_SIZE_DEFAULT + 1));
	assert_fails(sd_mail_parse(&m, big, (size_t)SD_MAIL_SIZE_DEFAULT + 1, NULL), SD_EINVALID,
	    "the message is larger than 10485760 bytes ([mail] max_size)");
	free(big);
	assert_null(m);
}

/* A message of `depth` multiparts one inside another, the innermost
 * holding `leaves` text parts; attached (non-zero), the outermost holds
 * the rest as a message/rfc822 part instead.  malloc'd. */
static char *
mime_message(int depth, int leaves, int attached)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__adds(&b, "From: Pedro <pedro@example.org>\nSubject: help\nMIME-Version: 1.0\n");
	for (int i = 0; i < depth; i++) {
		if (attached && i == 1)
			sd_buf__printf(&b, "Content-Type: message/rfc822\n\n"
			    "From: Ana <ana@example.org>\nSubject: inner\n");
		sd_buf__printf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
	}
	for (int k = 0; k < leaves; k++)
		sd_buf__printf(&b, "%sContent-Type: text/plain\n\npart %d\n--b%d%s\n",
		    k ? "" : "", k, depth - 1, k + 1 == leaves ? "--" : "");
	for (int i = depth - 2; i >= 0; i--)
		sd_buf__printf(&b, "--b%d--\n", i);
	assert_int_equal(sd_buf__check(&b), 0);
	return sd_buf__detach(&b);
}

/* [mail] max_size, max_depth and max_parts: at the limit a message is
 * read, one past it refused; a message that could hold more parts than
 * SD_MAIL_SCAN_MAX never reaches the parser. */
static void
mime_limits(void **state)
{
	struct sd_mail_limits lim = { 1024, 3, 10, 20, 1024 };
	struct sd_mail *m = NULL;
	struct sd_buf b = SD_BUF_INIT;
	char *msg, small[1100];
	FILE *f;
	int n;

	(void)state;
	/* Size: 1024 bytes taken, 1025 refused, by parse and by read. */
	n = snprintf(small, sizeof(small), "From: a@example.org\nSubject: help\n\n");
	memset(small + n, 'x', sizeof(small) - (size_t)n);
	assert_ok(sd_mail_parse(&m, small, 1024, &lim));
	assert_int_equal(strlen(m->text), 1024 - (size_t)n);
	sd_mail_free(m);
	assert_fails(sd_mail_parse(&m, small, 1025, &lim), SD_EINVALID,
	    "the message is larger than 1024 bytes ([mail] max_size)");
	assert_null(m);
	assert_non_null(f = fmemopen(small, 1024, "r"));
	assert_ok(sd_mail_read(&m, f, &lim));
	fclose(f);
	sd_mail_free(m);
	assert_non_null(f = fmemopen(small, 1025, "r"));
	assert_fails(sd_mail_read(&m, f, &lim), SD_EINVALID,
	    "the message is larger than 1024 bytes ([mail] max_size)");
	assert_true(feof(f));   /* read to its end all the same */
	fclose(f);
	assert_null(m);
	lim.max_size = SD_MAIL_SIZE_MAX;
	/* Depth: three multiparts in one another, not four. */
	msg = mime_message(3, 1, 0);
	assert_ok(sd_mail_parse(&m, msg, strlen(msg), &lim));
	assert_string_equal(m->text, "part 0");
	sd_mail_free(m);
	free(msg);
	msg = mime_message(4, 1, 0);
	assert_fails(sd_mail_parse(&m, msg, strlen(msg), &lim), SD_EINVALID,
	    "the message nests MIME parts more than 3 deep ([mail] max_depth)");
	free(msg);
	/* An attached message is a level too, and its parts count; its text
	 * is the message's, as a forward. */
	msg = mime_message(2, 1, 1);    /* multipart, message, multipart */
	assert_ok(sd_mail_parse(&m, msg, strlen(msg), &lim));
	assert_int_equal(m->nattachments, 0);
	assert_string_equal(m->text, "---------- Forwarded message ----------\n"
	    "From: Ana <ana@example.org>\nSubject: inner\n\npart 0");
	sd_mail_free(m);
	free(msg);
	msg = mime_message(3, 1, 1);    /* multipart, message, multipart, multipart */
	assert_fails(sd_mail_parse(&m, msg, strlen(msg), &lim), SD_EINVALID,
	    "the message nests MIME parts more than 3 deep ([mail] max_depth)");
	free(msg);
	/* Parts: a multipart and 9 texts are 10; with 10 texts, 11. */
	msg = mime_message(1, 9, 0);
	assert_ok(sd_mail_parse(&m, msg, strlen(msg), &lim));
	sd_mail_free(m);
	free(msg);
	msg = mime_message(1, 10, 0);
	assert_fails(sd_mail_parse(&m, msg, strlen(msg), &lim), SD_EINVALID,
	    "the message has more than 10 MIME parts ([mail] max_parts)");
	free(msg);
	msg = mime_message(2, 7, 1);    /* multipart, message, multipart, 7 texts: 10 */
	assert_ok(sd_mail_parse(&m, msg, strlen(msg), &lim));
	sd_mail_free(m);
	free(msg);
	msg = mime_message(2, 8, 1);
	assert_fails(sd_mail_parse(&m, msg, strlen(msg), &lim), SD_EINVALID,
	    "the message has more than 10 MIME parts ([mail] max_parts)");
	free(msg);
	/* Too many lines that could begin a part: refused unparsed. */
	sd_buf__adds(&b, "From: a@example.org\nSubject: help\n\n");
	for (int i = 0; i < SD_MAIL_SCAN_MAX - 1; i++)
		sd_buf__adds(&b, i % 2 ? "--\n" : "content-TYPE\n");
	assert_int_equal(sd_buf__check(&b), 0);
	assert_ok(sd_mail_parse(&m, b.data, b.len, &lim));     /* 9999 of them */
	sd_mail_free(m);
	sd_buf__adds(&b, "--");                                 /* 10000, no newline */
	assert_ok(sd_mail_parse(&m, b.data, b.len, &lim));
	sd_mail_free(m);
	sd_buf__adds(&b, "\n-\n- -\n Content-Type\n--\n");    /* 10001 */
	assert_fails(sd_mail_parse(&m, b.data, b.len, &lim), SD_EINVALID,
	    "the message has more than 10000 lines that could begin a MIME part");
	sd_buf__free(&b);
	assert_null(m);
}

/* sd_mail_rate_check: notes by the mail agent that start "From: ", in
 * the hour before now (an hour ago exactly is out), up to the limit. */
static void
rate_limit(void **state)
{
	static const struct {
		const char *at, *by, *action, *text;
	} ev[] = {
		{ "2026-11-23T09:59:59-05:00", "mail", "note", "From: a@example.org\n\nold" },
		{ "2026-11-23T10:00:00-05:00", "mail", "note", "From: a@example.org\n\none" },
		{ "2026-11-23T10:30:00-05:00", "ana", "note", "From: a@example.org\n\nby ana" },
		{ "2026-11-23T10:31:00-05:00", "mail", "note", "typed by an agent as mail" },
		{ "2026-11-23T10:32:00-05:00", "mail", "suspend", "From: waiting" },
		{ "2026-11-23T15:40:00Z", "mail", "note", "From: a@example.org\n\ntwo" },
	};
	struct sd_ticket *t;
	time_t now;
	size_t k;

	(void)state;
	assert_ok(sd_ticket_new(&t));
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		assert_ok(sd_ticket_event_add(t, &k, ev[i].at, ev[i].by, ev[i].action));
		assert_ok(sd_ticket_event_set(t, k, "text", ev[i].text));
	}
	assert_ok(sd_time_parse(&now, NULL, "2026-11-23T11:00:00-05:00"));
	/* 10:00 is an hour before: out; 10:40 (15:40Z) in: one note. */
	assert_ok(sd_mail_rate_check(t, "mail", 2, now, NULL));
	assert_fails(sd_mail_rate_check(t, "mail", 1, now, NULL), SD_EBUSY,
	    "1 notes by mail in the last hour, the limit of [mail] notes_per_hour: try again later");
	assert_ok(sd_mail_rate_check(t, "mail", 0, now, NULL));
	assert_ok(sd_mail_rate_check(t, "ana", 2, now, NULL));
	assert_fails(sd_mail_rate_check(t, "ana", 1, now, NULL), SD_EBUSY,
	    "1 notes by mail in the last hour, the limit of [mail] notes_per_hour: try again later");
	/* A second earlier, 10:00 is in the hour: two. */
	assert_fails(sd_mail_rate_check(t, "mail", 2, now - 1, NULL), SD_EBUSY,
	    "2 notes by mail in the last hour, the limit of [mail] notes_per_hour: try again later");
	sd_ticket_free(t);
}

static void
reading_streams(void **state)
{
	static const char text[] =
	    "From pedro@example.org Mon Nov 23 10:00:00 2026\n"
	    "From: Pedro <pedro@example.org>\nSubject: =?utf-8?b?wr9heXVkYT8=?=\n\nHola\r\nChao\r\n";
	struct sd_mail *m = NULL;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	(void)state;
	assert_non_null(f);
	assert_ok(sd_mail_read(&m, f, NULL));
	fclose(f);
	/* The mbox line skipped; base64 encoded word; CRLF as LF. */
	assert_string_equal(m->subject, "¿ayuda?");
	assert_string_equal(m->from_name, "Pedro");
	assert_string_equal(m->text, "Hola\nChao");
	sd_mail_free(m);
	/* A stream that cannot be read. */
	assert_non_null(f = fopen("/dev/null", "w"));
	assert_int_equal(sd_mail_read(&m, f, NULL), SD_EIO);
	assert_null(m);
	fclose(f);
}

/* Charsets, NULs and broken bytes: the text is always valid UTF-8. */
static void
charsets(void **state)
{
	static const struct { const char *msg, *subject, *text; } cases[] = {
		/* No charset, 8-bit Windows-1252 bytes. */
		{ "From: a@example.org\nSubject: caf\xe9\n\n\x93hola\x94 \x80\n", "café", "“hola” €" },
		/* ISO-8859-1 label, Windows-1252 bytes. */
		{ "From: a@example.org\nContent-Type: text/plain; charset=iso-8859-1\n\n"
		  "se\xf1or \x96 ok\n", "", "señor – ok" },
		/* UTF-8 with a broken byte and a NUL. */
		{ "From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\n"
		  "ma\xc3\xb1" "ana \xff y\x00 fin\n", "", "mañana \xef\xbf\xbd y fin" },
		/* A charset nobody knows, UTF-8 inside. */
		{ "From: a@example.org\nContent-Type: text/plain; charset=x-unknown\n\n"
		  "acci\xc3\xb3n\n", "", "acción" },
		/* KOI8-R through iconv. */
		{ "From: a@example.org\nContent-Type: text/plain; charset=koi8-r\n\n"
		  "\xf0\xd2\xc9\xd7\xc5\xd4\n", "", "Привет" },
		/* Folded subject with a control character. */
		{ "From: a@example.org\nSubject: one\n two\x01three\n\nx\n", "one two three", "x" },
		/* A C1 CSI (U+009B) in a UTF-8 subject: a space, as C0 is. */
		{ "From: a@example.org\nSubject: =?utf-8?q?one=C2=9B2Jtwo?=\n\nx\n", "one 2Jtwo", "x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sd_mail *m = NULL;
		size_t len = strlen(cases[i].msg);

		if (i == 2)
			len += strlen(cases[i].msg + len + 1) + 1;      /* past the NUL */
		if (sd_mail_parse(&m, cases[i].msg, len, NULL) < 0)
			fail_msg("case %zu: %s", i, sd_error_message());
		assert_string_equal(m->subject, cases[i].subject);
		assert_string_equal(m->text, cases[i].text);
		sd_mail_free(m);
	}
}

static void
attachments(void **state)
{
	static const char msg[] =
	    "From: Eva <eva@example.org>\nSubject: help\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b1\n\n"
	    "--b1\nContent-Type: multipart/related; boundary=b2\n\n"
	    "--b2\nContent-Type: text/html; charset=utf-8\n\n<p>Ver imagen</p>\n"
	    "--b2\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n"
	    "Content-ID: <img1>\n\niVBORw0KGgo=\n"
	    "--b2--\n"
	    "--b1\nContent-Type: text/plain; name=log.txt\n\nline 1\nline 2\n"
	    "--b1\nContent-Type: message/rfc822\n\n"
	    "From: x@example.org\nSubject: Original\n\nforwarded\n"
	    "--b1--\n";
	struct sd_mail *m = NULL;

	(void)state;
	assert_ok(sd_mail_parse(&m, msg, sizeof(msg) - 1, NULL));
	/* No text/plain body: the HTML one as text; then the forwarded
	 * message's text, not an attachment. */
	assert_string_equal(m->text, "Ver imagen\n\n---------- Forwarded message ----------\n"
	    "From: x@example.org\nSubject: Original\n\nforwarded");
	assert_int_equal(m->nattachments, 2);
	assert_string_equal(m->attachments[0].name, "");
	assert_string_equal(m->attachments[0].type, "image/png");
	assert_int_equal(m->attachments[0].size, 8);
	assert_string_equal(m->attachments[1].name, "log.txt");
	assert_string_equal(m->attachments[1].type, "text/plain");
	assert_int_equal(m->attachments[1].size, 13);     /* the last newline is the boundary's */
	sd_mail_free(m);
	sd_mail_free(NULL);
}

/* Quotes are left out of replies only: a first message keeps its own
 * `>` lines (a pasted error, a quoted rule). */
static void
quotes_in_replies_only(void **state)
{
	static const char first[] =
	    "From: Eva <eva@example.org>\nSubject: soporte: error al entrar\n\n"
	    "Sale esto:\n> Access denied for user eva\n\nGracias.\n";
	static const char reply[] =
	    "From: Eva <eva@example.org>\nSubject: soporte: error al entrar\n"
	    "In-Reply-To: <x@example.org>\n\n"
	    "Sigue igual.\n\nEl lun, Mesa escribió:\n> Pruebe de nuevo.\n";
	struct sd_mail *m = NULL;

	(void)state;
	assert_ok(sd_mail_parse(&m, first, sizeof(first) - 1, NULL));
	assert_string_equal(m->text, "Sale esto:\n> Access denied for user eva\n\nGracias.");
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, reply, sizeof(reply) - 1, NULL));
	assert_string_equal(m->text, "Sigue igual.");
	sd_mail_free(m);
}

/* --- HTML as text -------------------------------------------------------- */

static void
html(void **state)
{
	static const struct { const char *html, *text; } cases[] = {
		{ "<p>Hola</p><p>Chao</p>", "Hola\nChao" },
		{ "a<br>b<br><br>c", "a\nb\n\nc" },
		{ "<div>  lots \n of\tspace  </div>", "lots of space" },
		{ "&lt;&gt;&amp;&quot;&apos;&aacute;&Ntilde;&euro;&hellip;&#233;&#xe9;&#0;&bogus; & x",
		  "<>&\"'áÑ€…éé\xef\xbf\xbd&bogus; & x" },
		{ "<ul><li>uno</li><li>dos</li></ul><ol><li>tres</ol>", "- uno\n- dos\n- tres" },
		{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc" },
		{ "<pre>  x\n   y</pre>z", "  x\n   y\nz" },
		{ "<p>ok</p><blockquote><p>quoted</p><blockquote>deeper</blockquote></blockquote>after",
		  "ok\n> quoted\n> > deeper\nafter" },
		{ "<head><title>T</title><style>p{}</style></head><script>x()</script>body",
		  "body" },
		{ "<head><meta charset=utf-8>never closed", "never closed" },
		{ "<!-- comment --><!DOCTYPE html><?xml x?>text<!-- open", "text" },
		{ "<a href=\"https://x.example.org/a?b=1&amp;c=2\">here</a>, "
		  "<a href='https://y.example.org'>https://y.example.org</a>, "
		  "<a href=\"mailto:a@example.org\">Ana</a> <a href=\"https://z\"><img src=z></a>.",
		  "here <https://x.example.org/a?b=1&c=2>, https://y.example.org, Ana ." },
		{ "<p>&nbsp;</p><p>a&nbsp;&nbsp;b</p><p>\xc2\xa0</p><p>c</p>", "a  b\n\nc" },
		{ "1 < 2 and <3", "1 < 2 and <3" },
		{ "<span title=\"a>b\">x</span>", "x" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = NULL;

		assert_ok(sd_mail_html_text(&text, cases[i].html, strlen(cases[i].html)));
		if (strcmp(text, cases[i].text))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, text, cases[i].text);
		free(text);
	}
}

/* --- quotes -------------------------------------------------------------- */

static void
quotes(void **state)
{
	static const struct { const char *in; int fwd; const char *out; } cases[] = {
		{ "Thanks!\n\nOn Mon, 23 Nov 2026, Ana <ana@example.org> wrote:\n> hi\n> there\n",
		  0, "Thanks!" },
		{ "Top\n\nEl lun, 23 nov 2026 a las 10:05, Mesa (<\nmesa@example.org>) escribió:\n\n> a\n",
		  0, "Top" },
		/* Inline answers stay; one blank line where a quote was. */
		{ "> question 1\nanswer 1\n\n> question 2\n\nanswer 2\n", 0, "answer 1\n\nanswer 2" },
		{ "Listo.\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold\n", 0, "Listo." },
		{ "Listo.\n\n-----Mensaje original-----\nDe: x\n", 0, "Listo." },
		{ "Hecho.\n\n________________________________\nDe: Mesa <m@example.org>\n"
		  "Enviado: lunes, 23 de noviembre de 2026 10:05\nPara: Pedro\nAsunto: RE: x\n\nold\n",
		  0, "Hecho." },
		{ "Hecho.\nFrom: Ana\nSent: today\nTo: Pedro\n\nold\n", 0, "Hecho." },
		/* A From: line alone is no header block. */
		{ "From: the warehouse\nthe printer\n", 0, "From: the warehouse\nthe printer" },
		/* "wrote:" not followed by a quote stays. */
		{ "He wrote:\nsomething\n", 0, "He wrote:\nsomething" },
		/* A forward keeps what it forwards. */
		{ "See below.\n\n-----Original Message-----\nFrom: x\nSent: y\n\nthe error\n> q\n", 1,
		  "See below.\n\n-----Original Message-----\nFrom: x\nSent: y\n\nthe error\n> q" },
		/* Blank lines at either end go; the writer's own stay. */
		{ "\n\n  \na\n\n\nb\n\n", 0, "a\n\n\nb" },
		{ "> only a quote\n", 0, "" },
		{ "", 0, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = strdup(cases[i].in);

		assert_non_null(text);
		sd_mail_cut_quotes(text, cases[i].fwd);
		if (strcmp(text, cases[i].out))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, text, cases[i].out);
		free(text);
	}
}

/* --- the route ----------------------------------------------------------- */

static void
route_automatic(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "phone, email");
	struct sd_mail m = mail("help [SD-1]", "", "pedro@example.org", "");
	struct sd_mail_route r;

	(void)state;
	m.auto_submitted = "auto-replied (vacation)";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "an automatic message (Auto-Submitted: auto-replied (vacation))");
	assert_string_equal(r.reason, "auto-submitted");
	m.auto_submitted = "auto-generated";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	m.auto_submitted = "No; comment";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	m.auto_submitted = "";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	m.auto_submitted = NULL;
	for (const char *const *p = (const char *const[]){ "bulk", "JUNK", "list", NULL }; *p; p++) {
		m.precedence = (char *)*p;
		assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	}
	assert_string_equal(r.why, "a bulk or list message (Precedence: list)");
	assert_string_equal(r.reason, "precedence");
	m.precedence = "first-class";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	m.return_path = "<>";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "a bounce (Return-Path: <>)");
	assert_string_equal(r.reason, "null-sender");
	m.return_path = "<pedro@example.org>";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	m.from_addr = "MAILER-DAEMON@mx.example.org";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "a bounce (from MAILER-DAEMON@mx.example.org)");
	assert_string_equal(r.reason, "mailer-daemon");
	m.from_addr = "mailer-daemon";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	m.from_addr = "mailer-daemons@example.org";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	sd_config_free(cfg);
}

static void
route_own_addresses(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail m = mail("help", "Ana", "ANA.GOMEZ@example.org", "");
	struct sd_mail_route r;

	(void)state;
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "from ANA.GOMEZ@example.org, the desk's own address (ana in agents.ini)");
	assert_string_equal(r.reason, "own-address");
	m.from_addr = "mesadeservicios@example.org";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why,
	    "from mesadeservicios@example.org, the desk's own address (desk in agents.ini)");
	m.from_addr = "ana.gomez@example.org.evil";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NEW);
	sd_config_free(cfg);
}

static void
route_tags(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail m = mail("Re: RV: [SD-1] Impresora", "", "pedro@example.org", "");
	struct sd_mail_route r;
	int asked = 0;

	(void)state;
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	assert_int_equal(r.ticket, 1);
	m.subject = "[sd-7] closed one";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_RELATED);
	assert_int_equal(r.ticket, 7);
	m.subject = "Re: [SD-8]";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_RELATED);
	assert_int_equal(r.ticket, 8);
	/* The first tag naming a ticket; malformed and missing ones pass. */
	m.subject = "[SD-01] [SD-x] [XX-1] [SD-99] SD-7 [SD-1] [SD-7]";
	sd_mail_route(&r, &m, cfg, status_of, &asked);
	assert_int_equal(r.action, SD_MAIL_NOTE);
	assert_int_equal(r.ticket, 1);
	assert_int_equal(asked, 2);     /* SD-99, then SD-1 */
	/* A tag naming no ticket: as if there were none. */
	m.subject = "[SD-99] help";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NEW);
	assert_int_equal(r.ticket, 0);
	m.subject = "[SD-99] hello";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "no ticket [SD-N] and no word of sd.ini [mail] keywords in the subject");
	assert_string_equal(r.reason, "no-route");
	m.subject = "[SD-1";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	sd_config_free(cfg);
}

/* The survey's answers: the first line that is not blank, alone, a digit
 * 1 to 5 or a word of the table, case, accents, blanks and punctuation
 * around ignored. */
static void
rating_table(void **state)
{
	static const struct { const char *text; int want; } cases[] = {
		{ "5", 5 }, { "4", 4 }, { "3", 3 }, { "2", 2 }, { "1", 1 },
		{ "0", 0 }, { "6", 0 }, { "10", 0 }, { "55", 0 }, { "5/5", 0 },
		{ "excelente", 5 }, { "bueno", 4 }, { "regular", 3 }, { "malo", 2 },
		{ "muy malo", 1 },
		{ "excellent", 5 }, { "good", 4 }, { "fair", 3 }, { "poor", 2 },
		{ "very poor", 1 },
		{ "Excelente", 5 }, { "EXCELENTE", 5 }, { "¡Excelente!", 5 },
		{ "Éxcelénte", 5 }, { "Muy Malo.", 1 }, { "muy\t  malo", 1 },
		{ "  5  ", 5 }, { "5.", 5 }, { "\n\n  \n4\nthanks", 4 },
		{ "\r\nGood\r\n", 4 }, { "VERY POOR!!", 1 },
		/* Nothing else on its line; the first line decides. */
		{ "5 stars", 0 }, { "muy bueno", 0 }, { "not good", 0 }, { "malísimo", 0 },
		{ "it still fails\n5", 0 }, { "no funciona todavía", 0 },
		{ "", 0 }, { "\n \n", 0 }, { "!", 0 }, { "verypoor", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sd_mail_rating(cases[i].text) != cases[i].want)
			fail_msg("sd_mail_rating(\"%s\") is %d, not %d", cases[i].text,
			    sd_mail_rating(cases[i].text), cases[i].want);
	assert_int_equal(sd_mail_rating(NULL), 0);
}

/* A route to a ticket refined by its status and requester. */
static void
route_reply(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_config *refuse = config("[mail]\nkeywords = help\nstrangers = refuse\n", "email");
	struct sd_mail m = mail("Re: [SD-1] Solved", "Pedro", "Pedro@Example.org", "Excelente\n");
	struct sd_mail_route r;

	(void)state;
	/* The requester (address case ignored), solved: a rating closes. */
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "solved", "pedro@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_CLOSE);
	assert_int_equal(r.ticket, 1);
	assert_int_equal(r.rating, 5);
	/* Anything else reopens. */
	m.text = "Still fails\n";
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "solved", "pedro@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_REOPEN);
	assert_int_equal(r.rating, 0);
	/* Not solved: a note, whatever it says. */
	m.text = "5";
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "assigned", "pedro@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_NOTE);
	/* Final: related, as before. */
	m.subject = "[SD-7] again";
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "closed", "pedro@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_RELATED);
	assert_int_equal(r.ticket, 7);
	/* A stranger: a new ticket, tied to none; refused, ignored. */
	m.subject = "[SD-1] Solved";
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "solved", "pedro.ruiz@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_NEW);
	assert_int_equal(r.ticket, 0);
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "solved", "pedro.ruiz@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_IGNORE);
	assert_string_equal(r.reason, "stranger");
	assert_string_equal(r.why,
	    "from Pedro@Example.org, neither the requester of SD-1 nor a CC it records "
	    "(sd.ini [mail] strangers = refuse)");
	/* No requester email, or an empty one: everyone is a stranger. */
	route(&m, cfg, &r);
	sd_mail_route_reply(&r, &m, cfg, "solved", "", NULL);
	assert_int_equal(r.action, SD_MAIL_NEW);
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "assigned", NULL, NULL);
	assert_int_equal(r.action, SD_MAIL_IGNORE);
	/* Routes not to a ticket stay as they are. */
	m.subject = "help";
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "solved", "x@example.org", NULL);
	assert_int_equal(r.action, SD_MAIL_NEW);
	sd_config_free(cfg);
	sd_config_free(refuse);
}

/* A CC the ticket records: its reply is a note, never a rating or a
 * reopening; an address that only looks like one is a stranger's. */
static void
route_reply_cc(void **state)
{
	struct sd_config *refuse = config("[mail]\nkeywords = help\nstrangers = refuse\n", "email");
	struct sd_mail m = mail("Re: [SD-1] Solved", "Jefe", "Jefe@Example.org", "5\n");
	static const char *const lists[] = {
		"jefe@example.org", "a@example.org, jefe@example.org", "JEFE@EXAMPLE.ORG, b@x.org",
		"a@x.org,jefe@example.org", "jefe@example.org , b@x.org",
	};
	static const char *const not_lists[] = {
		"", "a@example.org", "xjefe@example.org", "jefe@example.org.evil",
		"jefe@example.or", "a@x.org, jefe@example.org.x", ",",
	};
	struct sd_mail_route r;

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		route(&m, refuse, &r);
		sd_mail_route_reply(&r, &m, refuse, "solved", "pedro@example.org", lists[i]);
		if (r.action != SD_MAIL_NOTE || r.ticket != 1 || r.rating)
			fail_msg("cc \"%s\": action %d, not a note on SD-1", lists[i], r.action);
	}
	for (size_t i = 0; i < sizeof(not_lists) / sizeof(*not_lists); i++) {
		route(&m, refuse, &r);
		sd_mail_route_reply(&r, &m, refuse, "assigned", "pedro@example.org", not_lists[i]);
		if (r.action != SD_MAIL_IGNORE || strcmp(r.reason, "stranger"))
			fail_msg("cc \"%s\": action %d, not a stranger's", not_lists[i], r.action);
	}
	/* A ticket with no requester email still takes its CCs' notes. */
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "assigned", NULL, "jefe@example.org");
	assert_int_equal(r.action, SD_MAIL_NOTE);
	/* On a final ticket, a CC's mail makes a new related ticket. */
	m.subject = "[SD-7] again";
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "closed", "pedro@example.org", "jefe@example.org");
	assert_int_equal(r.action, SD_MAIL_RELATED);
	assert_int_equal(r.ticket, 7);
	/* The requester still rates, whoever else is copied. */
	m.subject = "Re: [SD-1] Solved";
	m.from_addr = "pedro@example.org";
	route(&m, refuse, &r);
	sd_mail_route_reply(&r, &m, refuse, "solved", "pedro@example.org", "pedro@example.org");
	assert_int_equal(r.action, SD_MAIL_CLOSE);
	assert_int_equal(r.rating, 5);
	sd_config_free(refuse);
}

/* The first word of an approval reply. */
static void
approval_words(void **state)
{
	static const struct {
		const char *text;
		enum sd_mail_action want;
		const char *rest;
	} cases[] = {
		{ "aprobado", SD_MAIL_APPROVE, "" }, { "Aprobado.", SD_MAIL_APPROVE, "" },
		{ "APROBADO", SD_MAIL_APPROVE, "" }, { "apruebo", SD_MAIL_APPROVE, "" },
		{ "approved", SD_MAIL_APPROVE, "" }, { "Approve", SD_MAIL_APPROVE, "" },
		{ "sí", SD_MAIL_APPROVE, "" }, { "Sí", SD_MAIL_APPROVE, "" },
		{ "SÍ", SD_MAIL_APPROVE, "" }, { "si", SD_MAIL_APPROVE, "" },
		{ "Si\xcc\x81", SD_MAIL_APPROVE, "" },          /* S, i, combining acute */
		{ "¡Sí!", SD_MAIL_APPROVE, "" }, { "Yes", SD_MAIL_APPROVE, "" },
		{ "\n\n  Yes, go ahead.\n", SD_MAIL_APPROVE, "go ahead.\n" },
		{ "Approved - thanks", SD_MAIL_APPROVE, "thanks" },
		{ "*Aprobado*", SD_MAIL_APPROVE, "" },
		{ "\"Aprobado\"", SD_MAIL_APPROVE, "" },
		{ "Aprobado\n\nSaludos,\nCarmen", SD_MAIL_APPROVE, "Saludos,\nCarmen" },
		{ "rechazado", SD_MAIL_DENY, "" }, { "Rechazado: sin presupuesto", SD_MAIL_DENY, "sin presupuesto" },
		{ "RECHAZO", SD_MAIL_DENY, "" }, { "denied", SD_MAIL_DENY, "" },
		{ "Deny.", SD_MAIL_DENY, "" }, { "No", SD_MAIL_DENY, "" },
		{ "no.\nToo much access", SD_MAIL_DENY, "Too much access" },
		{ "NO!", SD_MAIL_DENY, "" },
		/* What the quote cut leaves of a reply above its quote. */
		{ "Sí\n\nEl lun, 23 nov 2026 a las 10:40, Mesa escribió:", SD_MAIL_APPROVE,
		  "El lun, 23 nov 2026 a las 10:40, Mesa escribió:" },
		{ "> Please approve\nyes", SD_MAIL_IGNORE, NULL },
		/* The first word decides, whole; the rest does not count. */
		{ "Aprobadísimo", SD_MAIL_IGNORE, NULL }, { "approvedd", SD_MAIL_IGNORE, NULL },
		{ "nothing", SD_MAIL_IGNORE, NULL }, { "not approved", SD_MAIL_IGNORE, NULL },
		{ "yesterday", SD_MAIL_IGNORE, NULL }, { "sin problema", SD_MAIL_IGNORE, NULL },
		{ "¿Qué cuenta?", SD_MAIL_IGNORE, NULL }, { "OK", SD_MAIL_IGNORE, NULL },
		{ "", SD_MAIL_IGNORE, NULL }, { " \n !! \n", SD_MAIL_IGNORE, NULL },
		{ "5", SD_MAIL_IGNORE, NULL },
		{ "\xff" "aprobado", SD_MAIL_IGNORE, NULL },     /* not UTF-8 */
		/* The word alone on the first line that is not blank, or set
		 * off from the rest of it by punctuation; not the first word
		 * of a sentence, nor a question. */
		{ "approved!", SD_MAIL_APPROVE, "" }, { "\n \n\tAprobado\n", SD_MAIL_APPROVE, "" },
		{ "Aprobado, por un año.", SD_MAIL_APPROVE, "por un año." },
		{ "Denied: too much access", SD_MAIL_DENY, "too much access" },
		{ "Sí… adelante", SD_MAIL_APPROVE, "adelante" },
		{ "No problem, go ahead", SD_MAIL_IGNORE, NULL },
		{ "Si es necesario, adelante", SD_MAIL_IGNORE, NULL },
		{ "Si es necesario…", SD_MAIL_IGNORE, NULL },
		{ "Si no hay presupuesto, rechazado", SD_MAIL_IGNORE, NULL },
		{ "No hay problema", SD_MAIL_IGNORE, NULL }, { "Yes go ahead", SD_MAIL_IGNORE, NULL },
		{ "¿Sí?", SD_MAIL_IGNORE, NULL }, { "Approved?", SD_MAIL_IGNORE, NULL },
		{ "Hola,\nAprobado", SD_MAIL_IGNORE, NULL }, { " \n !! \nyes", SD_MAIL_IGNORE, NULL },
		{ "Buenos días\n\nSí", SD_MAIL_IGNORE, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *rest = "unset";
		enum sd_mail_action got = sd_mail_approval_word(cases[i].text, &rest);

		if (got != cases[i].want)
			fail_msg("\"%s\": %d, not %d", cases[i].text, got, cases[i].want);
		if (cases[i].rest && strcmp(rest, cases[i].rest))
			fail_msg("\"%s\": rest \"%s\", not \"%s\"", cases[i].text, rest, cases[i].rest);
		if (!cases[i].rest && *rest)
			fail_msg("\"%s\": rest \"%s\", not empty", cases[i].text, rest);
	}
	assert_int_equal(sd_mail_approval_word(NULL, NULL), SD_MAIL_IGNORE);
	assert_int_equal(sd_mail_approval_word("Aprobado", NULL), SD_MAIL_APPROVE);
}

/* Where the route finds an approval token. */
static void
route_approval(void **state)
{
	static const char tok[] = "0123456789abcdef01234567";
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail m = mail("Re: [SD-1] Approval (ref 0123456789abcdef01234567)", "Ana",
	    "ana.gomez@example.org", "Aprobado");
	struct sd_mail_route r;

	(void)state;
	/* The subject's: the first tag naming a ticket. */
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, tok);
	m.subject = "Re: [SD-99] [SD-7] (REF 0123456789abcdef01234567) and (ref x)";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 7);
	/* A tag naming no ticket: the first one, for the check to refuse. */
	m.subject = "Re: [SD-99] (ref 0123456789abcdef01234567)";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 99);
	m.subject = "Re: Approval (ref 0123456789abcdef01234567)";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 0);
	/* Not a token: the agent's mail is the desk's own, as before. */
	static const char *const not_tokens[] = {
		"[SD-1] (ref 0123456789abcdef0123456)", "[SD-1] (ref 0123456789abcdef012345678)",
		"[SD-1] (ref 0123456789ABCDEF01234567)", "[SD-1] (ref 0123456789abcdeg01234567)",
		"[SD-1] (ref 0123456789abcdef01234567", "[SD-1] ref 0123456789abcdef01234567",
		"[SD-1] (ref  0123456789abcdef01234567)", "[SD-1]",
	};
	for (size_t i = 0; i < sizeof(not_tokens) / sizeof(*not_tokens); i++) {
		m.subject = (char *)not_tokens[i];
		if (route(&m, cfg, &r) != SD_MAIL_IGNORE || strcmp(r.reason, "own-address"))
			fail_msg("\"%s\": action %d, not own-address", not_tokens[i], r.action);
	}
	/* In-Reply-To's message id, before the subject's. */
	m.subject = "Re: [SD-7] (ref ffffffffffffffffffffffff)";
	m.in_reply_to = "<SD-1.approval.0123456789abcdef01234567@sd.example.org>";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, tok);
	/* References: the last approval id, after the subject's token. */
	m.in_reply_to = "<CAF=xyz@mail.gmail.com>";
	m.references = "<SD-8.approval.aaaaaaaaaaaaaaaaaaaaaaaa@sd.example.org> <SD-1.new@x> "
	    "<SD-1.approval.0123456789abcdef01234567@sd.example.org>";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 7);
	assert_string_equal(r.token, "ffffffffffffffffffffffff");
	m.subject = "Re: Approval";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, tok);
	/* From anyone but an agent, References alone count for nothing: a
	 * requester's reply in the thread of an approval request. */
	m.from_addr = "pedro@example.org";
	m.subject = "Re: [SD-1] Solved";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, "");
	m.from_addr = "ana.gomez@example.org";
	m.subject = "Re: Approval";
	/* Ids that are not an approval's: no token. */
	static const char *const not_ids[] = {
		"<SD-1.approval.0123456789abcdef0123456@x>", "<SD-1.approval.0123456789abcdef01234567>",
		"<XX-1.approval.0123456789abcdef01234567@x>", "<SD-x.approval.0123456789abcdef01234567@x>",
		"<SD-1.approvals.0123456789abcdef01234567@x>", "SD-1.approval.0123456789abcdef01234567@x",
		"<SD-1.approval.0123456789abcdef01234567@x", "<a@b.approval.0123456789abcdef01234567@x>",
	};
	m.in_reply_to = NULL;
	for (size_t i = 0; i < sizeof(not_ids) / sizeof(*not_ids); i++) {
		m.references = (char *)not_ids[i];
		if (route(&m, cfg, &r) != SD_MAIL_IGNORE || strcmp(r.reason, "own-address"))
			fail_msg("\"%s\": action %d, not own-address", not_ids[i], r.action);
	}
	/* From a group's address: the desk's own mail back, ignored. */
	m.references = NULL;
	m.subject = "[SD-1] (ref 0123456789abcdef01234567)";
	m.from_addr = "MesaDeServicios@example.org";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.reason, "own-address");
	assert_string_equal(r.token, "");
	/* From anyone else: an approval, for the check to refuse. */
	m.from_addr = "eva@example.org";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	/* An automatic message is ignored first. */
	m.auto_submitted = "auto-replied";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.reason, "auto-submitted");
	sd_config_free(cfg);
}

/* Headers of megabytes: each read once, the ids kept and the tickets
 * looked up bounded. */
static void
route_long_headers(void **state)
{
	static const char id[] = "<SD-1.approval.0123456789abcdef01234567@sd.example.org>";
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail m = mail("Re: Approval", "Ana", "ana.gomez@example.org", "Aprobado");
	struct sd_mail_route r;
	struct sd_buf b = SD_BUF_INIT;
	struct sd_mail *pm = NULL;
	size_t big = 5 * 1024 * 1024;
	int asked = 0;

	(void)state;
	/* In-Reply-To: a million ids of nothing, then the request's. */
	for (size_t i = 0; i < big / 3; i++)
		sd_buf__adds(&b, "<@>");
	sd_buf__adds(&b, id);
	assert_int_equal(sd_buf__check(&b), 0);
	m.in_reply_to = b.data;
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, "0123456789abcdef01234567");
	/* Five million '<' and one '>': the id is from the last '<'. */
	sd_buf__free(&b);
	for (size_t i = 0; i < big; i++)
		sd_buf__add(&b, "<", 1);
	sd_buf__adds(&b, id);
	assert_int_equal(sd_buf__check(&b), 0);
	m.in_reply_to = b.data;
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	/* A subject of a million "(ref " and "[SD-99]": the token found,
	 * and no more than ten tickets looked up. */
	m.in_reply_to = NULL;
	sd_buf__free(&b);
	for (size_t i = 0; i < big / 12; i++)
		sd_buf__adds(&b, "(ref [SD-99]");
	sd_buf__adds(&b, "(ref 0123456789abcdef01234567) [SD-1]");
	assert_int_equal(sd_buf__check(&b), 0);
	m.subject = b.data;
	sd_mail_route(&r, &m, cfg, status_of, &asked);
	assert_int_equal(r.action, SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 99);         /* the first tag: none named */
	assert_int_equal(asked, 10);
	m.from_addr = "pedro@example.org";
	asked = 0;
	sd_mail_route(&r, &m, cfg, status_of, &asked);
	assert_int_equal(r.action, SD_MAIL_APPROVE);
	assert_int_equal(asked, 10);
	/* Ten tags looked up, the eleventh not. */
	m.subject = "[SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-1] help";
	asked = 0;
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	m.subject = "[SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-99][SD-1] help";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NEW);
	/* Read: References keeps its last SD_MAIL_IDS_MAX bytes, from an
	 * id on. */
	sd_buf__free(&b);
	sd_buf__printf(&b, "From: Ana <ana.gomez@example.org>\nSubject: Re: Approval\nReferences: %s", id);
	for (size_t i = 0; i < big / 4; i++)
		sd_buf__adds(&b, i % 19 ? " <@>" : "\n <@>");
	sd_buf__printf(&b, " %s\nIn-Reply-To: %s\n\nAprobado\n", id, id);
	assert_int_equal(sd_buf__check(&b), 0);
	assert_ok(sd_mail_parse(&pm, b.data, b.len, NULL));
	assert_true(strlen(pm->references) <= SD_MAIL_IDS_MAX);
	assert_true(strlen(pm->references) > SD_MAIL_IDS_MAX - 10);
	assert_int_equal(pm->references[0], '<');
	assert_string_equal(pm->references + strlen(pm->references) - strlen(id), id);
	assert_ptr_equal(strstr(pm->references, id), pm->references + strlen(pm->references) - strlen(id));
	assert_string_equal(pm->in_reply_to, id);
	sd_mail_free(pm);
	sd_buf__free(&b);
	sd_config_free(cfg);
}

/* Real approval replies: the word read past Outlook's HTML and quote,
 * Thunderbird's flowed text; the token found where each puts it. */
static void
approval_samples(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail *m = parse_sample("approval-outlook.eml");
	struct sd_mail_route r;
	const char *rest;

	(void)state;
	assert_string_equal(m->subject,
	    "RE: [SD-1] Aprobación requerida: Account for Eva (ref 000000000000000000000000)");
	assert_int_equal(sd_mail_approval_word(m->text, &rest), SD_MAIL_APPROVE);
	assert_string_equal(rest, "por un año.\n\nCarmen Vargas\nCoordinación de la mesa de servicios");
	assert_int_equal(route(m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	assert_string_equal(r.token, "000000000000000000000000");
	sd_mail_free(m);
	m = parse_sample("approval-deny.eml");
	assert_int_equal(sd_mail_approval_word(m->text, &rest), SD_MAIL_DENY);
	assert_string_equal(rest, "an account with access to payroll needs the data owner's "
	    "request first.\n\n-- \nRaúl Mejía\nInfraestructura");
	assert_int_equal(route(m, cfg, &r), SD_MAIL_APPROVE);
	assert_int_equal(r.ticket, 1);
	sd_mail_free(m);
	sd_config_free(cfg);
}

/* The CCs a new ticket records. */
static void
draft_cc(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail_route r = { .action = SD_MAIL_NEW };
	struct sd_mail m = mail("help", "Pedro", "pedro@example.org", "It drops.");
	char *cc[] = { "jefe@example.org", "mesadeservicios@example.org", "Ana.Gomez@example.org",
		"PEDRO@example.org", "not an address", "otra@example.org" };
	struct sd_mail_draft d;

	(void)state;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.cc);
	sd_mail_draft_free(&d);
	m.cc = cc;
	m.ncc = 6;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.cc, "jefe@example.org, otra@example.org");
	sd_mail_draft_free(&d);
	/* Only the desk's and the sender's: none. */
	m.ncc = 4;
	m.cc = cc + 1;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.cc);
	sd_mail_draft_free(&d);
	/* A related ticket records them too; a note does not. */
	m.cc = cc;
	r.action = SD_MAIL_RELATED;
	r.ticket = 7;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.cc, "jefe@example.org");
	sd_mail_draft_free(&d);
	r.action = SD_MAIL_NOTE;
	r.ticket = 1;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.cc);
	sd_mail_draft_free(&d);
	/* An approval: its comment; a denial: its reason, else the text. */
	r.action = SD_MAIL_APPROVE;
	m.text = "Aprobado.";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.text);
	sd_mail_draft_free(&d);
	m.text = "Approved: for one year.\n";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "for one year.");
	sd_mail_draft_free(&d);
	r.action = SD_MAIL_DENY;
	m.text = "No.  \n\n";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "No.");
	sd_mail_draft_free(&d);
	m.text = "Rechazado\n\nNo hay presupuesto.\n";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "No hay presupuesto.");
	sd_mail_draft_free(&d);
	/* The signature is no part of the reason. */
	m.text = "Denied: no budget.\n\n-- \nRa\xc3\xbal\nInfra";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "no budget.");
	sd_mail_draft_free(&d);
	m.text = "No\n-- \nRa\xc3\xbal";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "No");
	sd_mail_draft_free(&d);
	r.action = SD_MAIL_APPROVE;
	m.text = "Yes\n\n-- \nRa\xc3\xbal";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.text);
	sd_mail_draft_free(&d);
	sd_config_free(cfg);
}

/* Cc: read: every address once, groups' members too; In-Reply-To and
 * References as they are. */
static void
cc_headers(void **state)
{
	static const char msg[] =
	    "From: Pedro <pedro@example.org>\n"
	    "To: mesadeservicios@example.org\n"
	    "Cc: =?UTF-8?Q?Jos=C3=A9?= <jose@example.org>, JEFE@Example.org,\n"
	    " Equipo: a@example.org, b@example.org;, jose@EXAMPLE.org, \"No addr\" <>\n"
	    "CC: late@example.org\n"
	    "In-Reply-To: <SD-1.approval.0123456789abcdef01234567@sd.example.org>\n"
	    "References: <a@x>\n <SD-1.approval.0123456789abcdef01234567@sd.example.org>\n"
	    "Subject: help\n\nText\n";
	struct sd_mail *m = NULL;
	struct sd_buf b = SD_BUF_INIT;

	(void)state;
	assert_ok(sd_mail_parse(&m, msg, sizeof(msg) - 1, NULL));
	assert_true(m->ncc >= 4);
	assert_string_equal(m->cc[0], "jose@example.org");
	assert_string_equal(m->cc[1], "JEFE@Example.org");
	assert_string_equal(m->cc[2], "a@example.org");
	assert_string_equal(m->cc[3], "b@example.org");
	for (size_t i = 4; i < m->ncc; i++)
		assert_string_equal(m->cc[i], "late@example.org");
	assert_string_equal(m->in_reply_to, "<SD-1.approval.0123456789abcdef01234567@sd.example.org>");
	assert_string_equal(m->references, "<a@x> <SD-1.approval.0123456789abcdef01234567@sd.example.org>");
	sd_mail_free(m);
	/* None: no Cc, no ids. */
	assert_ok(sd_mail_parse(&m, "From: a@example.org\nSubject: x\n\ny\n", 33, NULL));
	assert_int_equal(m->ncc, 0);
	assert_null(m->cc);
	assert_null(m->in_reply_to);
	assert_null(m->references);
	sd_mail_free(m);
	/* At most SD_MAIL_CC_MAX kept. */
	sd_buf__adds(&b, "From: a@example.org\nCc: ");
	for (int i = 0; i < SD_MAIL_CC_MAX + 20; i++)
		sd_buf__printf(&b, "%su%d@example.org", i ? ", " : "", i);
	sd_buf__adds(&b, "\nSubject: x\n\ny\n");
	assert_ok(sd_buf__check(&b));
	assert_ok(sd_mail_parse(&m, b.data, b.len, NULL));
	assert_int_equal(m->ncc, SD_MAIL_CC_MAX);
	assert_string_equal(m->cc[SD_MAIL_CC_MAX - 1], "u99@example.org");
	sd_mail_free(m);
	sd_buf__free(&b);
}

static void
route_keywords(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help, mesa de ayuda, información\n", "email");
	struct sd_mail m = mail("", "", "pedro@example.org", "");
	static const struct { const char *subject; enum sd_mail_action want; } cases[] = {
		{ "HELP please", SD_MAIL_NEW },
		{ "Need help.", SD_MAIL_NEW },
		{ "(help)", SD_MAIL_NEW },
		{ "helpdesk down", SD_MAIL_IGNORE },
		{ "unhelpful", SD_MAIL_IGNORE },
		{ "help2", SD_MAIL_IGNORE },
		{ "Hola MESA DE AYUDA", SD_MAIL_NEW },
		{ "mesa de  ayuda", SD_MAIL_IGNORE },
		{ "INFORMACIÓN pedida", SD_MAIL_NEW },
		{ "Información", SD_MAIL_NEW },
		{ "informaciónes", SD_MAIL_IGNORE },
		{ "", SD_MAIL_IGNORE },
	};
	struct sd_mail_route r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		m.subject = (char *)cases[i].subject;
		if (route(&m, cfg, &r) != cases[i].want)
			fail_msg("\"%s\": route %d, want %d", cases[i].subject, r.action, cases[i].want);
	}
	sd_config_free(cfg);
	/* No keywords at all: only tags make changes. */
	cfg = config("", "email");
	m.subject = "help";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_IGNORE);
	assert_string_equal(r.why, "no ticket [SD-N] in the subject, and sd.ini has no [mail] keywords");
	assert_string_equal(r.reason, "no-route");
	m.subject = "[SD-1] help";
	assert_int_equal(route(&m, cfg, &r), SD_MAIL_NOTE);
	sd_config_free(cfg);
}

/* --- the draft ----------------------------------------------------------- */

static void
draft_new(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "phone, email");
	struct sd_mail_route r = { .action = SD_MAIL_NEW, .ticket = 0 };
	struct sd_mail m = mail("Re: Fwd: RE[2]: AW: help with the VPN", "Pedro Ruiz",
	    "pedro@example.org", "It drops.");
	static char png[2048] = "\x89PNG";
	struct sd_mail_attachment att[2] = {
		{ "log.txt", "text/plain", 1, "x" }, { "", "image/png", 2048, png }
	};
	struct sd_mail_draft d;

	(void)state;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.title, "help with the VPN");
	assert_string_equal(d.requester, "Pedro Ruiz");
	assert_string_equal(d.email, "pedro@example.org");
	assert_string_equal(d.text, "It drops.");
	sd_mail_draft_free(&d);
	sd_mail_draft_free(&d);         /* twice: harmless */
	/* No name: the address; an address sd refuses: none. */
	m.from_name = "";
	m.from_addr = "pedro";
	m.text = "";
	m.attachments = att;
	m.nattachments = 2;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.requester, "pedro");
	assert_null(d.email);
	/* The attachments are kept, not told: a part with no name named by
	 * its place. */
	assert_null(d.text);
	assert_int_equal(d.nfiles, 2);
	assert_string_equal(d.files[0].name, "log.txt");
	assert_string_equal(d.files[0].type, "text/plain");
	assert_ptr_equal(d.files[0].data, "x");
	assert_int_equal(d.files[0].len, 1);
	assert_string_equal(d.files[1].name, "attachment-2");
	assert_ptr_equal(d.files[1].data, png);
	sd_mail_draft_free(&d);
	/* Over [attachments] max_size: left out, and told. */
	sd_config_free(cfg);
	cfg = config("[mail]\nkeywords = help\n\n[attachments]\nmax_size = 1K\n", "phone, email");
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_int_equal(d.nfiles, 1);
	assert_string_equal(d.files[0].name, "log.txt");
	assert_string_equal(d.text, "Attachments left out:\n- attachment-2 (image/png, 2 KiB) "
	    "left out: over the 1 KiB limit of an attachment");
	sd_mail_draft_free(&d);
	/* Over max_per_ticket, counted in the message's order; a name with
	 * controls, and a type that is none. */
	sd_config_free(cfg);
	cfg = config("[mail]\nkeywords = help\n\n[attachments]\nmax_per_ticket = 2K\n",
	    "phone, email");
	att[0].name = "a\tb\xc2\x9b.txt";
	att[0].type = "text";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_int_equal(d.nfiles, 1);
	assert_string_equal(d.files[0].name, "a_b_.txt");
	assert_string_equal(d.files[0].type, "application/octet-stream");
	assert_string_equal(d.text, "Attachments left out:\n- attachment-2 (image/png, 2 KiB) "
	    "left out: over the 2 KiB limit of a ticket's attachments");
	sd_mail_draft_free(&d);
	sd_config_free(cfg);
	cfg = config("[mail]\nkeywords = help\n", "phone, email");
	/* Nothing at all: no description. */
	m.nattachments = 0;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_null(d.text);
	sd_mail_draft_free(&d);
	sd_config_free(cfg);
	/* A store without the email channel cannot take tickets by mail. */
	cfg = config("[mail]\nkeywords = help\n", "phone, web");
	assert_fails(sd_mail_draft(&d, &m, &r, cfg), SD_ECONFIG,
	    "sd.ini: [lifecycle] channels lacks email, the channel of tickets by mail");
	assert_null(d.title);
	r.action = SD_MAIL_NOTE;
	r.ticket = 1;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	sd_mail_draft_free(&d);
	sd_config_free(cfg);
}

static void
draft_note_and_related(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail_route r = { .action = SD_MAIL_NOTE, .ticket = 1 };
	struct sd_mail m = mail("Re: [SD-1] VPN", "Pedro Ruiz", "pedro@example.org", "Still down.");
	struct sd_mail_draft d;

	(void)state;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "From: Pedro Ruiz <pedro@example.org>\n\nStill down.");
	sd_mail_draft_free(&d);
	m.from_name = "";
	m.text = "";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text, "From: pedro@example.org");
	sd_mail_draft_free(&d);
	/* A new ticket related to a final one: its tag leaves the title. */
	r.action = SD_MAIL_RELATED;
	r.ticket = 7;
	m.subject = "RE: RV: [sd-7] Impresora [SD-7] sin tóner [SD-70]";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.title, "Impresora sin tóner [SD-70]");
	sd_mail_draft_free(&d);
	/* Nothing left of the subject: the text's first line, else a word. */
	m.subject = "Re: [SD-7]";
	m.text = "\n  Hello\tagain  \nsecond line";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.title, "Hello again");
	sd_mail_draft_free(&d);
	m.subject = "";
	m.text = "";
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.title, "(no subject)");
	sd_mail_draft_free(&d);
	sd_config_free(cfg);
}

/* Titles and texts within what sd takes, cut on character boundaries. */
static void
draft_limits(void **state)
{
	struct sd_config *cfg = config("[mail]\nkeywords = help\n", "email");
	struct sd_mail_route r = { .action = SD_MAIL_NOTE, .ticket = 1 };
	struct sd_mail m = mail("", "Pedro", "pedro@example.org", "");
	struct sd_mail_attachment *att = calloc(120, sizeof(*att));
	size_t big = 2 * SD_MAIL_TEXT_MAX;
	char *subject = malloc(3000), *text = malloc(big + 1);
	struct sd_mail_draft d;

	(void)state;
	assert_non_null(att);
	assert_non_null(subject);
	assert_non_null(text);
	/* "ñ" is two bytes: 1,000 bytes would cut one in half. */
	strcpy(subject, "x");
	for (int i = 0; i < 1400; i++)
		strcat(subject, "ñ");
	memset(text, 'a', big);
	text[big] = '\0';
	for (size_t i = 0; i < 120; i++) {
		att[i].name = "a.bin";
		att[i].type = "application/octet-stream";
		att[i].data = "";
	}
	m.subject = subject;
	m.text = text;
	m.attachments = att;
	m.nattachments = 120;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_int_equal(strlen(d.title), 999);
	assert_int_equal(sd_text_check(d.title, strlen(d.title)), 0);
	assert_ok(sd_field_check(cfg, SD_F_TITLE, d.title));
	assert_true(strlen(d.text) <= SD_MAIL_TEXT_MAX);
	assert_true(strlen(d.text) > SD_MAIL_TEXT_MAX - 100);
	assert_non_null(strstr(d.text, "\n[... the rest of the message is left out: "
	    "sd keeps texts of up to 1 MiB]"));
	assert_int_equal(d.nfiles, 120);
	assert_int_equal(strncmp(d.text, "From: Pedro <pedro@example.org>\n\naaaa", 37), 0);
	assert_ok(sd_text_check(d.text, strlen(d.text)));
	sd_mail_draft_free(&d);
	/* [mail] max_text = 1K: the text cut at 1024 bytes, with its line;
	 * the From: line and the attachments on top. */
	sd_config_free(cfg);
	cfg = config("[mail]\nkeywords = help\nmax_text = 1K\n", "email");
	m.nattachments = 1;
	assert_ok(sd_mail_draft(&d, &m, &r, cfg));
	assert_string_equal(d.text + 31 + 2 + 1024 - 73,
	    "\n[... the rest of the message is left out: sd keeps texts of up to 1 KiB]");
	assert_int_equal(strncmp(d.text, "From: Pedro <pedro@example.org>\n\naaaa", 37), 0);
	assert_int_equal(d.text[31 + 2 + 1024 - 74], 'a');
	sd_mail_draft_free(&d);
	free(att);
	free(subject);
	free(text);
	sd_config_free(cfg);
}

/* sd_mail_unflow: RFC 3676's rules, case by case (sections 4.1 to 4.5:
 * soft breaks, DelSp, space-stuffing, quote depth, the signature). */
static void
unflow(void **state)
{
	static const struct {
		const char *in;
		int delsp;
		const char *out;
	} cases[] = {
		/* 4.1: a line ending in a space runs on; the space stays. */
		{ "Hello \nworld.\n", 0, "Hello world.\n" },
		{ "one \ntwo \nthree\nfour\n", 0, "one two three\nfour\n" },
		/* 4.1 with DelSp=yes (4.2): the space goes, a word may be split. */
		{ "Hello wor \nld.\n", 1, "Hello world.\n" },
		{ "Hello wor \nld.\n", 0, "Hello wor ld.\n" },
		/* A fixed line, and an empty one, end a paragraph. */
		{ "a \n\nb\n", 0, "a \nb\n" },
		/* 4.4: a stuffed space goes; only one; before an unquoted '>'
		 * it stays, lest the line read as a quote. */
		{ " From here\n  two\n >not a quote\n", 0, "From here\n two\n >not a quote\n" },
		{ " >a \n >b\n", 0, " >a >b\n" },
		{ "> q \n >x\n", 0, "> q \n >x\n" },
		/* 4.5: quote depth: lines of one depth join, their '>'s once. */
		{ "> one \n> two\n>> three \n>> four\nfive\n", 0, "> one two\n>> three four\nfive\n" },
		{ ">>no stuffing \n>>here\n", 0, ">>no stuffing here\n" },
		/* A flowed line before another depth is taken as fixed. */
		{ "> quoted \nplain\n", 0, "> quoted \nplain\n" },
		{ "> quoted \nplain\n", 1, "> quoted\nplain\n" },
		{ "text \n> quoted\n", 0, "text \n> quoted\n" },
		/* The signature separator is never flowed, nor run into. */
		{ "Thanks \n-- \nPedro\n", 0, "Thanks \n-- \nPedro\n" },
		{ "Thanks \n-- \nPedro\n", 1, "Thanks\n-- \nPedro\n" },
		/* A flowed last line keeps its newline, or has none. */
		{ "a \nb \n", 0, "a b \n" },
		{ "a \nb ", 1, "ab" },
		{ "", 0, "" },
		{ "\n\n", 0, "\n\n" },
		/* A stuffed space alone: an empty fixed line. */
		{ "x \n \ny\n", 0, "x \ny\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char buf[256];

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		sd_mail_unflow(buf, cases[i].delsp);
		if (strcmp(buf, cases[i].out))
			fail_msg("case %zu: \"%s\" != \"%s\"", i, buf, cases[i].out);
	}
}

/* format=flowed read from a message: its parameters, CRLF, quoted lines. */
static void
flowed_messages(void **state)
{
	static const char plain[] =
	    "From: a@example.org\r\nSubject: help\r\n"
	    "Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
	    "La impresora del piso 3 no imprime desde \r\nesta ma\xc3\xb1\x61na.\r\n\r\n"
	    "-- \r\nPedro\r\n";
	static const char delsp[] =
	    "From: a@example.org\nSubject: help\n"
	    "Content-Type: text/plain; charset=utf-8; format=Flowed; DelSp=Yes\n\n"
	    "Conexi \n\xc3\xb3n ca\xc3\xad \nda.\n";
	static const char fixed[] =
	    "From: a@example.org\nSubject: help\n"
	    "Content-Type: text/plain; charset=utf-8; format=fixed\n\n"
	    "kept \nas is\n";
	static const char html[] =
	    "From: a@example.org\nSubject: help\n"
	    "Content-Type: text/html; charset=utf-8; format=flowed\n\n"
	    "<pre>kept \nas is</pre>\n";
	struct sd_mail *m = NULL;

	(void)state;
	assert_ok(sd_mail_parse(&m, html, sizeof(html) - 1, NULL));
	assert_string_equal(m->text, "kept\nas is");  /* flowed is for text/plain: not joined */
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, plain, sizeof(plain) - 1, NULL));
	assert_string_equal(m->text,
	    "La impresora del piso 3 no imprime desde esta ma\xc3\xb1\x61na.\n\n-- \nPedro");
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, delsp, sizeof(delsp) - 1, NULL));
	assert_string_equal(m->text, "Conexi\xc3\xb3n ca\xc3\xad" "da.");
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, fixed, sizeof(fixed) - 1, NULL));
	assert_string_equal(m->text, "kept \nas is");
	sd_mail_free(m);
}

/* Forwarded messages: their headers and text after the message's own,
 * in a reply too (its quotes cut, not theirs), one inside another, and
 * their attachments listed as the message's. */
static void
forwards(void **state)
{
	static const char reply[] =
	    "From: Pedro <pedro@example.org>\nSubject: Re: [SD-1] VPN\nIn-Reply-To: <x@y>\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n"
	    "--b1\nContent-Type: text/plain\n\nSee below.\n\n> old quote\n"
	    "--b1\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
	    "From: =?utf-8?q?Ana_G=C3=B3mez?= <ana@example.org>\n"
	    "Date: Mon, 23 Nov 2026 09:00:00 -0500\nSubject: VPN\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b2\n\n"
	    "--b2\nContent-Type: text/html\n\n<p>It&nbsp;drops.</p>\n<blockquote>q</blockquote>\n"
	    "--b2\nContent-Type: application/pdf; name=log.pdf\n\n%PDF\n"
	    "--b2\nContent-Type: message/rfc822\n\n"
	    "From: c@example.org\nSubject: inner\n\n-----Original Message-----\ninnermost\n"
	    "--b2--\n"
	    "--b1--\n";
	struct sd_mail *m = NULL;

	(void)state;
	assert_ok(sd_mail_parse(&m, reply, sizeof(reply) - 1, NULL));
	assert_string_equal(m->text, "See below.\n\n"
	    "---------- Forwarded message ----------\n"
	    "From: Ana G\xc3\xb3mez <ana@example.org>\n"
	    "Date: Mon, 23 Nov 2026 09:00:00 -0500\nSubject: VPN\n\n"
	    "It drops.\n> q\n\n"
	    "---------- Forwarded message ----------\n"
	    "From: c@example.org\nSubject: inner\n\n-----Original Message-----\ninnermost");
	assert_int_equal(m->nattachments, 1);
	assert_string_equal(m->attachments[0].name, "log.pdf");
	assert_string_equal(m->attachments[0].type, "application/pdf");
	sd_mail_free(m);
}

/* A bounce with no sender address is read, to be ignored; a message with
 * none that is not automatic is refused.  The envelope sender: given,
 * else the mbox line's, MAILER-DAEMON and <> the null sender. */
static void
envelope_sender(void **state)
{
	static const char bounce[] =
	    "From: Mail Delivery System <>\nSubject: Undelivered Mail\n\nx\n";
	static const char daemon[] =
	    "From: MAILER-DAEMON <>\nSubject: failure notice\n\nx\n";
	static const char person[] = "From: Pedro <>\nSubject: help\n\nx\n";
	static const char mbox[] = "From MAILER-DAEMON  Mon Nov 23 10:00:00 2026\n"
	    "From: a@example.org\nSubject: help\n\nx\n";
	static const char mbox2[] = "From pedro@example.org  Mon Nov 23 10:00:00 2026\n"
	    "From: a@example.org\nSubject: help\n\nx\n";
	struct sd_mail *m = NULL;
	char why[200];

	(void)state;
	assert_fails(sd_mail_parse(&m, bounce, sizeof(bounce) - 1, NULL), SD_EINVALID,
	    "not a mail message: no sender address in From:");
	assert_ok(sd_mail_parse_from(&m, bounce, sizeof(bounce) - 1, NULL, ""));
	assert_string_equal(m->from_addr, "");
	assert_string_equal(m->sender, "");
	assert_string_equal(sd_mail_automatic(m, why, sizeof(why)), "null-sender");
	assert_string_equal(why, "a bounce (the null envelope sender)");
	sd_mail_free(m);
	for (const char *const *f = (const char *const[]){ "<>", " MAILER-daemon ", NULL }; *f; f++) {
		assert_ok(sd_mail_parse_from(&m, bounce, sizeof(bounce) - 1, NULL, *f));
		assert_string_equal(m->sender, "");
		sd_mail_free(m);
	}
	assert_ok(sd_mail_parse(&m, daemon, sizeof(daemon) - 1, NULL));
	assert_string_equal(m->from_addr, "");
	assert_string_equal(m->from_name, "MAILER-DAEMON");
	assert_null(m->sender);
	assert_string_equal(sd_mail_automatic(m, why, sizeof(why)), "mailer-daemon");
	assert_string_equal(why, "a bounce (from MAILER-DAEMON)");
	sd_mail_free(m);
	assert_fails(sd_mail_parse(&m, person, sizeof(person) - 1, NULL), SD_EINVALID,
	    "not a mail message: no sender address in From:");
	assert_fails(sd_mail_parse_from(&m, person, sizeof(person) - 1, NULL, "<pedro@example.org>"),
	    SD_EINVALID, "not a mail message: no sender address in From:");
	assert_null(m);
	assert_ok(sd_mail_parse_from(&m, person, sizeof(person) - 1, NULL, "<>"));
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, mbox, sizeof(mbox) - 1, NULL));
	assert_string_equal(m->sender, "");
	assert_string_equal(m->from_addr, "a@example.org");
	sd_mail_free(m);
	assert_ok(sd_mail_parse(&m, mbox2, sizeof(mbox2) - 1, NULL));
	assert_string_equal(m->sender, "pedro@example.org");
	assert_null(sd_mail_automatic(m, why, sizeof(why)));
	assert_string_equal(why, "");
	sd_mail_free(m);
	/* What is given wins over the mbox line. */
	assert_ok(sd_mail_parse_from(&m, mbox, sizeof(mbox) - 1, NULL, "<b@example.org>"));
	assert_string_equal(m->sender, "b@example.org");
	sd_mail_free(m);
}

/* sd_mail_automatic: each kind alone, and the first that fits when
 * several do (a Postfix bounce carries all of them). */
static void
automatic_table(void **state)
{
	static const struct {
		const char *headers;
		const char *reason;     /* NULL: a person's */
		const char *why;
	} cases[] = {
		{ "", NULL, "" },
		{ "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n",
		  "report", "a delivery or disposition report (multipart/report; report-type=delivery-status)" },
		{ "Content-Type: multipart/report; report-type=disposition-notification; boundary=x\n",
		  "report", "a delivery or disposition report (multipart/report; report-type=disposition-notification)" },
		{ "Content-Type: multipart/report; boundary=x\n",
		  "report", "a delivery or disposition report (multipart/report)" },
		{ "Content-Type: multipart/mixed; report-type=delivery-status; boundary=x\n", NULL, "" },
		{ "Auto-Submitted: auto-replied\n", "auto-submitted",
		  "an automatic message (Auto-Submitted: auto-replied)" },
		{ "Auto-Submitted: auto-generated\n", "auto-submitted",
		  "an automatic message (Auto-Submitted: auto-generated)" },
		{ "Auto-Submitted: no\n", NULL, "" },
		{ "Auto-Submitted: NO (a person)\n", NULL, "" },
		{ "X-Autoreply: yes\n", "autoreply", "an automatic reply (X-Autoreply: yes)" },
		{ "X-Autorespond: vacation\n", "autoreply", "an automatic reply (X-Autorespond: vacation)" },
		{ "X-Autoreply: no\n", NULL, "" },
		{ "Precedence: bulk\n", "precedence", "a bulk or list message (Precedence: bulk)" },
		{ "Precedence: junk\n", "precedence", "a bulk or list message (Precedence: junk)" },
		{ "Precedence: List\n", "precedence", "a bulk or list message (Precedence: List)" },
		{ "Precedence: urgent\n", NULL, "" },
		{ "Return-Path: <>\n", "null-sender", "a bounce (Return-Path: <>)" },
		{ "Return-Path: <a@example.org>\n", NULL, "" },
		{ "Sender: MAILER-DAEMON@example.org\n", NULL, "" },
		/* A Postfix bounce: the report first. */
		{ "Return-Path: <>\nAuto-Submitted: auto-replied\nPrecedence: bulk\n"
		  "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n",
		  "report", "a delivery or disposition report (multipart/report; report-type=delivery-status)" },
		{ "Return-Path: <>\nPrecedence: bulk\nX-Autoreply: yes\nAuto-Submitted: auto-replied\n",
		  "auto-submitted", "an automatic message (Auto-Submitted: auto-replied)" },
		{ "Return-Path: <>\nPrecedence: bulk\nX-Autoreply: yes\n",
		  "autoreply", "an automatic reply (X-Autoreply: yes)" },
		{ "Return-Path: <>\nPrecedence: bulk\n",
		  "precedence", "a bulk or list message (Precedence: bulk)" },
	};
	static const char *const from[][3] = {
		/* From:, reason, why */
		{ "MAILER-DAEMON@mx.example.org", "mailer-daemon", "a bounce (from MAILER-DAEMON@mx.example.org)" },
		{ "Mail Delivery Subsystem <mailer-daemon@example.org>", "mailer-daemon",
		  "a bounce (from mailer-daemon@example.org)" },
		{ "postmaster@example.org", "mailer-daemon", "a bounce (from postmaster@example.org)" },
		{ "PostMaster", "mailer-daemon", "a bounce (from PostMaster)" },
		{ "postmasters@example.org", NULL, "" },
		{ "daemon@example.org", NULL, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char msg[1024], why[300];
		struct sd_mail *m = NULL;
		const char *reason;

		snprintf(msg, sizeof(msg), "From: a@example.org\n%sSubject: x\n\nbody\n", cases[i].headers);
		if (sd_mail_parse(&m, msg, strlen(msg), NULL) < 0)
			fail_msg("case %zu: %s", i, sd_error_message());
		reason = sd_mail_automatic(m, why, sizeof(why));
		if (!reason != !cases[i].reason || (reason && strcmp(reason, cases[i].reason)))
			fail_msg("case %zu: %s != %s", i, reason ? reason : "(none)",
			    cases[i].reason ? cases[i].reason : "(none)");
		assert_string_equal(why, cases[i].why);
		sd_mail_free(m);
	}
	for (size_t i = 0; i < sizeof(from) / sizeof(*from); i++) {
		char msg[1024], why[300];
		struct sd_mail *m = NULL;
		const char *reason;

		snprintf(msg, sizeof(msg), "From: %s\nSubject: x\n\nbody\n", from[i][0]);
		if (sd_mail_parse(&m, msg, strlen(msg), NULL) < 0)
			fail_msg("from %zu: %s", i, sd_error_message());
		reason = sd_mail_automatic(m, why, sizeof(why));
		if (!reason != !from[i][1] || (reason && strcmp(reason, from[i][1])))
			fail_msg("from %zu: %s != %s", i, reason ? reason : "(none)",
			    from[i][1] ? from[i][1] : "(none)");
		assert_string_equal(why, from[i][2]);
		sd_mail_free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(multipart_with_pdf),
		cmocka_unit_test(latin1_quoted_printable),
		cmocka_unit_test(outlook_html_only),
		cmocka_unit_test(reply_quoting_the_ticket),
		cmocka_unit_test(outlook_reply),
		cmocka_unit_test(auto_reply),
		cmocka_unit_test(no_keyword_and_agent),
		cmocka_unit_test(not_messages),
		cmocka_unit_test(reading_streams),
		cmocka_unit_test(mime_limits),
		cmocka_unit_test(rate_limit),
		cmocka_unit_test(charsets),
		cmocka_unit_test(attachments),
		cmocka_unit_test(quotes_in_replies_only),
		cmocka_unit_test(html),
		cmocka_unit_test(quotes),
		cmocka_unit_test(route_automatic),
		cmocka_unit_test(route_own_addresses),
		cmocka_unit_test(route_tags),
		cmocka_unit_test(rating_table),
		cmocka_unit_test(route_reply),
		cmocka_unit_test(route_keywords),
		cmocka_unit_test(route_reply_cc),
		cmocka_unit_test(approval_words),
		cmocka_unit_test(route_approval),
		cmocka_unit_test(route_long_headers),
		cmocka_unit_test(approval_samples),
		cmocka_unit_test(draft_cc),
		cmocka_unit_test(cc_headers),
		cmocka_unit_test(draft_new),
		cmocka_unit_test(draft_note_and_related),
		cmocka_unit_test(draft_limits),
		cmocka_unit_test(unflow),
		cmocka_unit_test(flowed_messages),
		cmocka_unit_test(forwards),
		cmocka_unit_test(envelope_sender),
		cmocka_unit_test(automatic_table),
	};

	int failed;

	setlocale(LC_ALL, "");
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	sd_mail_shutdown();
	return failed;
}
