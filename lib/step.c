/*
 * The upkeep every change of a ticket passes through: an action's event
 * begun from its row, keys set only where the row lets them change, then
 * the status, `updated` and the due dates, and the whole change held to
 * the action table before it may be committed.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "step.h"
#include "sd/rules.h"
#include "sd/sla.h"
#include "sd/time.h"

/* The ticket's last event `at`, when at is earlier: a clock that went
 * back never dates an event before the ones the ticket has. */
static const char *
not_before_last(const struct sd_ticket *t, const char *at)
{
	size_t n = sd_ticket_event_count(t);
	const char *last = n ? sd_ticket_event_get(t, n - 1, "at") : NULL;
	time_t a, l;

	if (last && sd_time_parse(&a, NULL, at) == 0 && sd_time_parse(&l, NULL, last) == 0 &&
	    a < l)
		return last;
	return at;
}

static int
begin(struct sd__step *st, const struct sd_config *cfg, const struct sd_agent *agent,
    const char *action, struct sd_ticket *t, const char *at, int born, int exact)
{
	const char *status = sd_ticket_get(t, SD_F_STATUS);
	int rc;

	memset(st, 0, sizeof(*st));
	if (!(st->row = sd_action_find(action)))
		return sd_error_set(SD_EINVALID, _("unknown action '%s'"), action);
	st->cfg = cfg;
	st->agent = agent;
	st->t = t;
	snprintf(st->from, sizeof(st->from), "%s", status);
	snprintf(st->at, sizeof(st->at), "%s", exact ? at : not_before_last(t, at));
	at = st->at;
	if (!born && (rc = sd_rules_copy(&st->before, t)) < 0)
		return rc;
	/* A link on a final ticket adds to `related` and writes nothing else. */
	if (!(st->row->flags & SD_ACT_EVENT) ||
	    ((st->row->flags & SD_ACT_BARE_FINAL) && sd_status_final(status)))
		return 0;
	st->has_event = 1;
	return sd_ticket_event_add(t, &st->ev, at, agent ? agent->id : "sd", action);
}

int
sd__step_begin(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, struct sd_ticket *t,
    const char *at, int born)
{
	return begin(st, cfg, agent, action, t, at, born, 0);
}

int
sd__step_begin_exact(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, struct sd_ticket *t, const char *at)
{
	return begin(st, cfg, agent, action, t, at, 0, 1);
}

int
sd__step_begin_from(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, const struct sd_ticket *before,
    struct sd_ticket *t, const char *at)
{
	struct sd_ticket *copy = NULL;
	int rc;

	if ((rc = sd_rules_copy(&copy, before)) < 0)
		return rc;
	if ((rc = sd__step_begin(st, cfg, agent, action, t, at, 1)) < 0) {
		sd_ticket_free(copy);
		return rc;
	}
	st->before = copy;
	snprintf(st->from, sizeof(st->from), "%s", sd_ticket_get(before, SD_F_STATUS));
	return 0;
}

int
sd__step_priority(struct sd__step *st)
{
	int u = sd_level_rank(sd_ticket_get(st->t, SD_F_URGENCY));
	int i = sd_level_rank(sd_ticket_get(st->t, SD_F_IMPACT));

	if (st->row->keys[SD_F_PRIORITY] != SD_CALC || u < 0 || i < 0)
		return 0;
	return sd_ticket_set_number(st->t, SD_F_PRIORITY, sd_config_priority(st->cfg, u, i));
}

int
sd__step_set(struct sd__step *st, enum sd_field f, const char *value)
{
	if (st->row->keys[f] == SD_KEEP)
		return sd_error_set(SD_EINVALID, _("%s may not change %s"), st->row->name,
		    sd_field_name(f));
	return sd_ticket_set(st->t, f, value);
}

int
sd__step_count(struct sd__step *st, enum sd_field f)
{
	if (st->row->keys[f] != SD_STEP)
		return sd_error_set(SD_EINVALID, _("%s may not change %s"), st->row->name,
		    sd_field_name(f));
	return sd_ticket_set_number(st->t, f, sd_ticket_number(st->t, f) + 1);
}

int
sd__step_event(struct sd__step *st, const char *key, const char *value)
{
	if (!st->has_event || !sd_action_event_key(st->row, key))
		return sd_error_set(SD_EINVALID, _("[event %zu]: %s writes no '%s'"), st->ev + 1,
		    st->row->name, key);
	return sd_ticket_event_set(st->t, st->ev, key, value);
}

/* `updated` never goes back: an event sd-sync appends after later ones
 * leaves it at the later time. */
static const char *
later(const char *updated, const char *at)
{
	time_t u, a;

	return *updated && sd_time_parse(&u, NULL, updated) == 0 &&
	    sd_time_parse(&a, NULL, at) == 0 && u > a ? updated : at;
}

int
sd__step_apply(struct sd__step *st, const struct sd__plan *p)
{
	int rc = 0;

	if (p->solution && (rc = sd_ticket_set_text(st->t, SD_TEXT_SOLUTION, p->solution)) < 0)
		return rc;
	for (int f = 0; f < SD_F__COUNT && rc == 0; f++) {
		switch ((enum sd_how)st->row->keys[f]) {
		case SD_SET:
			if (p->set[f])
				rc = sd__step_set(st, f, p->set[f]);
			break;
		case SD_STAMP:
			rc = sd__step_set(st, f, f == SD_F_UPDATED ?
			    later(sd_ticket_get(st->t, f), st->at) : st->at);
			break;
		case SD_FIRST:
			if (!*sd_ticket_get(st->t, f))
				rc = sd__step_set(st, f, st->at);
			break;
		case SD_CLEAR:
			rc = sd__step_set(st, f, "");
			break;
		case SD_ACTOR:  /* an assignee: one of the group, under group_scope */
			if (!*sd_ticket_get(st->t, f) && st->agent &&
			    (!sd_config_policy(st->cfg, SD_POLICY_GROUP_SCOPE) ||
			    sd_agent_in_group(st->agent, sd_ticket_get(st->t, SD_F_GROUP))))
				rc = sd__step_set(st, f, st->agent->id);
			break;
		case SD_STEP:
			if (!p->hold[f])
				rc = sd__step_count(st, f);
			break;
		default:        /* kept, or computed by sd__step_finish */
			break;
		}
	}
	for (size_t i = 0; i < p->nevent && rc == 0; i++)
		rc = sd__step_event(st, p->event[i][0], p->event[i][1]);
	return rc;
}

int
sd__step_move(struct sd__step *st, const char *to)
{
	int rc;

	if (!strcmp(to, st->from) || sd_ticket_event_get(st->t, st->ev, "to"))
		return 0;
	if ((rc = sd__step_event(st, "from", st->from)) < 0)
		return rc;
	return sd__step_event(st, "to", to);
}

int
sd__step_finish(struct sd__step *st, const char *to)
{
	int rc;

	if (st->has_event) {
		if (((st->row->flags & SD_ACT_BORN) ? (rc = sd__step_event(st, "to", to)) :
		    (rc = sd__step_move(st, to))) < 0 ||
		    (rc = sd_ticket_set(st->t, SD_F_STATUS, to)) < 0 ||
		    (rc = sd_ticket_set(st->t, SD_F_UPDATED,
		    later(sd_ticket_get(st->t, SD_F_UPDATED), st->at))) < 0 ||
		    (rc = sd__step_priority(st)) < 0 ||
		    (rc = sd_sla_update(st->t, st->cfg)) < 0)
			return rc;
	}
	return sd_rules_check(st->cfg, NULL, st->agent, st->row->name, st->before, st->t, NULL, NULL);
}

void
sd__step_free(struct sd__step *st)
{
	sd_ticket_free(st->before);
	st->before = NULL;
}
