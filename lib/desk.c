/*
 * The desk's side of a ticket: registration by sd-new and its updates,
 * the waiting statuses (what is owed: lib/complete.c), the first group,
 * links back, and the hooks an action runs.
 */

#include <errno.h>
#include <git2.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "sd/action.h"
#include "store_internal.h"
#include "sd/desk.h"
#include "sd/id.h"
#include "sd/sla.h"
#include "sd/sync.h"
#include "sd/rules.h"
#include "sd/time.h"
#include "sd/workflow.h"
#include "step.h"

/* The status a ticket waits in before anyone has it: pending-info while
 * the requester owes data; else awaiting-approval or new (a ticket the
 * desk has still to classify is new, for the desk to do it). */
static const char *
waiting_status(const struct sd_ticket *t, const struct sd_config *cfg, const char **approvals)
{
	const struct sd_category *cat = NULL;
	static char roles[512];

	*approvals = "";
	/* A problem is the desk's own: no requester owes it anything. */
	if (!strcmp(sd_ticket_get(t, SD_F_TYPE), "problem"))
		return "new";
	if (sd_desk_missing(t, cfg, NULL))
		return "pending-info";
	if (*sd_ticket_get(t, SD_F_CATEGORY))
		cat = sd_config_category(cfg, sd_ticket_get(t, SD_F_CATEGORY));
	if (cat && cat->napprovals && !strcmp(sd_ticket_get(t, SD_F_TYPE), "request")) {
		roles[0] = '\0';
		for (size_t i = 0; i < cat->napprovals; i++) {
			if (i)
				strncat(roles, " ", sizeof(roles) - strlen(roles) - 1);
			strncat(roles, cat->approvals[i], sizeof(roles) - strlen(roles) - 1);
		}
		*approvals = roles;
		return "awaiting-approval";
	}
	return "new";
}

/* The level-1 group a ticket goes to: its category's, else the agent's. */
static const char *
first_group(const struct sd_config *cfg, const struct sd_agent *agent, const char *category)
{
	const struct sd_category *cat = *category ? sd_config_category(cfg, category) : NULL;
	const char *best = NULL;

	if (cat)
		return cat->level[0];
	/* The agent's own level-1 group, else the first of the store. */
	for (size_t i = 0; !best && i < agent->ngroups; i++) {
		const struct sd_group *g = sd_config_group(cfg, agent->groups[i]);
		if (g && g->level == 1)
			best = g->name;
	}
	for (size_t i = 0; !best && i < sd_config_group_count(cfg); i++)
		if (sd_config_group_at(cfg, i)->level == 1)
			best = sd_config_group_at(cfg, i)->name;
	return best;
}

/* An urgency or impact not given is medium, unless `required` lists it:
 * then it stays empty until the desk sets it (NULL), and counts as medium
 * for the priority meanwhile (sd_level_rank). */
static const char *
level_given(const struct sd_config *cfg, enum sd_field f, const char *given)
{
	const char *const *req;
	size_t n = sd_config_required(cfg, &req);

	if (given)
		return given;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(req[i], sd_field_name(f)))
			return NULL;
	return "medium";
}

/* Set field f from value, checked; NULL leaves it. */
static int
put(struct sd__step *st, enum sd_field f, const char *value)
{
	int rc;

	if (!value)
		return 0;
	if ((rc = sd_field_check(st->cfg, f, value)) < 0)
		return rc;
	return sd__step_set(st, f, value);
}

static void
subject_title(char out[80], const char *title)
{
	size_t n = strlen(title);

	if (n < 72) {
		memcpy(out, title, n + 1);
		return;
	}
	/* Cut on a character boundary. */
	n = 68;
	while (n > 0 && ((unsigned char)title[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, title, n);
	strcpy(out + n, "...");
}

static int
link_back(struct sd_store *s, struct sd_change *c, const char *related,
    const char *id, const char *at, const struct sd_agent *by)
{
	const char *prefix = sd_config_prefix(sd_store_config(s));
	struct sd_ticket *other = NULL;
	long n;
	int rc;

	if ((rc = sd_id_parse(&n, prefix, related)) < 0 ||
	    (rc = sd_store_load(s, &other, n)) < 0)
		return rc;
	if ((rc = sd__link_into(other, id, sd_store_config(s), by, at)) > 0)
		rc = sd_change_ticket(c, other);
	sd_ticket_free(other);
	return rc;
}

int
sd_desk_new(struct sd_store *s, const struct sd_agent *agent,
    const struct sd_new_params *p, char id[SD_ID_MAX])
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *const *channels;
	struct sd__step st = { 0 };
	struct sd_ticket *t = NULL;
	struct sd_change *c = NULL;
	const char *status, *approvals, *group;
	char now_s[SD_TIME_MAX], title[80], related[SD_ID_MAX] = "";
	long n, rn;
	int rc;

	{
		/* Given empty is not the same as not given: said so. */
		const char *given[] = { p->category, p->channel, p->email, p->phone, p->related };
		const char *what[] = { "category", "channel", "email", "phone", "related" };
		for (size_t i = 0; i < SD_ARRAY_SIZE(given); i++)
			if (given[i] && !*given[i])
				return sd_error_set(SD_EINVALID, _("%s must not be empty"), what[i]);
	}
	if ((rc = sd_workflow_permit(cfg, agent, NULL, "new", NULL, 0)) < 0)
		return rc;
	if ((rc = sd_ticket_new(&t)) < 0)
		return rc;
	sd_time_format(now_s, sd_config_zone(sd_store_config(s)), sd_store_now(s));
	sd_config_channels(cfg, &channels);
	if (p->related) {
		if ((rc = sd_id_parse(&rn, sd_config_prefix(cfg), p->related)) < 0)
			goto out;
		sd_id_format(related, sd_config_prefix(cfg), rn);
	}
	if ((rc = sd__step_begin(&st, cfg, agent, "new", t, now_s, 1)) < 0 ||
	    (rc = put(&st, SD_F_TYPE, p->type)) < 0 ||
	    (rc = put(&st, SD_F_TITLE, p->title)) < 0 ||
	    (rc = put(&st, SD_F_CATEGORY, p->category)) < 0 ||
	    (rc = put(&st, SD_F_CHANNEL, p->channel ? p->channel : channels[0])) < 0 ||
	    (rc = put(&st, SD_F_URGENCY, level_given(cfg, SD_F_URGENCY, p->urgency))) < 0 ||
	    (rc = put(&st, SD_F_IMPACT, level_given(cfg, SD_F_IMPACT, p->impact))) < 0 ||
	    (rc = put(&st, SD_F_REQUESTER, p->requester)) < 0 ||
	    (rc = put(&st, SD_F_REQUESTER_EMAIL, p->email)) < 0 ||
	    (rc = put(&st, SD_F_REQUESTER_PHONE, p->phone)) < 0 ||
	    (p->message_id && (rc = sd__step_event(&st, "message_id", p->message_id)) < 0))
		goto out;
	if (p->description && (rc = sd_text_check(p->description, strlen(p->description))) < 0)
		goto out;
	if (!(group = first_group(cfg, agent, sd_ticket_get(t, SD_F_CATEGORY)))) {
		rc = sd_error_set(SD_ECONFIG, "%s", _("agents.ini: no level-1 group to register tickets in"));
		goto out;
	}
	status = waiting_status(t, cfg, &approvals);
	if ((rc = sd__step_set(&st, SD_F_APPROVALS, approvals)) < 0 ||
	    (rc = sd__step_set(&st, SD_F_GROUP, group)) < 0 ||
	    (rc = sd__step_set(&st, SD_F_LEVEL, "1")) < 0 ||
	    (rc = sd__step_set(&st, SD_F_CREATED, now_s)) < 0 ||
	    (rc = sd_ticket_set(t, SD_F_ESCALATIONS, "0")) < 0 ||
	    (rc = sd_ticket_set(t, SD_F_REOPENED, "0")) < 0 ||
	    (rc = sd_ticket_set(t, SD_F_CONTACT_ATTEMPTS, "0")) < 0 ||
	    (rc = sd__step_set(&st, SD_F_RELATED, related)) < 0 ||
	    (rc = sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, p->description)) < 0 ||
	    /* The CCs after the status the event records. */
	    (p->cc && *p->cc && ((rc = sd__step_event(&st, "to", status)) < 0 ||
	    (rc = sd__step_event(&st, "cc", p->cc)) < 0)))
		goto out;
	if ((rc = sd_store_lock(s)) < 0)
		goto out;
	if ((rc = sd_store_next_id(s, &n)) < 0)
		goto out;
	sd_id_format(id, sd_config_prefix(cfg), n);
	subject_title(title, p->title);
	if ((rc = sd__step_set(&st, SD_F_ID, id)) < 0 ||
	    (rc = sd__attach_event(&st, p->files, p->nfiles)) < 0 ||
	    (rc = sd__step_finish(&st, status)) < 0 ||
	    (rc = sd_change_new(&c, "new")) < 0 ||
	    (rc = sd_change_subject(c, "%s: new %s", id, title)) < 0 ||
	    (rc = sd_change_ticket(c, t)) < 0 ||
	    (rc = sd__attach_write(c, p->files, p->nfiles)) < 0)
		goto out;
	if (*related && (rc = link_back(s, c, related, id, now_s, agent)) < 0)
		goto out;
	if ((rc = sd_store_commit(s, c, agent)) < 0)
		goto out;
out:
	sd_store_unlock(s);
	sd__step_free(&st);
	sd_change_free(c);
	sd_ticket_free(t);
	return rc;
}

int
sd_desk_update(struct sd_store *s, const struct sd_agent *agent, long n,
    const struct sd_update_params *p)
{
	const struct sd_config *cfg = sd_store_config(s);
	static const enum sd_field order[] = {
		SD_F_TITLE, SD_F_CATEGORY, SD_F_URGENCY, SD_F_IMPACT,
		SD_F_REQUESTER_EMAIL, SD_F_REQUESTER_PHONE
	};
	const char *values[] = { p->title, p->category, p->urgency, p->impact, p->email, p->phone };
	struct sd__step st = { 0 };
	struct sd_ticket *t = NULL;
	struct sd_change *c = NULL;
	char now_s[SD_TIME_MAX], changed[256] = "", from[32];
	const char *id, *status, *approvals;
	int rc, unclassified;

	sd_time_format(now_s, sd_config_zone(sd_store_config(s)), sd_store_now(s));
	if (p->text && (rc = sd_text_check(p->text, strlen(p->text))) < 0)
		return rc;
	for (size_t i = 0; i < SD_ARRAY_SIZE(order); i++) {
		if (values[i] && !*values[i])
			return sd_error_set(SD_EINVALID, _("%s cannot be emptied (sd-edit can)"),
			    sd_field_name(order[i]));
		if (values[i] && (rc = sd_field_check(cfg, order[i], values[i])) < 0)
			return rc;
	}
	if ((rc = sd_store_lock(s)) < 0 || (rc = sd_store_load(s, &t, n)) < 0)
		goto out;
	id = sd_ticket_get(t, SD_F_ID);
	snprintf(from, sizeof(from), "%s", sd_ticket_get(t, SD_F_STATUS));
	unclassified = !*sd_ticket_get(t, SD_F_CATEGORY);
	if (sd_status_final(from)) {
		rc = sd_error_set(SD_EINVALID, _("%s: the ticket is %s; nothing changes it"), id, from);
		goto out;
	}
	for (size_t i = 0; i < SD_ARRAY_SIZE(order); i++) {
		if (!values[i] || !strcmp(values[i], sd_ticket_get(t, order[i])))
			continue;
		if (*changed)
			strcat(changed, " ");
		strcat(changed, sd_field_name(order[i]));
	}
	if (!*changed && !p->text) {
		rc = 1;         /* it says so already: no commit */
		goto out;
	}
	if ((rc = sd__step_begin(&st, cfg, agent, "update", t, now_s, 0)) < 0)
		goto out;
	for (size_t i = 0; i < SD_ARRAY_SIZE(order); i++)
		if (values[i] && strcmp(values[i], sd_ticket_get(t, order[i])) &&
		    (rc = sd__step_set(&st, order[i], values[i])) < 0)
			goto fail;
	if (p->category && sd_ticket_number(t, SD_F_LEVEL) == 1 &&
	    (rc = sd__step_set(&st, SD_F_GROUP, sd_config_category(cfg, p->category)->level[0])) < 0)
		goto fail;
	status = from;
	/* Completed by the requester's data, or classified by the desk for
	 * the first time (a new ticket that came without a category): it
	 * waits as a ticket registered so would, for its approvals too. */
	if (!strcmp(from, "pending-info") || (!strcmp(from, "new") && unclassified && p->category)) {
		status = waiting_status(t, cfg, &approvals);
		if (!strcmp(from, "new") && !strcmp(status, "pending-info"))
			status = from;  /* never back to the requester */
		if (strcmp(status, from) && (rc = sd__step_set(&st, SD_F_APPROVALS, approvals)) < 0)
			goto fail;
	}
	if ((*changed && (rc = sd__step_event(&st, "changed", changed)) < 0) ||
	    (rc = sd__step_move(&st, status)) < 0 ||
	    (p->text && (rc = sd__step_event(&st, "text", p->text)) < 0) ||
	    (rc = sd__step_finish(&st, status)) < 0)
		goto fail;
	if ((rc = sd_change_new(&c, "update")) < 0 ||
	    (rc = sd_change_subject(c, "%s: update %s", id, *changed ? changed : "(note)")) < 0 ||
	    (rc = sd_change_ticket(c, t)) < 0 ||
	    (rc = sd_store_commit(s, c, agent)) < 0)
		goto out;
	goto out;
fail:
	rc = sd_error_set(rc, "%s: %s", id, sd_error_message());
out:
	sd_store_unlock(s);
	sd__step_free(&st);
	sd_change_free(c);
	sd_ticket_free(t);
	return rc;
}

/* Does HEAD's tree hold rel?  A hooks/ path there came in from outside
 * (the layout refuses it), and a plain clone wrote it out: never run. */
static int
in_head(const struct sd_store *s, const char *rel)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_oid head;
	int found;

	found = git_reference_name_to_id(&head, s->repo, "HEAD") == 0 &&
	    git_commit_lookup(&c, s->repo, &head) == 0 && git_commit_tree(&tree, c) == 0 &&
	    git_tree_entry_bypath(&e, tree, rel) == 0;
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return found;
}

int
sd_desk_hook(const struct sd_store *s, const char *action, const char *id,
    const struct sd_agent *agent, const char *input)
{
	struct sd_buf path = SD_BUF_INIT;
	struct stat st;
	const struct sd_action *row = sd_action_find(action);
	int pipefd[2] = { -1, -1 }, status, rc = 0, hub_mails;
	pid_t pid;

	/* An action runs its hook when its row says so; hooks/sla is no action. */
	if (row && !(row->flags & SD_ACT_HOOK))
		return 0;
	sd_buf__printf(&path, "%s/hooks/%s", sd_store_root(s), action);
	if ((rc = sd_buf__check(&path)) < 0)
		return rc;
	if (stat(path.data, &st) < 0 || !S_ISREG(st.st_mode) || access(path.data, X_OK) < 0) {
		sd_buf__free(&path);
		return 0;
	}
	/* The store's hooks are each machine's own (SPEC section 9). */
	if (in_head(s, path.data + strlen(sd_store_root(s)) + 1)) {
		rc = sd_error_set(SD_EIO, _("hooks/%s: not run, the store's history holds a "
		    "file of that name (hooks are machine-local; sd-fsck --repair removes "
		    "what git wrote out)"), action);
		sd_buf__free(&path);
		return rc;
	}
	if (input && pipe(pipefd) < 0) {
		rc = sd_error_set(SD_EIO, "hooks/%s: %s", action, strerror(errno));
		goto out;
	}
	/* At a site the hub sends the desk's mail: told to the hook. */
	hub_mails = !sd_automation_here(s, SD_AUTO_HOOK_MAIL);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = sd_error_set(SD_EIO, "hooks/%s: %s", action, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int in = input ? pipefd[0] : open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0)
			_exit(127);
		if (input)
			close(pipefd[1]);
		/* A hook's output is for people, never for the pipe we feed. */
		dup2(2, 1);
		setenv("SD_STORE", sd_store_root(s), 1);
		setenv("SD_ACTION", action, 1);
		if (id)
			setenv("SD_TICKET", id, 1);
		else
			unsetenv("SD_TICKET");
		if (agent)
			setenv("SD_AGENT", agent->id, 1);
		if (hub_mails)
			setenv("SD_AUTOMATION", "hub", 1);
		else
			unsetenv("SD_AUTOMATION");
		execl(path.data, path.data, id, (char *)NULL);
		_exit(127);
	}
	if (input) {
		size_t len = strlen(input);
		const char *p = input;
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		close(pipefd[0]);
		while (len > 0) {
			ssize_t w = write(pipefd[1], p, len);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			len -= (size_t)w;
		}
		close(pipefd[1]);
		signal(SIGPIPE, old);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (status != 0)
		rc = sd_error_set(SD_EIO, _("hooks/%s failed (%s %d)"), action,
		    WIFSIGNALED(status) ? _("signal") : _("exit status"),
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	sd_buf__free(&path);
	return rc;
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	sd_buf__free(&path);
	return rc;
}

int
sd_desk_edit_target(struct sd_store *s, const char *arg, long *n, char **rel)
{
	const char *prefix = sd_config_prefix(sd_store_config(s));
	const char *base = strrchr(arg, '/');
	char *real = NULL, *want = NULL;
	int rc;

	*n = 0;
	*rel = NULL;
	base = base ? base + 1 : arg;
	if (!strcmp(base, "sites.ini"))
		return sd_error_set(SD_EPERM, "%s", _("sites.ini: no one edits it; only sd-sync "
		    "writes it, when the hub leases a block of numbers"));
	for (int f = 0; f < 4; f++) {
		if (strcmp(base, sd_config_files[f]))
			continue;
		/* "sd.ini", or a path that is the store's sd.ini. */
		if (base != arg) {
			struct sd_buf b = SD_BUF_INIT;
			sd_buf__printf(&b, "%s/%s", sd_store_root(s), base);
			real = realpath(arg, NULL);
			want = sd_buf__detach(&b);
			rc = real && want && !strcmp(real, want);
			free(real);
			free(want);
			if (!rc)
				break;
		}
		return (*rel = sd__strdup(base)) ? 0 : sd__oom();
	}
	if (base != arg || (strlen(arg) > 4 && !strcmp(arg + strlen(arg) - 4, ".ini"))) {
		long num = 0;
		size_t len = strlen(base);
		char id[SD_ID_MAX];

		if (len > 4 && len - 4 < sizeof(id)) {
			memcpy(id, base, len - 4);
			id[len - 4] = '\0';
			if (!strcmp(base + len - 4, ".ini") && sd_id_parse(&num, prefix, id) == 0)
				*n = num;
		}
		if (!*n)
			return sd_error_set(SD_EINVALID,
			    _("%s: not a ticket or a configuration file of this store"), arg);
	} else if ((rc = sd_id_parse(n, prefix, arg)) < 0) {
		return rc;
	}
	return sd_id_path(rel, prefix, *n);
}
