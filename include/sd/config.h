#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stddef.h>

#include "sd/calendar.h"
#include "sd/time.h"

/* The four configuration files of a store (sd-config(5)), loaded whole. */
struct sd_config;

struct sd_group {
	const char *name;
	int level;              /* 1..3 */
	int provider;
	const char *email;
	int calendar;           /* agents.ini calendar: sd_config_calendars index, or -1 */
};

struct sd_agent {
	const char *id, *name, *email, *login;
	const char *const *groups;
	size_t ngroups;
	int coordinator;
	const char *const *approves;
	size_t napproves;
};

struct sd_category {
	const char *name;
	const char *level[3];   /* the group at each level, or NULL */
	const char *const *approvals;
	size_t napprovals;
};

enum sd_policy {
	SD_POLICY_TRUST_ENV_AGENT,
	SD_POLICY_LEVEL1_REGISTERS,
	SD_POLICY_LEVEL1_CLOSES,
	SD_POLICY_LEVEL1_ESCALATES_FIRST,
	SD_POLICY_GROUP_SCOPE,
	SD_POLICY__COUNT
};

enum sd_type { SD_TYPE_INCIDENT, SD_TYPE_REQUEST };

/* The names of the configuration files, in the order they are loaded. */
extern const char *const sd_config_files[4];

/* Where the zone of [store] timezone is looked for by every parse after
 * this: the caller's $TZDIR, or NULL for SD_ZONE_DIR.  libsd reads no TZ
 * nor TZDIR of its own; the command layer (sd_cli_start) passes it, once,
 * before any thread starts. */
void sd_config_set_zone_dir(const char *dir);

/* Load root/{sd,sla,escalation,agents}.ini.  SD_ECONFIG naming file:line. */
int sd_config_load(struct sd_config **out, const char *root);
/* The same, from texts in memory (NULL for an empty file); names are
 * used in messages only. */
int sd_config_parse(struct sd_config **out, const char *const texts[4],
    const char *const names[4]);
/* Check one file's text alone, as sd-edit does before a commit: the other
 * files come from cfg. */
int sd_config_check_file(const struct sd_config *cfg, const char *root,
    const char *file, const char *text);
void sd_config_free(struct sd_config *cfg);

const char *sd_config_name(const struct sd_config *cfg);
const char *sd_config_prefix(const struct sd_config *cfg);
const char *sd_config_timezone(const struct sd_config *cfg);
/* The store's business calendar.  Its queries fill a cache of days, so it
 * is not const: one calendar serves one thread at a time (sd-report's
 * workers each copy it). */
struct sd_calendar *sd_config_calendar(const struct sd_config *cfg);
/* Every calendar of sd.ini: [calendar] first (index 0, "default"), then
 * each [calendar NAME] in file order; the count.  As sd_config_calendar,
 * one thread at a time. */
size_t sd_config_calendars(const struct sd_config *cfg, struct sd_calendar *const **out);
/* The name of calendar i of sd_config_calendars ("default" for 0). */
const char *sd_config_calendar_name(const struct sd_config *cfg, int i);
/* sla.ini's calendar for a ticket of type and priority: [type]
 * calendar.N, else [type] calendar; -1 when it names none. */
int sd_config_sla_calendar(const struct sd_config *cfg, enum sd_type type, int priority);
/* Does status pause clock (0 response, 1 resolution)?  [lifecycle]
 * response_stops and resolution_stops. */
int sd_config_stops(const struct sd_config *cfg, int clock, const char *status);
/* The zone of [store] timezone, loaded with the configuration: every
 * local time sd reads or writes is in it.  NULL (UTC) for a NULL cfg. */
const struct sd_zone *sd_config_zone(const struct sd_config *cfg);
int sd_config_policy(const struct sd_config *cfg, enum sd_policy p);
const struct sd_duration *sd_config_accept_window(const struct sd_config *cfg);
const struct sd_duration *sd_config_info_window(const struct sd_config *cfg);
int sd_config_warn(const struct sd_config *cfg);
/* [lifecycle] contact_attempts: failed attempts before no-contact (3). */
int sd_config_contact_attempts(const struct sd_config *cfg);

/* The [mail] limits of sd-mail(1): the largest message, in bytes; the
 * most multiparts and attached messages one inside another; the most MIME
 * parts, containers included; the most notes by mail one ticket takes in
 * an hour (0: no limit); the most bytes of a message's text put into a
 * ticket. */
#define SD_MAIL_SIZE_MAX (64UL * 1024 * 1024)
#define SD_MAIL_SIZE_DEFAULT (10UL * 1024 * 1024)
#define SD_MAIL_DEPTH_MAX 100
#define SD_MAIL_DEPTH_DEFAULT 10
#define SD_MAIL_PARTS_MAX 1000      /* well inside SD_MAIL_SCAN_MAX */
#define SD_MAIL_PARTS_DEFAULT 100
#define SD_MAIL_NOTES_DEFAULT 20
#define SD_MAIL_TEXT_DEFAULT (1024UL * 1024)
struct sd_mail_limits {
	size_t max_size;
	int max_depth, max_parts, notes_per_hour;
	size_t max_text;
};
const struct sd_mail_limits *sd_config_mail_limits(const struct sd_config *cfg);
/* The [attachments] limits (sd/attach.h): the bytes of one attachment,
 * and of all of one ticket's. */
struct sd_attach_limits {
	size_t max_size, max_per_ticket;
};
const struct sd_attach_limits *sd_config_attach_limits(const struct sd_config *cfg);
/* [mail] strangers: 1 for refuse (a stranger's mail to a ticket is
 * ignored), 0 for new (it registers a new ticket related to it). */
int sd_config_mail_refuse_strangers(const struct sd_config *cfg);
/* The desk's outgoing mail (sd(7) EMAIL CONVERSATION): [store] language
 * of its templates ("en" unless set, or "es"); [mail] address, the From:
 * address and the domain of every Message-ID (NULL when unset: no mail is
 * sent); [mail] name, the From: display name (the store's name unless
 * set); [mail] remind_before, how long before a pending-info ticket becomes unmanaged
 * the requester is reminded (default a quarter of info_window, in its
 * unit, whole business days rounded up; buf holds that default). */
const char *sd_config_language(const struct sd_config *cfg);
/* [words]: the desk's own word w (enum sd_word, sd/words.h), or NULL. */
const char *sd_config_word(const struct sd_config *cfg, int w);
const char *sd_config_mail_address(const struct sd_config *cfg);
const char *sd_config_mail_name(const struct sd_config *cfg);

/* sd.ini [sync] (sd-sync(1)): a desk of many sites through one hub.
 * given: the section is there (without it, no leases: numbering as in a
 * store alone).  Durations in seconds. */
struct sd_sync_config {
	int given;
	int lease;              /* numbers in a block a site is leased (1000) */
	int low;                /* a new block asked for under this many left (100) */
	int tries;              /* fetch, replay and push rounds before giving up (5) */
	int automation_hub;     /* automation = hub (the default): automation only at the hub */
	long long max_skew;     /* the hub refuses events later than its clock + this (300) */
	long long timeout;      /* for the hub to answer (30) */
};
const struct sd_sync_config *sd_config_sync(const struct sd_config *cfg);
const struct sd_duration *sd_config_remind_before(const struct sd_config *cfg,
    struct sd_duration *buf);

/* The [lifecycle] lists. */
size_t sd_config_channels(const struct sd_config *cfg, const char *const **out);
size_t sd_config_required(const struct sd_config *cfg, const char *const **out);
size_t sd_config_keywords(const struct sd_config *cfg, const char *const **out);
/* [store] push_refs: the refs other than the store's branch that a push
 * into a central repository may move (names or fnmatch(3) globs). */
size_t sd_config_push_refs(const struct sd_config *cfg, const char *const **out);

/* urgency and impact: 0 high, 1 medium, 2 low.  Returns 1..4. */
int sd_config_priority(const struct sd_config *cfg, int urgency, int impact);
const struct sd_duration *sd_config_response(const struct sd_config *cfg,
    enum sd_type type);
const struct sd_duration *sd_config_resolution(const struct sd_config *cfg,
    enum sd_type type, int priority);

/* Look-ups: NULL when there is none.  Borrowed from cfg. */
const struct sd_group *sd_config_group(const struct sd_config *cfg, const char *name);
const struct sd_agent *sd_config_agent(const struct sd_config *cfg, const char *id);
const struct sd_agent *sd_config_agent_by_login(const struct sd_config *cfg,
    const char *login);
const struct sd_category *sd_config_category(const struct sd_config *cfg,
    const char *name);
int sd_config_has_channel(const struct sd_config *cfg, const char *channel);

/* Iteration, in file order. */
size_t sd_config_group_count(const struct sd_config *cfg);
const struct sd_group *sd_config_group_at(const struct sd_config *cfg, size_t i);
size_t sd_config_agent_count(const struct sd_config *cfg);
const struct sd_agent *sd_config_agent_at(const struct sd_config *cfg, size_t i);
size_t sd_config_category_count(const struct sd_config *cfg);
const struct sd_category *sd_config_category_at(const struct sd_config *cfg, size_t i);

/* The lowest level of agent's groups (1..3), or 0 if it has none. */
int sd_agent_level(const struct sd_config *cfg, const struct sd_agent *agent);
int sd_agent_in_group(const struct sd_agent *agent, const char *group);

#endif
