/* sd-sla - open tickets at risk of missing their SLA, or past it */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-sla [-C DIR] [--format table|text|tsv|csv|json] [--new-only] [--warn PCT]\n");

enum { OPT_FORMAT = SD_OPT_FIRST_OWN, OPT_NEW_ONLY, OPT_WARN };

/* Marked for the table's header: translated for people, while the names
 * themselves, in the machine formats and for hooks/sla, never change. */
static const char *const names[] = {
	N_("id"), N_("clock"), N_("state"), N_("due"), N_("elapsed_pct"), N_("group"),
	N_("assignee"), N_("title")
};
static const int numeric[] = { 0, 0, 0, 0, 1, 0, 0, 0 };
/* The clocks by enum sd_clock, as the machine formats name them. */
static const char *const clocks[] = { N_("response"), N_("resolution"), N_("unmanaged") };

struct scan {
	const struct sd_config *cfg;
	int human;              /* the table: clocks and states in words */
	time_t now;
	int warn;
	struct sd_table *table;
	struct sd_table *hook;  /* the same rows as tsv, for hooks/sla */
	int worst;              /* 0 none, 1 at risk, 2 breached */
	int at_risk, breached;  /* clocks found so, told before or not */
	int open, unread;       /* open tickets read; files not read */
	int status;             /* the worst error met */
	int told;               /* rows printed and handed to the hook */
	const struct sd_sla_told *before;       /* --new-only: told by earlier runs */
	struct sd_sla_told *after;              /* and what this run leaves told */
};

/* --new-only: what earlier runs told of a ticket that cannot be read now
 * stays told. */
static int
keep(struct scan *sc, long n)
{
	char id[SD_ID_MAX];

	if (!sc->after)
		return 0;
	sd_id_format(id, sd_config_prefix(sc->cfg), n);
	return sd_sla_told_keep(sc->after, sc->before, id);
}

static int
on_ticket(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct scan *sc = arg;
	struct sd_sla_finding f[SD_SLA_FINDINGS_MAX];
	struct sd_ticket *t = NULL;
	char status[32];
	int nf, rc;

	if (!data) {
		sd_cli_fail(SD_EINVALID);
		sc->status = sd_error_worst(sc->status, SD_EINVALID);
		sc->unread++;
		return keep(sc, n);
	}
	if (sd_ticket_peek_status(data, len, status) && !sd_status_open(status))
		return 0;       /* only open tickets have clocks to watch */
	if ((rc = sd_ticket_parse(&t, data, len, path, SD_PARSE_CLOCK)) < 0 ||
	    (rc = sd_sla_findings(f, &nf, t, sc->cfg, sc->now, sc->warn)) < 0) {
		sd_cli_fail(rc);        /* reported; the others still count */
		sc->status = sd_error_worst(sc->status, rc);
		sc->unread++;
		sd_ticket_free(t);
		return keep(sc, n);
	}
	if (sd_status_open(sd_ticket_get(t, SD_F_STATUS)))
		sc->open++;
	for (int i = 0; i < nf; i++) {
		char due[SD_TIME_MAX] = "", pct[16];
		const char *cells[8];

		/* The exit status is the worst state now, told before or not. */
		if (f[i].state == SD_SLA_BREACHED) {
			sc->worst = 2;
			sc->breached++;
		} else {
			sc->at_risk++;
			if (sc->worst < 1)
				sc->worst = 1;
		}
		if (sc->after && (rc = sd_sla_told_mark(sc->after, sc->before,
		    sd_ticket_get(t, SD_F_ID), f[i].clock, f[i].state)) <= 0) {
			if (rc < 0)
				break;
			continue;       /* told already */
		}
		if (f[i].known)
			sd_time_format(due, sd_config_zone(sc->cfg), f[i].due);
		snprintf(pct, sizeof(pct), "%d", f[i].pct);
		cells[0] = sd_ticket_get(t, SD_F_ID);
		cells[1] = clocks[f[i].clock];
		cells[2] = f[i].state == SD_SLA_BREACHED ? N_("breached") : N_("at-risk");
		cells[3] = due;
		cells[4] = pct;
		cells[5] = sd_ticket_get(t, SD_F_GROUP);
		cells[6] = sd_ticket_get(t, SD_F_ASSIGNEE);
		cells[7] = sd_ticket_get(t, SD_F_TITLE);
		sd_table_row(sc->hook, cells);
		if (sc->human) {
			cells[1] = _(cells[1]);
			cells[2] = _(cells[2]);
		}
		sd_table_row(sc->table, cells);
		sc->told++;
	}
	sd_ticket_free(t);
	return rc < 0 ? rc : 0;
}

/* The monitoring plugin's words for exit statuses 0 to 3. */
static const char *const plugin_state[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* The plugin's first line (sd-sla(1)): its state, what was found, and the
 * performance data after "|". */
static void
summary(const struct scan *sc, int rc)
{
	printf("SD-SLA %s - ", plugin_state[rc]);
	if (sc->unread)
		printf(_("%d at risk, %d breached, %d not read"), sc->at_risk, sc->breached,
		    sc->unread);
	else
		printf(_("%d at risk, %d breached"), sc->at_risk, sc->breached);
	printf(" | at_risk=%d;;; breached=%d;;; open=%d;;;\n", sc->at_risk, sc->breached,
	    sc->open);
}

/* sd-sla's own failure, in the plugin's convention: exit 3 (UNKNOWN), the
 * message on stderr as every command's, and for people the plugin's line
 * on stdout too. */
static int
unknown(int human, const char *msg)
{
	if (human)
		printf("SD-SLA UNKNOWN - %s\n", msg);
	sd_cli_exit(0);
	return 3;
}

static int
bad_usage(int human, const char *fmt, const char *arg)
{
	char msg[512];

	if (!fmt) {
		sd_cli_usage(usage, NULL);
		return unknown(human, _("bad usage (see standard error)"));
	}
	snprintf(msg, sizeof(msg), fmt, arg);
	sd_cli_usage(usage, "%s", msg);
	return unknown(human, msg);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "new-only", no_argument, NULL, OPT_NEW_ONLY },
		{ "warn", required_argument, NULL, OPT_WARN },
		{ NULL, 0, NULL, 0 }
	};
	enum sd_format format = SD_FORMAT_TABLE;
	struct scan sc = { 0 };
	struct sd_store *s = NULL;
	const char *dir = NULL, *labels[8];
	char *findings = NULL, *end;
	size_t flen = 0;
	char *shown = NULL;
	size_t slen = 0;
	FILE *mem = NULL, *out = NULL;
	struct sd_sla_told *before = NULL;
	long warn = -1;
	int c, rc, new_only = 0, human = 1;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_FORMAT:
			if (sd_format_parse(&format, optarg, "table,text,tsv,csv,json") < 0)
				return bad_usage(human, "--format: %s", sd_error_message());
			human = format == SD_FORMAT_TABLE || format == SD_FORMAT_TEXT;
			break;
		case OPT_NEW_ONLY: new_only = 1; break;
		case OPT_WARN:
			warn = strtol(optarg, &end, 10);
			if (!*optarg || *end || warn < 1 || warn > 100)
				return bad_usage(human, _("--warn: '%s' is not a percent from 1 to 100"),
				    optarg);
			break;
		default: return bad_usage(human, NULL, NULL);
		}
	}
	if (optind < argc)
		return bad_usage(human, _("unexpected argument '%s'"), argv[optind]);
	if ((rc = sd_cli_now(&sc.now)) < 0 || (rc = sd_cli_open(&s, NULL, dir, 0)) < 0)
		goto fail;
	/* --new-only alerts: at a site whose hub does the automation, nothing. */
	if (new_only && !sd_cli_automation(s, SD_AUTO_SLA_ALERT)) {
		rc = 0;
		goto out;
	}
	/* --new-only: the store's lock from reading what was told to writing
	 * it, so that two runs never both tell the same clock. */
	if (new_only && ((rc = sd_store_lock(s)) < 0 || (rc = sd_sla_told_load(s, &before)) < 0 ||
	    (rc = sd_sla_told_new(&sc.after)) < 0))
		goto fail;
	sc.before = before;
	sc.cfg = sd_store_config(s);
	sc.warn = warn > 0 ? (int)warn : sd_config_warn(sc.cfg);
	sc.human = human;
	for (int i = 0; i < 8; i++)
		labels[i] = _(names[i]);
	/* For people the table waits for the summary line, which goes first. */
	if (human && !(out = open_memstream(&shown, &slen))) {
		rc = sd_error_set(SD_EIO, "%s", strerror(errno));
		goto fail;
	}
	if (!(mem = open_memstream(&findings, &flen)) ||
	    (rc = sd_table_new(&sc.table, human ? out : stdout,
	    format | (isatty(STDOUT_FILENO) ? SD_FORMAT_VISIBLE : 0), 8, names, numeric)) < 0 ||
	    (rc = sd_table_labels(sc.table, labels)) < 0 ||
	    (rc = sd_table_new(&sc.hook, mem, SD_FORMAT_TSV, 8, names, numeric)) < 0 ||
	    (rc = sd_store_each(s, on_ticket, &sc)) < 0)
		goto fail;
	sd_table_end(sc.table);
	sd_table_end(sc.hook);
	fclose(mem);
	mem = NULL;
	if (out) {
		fclose(out);
		out = NULL;
	}
	if (new_only) {
		if ((rc = sd_sla_told_save(s, sc.after)) < 0)
			goto fail;
		sd_store_unlock(s);
	}
	/* hooks/sla alerts: at such a site the listing alone. */
	if (sc.told && sd_cli_automation(s, SD_AUTO_SLA_ALERT)) {
		const struct sd_agent *agent = NULL;
		if (sd_store_agent(s, &agent) < 0)
			agent = NULL;   /* sd-sla needs no agent; the hook hears of one if known */
		sd_cli_hook(s, "sla", NULL, agent, findings);
	}
	/* What a monitor must hear first: a breach, a risk; then a bad file. */
	rc = sc.worst ? sc.worst : sc.status ? 3 : 0;
	/* For people: the plugin's line, then the table; with --new-only, as
	 * the table, only when a clock is told, so that cron mails nothing
	 * otherwise. */
	if (human && (!new_only || sc.told)) {
		summary(&sc, rc);
		fwrite(shown, 1, slen, stdout);
	}
	goto out;
fail:
	sd_cli_fail(rc);
	rc = unknown(human, sd_error_message());
out:
	if (mem)
		fclose(mem);
	if (out)
		fclose(out);
	free(shown);
	free(findings);
	sd_sla_told_free(before);
	sd_sla_told_free(sc.after);
	sd_table_free(sc.table);
	sd_table_free(sc.hook);
	sd_store_free(s);
	/* Any failure, writing the output too, is the plugin's UNKNOWN. */
	rc = sd_cli_exit(rc);
	return rc > 3 ? 3 : rc;
}
