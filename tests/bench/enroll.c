/*
 * enroll - make a site of a hub, as sd-sync --enroll does, for the
 * benchmark: libsd's sd_sync_enroll, timed by timeit around it.
 *
 * usage: enroll URL DIR SITE
 *
 * Exits 0, or prints libsd's message and exits with the status SPEC
 * gives for it.
 */
#include <stdio.h>

#include "sd.h"
#include "sd/sync.h"

int
main(int argc, char *argv[])
{
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: enroll URL DIR SITE\n");
		return 64;
	}
	if ((rc = sd_sync_enroll(argv[1], argv[2], argv[3], NULL)) < 0) {
		fprintf(stderr, "enroll: %s\n", sd_error_message());
		return sd_error_exit(rc);
	}
	return 0;
}
