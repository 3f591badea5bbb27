#ifndef SD_ERROR_H
#define SD_ERROR_H

/*
 * Every libsd function that can fail returns 0 or one of these negative
 * codes, and leaves a one-line message for sd_error_message().  Only the
 * commands turn a code into an exit status, through sd_error_exit().
 */
enum sd_error_code {
	SD_OK = 0,
	SD_EUSAGE = -1,     /* the command line itself is wrong        64 */
	SD_EINVALID = -2,   /* bad data or an illegal move              65 */
	SD_ENOTFOUND = -3,  /* no store, no such ticket                 66 */
	SD_EEXISTS = -4,    /* cannot create: it is there already       73 */
	SD_EIO = -5,        /* I/O or git failure                       74 */
	SD_EBUSY = -6,      /* the store's lock was not had in time     75 */
	SD_EPERM = -7,      /* not permitted for this agent             77 */
	SD_ECONFIG = -8     /* a configuration file is broken           78 */
};

/* Record a message (printf format) for code and return code. */
int sd_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message of the last failure; "" when there is none. */
const char *sd_error_message(void);

/* Forget the last message. */
void sd_error_clear(void);

/* The exit status (sysexits) that code stands for; 0 for SD_OK. */
int sd_error_exit(int code);

/* The worse of two codes, by exit status: used by commands that go on. */
int sd_error_worst(int a, int b);

#endif
