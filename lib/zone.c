/* Time zones: TZif files read once, local times worked out from them. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sd/zone.h"

/* A local time type of the file: offset, daylight-saving flag, name. */
struct ztype {
	long off;
	int isdst;
	unsigned abbr;          /* index into the zone's abbrs */
};

/* A rule of a POSIX TZ string: the day (Jn, n, or Mm.w.d) and the local
 * time of day, in seconds, of a change. */
enum { RULE_J1, RULE_J0, RULE_M };

struct rule {
	int type;
	int d, m, n;
	long secs;
};

struct sd_zone {
	char *name;
	int64_t *trans;         /* transitions, ascending */
	unsigned char *idx;     /* the type that starts at each */
	size_t ntrans;
	struct ztype *types;
	size_t ntypes;
	int first;              /* the type before the first transition */
	char *abbrs;            /* NUL-terminated names of the types */
	size_t nabbrs;
	/* The footer: after the last transition, when there is one. */
	int footer;
	int dst;                /* it has daylight-saving rules */
	long std_off, dst_off;  /* seconds east */
	struct rule start, end; /* daylight saving starts, ends */
	char std_name[16], dst_name[16];
};

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian);
 * shared with the calendar and the parser of times (internal.h). */
long long
sd__days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
sd__civil_from_days(long long dn, long long *y, int *m, int *d)
{
	long long z = dn + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* --- the POSIX TZ string of the footer ----------------------------------- */

/* A name: letters, or anything but '>' between < and >. */
static int
parse_name(const char **pp, char *out, size_t size)
{
	const char *p = *pp, *s;
	size_t n;

	if (*p == '<') {
		s = ++p;
		while (*p && *p != '>')
			p++;
		if (*p != '>')
			return -1;
		n = (size_t)(p - s);
		p++;
	} else {
		s = p;
		while (isalpha((unsigned char)*p))
			p++;
		n = (size_t)(p - s);
	}
	if (n < 3 || n >= size)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	*pp = p;
	return 0;
}

/* [+-]hh[:mm[:ss]], hours up to max; seconds. */
static int
parse_hms(const char **pp, long *out, int max)
{
	const char *p = *pp;
	long h = 0, m = 0, s = 0, sign = 1;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p) && h <= max)
		h = h * 10 + (*p++ - '0');
	if (h > max)
		return -1;
	if (*p == ':') {
		if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
			return -1;
		m = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == ':') {
			if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
				return -1;
			s = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
		}
		if (m > 59 || s > 59)
			return -1;
	}
	*out = sign * (h * 3600 + m * 60 + s);
	*pp = p;
	return 0;
}

static long
parse_num(const char **pp, long max)
{
	const char *p = *pp;
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p) && v <= max)
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return v <= max ? v : -1;
}

/* ,date[/time] */
static int
parse_rule(const char **pp, struct rule *r)
{
	const char *p = *pp;
	long v;

	if (*p++ != ',')
		return -1;
	if (*p == 'J') {
		p++;
		r->type = RULE_J1;
		if ((v = parse_num(&p, 365)) < 1)
			return -1;
		r->d = (int)v;
	} else if (*p == 'M') {
		p++;
		r->type = RULE_M;
		if ((v = parse_num(&p, 12)) < 1)
			return -1;
		r->m = (int)v;
		if (*p++ != '.' || (v = parse_num(&p, 5)) < 1)
			return -1;
		r->n = (int)v;
		if (*p++ != '.' || (v = parse_num(&p, 6)) < 0)
			return -1;
		r->d = (int)v;
	} else {
		r->type = RULE_J0;
		if ((v = parse_num(&p, 365)) < 0)
			return -1;
		r->d = (int)v;
	}
	r->secs = 2 * 3600;
	if (*p == '/') {
		p++;
		/* RFC 8536 allows -167 to 167 hours here. */
		if (parse_hms(&p, &r->secs, 167) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* std offset [dst [offset] [,rule,rule]]: offsets in POSIX are west of
 * UTC, kept here east. */
static int
parse_footer(struct sd_zone *z, const char *s)
{
	const char *p = s;
	long off;

	if (parse_name(&p, z->std_name, sizeof(z->std_name)) < 0 ||
	    parse_hms(&p, &off, 24) < 0)
		return -1;
	z->std_off = -off;
	z->dst_off = z->std_off;
	if (*p) {
		if (parse_name(&p, z->dst_name, sizeof(z->dst_name)) < 0)
			return -1;
		z->dst_off = z->std_off + 3600;
		if (*p && *p != ',') {
			if (parse_hms(&p, &off, 24) < 0)
				return -1;
			z->dst_off = -off;
		}
		/* A TZif footer always has its rules (RFC 8536 3.3). */
		if (parse_rule(&p, &z->start) < 0 || parse_rule(&p, &z->end) < 0)
			return -1;
		z->dst = 1;
	}
	if (*p)
		return -1;
	z->footer = 1;
	return 0;
}

/* The instant of a rule's change in year y, its local time read with
 * offset off; as glibc's compute_change does it. */
static int64_t
change_at(const struct rule *r, int64_t y, long off)
{
	int64_t t = y > 1970 ? sd__days_from_civil(y, 1, 1) * 86400 : 0;

	switch (r->type) {
	case RULE_J1:
		t += (int64_t)(r->d - 1) * 86400;
		if (r->d >= 60 && leap(y))
			t += 86400;
		break;
	case RULE_J0:
		t += (int64_t)r->d * 86400;
		break;
	default: {
		/* The n-th weekday d of month m (n 5: the last one). */
		int64_t first = sd__days_from_civil(y, r->m, 1);
		int dow = (int)(((first % 7) + 7 + 4) % 7);     /* 1970-01-01: Thursday */
		int ndays = r->m == 2 ? 28 + leap(y) : 30 + ((r->m + (r->m > 7)) & 1);
		int d = r->d - dow;

		if (d < 0)
			d += 7;
		for (int i = 1; i < r->n && d + 7 < ndays; i++)
			d += 7;
		t = first * 86400 + (int64_t)d * 86400;
		if (y <= 1970)
			t -= sd__days_from_civil(y, 1, 1) * 86400;
		break;
	}
	}
	return t - off + r->secs;
}

/* Instants this far from 1970 (some 2 million years) are kept from
 * arithmetic that would overflow. */
#define FAR ((int64_t)1 << 46)

/* The footer's type at t: daylight saving or not, from the changes of
 * t's year in UTC, as glibc's __tz_compute. */
static int
footer_dst(const struct sd_zone *z, int64_t t)
{
	long long y;
	int64_t start, end;
	int m, d;

	/* Beyond some million years the rules' arithmetic would overflow:
	 * standard time there. */
	if (!z->dst || t > FAR || t < -FAR)
		return 0;
	sd__civil_from_days(floor_div(t, 86400), &y, &m, &d);
	start = change_at(&z->start, y, z->std_off);
	end = change_at(&z->end, y, z->dst_off);
	if (start > end)        /* the southern hemisphere: across the new year */
		return t < end || t >= start;
	return t >= start && t < end;
}

/* --- the TZif file ------------------------------------------------------- */

/* What the parsers below return for bytes that are not a whole TZif file;
 * a negative code is an error of another kind. */
enum { BAD = 1 };

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The counts of a header at p, and the size of the data block after it
 * with times of width w. */
struct counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static size_t
block_size(const struct counts *c, size_t w)
{
	return c->time * w + c->time + c->type * 6 + c->chars + c->leap * (w + 4) +
	    c->isstd + c->isut;
}

static int
header(struct counts *c, const unsigned char *p, size_t len)
{
	if (len < 44 || memcmp(p, "TZif", 4))
		return -1;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	/* RFC 8536 3.1; the bounds keep the sizes below from overflowing. */
	if (c->type == 0 || c->type > 256 || c->chars == 0 || c->time > 1000000 ||
	    c->leap > 100000 || c->chars > 100000 ||
	    (c->isut && c->isut != c->type) || (c->isstd && c->isstd != c->type))
		return -1;
	return 0;
}

/* The data block at p of len bytes (already checked to be there). */
static int
take_block(struct sd_zone *z, const struct counts *c, const unsigned char *p, size_t w)
{
	const unsigned char *ti = p + c->time * w, *ty = ti + c->time, *ch = ty + c->type * 6;

	z->ntrans = c->time;
	z->ntypes = c->type;
	z->nabbrs = c->chars;
	if (!(z->trans = malloc((c->time ? c->time : 1) * sizeof(*z->trans))) ||
	    !(z->idx = malloc(c->time ? c->time : 1)) ||
	    !(z->types = malloc(c->type * sizeof(*z->types))) ||
	    !(z->abbrs = malloc(c->chars + 1)))
		return sd__oom();
	for (size_t i = 0; i < c->time; i++) {
		z->trans[i] = w == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
		z->idx[i] = ti[i];
		if (ti[i] >= c->type || (i && z->trans[i] <= z->trans[i - 1]))
			return BAD;
	}
	for (size_t i = 0; i < c->type; i++) {
		const unsigned char *e = ty + i * 6;
		int32_t off = (int32_t)be32(e);

		if (e[4] > 1 || e[5] >= c->chars || off < -89999 || off > 93599)
			return BAD;
		z->types[i].off = off;
		z->types[i].isdst = e[4];
		z->types[i].abbr = e[5];
	}
	memcpy(z->abbrs, ch, c->chars);
	z->abbrs[c->chars] = '\0';
	/* Before the first transition: the first type of standard time (the
	 * first type when all are daylight saving), as glibc has it. */
	z->first = 0;
	for (size_t i = 0; i < c->type; i++)
		if (!z->types[i].isdst) {
			z->first = (int)i;
			break;
		}
	return 0;
}

/* The zone of the file's bytes: BAD when they are not a whole TZif file. */
static int
parse_tzif(struct sd_zone *z, const unsigned char *p, size_t len)
{
	struct counts c;
	size_t n;
	int rc;

	if (header(&c, p, len) < 0 || (n = block_size(&c, 4)) > len - 44)
		return BAD;
	if (p[4] == '\0')
		return take_block(z, &c, p + 44, 4);
	/* Version 2 and later: the 64-bit data after the 32-bit one, then the
	 * footer between newlines. */
	p += 44 + n;
	len -= 44 + n;
	if (header(&c, p, len) < 0 || (n = block_size(&c, 8)) > len - 44)
		return BAD;
	if ((rc = take_block(z, &c, p + 44, 8)) != 0)
		return rc;
	p += 44 + n;
	len -= 44 + n;
	if (len < 2 || p[0] != '\n')
		return BAD;
	{
		const unsigned char *nl = memchr(p + 1, '\n', len - 1);
		char footer[128];

		if (!nl || (size_t)(nl - p - 1) >= sizeof(footer))
			return BAD;
		memcpy(footer, p + 1, (size_t)(nl - p - 1));
		footer[nl - p - 1] = '\0';
		/* An empty footer: no rules beyond the transitions. */
		if (*footer && parse_footer(z, footer) < 0)
			return BAD;
	}
	return 0;
}

static int
unknown(const char *name)
{
	return sd_error_set(SD_EINVALID, _("unknown time zone '%s'"), name ? name : "");
}

int
sd_zone_load(struct sd_zone **out, const char *name, const char *dir)
{
	struct sd_zone *z = NULL;
	unsigned char *data = NULL;
	char path[4096];
	struct stat st;
	size_t len = 0;
	int fd, rc;

	*out = NULL;
	if (!name || !*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return unknown(name);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return unknown(name);
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : SD_ZONE_DIR, name);
	/* A zone is a TZif file: not a directory, nor one of the tables
	 * (leapseconds, ...) that live beside the zones. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return unknown(name);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 4 ||
	    st.st_size > (1 << 20)) {
		close(fd);
		return unknown(name);
	}
	if (!(data = malloc((size_t)st.st_size))) {
		close(fd);
		return sd__oom();
	}
	while (len < (size_t)st.st_size) {
		ssize_t k = read(fd, data + len, (size_t)st.st_size - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	if (len < 4 || memcmp(data, "TZif", 4)) {
		rc = unknown(name);
		goto out;
	}
	if (!(z = calloc(1, sizeof(*z))) || !(z->name = sd__strdup(name))) {
		rc = sd__oom();
		goto out;
	}
	if ((rc = parse_tzif(z, data, len)) != 0) {
		if (rc == BAD)
			rc = sd_error_set(SD_EINVALID, _("time zone '%s': a damaged zone file"), name);
		goto out;
	}
	*out = z;
	z = NULL;
out:
	sd_zone_free(z);
	free(data);
	return rc;
}

void
sd_zone_free(struct sd_zone *z)
{
	if (!z)
		return;
	free(z->name);
	free(z->trans);
	free(z->idx);
	free(z->types);
	free(z->abbrs);
	free(z);
}

const char *
sd_zone_name(const struct sd_zone *z)
{
	return z ? z->name : "UTC";
}

/* The offset, daylight-saving flag and name at t. */
static long
lookup(const struct sd_zone *z, int64_t t, int *isdst, const char **abbr)
{
	const struct ztype *ty;
	size_t lo, hi;

	if (!z) {
		*isdst = 0;
		*abbr = "UTC";
		return 0;
	}
	if (z->ntrans == 0 || t < z->trans[0]) {
		ty = &z->types[z->first];
	} else if (t >= z->trans[z->ntrans - 1]) {
		if (z->footer) {
			int d = footer_dst(z, t);

			*isdst = d;
			*abbr = d ? z->dst_name : z->std_name;
			return d ? z->dst_off : z->std_off;
		}
		ty = &z->types[z->idx[z->ntrans - 1]];
	} else {
		/* The last transition at or before t. */
		lo = 0;
		hi = z->ntrans - 1;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (z->trans[mid] <= t)
				lo = mid;
			else
				hi = mid;
		}
		ty = &z->types[z->idx[lo]];
	}
	*isdst = ty->isdst;
	*abbr = z->abbrs + ty->abbr;
	return ty->off;
}

long
sd_zone_offset(const struct sd_zone *z, time_t t)
{
	const char *abbr;
	int isdst;

	return lookup(z, (int64_t)t, &isdst, &abbr);
}

struct tm *
sd_zone_local(const struct sd_zone *z, time_t t, struct tm *tm)
{
	static const short yday[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	const char *abbr;
	int isdst, m, d;
	long off;
	int64_t w, dn, secs;
	long long y;

	memset(tm, 0, sizeof(*tm));
	/* Years of tm_year only (and no overflow on the way). */
	if ((int64_t)t > FAR || (int64_t)t < -FAR)
		return NULL;
	off = lookup(z, (int64_t)t, &isdst, &abbr);
	w = (int64_t)t + off;
	dn = floor_div(w, 86400);
	secs = w - dn * 86400;
	sd__civil_from_days(dn, &y, &m, &d);
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((dn % 7) + 7 + 4) % 7);
	tm->tm_yday = yday[m - 1] + d - 1 + (m > 2 && leap(y));
	tm->tm_isdst = isdst;
	tm->tm_gmtoff = off;
	tm->tm_zone = abbr;
	return tm;
}

time_t
sd_zone_instant(const struct sd_zone *z, long long local)
{
	/* The readings of the local time with the offsets two days before
	 * and after that the zone agrees with are its instants. */
	long before = sd_zone_offset(z, (time_t)(local - 2 * 86400));
	long after = sd_zone_offset(z, (time_t)(local + 2 * 86400));
	time_t t1 = (time_t)(local - before), t2 = (time_t)(local - after);
	int ok1 = sd_zone_offset(z, t1) == before;
	int ok2 = after == before ? ok1 : sd_zone_offset(z, t2) == after;

	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2;
	if (ok1 || ok2)
		return ok1 ? t1 : t2;
	return t1 > t2 ? t1 : t2;
}
