#ifndef SD_INI_INTERNAL_H
#define SD_INI_INTERNAL_H

/* INI parsing inside lib/: inih's line limit and handler, and the fast
 * scanners of ticket and configuration files (lib/ini.c). */

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"

/* The longest line inih reads whole: its 200-byte buffer less \r \n \0. */
#define SD_INI_LINE_MAX 197

/* Return nonzero to go on; zero after sd_error_set() to refuse the line.
 * Each [section] line comes first as a call with name and value NULL. */
typedef int (*sd_ini_handler)(void *user, const char *section,
    const char *name, const char *value, int lineno);

/* Parse data as INI through inih; errors are `path:line: what`, with code. */
int sd__ini_parse(const char *data, size_t len, const char *path, int code,
    sd_ini_handler handler, void *user);

/* Is the line p (n bytes, no \n) a plain `key = value` pair, one that
 * sd__ini_parse reads without inih?  The key of letters, digits and
 * `_ . + -`, spaces, `=`, spaces, the value: not ending in a space, no `;`
 * after a space (inih's inline comment), no control character, the line
 * not longer than SD_INI_LINE_MAX.  If so, the key's length in *key and
 * where the value starts in *value. */
int sd__ini_pair(const char *p, size_t n, size_t *key, size_t *value);

/* What the bytes of a line hold, for sd__ini_pair_flags. */
enum { SD_INI_CONTROL = 1, SD_INI_SEMI = 2, SD_INI_HIGH = 4 };

/* A byte that ends a line or cannot be in a plain one: below 0x20, 0x7f. */
static inline int
sd__ini_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The end of the line that starts at p: its \n, or end; in *flags what
 * its bytes hold: SD_INI_CONTROL a control character (a CR, a tab...),
 * SD_INI_SEMI a `;`, SD_INI_HIGH a byte of 0x80 or more.  Inline: the
 * readers of tickets call it for every line. */
static inline const char *
sd__ini_line(const char *p, const char *end, int *flags)
{
	const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
	uint64_t high = 0, semi = 0;
	const char *q = p;

#if defined(__SSE2__)
	/* Sixteen bytes at a time, where every x86-64 processor can: a bit
	 * for each byte with its top bit set (hi), below 0x20 as a signed
	 * byte (lt: those and the high ones), 0x7f, `;`. */
	for (; end - q >= 16; q += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned hi = (unsigned)_mm_movemask_epi8(w);
		unsigned lt = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(w, _mm_set1_epi8(0x20)));
		unsigned del = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, _mm_set1_epi8(0x7f)));
		unsigned sm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, _mm_set1_epi8(';')));
		unsigned stop = (lt & ~hi) | del;

		if (stop) {
			unsigned k = (unsigned)__builtin_ctz(stop);
			unsigned before = (1u << k) - 1;

			high |= hi & before;
			semi |= sm & before;
			q += k;
			goto found;
		}
		high |= hi;
		semi |= sm;
	}
#endif
	/* Eight bytes at a time: in each word, a byte below 0x20, one equal
	 * to 0x7f and one equal to `;` leave their top bit set in low, del
	 * and x, and no other byte does (bytes of 0x80 and up are masked
	 * out by ~w); a flag may be wrong only above a byte rightly flagged,
	 * so a word with none flagged has none of them. */
	for (; end - q >= 8; q += 8) {
		uint64_t w, x, low, del, sm;

		memcpy(&w, q, 8);
		low = (w - 0x20 * ones) & ~w & tops;
		x = w ^ 0x7f * ones;
		del = (x - ones) & ~x & tops;
		x = w ^ ';' * ones;
		sm = (x - ones) & ~x & tops;
		if (low | del) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* The first byte flagged is the first control byte:
			 * what comes before it counts. */
			unsigned k = (unsigned)__builtin_ctzll(low | del) >> 3;
			uint64_t before = k ? ~0ull >> (64 - 8 * k) : 0;

			high |= w & tops & before;
			semi |= sm & before;
			q += k;
			goto found;
#else
			break;  /* the line ends in this word, or is not plain */
#endif
		}
		high |= w & tops;
		semi |= sm;
	}
	for (; q < end && !sd__ini_control((unsigned char)*q); q++) {
		high |= (unsigned char)*q & 0x80;
		semi |= *q == ';';
	}
#if defined(__SSE2__) || (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
found:
#endif
	*flags = (high ? SD_INI_HIGH : 0) | (semi ? SD_INI_SEMI : 0);
	if (q == end || *q == '\n')
		return q;
	*flags |= SD_INI_CONTROL;
	return (q = memchr(q, '\n', (size_t)(end - q))) ? q : end;
}

/* The \n that ends the line at p, or end: for lines only skipped, short
 * ones, where a call to memchr costs more than the looking. */
static inline const char *
sd__ini_eol(const char *p, const char *end)
{
	const char *q = p;

#if defined(__SSE2__)
	for (; end - q >= 16; q += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, _mm_set1_epi8('\n')));

		if (nl)
			return q + __builtin_ctz(nl);
	}
#endif
	return (q = memchr(q, '\n', (size_t)(end - q))) ? q : end;
}

/* sd__ini_pair for a line (no \n) whose flags sd__ini_line gave. */
int sd__ini_pair_flags(const char *p, size_t n, int flags, size_t *key, size_t *value);

/* Is every line of data plain, read by sd__ini_parse without inih? */
int sd__ini_plain(const char *data, size_t len);

/* Nonzero: every file through inih, none read as plain lines (tests). */
extern int sd__ini_inih_only;

#endif
