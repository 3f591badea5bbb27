/*
 * Holding one ticket's change to the action table: given the ticket before
 * and after, the action and who took it, is every key it changed one the
 * action may change, in the way it may, its event appended as the action
 * writes it, its status moved as the transition table says, its computed
 * keys equal to what the clock and the matrix compute?  The commands check
 * their own changes with it before committing; sd-fsck --commits, and so
 * the pre-receive hook, check every pushed commit with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/action.h"
#include "sd/desk.h"
#include "sd/rules.h"
#include "sd/sla.h"
#include "sd/time.h"
#include "sd/workflow.h"

struct check {
	sd_rules_fn fn;
	void *arg;
	int first;              /* the code of the first finding, or 0 */
	char message[1024];     /* its message */
};

static void
finding(struct check *k, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
finding(struct check *k, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!k->first) {
		k->first = code;
		snprintf(k->message, sizeof(k->message), "%s", msg);
	}
	if (k->fn)
		k->fn(code, msg, k->arg);
}

const char *
sd_rules_before_suspension(const struct sd_ticket *t)
{
	for (size_t i = sd_ticket_event_count(t); i-- > 0;) {
		const char *to = sd_ticket_event_get(t, i, "to");
		if (to && !strcmp(to, "suspended"))
			return sd_ticket_event_get(t, i, "from");
	}
	return NULL;
}

int
sd_rules_copy(struct sd_ticket **out, const struct sd_ticket *t)
{
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sd_ticket_format(&text, &len, t)) == 0)
		rc = sd_ticket_parse(out, text, len, "ticket", SD_PARSE_FULL);
	free(text);
	return rc;
}

/* A ticket as it stands before it is born: empty, its counters 0. */
static int
unborn(struct sd_ticket **out)
{
	int rc;

	if ((rc = sd_ticket_new(out)) < 0)
		return rc;
	if ((rc = sd_ticket_set(*out, SD_F_ESCALATIONS, "0")) < 0 ||
	    (rc = sd_ticket_set(*out, SD_F_REOPENED, "0")) < 0 ||
	    (rc = sd_ticket_set(*out, SD_F_CONTACT_ATTEMPTS, "0")) < 0) {
		sd_ticket_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Does the move from -> to fit the transition table's `to`? */
static int
fits(const struct sd_ticket *before, const struct sd_ticket *after, const char *table_to,
    const struct sd_config *cfg)
{
	const char *to = sd_ticket_get(after, SD_F_STATUS);

	if (!strcmp(table_to, "(previous)")) {
		const char *was = sd_rules_before_suspension(before);
		if (!was)
			was = *sd_ticket_get(before, SD_F_ASSIGNEE) ? "assigned" : "new";
		return !strcmp(was, to);
	}
	if (!strcmp(table_to, "escalated|provider")) {
		const struct sd_group *g = sd_config_group(cfg, sd_ticket_get(after, SD_F_GROUP));
		return !strcmp(to, g && g->provider ? "provider" : "escalated");
	}
	if (!strcmp(table_to, "awaiting-approval|new"))
		return !strcmp(to, *sd_ticket_get(after, SD_F_APPROVALS) ? "awaiting-approval" : "new");
	if (!strcmp(table_to, "new|awaiting-approval"))
		return !strcmp(to, "new") || !strcmp(to, "awaiting-approval");
	return !strcmp(table_to, to);
}

/* The events of before are those of after, unchanged, in order. */
static int
events_kept(const struct sd_ticket *before, const struct sd_ticket *after, size_t *changed)
{
	size_t nb = sd_ticket_event_count(before);

	for (size_t i = 0; i < nb && i < sd_ticket_event_count(after); i++) {
		size_t nk = sd_ticket_event_keys(before, i);
		if (nk != sd_ticket_event_keys(after, i)) {
			*changed = i;
			return 0;
		}
		for (size_t k = 0; k < nk; k++)
			if (strcmp(sd_ticket_event_key(before, i, k), sd_ticket_event_key(after, i, k)) ||
			    strcmp(sd_ticket_event_value(before, i, k), sd_ticket_event_value(after, i, k))) {
				*changed = i;
				return 0;
			}
	}
	*changed = nb;
	return sd_ticket_event_count(after) >= nb;
}

/* May row's event have key (value)?  Besides its own, any event may say
 * `overridden = KEY:VALUE` (sd-sync: the value of a key both sides
 * changed that lost) when the action may change KEY, and `superseded`
 * (sd_rules_check holds that one apart). */
static int
event_key(const struct sd_action *row, const char *key, const char *value)
{
	if (!strcmp(key, "superseded"))
		return 1;
	if (!strcmp(key, "overridden")) {
		size_t n = strcspn(value, ":");
		int f;

		if (!value[n])
			return 0;
		if (n == 11 && !strncmp(value, "description", n))
			return (row->texts & SD_TEXTS_DESCRIPTION) != 0;
		for (f = 0; f < SD_F__COUNT; f++)
			if (strlen(sd_field_name(f)) == n && !strncmp(value, sd_field_name(f), n))
				return row->keys[f] != SD_KEEP;
		return 0;
	}
	return sd_action_event_key(row, key);
}

/* A move no longer legal where sd-sync replayed it: the event appended
 * as it was, with `superseded = <commit>`, and nothing else changed (the
 * ticket's keys, its texts); the clocks ignore it. */
static void
check_superseded(struct check *k, const struct sd_action *row, const struct sd_agent *agent,
    const struct sd_ticket *before, const struct sd_ticket *after)
{
	size_t nb = sd_ticket_event_count(before), changed;
	const char *sup = sd_ticket_event_get(after, nb, "superseded");
	const char *by = sd_ticket_event_get(after, nb, "by");

	if (!events_kept(before, after, &changed) || sd_ticket_event_count(after) != nb + 1) {
		finding(k, SD_EINVALID, "%s", _("a superseded event is appended alone"));
		return;
	}
	if (strlen(sup) != 40 || !sd__is_hex(sup, 40))
		finding(k, SD_EINVALID, _("[event %zu]: superseded = %s is not a commit (40 hex "
		    "digits)"), nb + 1, sup);
	if (strcmp(sd_ticket_event_get(after, nb, "action"), row->name))
		finding(k, SD_EINVALID, _("[event %zu] is a %s, in a commit whose action is %s"),
		    nb + 1, sd_ticket_event_get(after, nb, "action"), row->name);
	if (strcmp(by, agent ? agent->id : "sd"))
		finding(k, SD_EINVALID, _("[event %zu] is by %s, not by %s who made the commit"),
		    nb + 1, by, agent ? agent->id : "sd");
	for (size_t i = 0; i < sd_ticket_event_keys(after, nb); i++)
		if (!event_key(row, sd_ticket_event_key(after, nb, i),
		    sd_ticket_event_value(after, nb, i)))
			finding(k, SD_EINVALID, _("[event %zu]: %s writes no '%s'"), nb + 1, row->name,
			    sd_ticket_event_key(after, nb, i));
	for (int f = 0; f < SD_F__COUNT; f++)
		if (strcmp(sd_ticket_get(before, f), sd_ticket_get(after, f)))
			finding(k, SD_EINVALID, _("[event %zu] is superseded, yet %s changed ('%s' -> "
			    "'%s')"), nb + 1, sd_field_name(f), sd_ticket_get(before, f),
			    sd_ticket_get(after, f));
	for (int x = 0; x < 2; x++)
		if (strcmp(sd_ticket_text(before, x), sd_ticket_text(after, x)))
			finding(k, SD_EINVALID, _("[event %zu] is superseded, yet [%s] changed"), nb + 1,
			    x ? "solution" : "description");
}

/* The new event: appended by the action, as the action writes it. */
static const char *
check_event(struct check *k, const struct sd_action *row, const struct sd_agent *agent,
    const struct sd_ticket *before, const struct sd_ticket *after, int wants_event)
{
	size_t nb = sd_ticket_event_count(before), na = sd_ticket_event_count(after), changed;
	const char *from = sd_ticket_get(before, SD_F_STATUS), *to = sd_ticket_get(after, SD_F_STATUS);
	const char *ev_from, *ev_to, *by, *at;

	if (!events_kept(before, after, &changed)) {
		if (changed < nb)
			finding(k, SD_EINVALID, _("[event %zu] changed: events are only appended"),
			    changed + 1);
		else
			finding(k, SD_EINVALID, "%s", _("events removed: events are only appended"));
		return NULL;
	}
	if (!wants_event) {
		if (na != nb)
			finding(k, SD_EINVALID, _("%s on a %s ticket adds no event"), row->name, from);
		return NULL;
	}
	if (na != nb + 1) {
		finding(k, SD_EINVALID, _("%s appends one event, not %zu"), row->name, na - nb);
		return NULL;
	}
	if (strcmp(sd_ticket_event_get(after, nb, "action"), row->name))
		finding(k, SD_EINVALID, _("[event %zu] is a %s, in a commit whose action is %s"),
		    nb + 1, sd_ticket_event_get(after, nb, "action"), row->name);
	by = sd_ticket_event_get(after, nb, "by");
	if (strcmp(by, agent ? agent->id : "sd"))
		finding(k, SD_EINVALID, _("[event %zu] is by %s, not by %s who made the commit"),
		    nb + 1, by, agent ? agent->id : "sd");
	for (size_t i = 0; i < sd_ticket_event_keys(after, nb); i++)
		if (!event_key(row, sd_ticket_event_key(after, nb, i),
		    sd_ticket_event_value(after, nb, i)))
			finding(k, SD_EINVALID, _("[event %zu]: %s writes no '%s'"), nb + 1, row->name,
			    sd_ticket_event_key(after, nb, i));
	ev_from = sd_ticket_event_get(after, nb, "from");
	ev_to = sd_ticket_event_get(after, nb, "to");
	if (row->flags & SD_ACT_BORN) {
		if (!ev_to || strcmp(ev_to, to))
			finding(k, SD_EINVALID, _("[event %zu]: 'to' is not the status, %s"), nb + 1, to);
	} else if (strcmp(from, to) ? !ev_from || !ev_to || strcmp(ev_from, from) || strcmp(ev_to, to) :
	    ev_from || ev_to) {
		finding(k, SD_EINVALID, _("[event %zu]: 'from' and 'to' do not say %s -> %s"),
		    nb + 1, from, to);
	}
	at = sd_ticket_event_get(after, nb, "at");
	return at;
}

/* What sd_sla_update makes of after's due dates, against what it holds. */
static void
check_computed(struct check *k, const struct sd_config *cfg, const struct sd_ticket *after,
    int changes_priority)
{
	struct sd_ticket *copy = NULL;
	int u = sd_level_rank(sd_ticket_get(after, SD_F_URGENCY));
	int i = sd_level_rank(sd_ticket_get(after, SD_F_IMPACT));

	if (changes_priority && u >= 0 && i >= 0 &&
	    sd_ticket_number(after, SD_F_PRIORITY) != sd_config_priority(cfg, u, i))
		finding(k, SD_EINVALID, _("priority is %s, the matrix says %d"),
		    sd_ticket_get(after, SD_F_PRIORITY), sd_config_priority(cfg, u, i));
	if (sd_rules_copy(&copy, after) < 0 || sd_sla_update(copy, cfg) < 0) {
		finding(k, SD_EINVALID, "%s", sd_error_message());
		goto out;
	}
	for (int c = 0; c < 2; c++) {
		enum sd_field f = c ? SD_F_DUE_RESOLUTION : SD_F_DUE_RESPONSE;
		if (strcmp(sd_ticket_get(after, f), sd_ticket_get(copy, f)))
			finding(k, SD_EINVALID, _("%s is '%s', the clock says '%s'"), sd_field_name(f),
			    sd_ticket_get(after, f), sd_ticket_get(copy, f));
	}
out:
	sd_ticket_free(copy);
}

/* Is time a later than b?  `updated` never goes back: an event sd-sync
 * appends after later ones leaves it as it was. */
static int
later_than(const char *a, const char *b)
{
	time_t x, y;

	return sd_time_parse(&x, NULL, a) == 0 && sd_time_parse(&y, NULL, b) == 0 && x > y;
}

/* What the action's keys say, against what changed. */
static void
check_keys(struct check *k, const struct sd_action *row, const struct sd_ticket *before,
    const struct sd_ticket *after, const char *at, const char *by, int bare)
{
	for (int f = 0; f < SD_F__COUNT; f++) {
		const char *b = sd_ticket_get(before, f), *a = sd_ticket_get(after, f);
		enum sd_how how = bare && row->keys[f] != SD_SET ? SD_KEEP : row->keys[f];
		int ok;

		if (!strcmp(a, b)) {
			/* A stamp the action makes that had that value already:
			 * `updated` must be the event's time all the same. */
			if (how == SD_STAMP && f == SD_F_UPDATED && at && strcmp(a, at) &&
			    !later_than(a, at))
				finding(k, SD_EINVALID, _("%s is '%s', not the time of the event, '%s'"),
				    sd_field_name(f), a, at);
			continue;
		}
		switch (how) {
		case SD_SET:
		case SD_CALC:
			ok = 1;
			break;
		case SD_STEP:
			ok = sd_ticket_number(after, f) == sd_ticket_number(before, f) + 1;
			break;
		case SD_STAMP:
			ok = at && !strcmp(a, at);
			break;
		case SD_FIRST:
			ok = !*b && at && !strcmp(a, at);
			break;
		case SD_ACTOR:
			ok = !*b && by && !strcmp(a, by);
			break;
		case SD_CLEAR:
			ok = !*a;
			break;
		default:
			finding(k, SD_EINVALID, _("%s may not change %s ('%s' -> '%s')"), row->name,
			    sd_field_name(f), b, a);
			continue;
		}
		if (!ok)
			finding(k, SD_EINVALID, _("%s changes %s only as '%s', not '%s' -> '%s'"),
			    row->name, sd_field_name(f), sd_how_word(how), b, a);
	}
}

/* What the keys' values mean, for the action: assignees in the group, the
 * group at the ticket's level, the approvals in order, a ticket born as
 * sd-new makes it. */
static void
check_meaning(struct check *k, const struct sd_config *cfg, const struct sd_action *row,
    const struct sd_ticket *before, const struct sd_ticket *after)
{
	const char *group = sd_ticket_get(after, SD_F_GROUP);
	const char *assignee = sd_ticket_get(after, SD_F_ASSIGNEE);
	const struct sd_group *g = sd_config_group(cfg, group);

	if (g && g->level != sd_ticket_number(after, SD_F_LEVEL))
		finding(k, SD_EINVALID, _("level %ld, but group %s is level %d"),
		    sd_ticket_number(after, SD_F_LEVEL), g->name, g->level);
	if (*assignee && strcmp(assignee, sd_ticket_get(before, SD_F_ASSIGNEE)) &&
	    sd_config_policy(cfg, SD_POLICY_GROUP_SCOPE)) {
		const struct sd_agent *who = sd_config_agent(cfg, assignee);
		if (who && !sd_agent_in_group(who, group))
			finding(k, SD_EPERM, _("%s is not in group %s"), assignee, group);
	}
	/* A provider's case number goes with an escalation to a provider. */
	if (sd_ticket_event_count(after) > sd_ticket_event_count(before)) {
		size_t last = sd_ticket_event_count(after) - 1;
		const char *ref = sd_ticket_event_get(after, last, "provider_ref");
		if (ref && !(g && g->provider && !strcmp(row->name, "escalate")))
			finding(k, SD_EINVALID, _("[event %zu]: provider_ref, but group %s is not a provider"),
			    last + 1, group);
	}
	if (!strcmp(row->name, "solve") && !strcmp(sd_ticket_get(after, SD_F_RESOLUTION), "no-contact") &&
	    sd_desk_no_contact(before, cfg) < 0)
		finding(k, SD_EINVALID, "%s", sd_error_message());
	if (!strcmp(row->name, "approve") || !strcmp(row->name, "deny")) {
		const char *all = sd_ticket_get(before, SD_F_APPROVALS);
		size_t n = strcspn(all, " "), last = sd_ticket_event_count(after);
		const char *role = last ? sd_ticket_event_get(after, last - 1, "role") : NULL;
		const char *rest = all[n] ? all + n + 1 : "";
		if (!role || strlen(role) != n || strncmp(role, all, n))
			finding(k, SD_EINVALID, _("the approval due is '%.*s', not '%s'"), (int)n, all,
			    role ? role : "");
		if (!strcmp(row->name, "approve") && strcmp(sd_ticket_get(after, SD_F_APPROVALS), rest))
			finding(k, SD_EINVALID, _("approvals after an approval of '%.*s' are '%s'"),
			    (int)n, all, rest);
	}
	/* A ticket that goes to a level-1 group by its category: registered,
	 * or its category corrected at level 1. */
	if (((row->flags & SD_ACT_BORN) || !strcmp(row->name, "update")) &&
	    strcmp(group, sd_ticket_get(before, SD_F_GROUP))) {
		const struct sd_category *cat = sd_config_category(cfg, sd_ticket_get(after, SD_F_CATEGORY));
		if (sd_ticket_number(after, SD_F_LEVEL) != 1 || (cat && strcmp(group, cat->level[0])) ||
		    (!cat && (row->flags & SD_ACT_BORN) == 0))
			finding(k, SD_EINVALID, _("%s puts the ticket in group %s, not its category's level-1 group"),
			    row->name, group);
	}
	if (row->flags & SD_ACT_BORN) {
		const char *st = sd_ticket_get(after, SD_F_STATUS);
		if (strcmp(st, "new") && strcmp(st, "pending-info") && strcmp(st, "awaiting-approval"))
			finding(k, SD_EINVALID, _("a new ticket cannot be %s"), st);
		if (sd_ticket_number(after, SD_F_LEVEL) != 1)
			finding(k, SD_EINVALID, "%s", _("a new ticket is at level 1"));
	}
}

int
sd_rules_check(const struct sd_config *cfg, const struct sd_config *rules_cfg,
    const struct sd_agent *agent, const char *action,
    const struct sd_ticket *before, const struct sd_ticket *after, sd_rules_fn fn, void *arg)
{
	const struct sd_action *row = sd_action_find(action);
	struct sd_ticket *empty = NULL;
	struct check k = { fn, arg, 0, "" };
	const char *from, *to, *table_to, *at = NULL, *role = NULL;
	int final, bare, rc;

	if (!rules_cfg)
		rules_cfg = cfg;
	if (!row) {
		finding(&k, SD_EINVALID, _("unknown action '%s'"), action);
		goto out;
	}
	if (!after) {
		finding(&k, SD_EINVALID, "%s", _("a ticket file may not be removed"));
		goto out;
	}
	if (!before && !(row->flags & SD_ACT_BORN)) {
		finding(&k, SD_EINVALID, _("a new ticket in a commit whose action is '%s'"), action);
		goto out;
	}
	if (before && (row->flags & SD_ACT_BORN)) {
		finding(&k, SD_EINVALID, _("%s changes a ticket that exists"), action);
		goto out;
	}
	if (!before) {
		if ((rc = unborn(&empty)) < 0)
			return rc;
		before = empty;
	}
	if (sd_ticket_check(after, cfg) < 0) {
		finding(&k, SD_EINVALID, "%s", sd_error_message());
		goto out;
	}
	/* A move sd-sync kept as superseded: its event alone, whatever the
	 * table says of the move now. */
	if (!empty && (row->flags & SD_ACT_EVENT) &&
	    sd_ticket_event_count(after) > sd_ticket_event_count(before) &&
	    sd_ticket_event_get(after, sd_ticket_event_count(before), "superseded")) {
		check_superseded(&k, row, agent, before, after);
		goto out;
	}
	from = sd_ticket_get(before, SD_F_STATUS);
	to = sd_ticket_get(after, SD_F_STATUS);
	final = sd_status_final(from);
	bare = final && (row->flags & SD_ACT_BARE_FINAL);
	/* Where the status may go. */
	if (!(row->flags & SD_ACT_BORN)) {
		if (sd_workflow_move(&table_to, from, action) < 0)
			finding(&k, SD_EINVALID, "%s", sd_error_message());
		else if (strcmp(from, to) && !fits(before, after, table_to, cfg))
			finding(&k, SD_EINVALID, _("%s moves a %s ticket to %s, not %s"), action, from,
			    table_to, to);
	}
	/* Its event, its keys, its texts, what is computed. */
	at = check_event(&k, row, agent, before, after, (row->flags & SD_ACT_EVENT) && !bare);
	check_keys(&k, row, before, after, at, agent ? agent->id : NULL, bare);
	for (int x = 0; x < 2; x++)
		if (strcmp(sd_ticket_text(before, x), sd_ticket_text(after, x)) &&
		    (final || !(row->texts & (x ? SD_TEXTS_SOLUTION : SD_TEXTS_DESCRIPTION))))
			finding(&k, SD_EINVALID, _("%s may not change [%s]"), action,
			    x ? "solution" : "description");
	if (!bare)
		check_computed(&k, cfg, after, row->keys[SD_F_PRIORITY] == SD_CALC);
	check_meaning(&k, cfg, row, before, after);
	/* Who: by the rules as they stood before the change. */
	if (sd_ticket_event_count(after))
		role = sd_ticket_event_get(after, sd_ticket_event_count(after) - 1, "role");
	if ((rc = sd_workflow_permit(rules_cfg, agent, (row->flags & SD_ACT_BORN) ? after : before,
	    action, role, (int)sd_ticket_number(after, SD_F_LEVEL))) < 0)
		finding(&k, rc, "%s", sd_error_message());
out:
	sd_ticket_free(empty);
	if (k.first)
		return sd_error_set(k.first, "%s", k.message);
	return 0;
}
