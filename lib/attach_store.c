/*
 * An attachment read back from the store: its blob in HEAD's tree at
 * attachments/XX/HEX, held to the size and digest its reference gives.
 */

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sd/attach.h"

int
sd_store_attachment(struct sd_store *s, const struct sd_attachment *a, char **out, size_t *len)
{
	char path[SD_ATTACH_PATH_MAX], hex[SD_ATTACH_HEX + 1];
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	*len = 0;
	sd_attach_path(path, a->hex);
	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (git_commit_lookup(&c, s->repo, &head) < 0 || git_commit_tree(&tree, c) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, path) < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = sd_error_set(SD_EINVALID, _("%s: not in the store (sd-fsck tells more)"), path);
		goto out;
	}
	if (git_blob_lookup(&b, s->repo, git_tree_entry_id(e)) < 0) {
		rc = sd__git_error(path);
		goto out;
	}
	if ((size_t)git_blob_rawsize(b) != a->size) {
		rc = sd_error_set(SD_EINVALID, _("%s: %zu bytes, not the %zu its reference gives "
		    "(sd-fsck tells more)"), path, (size_t)git_blob_rawsize(b), a->size);
		goto out;
	}
	sd_attach_sha256(hex, git_blob_rawcontent(b), a->size);
	if (strcmp(hex, a->hex)) {
		rc = sd_error_set(SD_EINVALID, _("%s: its bytes' SHA-256 is %s, not its name"), path, hex);
		goto out;
	}
	if (!(*out = malloc(a->size + 1))) {
		rc = sd__oom();
		goto out;
	}
	memcpy(*out, git_blob_rawcontent(b), a->size);
	(*out)[a->size] = '\0';
	*len = a->size;
out:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}
