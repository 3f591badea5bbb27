/*
 * The page of sd-report --format html, for people: the figures, as an
 * HTML table, and five charts, inline SVG; no script, nothing fetched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "report_internal.h"
#include "sd/format.h"
#include "sd/report.h"
#include "sd/time.h"

/* s as HTML text.  HTML holds no control characters: they are shown as
 * a terminal shows them (sd_visible), ESC as ^[. */
static void
html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		size_t k = sd_control_len(s);

		if (k) {
			char one[3] = { s[0], k > 1 ? s[1] : '\0', '\0' }, *v;

			if (sd_visible(&v, one, 0) == 0) {
				fputs(v, f);
				free(v);
			}
			s += k - 1;
			continue;
		}
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: putc(*s, f);
		}
	}
}

/* A header of the figures' table, its words set upright (CSS: th.v), so
 * that 20 columns and more fit the width of a screen. */
static void
html_header(FILE *f, const char *s)
{
	fputs("<th class=\"v\"><span>", f);
	html_text(f, s);
	fputs("</span></th>", f);
}

static const char *const colours[] = { "#3b6ea5", "#e08a2c", "#5a9e4b", "#b5483f", "#7d5ba6" };

/* Vertical bars: n groups of ns series each, labels under the groups;
 * scaled to `full` (a percentage: 100), or to the highest when 0. */
static void
svg_columns(FILE *f, const char *title, const char *const *labels, size_t n,
    const double *values, size_t ns, const char *const *series, const char *unit,
    double full)
{
	const int w = 600, h = 260, left = 48, bottom = 60, top = 30;
	double max = full;
	double slot;

	for (size_t i = 0; !full && i < n * ns; i++)
		if (values[i] > max)
			max = values[i];
	if (max <= 0)
		max = 1;
	slot = n ? (double)(w - left - 10) / (double)n : 0;
	fprintf(f, "<figure><figcaption>");
	html_text(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", w, h, w, h);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
	    left, h - bottom, w - 10, h - bottom);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f%s</text>\n",
	    left - 4, top + 4, max, unit);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n",
	    left - 4, h - bottom);
	for (size_t i = 0; i < n; i++) {
		double bw = slot * 0.8 / (double)ns;
		for (size_t k = 0; k < ns; k++) {
			double v = values[i * ns + k];
			double bh = v / max * (double)(h - bottom - top);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
			    "<title>%.1f</title></rect>\n",
			    left + slot * (double)i + slot * 0.1 + bw * (double)k,
			    (double)(h - bottom) - bh, bw, bh, colours[k % 5], v);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
		    "transform=\"rotate(-40 %.1f %d)\">", left + slot * ((double)i + 0.5),
		    h - bottom + 14, left + slot * ((double)i + 0.5), h - bottom + 14);
		html_text(f, labels[i]);
		fputs("</text>\n", f);
	}
	for (size_t k = 0; ns > 1 && k < ns; k++) {
		fprintf(f, "<rect x=\"%zu\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		    "<text x=\"%zu\" y=\"15\" font-size=\"11\">", (size_t)left + k * 140,
		    colours[k % 5], (size_t)left + k * 140 + 14);
		html_text(f, series[k]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

/* Horizontal bars, the largest first, at most `most`. */
static void
svg_bars(FILE *f, const char *title, const struct groups *g, size_t most)
{
	struct acc **v = sd__report_sorted(g);
	const int w = 600, row = 20, left = 200;
	size_t n = 0;
	long max = 1;

	if (!v)
		return;
	while (v[n])
		n++;
	/* By size, then name. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j]->tickets > v[j - 1]->tickets; j--) {
			struct acc *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (n > most)
		n = most;
	for (size_t i = 0; i < n; i++)
		if (v[i]->tickets > max)
			max = v[i]->tickets;
	fprintf(f, "<figure><figcaption>");
	html_text(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
	    "role=\"img\">\n", w, n * row + 10);
	for (size_t i = 0; i < n; i++) {
		double bw = (double)v[i]->tickets / (double)max * (double)(w - left - 60);
		fprintf(f, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" text-anchor=\"end\">", left - 6,
		    i * row + 15);
		html_text(f, *v[i]->key ? v[i]->key : _("(none)"));
		fprintf(f, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		    "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\">%ld</text>\n", left, i * row + 4, bw,
		    row - 6, colours[0], left + bw + 4, i * row + 15, v[i]->tickets);
	}
	fputs("</svg></figure>\n", f);
	free(v);
}

/* A target as sla.ini writes it: 4bh, 3bd, 30m. */
static void
duration_text(char *out, size_t size, const struct sd_duration *d)
{
	long long s = d->amount;

	if (d->unit == SD_DUR_BUSINESS_DAYS)
		snprintf(out, size, "%lldbd", s);
	else if (d->unit == SD_DUR_BUSINESS)
		snprintf(out, size, s % 3600 ? "%lldbm" : "%lldbh", s % 3600 ? s / 60 : s / 3600);
	else if (s % 86400 == 0 && s)
		snprintf(out, size, "%lldd", s / 86400);
	else
		snprintf(out, size, s % 3600 ? "%lldm" : "%lldh", s % 3600 ? s / 60 : s / 3600);
}

/* What the figures cover (--since, --until as given) and the targets
 * they are held to (sla.ini). */
static void
period_and_targets(FILE *f, const struct sd_report *r)
{
	static const char *const types[] = { "incident", "request" };
	const char *since = r->o ? r->o->since : NULL, *until = r->o ? r->o->until : NULL;
	char line[512], d[32];

	if (since && until)
		snprintf(line, sizeof(line), _("Period: tickets created from %s to before %s."),
		    since, until);
	else if (since)
		snprintf(line, sizeof(line), _("Period: tickets created from %s."), since);
	else if (until)
		snprintf(line, sizeof(line), _("Period: tickets created before %s."), until);
	else
		snprintf(line, sizeof(line), "%s", _("Period: all time."));
	fputs("<p class=\"period\">", f);
	html_text(f, line);
	fputs("</p>\n", f);
	if (!r->o || !r->o->cfg)
		return;
	fputs("<table class=\"targets\">\n<caption>", f);
	html_text(f, _("SLA targets (sla.ini)"));
	fputs("</caption>\n<tr><th>", f);
	html_text(f, _("type"));
	fputs("</th><th>", f);
	html_text(f, _("response"));
	fputs("</th>", f);
	for (int p = 1; p <= 4; p++) {
		snprintf(line, sizeof(line), _("resolution, priority %d"), p);
		fputs("<th>", f);
		html_text(f, line);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (int t = 0; t < 2; t++) {
		fprintf(f, "<tr><td class=\"k\">%s</td>", types[t]);
		duration_text(d, sizeof(d), sd_config_response(r->o->cfg, (enum sd_type)t));
		fprintf(f, "<td>%s</td>", d);
		for (int p = 1; p <= 4; p++) {
			duration_text(d, sizeof(d), sd_config_resolution(r->o->cfg, (enum sd_type)t, p));
			fprintf(f, "<td>%s</td>", d);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

int
sd_report_write_html(const struct sd_report *r, FILE *f, const char *title)
{
	static const char *const buckets[] = {
		N_("< 1 day"), N_("1-3 days"), N_("3-7 days"), N_("7-30 days"), N_("> 30 days")
	};
	const char *sla_series[] = { _("response met %"), _("resolution met %") };
	const char *flow_series[] = { _("opened"), sd__report_label(N_("report column|solved")) };
	struct acc **opened = sd__report_sorted(&r->charts[C_OPENED]);
	struct acc **levels = sd__report_sorted(&r->charts[C_LEVEL]);
	const char *labels[64];
	double values[128];
	char when[SD_TIME_MAX], at[256];
	FILE *table = NULL;
	char *buf = NULL;
	size_t len = 0, n, first;
	int rc;

	if (!opened || !levels) {
		free(opened);
		free(levels);
		return sd__oom();
	}
	sd_time_format(when, r->zone, r->now);
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>", f);
	html_text(f, title);
	fputs("</title>\n<style>\n"
	    "body{font-family:sans-serif;margin:8px;color:#222}\n"
	    "table{border-collapse:collapse;font-size:11px;margin-bottom:1em}\n"
	    "th,td{border:1px solid #ccc;padding:2px 3px;text-align:right}\n"
	    "th{background:#eef2f7;font-weight:normal}\n"
	    "th.v{vertical-align:bottom;text-align:left}\n"
	    "th.v span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}\n"
	    "td.k{text-align:left;overflow-wrap:anywhere}tr.total td{font-weight:bold}\n"
	    "caption{text-align:left;font-weight:bold}\n"
	    "figure{display:inline-block;vertical-align:top;margin:1em 1em 1em 0}\n"
	    "figcaption{font-weight:bold}svg{max-width:100%;height:auto}\n"
	    "</style></head><body>\n<h1>", f);
	html_text(f, title);
	snprintf(at, sizeof(at), _("At %s; %ld tickets."), when, r->total.tickets);
	fputs("</h1>\n<p>", f);
	html_text(f, at);
	fputs("</p>\n", f);
	period_and_targets(f, r);
	/* The figures, through the tsv writer, as an HTML table. */
	if (!(table = open_memstream(&buf, &len))) {
		rc = sd__oom();
		goto out;
	}
	if ((rc = sd_report_write(r, table, SD_FORMAT_TSV)) < 0)
		goto out;
	fclose(table);
	table = NULL;
	/* Its header in words for people, and the totals row's keys too. */
	fputs("<table>\n<tr>", f);
	for (size_t k = 0; k < r->nby; k++)
		html_header(f, sd__report_label(sd__report_key_labels[r->by[k]]));
	for (size_t c = 0; c < NCOLUMNS; c++)
		html_header(f, sd__report_label(sd__report_column_labels[c]));
	fputs("</tr>\n", f);
	for (char *line = strchr(buf, '\n'), *nl; line && *++line; line = nl) {
		int total, col = 0;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		total = !nl || !nl[1];
		fprintf(f, "<tr%s>", total && r->nby ? " class=\"total\"" : "");
		for (char *cell = line, *tab; cell; cell = tab ? tab + 1 : NULL, col++) {
			int key = (size_t)col < r->nby;
			if ((tab = strchr(cell, '\t')))
				*tab = '\0';
			fputs(key ? "<td class=\"k\">" : "<td>", f);
			html_text(f, key && total ? _("(all)") : cell);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	/* Opened and solved per month, the last 24. */
	for (n = 0; opened[n]; n++)
		;
	first = n > 24 ? n - 24 : 0;
	for (size_t i = first; i < n; i++) {
		struct acc *solved = NULL;
		for (size_t j = 0; j < r->charts[C_SOLVED].nslots; j++)
			if (r->charts[C_SOLVED].slot[j] && !strcmp(r->charts[C_SOLVED].slot[j]->key, opened[i]->key))
				solved = r->charts[C_SOLVED].slot[j];
		labels[i - first] = opened[i]->key;
		values[2 * (i - first)] = (double)opened[i]->tickets;
		values[2 * (i - first) + 1] = solved ? (double)solved->tickets : 0;
	}
	svg_columns(f, _("Opened and solved per month"), labels, n - first, values, 2, flow_series, "", 0);
	/* SLA met per level. */
	for (n = 0; levels[n] && n < 8; n++) {
		labels[n] = levels[n]->key;
		values[2 * n] = levels[n]->counted[0] ? 100.0 * (double)levels[n]->met[0] / (double)levels[n]->counted[0] : 0;
		values[2 * n + 1] = levels[n]->counted[1] ? 100.0 * (double)levels[n]->met[1] / (double)levels[n]->counted[1] : 0;
	}
	svg_columns(f, _("SLA met per level"), labels, n, values, 2, sla_series, "%", 100);
	/* Backlog by age. */
	for (int b = 0; b < 5; b++) {
		labels[b] = _(buckets[b]);
		values[b] = (double)r->total.backlog[b];
	}
	svg_columns(f, _("Open tickets by age"), labels, 5, values, 1, NULL, "", 0);
	svg_bars(f, _("Tickets by channel"), &r->charts[C_CHANNEL], 20);
	svg_bars(f, _("Tickets by category"), &r->charts[C_CATEGORY], 20);
	fputs("</body></html>\n", f);
	rc = 0;
out:
	if (table)
		fclose(table);
	free(buf);
	free(opened);
	free(levels);
	return rc;
}
