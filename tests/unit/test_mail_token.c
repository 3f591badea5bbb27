/*
 * The approval token (sd/mail.h, lib/mail_token.c): an HMAC-SHA256 of the
 * ticket, role, approver and approval round under the store's secret, checked against
 * OpenSSL's own command line and against every changed part.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "sd/desk.h"
#include "sd/mail.h"

static char dir[] = "/tmp/sd-token-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct sd_store *
make_store(const char *name)
{
	static const char *const texts[4] = {
		UNIT_SD_INI, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI
	};
	struct sd_store *s = NULL;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_ok(sd_store_init(path, texts, NULL, NULL, 1795000000));
	assert_ok(sd_store_open(&s, path, 0));
	return s;
}

static void
secret_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s/%s", dir, name, SD_MAIL_SECRET_FILE);
}

/* The first 12 bytes of HMAC-SHA256(key, msg) in hex, as openssl(1) says. */
static void
openssl_hmac(char out[SD_MAIL_TOKEN_MAX], const char *keyfile, const char *msgfile)
{
	char cmd[2048], line[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 -mac HMAC -macopt hexkey:$(od -An -tx1 "
	    "-v '%s' | tr -d ' \\n') -r '%s'", keyfile, msgfile);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	memcpy(out, line, SD_MAIL_TOKEN_MAX - 1);
	out[SD_MAIL_TOKEN_MAX - 1] = '\0';
}

static void
test_token_is_hmac(void **state)
{
	struct sd_store *s = make_store("a");
	char tok[SD_MAIL_TOKEN_MAX], want[SD_MAIL_TOKEN_MAX], key[512], msg[512];
	struct stat st;
	FILE *f;

	(void)state;
	assert_ok(sd_mail_token(tok, s, "SD-42", "boss", "ana", 3));
	assert_int_equal(strlen(tok), SD_MAIL_TOKEN_MAX - 1);
	assert_int_equal(strspn(tok, "0123456789abcdef"), SD_MAIL_TOKEN_MAX - 1);
	/* The secret: made on first use, 32 bytes, the owner's alone. */
	secret_path(key, sizeof(key), "a");
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_size, 32);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The message: the four strings, each with its NUL; the round in
	 * decimal. */
	snprintf(msg, sizeof(msg), "%s/msg", dir);
	assert_non_null(f = fopen(msg, "wb"));
	assert_int_equal(fwrite("SD-42\0boss\0ana\0" "3\0", 1, 17, f), 17);
	assert_int_equal(fclose(f), 0);
	openssl_hmac(want, key, msg);
	assert_string_equal(tok, want);
	sd_store_free(s);
}

static void
test_token_binds_each_part(void **state)
{
	struct sd_store *s = make_store("b"), *t = make_store("c");
	char tok[SD_MAIL_TOKEN_MAX], other[SD_MAIL_TOKEN_MAX];

	(void)state;
	assert_ok(sd_mail_token(tok, s, "SD-42", "boss", "ana", 3));
	/* Stable: the secret is kept. */
	assert_ok(sd_mail_token(other, s, "SD-42", "boss", "ana", 3));
	assert_string_equal(tok, other);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "boss", "ana", 3), 1);
	/* Any part changed, or moved across the NULs, is another token. */
	assert_int_equal(sd_mail_token_check(s, tok, "SD-43", "boss", "ana", 3), 0);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "hr", "ana", 3), 0);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "boss", "bob", 3), 0);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "bos", "sana", 3), 0);
	/* Another round: an earlier request's token gives nothing later. */
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "boss", "ana", 4), 0);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "boss", "ana", 0), 0);
	assert_int_equal(sd_mail_token_check(s, tok, "SD-42", "boss", "ana", 33), 0);
	/* A wrong length, a changed digit, an empty token. */
	assert_int_equal(sd_mail_token_check(s, "", "SD-42", "boss", "ana", 3), 0);
	memcpy(other, tok, sizeof(other));
	other[5] = other[5] == '0' ? '1' : '0';
	assert_int_equal(sd_mail_token_check(s, other, "SD-42", "boss", "ana", 3), 0);
	other[SD_MAIL_TOKEN_MAX - 2] = '\0';
	assert_int_equal(sd_mail_token_check(s, other, "SD-42", "boss", "ana", 3), 0);
	/* Another store has its own secret. */
	assert_int_equal(sd_mail_token_check(t, tok, "SD-42", "boss", "ana", 3), 0);
	sd_store_free(s);
	sd_store_free(t);
}

/* The round: the event that last brought the ticket into
 * awaiting-approval, not one that kept it there. */
static void
event(struct sd_ticket *t, const char *action, const char *from, const char *to)
{
	size_t i;

	assert_ok(sd_ticket_event_add(t, &i, "2026-11-23T10:00:00-05:00", "ana", action));
	if (from)
		assert_ok(sd_ticket_event_set(t, i, "from", from));
	if (to)
		assert_ok(sd_ticket_event_set(t, i, "to", to));
}

static void
test_round(void **state)
{
	struct sd_ticket *t;

	(void)state;
	assert_ok(sd_ticket_new(&t));
	assert_int_equal(sd_mail_round(t), 0);
	event(t, "new", NULL, "new");
	assert_int_equal(sd_mail_round(t), 0);
	event(t, "update", "new", "awaiting-approval");
	assert_int_equal(sd_mail_round(t), 2);
	event(t, "note", NULL, NULL);
	event(t, "approve", "awaiting-approval", "awaiting-approval");
	assert_int_equal(sd_mail_round(t), 2);
	event(t, "update", "awaiting-approval", "new");
	event(t, "update", "new", "awaiting-approval");
	assert_int_equal(sd_mail_round(t), 6);
	sd_ticket_free(t);
	/* Born awaiting approval: the first event. */
	assert_ok(sd_ticket_new(&t));
	event(t, "new", NULL, "awaiting-approval");
	assert_int_equal(sd_mail_round(t), 1);
	sd_ticket_free(t);
}

/* sd_mail_apply checks the round again under the lock: a reply decided
 * for one round gives nothing once another has begun. */
static void
test_apply_round(void **state)
{
	static const char *const texts[4] = {
		UNIT_SD_INI "[mail]\naddress = desk@sd.example.org\n", UNIT_SLA_INI,
		"[group desk]\nlevel = 1\n[agent ana]\nname = Ana\ngroups = desk\n"
		"email = ana@example.org\napproves = boss\n",
		"[hardware]\nlevel1 = desk\napprovals = boss\n"
	};
	struct sd_new_params p = { .type = "request", .title = "Printer", .requester = "Eva",
		.category = "hardware", .urgency = "low", .impact = "low", .channel = "phone",
		.email = "eva@example.org", .phone = "555 0100", .description = "A new printer" };
	struct sd_mail_route r = { .action = SD_MAIL_APPROVE, .ticket = 1, .role = "boss",
		.approver = "ana" };
	struct sd_mail_draft d = { .text = "ok" };
	struct sd_store *s = NULL;
	struct sd_ticket *t = NULL;
	char path[256], id[SD_ID_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s/r", dir);
	assert_ok(sd_store_init(path, texts, NULL, NULL, 1795000000));
	assert_ok(sd_store_open(&s, path, 0));
	sd_store_set_now(s, 1795000000);
	assert_ok(sd_desk_new(s, sd_config_agent(sd_store_config(s), "ana"), &p, id));
	assert_ok(sd_store_load(s, &t, 1));
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval");
	assert_int_equal(sd_mail_round(t), 1);
	sd_ticket_free(t);
	/* Decided for round 2 (or round 1 of a ticket now in round 2). */
	r.round = 2;
	assert_fails(sd_mail_apply(s, NULL, &r, &d, "request", id), SD_EINVALID,
	    "SD-1: the approval asked in that mail is no longer asked (another round began)");
	assert_ok(sd_store_load(s, &t, 1));
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval");
	sd_ticket_free(t);
	r.round = 1;
	assert_ok(sd_mail_apply(s, NULL, &r, &d, "request", id));
	assert_string_equal(id, "SD-1");
	assert_ok(sd_store_load(s, &t, 1));
	assert_string_equal(sd_ticket_get(t, SD_F_STATUS), "new");
	sd_ticket_free(t);
	sd_store_free(s);
}

static void
test_bad_secret(void **state)
{
	struct sd_store *s = make_store("d");
	char tok[SD_MAIL_TOKEN_MAX], path[512], msg[1024];
	int fd;

	(void)state;
	secret_path(path, sizeof(path), "d");
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_int_equal(write(fd, "short", 5), 5);
	assert_int_equal(close(fd), 0);
	snprintf(msg, sizeof(msg), "%s: not a secret of 32 bytes (remove it to make a new one; "
	    "pending approval mails then no longer work)", path);
	assert_fails(sd_mail_token(tok, s, "SD-1", "boss", "ana", 3), SD_EINVALID, msg);
	memset(tok, '0', SD_MAIL_TOKEN_MAX - 1);
	tok[SD_MAIL_TOKEN_MAX - 1] = '\0';
	assert_fails(sd_mail_token_check(s, tok, "SD-1", "boss", "ana", 3), SD_EINVALID, msg);
	sd_store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_is_hmac),
		cmocka_unit_test(test_token_binds_each_part),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_apply_round),
		cmocka_unit_test(test_bad_secret),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
