/*
 * libsd's errors: the last one's exit status and one-line message, kept
 * per thread for the command to print; libgit2's, told as sd's.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <git2.h>

#include "internal.h"
#include "sd/error.h"

/* Per thread: sd_store_each and sd-report read files on worker threads. */
static _Thread_local char message[1024];

int
sd_error_set(int code, const char *fmt, ...)
{
	char buf[sizeof(message)];
	va_list ap;

	/* Through a copy: the arguments may be the last message itself. */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(message, buf, sizeof(message));
	return code;
}

const char *
sd_error_message(void)
{
	return message;
}

void
sd_error_clear(void)
{
	message[0] = '\0';
}

int
sd_error_exit(int code)
{
	switch (code) {
	case SD_OK:        return 0;
	case SD_EUSAGE:    return EX_USAGE;
	case SD_EINVALID:  return EX_DATAERR;
	case SD_ENOTFOUND: return EX_NOINPUT;
	case SD_EEXISTS:   return EX_CANTCREAT;
	case SD_EBUSY:     return EX_TEMPFAIL;
	case SD_EPERM:     return EX_NOPERM;
	case SD_ECONFIG:   return EX_CONFIG;
	case SD_EIO:
	default:           return EX_IOERR;
	}
}

int
sd_error_worst(int a, int b)
{
	return sd_error_exit(b) > sd_error_exit(a) ? b : a;
}

int
sd__git_error(const char *what)
{
	const git_error *e = git_error_last();

	return sd_error_set(SD_EIO, "%s: %s", what, e && e->message ? e->message : _("git failure"));
}
