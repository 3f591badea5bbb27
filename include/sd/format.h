#ifndef SD_FORMAT_H
#define SD_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* Output formats (SPEC section 6): people's table and text, and the
 * machine formats tsv, csv (RFC 4180) and json, which never change. */
enum sd_format {
	SD_FORMAT_TABLE, SD_FORMAT_TEXT, SD_FORMAT_TSV, SD_FORMAT_CSV,
	SD_FORMAT_JSON, SD_FORMAT_INI, SD_FORMAT_HTML
};

/* name must be one of allowed, a comma-separated list; SD_EUSAGE if not. */
int sd_format_parse(enum sd_format *out, const char *name, const char *allowed);

/* Display width in terminal columns: each UTF-8 character counts once. */
size_t sd_format_width(const char *s);

/* One value: tsv escapes \t \n \r \\; csv quotes when it must; json is a
 * quoted string. */
void sd_put_tsv(FILE *f, const char *s);
void sd_put_csv(FILE *f, const char *s);
void sd_put_json(FILE *f, const char *s);

/* Rows with named columns, in any format; json rows are objects whose
 * numeric columns are numbers (null when empty). */
struct sd_table;

int sd_table_new(struct sd_table **out, FILE *f, enum sd_format fmt,
    size_t ncols, const char *const *names, const int *numeric);
/* The header people read, in the user's language: the table format shows
 * labels (in capitals) in place of the names, which the machine formats
 * keep whatever the language.  Before the first row. */
int sd_table_labels(struct sd_table *t, const char *const *labels);
int sd_table_row(struct sd_table *t, const char *const *cells);
/* Finish the output (a table is aligned on its first rows, and a table
 * with no rows prints nothing at all). */
int sd_table_end(struct sd_table *t);
void sd_table_free(struct sd_table *t);

/* Split a list such as "id,status" on sep: items trimmed, empty ones
 * dropped.  Free with sd_split_free. */
int sd_split(char ***out, size_t *n, const char *s, char sep);
void sd_split_free(char **v, size_t n);

#endif
