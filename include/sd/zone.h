#ifndef SD_ZONE_H
#define SD_ZONE_H

#include <time.h>

/*
 * A time zone read from its TZif file (RFC 8536, versions 1 to 4), so that
 * local times are worked out without the process's zone (no TZ, no
 * tzset).  A loaded zone never changes: any number of threads may use one
 * at once.  Wherever a zone is taken, NULL stands for UTC.
 *
 * Local times are what glibc's localtime_r gives with TZ set to the zone:
 * before the first transition the first standard-time type, between
 * transitions the type of the one before, after the last one the rules
 * of the file's POSIX TZ footer (all the future rules of a "slim" file),
 * or the last type when there is none.  Leap seconds are not counted.
 */
struct sd_zone;

/* The default directory of zones, where dir is NULL or "". */
#define SD_ZONE_DIR "/usr/share/zoneinfo"

/* Load zone name (an IANA name such as America/Bogota) from dir (the
 * caller's $TZDIR, or NULL).  SD_EINVALID, with a message naming the
 * zone, for a name that is not one (empty, absolute, with "..", or other
 * than letters, digits and / _ + -), nothing there, a directory, a file
 * that is not TZif, or a damaged one. */
int sd_zone_load(struct sd_zone **out, const char *name, const char *dir);
void sd_zone_free(struct sd_zone *z);

/* The name it was loaded by; "UTC" for NULL.  Borrowed from z. */
const char *sd_zone_name(const struct sd_zone *z);

/* The zone's offset from UTC at instant t, in seconds east (beyond two
 * million years from 1970, the footer's standard time). */
long sd_zone_offset(const struct sd_zone *z, time_t t);

/* t as a local time, like localtime_r: every field, tm_gmtoff, tm_isdst
 * and tm_zone (borrowed from z) included.  NULL (and *tm zeroed) for an
 * instant more than 2^46 seconds (two million years) from 1970. */
struct tm *sd_zone_local(const struct sd_zone *z, time_t t, struct tm *tm);

/* The instant at which the clocks of z show the local time `local`
 * (seconds from 1970-01-01T00:00 of the local calendar, as if it were
 * UTC), from the zone's offsets two days before and after it: a time
 * the clocks show twice (as after a change back to winter time) is the
 * earlier of its two instants; a time they skip (in a change forward) is
 * read with the offset before the change, so it falls as far after the
 * change as it is into the gap (02:30 across a change 02:00 -> 03:00 is
 * 03:30). */
time_t sd_zone_instant(const struct sd_zone *z, long long local);

#endif
