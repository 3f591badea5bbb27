#!/bin/sh
# The manual in Spanish (man/es/): every page of man/ has its Spanish twin
# and no Spanish page is without its English one; each passes mandoc's
# lint as the English pages do; and `sd help` opens the page in the
# language of the messages, the English one otherwise.
. "${SD_TOP:-.}/tests/lib.sh"
top=$(cd "${SD_TOP:-.}" && pwd)

# --- one page in both languages ----------------------------------------
( cd "$top/man" && ls *.[157] ) >"$T/en"
( cd "$top/man/es" 2>/dev/null && ls *.[157] 2>/dev/null ) >"$T/es"
comm -23 "$T/en" "$T/es" >"$T/no-es"
comm -13 "$T/en" "$T/es" >"$T/no-en"
is "$(sed 's/^/man\/es\//' "$T/no-es" | tr '\n' ' ')" "" "every page of man/ in man/es/ (missing listed)"
is "$(sed 's/^/man\//' "$T/no-en" | tr '\n' ' ')" "" "every page of man/es/ in man/ (missing listed)"
ok $([ -s "$T/en" ]; echo $?) "man/ has pages ($(wc -l <"$T/en"))"

# --- lint, as `make test` lints the English pages ----------------------
for page in "$top"/man/es/*.[157]; do
	[ -f "$page" ] || continue
	name=es/$(basename "$page")
	mandoc -Tlint -Wwarning "$page" >"$T/lint" 2>&1
	st=$?
	sed 's/^/# /' "$T/lint" >&2
	ok $([ "$st" = 0 ] && [ ! -s "$T/lint" ]; echo $?) "mandoc -Tlint -Wwarning man/$name"
	is "$(head -1 "$page")" '.\" -*- coding: utf-8 -*-' "man/$name: coding line"
	# mdoc starts each form of a synopsis on its own line only under a
	# heading spelled SYNOPSIS: under SINOPSIS, .br between the forms.
	is "$(awk '/^\.Sh / { in_syn = $2 == "SINOPSIS"; n = 0; next }
		in_syn && /^\.Nm/ && n++ && prev != ".br" { print NR }
		{ prev = $0 }' "$page" | tr '\n' ' ')" "" "man/$name: SINOPSIS forms each after .br"
	# Same date, title and section as the English page.
	en=$top/man/$(basename "$page")
	if [ -f "$en" ]; then
		is "$(grep -E '^\.(Dd|Dt|Os)' "$page")" "$(grep -E '^\.(Dd|Dt|Os)' "$en")" \
			"man/$name: .Dd .Dt .Os as in English"
	fi
done

# --- sd help in the user's language -------------------------------------
export SD_MANDIR=$top/man MANPAGER=cat PAGER=cat MANWIDTH=80
if ! locale -a 2>/dev/null | grep -Eqix 'es_CO\.utf-?8'; then
	ok 1 "the es_CO.UTF-8 locale exists (make deps makes it)"
fi
expect 0 "LC_ALL=es_CO.UTF-8 sd help link" env LC_ALL=es_CO.UTF-8 sd help link
like "$T/out" "^DESCRIPCI" "sd help link: the Spanish page"
ok $(! grep -q '^DESCRIPTION' "$T/out"; echo $?) "sd help link: not the English page"
expect 0 "LC_ALL=C.UTF-8 sd help link" env LC_ALL=C.UTF-8 sd help link
like "$T/out" "^DESCRIPTION" "sd help link: the English page"
ok $(! grep -q '^DESCRIPCI' "$T/out"; echo $?) "sd help link in C: not the Spanish page"
expect 0 "LANG=es_CO.UTF-8 sd help link" env -u LC_ALL LANG=es_CO.UTF-8 sd help link
like "$T/out" "^DESCRIPCI" "LANG=es_CO.UTF-8: the Spanish page"
expect 0 "LC_MESSAGES=es_CO.UTF-8 over LANG=C" env -u LC_ALL LANG=C LC_MESSAGES=es_CO.UTF-8 sd help link
like "$T/out" "^DESCRIPCI" "LC_MESSAGES=es_CO.UTF-8: the Spanish page"
expect 0 "LC_ALL=C over LANG=es_CO.UTF-8" env LC_ALL=C LANG=es_CO.UTF-8 sd help link
like "$T/out" "^DESCRIPTION" "LC_ALL=C: the English page"

# A page with no Spanish twin: the English one, in Spanish too.
mkdir -p "$T/man/es/man1" "$T/man/man1" "$T/man/man7"
cp "$top/man/sd-link.1" "$top/man/sd-new.1" "$T/man/man1/"
cp "$top/man/sd.7" "$T/man/man7/"
if [ -f "$top/man/es/sd-link.1" ]; then cp "$top/man/es/sd-link.1" "$T/man/es/man1/"; fi
expect 0 "installed layout: es/man1/sd-link.1" env LC_ALL=es_CO.UTF-8 SD_MANDIR="$T/man" sd help link
like "$T/out" "^DESCRIPCI" "sd help link from es/man1/"
expect 0 "no Spanish page: sd help new" env LC_ALL=es_CO.UTF-8 SD_MANDIR="$T/man" sd help new
like "$T/out" "^DESCRIPTION" "sd help new: the English page"
like "$T/out" "sd-new . register a ticket" "sd help new: sd-new(1) itself"

done_testing
