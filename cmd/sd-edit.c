/* sd-edit - correct a ticket or a configuration file in an editor */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"
#include "sd/edit.h"

static const char *const usage = N_("usage: sd-edit [-C DIR] ID|FILE\n");

static int
slurp(char **out, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 4096, len = 0, n;
	char *buf = malloc(cap);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return sd_error_set(SD_EIO, _("%s: cannot read"), path);
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				fclose(f);
				free(buf);
				return sd_error_set(SD_EIO, "%s", _("out of memory"));
			}
			buf = nb;
		}
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		return sd_error_set(SD_EINVALID, _("%s: holds a NUL byte"), path);
	}
	*out = buf;
	return 0;
}

/* On a terminal, ask whether to edit again: the draft is kept for any
 * answer but an explicit q (or the end of input). */
static int
again(void)
{
	char answer[16];

	if (!isatty(0) || !isatty(2))
		return 0;
	/* TRANSLATORS: the answers stay e and q. */
	fputs(_("Edit again (e) or quit without saving (q)? "), stderr);
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	return answer[0] != 'q' && answer[0] != 'Q';
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const struct sd_agent *agent;
	struct sd_store *s = NULL;
	const char *dir = NULL;
	char *rel = NULL, *head = NULL, *disk = NULL, *text = NULL;
	char tmpdir[4096] = "", tmpfile[4096] = "";
	int c, rc;
	long n;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, "%s", argc == optind ?
		    _("a ticket ID or a file is required") : _("one ticket ID or file only"));
	/* The editor starts from the file on disk, a hand change and all, so
	 * that it can be kept; HEAD's version is what it is checked against,
	 * and whether the agent may edit it at all. */
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) < 0 ||
	    (rc = sd_desk_edit_target(s, argv[optind], &n, &rel)) < 0 ||
	    (rc = sd_edit_texts(s, n, rel, &head, &disk)) < 0 ||
	    (rc = sd_edit_check(s, agent, n, rel, head, head)) < 0)
		goto out;
	/* The copy stays inside the store's .git, with its other private
	 * files, not in a /tmp that others read. */
	snprintf(tmpdir, sizeof(tmpdir), "%s/.git/sd-edit.XXXXXX", sd_store_root(s));
	if (!mkdtemp(tmpdir)) {
		rc = sd_error_set(SD_EIO, _("%s: cannot make a temporary directory"), tmpdir);
		goto out;
	}
	snprintf(tmpfile, sizeof(tmpfile), "%s/%s", tmpdir, strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel);
	{
		FILE *f = fopen(tmpfile, "w");
		if (!f || fputs(disk ? disk : head, f) == EOF || fclose(f) == EOF) {
			rc = sd_error_set(SD_EIO, _("%s: cannot write"), tmpfile);
			goto out;
		}
	}
	for (;;) {
		free(text);
		text = NULL;
		if ((rc = sd_cli_edit(tmpfile)) < 0 || (rc = slurp(&text, tmpfile)) < 0)
			goto out;
		/* HEAD's version: nothing to commit (a hand change undone). */
		if (!strcmp(text, head) || (rc = sd_edit_check(s, agent, n, rel, head, text)) == 0)
			break;
		if (rc == SD_EPERM || !(sd_cli_fail(rc), again()))
			goto done;
	}
	if (disk && !strcmp(text, head) && !strcmp(disk, head))
		rc = 1;
	else
		rc = sd_edit_commit(s, agent, n, rel, disk, text);
	if (rc >= 0) {
		char id[SD_ID_MAX];
		sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
		if (rc == 1) {
			/* The draft as it was, or a ticket the same but for
			 * its updated time: nothing committed. */
			char msg[4200];
			snprintf(msg, sizeof(msg), _("%s: nothing changed"), n ? id : rel);
			sd_cli_say(msg);
			rc = 0;
		} else {
			if (n)
				puts(id);
			sd_cli_hook(s, "edit", n ? id : NULL, agent, NULL);
		}
	}
out:
	if (rc < 0)
		rc = sd_cli_fail(rc);
	goto cleanup;
done:
	rc = sd_error_exit(rc);
cleanup:
	if (*tmpfile)
		unlink(tmpfile);
	if (*tmpdir)
		rmdir(tmpdir);
	free(text);
	free(head);
	free(disk);
	free(rel);
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
