/*
 * Attachments: the SHA-256 that names their files in the store's tree
 * (attachments/XX/HEX), and the reference line an event keeps of each
 * (sd/attach.h, sd-ticket(5)).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "internal.h"
#include "sd/attach.h"
#include "sd/format.h"
#include "sd/ticket.h"

void
sd_attach_sha256(char hex[SD_ATTACH_HEX + 1], const void *data, size_t len)
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	/* libcrypto's, as for the approval tokens (lib/mail_token.c). */
	SHA256(data, len, md);
	sd__hex(hex, md, sizeof(md));
}

void
sd_attach_path(char out[SD_ATTACH_PATH_MAX], const char *hex)
{
	snprintf(out, SD_ATTACH_PATH_MAX, "attachments/%.2s/%.64s", hex, hex);
}

int
sd_attach_path_parse(const char *path, char *hex)
{
	const char *name;

	if (strncmp(path, "attachments/", 12) || !sd__is_hex(path + 12, 2) || strnlen(path + 12, 3) < 3 ||
	    path[14] != '/')
		return sd_error_set(SD_EINVALID, "%s", _("not an attachment's path "
		    "(attachments/XX/HEX: the SHA-256 in lower-case hex, XX its first two digits)"));
	name = path + 15;
	if (strlen(name) != SD_ATTACH_HEX || !sd__is_hex(name, SD_ATTACH_HEX))
		return sd_error_set(SD_EINVALID, "%s", _("not an attachment's file name "
		    "(the SHA-256 of its bytes, 64 lower-case hex digits)"));
	if (memcmp(name, path + 12, 2))
		return sd_error_set(SD_EINVALID, _("not in its directory (belongs in attachments/%.2s/)"),
		    name);
	if (hex)
		memcpy(hex, name, SD_ATTACH_HEX + 1);
	return 0;
}

int
sd_attach_check(const char *path, const void *data, size_t len)
{
	char hex[SD_ATTACH_HEX + 1], got[SD_ATTACH_HEX + 1];

	if (sd_attach_path_parse(path, hex) < 0)
		return sd_error_set(SD_EINVALID, "%s: %s", path, sd_error_message());
	sd_attach_sha256(got, data, len);
	if (strcmp(hex, got))
		return sd_error_set(SD_EINVALID, _("%s: its bytes' SHA-256 is %s, not its name"),
		    path, got);
	return 0;
}

int
sd_attach_name_check(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > SD_ATTACH_NAME_MAX)
		return sd_error_set(SD_EINVALID, _("an attachment's name is 1 to %d bytes"),
		    SD_ATTACH_NAME_MAX);
	if (!sd__utf8_valid(name, n))
		return sd_error_set(SD_EINVALID, "%s", _("an attachment's name is not valid UTF-8"));
	for (const char *p = name; *p; p++) {
		if (sd_control_len(p))
			return sd_error_set(SD_EINVALID, "%s",
			    _("an attachment's name holds a control character"));
		if (sd_bidi_len(p))
			return sd_error_set(SD_EINVALID, "%s",
			    _("an attachment's name holds a bidirectional control character"));
	}
	return 0;
}

/* An RFC 2045 token character. */
static int
token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

int
sd_attach_type_check(const char *type)
{
	const char *p = type, *slash = strchr(type, '/');
	int ok = slash && slash > type && slash[1] && strlen(type) <= SD_ATTACH_TYPE_MAX;

	for (; ok && *p; p++)
		ok = p == slash || token_char((unsigned char)*p);
	if (!ok)
		return sd_error_set(SD_EINVALID, _("'%s' is not a MIME type (type/subtype)"), type);
	return 0;
}

const char *
sd_attach_type_guess(const char *name)
{
	static const char *const table[][2] = {
		{ "pdf", "application/pdf" }, { "png", "image/png" }, { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" }, { "gif", "image/gif" }, { "webp", "image/webp" },
		{ "svg", "image/svg+xml" }, { "txt", "text/plain" }, { "log", "text/plain" },
		{ "csv", "text/csv" }, { "html", "text/html" }, { "htm", "text/html" },
		{ "xml", "application/xml" }, { "json", "application/json" },
		{ "zip", "application/zip" }, { "gz", "application/gzip" },
		{ "eml", "message/rfc822" }, { "ics", "text/calendar" },
		{ "doc", "application/msword" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "xls", "application/vnd.ms-excel" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	};
	const char *dot = strrchr(name, '.');
	char ext[8];
	size_t n;

	if (!dot || dot == name || (n = strlen(dot + 1)) == 0 || n >= sizeof(ext))
		return "application/octet-stream";
	for (size_t i = 0; i <= n; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
	for (size_t i = 0; i < SD_ARRAY_SIZE(table); i++)
		if (!strcmp(ext, table[i][0]))
			return table[i][1];
	return "application/octet-stream";
}

int
sd_attach_format(char **out, const struct sd_attachment *a)
{
	struct sd_buf b = SD_BUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = sd_attach_name_check(a->name)) < 0 || (rc = sd_attach_type_check(a->type)) < 0)
		return rc;
	sd_buf__printf(&b, "sha256:%s %zu %s %s", a->hex, a->size, a->type, a->name);
	if ((rc = sd_buf__check(&b)) < 0)
		return rc;
	*out = sd_buf__detach(&b);
	return 0;
}

int
sd_attach_parse(struct sd_attachment *a, char *buf, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *sp;
	unsigned long long size = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	if (len < 7 + SD_ATTACH_HEX + 1 || memcmp(p, "sha256:", 7) || !sd__is_hex(p + 7, SD_ATTACH_HEX) ||
	    p[7 + SD_ATTACH_HEX] != ' ')
		return sd_error_set(SD_EINVALID, "%s", _("an attachment line starts with sha256: and "
		    "the 64 lower-case hex digits of its SHA-256 (sha256:HEX SIZE TYPE NAME)"));
	memcpy(a->hex, p + 7, SD_ATTACH_HEX);
	a->hex[SD_ATTACH_HEX] = '\0';
	p += 7 + SD_ATTACH_HEX + 1;
	for (sp = p; sp < end && *sp >= '0' && *sp <= '9' && size <= SD_ATTACH_SIZE_MAX; sp++)
		size = size * 10 + (unsigned)(*sp - '0');
	if (sp == p || sp == end || *sp != ' ' || (*p == '0' && sp - p > 1) || size > SD_ATTACH_SIZE_MAX)
		return sd_error_set(SD_EINVALID, "%s", _("an attachment line has no size in bytes "
		    "after its digest (sha256:HEX SIZE TYPE NAME)"));
	a->size = (size_t)size;
	p = sp + 1;
	if (!(sp = memchr(p, ' ', (size_t)(end - p))))
		return sd_error_set(SD_EINVALID, "%s", _("an attachment line has no name "
		    "(sha256:HEX SIZE TYPE NAME)"));
	memcpy(buf, p, (size_t)(sp - p));
	buf[sp - p] = '\0';
	a->type = buf;
	buf += sp - p + 1;
	memcpy(buf, sp + 1, (size_t)(end - sp - 1));
	buf[end - sp - 1] = '\0';
	a->name = buf;
	if (memchr(line, '\0', len))
		return sd_error_set(SD_EINVALID, "%s", _("an attachment's name holds a control character"));
	if ((rc = sd_attach_type_check(a->type)) < 0 || (rc = sd_attach_name_check(a->name)) < 0)
		return rc;
	return 0;
}

int
sd_attach_value_check(const char *value)
{
	size_t len = strlen(value);
	char *buf = malloc(len + 2);
	int rc = 0;

	if (!buf)
		return sd__oom();
	for (const char *p = value; rc == 0;) {
		struct sd_attachment a;
		size_t n = strcspn(p, "\n");

		rc = sd_attach_parse(&a, buf, p, n);
		if (!p[n])
			break;
		p += n + 1;
	}
	free(buf);
	return rc;
}

int
sd_attach_list(struct sd_attach_list *out, const struct sd_ticket *t)
{
	struct sd_buf all = SD_BUF_INIT;
	size_t lines = 0, *evs = NULL, k = 0;
	char *buf;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	/* Every value, one after the other with its NUL. */
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *v = sd_ticket_event_get(t, i, "attachment");
		if (!v)
			continue;
		sd_buf__add(&all, v, strlen(v) + 1);
		for (const char *p = v; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			lines++;
	}
	if ((rc = sd_buf__check(&all)) < 0 || lines == 0) {
		sd_buf__free(&all);
		return rc;
	}
	out->v = calloc(lines, sizeof(*out->v));
	evs = out->ev = calloc(lines, sizeof(*out->ev));
	/* Each line's type and name copied out: at most its bytes and 2. */
	buf = out->text = malloc(all.len + 2 * lines);
	if (!out->v || !evs || !buf) {
		rc = sd__oom();
		goto out;
	}
	for (size_t i = 0; i < sd_ticket_event_count(t) && rc == 0; i++) {
		const char *v = sd_ticket_event_get(t, i, "attachment");

		for (const char *p = v; p && rc == 0;) {
			size_t n = strcspn(p, "\n");

			if ((rc = sd_attach_parse(&out->v[k], buf, p, n)) < 0) {
				rc = sd_error_set(rc, _("[event %zu] attachment: %s"), i + 1, sd_error_message());
				break;
			}
			evs[k++] = i;
			buf += n + 2;
			p = p[n] ? p + n + 1 : NULL;
		}
	}
	out->n = k;
out:
	sd_buf__free(&all);
	if (rc < 0)
		sd_attach_list_free(out);
	return rc;
}

void
sd_attach_list_free(struct sd_attach_list *l)
{
	free(l->v);
	free(l->ev);
	free(l->text);
	memset(l, 0, sizeof(*l));
}

unsigned long long
sd_attach_total(const struct sd_attach_list *l)
{
	unsigned long long sum = 0;

	for (size_t i = 0; i < l->n; i++)
		sum += l->v[i].size;
	return sum;
}
