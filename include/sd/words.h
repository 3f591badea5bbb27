#ifndef SD_WORDS_H
#define SD_WORDS_H

/*
 * The desk's own words (sd.ini [words]): the close reasons sd writes
 * itself and the labels of the solution codes.  A reason given in
 * sd.ini is written into the ticket as it is; without one, today's
 * English.  A label is shown beside its code where people read it (sd-show,
 * the solve mail); without one, the built-in words of [store] language.
 */

struct sd_config;

enum sd_word {
	SD_WORD_CONFIRMED,      /* close_confirmed: closed by the requester */
	SD_WORD_NO_ANSWER,      /* close_no_answer: sd-close --auto, solved */
	SD_WORD_NO_INFORMATION, /* close_no_information: --auto, pending-info */
	SD_WORD_SOLVED,         /* code_solved ... labels of --code */
	SD_WORD_WORKAROUND,
	SD_WORD_UNSOLVABLE,
	SD_WORD_NO_CONTACT,
	SD_WORD__COUNT
};

/* The sd.ini keys, in the order of enum sd_word. */
#define SD_WORD_KEYS { "close_confirmed", "close_no_answer", "close_no_information", \
	"code_solved", "code_workaround", "code_unsolvable", "code_no-contact" }

/* The sd.ini key of w ("close_no_answer"). */
const char *sd_word_key(enum sd_word w);

/* The word for key, or -1 when key is none. */
int sd_word_lookup(const char *key);

/* A close reason sd writes: the configured one, else the English. */
const char *sd_words_reason(const struct sd_config *cfg, enum sd_word w);

/* The label of a solution code (solved, workaround, unsolvable,
 * no-contact): the configured one, else the built-in in the store's
 * language; NULL for a code that is none. */
const char *sd_words_code_label(const struct sd_config *cfg, const char *code);

/* A close reason as people of lang read it: a built-in English reason
 * in lang's built-in words; any other (a desk's own) as it is. */
const char *sd_words_reason_in(const char *reason, const char *lang);

#endif
