/* sd-mail - register tickets and notes from email */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"
#include "sd/mail.h"
#include "sd/mail_out.h"

static const char *const usage = N_(
	"usage: sd-mail [-C DIR] [-t TYPE] [-f SENDER] [--dry-run] < MESSAGE\n"
	"       sd-mail [-C DIR] --flush\n");

enum { OPT_DRY_RUN = SD_OPT_FIRST_OWN, OPT_FLUSH };

static void
not_sent(const char *name, const char *why, void *arg)
{
	char msg[1200];

	(void)arg;
	snprintf(msg, sizeof(msg), _("%s: not sent: %s"), name, why);
	sd_cli_say(msg);
}

static void
ask_warn(const char *msg, void *arg)
{
	(void)arg;
	sd_cli_say(msg);
}

/* --flush: the mails of commits after .git/sd-mailed queued (a command
 * killed between its commit and its mail), then every queued mail sent,
 * oldest first; 75 while some are left. */
static int
flush(const char *dir)
{
	struct sd_store *s = NULL;
	int rc;

	if ((rc = sd_cli_open(&s, NULL, dir, 0)) < 0)
		return sd_cli_exit(sd_cli_fail(rc));
	if (!sd_cli_automation(s, SD_AUTO_MAIL_FLUSH)) {
		sd_cli_close(s);
		return sd_cli_exit(0);
	}
	/* The approval requests first: their mails join the queue. */
	sd_mail_asks(s, 1, ask_warn, NULL);
	sd_mail_catch_up(s, NULL, 0, ask_warn, NULL);
	rc = sd_mail_flush(s, not_sent, NULL);
	sd_cli_close(s);
	if (rc < 0)
		return sd_cli_exit(sd_cli_fail(rc));
	return sd_cli_exit(rc > 0 ? sd_error_exit(SD_EBUSY) : 0);
}

/* --dry-run: what the message would do, and the text it would leave. */
static void
show(const struct sd_mail_route *r, const struct sd_mail_draft *d, const char *type,
    const char *prefix)
{
	char id[SD_ID_MAX];

	sd_id_format(id, prefix, r->ticket);
	if (r->action == SD_MAIL_NOTE) {
		printf("action: note\nticket: %s\n", id);
	} else if (r->action == SD_MAIL_CLOSE) {
		printf("action: close\nticket: %s\nrating: %d\n", id, r->rating);
	} else if (r->action == SD_MAIL_REOPEN) {
		printf("action: reopen\nticket: %s\n", id);
	} else if (r->action == SD_MAIL_APPROVE || r->action == SD_MAIL_DENY) {
		printf("action: %s\nticket: %s\nrole: %s\nby: %s\n",
		    r->action == SD_MAIL_APPROVE ? "approve" : "deny", id, r->role, r->approver);
	} else {
		printf("action: new\ntype: %s\nchannel: email\ntitle: %s\nrequester: %s\n"
		    "requester_email: %s\n", type, d->title, d->requester, d->email ? d->email : "");
		if (r->action == SD_MAIL_RELATED)
			printf("related: %s\n", id);
		if (d->cc)
			printf("cc: %s\n", d->cc);
	}
	for (size_t i = 0; i < d->nfiles; i++) {
		char size[SD_ATTACH_SIZE_WORDS];

		sd_attach_size_words(size, d->files[i].len);
		printf("attachment: %s (%s, %s)\n", d->files[i].name, d->files[i].type, size);
	}
	if (d->text)
		printf("\n%s\n", d->text);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "flush", no_argument, NULL, OPT_FLUSH },
		{ "type", required_argument, NULL, 't' },
		{ "sender", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_mail_draft d = { 0 };
	struct sd_mail_route r;
	const struct sd_agent *agent;
	struct sd_store *s = NULL;
	struct sd_mail *m = NULL;
	const char *dir = NULL, *type = "incident", *sender = NULL;
	char id[SD_ID_MAX];
	int c, rc, dry_run = 0, flushing = 0;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:f:ht:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'f': sender = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 't': type = optarg; break;
		case OPT_DRY_RUN: dry_run = 1; break;
		case OPT_FLUSH: flushing = 1; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (optind < argc)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind]);
	if (flushing) {
		if (dry_run || sender || strcmp(type, "incident"))
			return sd_cli_usage(usage, "%s", _("--flush takes no -t, -f or --dry-run"));
		return flush(dir);
	}
	if (strcmp(type, "incident") && strcmp(type, "request"))
		return sd_cli_usage(usage, _("-t: '%s' is not incident or request"), type);
	/* The envelope sender: -f, else what Postfix's local(8) and Exim's
	 * pipe transport set for the command they run ("" for a bounce). */
	if (!sender)
		sender = getenv("SENDER");
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) < 0)
		goto out;
	/* At a site whose hub reads the desk's mail: the message is taken
	 * (a mail transport must not see it refused) and nothing is done. */
	if (!sd_cli_automation(s, SD_AUTO_MAIL_IN)) {
		char buf[8192];

		while (fread(buf, 1, sizeof(buf), stdin) > 0)
			;
		goto out;
	}
	if ((rc = sd_mail_read_from(&m, stdin, sd_config_mail_limits(sd_store_config(s)),
	    sender)) < 0 ||
	    (rc = sd_mail_decide(&r, s, m)) < 0)
		goto out;
	if (r.action == SD_MAIL_IGNORE) {
		char msg[600];
		/* Counted, in the store's machine-local state. */
		if (!dry_run && (rc = sd_mail_count_ignored(s, r.reason)) < 0)
			goto out;
		snprintf(msg, sizeof(msg), _("ignored: %s"), r.why);
		sd_cli_say(msg);
		/* An approver's fresh mail: told how to answer, the request again. */
		if (!dry_run && r.ask_again) {
			int sent = sd_mail_approval_again(s, r.ask_again, m->from_addr, m->message_id);
			char tid[SD_ID_MAX];

			sd_id_format(tid, sd_config_prefix(sd_store_config(s)), r.ask_again);
			if (sent < 0) {
				sd_cli_warn(_("mail not sent, kept for sd-mail --flush: %s"),
				    sd_error_message());
			} else if (sent > 0) {
				snprintf(msg, sizeof(msg), _("%s: an approval is given only by a reply "
				    "to its request; the request is sent again to %s"), tid, m->from_addr);
				sd_cli_say(msg);
			}
		}
		/* A stranger refused is told so, by mail. */
		if (!dry_run && !strcmp(r.reason, "stranger") &&
		    sd_mail_refused(s, r.ticket, m->from_name, m->from_addr, m->message_id,
		    m->subject) < 0)
			sd_cli_warn(_("mail not sent, kept for sd-mail --flush: %s"),
			    sd_error_message());
		goto out;
	}
	if ((rc = sd_mail_draft(&d, m, &r, sd_store_config(s))) < 0)
		goto out;
	if (dry_run) {
		show(&r, &d, type, sd_config_prefix(sd_store_config(s)));
	} else if ((rc = sd_mail_apply(s, agent, &r, &d, type, id)) == 0) {
		int approval = r.action == SD_MAIL_APPROVE || r.action == SD_MAIL_DENY;

		puts(id);
		/* An approval's hook runs as the approver, who gave it. */
		sd_cli_hook(s, r.action == SD_MAIL_NOTE ? "note" : r.action == SD_MAIL_CLOSE ? "close" :
		    r.action == SD_MAIL_REOPEN ? "reopen" : r.action == SD_MAIL_APPROVE ? "approve" :
		    r.action == SD_MAIL_DENY ? "deny" : "new", id,
		    approval ? sd_config_agent(sd_store_config(s), r.approver) : agent, NULL);
	}
out:
	if (rc < 0)
		rc = sd_cli_fail(rc);
	sd_mail_draft_free(&d);
	sd_mail_free(m);
	sd_mail_shutdown();
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
