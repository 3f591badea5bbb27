/*
 * The approval token: what an approval request mail carries so that the
 * approver's reply can give or deny that approval, and nothing else.  It is
 * an HMAC-SHA256 of the ticket, the role, the approver and the round (the
 * event that opened the approval: a token of an earlier round gives
 * nothing in a later one), keyed with a
 * secret of the store's machine-local state (SD_MAIL_SECRET_FILE, under
 * .git/, never in a commit), made on first use; a clone has its own.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "store_internal.h"
#include "sd/mail.h"

#define SECRET_LEN 32

/* The secret, made (under the store's lock) when there is none. */
static int
secret(struct sd_store *s, unsigned char key[SECRET_LEN])
{
	char *text = NULL;
	size_t len = 0, got = 0;
	int rc, was_locked = s->locked;

	rc = sd__store_read(s, SD_MAIL_SECRET_FILE, &text, &len);
	if (rc == SD_ENOTFOUND) {
		sd_error_clear();
		if ((rc = sd_store_lock(s)) < 0)
			goto out;
		/* Another delivery may have made it while we waited. */
		rc = sd__store_read(s, SD_MAIL_SECRET_FILE, &text, &len);
		if (rc == SD_ENOTFOUND) {
			sd_error_clear();
			while (got < SECRET_LEN) {
				ssize_t k = getrandom(key + got, SECRET_LEN - got, 0);
				if (k < 0 && errno != EINTR) {
					rc = sd_error_set(SD_EIO, "getrandom: %s", strerror(errno));
					goto out;
				}
				got += k > 0 ? (size_t)k : 0;
			}
			/* The owner's alone, even in a shared store. */
			rc = sd__root_write(s->root, sd__store_files(s) | SD_FILES_PRIVATE,
			    SD_MAIL_SECRET_FILE, key, SECRET_LEN, 0600);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	if (len != SECRET_LEN) {
		char *shown = sd__path(s->root, SD_MAIL_SECRET_FILE);
		rc = sd_error_set(SD_EINVALID, _("%s: not a secret of %d bytes (remove it to make "
		    "a new one; pending approval mails then no longer work)"),
		    shown ? shown : SD_MAIL_SECRET_FILE, SECRET_LEN);
		free(shown);
		goto out;
	}
	memcpy(key, text, SECRET_LEN);
out:
	if (!was_locked && s->locked)
		sd_store_unlock(s);
	if (text)
		OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

int
sd_mail_secret_usable(struct sd_store *s, int create)
{
	char *path = sd__path(s->root, SD_MAIL_SECRET_FILE);
	int ok;

	if (!path)
		return sd__oom();
	ok = access(path, R_OK) == 0 || (errno == ENOENT ? create : errno != EACCES);
	free(path);
	return ok;
}

long
sd_mail_round(const struct sd_ticket *t)
{
	long round = 0;

	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *to = sd_ticket_event_get(t, i, "to");
		const char *from = sd_ticket_event_get(t, i, "from");

		if (to && !strcmp(to, "awaiting-approval") &&
		    (!from || strcmp(from, "awaiting-approval")))
			round = (long)i + 1;
	}
	return round;
}

int
sd_mail_token(char out[SD_MAIL_TOKEN_MAX], struct sd_store *s, const char *id,
    const char *role, const char *approver, long round)
{
	unsigned char key[SECRET_LEN], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t li = strlen(id), lr = strlen(role), la = strlen(approver), lo, n;
	char *msg, rs[24];
	int rc;

	if ((rc = secret(s, key)) < 0) {
		OPENSSL_cleanse(key, sizeof(key));
		return rc;
	}
	/* The four with a NUL after each: no two give one message. */
	lo = (size_t)snprintf(rs, sizeof(rs), "%ld", round);
	n = li + lr + la + lo + 4;
	if (!(msg = malloc(n))) {
		OPENSSL_cleanse(key, sizeof(key));
		return sd__oom();
	}
	memcpy(msg, id, li + 1);
	memcpy(msg + li + 1, role, lr + 1);
	memcpy(msg + li + lr + 2, approver, la + 1);
	memcpy(msg + li + lr + la + 3, rs, lo + 1);
	if (!HMAC(EVP_sha256(), key, SECRET_LEN, (unsigned char *)msg, n, md, &mdlen) ||
	    mdlen * 2 < SD_MAIL_TOKEN_MAX - 1)
		rc = sd_error_set(SD_EIO, "HMAC-SHA256 failed");
	OPENSSL_cleanse(key, sizeof(key));
	free(msg);
	if (rc < 0)
		return rc;
	sd__hex(out, md, (SD_MAIL_TOKEN_MAX - 1) / 2);
	return 0;
}

int
sd_mail_token_check(struct sd_store *s, const char *token, const char *id,
    const char *role, const char *approver, long round)
{
	char want[SD_MAIL_TOKEN_MAX];
	int rc;

	if (strlen(token) != SD_MAIL_TOKEN_MAX - 1)
		return 0;
	if ((rc = sd_mail_token(want, s, id, role, approver, round)) < 0)
		return rc;
	return CRYPTO_memcmp(want, token, SD_MAIL_TOKEN_MAX - 1) == 0;
}
