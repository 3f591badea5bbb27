/*
 * The objects sd-sync's replay wrote, as one pack: whole objects, no
 * deltas (a search for them among a thousand trees of a thousand entries
 * costs more than the replay), each deflated fast, and its index (v2)
 * written beside it from what the writing knows: nothing is read back.
 */
#include <git2.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/sha.h>
#include <errno.h>
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

/* data written to dir/tmp (a name git and libgit2 pass over), synced. */
static int
put_tmp(const char *dir, const char *tmp, const void *data, size_t len)
{
	char path[4200];
	const char *p = data;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, tmp);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444)) < 0)
		return sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	while (len && rc == 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0)
			rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
		else
			p += n, len -= (size_t)n;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	if (rc < 0)
		unlink(path);
	return rc;
}

/* dir/from renamed dir/to. */
static int
put_name(const char *dir, const char *from, const char *to)
{
	char a[4200], b[4200];

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	if (rename(a, b) < 0) {
		int e = errno;

		unlink(a);
		return sd_error_set(SD_EIO, "%s: %s", b, strerror(e));
	}
	return 0;
}

/* The index of a pack whose objects ids[0..n) (sorted) are at off[],
 * their packed bytes' CRC-32 crc[]; sum the pack's own checksum. */
static void
put_index(struct sd_buf *x, const git_oid *ids, const size_t *off, const unsigned long *crc,
    size_t n, const unsigned char *sum)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	size_t big = 0, i = 0;

	sd_buf__add(x, "\377tOc", 4);
	be32(x, 2);
	for (int b = 0; b < 256; b++) {
		while (i < n && ids[i].id[0] <= b)
			i++;
		be32(x, (unsigned long)i);
	}
	for (i = 0; i < n; i++)
		sd_buf__add(x, ids[i].id, GIT_OID_RAWSZ);
	for (i = 0; i < n; i++)
		be32(x, crc[i]);
	for (i = 0; i < n; i++)
		be32(x, off[i] < 0x80000000UL ? (unsigned long)off[i] : 0x80000000UL | big++);
	for (i = 0; i < n; i++)
		if (off[i] >= 0x80000000UL) {
			be32(x, (unsigned long)((unsigned long long)off[i] >> 32));
			be32(x, (unsigned long)(off[i] & 0xffffffffUL));
		}
	sd_buf__add(x, sum, SHA_DIGEST_LENGTH);
	if (!x->failed) {
		SHA1((const unsigned char *)x->data, x->len, md);
		sd_buf__add(x, md, sizeof(md));
	}
}

int
sd__replay_pack(git_repository *repo, git_oid *ids, size_t n)
{
	struct sd_buf pack = SD_BUF_INIT, idx = SD_BUF_INIT;
	git_odb *odb = NULL;
	unsigned char md[SHA_DIGEST_LENGTH];
	char hex[2 * SHA_DIGEST_LENGTH + 1], dir[4096], name[4200], tpack[64], tidx[64];
	size_t k = 0, *off = NULL;
	unsigned long *crc = NULL;
	int rc = 0;

	qsort(ids, n, sizeof(*ids), oid_cmp);
	for (size_t i = 0; i < n; i++)
		if (!k || !git_oid_equal(&ids[k - 1], &ids[i]))
			git_oid_cpy(&ids[k++], &ids[i]);
	if (!(off = calloc(k ? k : 1, sizeof(*off))) || !(crc = calloc(k ? k : 1, sizeof(*crc)))) {
		rc = sd__oom();
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0) {
		rc = sd__git_error(_("writing the replayed commits"));
		goto out;
	}
	sd_buf__add(&pack, "PACK", 4);
	be32(&pack, 2);
	be32(&pack, (unsigned long)k);
	for (size_t i = 0; i < k && rc == 0; i++) {
		git_odb_object *o = NULL;

		off[i] = pack.len;
		if (git_odb_read(&o, odb, &ids[i]) < 0)
			rc = sd__git_error(_("writing the replayed commits"));
		else if ((rc = put_object(&pack, o)) == 0)
			crc[i] = crc32(0L, (const Bytef *)pack.data + off[i], (uInt)(pack.len - off[i]));
		git_odb_object_free(o);
	}
	if (rc < 0 || (rc = sd_buf__check(&pack)) < 0)
		goto out;
	SHA1((const unsigned char *)pack.data, pack.len, md);
	sd_buf__add(&pack, md, sizeof(md));
	put_index(&idx, ids, off, crc, k, md);
	if ((rc = sd_buf__check(&pack)) < 0 || (rc = sd_buf__check(&idx)) < 0)
		goto out;
	for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(dir, sizeof(dir), "%sobjects/pack", git_repository_path(repo));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = sd_error_set(SD_EIO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	/* Both written under temporary names (a run killed meanwhile
	 * leaves tmp_* files the next run clears, lib/sync_lock.c), then
	 * the pack named, then its index: a pack is seen through its index
	 * alone, so it is never seen without one or with half of one. */
	snprintf(tpack, sizeof(tpack), "tmp_pack_%s", hex);
	snprintf(tidx, sizeof(tidx), "tmp_idx_%s", hex);
	if ((rc = put_tmp(dir, tpack, pack.data, pack.len)) < 0)
		goto out;
	if ((rc = put_tmp(dir, tidx, idx.data, idx.len)) < 0) {
		snprintf(name, sizeof(name), "%s/%s", dir, tpack);
		unlink(name);
		goto out;
	}
	snprintf(name, sizeof(name), "pack-%s.pack", hex);
	if ((rc = put_name(dir, tpack, name)) < 0) {
		snprintf(name, sizeof(name), "%s/%s", dir, tidx);
		unlink(name);
		goto out;
	}
	snprintf(name, sizeof(name), "pack-%s.idx", hex);
	if ((rc = put_name(dir, tidx, name)) == 0) {
		/* The names in the directory, durable as the files. */
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) < 0)
			rc = sd_error_set(SD_EIO, "%s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
out:
	free(off);
	free(crc);
	git_odb_free(odb);
	sd_buf__free(&pack);
	sd_buf__free(&idx);
	return rc;
}
