/*
 * The desk's own words: built-in close reasons and solution-code labels
 * by language, and what sd.ini [words] says instead (sd/words.h).
 */

#include <string.h>

#include "internal.h"
#include "sd/config.h"
#include "sd/words.h"

static const char *const keys[SD_WORD__COUNT] = SD_WORD_KEYS;

static const struct {
	const char *code, *en, *es;
} words[SD_WORD__COUNT] = {
	[SD_WORD_CONFIRMED] = { NULL, "confirmed by requester", "confirmada por el solicitante" },
	[SD_WORD_NO_ANSWER] = { NULL,
		"accepted: no answer in time", "aceptada: sin respuesta a tiempo" },
	[SD_WORD_NO_INFORMATION] = { NULL, "no information in time", "sin la información a tiempo" },
	[SD_WORD_SOLVED] = { "solved", "solved", "solucionado" },
	[SD_WORD_WORKAROUND] = { "workaround", "workaround", "solución temporal" },
	[SD_WORD_UNSOLVABLE] = { "unsolvable", "unsolvable", "sin solución" },
	[SD_WORD_NO_CONTACT] = { "no-contact", "no contact", "sin contacto con el solicitante" },
};

static const char *
builtin(enum sd_word w, const char *lang)
{
	return lang && !strcmp(lang, "es") ? words[w].es : words[w].en;
}

const char *
sd_word_key(enum sd_word w)
{
	return keys[w];
}

int
sd_word_lookup(const char *key)
{
	for (int w = 0; w < SD_WORD__COUNT; w++)
		if (!strcmp(keys[w], key))
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
