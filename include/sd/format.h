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

/* Or'ed into a table's format (sd_table_new, sd_report_write): its cells
 * and header go through sd_visible first, for a terminal.  The command
 * decides (isatty); to a pipe or a file every format stays byte-exact. */
#define SD_FORMAT_VISIBLE 0x100

/* name must be one of allowed, a comma-separated list; SD_EUSAGE if not. */
int sd_format_parse(enum sd_format *out, const char *name, const char *allowed);

/* Display width in terminal columns: each UTF-8 character counts once. */
size_t sd_format_width(const char *s);

/* One value: tsv escapes \t \n \r \\; csv quotes when it must, and a
 * value starting with = + - @ TAB or CR (a spreadsheet's formula) is
 * quoted with a ' before it (in a table, but a number in a numeric
 * column); json is a quoted string. */
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
/* For a terminal width columns wide (0: no limit): a table's lines fit,
 * the cells of column that are too wide cut short with an ellipsis (the
 * other columns keep their width).  Nothing for the other formats.
 * Before the first row. */
int sd_table_fit(struct sd_table *t, size_t width, size_t column);
/* Finish the output (a table is aligned on its first rows, and a table
 * with no rows prints nothing at all). */
int sd_table_end(struct sd_table *t);
void sd_table_free(struct sd_table *t);

/* Controls made visible, for a terminal (lib/visible.c): a C0 control as
 * ^X (ESC ^[, DEL ^?), a C1 control U+0080..U+009F as M-^X (as cat -v
 * shows its Latin-1 byte: CSI U+009B is M-^[), a byte that is not UTF-8
 * as M- and its low seven bits; the rest as it is.  With SD_VISIBLE_LINES
 * newlines and tabs stay, for texts of many lines.  *out is malloc'd. */
#define SD_VISIBLE_LINES 1
int sd_visible(char **out, const char *s, int flags);
/* The bytes of the control character s starts with: 1 for C0 and DEL,
 * 2 for a C1 control in UTF-8, 0 for anything else (NUL included). */
size_t sd_control_len(const char *s);
/* The bytes of the bidirectional formatting character s starts with
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: they reorder
 * what a terminal shows, so "evil\u202Efdp.exe" reads as "evilexe.pdf"),
 * 0 for anything else. */
size_t sd_bidi_len(const char *s);

/* Split a list such as "id,status" on sep: items trimmed, empty ones
 * dropped.  Free with sd_split_free. */
int sd_split(char ***out, size_t *n, const char *s, char sep);
void sd_split_free(char **v, size_t n);

#endif
