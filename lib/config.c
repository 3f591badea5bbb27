/*
 * The store's configuration (sd-config(5)): sd.ini, agents.ini, sla.ini
 * and escalation.ini read, checked line by line, and held in memory.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_internal.h"
#include "internal.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/field.h"
#include "sd/format.h"
#include "sd/words.h"

const char *const sd_config_files[4] = {
	"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
};
enum { F_SD, F_SLA, F_AGENTS, F_ESCALATION };

static const char *const policy_keys[SD_POLICY__COUNT] = {
	"trust_env_agent", "level1_registers", "level1_closes",
	"level1_escalates_first", "group_scope"
};
static const char *const day_keys[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const default_channels = "phone, email, web, chat, teams, walk-in";

/* Where zones are loaded from: the command layer's $TZDIR, set once
 * before anything is loaded (sd_config_set_zone_dir). */
static const char *zone_dir;

void
sd_config_set_zone_dir(const char *dir)
{
	zone_dir = dir;
}

struct list {
	char **v;
	size_t n;
};

/* A [calendar NAME] of sd.ini: its hours, holidays and zone. */
struct named_cal {
	char *name;
	struct sd_calendar *cal;
	struct sd_zone *zone;   /* its own zone key, or NULL: the store's */
	int line;               /* of its [calendar NAME] */
};

struct sd_config {
	char *name, *prefix, *timezone;
	struct sd_calendar *cal;
	struct sd_zone *zone;   /* the calendar's and every local time's */
	struct sd_duration accept_window, info_window;
	struct list required, channels, keywords;
	int required_given, channels_given, keywords_given;
	struct list push_refs;  /* [store] push_refs: refs a push may move */
	int policy[SD_POLICY__COUNT];
	int priority[3][3];
	struct sd_duration response[2], resolution[2][4];
	int have_response[2], have_resolution[2][4];
	int warn;
	int contact_attempts;   /* [lifecycle]: before no-contact */
	struct sd_sync_config sync;     /* [sync]: sites and their hub */
	struct list stops[2];   /* [lifecycle] response_stops, resolution_stops */
	int stops_given[2];
	struct named_cal *cals; /* [calendar NAME], in file order */
	size_t ncals;
	struct sd_calendar **calv;      /* [calendar], then the named ones */
	int type_cal[2], prio_cal[2][4];        /* sla.ini's picks: calv index or -1 */
	struct sd_mail_limits mail;
	struct sd_attach_limits attach;
	int refuse_strangers;   /* [mail] strangers = refuse */
	char *language;         /* [store] language: en or es */
	char *words[SD_WORD__COUNT];    /* [words] (sd/words.h) */
	char *mail_address, *mail_name;  /* [mail] address, name */
	struct sd_duration remind_before;           /* [mail] remind_before */
	int remind_given;
	struct sd_group *groups;
	size_t ngroups;
	struct sd_agent *agents;
	size_t nagents;
	struct sd_category *categories;
	size_t ncategories;
	int *category_lines;
};

/* The state of one file's parse. */
struct parse {
	struct sd_config *cfg;
	int file;
	char section[256];
	int section_line;
	struct list seen;       /* keys seen in this section */
	struct list sections;   /* sections seen in this file */
	int *section_lines;     /* the line of each, in the same order */
	void *record;           /* the group, agent or category being read */
	int record_kind;        /* 'g', 'a', 'c' */
};

static void
list_free(struct list *l)
{
	sd__free_list(l->v, l->n);
	l->v = NULL;
	l->n = 0;
}

static int
list_has(const struct list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

static int
list_add(struct list *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return sd__oom();
	l->v = v;
	if (!(v[l->n] = sd__strdup(s)))
		return sd__oom();
	l->n++;
	return 0;
}

/* Add the items of a comma-separated value to v: a list may go on over
 * indented lines, or a repeated key, without limit of line length. */
static int
append_items(char ***v, size_t *n, const char *value)
{
	char **items, **nv;
	size_t k;
	int rc;

	if ((rc = sd__split_list(&items, &k, value, ',')) < 0)
		return rc;
	if (!(nv = realloc(*v, (*n + k + 1) * sizeof(*nv)))) {
		sd__free_list(items, k);
		return sd__oom();
	}
	if (k)
		memcpy(nv + *n, items, k * sizeof(*nv));
	free(items);
	*v = nv;
	*n += k;
	return 0;
}

/* A list with a default: the first value given replaces the default. */
static int
set_list(struct list *l, int *given, const char *value)
{
	if (!*given)
		list_free(l);
	*given = 1;
	return append_items(&l->v, &l->n, value);
}

static int
set_str(char **dst, const char *value)
{
	free(*dst);
	if (!(*dst = sd__strdup(value)))
		return sd__oom();
	return 0;
}

/* A ref name or fnmatch(3) glob of [store] push_refs: refs/..., of
 * letters, digits, . _ - / and * ? [ ], no empty part, no "..". */
static int
valid_ref_pattern(const char *s)
{
	if (strncmp(s, "refs/", 5) || strlen(s) > 255 || strstr(s, "..") || strstr(s, "//") ||
	    s[strlen(s) - 1] == '/')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-/*?[]", *s))
			return 0;
	return 1;
}

/* [store] push_refs: space- or comma-separated, each valid. */
static int
set_push_refs(struct list *l, const char *value)
{
	char *v = sd__strdup(value);
	int rc;

	if (!v)
		return sd__oom();
	for (char *p = v; *p; p++)
		if (*p == ' ' || *p == '\t')
			*p = ',';
	rc = append_items(&l->v, &l->n, v);
	free(v);
	for (size_t i = 0; rc == 0 && i < l->n; i++)
		if (!valid_ref_pattern(l->v[i]))
			rc = sd_error_set(SD_ECONFIG, _("push_refs: '%s' is not a ref name or "
			    "glob under refs/"), l->v[i]);
	return rc;
}

/* One line of UTF-8 text, not empty, without control characters. */
static int
one_line(const char *v)
{
	if (!*v || !sd__utf8_valid(v, strlen(v)))
		return 0;
	for (; *v; v++)
		if (sd_control_len(v))
			return 0;
	return 1;
}

/* A name sd writes into files and paths: letters, digits, . _ - (and / in
 * categories), starting with a letter or digit. */
static int
valid_name(const char *s, int slash)
{
	if (!isalnum((unsigned char)*s) || strlen(s) > 64)
		return 0;
	for (; *s; s++) {
		if (*s == '/' && slash && isalnum((unsigned char)s[1]))
			continue;
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	}
	return 1;
}

static int
yes_no(int *out, const char *key, const char *value)
{
	if (!strcmp(value, "yes")) *out = 1;
	else if (!strcmp(value, "no")) *out = 0;
	else return sd_error_set(SD_ECONFIG, _("%s must be yes or no, not '%s'"), key, value);
	return 0;
}

static int
duration(struct sd_duration *d, const char *key, const char *value)
{
	if (sd_duration_parse(d, value) < 0)
		return sd_error_set(SD_ECONFIG, _("%s: '%s' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)"),
		    key, value);
	return 0;
}

static int number(int *out, const char *key, const char *value, int lo, int hi);

/* An email address, as lib/internal.h says: [mail] address, agents'
 * and groups' email here, a ticket's requester_email in lib/validate.c. */
int
sd__email_ok(const char *v)
{
	const char *at = strchr(v, '@');

	if (!at || at == v || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    strlen(v) > 254)
		return 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	return at[1] != '.' && v[strlen(v) - 1] != '.';
}

/* [mail] max_size, max_text: bytes, or a number of KiB or MiB (512K,
 * 10M), from 1K to max. */
static int
mail_size(size_t *out, const char *key, const char *value, unsigned long max)
{
	unsigned long long n = 0;
	const char *p = value;
	int unit = 0;

	for (; *p >= '0' && *p <= '9' && n <= SD_MAIL_SIZE_MAX; p++)
		n = n * 10 + (unsigned)(*p - '0');
	if (p > value && (*p == 'K' || *p == 'M') && !p[1]) {
		unit = *p == 'K' ? 10 : 20;
		p++;
	}
	if (p == value || *p || n > SD_MAIL_SIZE_MAX || (n << unit) < 1024 || (n << unit) > max)
		return sd_error_set(SD_ECONFIG,
		    _("%s: '%s' is not a size from 1K to %luM (bytes, or a number with K or M)"),
		    key, value, max >> 20);
	*out = (size_t)(n << unit);
	return 0;
}

/* A business target d (value, of key) the calendar can count to from any
 * instant: else a due date could never be worked out (sd-config(5)). */
static int
reachable(struct sd_config *cfg, const struct sd_duration *d, const char *key,
    const char *value)
{
	long long reach = sd_calendar_reach(cfg->cal, d->unit), per;
	const char *unit = value + strlen(value) - 2;

	if (d->amount <= reach)
		return 0;
	per = d->unit == SD_DUR_BUSINESS_DAYS ? 1 : !strcmp(unit, "bh") ? 3600 : 60;
	return sd_error_set(SD_ECONFIG,
	    _("%s: %s is more business time than the calendar can count to (at most %lld%s)"),
	    key, value, reach / per, unit);
}

/* The index in calv of calendar name: 0 for [calendar] ("default"),
 * else its [calendar NAME]; sd.ini is read whole before the others. */
static int
calendar_index(int *out, const struct sd_config *cfg, const char *key, const char *name)
{
	if (!strcmp(name, "default")) {
		*out = 0;
		return 0;
	}
	for (size_t i = 0; i < cfg->ncals; i++)
		if (!strcmp(cfg->cals[i].name, name)) {
			*out = (int)i + 1;
			return 0;
		}
	return sd_error_set(SD_ECONFIG, _("%s: unknown calendar '%s' (sd.ini has no "
	    "[calendar %s])"), key, name, name);
}

/* A business duration as written: Nbd, else Nbh when whole hours, Nbm. */
static void
business_text(char v[32], const struct sd_duration *d)
{
	if (d->unit == SD_DUR_BUSINESS_DAYS)
		snprintf(v, 32, "%lldbd", d->amount);
	else if (d->amount % 3600)
		snprintf(v, 32, "%lldbm", d->amount / 60);
	else
		snprintf(v, 32, "%lldbh", d->amount / 3600);
}

/* Every business target of sla.ini within what each [calendar NAME] can
 * count to, as reachable() holds them to [calendar]: a group's calendar
 * may count any of them. */
static int
reachable_named(struct sd_config *cfg, const char *at[2])
{
	static const char *const types[2] = { "incident", "request" };

	for (size_t c = 0; c < cfg->ncals; c++)
		for (int t = 0; t < 2; t++)
			for (int p = -1; p < 4; p++) {
				const struct sd_duration *d = p < 0 ? &cfg->response[t] :
				    &cfg->resolution[t][p];
				long long reach = sd_calendar_reach(cfg->cals[c].cal, d->unit), per;
				char key[16], v[32];

				if (d->unit == SD_DUR_WALL || d->amount <= reach)
					continue;
				business_text(v, d);
				if (p < 0)
					snprintf(key, sizeof(key), "response");
				else
					snprintf(key, sizeof(key), "resolution.%d", p + 1);
				per = d->unit == SD_DUR_BUSINESS_DAYS ? 1 : v[strlen(v) - 1] == 'h' ? 3600 : 60;
				return sd_error_set(SD_ECONFIG, _("%s: [%s] %s: %s is more business time "
				    "than [calendar %s] can count to (at most %lld%s)"), at[t], types[t],
				    key, v, cfg->cals[c].name, reach / per, v + strlen(v) - 2);
			}
	return 0;
}

static int
unknown_key(const struct parse *ps, const char *name)
{
	return sd_error_set(SD_ECONFIG, _("unknown key '%s' in [%s]"), name, ps->section);
}

static int
sd_section(struct parse *ps, const char *name, const char *value)
{
	struct sd_config *cfg = ps->cfg;
	const char *s = ps->section;

	if (!strcmp(s, "store")) {
		if (!strcmp(name, "name"))
			return set_str(&cfg->name, value);
		if (!strcmp(name, "prefix")) {
			size_t n = strlen(value);
			int ok = n >= 1 && n <= 10 && isupper((unsigned char)value[0]);
			for (size_t i = 0; i < n; i++)
				ok = ok && (isupper((unsigned char)value[i]) || isdigit((unsigned char)value[i]));
			if (!ok)
				return sd_error_set(SD_ECONFIG,
				    _("prefix must be 1 to 10 capital letters or digits, starting with a letter, not '%s'"),
				    value);
			return set_str(&cfg->prefix, value);
		}
		if (!strcmp(name, "timezone")) {
			struct sd_zone *z;

			if (sd_zone_load(&z, value, zone_dir) < 0)
				return sd_error_set(SD_ECONFIG, "%s", sd_error_message());
			sd_zone_free(cfg->zone);
			cfg->zone = z;
			return set_str(&cfg->timezone, value);
		}
		if (!strcmp(name, "push_refs"))
			return set_push_refs(&cfg->push_refs, value);
		if (!strcmp(name, "language")) {
			if (strcmp(value, "en") && strcmp(value, "es"))
				return sd_error_set(SD_ECONFIG, _("language must be en or es, not '%s'"),
				    value);
			return set_str(&cfg->language, value);
		}
	} else if (!strcmp(s, "calendar") || !strncmp(s, "calendar ", 9)) {
		struct named_cal *nc = ps->record_kind == 'k' ? ps->record : NULL;
		struct sd_calendar *cal = nc ? nc->cal : cfg->cal;

		for (int d = 0; d < 7; d++)
			if (!strcmp(name, day_keys[d])) {
				if (sd_calendar_set_day(cal, d, value) < 0)
					return sd_error_set(SD_ECONFIG, "%s: %s", name, sd_error_message());
				return 0;
			}
		if (!strcmp(name, "holidays")) {
			struct list l = { NULL, 0 };
			int rc = sd__split_list(&l.v, &l.n, value, ',');
			for (size_t i = 0; rc == 0 && i < l.n; i++)
				if ((rc = sd_calendar_add_holiday(cal, l.v[i])) < 0)
					rc = sd_error_set(SD_ECONFIG, "holidays: %s", sd_error_message());
			list_free(&l);
			return rc;
		}
		/* A named calendar's own zone; [calendar]'s is [store] timezone. */
		if (nc && !strcmp(name, "zone")) {
			struct sd_zone *z;

			if (sd_zone_load(&z, value, zone_dir) < 0)
				return sd_error_set(SD_ECONFIG, "%s", sd_error_message());
			sd_zone_free(nc->zone);
			nc->zone = z;
			return 0;
		}
	} else if (!strcmp(s, "lifecycle")) {
		if (!strcmp(name, "accept_window"))
			return duration(&cfg->accept_window, name, value);
		if (!strcmp(name, "info_window"))
			return duration(&cfg->info_window, name, value);
		if (!strcmp(name, "contact_attempts"))
			return number(&cfg->contact_attempts, name, value, 1, 99);
		if (!strcmp(name, "response_stops") || !strcmp(name, "resolution_stops")) {
			int c = !strcmp(name, "resolution_stops");
			int rc = set_list(&cfg->stops[c], &cfg->stops_given[c], value);
			for (size_t i = 0; rc == 0 && i < cfg->stops[c].n; i++)
				if (!sd_status_valid(cfg->stops[c].v[i]))
					rc = sd_error_set(SD_ECONFIG, _("%s: '%s' is not a status"), name,
					    cfg->stops[c].v[i]);
			return rc;
		}
		if (!strcmp(name, "required")) {
			int rc = set_list(&cfg->required, &cfg->required_given, value);
			for (size_t i = 0; rc == 0 && i < cfg->required.n; i++) {
				int f = sd_field_lookup(cfg->required.v[i]);
				if (f != SD_F_CATEGORY && f != SD_F_REQUESTER_EMAIL &&
				    f != SD_F_REQUESTER_PHONE && f != SD_F_URGENCY &&
				    f != SD_F_IMPACT)
					rc = sd_error_set(SD_ECONFIG,
					    _("required: '%s' is not one of category, requester_email, requester_phone, urgency, impact"),
					    cfg->required.v[i]);
			}
			return rc;
		}
		if (!strcmp(name, "channels")) {
			int rc = set_list(&cfg->channels, &cfg->channels_given, value);
			for (size_t i = 0; rc == 0 && i < cfg->channels.n; i++)
				if (!valid_name(cfg->channels.v[i], 0))
					rc = sd_error_set(SD_ECONFIG, _("channels: '%s' is not a valid name"),
					    cfg->channels.v[i]);
			if (rc == 0 && cfg->channels.n == 0)
				rc = sd_error_set(SD_ECONFIG, "%s", _("channels: the list is empty"));
			return rc;
		}
	} else if (!strcmp(s, "policy")) {
		for (int p = 0; p < SD_POLICY__COUNT; p++)
			if (!strcmp(name, policy_keys[p]))
				return yes_no(&cfg->policy[p], name, value);
	} else if (!strcmp(s, "mail")) {
		if (!strcmp(name, "keywords"))
			return set_list(&cfg->keywords, &cfg->keywords_given, value);
		if (!strcmp(name, "max_size"))
			return mail_size(&cfg->mail.max_size, name, value, SD_MAIL_SIZE_MAX);
		if (!strcmp(name, "max_text"))
			return mail_size(&cfg->mail.max_text, name, value, SD_MAIL_TEXT_DEFAULT);
		if (!strcmp(name, "max_depth"))
			return number(&cfg->mail.max_depth, name, value, 1, SD_MAIL_DEPTH_MAX);
		if (!strcmp(name, "max_parts"))
			return number(&cfg->mail.max_parts, name, value, 1, SD_MAIL_PARTS_MAX);
		if (!strcmp(name, "notes_per_hour"))
			return number(&cfg->mail.notes_per_hour, name, value, 0, 100000);
		if (!strcmp(name, "strangers")) {
			if (strcmp(value, "new") && strcmp(value, "refuse"))
				return sd_error_set(SD_ECONFIG, _("strangers must be new or refuse, not '%s'"),
				    value);
			cfg->refuse_strangers = !strcmp(value, "refuse");
			return 0;
		}
		if (!strcmp(name, "address")) {
			if (!sd__email_ok(value))
				return sd_error_set(SD_ECONFIG,
				    _("address must be one address such as desk@example.org, not '%s'"),
				    value);
			return set_str(&cfg->mail_address, value);
		}
		if (!strcmp(name, "name")) {
			if (!*value)
				return sd_error_set(SD_ECONFIG, "%s", _("name: the value is empty"));
			return set_str(&cfg->mail_name, value);
		}
		/* A command a commit could set would run on every clone. */
		if (!strcmp(name, "sendmail"))
			return sd_error_set(SD_ECONFIG, "%s", _("sendmail: set it with git config "
			    "sd.sendmail (machine-local), not in sd.ini"));
		if (!strcmp(name, "remind_before")) {
			cfg->remind_given = 1;
			return duration(&cfg->remind_before, name, value);
		}
	} else if (!strcmp(s, "words")) {
		static const char *const keys[SD_WORD__COUNT] = SD_WORD_KEYS;

		for (int w = 0; w < SD_WORD__COUNT; w++) {
			if (strcmp(name, keys[w]))
				continue;
			/* Written into tickets or shown beside them: one line. */
			if (!one_line(value))
				return sd_error_set(SD_ECONFIG, _("%s: one line of UTF-8 text, without control "
				    "characters"), name);
			return set_str(&cfg->words[w], value);
		}
	} else if (!strcmp(s, "sync")) {
		if (!strcmp(name, "lease"))
			return number(&cfg->sync.lease, name, value, 10, 1000000);
		if (!strcmp(name, "low"))
			return number(&cfg->sync.low, name, value, 0, 1000000);
		if (!strcmp(name, "tries"))
			return number(&cfg->sync.tries, name, value, 1, 100);
		if (!strcmp(name, "automation")) {
			if (strcmp(value, "hub") && strcmp(value, "everywhere"))
				return sd_error_set(SD_ECONFIG,
				    _("automation must be hub or everywhere, not '%s'"), value);
			cfg->sync.automation_hub = !strcmp(value, "hub");
			return 0;
		}
		if (!strcmp(name, "max_skew") || !strcmp(name, "timeout")) {
			struct sd_duration d;
			int rc = duration(&d, name, value);

			if (rc == 0 && d.unit != SD_DUR_WALL)
				rc = sd_error_set(SD_ECONFIG, _("%s: '%s' is not a duration in "
				    "clock time (Nm, Nh or Nd)"), name, value);
			if (rc == 0)
				*(!strcmp(name, "timeout") ? &cfg->sync.timeout : &cfg->sync.max_skew) =
				    d.amount;
			return rc;
		}
	} else if (!strcmp(s, "attachments")) {
		if (!strcmp(name, "max_size"))
			return mail_size(&cfg->attach.max_size, name, value, SD_ATTACH_SIZE_MAX);
		if (!strcmp(name, "max_per_ticket"))
			return mail_size(&cfg->attach.max_per_ticket, name, value, SD_ATTACH_SIZE_MAX);
	} else {
		return sd_error_set(SD_ECONFIG, _("unknown section [%s]"), s);
	}
	return unknown_key(ps, name);
}

static int
number(int *out, const char *key, const char *value, int lo, int hi)
{
	char *end;
	long n = strtol(value, &end, 10);

	if (!*value || *end || !isdigit((unsigned char)*value) || n < lo || n > hi)
		return sd_error_set(SD_ECONFIG, _("%s must be a whole number from %d to %d, not '%s'"),
		    key, lo, hi, value);
	*out = (int)n;
	return 0;
}

static int
sla_section(struct parse *ps, const char *name, const char *value)
{
	struct sd_config *cfg = ps->cfg;
	const char *s = ps->section;
	int type;

	if (!strcmp(s, "priority")) {
		char u[16], i[16];
		const char *dot = strchr(name, '.');
		int ui, ii;

		if (dot && dot - name < 16 && strlen(dot + 1) < 16) {
			memcpy(u, name, (size_t)(dot - name));
			u[dot - name] = '\0';
			strcpy(i, dot + 1);
			if ((ui = sd_level_word(u)) >= 0 && (ii = sd_level_word(i)) >= 0)
				return number(&cfg->priority[ui][ii], name, value, 1, 4);
		}
		return sd_error_set(SD_ECONFIG,
		    _("'%s' is not urgency.impact (high, medium or low each)"), name);
	}
	if (!strcmp(s, "sla")) {
		if (!strcmp(name, "warn"))
			return number(&cfg->warn, name, value, 1, 100);
		return unknown_key(ps, name);
	}
	if (!strcmp(s, "incident"))
		type = SD_TYPE_INCIDENT;
	else if (!strcmp(s, "request"))
		type = SD_TYPE_REQUEST;
	else
		return sd_error_set(SD_ECONFIG, _("unknown section [%s]"), s);
	/* sd.ini, and so the calendar, is read whole before sla.ini. */
	if (!strcmp(name, "calendar"))
		return calendar_index(&cfg->type_cal[type], cfg, name, value);
	if (!strncmp(name, "calendar.", 9) && name[9] >= '1' && name[9] <= '4' && !name[10])
		return calendar_index(&cfg->prio_cal[type][name[9] - '1'], cfg, name, value);
	if (!strcmp(name, "response")) {
		cfg->have_response[type] = 1;
		return duration(&cfg->response[type], name, value) < 0 ? SD_ECONFIG :
		    reachable(cfg, &cfg->response[type], name, value);
	}
	if (!strncmp(name, "resolution.", 11) && name[11] >= '1' && name[11] <= '4' && !name[12]) {
		int p = name[11] - '1';
		cfg->have_resolution[type][p] = 1;
		return duration(&cfg->resolution[type][p], name, value) < 0 ? SD_ECONFIG :
		    reachable(cfg, &cfg->resolution[type][p], name, value);
	}
	return unknown_key(ps, name);
}

static int
grow(void **v, size_t n, size_t size)
{
	void *p = realloc(*v, (n + 1) * size);

	if (!p)
		return sd__oom();
	*v = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

/* An agent's or a group's email: one address, for it goes into To:. */
static int
agent_email(const char **out, const char *value)
{
	if (!sd__email_ok(value))
		return sd_error_set(SD_ECONFIG,
		    _("email must be one address such as ana@example.org, not '%s'"), value);
	return set_str((char **)out, value);
}

static int
agents_section(struct parse *ps, const char *name, const char *value)
{
	struct sd_config *cfg = ps->cfg;

	if (ps->record_kind == 'g') {
		struct sd_group *g = ps->record;
		if (!strcmp(name, "level"))
			return number(&g->level, name, value, 1, 3);
		if (!strcmp(name, "provider"))
			return yes_no(&g->provider, name, value);
		if (!strcmp(name, "email"))
			return agent_email(&g->email, value);
		if (!strcmp(name, "calendar"))
			return calendar_index(&g->calendar, cfg, name, value);
	} else if (ps->record_kind == 'a') {
		struct sd_agent *a = ps->record;
		if (!strcmp(name, "name"))
			return set_str((char **)&a->name, value);
		if (!strcmp(name, "email"))
			return agent_email(&a->email, value);
		if (!strcmp(name, "login"))
			return set_str((char **)&a->login, value);
		if (!strcmp(name, "coordinator"))
			return yes_no(&a->coordinator, name, value);
		if (!strcmp(name, "groups")) {
			int rc = append_items((char ***)&a->groups, &a->ngroups, value);
			for (size_t i = 0; rc == 0 && i < a->ngroups; i++)
				if (!sd_config_group(cfg, a->groups[i]))
					rc = sd_error_set(SD_ECONFIG, _("unknown group '%s' (groups come before agents)"),
					    a->groups[i]);
			return rc;
		}
		if (!strcmp(name, "approves"))
			return append_items((char ***)&a->approves, &a->napproves, value);
	}
	return unknown_key(ps, name);
}

static int
escalation_section(struct parse *ps, const char *name, const char *value)
{
	struct sd_category *c = ps->record;
	const struct sd_group *g;

	if (!strncmp(name, "level", 5) && name[5] >= '1' && name[5] <= '3' && !name[6]) {
		int level = name[5] - '0';
		if (!(g = sd_config_group(ps->cfg, value)))
			return sd_error_set(SD_ECONFIG, _("unknown group '%s'"), value);
		if (g->level != level)
			return sd_error_set(SD_ECONFIG, _("group '%s' is level %d, not %d"),
			    value, g->level, level);
		return set_str((char **)&c->level[level - 1], value);
	}
	if (!strcmp(name, "approvals"))
		return append_items((char ***)&c->approvals, &c->napprovals, value);
	return unknown_key(ps, name);
}

/* A new [section]: check it, and open a record for agents and escalation. */
static int
begin_section(struct parse *ps, const char *section, int lineno)
{
	struct sd_config *cfg = ps->cfg;
	const char *arg;

	if (list_has(&ps->sections, section))
		return sd_error_set(SD_ECONFIG, _("duplicate section [%s]"), section);
	if (grow((void **)&ps->section_lines, ps->sections.n, sizeof(int)) < 0 ||
	    list_add(&ps->sections, section) < 0)
		return SD_EIO;
	ps->section_lines[ps->sections.n - 1] = lineno;
	snprintf(ps->section, sizeof(ps->section), "%s", section);
	ps->section_line = lineno;
	list_free(&ps->seen);
	ps->record = NULL;
	ps->record_kind = 0;
	if (ps->file == F_AGENTS) {
		if (!strncmp(section, "group ", 6)) {
			arg = section + 6;
			if (!valid_name(arg, 0))
				return sd_error_set(SD_ECONFIG, _("'%s' is not a valid group name"), arg);
			if (grow((void **)&cfg->groups, cfg->ngroups, sizeof(*cfg->groups)) < 0)
				return SD_EIO;
			ps->record = &cfg->groups[cfg->ngroups++];
			ps->record_kind = 'g';
			((struct sd_group *)ps->record)->calendar = -1;
			return set_str((char **)&((struct sd_group *)ps->record)->name, arg);
		}
		if (!strncmp(section, "agent ", 6)) {
			arg = section + 6;
			if (!valid_name(arg, 0))
				return sd_error_set(SD_ECONFIG, _("'%s' is not a valid agent id"), arg);
			if (grow((void **)&cfg->agents, cfg->nagents, sizeof(*cfg->agents)) < 0)
				return SD_EIO;
			ps->record = &cfg->agents[cfg->nagents++];
			ps->record_kind = 'a';
			return set_str((char **)&((struct sd_agent *)ps->record)->id, arg);
		}
		return sd_error_set(SD_ECONFIG, _("unknown section [%s] (want [group NAME] or [agent ID])"),
		    section);
	}
	if (ps->file == F_SD && !strncmp(section, "calendar ", 9)) {
		struct named_cal *nc;

		arg = section + 9;
		if (!valid_name(arg, 0) || !strcmp(arg, "default"))
			return sd_error_set(SD_ECONFIG, _("'%s' is not a valid calendar name"), arg);
		if (grow((void **)&cfg->cals, cfg->ncals, sizeof(*cfg->cals)) < 0)
			return SD_EIO;
		nc = &cfg->cals[cfg->ncals++];
		nc->line = lineno;
		ps->record = nc;
		ps->record_kind = 'k';
		if (sd_calendar_new(&nc->cal) < 0)
			return SD_EIO;
		return set_str(&nc->name, arg);
	}
	if (ps->file == F_SD || ps->file == F_SLA) {
		static const char *const known[2][9] = {
			{ "store", "calendar", "lifecycle", "policy", "mail", "attachments", "words", "sync", NULL },
			{ "priority", "incident", "request", "sla", NULL, NULL },
		};
		/* [sync] alone, with every key at its default, is a desk of sites. */
		if (ps->file == F_SD && !strcmp(section, "sync"))
			cfg->sync.given = 1;
		for (const char *const *k = known[ps->file]; *k; k++)
			if (!strcmp(section, *k))
				return 0;
		return sd_error_set(SD_ECONFIG, _("unknown section [%s]"), section);
	}
	if (ps->file == F_ESCALATION) {
		if (!valid_name(section, 1))
			return sd_error_set(SD_ECONFIG, _("'%s' is not a valid category name"), section);
		if (grow((void **)&cfg->categories, cfg->ncategories, sizeof(*cfg->categories)) < 0 ||
		    grow((void **)&cfg->category_lines, cfg->ncategories, sizeof(int)) < 0)
			return SD_EIO;
		cfg->category_lines[cfg->ncategories] = lineno;
		ps->record = &cfg->categories[cfg->ncategories++];
		ps->record_kind = 'c';
		return set_str((char **)&((struct sd_category *)ps->record)->name, section);
	}
	return 0;
}

static int
is_list_key(const char *name)
{
	static const char *const keys[] = {
		"holidays", "required", "channels", "keywords", "groups",
		"approves", "approvals", "push_refs", "response_stops", "resolution_stops", NULL
	};

	for (const char *const *k = keys; *k; k++)
		if (!strcmp(name, *k))
			return 1;
	return 0;
}

static int
handler(void *user, const char *section, const char *name, const char *value, int lineno)
{
	struct parse *ps = user;
	int rc;

	if (!name)
		return begin_section(ps, section, lineno) == 0;
	if (!*section)
		return sd_error_set(SD_ECONFIG, "%s", _("key outside any [section]")), 0;
	if (strcmp(section, ps->section) && begin_section(ps, section, lineno) < 0)
		return 0;
	if (list_has(&ps->seen, name) && !is_list_key(name))
		return sd_error_set(SD_ECONFIG, _("duplicate key '%s'"), name), 0;
	if (list_add(&ps->seen, name) < 0)
		return 0;
	switch (ps->file) {
	case F_SD:         rc = sd_section(ps, name, value); break;
	case F_SLA:        rc = sla_section(ps, name, value); break;
	case F_AGENTS:     rc = agents_section(ps, name, value); break;
	default:           rc = escalation_section(ps, name, value); break;
	}
	return rc == 0;
}

/* The line of [section] in the file just read, or 0 if it has none. */
static int
line_of(const struct parse *ps, const char *section)
{
	for (size_t i = 0; i < ps->sections.n; i++)
		if (!strcmp(ps->sections.v[i], section))
			return ps->section_lines[i];
	return 0;
}

/* "path:line" of a section, or "path" when the file has no such section. */
static const char *
where(char *buf, size_t size, const struct parse *ps, const char *path, const char *section)
{
	int line = line_of(ps, section);

	if (line)
		snprintf(buf, size, "%s:%d", path, line);
	else
		snprintf(buf, size, "%s", path);
	return buf;
}

/* What a file must hold once it is read whole. */
static int
check_file(struct sd_config *cfg, int file, const char *path, const struct parse *ps)
{
	char at[4096], name[300];

	static const char *const words[3] = { "high", "medium", "low" };
	static const char *const types[2] = { "incident", "request" };

	if (file == F_SD && !sd_calendar_is_open(cfg->cal))
		return sd_error_set(SD_ECONFIG, _("%s: [calendar] has no business hours"),
		    where(at, sizeof(at), ps, path, "calendar"));
	if (file == F_SD && sd_calendar_reach(cfg->cal, SD_DUR_BUSINESS) == 0)
		return sd_error_set(SD_ECONFIG,
		    _("%s: [calendar] has no business hours left for a due date: too many holidays"),
		    where(at, sizeof(at), ps, path, "calendar"));
	for (size_t i = 0; file == F_SD && i < cfg->ncals; i++) {
		const struct named_cal *nc = &cfg->cals[i];

		if (!sd_calendar_is_open(nc->cal))
			return sd_error_set(SD_ECONFIG, _("%s:%d: [calendar %s] has no business hours"),
			    path, nc->line, nc->name);
		if (sd_calendar_reach(nc->cal, SD_DUR_BUSINESS) == 0)
			return sd_error_set(SD_ECONFIG, _("%s:%d: [calendar %s] has no business hours "
			    "left for a due date: too many holidays"), path, nc->line, nc->name);
	}
	if (file == F_SD) {
		/* The windows in business time, once the calendar is whole. */
		const struct sd_duration *w[2] = { &cfg->accept_window, &cfg->info_window };
		static const char *const keys[2] = { "accept_window", "info_window" };

		for (int i = 0; i < 2; i++) {
			const struct sd_duration *d = w[i];
			char v[32];

			if (d->unit == SD_DUR_BUSINESS_DAYS)
				snprintf(v, sizeof(v), "%lldbd", d->amount);
			else if (d->amount % 3600)
				snprintf(v, sizeof(v), "%lldbm", d->amount / 60);
			else
				snprintf(v, sizeof(v), "%lldbh", d->amount / 3600);
			if (d->unit != SD_DUR_WALL && reachable(cfg, d, keys[i], v) < 0)
				return sd_error_set(SD_ECONFIG, "%s: %s",
				    where(at, sizeof(at), ps, path, "lifecycle"), sd_error_message());
		}
	}
	/* The reminder before a ticket goes unmanaged falls inside its window. */
	if (file == F_SD && cfg->remind_given) {
		const struct sd_duration *r = &cfg->remind_before, *w = &cfg->info_window;
		if (r->unit != SD_DUR_WALL && r->unit != w->unit)
			return sd_error_set(SD_ECONFIG,
			    _("%s: remind_before: business time before an info_window of another unit"),
			    where(at, sizeof(at), ps, path, "mail"));
		if (r->amount <= 0 || (r->unit == w->unit && r->amount >= w->amount))
			return sd_error_set(SD_ECONFIG,
			    _("%s: remind_before must be shorter than info_window"),
			    where(at, sizeof(at), ps, path, "mail"));
	}
	if (file == F_SLA) {
		char at2[2][4096];
		const char *ats[2] = { where(at2[0], sizeof(at2[0]), ps, path, types[0]),
			where(at2[1], sizeof(at2[1]), ps, path, types[1]) };

		if (reachable_named(cfg, ats) < 0)
			return SD_ECONFIG;
		for (int u = 0; u < 3; u++)
			for (int i = 0; i < 3; i++)
				if (!cfg->priority[u][i])
					return sd_error_set(SD_ECONFIG, _("%s: [priority] has no %s.%s"),
					    where(at, sizeof(at), ps, path, "priority"), words[u], words[i]);
		for (int t = 0; t < 2; t++) {
			where(at, sizeof(at), ps, path, types[t]);
			if (!cfg->have_response[t])
				return sd_error_set(SD_ECONFIG, _("%s: [%s] has no response"), at, types[t]);
			for (int p = 0; p < 4; p++)
				if (!cfg->have_resolution[t][p])
					return sd_error_set(SD_ECONFIG, _("%s: [%s] has no resolution.%d"),
					    at, types[t], p + 1);
		}
	}
	if (file == F_AGENTS) {
		for (size_t i = 0; i < cfg->ngroups; i++)
			if (!cfg->groups[i].level) {
				snprintf(name, sizeof(name), "group %s", cfg->groups[i].name);
				return sd_error_set(SD_ECONFIG, _("%s: [group %s] has no level"),
				    where(at, sizeof(at), ps, path, name), cfg->groups[i].name);
			}
		for (size_t i = 0; i < cfg->nagents; i++)
			for (size_t j = 0; j < i; j++)
				if (cfg->agents[i].login && cfg->agents[j].login &&
				    !strcmp(cfg->agents[i].login, cfg->agents[j].login))
					return sd_error_set(SD_ECONFIG, _("%s: agents %s and %s have the same login"),
					    path, cfg->agents[j].id, cfg->agents[i].id);
	}
	if (file == F_ESCALATION)
		for (size_t i = 0; i < cfg->ncategories; i++)
			if (!cfg->categories[i].level[0])
				return sd_error_set(SD_ECONFIG, _("%s:%d: [%s] has no level1 group"),
				    path, cfg->category_lines[i], cfg->categories[i].name);
	return 0;
}

static int
config_new(struct sd_config **out)
{
	struct sd_config *cfg = calloc(1, sizeof(*cfg));

	*out = cfg;
	if (!cfg || sd_calendar_new(&cfg->cal) < 0)
		return sd__oom();
	for (int p = 0; p < SD_POLICY__COUNT; p++)
		cfg->policy[p] = 1;
	cfg->accept_window = (struct sd_duration){ 48 * 3600, SD_DUR_WALL };
	cfg->info_window = (struct sd_duration){ 24 * 3600, SD_DUR_WALL };
	cfg->warn = 80;
	cfg->contact_attempts = 3;
	cfg->sync.lease = 1000;
	cfg->sync.low = 100;
	cfg->sync.tries = 5;
	cfg->sync.automation_hub = 1;
	cfg->sync.max_skew = 300;
	cfg->sync.timeout = 30;
	/* Today's pauses, and the response clock waits for approvals too;
	 * rejected and unmanaged stop both for good (lib/sla.c). */
	if (append_items(&cfg->stops[0].v, &cfg->stops[0].n,
	    "pending-info, suspended, awaiting-approval") < 0 ||
	    append_items(&cfg->stops[1].v, &cfg->stops[1].n, "pending-info, suspended") < 0)
		return SD_EIO;
	for (int t = 0; t < 2; t++) {
		cfg->type_cal[t] = -1;
		for (int p = 0; p < 4; p++)
			cfg->prio_cal[t][p] = -1;
	}
	cfg->mail = (struct sd_mail_limits){ SD_MAIL_SIZE_DEFAULT, SD_MAIL_DEPTH_DEFAULT,
	    SD_MAIL_PARTS_DEFAULT, SD_MAIL_NOTES_DEFAULT, SD_MAIL_TEXT_DEFAULT };
	cfg->attach = (struct sd_attach_limits){ SD_ATTACH_SIZE_DEFAULT, SD_ATTACH_TICKET_DEFAULT };
	if (set_str(&cfg->name, "Service desk") < 0 || set_str(&cfg->prefix, "SD") < 0 ||
	    set_str(&cfg->timezone, "UTC") < 0 ||
	    append_items(&cfg->channels.v, &cfg->channels.n, default_channels) < 0 ||
	    append_items(&cfg->required.v, &cfg->required.n, "category, requester_email") < 0)
		return SD_EIO;
	return 0;
}

static int
parse_file(struct sd_config *cfg, int file, const char *text, const char *path)
{
	struct parse ps = { 0 };
	int rc;

	ps.cfg = cfg;
	ps.file = file;
	rc = sd__ini_parse(text, strlen(text), path, SD_ECONFIG, handler, &ps);
	if (rc == 0)
		rc = check_file(cfg, file, path, &ps);
	list_free(&ps.seen);
	list_free(&ps.sections);
	free(ps.section_lines);
	return rc;
}

int
sd_config_parse(struct sd_config **out, const char *const texts[4],
    const char *const names[4])
{
	struct sd_config *cfg;
	int rc;

	*out = NULL;
	if ((rc = config_new(&cfg)) < 0)
		goto fail;
	for (int f = 0; f < 4; f++)
		if ((rc = parse_file(cfg, f, texts[f] ? texts[f] : "", names[f])) < 0)
			goto fail;
	if (!cfg->zone && (rc = sd_zone_load(&cfg->zone, cfg->timezone, zone_dir)) < 0) {
		rc = sd_error_set(SD_ECONFIG, "%s: %s", names[F_SD], sd_error_message());
		goto fail;
	}
	sd_calendar_set_zone(cfg->cal, cfg->zone);
	if (!(cfg->calv = calloc(cfg->ncals + 1, sizeof(*cfg->calv)))) {
		rc = sd__oom();
		goto fail;
	}
	cfg->calv[0] = cfg->cal;
	for (size_t i = 0; i < cfg->ncals; i++) {
		struct named_cal *nc = &cfg->cals[i];

		sd_calendar_set_zone(nc->cal, nc->zone ? nc->zone : cfg->zone);
		cfg->calv[i + 1] = nc->cal;
	}
	*out = cfg;
	return 0;
fail:
	sd_config_free(cfg);
	return rc;
}

int
sd_config_load(struct sd_config **out, const char *root)
{
	char *texts[4] = { NULL, NULL, NULL, NULL };
	char *paths[4] = { NULL, NULL, NULL, NULL };
	int rc = 0;

	*out = NULL;
	for (int f = 0; f < 4 && rc == 0; f++) {
		struct sd_buf b = SD_BUF_INIT;
		sd_buf__printf(&b, "%s/%s", root, sd_config_files[f]);
		if ((rc = sd_buf__check(&b)) < 0)
			break;
		paths[f] = sd_buf__detach(&b);
		/* A link or FIFO in a file's place is the layout's defect (65). */
		if ((rc = sd__read_regular(&texts[f], NULL, paths[f])) < 0 && rc != SD_EINVALID)
			rc = sd_error_set(SD_ECONFIG, "%s", sd_error_message());
	}
	if (rc == 0)
		rc = sd_config_parse(out, (const char *const *)texts, (const char *const *)paths);
	for (int f = 0; f < 4; f++) {
		free(texts[f]);
		free(paths[f]);
	}
	return rc;
}

int
sd_config_check_file(const struct sd_config *cfg, const char *root,
    const char *file, const char *text)
{
	char *texts[4] = { NULL, NULL, NULL, NULL };
	char *paths[4] = { NULL, NULL, NULL, NULL };
	struct sd_config *check = NULL;
	int rc = 0, which = -1;

	(void)cfg;
	for (int f = 0; f < 4; f++)
		if (!strcmp(file, sd_config_files[f]))
			which = f;
	if (which < 0)
		return sd_error_set(SD_EINVALID, _("%s is not a configuration file"), file);
	for (int f = 0; f < 4 && rc == 0; f++) {
		struct sd_buf b = SD_BUF_INIT;
		sd_buf__printf(&b, "%s/%s", root, sd_config_files[f]);
		if ((rc = sd_buf__check(&b)) < 0)
			break;
		paths[f] = sd_buf__detach(&b);
		if (f == which)
			rc = (texts[f] = sd__strdup(text)) ? 0 : sd__oom();
		else if ((rc = sd__read_regular(&texts[f], NULL, paths[f])) < 0)
			rc = sd_error_set(SD_ECONFIG, "%s", sd_error_message());
	}
	if (rc == 0)
		rc = sd_config_parse(&check, (const char *const *)texts, (const char *const *)paths);
	sd_config_free(check);
	for (int f = 0; f < 4; f++) {
		free(texts[f]);
		free(paths[f]);
	}
	return rc;
}

static void
free_strs(const char *const *v, size_t n)
{
	sd__free_list((char **)v, n);
}

void
sd_config_free(struct sd_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	free(cfg->prefix);
	free(cfg->timezone);
	free(cfg->language);
	for (int w = 0; w < SD_WORD__COUNT; w++)
		free(cfg->words[w]);
	free(cfg->mail_address);
	free(cfg->mail_name);
	sd_calendar_free(cfg->cal);
	for (size_t i = 0; i < cfg->ncals; i++) {
		free(cfg->cals[i].name);
		sd_calendar_free(cfg->cals[i].cal);
		sd_zone_free(cfg->cals[i].zone);
	}
	free(cfg->cals);
	free(cfg->calv);
	list_free(&cfg->stops[0]);
	list_free(&cfg->stops[1]);
	sd_zone_free(cfg->zone);
	list_free(&cfg->required);
	list_free(&cfg->channels);
	list_free(&cfg->keywords);
	list_free(&cfg->push_refs);
	for (size_t i = 0; i < cfg->ngroups; i++) {
		free((char *)cfg->groups[i].name);
		free((char *)cfg->groups[i].email);
	}
	free(cfg->groups);
	for (size_t i = 0; i < cfg->nagents; i++) {
		struct sd_agent *a = &cfg->agents[i];
		free((char *)a->id);
		free((char *)a->name);
		free((char *)a->email);
		free((char *)a->login);
		free_strs(a->groups, a->ngroups);
		free_strs(a->approves, a->napproves);
	}
	free(cfg->agents);
	for (size_t i = 0; i < cfg->ncategories; i++) {
		struct sd_category *c = &cfg->categories[i];
		free((char *)c->name);
		for (int l = 0; l < 3; l++)
			free((char *)c->level[l]);
		free_strs(c->approvals, c->napprovals);
	}
	free(cfg->categories);
	free(cfg->category_lines);
	free(cfg);
}

const char *sd_config_name(const struct sd_config *cfg) { return cfg->name; }
const char *sd_config_prefix(const struct sd_config *cfg) { return cfg->prefix; }
const char *sd_config_timezone(const struct sd_config *cfg) { return cfg->timezone; }
struct sd_calendar *sd_config_calendar(const struct sd_config *cfg) { return cfg->cal; }

size_t
sd_config_calendars(const struct sd_config *cfg, struct sd_calendar *const **out)
{
	*out = cfg->calv;
	return cfg->ncals + 1;
}

const char *
sd_config_calendar_name(const struct sd_config *cfg, int i)
{
	return i <= 0 || (size_t)i > cfg->ncals ? "default" : cfg->cals[i - 1].name;
}

int
sd_config_sla_calendar(const struct sd_config *cfg, enum sd_type type, int priority)
{
	if (priority >= 1 && priority <= 4 && cfg->prio_cal[type][priority - 1] >= 0)
		return cfg->prio_cal[type][priority - 1];
	return cfg->type_cal[type];
}

int
sd_config_stops(const struct sd_config *cfg, int clock, const char *status)
{
	return list_has(&cfg->stops[clock != 0], status);
}
const struct sd_zone *sd_config_zone(const struct sd_config *cfg) { return cfg ? cfg->zone : NULL; }
int sd_config_policy(const struct sd_config *cfg, enum sd_policy p) { return cfg->policy[p]; }
const struct sd_duration *sd_config_accept_window(const struct sd_config *cfg) { return &cfg->accept_window; }
const struct sd_duration *sd_config_info_window(const struct sd_config *cfg) { return &cfg->info_window; }
int sd_config_warn(const struct sd_config *cfg) { return cfg->warn; }
int sd_config_contact_attempts(const struct sd_config *cfg) { return cfg->contact_attempts; }
const struct sd_mail_limits *sd_config_mail_limits(const struct sd_config *cfg) { return &cfg->mail; }
const struct sd_attach_limits *sd_config_attach_limits(const struct sd_config *cfg) { return &cfg->attach; }
int sd_config_mail_refuse_strangers(const struct sd_config *cfg) { return cfg->refuse_strangers; }
const char *sd_config_language(const struct sd_config *cfg) { return cfg->language ? cfg->language : "en"; }
const char *sd_config_word(const struct sd_config *cfg, int w) { return w >= 0 && w < SD_WORD__COUNT ? cfg->words[w] : NULL; }
const char *sd_config_mail_address(const struct sd_config *cfg) { return cfg->mail_address; }
const struct sd_sync_config *sd_config_sync(const struct sd_config *cfg) { return &cfg->sync; }
const char *sd_config_mail_name(const struct sd_config *cfg) { return cfg->mail_name ? cfg->mail_name : cfg->name; }

const struct sd_duration *
sd_config_remind_before(const struct sd_config *cfg, struct sd_duration *buf)
{
	if (cfg->remind_given)
		return &cfg->remind_before;
	/* A quarter of info_window, in its unit; whole business days round up. */
	*buf = cfg->info_window;
	buf->amount = buf->unit == SD_DUR_BUSINESS_DAYS ? (buf->amount + 3) / 4 : buf->amount / 4;
	return buf;
}

size_t
sd_config_channels(const struct sd_config *cfg, const char *const **out)
{
	*out = (const char *const *)cfg->channels.v;
	return cfg->channels.n;
}

size_t
sd_config_push_refs(const struct sd_config *cfg, const char *const **out)
{
	*out = (const char *const *)cfg->push_refs.v;
	return cfg->push_refs.n;
}

size_t
sd_config_required(const struct sd_config *cfg, const char *const **out)
{
	*out = (const char *const *)cfg->required.v;
	return cfg->required.n;
}

size_t
sd_config_keywords(const struct sd_config *cfg, const char *const **out)
{
	*out = (const char *const *)cfg->keywords.v;
	return cfg->keywords.n;
}

int
sd_config_priority(const struct sd_config *cfg, int urgency, int impact)
{
	return cfg->priority[urgency][impact];
}

const struct sd_duration *
sd_config_response(const struct sd_config *cfg, enum sd_type type)
{
	return &cfg->response[type];
}

const struct sd_duration *
sd_config_resolution(const struct sd_config *cfg, enum sd_type type, int priority)
{
	return &cfg->resolution[type][priority - 1];
}

const struct sd_group *
sd_config_group(const struct sd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		if (!strcmp(cfg->groups[i].name, name))
			return &cfg->groups[i];
	return NULL;
}

const struct sd_agent *
sd_config_agent(const struct sd_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->nagents; i++)
		if (!strcmp(cfg->agents[i].id, id))
			return &cfg->agents[i];
	return NULL;
}

const struct sd_agent *
sd_config_agent_by_login(const struct sd_config *cfg, const char *login)
{
	const struct sd_agent *a = sd_config_agent(cfg, login);

	for (size_t i = 0; !a && i < cfg->nagents; i++)
		if (cfg->agents[i].login && !strcmp(cfg->agents[i].login, login))
			a = &cfg->agents[i];
	return a;
}

const struct sd_category *
sd_config_category(const struct sd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ncategories; i++)
		if (!strcmp(cfg->categories[i].name, name))
			return &cfg->categories[i];
	return NULL;
}

int
sd_config_has_channel(const struct sd_config *cfg, const char *channel)
{
	return list_has(&cfg->channels, channel);
}

size_t sd_config_group_count(const struct sd_config *cfg) { return cfg->ngroups; }
const struct sd_group *sd_config_group_at(const struct sd_config *cfg, size_t i) { return &cfg->groups[i]; }
size_t sd_config_agent_count(const struct sd_config *cfg) { return cfg->nagents; }
const struct sd_agent *sd_config_agent_at(const struct sd_config *cfg, size_t i) { return &cfg->agents[i]; }
size_t sd_config_category_count(const struct sd_config *cfg) { return cfg->ncategories; }
const struct sd_category *sd_config_category_at(const struct sd_config *cfg, size_t i) { return &cfg->categories[i]; }

int
sd_agent_level(const struct sd_config *cfg, const struct sd_agent *agent)
{
	int level = 0;

	for (size_t i = 0; i < agent->ngroups; i++) {
		const struct sd_group *g = sd_config_group(cfg, agent->groups[i]);
		if (g && (!level || g->level < level))
			level = g->level;
	}
	return level;
}

int
sd_agent_in_group(const struct sd_agent *agent, const char *group)
{
	for (size_t i = 0; i < agent->ngroups; i++)
		if (!strcmp(agent->groups[i], group))
			return 1;
	return 0;
}
