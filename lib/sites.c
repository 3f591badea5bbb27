/*
 * sites.ini: the sites of a desk and the blocks of numbers the hub leased
 * them, parsed strictly, written back, and asked which numbers a site (or
 * the hub) may give a new ticket.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sync_internal.h"

#define FILE_NAME "sites.ini"
#define NUMBER_MAX 999999L      /* k * 10^9 + 999999999 stays within 15 digits */

void
sd__sites_free(struct sd__sites *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		free(s->v[i].blocks);
	if (s) {
		free(s->v);
		s->v = NULL;
		s->n = 0;
	}
}

const struct sd__site *
sd__sites_find(const struct sd__sites *s, const char *name)
{
	for (size_t i = 0; s && name && i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

static int
name_ok(const char *v, size_t n)
{
	if (n == 0 || n >= SD_SITE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
			return 0;
	return 1;
}

/* A number of digits alone, no leading zero, at most max; -1 otherwise.
 * *p moves past it. */
static long
number(const char **p, long max)
{
	const char *q = *p;
	long v = 0;

	if (*q < '1' || *q > '9')
		return -1;
	for (; *q >= '0' && *q <= '9'; q++) {
		v = v * 10 + (*q - '0');
		if (v > max)
			return -1;
	}
	*p = q;
	return v;
}

static int
bad(int line, const char *what)
{
	return sd_error_set(SD_EINVALID, "%s:%d: %s", FILE_NAME, line, what);
}

/* "A-B, C-D" into site's blocks: each 1 <= A <= B < 10^9, ascending. */
static int
parse_blocks(struct sd__site *site, const char *v, int line)
{
	const char *p = v;

	while (*p) {
		long a, b, (*nb)[2];

		if ((a = number(&p, SD__OVERFLOW_BASE - 1)) < 0 || *p++ != '-' ||
		    (b = number(&p, SD__OVERFLOW_BASE - 1)) < 0)
			return bad(line, _("blocks: not a list of FIRST-LAST, below 1000000000"));
		if (b < a)
			return bad(line, _("blocks: a block that ends before it starts"));
		if (site->nblocks && a <= site->blocks[site->nblocks - 1][1])
			return bad(line, _("blocks: not ascending and disjoint"));
		if (!(nb = realloc(site->blocks, (site->nblocks + 1) * sizeof(*nb))))
			return sd__oom();
		site->blocks = nb;
		site->blocks[site->nblocks][0] = a;
		site->blocks[site->nblocks][1] = b;
		site->nblocks++;
		if (!*p)
			break;
		if (p[0] != ',' || p[1] != ' ' || !p[2])
			return bad(line, _("blocks: not a list of FIRST-LAST, below 1000000000"));
		p += 2;
	}
	return 0;
}

/* Does site i's block overlap another site's? */
static int
overlaps(const struct sd__sites *s, size_t i, long a, long b)
{
	for (size_t j = 0; j < s->n; j++)
		for (size_t k = 0; j != i && k < s->v[j].nblocks; k++)
			if (a <= s->v[j].blocks[k][1] && s->v[j].blocks[k][0] <= b)
				return 1;
	return 0;
}

/* One line, without its \n: trailing spaces trimmed, then a section, a
 * comment, a blank line or `key = value`. */
static int
parse_line(struct sd__sites *s, char *p, int line, int *seen)
{
	size_t n = strlen(p);
	struct sd__site *site;
	char *eq;

	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	if (!n || p[0] == '#' || p[0] == ';')
		return 0;
	if (p[0] == '[') {
		struct sd__site *nv;

		if (s->n && *seen != 3)
			return bad(line, *seen & 1 ? _("the site before has no blocks") :
			    _("the site before has no number"));
		if (strncmp(p, "[site ", 6) || p[n - 1] != ']' || !name_ok(p + 6, n - 7))
			return bad(line, _("not a [site NAME] section (NAME: lowercase letters, "
			    "digits and '-', 32 at most)"));
		p[n - 1] = '\0';
		if (sd__sites_find(s, p + 6))
			return bad(line, _("a second section for this site"));
		if (!(nv = realloc(s->v, (s->n + 1) * sizeof(*nv))))
			return sd__oom();
		s->v = nv;
		memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
		memcpy(s->v[s->n].name, p + 6, n - 6);
		s->n++;
		*seen = 0;
		return 0;
	}
	if (!s->n)
		return bad(line, _("a key before any [site NAME] section"));
	site = &s->v[s->n - 1];
	eq = p + strcspn(p, " ");
	if (eq == p || strncmp(eq, " =", 2) || (eq[2] && (eq[2] != ' ' || !eq[3])))
		return bad(line, _("not a key = value line"));
	*eq = '\0';
	eq += eq[2] ? 3 : 2;
	if (!strcmp(p, "number")) {
		const char *q = eq;
		long k;

		if (*seen & 1)
			return bad(line, _("number given twice"));
		if ((k = number(&q, NUMBER_MAX)) < 0 || *q)
			return bad(line, _("number: not a whole number from 1 to 999999"));
		for (size_t i = 0; i + 1 < s->n; i++)
			if (s->v[i].number == k)
				return bad(line, _("number: another site has it"));
		site->number = (int)k;
		*seen |= 1;
	} else if (!strcmp(p, "blocks")) {
		int rc;

		if (*seen & 2)
			return bad(line, _("blocks given twice"));
		if ((rc = parse_blocks(site, eq, line)) < 0)
			return rc;
		for (size_t k = 0; k < site->nblocks; k++)
			if (overlaps(s, s->n - 1, site->blocks[k][0], site->blocks[k][1]))
				return bad(line, _("blocks: a block overlaps another site's"));
		*seen |= 2;
	} else {
		return bad(line, _("not a key of sites.ini (number, blocks)"));
	}
	return 0;
}

int
sd__sites_parse(struct sd__sites *out, const char *text, size_t len)
{
	char *copy, *p, *nl;
	int line = 0, seen = 3, rc = 0;

	out->v = NULL;
	out->n = 0;
	if (!text)
		return 0;
	if (memchr(text, '\0', len))
		return sd_error_set(SD_EINVALID, "%s: %s", FILE_NAME, _("NUL byte"));
	if (!(copy = sd__strndup(text, len)))
		return sd__oom();
	for (p = copy; rc == 0 && *p; p = nl ? nl + 1 : p + strlen(p)) {
		if ((nl = strchr(p, '\n')))
			*nl = '\0';
		line++;
		for (const char *q = p; *q && rc == 0; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t')
				rc = bad(line, _("a control character"));
		if (rc == 0)
			rc = parse_line(out, p, line, &seen);
		if (!nl)
			break;
	}
	if (rc == 0 && out->n && seen != 3)
		rc = bad(line, seen & 1 ? _("the last site has no blocks") :
		    _("the last site has no number"));
	free(copy);
	if (rc < 0)
		sd__sites_free(out);
	return rc;
}

/* Is n in one of site's blocks or its overflow range? */
static int
site_has(const struct sd__site *site, long n)
{
	long base = (long)site->number * SD__OVERFLOW_BASE;

	for (size_t k = 0; k < site->nblocks; k++)
		if (site->blocks[k][0] <= n && n <= site->blocks[k][1])
			return 1;
	return n > base && n < base + SD__OVERFLOW_BASE;
}

int
sd__sites_may_number(const struct sd__sites *s, const char *site, long n)
{
	const struct sd__site *at;

	if (n < 1)
		return 0;
	if (site)
		return (at = sd__sites_find(s, site)) && site_has(at, n);
	for (size_t i = 0; s && i < s->n; i++)
		if (site_has(&s->v[i], n))
			return 0;
	return 1;
}

/* The text of s, as sd__sites_parse reads it back. */
static int
write_text(char **text, const struct sd__sites *s)
{
	struct sd_buf b = SD_BUF_INIT;

	for (size_t i = 0; i < s->n; i++) {
		const struct sd__site *site = &s->v[i];

		sd_buf__printf(&b, "%s[site %s]\nnumber = %d\nblocks =", i ? "\n" : "",
		    site->name, site->number);
		for (size_t k = 0; k < site->nblocks; k++)
			sd_buf__printf(&b, "%s%ld-%ld", k ? ", " : " ", site->blocks[k][0],
			    site->blocks[k][1]);
		sd_buf__adds(&b, "\n");
	}
	if (b.failed) {
		sd_buf__free(&b);
		return sd__oom();
	}
	*text = b.data ? sd_buf__detach(&b) : sd__strdup("");
	return *text ? 0 : sd__oom();
}

int
sd__sites_write(char **text, const struct sd__sites *s)
{
	return write_text(text, s);
}

long
sd__sites_max(const struct sd__sites *s)
{
	long max = 0;

	for (size_t i = 0; s && i < s->n; i++)
		if (s->v[i].nblocks && s->v[i].blocks[s->v[i].nblocks - 1][1] > max)
			max = s->v[i].blocks[s->v[i].nblocks - 1][1];
	return max;
}

int
sd__sites_lease(char **text, const struct sd__sites *s, const char *site, int lease,
    long max_seen, long *first, long *last)
{
	struct sd__sites copy = { 0 };
	struct sd__site *at = NULL;
	long top = sd__sites_max(s), a, b;
	int rc = 0, number = 0;

	*text = NULL;
	if (!name_ok(site, strlen(site)))
		return sd_error_set(SD_EINVALID, _("%s: not a site's name (lowercase letters, "
		    "digits and '-', 32 at most)"), site);
	if (lease < 1)
		return sd_error_set(SD_ECONFIG, "%s", _("[sync] lease must be at least 1"));
	if (max_seen > top)
		top = max_seen;
	a = (top + lease - 1) / lease * lease + 1;
	b = a + lease - 1;
	if (b >= SD__OVERFLOW_BASE)
		return sd_error_set(SD_EINVALID, _("no block of %d numbers is left below "
		    "1000000000"), lease);
	/* A deep copy with the block added. */
	if (!(copy.v = calloc(s->n + 1, sizeof(*copy.v))))
		return sd__oom();
	for (size_t i = 0; i < s->n; i++) {
		copy.v[i] = s->v[i];
		copy.v[i].blocks = NULL;
		if (s->v[i].nblocks &&
		    !(copy.v[i].blocks = malloc((s->v[i].nblocks + 1) * sizeof(*copy.v[i].blocks)))) {
			copy.n = i;
			rc = sd__oom();
			goto out;
		}
		if (s->v[i].nblocks)
			memcpy(copy.v[i].blocks, s->v[i].blocks,
			    s->v[i].nblocks * sizeof(*copy.v[i].blocks));
		if (s->v[i].number > number)
			number = s->v[i].number;
		if (!strcmp(s->v[i].name, site))
			at = &copy.v[i];
	}
	copy.n = s->n;
	if (!at) {
		if (number >= NUMBER_MAX) {
			rc = sd_error_set(SD_EINVALID, "%s", _("sites.ini: no site number is left"));
			goto out;
		}
		at = &copy.v[copy.n++];
		memset(at, 0, sizeof(*at));
		snprintf(at->name, sizeof(at->name), "%s", site);
		at->number = number + 1;
	}
	if (!at->blocks && !(at->blocks = malloc(sizeof(*at->blocks)))) {
		rc = sd__oom();
		goto out;
	}
	at->blocks[at->nblocks][0] = a;
	at->blocks[at->nblocks][1] = b;
	at->nblocks++;
	if ((rc = write_text(text, &copy)) == 0) {
		*first = a;
		*last = b;
	}
out:
	sd__sites_free(&copy);
	return rc;
}
