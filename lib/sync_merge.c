/*
 * One ticket both a site and the hub changed, for sd-sync's replay
 * (lib/sync_replay.c): the site's new events re-applied on the hub's
 * version through the action table (lib/step.c).  The keys the site
 * changed are set where the row lets its action set them; a key both
 * sides changed goes to the later event, the losing value kept in it as
 * `overridden = KEY:VALUE`; `related` is a union; counters step where
 * the site stepped them.  A move the rules refuse now is kept as the
 * site wrote it, with `superseded = <the hub's commit>`, changing
 * nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "step.h"
#include "sync_replay.h"
#include "sd/rules.h"
#include "sd/time.h"

/* Is a later than b (RFC 3339)?  Unreadable times: no. */
static int
later_or_same(const char *a, const char *b)
{
	time_t x, y;

	return sd_time_parse(&x, NULL, a) == 0 && sd_time_parse(&y, NULL, b) == 0 && x >= y;
}

/* The keys both sides may change, resolved per key: the later event wins. */
static int
three_way(enum sd_field f)
{
	switch (f) {
	case SD_F_TITLE: case SD_F_CATEGORY: case SD_F_URGENCY: case SD_F_IMPACT:
	case SD_F_REQUESTER: case SD_F_REQUESTER_EMAIL: case SD_F_REQUESTER_PHONE:
		return 1;
	default:
		return 0;
	}
}

/* The words of a and of b, a's first, once each. */
static int
union_words(char **out, const char *a, const char *b)
{
	struct sd_buf u = SD_BUF_INIT;
	char **w = NULL;
	size_t n = 0;
	int rc;

	sd_buf__adds(&u, a);
	if ((rc = sd__split_list(&w, &n, b, ' ')) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(w[i]);
		const char *p = u.data ? u.data : "";
		int found = 0;

		for (const char *q = p; !found && (q = strstr(q, w[i])); q += k)
			found = (q == p || q[-1] == ' ') && (q[k] == ' ' || !q[k]);
		if (!found)
			sd_buf__printf(&u, "%s%s", u.len ? " " : "", w[i]);
	}
	sd__free_list(w, n);
	sd_buf__addc(&u, '\0');
	if ((rc = sd_buf__check(&u)) < 0) {
		sd_buf__free(&u);
		return rc;
	}
	*out = sd_buf__detach(&u);
	return 0;
}

/* Event i of from appended to t as it was. */
static int
copy_event(struct sd_ticket *t, const struct sd_ticket *from, size_t i)
{
	size_t ix;
	int rc;

	if ((rc = sd_ticket_event_add(t, &ix, sd_ticket_event_get(from, i, "at"),
	    sd_ticket_event_get(from, i, "by"), sd_ticket_event_get(from, i, "action"))) < 0)
		return rc;
	for (size_t k = 0; k < sd_ticket_event_keys(from, i) && rc == 0; k++) {
		const char *key = sd_ticket_event_key(from, i, k);
		if (strcmp(key, "at") && strcmp(key, "by") && strcmp(key, "action"))
			rc = sd_ticket_event_set(t, ix, key, sd_ticket_event_value(from, i, k));
	}
	return rc;
}

/* The site's event i of c, re-applied on *w (the ticket as the replay
 * has it, hub's events first) by its action's row: the keys the site
 * changed (p to c), counters stepped where it stepped them, the event's
 * own keys.  A move the rules refuse now: the event alone, superseded. */
static int
apply_event(const struct sd__merge *r, struct sd_ticket **w, const struct sd_ticket *p,
    const struct sd_ticket *c, const struct sd_ticket *h, size_t i, const char *id)
{
	const char *action = sd_ticket_event_get(c, i, "action");
	const char *at = sd_ticket_event_get(c, i, "at");
	const char *by = sd_ticket_event_get(c, i, "by");
	const char *to = sd_ticket_event_get(c, i, "to");
	const struct sd_action *row = sd_action_find(action);
	const struct sd_agent *agent = strcmp(by, "sd") ? sd_config_agent(r->cfg, by) : NULL;
	size_t nh = sd_ticket_event_count(h), np = sd_ticket_event_count(p);
	const char *hub_at = nh > np ? sd_ticket_event_get(h, nh - 1, "at") : "";
	struct sd_ticket *before = NULL;
	struct sd__step st = { 0 };
	struct sd__plan plan;
	char *owned[SD_F__COUNT] = { NULL };
	char overridden[1200] = "", detail[600];
	int rc;

	if (!row || !(row->flags & SD_ACT_EVENT) || (row->flags & SD_ACT_BORN))
		return sd_error_set(SD_EINVALID, _("%s: [event %zu] is a %s, which sd-sync cannot "
		    "replay on a ticket that exists"), id, i + 1, action ? action : "?");
	if ((rc = sd_rules_copy(&before, *w)) < 0)
		return rc;
	memset(&plan, 0, sizeof(plan));
	if ((rc = sd__step_begin_exact(&st, r->cfg, agent, action, *w, at)) < 0) {
		if (rc != SD_EINVALID)
			goto out;
		goto superseded;
	}
	for (int f = 0; f < SD_F__COUNT && rc == 0; f++) {
		const char *pv = sd_ticket_get(p, f), *cv = sd_ticket_get(c, f);
		const char *hv = sd_ticket_get(h, f);

		if (row->keys[f] == SD_STEP) {
			plan.hold[f] = sd_ticket_number(c, f) <= sd_ticket_number(p, f);
			continue;
		}
		if (row->keys[f] != SD_SET || f == SD_F_STATUS || !strcmp(pv, cv))
			continue;
		if (f == SD_F_RELATED) {
			if ((rc = union_words(&owned[f], sd_ticket_get(*w, f), cv)) == 0)
				plan.set[f] = owned[f];
		} else if (three_way(f) && strcmp(hv, pv) && strcmp(hv, cv)) {
			int site = later_or_same(at, hub_at);
			if (site)
				plan.set[f] = cv;
			if (!*overridden)
				snprintf(overridden, sizeof(overridden), "%s:%s", sd_field_name(f),
				    site ? hv : cv);
		} else {
			plan.set[f] = cv;
		}
	}
	/* The description, three-way as the keys; a solution, as written. */
	if (rc == 0 && (row->texts & SD_TEXTS_DESCRIPTION) &&
	    strcmp(sd_ticket_text(p, SD_TEXT_DESCRIPTION), sd_ticket_text(c, SD_TEXT_DESCRIPTION))) {
		const char *hv = sd_ticket_text(h, SD_TEXT_DESCRIPTION);
		const char *cv = sd_ticket_text(c, SD_TEXT_DESCRIPTION);
		int both = strcmp(hv, sd_ticket_text(p, SD_TEXT_DESCRIPTION)) && strcmp(hv, cv);
		int site = !both || later_or_same(at, hub_at);

		if (site)
			rc = sd_ticket_set_text(*w, SD_TEXT_DESCRIPTION, cv);
		if (both && !*overridden)
			snprintf(overridden, sizeof(overridden), "description:%s", site ? hv : cv);
	}
	if (rc == 0 && (row->texts & SD_TEXTS_SOLUTION) &&
	    strcmp(sd_ticket_text(p, SD_TEXT_SOLUTION), sd_ticket_text(c, SD_TEXT_SOLUTION)))
		plan.solution = sd_ticket_text(c, SD_TEXT_SOLUTION);
	if (rc == 0)
		rc = sd__step_apply(&st, &plan);
	for (size_t k = 0; rc == 0 && k < sd_ticket_event_keys(c, i); k++) {
		const char *key = sd_ticket_event_key(c, i, k);
		if (strcmp(key, "at") && strcmp(key, "by") && strcmp(key, "action") &&
		    strcmp(key, "from") && strcmp(key, "to"))
			rc = sd__step_event(&st, key, sd_ticket_event_value(c, i, k));
	}
	if (rc == 0 && *overridden)
		rc = sd_ticket_event_set(*w, st.ev, "overridden", overridden);
	if (rc == 0)
		rc = sd__step_finish(&st, to ? to : sd_ticket_get(before, SD_F_STATUS));
	if (rc < 0 && rc != SD_EINVALID && rc != SD_EPERM)
		goto out;
	if (rc == 0) {
		if (*overridden) {
			snprintf(detail, sizeof(detail), _("%s by %s: %.*s lost (%s)"), action, by,
			    (int)strcspn(overridden, ":"), overridden,
			    strchr(overridden, ':') + 1);
			detail[strcspn(detail, "\n")] = '\0';
			r->tell(r->arg, "overridden", id, detail);
		}
		goto out;
	}
superseded:
	/* No longer legal: the event as the site wrote it, and nothing else. */
	sd_error_clear();
	sd__step_free(&st);
	sd_ticket_free(*w);
	*w = before;
	before = NULL;
	if ((rc = sd_rules_copy(&before, *w)) < 0 || (rc = copy_event(*w, c, i)) < 0 ||
	    (rc = sd_ticket_event_set(*w, sd_ticket_event_count(*w) - 1, "superseded",
	    r->onto)) < 0)
		goto out;
	if ((rc = sd_rules_check(r->cfg, NULL, agent, action, before, *w, NULL, NULL)) < 0) {
		rc = sd_error_set(SD_EINVALID, _("%s: %s by %s cannot be kept, even superseded: %s"),
		    id, action, by, sd_error_message());
		goto out;
	}
	snprintf(detail, sizeof(detail), _("%s by %s (the hub has it %s, %.7s)"), action, by,
	    sd_ticket_get(*w, SD_F_STATUS), r->onto);
	r->tell(r->arg, "superseded", id, detail);
out:
	sd__step_free(&st);
	sd_ticket_free(before);
	for (int f = 0; f < SD_F__COUNT; f++)
		free(owned[f]);
	return rc;
}

/* A commit's change to a ticket (no event of its own: a link on a final
 * ticket): the keys the site changed that the hub did not, `related` a
 * union. */
static int
apply_bare(struct sd_ticket *w, const struct sd_ticket *p, const struct sd_ticket *c,
    const struct sd_ticket *h)
{
	int rc = 0;

	for (int f = 0; f < SD_F__COUNT && rc == 0; f++) {
		const char *pv = sd_ticket_get(p, f), *cv = sd_ticket_get(c, f);
		char *u = NULL;

		if (!strcmp(pv, cv))
			continue;
		if (f == SD_F_RELATED) {
			if ((rc = union_words(&u, sd_ticket_get(w, f), cv)) == 0)
				rc = sd_ticket_set(w, f, u);
			free(u);
		} else if (!strcmp(sd_ticket_get(h, f), pv)) {
			rc = sd_ticket_set(w, f, cv);
		}
	}
	return rc;
}

int
sd__replay_merge(const struct sd__merge *m, struct sd_ticket **w, const struct sd_ticket *p,
    const struct sd_ticket *c, const struct sd_ticket *h, const char *id)
{
	int rc = 0;

	if (sd_ticket_event_count(c) < sd_ticket_event_count(p))
		return sd_error_set(SD_EINVALID, _("%s: events removed at the site"), id);
	if (sd_ticket_event_count(c) == sd_ticket_event_count(p))
		rc = apply_bare(*w, p, c, h);
	for (size_t i = sd_ticket_event_count(p); rc == 0 && i < sd_ticket_event_count(c); i++)
		rc = apply_event(m, w, p, c, h, i, id);
	return rc;
}
