/*
 * Small helpers of libsd: growing byte strings, string copies, and
 * whole files read and written.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sd/format.h"

int
sd__oom(void)
{
	return sd_error_set(SD_EIO, "%s", _("out of memory"));
}

static int
buf_grow(struct sd_buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (!(p = realloc(b->data, cap))) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int
sd_buf__reserve(struct sd_buf *b, size_t more)
{
	return buf_grow(b, more);
}

void
sd_buf__add(struct sd_buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
sd_buf__adds(struct sd_buf *b, const char *s)
{
	sd_buf__add(b, s, strlen(s));
}

void
sd_buf__addc(struct sd_buf *b, char c)
{
	sd_buf__add(b, &c, 1);
}

void
sd_buf__printf(struct sd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sd_buf__free(struct sd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *
sd_buf__detach(struct sd_buf *b)
{
	char *s;

	if (b->failed) {
		sd_buf__free(b);
		return NULL;
	}
	s = b->data ? b->data : calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

int
sd_buf__check(const struct sd_buf *b)
{
	return b->failed ? sd__oom() : 0;
}

char *
sd__strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *
sd__strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* The rest of fd into b, at most max bytes: more is SD_EINVALID naming
 * name, and no more than max + 1 bytes are ever held. */
static int
read_fd(struct sd_buf *b, int fd, const char *name, size_t max)
{
	ssize_t n;

	for (;;) {
		/* Straight into the buffer; it grows only for a file that grew. */
		if (!b->failed && b->cap - b->len < 2)
			buf_grow(b, b->cap ? (b->cap < max ? b->cap : 65536) : 4096);
		if (b->failed)
			return sd__oom();
		if ((n = read(fd, b->data + b->len, b->cap - b->len - 1)) == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sd_error_set(SD_EIO, "%s: %s", name, strerror(errno));
		}
		b->len += (size_t)n;
		if (b->len > max)
			return sd_error_set(SD_EINVALID, _("%s: longer than %zu bytes"), name, max);
	}
}

/* What b read, NUL-terminated, into *out (an empty string for nothing),
 * and its length into *len; b is emptied. */
static int
take_text(struct sd_buf *b, char **out, size_t *len)
{
	if (!b->data)
		sd_buf__add(b, "", 0);
	if (b->failed) {
		sd_buf__free(b);
		return sd__oom();
	}
	b->data[b->len] = '\0';
	if (len)
		*len = b->len;
	*out = sd_buf__detach(b);
	return 0;
}

int
sd__read_fd_max(char **out, size_t *len, int fd, const char *name, size_t max)
{
	struct sd_buf b = SD_BUF_INIT;
	struct stat st;
	int rc;

	*out = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > max)
			return sd_error_set(SD_EINVALID, _("%s: longer than %zu bytes"), name, max);
		buf_grow(&b, (size_t)st.st_size + 1);   /* the whole file in one allocation */
	}
	if ((rc = read_fd(&b, fd, name, max)) < 0) {
		sd_buf__free(&b);
		return rc;
	}
	return take_text(&b, out, len);
}

int
sd__read_file_max(char **out, size_t *len, const char *path, size_t max)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	/* Without waiting for a writer, should it be a FIFO; O_NONBLOCK
	 * changes nothing else for a regular file. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0)
		return errno == ELOOP ?
		    sd_error_set(SD_EINVALID, _("%s: a symbolic link; sd reads none"), path) :
		    sd_error_set(errno == ENOENT ? SD_ENOTFOUND : SD_EIO, "%s: %s", path,
		    strerror(errno));
	/* A FIFO reads as usual: empty when no one writes to it. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	rc = sd__read_fd_max(out, len, fd, path, max);
	close(fd);
	return rc;
}

char *
sd__path(const char *root, const char *rel)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__printf(&b, "%s/%s", root, rel);
	return sd_buf__detach(&b);
}

int
sd__read_file(char **out, size_t *len, const char *path)
{
	return sd__read_file_max(out, len, path, SIZE_MAX - 1);
}

int
sd__utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c;
		size_t k;
		unsigned cp, min;

		if (i + 8 <= n) {
			/* Eight ASCII bytes, none NUL, at once. */
			const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & tops) && !((w - ones) & ~w & tops)) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; min = 0x80; }
		else if ((c & 0xf0) == 0xe0) { k = 2; cp = c & 0x0f; min = 0x800; }
		else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

int
sd__split_list(char ***out, size_t *n, const char *s, char sep)
{
	char **v = NULL;
	size_t cnt = 0;
	const char *p = s;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		const char *end = strchr(p, sep);
		const char *a = p, *b = end ? end : p + strlen(p);
		char **nv;

		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a) {
			if (!(nv = realloc(v, (cnt + 1) * sizeof(*v))) ||
			    !(nv[cnt] = sd__strndup(a, (size_t)(b - a)))) {
				if (nv)
					v = nv;
				sd__free_list(v, cnt);
				return sd__oom();
			}
			v = nv;
			cnt++;
		}
		p = end ? end + 1 : NULL;
	}
	*out = v;
	*n = cnt;
	return 0;
}

void
sd__free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
sd_split(char ***out, size_t *n, const char *s, char sep)
{
	return sd__split_list(out, n, s, sep);
}

void
sd_split_free(char **v, size_t n)
{
	sd__free_list(v, n);
}

void
sd__hex(char *out, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *q = p;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[q[i] >> 4];
		out[2 * i + 1] = digits[q[i] & 15];
	}
	out[2 * n] = '\0';
}

uint64_t
sd__fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

int
sd__is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

size_t
sd__utf8_char_len(const unsigned char *s, size_t left)
{
	size_t k = 1;

	if (s[0] >= 0xc0 && s[0] < 0xe0)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] < 0xf0)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] < 0xf8)
		k = 4;
	return k <= left ? k : 1;
}
