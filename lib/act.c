/*
 * The plans of the actions on a ticket (assign, escalate, solve, close,
 * reject, reopen, note, reply, approve, ...): what each one asks of its words and
 * changes, before lib/step.c holds the result to the action table.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "progress.h"
#include "store_internal.h"
#include "sd/desk.h"
#include "sd/format.h"
#include "sd/calendar.h"
#include "sd/id.h"
#include "sd/kb.h"
#include "sd/sla.h"
#include "sd/time.h"
#include "sd/rules.h"
#include "sd/words.h"
#include "sd/workflow.h"
#include "step.h"

static const char *const need_words[] = {
	NULL, N_("a diagnosis"), N_("a solution"), N_("a reason"), N_("a text")
};

/* Who solved it last: a reopened ticket goes back to them. */
static const char *
last_solver(const struct sd_ticket *t)
{
	for (size_t i = sd_ticket_event_count(t); i-- > 0;) {
		const char *action = sd_ticket_event_get(t, i, "action");
		if (action && !strcmp(action, "solve"))
			return sd_ticket_event_get(t, i, "by");
	}
	return NULL;
}

/* The group and level an escalation goes to. */
static int
escalation_target(const struct sd_config *cfg, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group **out)
{
	const char *category = sd_ticket_get(t, SD_F_CATEGORY);
	const struct sd_category *cat;
	long level = sd_ticket_number(t, SD_F_LEVEL);
	int target;

	if (a->group) {
		if (!(*out = sd_config_group(cfg, a->group)))
			return sd_error_set(SD_EINVALID, _("unknown group '%s'"), a->group);
		if (a->level && a->level != (*out)->level)
			return sd_error_set(SD_EINVALID, _("group %s is level %d, not %d"),
			    a->group, (*out)->level, a->level);
	} else {
		target = a->level ? a->level : (int)level + 1;
		if (target > 3)
			return sd_error_set(SD_EINVALID, "%s",
			    _("there is no level above 3: name a group with --group"));
		if (!*category)
			return sd_error_set(SD_EINVALID, "%s",
			    _("the ticket has no category: name a group with --group"));
		if (!(cat = sd_config_category(cfg, category)))
			return sd_error_set(SD_EINVALID, _("unknown category '%s'"), category);
		if (!cat->level[target - 1])
			return sd_error_set(SD_EINVALID, _("escalation.ini: [%s] has no level%d group"),
			    category, target);
		*out = sd_config_group(cfg, cat->level[target - 1]);
	}
	if (!strcmp((*out)->name, sd_ticket_get(t, SD_F_GROUP)))
		return sd_error_set(SD_EINVALID, _("the ticket is in group %s already"), (*out)->name);
	return 0;
}

/* The words a plan builds, beside it. */
struct words {
	char level[4], rating[4], line[1001], left[512], kb[SD_KB_ID_MAX];
};

/* A one-line field holds a text's first line, its controls made spaces. */
static const char *
first_line(char line[1001], const char *text)
{
	size_t n = strcspn(text, "\r\n");

	if (n > 1000)
		n = 1000;
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	memcpy(line, text, n);
	line[n] = '\0';
	for (char *p = line; *p; p++) {
		size_t k = sd_control_len(p);

		/* A C1 control's two bytes: a space and a byte fewer. */
		if (k == 2)
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
		if (k)
			*p = ' ';
	}
	return line;
}

static void
event_key(struct sd__plan *p, const char *key, const char *value)
{
	p->event[p->nevent][0] = key;
	p->event[p->nevent++][1] = value;
}

/*
 * What each action takes from its command, for the keys its row sets and
 * its event's own keys; the rest (stamps, counters, emptied keys, upkeep)
 * the row says alone.
 */
struct planner {
	const char *action;
	void (*plan)(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
	    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg);
};

static void
plan_assign(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)w, (void)t, (void)target, (void)cfg;
	p->set[SD_F_ASSIGNEE] = a->assignee;
	event_key(p, "assignee", a->assignee);
}

static void
plan_escalate(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)t, (void)cfg;
	snprintf(w->level, sizeof(w->level), "%d", target->level);
	p->set[SD_F_GROUP] = target->name;
	p->set[SD_F_LEVEL] = w->level;
	event_key(p, "group", target->name);
	event_key(p, "level", w->level);
	if (a->provider_ref)
		event_key(p, "provider_ref", a->provider_ref);
}

static void
plan_solve(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)t, (void)target, (void)cfg;
	p->solution = a->text;
	p->set[SD_F_RESOLUTION] = a->code ? a->code : "solved";
	event_key(p, "code", p->set[SD_F_RESOLUTION]);
	if (a->kb)
		event_key(p, "kb", w->kb);
}

static void
plan_known_error(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)w, (void)t, (void)target, (void)cfg;
	p->solution = a->text;
}

static void
plan_close(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)t, (void)target;
	p->set[SD_F_CLOSE_REASON] = sd_words_reason(cfg, SD_WORD_CONFIRMED);
	if (a->rating) {
		snprintf(w->rating, sizeof(w->rating), "%d", a->rating);
		p->set[SD_F_RATING] = w->rating;
		event_key(p, "rating", w->rating);
	}
}

static void
plan_reject(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)t, (void)target, (void)cfg;
	p->set[SD_F_CLOSE_REASON] = first_line(w->line, a->text);
	if (a->role)
		event_key(p, "role", a->role);
}

static void
plan_reopen(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	const char *solver = last_solver(t);

	(void)w, (void)a, (void)target;
	/* Back with who solved it, if they are still an agent. */
	if (solver && sd_config_agent(cfg, solver))
		p->set[SD_F_ASSIGNEE] = solver;
}

static void
plan_note(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)w, (void)t, (void)target, (void)cfg;
	p->hold[SD_F_CONTACT_ATTEMPTS] = !a->contact_attempt;
	if (a->contact_attempt)
		event_key(p, "contact_attempt", "yes");
}

static void
plan_approve(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	const char *rest = strchr(sd_ticket_get(t, SD_F_APPROVALS), ' ');

	(void)target, (void)cfg;
	snprintf(w->left, sizeof(w->left), "%s", rest ? rest + 1 : "");
	p->set[SD_F_APPROVALS] = w->left;
	event_key(p, "role", a->role);
}

static void
plan_none(struct sd__plan *p, struct words *w, const struct sd_ticket *t,
    const struct sd_act *a, const struct sd_group *target, const struct sd_config *cfg)
{
	(void)p, (void)w, (void)t, (void)a, (void)target, (void)cfg;
}

static const struct planner planners[] = {
	{ "assign", plan_assign }, { "escalate", plan_escalate }, { "suspend", plan_none },
	{ "resume", plan_none }, { "solve", plan_solve }, { "close", plan_close },
	{ "reject", plan_reject }, { "deny", plan_reject }, { "reopen", plan_reopen },
	{ "note", plan_note }, { "reply", plan_none }, { "approve", plan_approve },
	{ "attach", plan_none }, { "known-error", plan_known_error },
};

/* Is word one of the space-separated words of list? */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* The first role still to approve, in *first (static storage). */
static const char *
next_role(const struct sd_ticket *t)
{
	static char first[128];
	const char *all = sd_ticket_get(t, SD_F_APPROVALS);
	size_t n = strcspn(all, " ");

	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, all, n);
	first[n] = '\0';
	return first;
}

/* Commit c with the tickets of t that changed, under the lock the caller
 * holds, then let it go and tell fn of first (if any) and each of them. */
static int
commit_changed(struct sd_store *s, struct sd_change *c, const struct sd_agent *agent,
    struct sd_ticket **t, const int *changed, size_t n, const char *first,
    void (*fn)(const char *id, void *arg), void *arg)
{
	int rc;

	for (size_t i = 0; i < n; i++)
		if (changed[i] && (rc = sd_change_ticket(c, t[i])) < 0)
			return rc;
	if ((rc = sd_store_commit(s, c, agent)) < 0)
		return rc;
	sd_store_unlock(s);
	if (fn && first)
		fn(first, arg);
	for (size_t i = 0; i < n && fn; i++)
		if (changed[i])
			fn(sd_ticket_get(t[i], SD_F_ID), arg);
	return 0;
}

/* The article arg names, in HEAD: its id in id. */
static int
known_article(struct sd_store *s, const char *arg, char id[SD_KB_ID_MAX])
{
	struct sd_kb_article art;
	long n;
	int rc;

	if ((rc = sd_kb_id_parse(&n, arg)) < 0)
		return sd_error_set(SD_EINVALID, "--kb: %s", sd_error_message());
	if ((rc = sd_kb_load(s, &art, n)) < 0)
		return sd_error_set(SD_EINVALID, "--kb: %s", sd_error_message());
	memcpy(id, art.id, SD_KB_ID_MAX);
	sd_kb_free(&art);
	return 0;
}

/* A problem solved solves its incidents that a solve may move, each by
 * its own step with the problem's solution and code, into the change c;
 * they go to *solved (malloc'd, *nsolved of them). */
static int
solve_incidents(struct sd_store *s, const struct sd_agent *agent, const struct sd_ticket *problem,
    const struct sd_act *a, const char *now_s, struct sd_change *c, struct sd_ticket ***solved,
    size_t *nsolved)
{
	const struct sd_config *cfg = sd_store_config(s);
	char **v = NULL;
	size_t n = 0;
	int rc;

	*solved = NULL;
	*nsolved = 0;
	if ((rc = sd__split_list(&v, &n, sd_ticket_get(problem, SD_F_INCIDENTS), ' ')) < 0)
		return rc;
	if (n && !(*solved = calloc(n, sizeof(**solved)))) {
		sd__free_list(v, n);
		return sd__oom();
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sd__plan plan = { 0 };
		struct sd__step st = { 0 };
		struct sd_ticket *t = NULL;
		struct words w;
		const char *to;
		long id, kb;

		/* The problem's article, checked by the caller, solves them too. */
		if (a->kb && sd_kb_id_parse(&kb, a->kb) == 0)
			sd_kb_id_format(w.kb, kb);
		if ((rc = sd_id_parse(&id, sd_config_prefix(cfg), v[i])) < 0 ||
		    (rc = sd_store_load(s, &t, id)) < 0)
			break;
		if (sd_workflow_move(&to, sd_ticket_get(t, SD_F_STATUS), "solve") < 0) {
			sd_error_clear();
			sd_ticket_free(t);
			continue;       /* solved, closed, waiting: left as it is */
		}
		plan_solve(&plan, &w, t, a, NULL, cfg);
		if ((rc = sd__step_begin(&st, cfg, agent, "solve", t, now_s, 0)) < 0 ||
		    (rc = sd__step_move(&st, to)) < 0 ||
		    (rc = sd__step_apply(&st, &plan)) < 0 ||
		    (rc = sd__step_event(&st, "text", a->text)) < 0 ||
		    (rc = sd__step_finish(&st, to)) < 0 ||
		    (rc = sd_change_ticket(c, t)) < 0)
			rc = sd_error_set(rc, "%s: %s", v[i], sd_error_message());
		sd__step_free(&st);
		(*solved)[(*nsolved)++] = t;
	}
	sd__free_list(v, n);
	return rc;
}

int
sd_desk_act(struct sd_store *s, const struct sd_agent *agent, long n,
    const struct sd_act *a, char status[SD_STATUS_MAX])
{
	const struct sd_config *cfg = sd_store_config(s);
	const struct sd_action *row = sd_action_find(a->action);
	const struct sd_group *target = NULL;
	const struct planner *planner = NULL;
	struct sd__plan plan = { 0 };
	struct sd__step st = { 0 };
	struct words w;
	struct sd_ticket *t = NULL;
	struct sd_change *c = NULL;
	struct sd_ticket **solved = NULL;
	size_t nsolved = 0;
	char now_s[SD_TIME_MAX], from[SD_STATUS_MAX];
	const char *to, *id;
	int rc;

	status[0] = '\0';
	for (size_t i = 0; row && !planner && i < SD_ARRAY_SIZE(planners); i++)
		if (!strcmp(planners[i].action, row->name))
			planner = &planners[i];
	if (!planner)
		return sd_error_set(SD_EUSAGE, _("unknown action '%s'"), a->action);
	if (row->need != SD_NEED_NONE && (!a->text || !*a->text))
		return sd_error_set(SD_EUSAGE, _("%s needs %s (-m or -F)"), a->action,
		    _(need_words[row->need]));
	if ((row->who & SD_RULE_APPROVER) && (!a->role || !*a->role))
		return sd_error_set(SD_EUSAGE, "%s", _("--role is required"));
	if (a->text && (rc = sd_text_check(a->text, strlen(a->text))) < 0)
		return rc;
	if (a->provider_ref && (rc = sd_provider_ref_check(a->provider_ref)) < 0)
		return sd_error_set(rc, "--provider-ref: %s", sd_error_message());
	sd_time_format(now_s, sd_config_zone(sd_store_config(s)), sd_store_now(s));
	if ((rc = sd_store_lock(s)) < 0 || (rc = sd_store_load(s, &t, n)) < 0)
		goto out;
	id = sd_ticket_get(t, SD_F_ID);
	snprintf(from, sizeof(from), "%s", sd_ticket_get(t, SD_F_STATUS));
	if ((rc = sd_workflow_move(&to, from, a->action)) < 0) {
		rc = sd_error_set(rc, "%s: %s", id, sd_error_message());
		goto out;
	}
	if (a->check && (rc = a->check(t, a->check_arg)) < 0)
		goto fail;
	/* What the action itself asks of the ticket and the store. */
	if (!strcmp(a->action, "escalate") && (rc = escalation_target(cfg, t, a, &target)) < 0)
		goto fail;
	if (!strcmp(a->action, "assign")) {
		const struct sd_agent *who = sd_config_agent(cfg, a->assignee);
		if (!who) {
			rc = sd_error_set(SD_EINVALID, _("unknown agent '%s'"), a->assignee);
			goto fail;
		}
		if (sd_config_policy(cfg, SD_POLICY_GROUP_SCOPE) &&
		    !sd_agent_in_group(who, sd_ticket_get(t, SD_F_GROUP))) {
			rc = sd_error_set(SD_EPERM, _("%s is not in group %s"), a->assignee,
			    sd_ticket_get(t, SD_F_GROUP));
			goto fail;
		}
	}
	if ((row->who & SD_RULE_APPROVER) && strcmp(a->role, next_role(t))) {
		const char *all = sd_ticket_get(t, SD_F_APPROVALS);
		rc = has_word(all, a->role) ?
		    sd_error_set(SD_EINVALID, _("approval out of order: '%s' comes first"), next_role(t)) :
		    sd_error_set(SD_EINVALID, _("'%s' is not an approval this ticket waits for (%s)"),
		    a->role, all);
		goto fail;
	}
	if ((rc = sd_workflow_permit(cfg, agent, t, a->action, a->role,
	    target ? target->level : 0)) < 0)
		goto fail;
	if (a->provider_ref && (!target || !target->provider)) {
		rc = target ? sd_error_set(SD_EINVALID,
		    _("--provider-ref: group %s is not a provider (provider = yes in agents.ini)"),
		    target->name) : sd_error_set(SD_EUSAGE, "%s", _("--provider-ref is for sd-escalate"));
		goto fail;
	}
	if (!strcmp(a->action, "solve") && a->code && !strcmp(a->code, "no-contact") &&
	    (rc = sd_desk_no_contact(t, cfg)) < 0)
		goto fail;
	/* The article it was solved with is in the knowledge base. */
	if (a->kb && (rc = known_article(s, a->kb, w.kb)) < 0)
		goto fail;
	/* Where it goes. */
	if (!strcmp(to, "escalated|provider"))
		to = target->provider ? "provider" : "escalated";
	else if (!strcmp(to, "awaiting-approval|new"))
		to = strchr(sd_ticket_get(t, SD_F_APPROVALS), ' ') ? "awaiting-approval" : "new";
	else if (!strcmp(to, "(previous)") && !(to = sd_rules_before_suspension(t)))
		to = *sd_ticket_get(t, SD_F_ASSIGNEE) ? "assigned" : "new";
	planner->plan(&plan, &w, t, a, target, cfg);
	if ((rc = sd__step_begin(&st, cfg, agent, a->action, t, now_s, 0)) < 0 ||
	    (rc = sd__step_move(&st, to)) < 0 ||
	    (rc = sd__step_apply(&st, &plan)) < 0 ||
	    (a->text && (rc = sd__step_event(&st, "text", a->text)) < 0) ||
	    (rc = sd__attach_event(&st, a->files, a->nfiles)) < 0 ||
	    (rc = sd__step_finish(&st, to)) < 0)
		goto fail;
	if ((rc = sd_change_new(&c, a->action)) < 0 ||
	    (rc = !strcmp(a->action, "assign") ?
	    sd_change_subject(c, "%s: assign to %s", id, a->assignee) :
	    !strcmp(a->action, "escalate") ?
	    sd_change_subject(c, "%s: escalate to %s (level %d)", id, target->name, target->level) :
	    strcmp(to, from) ? sd_change_subject(c, "%s: %s (%s -> %s)", id, a->action, from, to) :
	    sd_change_subject(c, "%s: %s", id, a->action)) < 0 ||
	    (rc = sd_change_ticket(c, t)) < 0 ||
	    (rc = sd__attach_write(c, a->files, a->nfiles)) < 0)
		goto out;
	if (!strcmp(a->action, "solve") && !strcmp(sd_ticket_get(t, SD_F_TYPE), "problem") &&
	    (rc = solve_incidents(s, agent, t, a, now_s, c, &solved, &nsolved)) < 0)
		goto out;
	if ((rc = sd_store_commit(s, c, agent)) < 0)
		goto out;
	snprintf(status, SD_STATUS_MAX, "%s", to);
	sd_store_unlock(s);
	for (size_t i = 0; i < nsolved && a->also; i++)
		a->also(sd_ticket_get(solved[i], SD_F_ID), a->also_arg);
	goto out;
fail:
	rc = sd_error_set(rc, "%s: %s", id, sd_error_message());
out:
	sd_store_unlock(s);
	sd__step_free(&st);
	sd_change_free(c);
	sd_ticket_free(t);
	for (size_t i = 0; i < nsolved; i++)
		sd_ticket_free(solved[i]);
	free(solved);
	return rc;
}

int
sd__link_into(struct sd_ticket *t, const char *ids, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *at)
{
	struct sd_buf list = SD_BUF_INIT;
	struct sd__step st = { 0 };
	char **v;
	size_t n;
	int rc;

	if ((rc = sd__split_list(&v, &n, ids, ' ')) < 0)
		return rc;
	sd_buf__adds(&list, sd_ticket_get(t, SD_F_RELATED));
	for (size_t i = 0; i < n && (rc = sd_buf__check(&list)) == 0; i++)
		if (!has_word(list.data ? list.data : "", v[i]))
			sd_buf__printf(&list, "%s%s", list.len ? " " : "", v[i]);
	if (rc < 0 || !strcmp(list.data ? list.data : "", sd_ticket_get(t, SD_F_RELATED)))
		goto out;
	/* A final ticket gains the link and nothing else (sd__step_begin). */
	if ((rc = sd__step_begin(&st, cfg, agent, "link", t, at, 0)) < 0 ||
	    (rc = sd__step_set(&st, SD_F_RELATED, list.data)) < 0 ||
	    (st.has_event && (rc = sd__step_event(&st, "related", ids)) < 0) ||
	    (rc = sd__step_finish(&st, sd_ticket_get(t, SD_F_STATUS))) < 0)
		goto out;
	rc = 1;
out:
	sd__step_free(&st);
	sd_buf__free(&list);
	sd__free_list(v, n);
	return rc;
}

int
sd_desk_link(struct sd_store *s, const struct sd_agent *agent,
    const long *ids, size_t n, void (*fn)(const char *id, void *arg), void *arg)
{
	struct sd_ticket **t = calloc(n, sizeof(*t));
	int *changed = calloc(n, sizeof(int));
	struct sd_change *c = NULL;
	struct sd_buf others = SD_BUF_INIT;
	char now_s[SD_TIME_MAX];
	int rc, any = 0;

	if (!t || !changed) {
		free(t);
		free(changed);
		return sd__oom();
	}
	sd_time_format(now_s, sd_config_zone(sd_store_config(s)), sd_store_now(s));
	if ((rc = sd_store_lock(s)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				rc = sd_error_set(SD_EINVALID, "%s", _("a ticket cannot be linked to itself"));
				goto out;
			}
		if ((rc = sd_store_load(s, &t[i], ids[i])) < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		sd_buf__free(&others);
		for (size_t j = 0; j < n; j++)
			if (j != i)
				sd_buf__printf(&others, "%s%s", others.len ? " " : "",
				    sd_ticket_get(t[j], SD_F_ID));
		if ((rc = sd_buf__check(&others)) < 0 ||
		    (rc = sd__link_into(t[i], others.data, sd_store_config(s), agent, now_s)) < 0)
			goto out;
		changed[i] = rc;
		any |= rc;
	}
	rc = 0;
	if (!any)
		goto out;
	if ((rc = sd_change_new(&c, "link")) < 0)
		goto out;
	{
		struct sd_buf subject = SD_BUF_INIT;
		for (size_t i = 0; i < n; i++)
			sd_buf__printf(&subject, "%s%s", i ? " " : "", sd_ticket_get(t[i], SD_F_ID));
		rc = sd_buf__check(&subject);
		if (rc == 0) {
			char *sp = strchr(subject.data, ' ');
			rc = sd_change_subject(c, "%.*s: link %s", (int)(sp - subject.data),
			    subject.data, sp + 1);
		}
		sd_buf__free(&subject);
		if (rc < 0)
			goto out;
	}
	rc = commit_changed(s, c, agent, t, changed, n, NULL, fn, arg);
out:
	sd_store_unlock(s);
	sd_buf__free(&others);
	sd_change_free(c);
	for (size_t i = 0; i < n; i++)
		sd_ticket_free(t[i]);
	free(t);
	free(changed);
	return rc;
}

/* One key of a link-problem step: f set to value, the event's key
 * saying what was added.  1: changed; 0: nothing to do. */
static int
problem_step(struct sd_ticket *t, enum sd_field f, const char *value, const char *key,
    const char *added, const struct sd_config *cfg, const struct sd_agent *agent, const char *at)
{
	struct sd__step st = { 0 };
	int rc;

	if (!strcmp(value, sd_ticket_get(t, f)))
		return 0;
	if ((rc = sd__step_begin(&st, cfg, agent, "link-problem", t, at, 0)) < 0 ||
	    (rc = sd__step_set(&st, f, value)) < 0 ||
	    (st.has_event && (rc = sd__step_event(&st, key, added)) < 0) ||
	    (rc = sd__step_finish(&st, sd_ticket_get(t, SD_F_STATUS))) < 0)
		rc = sd_error_set(rc, "%s: %s", sd_ticket_get(t, SD_F_ID), sd_error_message());
	sd__step_free(&st);
	return rc < 0 ? rc : 1;
}

int
sd_desk_link_problem(struct sd_store *s, const struct sd_agent *agent, long problem,
    const long *ids, size_t n, void (*fn)(const char *id, void *arg), void *arg)
{
	const struct sd_config *cfg = sd_store_config(s);
	struct sd_ticket *p = NULL, **t = calloc(n ? n : 1, sizeof(*t));
	int *changed = calloc(n + 1, sizeof(int));
	struct sd_buf list = SD_BUF_INIT, added = SD_BUF_INIT;
	struct sd_change *c = NULL;
	char now_s[SD_TIME_MAX];
	const char *pid;
	int rc, any = 0;

	if (!t || !changed) {
		free(t);
		free(changed);
		return sd__oom();
	}
	sd_time_format(now_s, sd_config_zone(cfg), sd_store_now(s));
	if ((rc = sd_store_lock(s)) < 0 || (rc = sd_store_load(s, &p, problem)) < 0)
		goto out;
	pid = sd_ticket_get(p, SD_F_ID);
	if (strcmp(sd_ticket_get(p, SD_F_TYPE), "problem")) {
		rc = sd_error_set(SD_EINVALID, _("%s is not a problem: its type is %s"), pid,
		    sd_ticket_get(p, SD_F_TYPE));
		goto out;
	}
	sd_buf__adds(&list, sd_ticket_get(p, SD_F_INCIDENTS));
	for (size_t i = 0; i < n; i++) {
		const char *id, *was;

		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				rc = sd_error_set(SD_EINVALID, "%s", _("an incident is named twice"));
				goto out;
			}
		if (ids[i] == problem) {
			rc = sd_error_set(SD_EINVALID, "%s", _("a ticket cannot be linked to itself"));
			goto out;
		}
		if ((rc = sd_store_load(s, &t[i], ids[i])) < 0)
			goto out;
		id = sd_ticket_get(t[i], SD_F_ID);
		was = sd_ticket_get(t[i], SD_F_PROBLEM);
		if (strcmp(sd_ticket_get(t[i], SD_F_TYPE), "incident")) {
			rc = sd_error_set(SD_EINVALID, _("%s is not an incident (its type is %s): only incidents are linked to a problem"),
			    id, sd_ticket_get(t[i], SD_F_TYPE));
			goto out;
		}
		if (*was && strcmp(was, pid)) {
			rc = sd_error_set(SD_EINVALID, _("%s is linked to problem %s already"), id, was);
			goto out;
		}
		if (!has_word(list.data ? list.data : "", id)) {
			sd_buf__printf(&list, "%s%s", list.len ? " " : "", id);
			sd_buf__printf(&added, "%s%s", added.len ? " " : "", id);
		}
	}
	if ((rc = sd_buf__check(&list)) < 0 || (rc = sd_buf__check(&added)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((rc = problem_step(t[i], SD_F_PROBLEM, pid, "problem", pid, cfg, agent, now_s)) < 0)
			goto out;
		any |= changed[i] = rc;
	}
	if (added.len) {
		if ((rc = problem_step(p, SD_F_INCIDENTS, list.data, "incidents", added.data, cfg, agent,
		    now_s)) < 0)
			goto out;
		any |= changed[n] = rc;
	}
	rc = 0;
	if (!any)
		goto out;
	if ((rc = sd_change_new(&c, "link-problem")) < 0 ||
	    (rc = sd_change_subject(c, "%s: link incidents %s", pid, added.len ? added.data : "")) < 0 ||
	    (changed[n] && (rc = sd_change_ticket(c, p)) < 0))
		goto out;
	rc = commit_changed(s, c, agent, t, changed, n, changed[n] ? pid : NULL, fn, arg);
out:
	sd_store_unlock(s);
	sd_buf__free(&list);
	sd_buf__free(&added);
	sd_change_free(c);
	sd_ticket_free(p);
	for (size_t i = 0; i < n; i++)
		sd_ticket_free(t[i]);
	free(t);
	free(changed);
	return rc;
}

/* Is the window from start over at now? */
static int
window_over(const struct sd_config *cfg, const char *start, const struct sd_duration *w,
    time_t now)
{
	time_t end;

	if (sd_desk_window_end(&end, cfg, start, w) < 0)
		return 0;
	return now >= end;
}

/* Which auto move a ticket is due for: "auto-close", "unmanaged" or NULL. */
static const char *
auto_due(const struct sd_config *cfg, const struct sd_ticket *t, time_t now)
{
	const char *status = sd_ticket_get(t, SD_F_STATUS);
	time_t at;

	if (!strcmp(status, "solved") &&
	    window_over(cfg, sd_ticket_get(t, SD_F_SOLVED), sd_config_accept_window(cfg), now))
		return "auto-close";
	if (!strcmp(status, "pending-info") && sd_desk_unmanaged_at(&at, cfg, t) == 0 && now >= at)
		return "unmanaged";
	return NULL;
}

struct auto_scan {
	void (*bad)(const char *message, void *arg);
	void *arg;
	const struct sd_config *cfg;
	time_t now;
	long *due;
	size_t n, cap;
	int worst;
};

static int
scan_one(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct auto_scan *a = arg;
	struct sd_ticket *t;

	if (!data || sd_ticket_parse(&t, data, len, path, SD_PARSE_HEAD) < 0) {
		if (a->bad)
			a->bad(sd_error_message(), a->arg);
		a->worst = sd_error_worst(a->worst, SD_EINVALID);
		return 0;       /* sd-fsck reports it; the others still close */
	}
	if (auto_due(a->cfg, t, a->now)) {
		if (a->n == a->cap) {
			long *v = realloc(a->due, (a->cap = a->cap ? 2 * a->cap : 64) * sizeof(*v));
			if (!v) {
				sd_ticket_free(t);
				return sd__oom();
			}
			a->due = v;
		}
		a->due[a->n++] = n;
	}
	sd_ticket_free(t);
	return 0;
}

int
sd_desk_auto(struct sd_store *s, const struct sd_agent *agent, int dry_run,
    void (*fn)(const struct sd_auto_row *row, void *arg),
    void (*bad)(const char *message, void *arg), void *arg)
{
	const struct sd_config *cfg = sd_store_config(s);
	struct auto_scan scan = { 0 };
	struct sd__count moved;
	char now_s[SD_TIME_MAX];
	int rc;

	scan.bad = bad;
	scan.arg = arg;
	scan.cfg = cfg;
	scan.now = sd_store_now(s);
	sd_time_format(now_s, sd_config_zone(cfg), scan.now);
	/* Read without the lock; take it for each change alone, so that
	 * agents are never kept waiting by a long run. */
	if ((rc = sd_store_each(s, scan_one, &scan)) < 0)
		goto out;
	sd__count_start(&moved, s->progress, dry_run ? N_("Checking tickets") :
	    N_("Closing tickets"), scan.n);
	for (size_t i = 0; i < scan.n; i++) {
		if (i)
			sd__count_add(&moved, 1);
		struct sd_ticket *t = NULL;
		struct sd_change *c = NULL;
		struct sd__step st = { 0 };
		struct sd_auto_row row;
		const char *move;
		char from[SD_STATUS_MAX];

		if (!dry_run && (rc = sd_store_lock(s)) < 0)
			break;
		if ((rc = sd_store_load(s, &t, scan.due[i])) < 0 ||
		    !(move = auto_due(cfg, t, scan.now))) {
			/* Gone, or changed by an agent since the scan; or
			 * changed by hand (sd_store_load): told of. */
			if (rc < 0 && rc != SD_ENOTFOUND && bad)
				bad(sd_error_message(), arg);
			scan.worst = sd_error_worst(scan.worst, rc);
			rc = 0;
			goto next;
		}
		snprintf(from, sizeof(from), "%s", sd_ticket_get(t, SD_F_STATUS));
		row.id = sd_ticket_get(t, SD_F_ID);
		row.from = from;
		row.to = !strcmp(move, "auto-close") ? "closed" : "unmanaged";
		/* The desk's own words, else English, marked for the people
		 * who read sd-close's table (sd/words.h). */
		row.reason = sd_words_reason(cfg, !strcmp(move, "auto-close") ?
		    SD_WORD_NO_ANSWER : SD_WORD_NO_INFORMATION);
		if (!dry_run) {
			struct sd__plan plan = { .set[SD_F_CLOSE_REASON] = row.reason,
			    .event = { { "text", row.reason } }, .nevent = 1 };
			if ((rc = sd__step_begin(&st, cfg, agent, move, t, now_s, 0)) < 0 ||
			    (rc = sd__step_move(&st, row.to)) < 0 ||
			    (rc = sd__step_apply(&st, &plan)) < 0 ||
			    (rc = sd__step_finish(&st, row.to)) < 0 ||
			    (rc = sd_change_new(&c, move)) < 0 ||
			    (rc = sd_change_subject(c, "%s: %s (%s -> %s)", row.id, move, from, row.to)) < 0 ||
			    (rc = sd_change_ticket(c, t)) < 0 ||
			    (rc = sd_store_commit(s, c, agent)) < 0)
				goto next;
			sd_store_unlock(s);
		}
		if (fn)
			fn(&row, arg);
next:
		/* A ticket the table refuses to move (a file changed by hand, say)
		 * is told of; the others still close. */
		if (t && (rc == SD_EINVALID || rc == SD_EPERM)) {
			if (strncmp(sd_error_message(), row.id, strlen(row.id)))
				sd_error_set(rc, "%s: %s", row.id, sd_error_message());
			if (bad)
				bad(sd_error_message(), arg);
			scan.worst = sd_error_worst(scan.worst, rc);
			rc = 0;
		}
		sd_store_unlock(s);
		sd__step_free(&st);
		sd_change_free(c);
		sd_ticket_free(t);
		if (rc < 0)
			break;
	}
	if (rc == 0) {
		sd__count_end(&moved);
		rc = scan.worst;
	}
out:
	free(scan.due);
	return rc;
}
