/*
 * Ticket IDs: PREFIX-N parsed and written, and the shard and path of a
 * ticket's file.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "sd/id.h"

/* Another store's ID: a prefix as sd.ini allows one (a letter, then up
 * to 9 letters or digits, either case), a dash and a well-formed N. */
static int
foreign(const char *s)
{
	size_t p = 0, n;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[p]) && p < 10)
		p++;
	if (s[p] != '-')
		return 0;
	s += p + 1;
	n = strspn(s, "0123456789");
	return n > 0 && n <= SD_ID_DIGITS && !s[n] && s[0] != '0';
}

int
sd_id_parse(long *out, const char *prefix, const char *s)
{
	size_t plen = strlen(prefix), n;
	const char *num = s;
	long v = 0;

	if (!strncasecmp(s, prefix, plen) && s[plen] == '-')
		num = s + plen + 1;
	n = strlen(num);
	if (n == 0 || n > SD_ID_DIGITS || num[0] == '0')
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)num[i]))
			goto bad;
		v = v * 10 + (num[i] - '0');
	}
	*out = v;
	return 0;
bad:
	if (num == s && foreign(s))
		return sd_error_set(SD_EINVALID,
		    _("%s: not a ticket of this store (its prefix is %s)"), s, prefix);
	return sd_error_set(SD_EINVALID, _("%s: invalid ticket id"), s);
}

void
sd_id_format(char out[SD_ID_MAX], const char *prefix, long n)
{
	snprintf(out, SD_ID_MAX, "%s-%ld", prefix, n);
}

void
sd_id_shard(char out[SD_ID_MAX], long n)
{
	snprintf(out, SD_ID_MAX, "%03ld", n / 1000);
}

int
sd_id_path(char **out, const char *prefix, long n)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__printf(&b, "tickets/%03ld/%s-%ld.ini", n / 1000, prefix, n);
	if (b.failed)
		return sd__oom();
	*out = sd_buf__detach(&b);
	return 0;
}
