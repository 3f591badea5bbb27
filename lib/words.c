/*
 * The desk's own words: built-in close reasons and solution-code labels
 * by language, and what sd.ini [words] says instead (sd/words.h).
 */

#include <string.h>

#include "internal.h"
#include "sd/config.h"
#include "sd/words.h"

static const struct {
	const char *key, *code, *en, *es;
} words[SD_WORD__COUNT] = {
	[SD_WORD_CONFIRMED] = { "close_confirmed", NULL,
		"confirmed by requester", "confirmada por el solicitante" },
	[SD_WORD_NO_ANSWER] = { "close_no_answer", NULL,
		"accepted: no answer in time", "aceptada: sin respuesta a tiempo" },
	[SD_WORD_NO_INFORMATION] = { "close_no_information", NULL,
		"no information in time", "sin la información a tiempo" },
	[SD_WORD_SOLVED] = { "code_solved", "solved", "solved", "solucionado" },
	[SD_WORD_WORKAROUND] = { "code_workaround", "workaround",
		"workaround", "solución temporal" },
	[SD_WORD_UNSOLVABLE] = { "code_unsolvable", "unsolvable", "unsolvable", "sin solución" },
	[SD_WORD_NO_CONTACT] = { "code_no-contact", "no-contact",
		"no contact", "sin contacto con el solicitante" },
};

static const char *
builtin(enum sd_word w, const char *lang)
{
	return lang && !strcmp(lang, "es") ? words[w].es : words[w].en;
}

const char *
sd_word_key(enum sd_word w)
{
	return words[w].key;
}

int
sd_word_lookup(const char *key)
{
	for (int w = 0; w < SD_WORD__COUNT; w++)
		if (!strcmp(words[w].key, key))
			return w;
	return -1;
}

const char *
sd_words_reason(const struct sd_config *cfg, enum sd_word w)
{
	const char *own = cfg ? sd_config_word(cfg, w) : NULL;

	return own ? own : words[w].en;
}

const char *
sd_words_code_label(const struct sd_config *cfg, const char *code)
{
	for (int w = SD_WORD_SOLVED; w < SD_WORD__COUNT; w++)
		if (!strcmp(words[w].code, code)) {
			const char *own = cfg ? sd_config_word(cfg, w) : NULL;
			return own ? own : builtin(w, cfg ? sd_config_language(cfg) : "en");
		}
	return NULL;
}

const char *
sd_words_reason_in(const char *reason, const char *lang)
{
	for (int w = 0; w < SD_WORD_SOLVED; w++)
		if (!strcmp(reason, words[w].en))
			return builtin(w, lang);
	return reason;
}
