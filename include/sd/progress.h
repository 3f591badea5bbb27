#ifndef SD_PROGRESS_H
#define SD_PROGRESS_H

#include <stdint.h>

/*
 * Progress of long work (sd-fsck, sd-close --auto, sd-report, sd-list):
 * libsd says how far it is; the command side decides whether and how to
 * show it (lib/cli_progress.c).  libsd prints nothing and reads no clock.
 *
 * fn hears of a stage, named in English and marked N_() for the printer
 * to translate, as done of total items (total known from the start): at
 * most once an item, on the caller's thread, done never going back; once
 * with done == total when the stage ends.  A stage of no items is never
 * told.
 */
struct sd_progress {
	void (*fn)(void *arg, const char *stage, uint64_t done, uint64_t total);
	void *arg;
};

#endif
