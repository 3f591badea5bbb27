/*
 * gen - fill a store with tickets, fast, for the benchmark.
 *
 * usage: gen [-d DUE] [-e] STORE N [OPENLIST]
 *
 * STORE is a store made by `sd-init --example` (any store will do: the
 * categories, groups, agents and channels come from its configuration).
 * Each ticket is built with libsd's own API and written by
 * sd_ticket_format, so its file is exactly what sd would write.  The
 * files go into STORE/tickets/NNN/ and, as blobs, into a stream piped to
 * `git fast-import`, which ends with one commit on HEAD's branch whose
 * parent is the current HEAD; then .git/sd-head names the new commit,
 * since the files equal its tree.  The store's lock is held throughout.
 *
 * Tickets are numbered on from the store's next free number, created over
 * the year before now ($SD_NOW honoured), in id order.  The mix: mostly
 * closed, some solved, rejected and unmanaged, about 10% open (new,
 * assigned, escalated or provider, suspended, pending-info), the recent
 * ones more often open; 2 to 6 events each.  $SD_BENCH_SEED changes the
 * (otherwise fixed) random sequence.
 *
 * -d DUE: exactly DUE tickets are due for `sd-close --auto` at now: solved,
 * their accept_window over (in the store's calendar, as sd-close decides).
 * They are spread evenly over the tickets old enough (created at least 30
 * days and the window's length before now).  Every other ticket that the
 * mix would make due before now + 6 hours is made closed (if it was
 * solved) or unmanaged (if pending-info) instead, as a store whose cron
 * runs sd-close --auto would have it; so a run within 6 hours of gen finds
 * DUE tickets and no other.  -d 0: none due.
 *
 * OPENLIST, if given, receives the ids of the open tickets whose urgency
 * is not high, one a line: `sd-update ID --urgency high` changes each.
 *
 * -e: a realistic history instead of the bulk commit: one commit per
 * event, in the order of the events' times across all tickets, each with
 * the ticket's file as it stood after that event (its text up to the next
 * [event] section), dated at the event and carrying Ticket: and Action:
 * trailers, as sd's own commits (2 to 6 per ticket: about 4.5 N).
 *
 * The bulk commit carries no Ticket: trailers (a million of them would be
 * a 15 MB message); its subject is "PREFIX-A: new (benchmark: ...)".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sd.h"

#define DAY 86400L
/* -d: no ticket but the DUE becomes due before now + this. */
#define DUE_MARGIN (6 * 3600L)
#define MAX_AGENTS 256

static const char *progname = "gen";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
check(int rc, const char *what)
{
	if (rc < 0)
		die("%s: %s", what, sd_error_message());
}

/* xorshift64*: fast, and the same sequence everywhere for one seed. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)((rnd() >> 16) % n);
}

static double
unif(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

/* Text pools.  Plain UTF-8, as a desk in Bogotá would write them. */
static const char *const first_names[][2] = {
	{ "Pedro", "pedro" }, { "María", "maria" }, { "José", "jose" },
	{ "Lucía", "lucia" }, { "Andrés", "andres" }, { "Camila", "camila" },
	{ "Juan", "juan" }, { "Valentina", "valentina" }, { "Diego", "diego" },
	{ "Isabel", "isabel" }, { "Carlos", "carlos" }, { "Natalia", "natalia" },
	{ "Felipe", "felipe" }, { "Daniela", "daniela" }, { "Hernán", "hernan" },
	{ "Paula", "paula" }, { "Óscar", "oscar" }, { "Sara", "sara" },
};
static const char *const last_names[][2] = {
	{ "Gómez", "gomez" }, { "Rodríguez", "rodriguez" }, { "Martínez", "martinez" },
	{ "López", "lopez" }, { "García", "garcia" }, { "Hernández", "hernandez" },
	{ "Ramírez", "ramirez" }, { "Torres", "torres" }, { "Moreno", "moreno" },
	{ "Jiménez", "jimenez" }, { "Vargas", "vargas" }, { "Castillo", "castillo" },
	{ "Ortiz", "ortiz" }, { "Suárez", "suarez" }, { "Rojas", "rojas" },
};
static const char *const subjects[] = {
	"No puedo conectarme a la VPN", "La impresora del piso 3 no imprime",
	"Portátil muy lento al iniciar", "Outlook no sincroniza el correo",
	"Contraseña vencida en el dominio", "Solicitud de acceso al ERP",
	"Sin internet en la sede norte", "Pantalla azul al abrir Excel",
	"Crear cuenta para nuevo empleado", "El servidor de archivos no responde",
	"Instalar licencia de Office", "Error 500 en el portal de nómina",
	"Teléfono IP sin tono", "Cambio de equipo por garantía",
	"Buzón lleno, no recibe correos", "Restablecer token de doble factor",
	"Lentitud en la red inalámbrica", "Backup nocturno falló",
	"Permisos sobre carpeta compartida", "Actualizar certificado del sitio web",
};
static const char *const places[] = {
	"", "", "", " (sede centro)", " (sede norte)", " - urgente", " (piso 5)",
	" desde casa", " en sala de juntas", " (gerencia)",
};
static const char *const desc_lines[] = {
	"Desde esta mañana el usuario no puede trabajar con normalidad.",
	"Ya reinició el equipo dos veces y el problema sigue.",
	"El mensaje de error dice: \"connection timed out\".",
	"Afecta a tres personas del mismo equipo de trabajo.",
	"Adjunta captura de pantalla por correo.",
	"Funcionaba bien hasta la actualización del viernes.",
	"Necesita el acceso antes del cierre de mes.",
	"Se probó con otro usuario en el mismo equipo y falla igual.",
	"Pide que lo llamen a la extensión 4412 después de las 2 p. m.",
	"No hay cambios recientes conocidos en el equipo.",
	"Código de activo: PC-20931; ubicación: bodega 2.",
	"Indica que es la segunda vez en el mes; ver tickets anteriores.",
};
static const char *const note_lines[] = {
	"Se llamó al usuario; no contesta. Se deja mensaje de voz.",
	"Usuario confirma que el problema persiste.",
	"Se revisan registros del servidor; sin errores a esa hora.",
	"Se solicita al usuario el número de inventario del equipo.",
	"Pendiente de ventana de mantenimiento para aplicar el cambio.",
	"El proveedor asigna caso interno 88123.",
	"Se conecta por escritorio remoto para revisar.",
	"Usuario envía la información pedida por correo.",
};
static const char *const diag_lines[] = {
	"Diagnóstico N1: se descarta problema del equipo local.",
	"La falla está en el servicio central; requiere especialista.",
	"Se verificó cableado y configuración de red; todo correcto en el puesto.",
	"Requiere permisos de administrador que la mesa no tiene.",
	"El error aparece en los registros del servidor de aplicaciones.",
};
static const char *const solution_lines[] = {
	"Se restableció la contraseña y se verificó el ingreso con el usuario.",
	"Se reinstaló el controlador de la impresora y se imprimió una prueba.",
	"Se amplió la cuota del buzón a 10 GB.",
	"Se reinició el servicio y se monitoreó durante una hora sin fallas.",
	"Se creó la cuenta con los grupos del cargo y se enviaron credenciales.",
	"Se reemplazó el cable de red del puesto.",
	"Se aplicó la actualización pendiente del cliente VPN.",
	"Usuario confirma que ya puede trabajar.",
};
static const char *const suspend_lines[] = {
	"El usuario está de vacaciones hasta la otra semana.",
	"A la espera de repuesto del proveedor.",
	"Se espera aprobación de compra.",
};
static const char *const reject_lines[] = {
	"No corresponde a la mesa de servicio: es un trámite de recursos humanos.",
	"Duplicado de otro ticket abierto por el mismo usuario.",
	"Solicitud redirigida al área de mantenimiento locativo.",
};

/* What the configuration gives. */
struct gen {
	const struct sd_config *cfg;
	const char *prefix;
	const struct sd_category **cats;        /* all */
	size_t ncats;
	const struct sd_category **plain;       /* without approvals */
	size_t nplain;
	const char *const *channels;
	size_t nchannels;
	const char *desk[MAX_AGENTS];           /* level-1 agents */
	size_t ndesk;
	time_t now;
};

static const char *
member_of(const struct gen *g, const char *group)
{
	const char *ids[MAX_AGENTS];
	size_t n = 0;

	for (size_t i = 0; i < sd_config_agent_count(g->cfg) && n < MAX_AGENTS; i++) {
		const struct sd_agent *a = sd_config_agent_at(g->cfg, i);
		if (sd_agent_in_group(a, group))
			ids[n++] = a->id;
	}
	return n ? ids[pick((unsigned)n)] : NULL;
}

static const char *
desk_agent(const struct gen *g)
{
	return g->desk[pick((unsigned)g->ndesk)];
}

/* A few lines of text from a pool, newline-terminated. */
static void
lines(char *out, size_t size, const char *const *pool, size_t npool, int min, int max)
{
	int n = min + (int)pick((unsigned)(max - min + 1));
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n && len + 1 < size; i++) {
		/* Now and then a blank line between paragraphs. */
		if (i && pick(8) == 0)
			len += (size_t)snprintf(out + len, size - len, "\n");
		if (len + 1 < size)
			len += (size_t)snprintf(out + len, size - len, "%s\n", pool[pick((unsigned)npool)]);
	}
}
#define LINES(out, pool, min, max) \
	lines(out, sizeof(out), pool, sizeof(pool) / sizeof((pool)[0]), min, max)

static const char *const level_words[] = { "high", "medium", "low" };

static int
weighted_level(void)
{
	double u = unif();
	return u < 0.15 ? 0 : u < 0.65 ? 1 : 2;
}

/* The times of n events after created: gaps of minutes to days, squeezed
 * to end before now. */
static void
event_times(time_t *at, int n, time_t created, time_t now, int closes)
{
	double gap[8], sum = 0, room = (double)(now - created) - 60;

	for (int i = 1; i < n; i++) {
		double u = unif();
		/* minutes for most steps, hours or days for some */
		gap[i] = u < 0.5 ? 60 + unif() * 3600 : u < 0.85 ? 3600 + unif() * 6 * 3600 :
		    DAY * (0.5 + unif() * 3);
		if (closes && i == n - 1)
			gap[i] = DAY * (0.2 + unif() * 2);      /* the requester's answer */
		sum += gap[i];
	}
	if (room < 1)
		room = 1;
	at[0] = created;
	for (int i = 1; i < n; i++)
		at[i] = at[i - 1] + (time_t)(sum > room ? gap[i] * room / sum : gap[i]);
}

enum status {
	ST_NEW, ST_PENDING, ST_ASSIGNED, ST_ESCALATED, ST_SUSPENDED,
	ST_SOLVED, ST_CLOSED, ST_REJECTED, ST_UNMANAGED, ST__COUNT
};

static enum status
choose_status(double age_days)
{
	double p_open = 0.95 * exp(-age_days / 25) + 0.035;
	double p_solved = 0.6 * exp(-age_days / 5) + 0.03;
	double u = unif();

	if (u < p_open) {
		u = unif();
		return u < 0.25 ? ST_NEW : u < 0.60 ? ST_ASSIGNED : u < 0.80 ? ST_ESCALATED :
		    u < 0.88 ? ST_SUSPENDED : ST_PENDING;
	}
	if (u < p_open + p_solved)
		return ST_SOLVED;
	u = unif();
	return u < 0.025 ? ST_REJECTED : u < 0.032 ? ST_UNMANAGED : ST_CLOSED;
}

/* One step of a ticket's life, before the times are known. */
struct step {
	const char *action, *by, *from, *to, *text;
	const char *key[3], *value[3];
};

struct life {
	struct step s[8];
	int n;
};

static struct step *
step(struct life *l, const char *action, const char *by, const char *from, const char *to)
{
	struct step *s = &l->s[l->n++];

	memset(s, 0, sizeof(*s));
	s->action = action;
	s->by = by;
	s->from = from;
	s->to = to;
	return s;
}

static void
kv(struct step *s, const char *key, const char *value)
{
	for (int i = 0; i < 3; i++)
		if (!s->key[i]) {
			s->key[i] = key;
			s->value[i] = value;
			return;
		}
}

static void
set(struct sd_ticket *t, enum sd_field f, const char *v)
{
	check(sd_ticket_set(t, f, v), "sd_ticket_set");
}

/* Ticket n, created at `created`; its status in *st: force's, if force is
 * a status, else a random one. */
static struct sd_ticket *
make_ticket(const struct gen *g, long n, time_t created, int force, enum status *st)
{
	static char desc[2048], sol[1024], texts[8][1024];
	char id[SD_ID_MAX], title[256], req[128], email[128], phone[64], num[16];
	char at_s[8][SD_TIME_MAX];
	const struct sd_category *cat;
	const char *type, *group, *assignee = "", *status, *code = "", *close_reason = "";
	const char *rating = "", *cur;
	static const char *const ratings[] = { "1", "2", "3", "4", "4", "5", "5", "5" };
	struct sd_ticket *t;
	struct life l = { .n = 0 };
	time_t at[8];
	int level = 1, escalations = 0, contacts = 0, u, i, ntexts = 0;
	long responded = -1, solved = -1, closed = -1;
	size_t ev;
	unsigned fn, ln;

	*st = force >= 0 ? (enum status)force : choose_status((double)(g->now - created) / DAY);
	type = unif() < 0.65 ? "incident" : "request";
	if (!strcmp(type, "request") && g->nplain)
		cat = g->plain[pick((unsigned)g->nplain)];
	else
		cat = g->cats[pick((unsigned)g->ncats)];
	group = cat->level[0];

	check(sd_ticket_new(&t), "sd_ticket_new");
	sd_id_format(id, g->prefix, n);
	snprintf(title, sizeof(title), "%s%s", PICK(subjects), PICK(places));
	fn = pick(sizeof(first_names) / sizeof(first_names[0]));
	ln = pick(sizeof(last_names) / sizeof(last_names[0]));
	snprintf(req, sizeof(req), "%s %s", first_names[fn][0], last_names[ln][0]);
	snprintf(email, sizeof(email), "%s.%s%u@example.org", first_names[fn][1],
	    last_names[ln][1], pick(100));
	if (pick(2))
		snprintf(phone, sizeof(phone), "+57 601 555 %04u", pick(10000));
	else
		phone[0] = '\0';
	if (*st == ST_PENDING || *st == ST_UNMANAGED)
		email[0] = '\0';        /* the required data that is missing */

	/* The life: who did what, in order. */
	cur = (*st == ST_PENDING || *st == ST_UNMANAGED) ? "pending-info" : "new";
	step(&l, "new", desk_agent(g), NULL, cur);
	switch (*st) {
	case ST_PENDING:
	case ST_UNMANAGED:
		LINES(texts[ntexts], note_lines, 1, 2);
		kv(step(&l, "note", desk_agent(g), NULL, NULL), "text", texts[ntexts++]);
		contacts = 1 + (int)pick(2);
		if (*st == ST_UNMANAGED) {
			struct step *s = step(&l, "unmanaged", desk_agent(g), cur, "unmanaged");
			kv(s, "text", "no data in time");
			close_reason = "no data in time";
		}
		break;
	case ST_REJECTED: {
		struct step *s = step(&l, "reject", desk_agent(g), cur, "rejected");
		LINES(texts[ntexts], reject_lines, 1, 1);
		kv(s, "text", texts[ntexts]);
		close_reason = texts[ntexts++];
		/* the reason is one line: drop its newline for the field */
		break;
	}
	case ST_NEW:
		LINES(texts[ntexts], note_lines, 1, 3);
		kv(step(&l, "note", desk_agent(g), NULL, NULL), "text", texts[ntexts++]);
		break;
	default: {
		/* assigned, escalated, suspended, solved, closed */
		const char *who = member_of(g, group);
		struct step *s = step(&l, "assign", who, cur, "assigned");
		kv(s, "assignee", who);
		responded = l.n - 1;
		assignee = who;
		cur = "assigned";
		if (*st == ST_ESCALATED || ((*st == ST_SOLVED || *st == ST_CLOSED) && unif() < 0.3)) {
			int to_level = unif() < 0.8 ? 2 : 3;
			const char *g2 = cat->level[to_level - 1] ? cat->level[to_level - 1] : cat->level[1];
			const struct sd_group *gr = g2 ? sd_config_group(g->cfg, g2) : NULL;

			if (gr) {
				const char *to = gr->provider ? "provider" : "escalated";
				snprintf(num, sizeof(num), "%d", gr->level);
				LINES(texts[ntexts], diag_lines, 1, 3);
				s = step(&l, "escalate", assignee, cur, to);
				kv(s, "level", num);
				kv(s, "group", g2);
				kv(s, "text", texts[ntexts++]);
				escalations = 1;
				level = gr->level;
				group = g2;
				assignee = "";
				cur = to;
				if (*st != ST_ESCALATED && strcmp(to, "provider")) {
					const char *w = member_of(g, group);
					if (w) {
						s = step(&l, "assign", w, cur, "assigned");
						kv(s, "assignee", w);
						assignee = w;
						cur = "assigned";
					}
				}
			}
		}
		if (*st == ST_SUSPENDED) {
			LINES(texts[ntexts], suspend_lines, 1, 1);
			kv(step(&l, "suspend", assignee, cur, "suspended"), "text", texts[ntexts++]);
			cur = "suspended";
		}
		if (l.n < 4 && pick(5) < 2 && *st != ST_SUSPENDED) {
			LINES(texts[ntexts], note_lines, 1, 3);
			kv(step(&l, "note", *assignee ? assignee : desk_agent(g), NULL, NULL), "text",
			    texts[ntexts++]);
		}
		if (*st == ST_SOLVED || *st == ST_CLOSED) {
			static const char *const codes[] = { "solved", "solved", "solved", "solved",
				"workaround", "unsolvable" };
			code = PICK(codes);
			LINES(sol, solution_lines, 2, 4);
			s = step(&l, "solve", *assignee ? assignee : desk_agent(g), cur, "solved");
			kv(s, "code", code);
			kv(s, "text", sol);
			solved = l.n - 1;
			cur = "solved";
		}
		if (*st == ST_CLOSED) {
			if (unif() < 0.7) {
				s = step(&l, "close", desk_agent(g), cur, "closed");
				close_reason = "accepted";
				if (unif() < 0.8) {
					rating = PICK(ratings);
					kv(s, "rating", rating);
				}
			} else {
				s = step(&l, "auto-close", desk_agent(g), cur, "closed");
				close_reason = "accepted: no answer in time";
				kv(s, "text", close_reason);
			}
		}
		break;
	}
	}
	if (*st == ST_CLOSED || *st == ST_REJECTED || *st == ST_UNMANAGED)
		closed = l.n - 1;
	for (i = l.n - 1; i > 0 && !l.s[i].to; i--)
		;
	status = l.s[i].to;     /* the last status an event moved it to */

	event_times(at, l.n, created, g->now, *st == ST_CLOSED);
	for (i = 0; i < l.n; i++)
		sd_time_format(at_s[i], sd_config_zone(g->cfg), at[i]);

	u = weighted_level();
	set(t, SD_F_ID, id);
	set(t, SD_F_TYPE, type);
	set(t, SD_F_STATUS, status);
	set(t, SD_F_TITLE, title);
	set(t, SD_F_CATEGORY, cat->name);
	/* the first three channels (phone, email, web) two times in three */
	set(t, SD_F_CHANNEL, g->channels[pick(pick(3) && g->nchannels > 3 ? 3 : (unsigned)g->nchannels)]);
	set(t, SD_F_URGENCY, level_words[u]);
	i = weighted_level();
	set(t, SD_F_IMPACT, level_words[i]);
	check(sd_ticket_set_number(t, SD_F_PRIORITY, sd_config_priority(g->cfg, u, i)), "priority");
	check(sd_ticket_set_number(t, SD_F_LEVEL, level), "level");
	set(t, SD_F_GROUP, group);
	set(t, SD_F_ASSIGNEE, assignee);
	set(t, SD_F_REQUESTER, req);
	set(t, SD_F_REQUESTER_EMAIL, email);
	set(t, SD_F_REQUESTER_PHONE, phone);
	set(t, SD_F_CREATED, at_s[0]);
	set(t, SD_F_UPDATED, at_s[l.n - 1]);
	set(t, SD_F_RESPONDED, responded >= 0 ? at_s[responded] : "");
	set(t, SD_F_SOLVED, solved >= 0 ? at_s[solved] : "");
	set(t, SD_F_CLOSED, closed >= 0 ? at_s[closed] : "");
	set(t, SD_F_RESOLUTION, code);
	if (*close_reason) {
		char one[256];
		snprintf(one, sizeof(one), "%.255s", close_reason);
		one[strcspn(one, "\n")] = '\0';
		set(t, SD_F_CLOSE_REASON, one);
	}
	set(t, SD_F_RATING, rating);
	check(sd_ticket_set_number(t, SD_F_ESCALATIONS, escalations), "escalations");
	check(sd_ticket_set_number(t, SD_F_REOPENED, 0), "reopened");
	check(sd_ticket_set_number(t, SD_F_CONTACT_ATTEMPTS, contacts), "contact_attempts");
	set(t, SD_F_RELATED, "");
	set(t, SD_F_APPROVALS, "");
	LINES(desc, desc_lines, 2, 5);
	check(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, desc), "description");
	if (*sol && solved >= 0)
		check(sd_ticket_set_text(t, SD_TEXT_SOLUTION, sol), "solution");
	for (i = 0; i < l.n; i++) {
		const struct step *s = &l.s[i];
		check(sd_ticket_event_add(t, &ev, at_s[i], s->by, s->action), "event");
		if (s->from)
			check(sd_ticket_event_set(t, ev, "from", s->from), "event");
		if (s->to)
			check(sd_ticket_event_set(t, ev, "to", s->to), "event");
		for (int k = 0; k < 3 && s->key[k]; k++)
			check(sd_ticket_event_set(t, ev, s->key[k], s->value[k]), "event");
	}
	check(sd_sla_update(t, g->cfg), "sd_sla_update");
	sol[0] = '\0';
	return t;
}

/* When the window w from the time in field f of t ends; 0 if f is not a
 * time. */
static time_t
window_end(const struct gen *g, const struct sd_ticket *t, enum sd_field f,
    const struct sd_duration *w)
{
	time_t start, end;

	if (sd_time_parse(&start, sd_config_zone(g->cfg), sd_ticket_get(t, f)) < 0 ||
	    sd_calendar_add(&end, sd_config_calendar(g->cfg), start, w) < 0) {
		sd_error_clear();
		return 0;
	}
	return end;
}

/* Is t due for sd-close --auto at `at`?  As lib/act.c's auto_due. */
static int
auto_due(const struct gen *g, const struct sd_ticket *t, time_t at)
{
	const char *status = sd_ticket_get(t, SD_F_STATUS);
	time_t end;

	if (!strcmp(status, "solved"))
		end = window_end(g, t, SD_F_SOLVED, sd_config_accept_window(g->cfg));
	else if (!strcmp(status, "pending-info"))
		end = window_end(g, t, SD_F_CREATED, sd_config_info_window(g->cfg));
	else
		return 0;
	return end > 0 && at >= end;
}

/* The output of a git command, first line, or NULL. */
static char *
git_line(const char *gitdir, const char *args)
{
	char cmd[4096], line[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git --git-dir='%s' %s 2>/dev/null", gitdir, args);
	if (!(p = popen(cmd, "r")))
		die("popen: %s", strerror(errno));
	if (!fgets(line, sizeof(line), p)) {
		pclose(p);
		return NULL;
	}
	if (pclose(p) != 0)
		return NULL;
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

static void
write_all(int fd, const char *data, size_t len, const char *path)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("%s: %s", path, strerror(errno));
		data += w;
		len -= (size_t)w;
	}
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every so often: does the file read back to the same ticket, and is it
 * valid for the configuration? */
static void
verify(const struct gen *g, const struct sd_ticket *t, const char *data, size_t len,
    const char *rel)
{
	struct sd_ticket *back;
	char *again;
	size_t alen;

	check(sd_ticket_check(t, g->cfg), rel);
	check(sd_ticket_parse(&back, data, len, rel, 0), rel);
	check(sd_ticket_format(&again, &alen, back), rel);
	if (alen != len || memcmp(again, data, len))
		die("%s: does not read back the same", rel);
	free(again);
	sd_ticket_free(back);
}

/* -e: one commit to make, of one event. */
struct replay {
	time_t at;
	long seq;               /* the order made in: ties keep it */
	long num;               /* the ticket */
	long mark;              /* its blob */
	char action[24];
};

static int
replay_cmp(const void *a, const void *b)
{
	const struct replay *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* -e: a blob for each of the ticket's events, its file up to the next
 * event's section, and a replay for each. */
static void
replay_blobs(FILE *fi, const struct gen *g, long num, const char *data, size_t len,
    struct replay **rv, long *nr, long *cap, long *mark)
{
	const char *ev = strstr(data, "\n[event ");

	while (ev) {
		const char *next = strstr(ev + 1, "\n[event "), *at, *act;
		size_t cut = next ? (size_t)(next - data) : len;
		struct replay *r;
		char when[64];
		size_t w;

		/* The blank line before the next section is not this one's. */
		if (next && cut > 0 && data[cut - 1] == '\n')
			cut--;
		if (next)
			cut++;
		fprintf(fi, "blob\nmark :%ld\ndata %zu\n", ++*mark, cut);
		fwrite(data, 1, cut, fi);
		fputc('\n', fi);
		if (*nr == *cap) {
			*cap = *cap ? *cap * 2 : 4096;
			if (!(*rv = realloc(*rv, (size_t)*cap * sizeof(**rv))))
				die("out of memory");
		}
		r = &(*rv)[*nr];
		r->seq = (*nr)++;
		r->num = num;
		r->mark = *mark;
		if (!(at = strstr(ev, "\nat = ")) || (next && at > next))
			die("%ld: an event without its time", num);
		at += 6;
		w = strcspn(at, "\n");
		snprintf(when, sizeof(when), "%.*s", (int)(w < 63 ? w : 63), at);
		check(sd_time_parse(&r->at, sd_config_zone(g->cfg), when), "event time");
		r->action[0] = '\0';
		if ((act = strstr(ev, "\naction = ")) && (!next || act < next)) {
			act += 10;
			snprintf(r->action, sizeof(r->action), "%.*s", (int)strcspn(act, "\n"), act);
		}
		ev = next;
	}
}

int
main(int argc, char *argv[])
{
	static const char *const names[ST__COUNT] = {
		"new", "pending-info", "assigned", "escalated/provider", "suspended",
		"solved", "closed", "rejected", "unmanaged"
	};
	struct sd_store *s = NULL;
	const struct sd_agent *agent = NULL;
	struct gen g = { 0 };
	long count[ST__COUNT] = { 0 }, n, first, opened = 0;
	long due = -1, eligible = 0, ndue = 0, undue = 0;
	unsigned long long bytes = 0;
	char *gitdir, *head, *branch, *newhead, *end, firstid[SD_ID_MAX], lastid[SD_ID_MAX];
	char tickets[4096], shard[4096], path[4096], msg[512], author[512];
	FILE *fi, *openlist = NULL;
	int pfd[2], status, lastshard = -1;
	double t0 = seconds(), t1;
	pid_t pid;
	struct tm tm;
	const char *env;
	int c, events = 0;
	struct replay *rv = NULL;
	long nr = 0, rcap = 0, mark = 0;

	while ((c = getopt(argc, argv, "d:e")) != -1) {
		switch (c) {
		case 'e':
			events = 1;
			break;
		case 'd':
			due = strtol(optarg, &end, 10);
			if (*end || !*optarg || due < 0)
				die("-d: '%s' is not a number of tickets", optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-d DUE] [-e] STORE N [OPENLIST]\n", progname);
			return 64;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s [-d DUE] [-e] STORE N [OPENLIST]\n", progname);
		return 64;
	}
	n = strtol(argv[2], &end, 10);
	if (*end || n < 1 || n > 100000000)
		die("N: '%s' is not a number from 1 to 100000000", argv[2]);
	if ((env = getenv("SD_BENCH_SEED")) && *env)
		rng ^= strtoull(env, NULL, 10) * 0x2545f4914f6cdd1dULL + 1;
	if (argc == 4 && !(openlist = fopen(argv[3], "w")))
		die("%s: %s", argv[3], strerror(errno));

	check(sd_store_open(&s, argv[1], 0), argv[1]);
	g.cfg = sd_store_config(s);
	g.prefix = sd_config_prefix(g.cfg);
	check(sd_cli_now(&g.now), "now");
	g.ncats = sd_config_category_count(g.cfg);
	if (!g.ncats)
		die("%s: escalation.ini has no categories (make the store with sd-init --example)",
		    argv[1]);
	g.cats = calloc(g.ncats, sizeof(*g.cats));
	g.plain = calloc(g.ncats, sizeof(*g.plain));
	if (!g.cats || !g.plain)
		die("out of memory");
	for (size_t i = 0; i < g.ncats; i++) {
		g.cats[i] = sd_config_category_at(g.cfg, i);
		if (!g.cats[i]->napprovals && g.cats[i]->level[0])
			g.plain[g.nplain++] = g.cats[i];
		if (!g.cats[i]->level[0])
			die("category %s has no level-1 group", g.cats[i]->name);
	}
	g.nchannels = sd_config_channels(g.cfg, &g.channels);
	if (!g.nchannels)
		die("no channels in sd.ini");
	for (size_t i = 0; i < sd_config_agent_count(g.cfg) && g.ndesk < MAX_AGENTS; i++)
		if (sd_agent_level(g.cfg, sd_config_agent_at(g.cfg, i)) == 1)
			g.desk[g.ndesk++] = sd_config_agent_at(g.cfg, i)->id;
	if (!g.ndesk)
		die("agents.ini has no level-1 agent");
	if (due >= 0) {
		/* Old enough: a life (3 weeks at most) and the window, over. */
		time_t from = g.now - 60 * DAY, wend, cutoff;

		check(sd_calendar_add(&wend, sd_config_calendar(g.cfg), from,
		    sd_config_accept_window(g.cfg)), "accept_window");
		cutoff = g.now - (wend - from) - 30 * DAY;
		/* ticket i is created before now - 365 d + (i + 1) * 365 d / n */
		eligible = (long)((double)(cutoff - (g.now - 365 * DAY)) * (double)n / (365.0 * DAY)) - 1;
		if (eligible < 0)
			eligible = 0;
		if (eligible > n)
			eligible = n;
		if (due > eligible)
			die("-d %ld: only %ld of the %ld tickets are old enough to be made due", due,
			    eligible, n);
	}

	/* The author: $SD_AGENT when known, else sd with the store's name. */
	if (getenv("SD_AGENT") && sd_store_agent(s, &agent) == 0 && agent->email)
		snprintf(author, sizeof(author), "%s <%s>", agent->name ? agent->name : agent->id,
		    agent->email);
	else {
		/* As lib/change.c signs them: sd@<prefix in lower case>.sd.invalid. */
		char low[32];
		size_t i;
		for (i = 0; i + 1 < sizeof(low) && sd_config_prefix(g.cfg)[i]; i++)
			low[i] = (char)tolower((unsigned char)sd_config_prefix(g.cfg)[i]);
		low[i] = '\0';
		snprintf(author, sizeof(author), "sd (%s) <sd@%s.sd.invalid>", sd_config_name(g.cfg), low);
	}
	sd_error_clear();

	check(sd_store_lock(s), "lock");
	check(sd_store_next_id(s, &first), "next id");
	if (asprintf(&gitdir, "%s/.git", sd_store_root(s)) < 0)
		die("out of memory");
	if (!(head = git_line(gitdir, "rev-parse --verify -q HEAD^{commit}")))
		die("%s: no HEAD commit", gitdir);
	if (!(branch = git_line(gitdir, "symbolic-ref -q HEAD")))
		branch = strdup("refs/heads/main");
	sd_id_format(firstid, g.prefix, first);
	sd_id_format(lastid, g.prefix, first + n - 1);

	/* git fast-import, reading the stream from a pipe. */
	if (pipe(pfd) < 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pfd[0], 0);
		close(pfd[0]);
		close(pfd[1]);
		/* No deltas: a quarter less work for fast-import, a pack a
		 * fifth bigger; sd reads no old blob on its paths. */
		/* -e: a shard's tree again each commit, a delta of the one
		 * before it: far less to write. */
		execlp("git", "git", "-c", events ? "pack.depth=50" : "pack.depth=0", "--git-dir",
		    gitdir, "fast-import", "--quiet", "--done", (char *)NULL);
		fprintf(stderr, "%s: git: %s\n", progname, strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	signal(SIGPIPE, SIG_IGN);
	if (!(fi = fdopen(pfd[1], "w")))
		die("fdopen: %s", strerror(errno));
	setvbuf(fi, NULL, _IOFBF, 1 << 20);

	snprintf(tickets, sizeof(tickets), "%s/tickets", sd_store_root(s));
	if (mkdir(tickets, 0777) < 0 && errno != EEXIST)
		die("%s: %s", tickets, strerror(errno));
	for (long i = 0; i < n; i++) {
		long num = first + i;
		/* created: in id order over the year before now, jittered */
		time_t created = g.now - 365 * DAY + (time_t)(((double)i + unif()) * 365.0 * DAY / (double)n);
		enum status st;
		struct sd_ticket *t;
		char *data, *rel;
		size_t len;
		int fd;

		if (created >= g.now)
			created = g.now - 60;
		if (due > 0 && i < eligible &&
		    (long long)(i + 1) * due / eligible != (long long)i * due / eligible) {
			t = make_ticket(&g, num, created, ST_SOLVED, &st);
			if (!auto_due(&g, t, g.now))
				die("%s: solved, but its accept_window is not over", sd_ticket_get(t, SD_F_ID));
			ndue++;
		} else {
			t = make_ticket(&g, num, created, -1, &st);
			if (due >= 0 && auto_due(&g, t, g.now + DUE_MARGIN)) {
				int to = st == ST_PENDING ? ST_UNMANAGED : ST_CLOSED;

				sd_ticket_free(t);
				t = make_ticket(&g, num, created, to, &st);
				undue++;
			}
		}
		check(sd_ticket_format(&data, &len, t), "sd_ticket_format");
		check(sd_id_path(&rel, g.prefix, num), "path");
		if (i % 997 == 0 || i == n - 1)
			verify(&g, t, data, len, rel);
		if ((int)(num / 1000) != lastshard) {
			lastshard = (int)(num / 1000);
			snprintf(shard, sizeof(shard), "%s/tickets/%03ld", sd_store_root(s), num / 1000);
			if (mkdir(shard, 0777) < 0 && errno != EEXIST)
				die("%s: %s", shard, strerror(errno));
		}
		snprintf(path, sizeof(path), "%s/%s", sd_store_root(s), rel);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
			die("%s: %s", path, strerror(errno));
		write_all(fd, data, len, path);
		if (close(fd) < 0)
			die("%s: %s", path, strerror(errno));
		if (events) {
			replay_blobs(fi, &g, num, data, len, &rv, &nr, &rcap, &mark);
		} else {
			fprintf(fi, "blob\nmark :%ld\ndata %zu\n", i + 1, len);
			fwrite(data, 1, len, fi);
			fputc('\n', fi);
		}
		if (ferror(fi))
			die("git fast-import: %s", strerror(errno));
		count[st]++;
		bytes += len;
		if (openlist && sd_status_open(sd_ticket_get(t, SD_F_STATUS)) &&
		    strcmp(sd_ticket_get(t, SD_F_URGENCY), "high")) {
			fprintf(openlist, "%s\n", sd_ticket_get(t, SD_F_ID));
			opened++;
		}
		free(rel);
		free(data);
		sd_ticket_free(t);
	}

	t1 = seconds();
	if (events) {
		qsort(rv, (size_t)nr, sizeof(*rv), replay_cmp);
		for (long k = 0; k < nr; k++) {
			char id[SD_ID_MAX];
			sd_id_format(id, g.prefix, rv[k].num);
			sd_zone_local(sd_config_zone(g.cfg), rv[k].at, &tm);
			snprintf(msg, sizeof(msg), "%s: %s\n\nTicket: %s\nAction: %s\n", id,
			    rv[k].action, id, rv[k].action);
			fprintf(fi, "commit %s\nauthor %s %lld %+03ld%02ld\ncommitter %s %lld %+03ld%02ld\n"
			    "data %zu\n%s", branch,
			    author, (long long)rv[k].at, tm.tm_gmtoff / 3600, labs(tm.tm_gmtoff) / 60 % 60,
			    author, (long long)rv[k].at, tm.tm_gmtoff / 3600, labs(tm.tm_gmtoff) / 60 % 60,
			    strlen(msg), msg);
			if (k == 0)
				fprintf(fi, "from %s\n", head);
			fprintf(fi, "M 100644 :%ld tickets/%03ld/%s.ini\n\n", rv[k].mark,
			    rv[k].num / 1000, id);
		}
		free(rv);
		goto imported;
	}
	sd_zone_local(sd_config_zone(g.cfg), g.now, &tm);
	snprintf(msg, sizeof(msg), "%s: new (benchmark: %s..%s, %ld tickets)\n\nAction: new\n",
	    firstid, firstid, lastid, n);
	fprintf(fi, "commit %s\nauthor %s %lld %+03ld%02ld\ncommitter %s %lld %+03ld%02ld\n"
	    "data %zu\n%s\nfrom %s\n", branch,
	    author, (long long)g.now, tm.tm_gmtoff / 3600, labs(tm.tm_gmtoff) / 60 % 60,
	    author, (long long)g.now, tm.tm_gmtoff / 3600, labs(tm.tm_gmtoff) / 60 % 60,
	    strlen(msg), msg, head);
	for (long i = 0; i < n; i++) {
		long num = first + i;
		fprintf(fi, "M 100644 :%ld tickets/%03ld/%s-%ld.ini\n", i + 1, num / 1000,
		    g.prefix, num);
	}
	fprintf(fi, "\n");
imported:
	fprintf(fi, "done\n");
	if (fclose(fi) != 0)
		die("git fast-import: %s", strerror(errno));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("git fast-import failed");

	/* The files equal the new commit's tree: say so. */
	if (!(newhead = git_line(gitdir, "rev-parse --verify -q HEAD^{commit}")) ||
	    !strcmp(newhead, head))
		die("%s: HEAD did not move", gitdir);
	{
		char marker[4096], tmp[4096], line[128];
		int fd;

		snprintf(marker, sizeof(marker), "%s/sd-head", gitdir);
		snprintf(tmp, sizeof(tmp), "%s/.sd-head.gen.tmp", gitdir);
		snprintf(line, sizeof(line), "%s\n", newhead);
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
			die("%s: %s", tmp, strerror(errno));
		write_all(fd, line, strlen(line), tmp);
		if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, marker) < 0)
			die("%s: %s", marker, strerror(errno));
	}
	sd_store_unlock(s);
	if (openlist && fclose(openlist) != 0)
		die("%s: %s", argv[3], strerror(errno));

	fprintf(stderr, "%s: %ld tickets %s..%s, %llu bytes, in %.1f s (files and blobs %.1f s, "
	    "commit %.1f s); HEAD %s\n", progname, n, firstid, lastid, bytes, seconds() - t0,
	    t1 - t0, seconds() - t1, newhead);
	fprintf(stderr, "%s:", progname);
	for (int i = 0; i < ST__COUNT; i++)
		fprintf(stderr, " %s %ld (%.1f%%)%s", names[i], count[i], 100.0 * count[i] / n,
		    i + 1 < ST__COUNT ? "," : "\n");
	if (due >= 0)
		fprintf(stderr, "%s: %ld due for sd-close --auto (solved past accept_window); %ld others "
		    "that would be due within 6 h made closed or unmanaged instead\n",
		    progname, ndue, undue);
	if (openlist)
		fprintf(stderr, "%s: %ld open tickets of urgency not high listed in %s\n", progname,
		    opened, argv[3]);
	free(gitdir);
	free(head);
	free(branch);
	free(newhead);
	free(g.cats);
	free(g.plain);
	sd_store_free(s);
	return 0;
}
