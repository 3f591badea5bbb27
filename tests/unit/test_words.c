/*
 * The desk's own words (sd/words.h): the built-in reasons and labels by
 * language, sd.ini [words] over them, and the errors of a bad word.
 */
#include "unit.h"
#include "sd/config.h"
#include "sd/words.h"

static const char *const names[4] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };

/* UNIT_SD_INI in Spanish. */
#define SD_ES \
	"[store]\nprefix = SD\ntimezone = America/Bogota\nlanguage = es\n" \
	"[calendar]\nmon = 07:30-17:00\n" \
	"[lifecycle]\nchannels = phone, web\n"

static int
parse(struct sd_config **cfg, const char *base, const char *extra)
{
	char sd[4096];
	const char *texts[4] = { sd, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI };

	*cfg = NULL;
	snprintf(sd, sizeof(sd), "%s%s", base, extra);
	return sd_config_parse(cfg, texts, names);
}

static struct sd_config *
good(const char *base, const char *extra)
{
	struct sd_config *cfg;

	if (parse(&cfg, base, extra) < 0)
		fail_msg("sd_config_parse: %s", sd_error_message());
	return cfg;
}

static void
fails(const char *extra, const char *msg)
{
	struct sd_config *cfg;

	assert_fails(parse(&cfg, UNIT_SD_INI, extra), SD_ECONFIG, msg);
	assert_null(cfg);
}

static void
test_keys(void **state)
{
	(void)state;
	for (int w = 0; w < SD_WORD__COUNT; w++)
		assert_int_equal(sd_word_lookup(sd_word_key(w)), w);
	assert_string_equal(sd_word_key(SD_WORD_NO_ANSWER), "close_no_answer");
	assert_string_equal(sd_word_key(SD_WORD_NO_CONTACT), "code_no-contact");
	assert_int_equal(sd_word_lookup("close_bogus"), -1);
	assert_int_equal(sd_word_lookup(""), -1);
}

/* Without [words]: today's English reasons whatever the language; the
 * labels in the store's language; an unknown code has none. */
static void
test_defaults(void **state)
{
	struct sd_config *en = good(UNIT_SD_INI, ""), *es = good(SD_ES, "");

	(void)state;
	assert_string_equal(sd_words_reason(en, SD_WORD_CONFIRMED), "confirmed by requester");
	assert_string_equal(sd_words_reason(en, SD_WORD_NO_ANSWER), "accepted: no answer in time");
	assert_string_equal(sd_words_reason(en, SD_WORD_NO_INFORMATION), "no information in time");
	assert_string_equal(sd_words_reason(es, SD_WORD_NO_ANSWER), "accepted: no answer in time");
	assert_string_equal(sd_words_reason(NULL, SD_WORD_NO_ANSWER), "accepted: no answer in time");
	assert_string_equal(sd_words_code_label(en, "solved"), "solved");
	assert_string_equal(sd_words_code_label(en, "workaround"), "workaround");
	assert_string_equal(sd_words_code_label(en, "unsolvable"), "unsolvable");
	assert_string_equal(sd_words_code_label(en, "no-contact"), "no contact");
	assert_string_equal(sd_words_code_label(es, "solved"), "solucionado");
	assert_string_equal(sd_words_code_label(es, "workaround"), "solución temporal");
	assert_string_equal(sd_words_code_label(es, "unsolvable"), "sin solución");
	assert_string_equal(sd_words_code_label(es, "no-contact"), "sin contacto con el solicitante");
	assert_null(sd_words_code_label(en, "fixed"));
	assert_null(sd_words_code_label(es, ""));
	/* A stored English reason read in Spanish; the desk's own as it is. */
	assert_string_equal(sd_words_reason_in("accepted: no answer in time", "es"),
	    "aceptada: sin respuesta a tiempo");
	assert_string_equal(sd_words_reason_in("confirmed by requester", "es"),
	    "confirmada por el solicitante");
	assert_string_equal(sd_words_reason_in("no information in time", "en"), "no information in time");
	assert_string_equal(sd_words_reason_in("Se ha validado", "es"), "Se ha validado");
	assert_string_equal(sd_words_reason_in("workaround", "es"), "workaround");
	sd_config_free(en);
	sd_config_free(es);
}

/* [words] over the built-in ones, each word alone. */
static void
test_own_words(void **state)
{
	struct sd_config *cfg = good(SD_ES, "[words]\n"
	    "close_no_answer = Por tiempo excedido de los 3 días\n"
	    "code_no-contact = Sin contacto: tres intentos\n"
	    "code_solved = Resuelto\n");

	(void)state;
	assert_string_equal(sd_words_reason(cfg, SD_WORD_NO_ANSWER), "Por tiempo excedido de los 3 días");
	assert_string_equal(sd_words_reason(cfg, SD_WORD_CONFIRMED), "confirmed by requester");
	assert_string_equal(sd_words_code_label(cfg, "no-contact"), "Sin contacto: tres intentos");
	assert_string_equal(sd_words_code_label(cfg, "solved"), "Resuelto");
	assert_string_equal(sd_words_code_label(cfg, "workaround"), "solución temporal");
	assert_string_equal(sd_config_word(cfg, SD_WORD_SOLVED), "Resuelto");
	assert_null(sd_config_word(cfg, SD_WORD_UNSOLVABLE));
	assert_null(sd_config_word(cfg, -1));
	assert_null(sd_config_word(cfg, SD_WORD__COUNT));
	sd_config_free(cfg);
}

static void
test_errors(void **state)
{
	(void)state;
	fails("[words]\nclose_bogus = x\n", "sd.ini:9: unknown key 'close_bogus' in [words]");
	fails("[words]\ncode_solved =\n",
	    "sd.ini:9: code_solved: one line of UTF-8 text, without control characters");
	fails("[words]\ncode_solved = a\033[31m\n",
	    "sd.ini:9: code_solved: one line of UTF-8 text, without control characters");
	fails("[words]\nclose_confirmed = \xff\xfe\n",
	    "sd.ini:9: close_confirmed: one line of UTF-8 text, without control characters");
	fails("[words]\nclose_confirmed = a\nclose_confirmed = b\n",
	    "sd.ini:10: duplicate key 'close_confirmed'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_own_words),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
