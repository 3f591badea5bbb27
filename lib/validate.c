/*
 * Checking values: one field's value against SPEC section 4 and the
 * store's configuration, a text, or a whole ticket, fields and events.
 * Above both the ticket and the configuration, which know nothing of it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/format.h"
#include "sd/id.h"
#include "sd/ticket.h"
#include "sd/time.h"
#include "sd/validate.h"

#define TEXT_MAX SD_TEXT_MAX
#define TITLE_MAX 1000

int
sd_text_check(const char *text, size_t len)
{
	if (len > TEXT_MAX)
		return sd_error_set(SD_EINVALID, _("text is longer than %d bytes"), TEXT_MAX);
	if (!sd__utf8_valid(text, len))
		return sd_error_set(SD_EINVALID, "%s", _("text is not valid UTF-8 or holds a NUL"));
	return 0;
}

/* A control character, C0, DEL or C1 (U+0080..U+009F), anywhere in s. */
static int
has_ctl(const char *s)
{
	for (; *s; s++)
		if (sd_control_len(s))
			return 1;
	return 0;
}

int
sd__msgid_ok(const char *s)
{
	size_t n = strnlen(s, SD__MSGID_MAX + 1);

	if (n == 0 || n > SD__MSGID_MAX)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '<' || *s == '>')
			return 0;
	return 1;
}

int
sd_provider_ref_check(const char *ref)
{
	size_t n = strlen(ref);
	const unsigned char *s = (const unsigned char *)ref;

	if (n == 0 || n > SD_PROVIDER_REF_MAX)
		return sd_error_set(SD_EINVALID, _("provider_ref must be 1 to %d bytes"),
		    SD_PROVIDER_REF_MAX);
	if (!sd__utf8_valid(ref, n))
		return sd_error_set(SD_EINVALID, "%s", _("provider_ref is not valid UTF-8"));
	if (s[0] == ' ' || s[n - 1] == ' ')
		return sd_error_set(SD_EINVALID, "%s", _("provider_ref starts or ends with a space"));
	for (size_t i = 0; i < n; i++)
		/* C0, DEL, and C1 (U+0080..U+009F: 0xc2 0x80..0x9f). */
		if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && i + 1 < n && s[i + 1] < 0xa0))
			return sd_error_set(SD_EINVALID, "%s",
			    _("provider_ref holds a control character: give it on one line"));
	return 0;
}

static int
is_phone(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr("+-() .x", *s))
			return 0;
	}
	return digits >= 3 && digits <= 20;
}

static int
is_number(const char *s, long lo, long hi)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*s) || strlen(s) > 9 || (s[0] == '0' && s[1]))
		return 0;
	n = strtol(s, &end, 10);
	return !*end && n >= lo && n <= hi;
}

static int
check_words(const struct sd_config *cfg, enum sd_field f, const char *v)
{
	char word[256];
	const char *p = v;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (n == 0 || n >= sizeof(word))
			return 0;
		memcpy(word, p, n);
		word[n] = '\0';
		if (f == SD_F_RELATED || f == SD_F_PROBLEM || f == SD_F_INCIDENTS) {
			long id;
			if (cfg && (sd_id_parse(&id, sd_config_prefix(cfg), word) < 0 ||
			    strncmp(word, sd_config_prefix(cfg), strlen(sd_config_prefix(cfg)))))
				return 0;
		}
		p += n;
		if (*p == ' ' && *++p == '\0')
			return 0;
	}
	return 1;
}

int
sd_field_check(const struct sd_config *cfg, enum sd_field f, const char *v)
{
	static const char *const types[] = { "incident", "request", "problem", NULL };
	static const char *const codes[] = { "solved", "workaround", "unsolvable", "no-contact", NULL };
	const char *name = sd_field_name(f);
	time_t t;

	if (!*v)
		return f == SD_F_ID || f == SD_F_TYPE || f == SD_F_STATUS || f == SD_F_TITLE ||
		    f == SD_F_CHANNEL ||
		    f == SD_F_PRIORITY || f == SD_F_LEVEL || f == SD_F_GROUP ||
		    f == SD_F_REQUESTER || f == SD_F_CREATED || f == SD_F_ESCALATIONS ||
		    f == SD_F_REOPENED || f == SD_F_CONTACT_ATTEMPTS ?
		    sd_error_set(SD_EINVALID, _("%s must not be empty"), name) : 0;
	if (!sd__utf8_valid(v, strlen(v)))
		return sd_error_set(SD_EINVALID, _("%s is not valid UTF-8"), name);
	/* No field is more than a line, and none holds a control. */
	if (has_ctl(v))
		return sd_error_set(SD_EINVALID, _("%s has a control character"), name);
	switch (f) {
	case SD_F_ID: {
		long id;
		if (!cfg || (sd_id_parse(&id, sd_config_prefix(cfg), v) == 0 &&
		    !strncmp(v, sd_config_prefix(cfg), strlen(sd_config_prefix(cfg)))))
			return 0;
		return sd_error_set(SD_EINVALID, _("id '%s' is not a ticket id"), v);
	}
	case SD_F_TYPE:
		return sd__word_in(v, types) ? 0 : sd_error_set(SD_EINVALID,
		    _("type must be incident, request or problem, not '%s'"), v);
	case SD_F_STATUS:
		return sd_status_valid(v) ? 0 : sd_error_set(SD_EINVALID,
		    _("'%s' is not a status"), v);
	case SD_F_TITLE:
	case SD_F_REQUESTER:
	case SD_F_CLOSE_REASON:
		if (strlen(v) > TITLE_MAX)
			return sd_error_set(SD_EINVALID, _("%s is longer than %d bytes"), name, TITLE_MAX);
		return 0;
	case SD_F_CATEGORY:
		return !cfg || sd_config_category(cfg, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("unknown category '%s'"), v);
	case SD_F_CHANNEL:
		return !cfg || sd_config_has_channel(cfg, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("unknown channel '%s'"), v);
	case SD_F_URGENCY:
	case SD_F_IMPACT:
		return sd_level_word(v) >= 0 ? 0 :
		    sd_error_set(SD_EINVALID, _("%s must be high, medium or low, not '%s'"), name, v);
	case SD_F_PRIORITY:
		return is_number(v, 1, 4) ? 0 :
		    sd_error_set(SD_EINVALID, _("priority must be 1 to 4, not '%s'"), v);
	case SD_F_LEVEL:
		return is_number(v, 1, 3) ? 0 :
		    sd_error_set(SD_EINVALID, _("level must be 1 to 3, not '%s'"), v);
	case SD_F_RATING:
		return is_number(v, 1, 5) ? 0 :
		    sd_error_set(SD_EINVALID, _("rating must be 1 to 5, not '%s'"), v);
	case SD_F_ESCALATIONS:
	case SD_F_REOPENED:
	case SD_F_CONTACT_ATTEMPTS:
		return is_number(v, 0, 999999) ? 0 :
		    sd_error_set(SD_EINVALID, _("%s must be a whole number, not '%s'"), name, v);
	case SD_F_GROUP:
		return !cfg || sd_config_group(cfg, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("unknown group '%s'"), v);
	case SD_F_ASSIGNEE:
		return !cfg || sd_config_agent(cfg, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("unknown agent '%s'"), v);
	case SD_F_REQUESTER_EMAIL:
		return sd__email_ok(v) ? 0 :
		    sd_error_set(SD_EINVALID, _("'%s' is not an email address"), v);
	case SD_F_REQUESTER_PHONE:
		return is_phone(v) ? 0 :
		    sd_error_set(SD_EINVALID, _("'%s' is not a phone number"), v);
	case SD_F_CREATED: case SD_F_UPDATED: case SD_F_RESPONDED: case SD_F_SOLVED:
	case SD_F_CLOSED: case SD_F_DUE_RESPONSE: case SD_F_DUE_RESOLUTION:
		/* A time with its offset: the same instant in any zone. */
		return sd_time_parse(&t, NULL, v) == 0 && strlen(v) > 10 ? 0 :
		    sd_error_set(SD_EINVALID, _("%s: '%s' is not an RFC 3339 time"), name, v);
	case SD_F_RESOLUTION:
		return sd__word_in(v, codes) ? 0 : sd_error_set(SD_EINVALID,
		    _("resolution must be solved, workaround, unsolvable or no-contact, not '%s'"), v);
	case SD_F_RELATED:
		return check_words(cfg, f, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("related must be ticket ids separated by one space, not '%s'"), v);
	case SD_F_PROBLEM:
		return check_words(cfg, f, v) && !strchr(v, ' ') ? 0 :
		    sd_error_set(SD_EINVALID, _("problem must be one ticket id, not '%s'"), v);
	case SD_F_INCIDENTS:
		return check_words(cfg, f, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("incidents must be ticket ids separated by one space, not '%s'"), v);
	case SD_F_APPROVALS:
		return check_words(cfg, f, v) ? 0 :
		    sd_error_set(SD_EINVALID, _("approvals must be roles separated by one space, not '%s'"), v);
	case SD_F__COUNT:
		break;
	}
	return 0;
}

/* The keys of problem management on the tickets they belong to: a
 * problem lists its incidents and may be a known error; an incident
 * names its problem. */
static int
problem_check(const struct sd_ticket *t)
{
	int problem = !strcmp(sd_ticket_get(t, SD_F_TYPE), "problem");

	if (*sd_ticket_get(t, SD_F_INCIDENTS) && !problem)
		return sd_error_set(SD_EINVALID, "%s", _("incidents: only a problem lists incidents"));
	if (*sd_ticket_get(t, SD_F_PROBLEM) && strcmp(sd_ticket_get(t, SD_F_TYPE), "incident"))
		return sd_error_set(SD_EINVALID, "%s", _("problem: only an incident names its problem"));
	if (!strcmp(sd_ticket_get(t, SD_F_STATUS), "known-error") && !problem)
		return sd_error_set(SD_EINVALID, "%s", _("only a problem is a known error"));
	return 0;
}

int
sd_ticket_check(const struct sd_ticket *t, const struct sd_config *cfg)
{
	int rc;

	for (int f = 0; f < SD_F__COUNT; f++)
		if ((rc = sd_field_check(cfg, f, sd_ticket_get(t, f))) < 0)
			return rc;
	if ((rc = problem_check(t)) < 0)
		return rc;
	for (int i = 0; i < 2; i++)
		if ((rc = sd_text_check(sd_ticket_text(t, i), strlen(sd_ticket_text(t, i)))) < 0)
			return rc;
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *at = sd_ticket_event_get(t, i, "at");
		const char *by = sd_ticket_event_get(t, i, "by");
		const char *action = sd_ticket_event_get(t, i, "action");
		time_t when;

		if (!at || sd_time_parse(&when, NULL, at) < 0 || strlen(at) <= 10)
			return sd_error_set(SD_EINVALID, _("[event %zu] has no valid 'at' time"), i + 1);
		if (!by || !*by)
			return sd_error_set(SD_EINVALID, _("[event %zu] has no 'by'"), i + 1);
		if (!action || !*action)
			return sd_error_set(SD_EINVALID, _("[event %zu] has no 'action'"), i + 1);
		const char *att = sd_ticket_event_get(t, i, "attachment");
		const char *mid = sd_ticket_event_get(t, i, "message_id");
		const char *ref = sd_ticket_event_get(t, i, "provider_ref");
		const char *sup = sd_ticket_event_get(t, i, "superseded");
		const char *ovr = sd_ticket_event_get(t, i, "overridden");

		/* sd-sync's: the hub's commit a move gave way to; a losing value. */
		if (sup && (strlen(sup) != 40 || !sd__is_hex(sup, 40)))
			return sd_error_set(SD_EINVALID, _("[event %zu] superseded is not a commit "
			    "(40 hex digits)"), i + 1);
		if (ovr && (!strchr(ovr, ':') || *ovr == ':'))
			return sd_error_set(SD_EINVALID, _("[event %zu] overridden is not KEY:VALUE"),
			    i + 1);

		/* Written back into the desk's mail headers. */
		if (mid && !sd__msgid_ok(mid))
			return sd_error_set(SD_EINVALID, _("[event %zu] message_id is not a message id: "
			    "printable ASCII without blanks or <>, at most %d bytes"), i + 1, SD__MSGID_MAX);

		if (ref && sd_provider_ref_check(ref) < 0)
			return sd_error_set(SD_EINVALID, "[event %zu] %s", i + 1, sd_error_message());

		if (att && sd_attach_value_check(att) < 0)
			return sd_error_set(SD_EINVALID, _("[event %zu] attachment: %s"), i + 1,
			    sd_error_message());
	}
	return 0;
}
