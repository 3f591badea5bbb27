/*
 * The objects sd-sync's replay wrote, as one pack: whole objects, no
 * deltas (a search for them among a thousand trees of a thousand entries
 * costs more than the replay), each deflated fast, then indexed into the
 * repository as git does with a pack it receives.
 */
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal.h"
#include "sync_replay.h"

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static void
be32(struct sd_buf *b, unsigned long v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	    (unsigned char)(v >> 8), (unsigned char)v };

	sd_buf__add(b, x, 4);
}

/* One object: its type and size, then its bytes deflated. */
static int
put_object(struct sd_buf *b, git_odb_object *o)
{
	size_t size = git_odb_object_size(o);
	unsigned char head[16];
	size_t n = 0;
	uLongf zlen;
	int type = git_odb_object_type(o);

	head[n++] = (unsigned char)((type << 4) | (size & 0x0f));
	for (size_t rest = size >> 4; rest; rest >>= 7) {
		head[n - 1] |= 0x80;
		head[n++] = rest & 0x7f;
	}
	sd_buf__add(b, head, n);
	zlen = compressBound((uLong)size);
	if (sd_buf__reserve(b, zlen) < 0)
		return sd__oom();
	if (compress2((Bytef *)b->data + b->len, &zlen, git_odb_object_data(o), (uLong)size,
	    Z_BEST_SPEED) != Z_OK)
		return sd__oom();
	b->len += zlen;
	return 0;
}

int
sd__replay_pack(git_repository *repo, git_oid *ids, size_t n)
{
	struct sd_buf pack = SD_BUF_INIT;
	git_odb *odb = NULL;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats = { 0 };
	unsigned char md[SHA_DIGEST_LENGTH];
	size_t k = 0;
	int rc = 0;

	qsort(ids, n, sizeof(*ids), oid_cmp);
	for (size_t i = 0; i < n; i++)
		if (!k || !git_oid_equal(&ids[k - 1], &ids[i]))
			git_oid_cpy(&ids[k++], &ids[i]);
	if (git_repository_odb(&odb, repo) < 0)
		return sd__git_error(_("writing the replayed commits"));
	sd_buf__add(&pack, "PACK", 4);
	be32(&pack, 2);
	be32(&pack, (unsigned long)k);
	for (size_t i = 0; i < k && rc == 0; i++) {
		git_odb_object *o = NULL;

		if (git_odb_read(&o, odb, &ids[i]) < 0)
			rc = sd__git_error(_("writing the replayed commits"));
		else
			rc = put_object(&pack, o);
		git_odb_object_free(o);
	}
	if (rc == 0 && (rc = sd_buf__check(&pack)) == 0) {
		SHA1((const unsigned char *)pack.data, pack.len, md);
		sd_buf__add(&pack, md, sizeof(md));
		rc = sd_buf__check(&pack);
	}
	if (rc == 0 && (git_odb_write_pack(&wp, odb, NULL, NULL) < 0 ||
	    wp->append(wp, pack.data, pack.len, &stats) < 0 || wp->commit(wp, &stats) < 0))
		rc = sd__git_error(_("writing the replayed commits"));
	if (wp)
		wp->free(wp);
	git_odb_free(odb);
	sd_buf__free(&pack);
	return rc;
}
