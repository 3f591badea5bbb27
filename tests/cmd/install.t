#!/bin/sh
# make install and make uninstall, into a temporary DESTDIR, and the
# programs run from there: they find their default configuration, manual
# pages and message catalogues beside them (lib/paths.c), with none of
# the SD_* variables that point the tests at the source tree.
. "${SD_TOP:-.}/tests/lib.sh"
top=$(cd "${SD_TOP:-.}" && pwd)
# The build directory of the programs under test (build, build-san, ...).
b=$(basename "$(dirname "$SD_BIN")")
D=$T/dest
u=$D/usr

inst() {
	# The make running this test is not the make of these targets.
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$top" "$@" B="$b" \
		PREFIX=/usr DESTDIR="$D" >"$T/make.out" 2>&1
}

inst install
ok $? "make install DESTDIR=... PREFIX=/usr"
sed 's/^/# /' "$T/make.out" | head -20 >&2

# --- what lands where -------------------------------------------------
for p in "$SD_BIN"/*; do
	name=$(basename "$p")
	ok $([ -x "$u/bin/$name" ]; echo $?) "bin/$name"
done
# The pages name this installation's directories (PREFIX=/usr), not the
# default's; the admin's own /usr/local (a script, a plugin) stays.
for page in "$top"/man/*.[157] "$top"/man/es/*.[157]; do
	[ -f "$page" ] || continue
	name=$(basename "$page")
	lang=
	case $page in "$top"/man/es/*) lang=es/ ;; esac
	sed -e 's|/usr/local/share/sd|/usr/share/sd|g' -e 's|/usr/local/bin/sd|/usr/bin/sd|g' \
		-e 's|PATH=/usr/local/bin:/usr/bin:/bin|PATH=/usr/bin:/bin|' \
		-e 's|^\.Pa /usr/local/bin ;|.Pa /usr/bin ;|' "$page" >"$T/want-page"
	ok $(cmp -s "$T/want-page" "$u/share/man/${lang}man${name##*.}/$name"; echo $?) \
		"${lang}man${name##*.}/$name"
done
# The Spanish pages under share/man/es, as man(1) looks for them.
( cd "$top/man/es" 2>/dev/null && ls *.[157] 2>/dev/null ) >"$T/es-pages"
( cd "$u/share/man/es" && ls man1 man5 man7 ) | grep '\.[157]$' | sort >"$T/es-installed"
ok $(cmp -s "$T/es-pages" "$T/es-installed"; echo $?) "every page of man/es/ in share/man/es/manN/"
is "$(grep -l '/usr/local/share/sd\|/usr/local/bin/sd' "$u"/share/man/man?/* "$u"/share/man/es/man?/* \
	2>/dev/null | head -3)" "" \
	"no installed page names /usr/local/share/sd or /usr/local/bin/sd"
like "$u/share/man/man1/sd-init.1" '^\.It Pa /usr/share/sd/sla\.ini$' "sd-init(1): the installed defaults"
like "$u/share/man/man7/sd.7" '^\.It Pa /usr/share/sd/hooks/$' "sd(7): the installed hooks"
like "$u/share/man/man1/sd-mail.1" ' /usr/bin/sd-mail -C /srv/desk"$' "sd-mail(1): the installed sd-mail"
like "$u/share/man/man1/sd-report.1" '^\$ cat /usr/local/bin/informe-mensual$' \
	"sd-report(1): the admin's own /usr/local kept"
for f in sd.ini sla.ini escalation.ini agents.ini example/agents.ini example/escalation.ini \
	hooks/mail.sh hooks/pre-receive cron/sd-close-auto.timer cron/sd-sla.timer cron/sd-mail-flush.timer \
	templates/en/solve templates/es/solve; do
	ok $(cmp -s "$top/share/$f" "$u/share/sd/$f"; echo $?) "share/sd/$f"
done
# The cron and systemd files run the installed programs.
is "$(grep '^PATH=' "$u/share/sd/cron/crontab")" "PATH=/usr/bin:/bin" "crontab: PATH finds /usr/bin"
is "$(grep -v '^PATH=' "$u/share/sd/cron/crontab")" "$(grep -v '^PATH=' "$top/share/cron/crontab")" \
	"crontab: the rest as shipped"
is "$(grep '^ExecStart=' "$u/share/sd/cron/sd-close-auto.service")" "ExecStart=/usr/bin/sd-close --auto" \
	"sd-close-auto.service: the installed sd-close"
is "$(grep '^ExecStart=' "$u/share/sd/cron/sd-sla.service")" "ExecStart=/usr/bin/sd-sla --new-only" \
	"sd-sla.service: the installed sd-sla"
# The README's cron lines are the shipped crontab's, each with its systemd
# service and timer.
grep -E '^ +[*0-9/,-]+ [*0-9/,-]+ [*0-9/,-]+ [*0-9/,-]+ [*0-9/,-]+ +sd-' "$top/README.md" |
	sed -E 's/^ +//; s/ +#.*//; s/ +/ /g' >"$T/readme-cron"
grep -E '^[*0-9/,-]+[[:space:]]' "$top/share/cron/crontab" | sed -E 's/[[:space:]]+/ /g' >"$T/crontab-lines"
is "$(cat "$T/readme-cron")" "$(cat "$T/crontab-lines")" "README's cron lines are share/cron/crontab's"
is "$(wc -l <"$T/crontab-lines")" 3 "three of them: sd-close --auto, sd-mail --flush, sd-sla --new-only"
while read -r _m _h _dom _mon _dow cmd; do
	unit=$(grep -l "^ExecStart=/usr/local/bin/$cmd\$" "$top"/share/cron/*.service)
	ok $([ -n "$unit" ] && [ -f "${unit%.service}.timer" ]; echo $?) "'$cmd': a systemd service and timer"
done <"$T/crontab-lines"
ok $([ -x "$u/share/sd/hooks/pre-receive" ]; echo $?) "hooks stay executable"
bc=$u/share/bash-completion/completions
ok $(cmp -s "$top/completions/sd.bash" "$bc/sd"; echo $?) "bash completion: completions/sd"
for p in "$SD_BIN"/sd-*; do
	name=$(basename "$p")
	is "$(readlink "$bc/$name")" "sd" "bash completion: $name -> sd"
done
ok $([ -s "$u/share/zsh/vendor-completions/_sd" ]; echo $?) "zsh completion: _sd"
ok $([ -s "$u/share/fish/vendor_completions.d/sd.fish" ]; echo $?) "fish completion: sd.fish"
ok $([ -s "$u/share/locale/es/LC_MESSAGES/sd.mo" ]; echo $?) "the Spanish catalogue"
is "$(find "$D" ! -path "$u/*" ! -path "$D" ! -path "$D/usr" | head -3)" "" "nothing outside PREFIX"

# --- run from there ---------------------------------------------------
unset SD_SHAREDIR SD_BIN
PATH=/usr/bin:/bin
export PATH
s=$T/store
run env SD_AGENT=carmen "$u/bin/sd" init --example "$s"
is "$rc:$(cat "$T/err")" "0:" "the installed sd init finds the installed defaults"
ok $(cmp -s "$top/share/example/agents.ini" "$s/agents.ini"; echo $?) "the example agents, from share/sd/example"
export SD_STORE=$s
run "$u/bin/sd" new -t incident -s "Printer jam" -r Pedro -c hardware/printer --email p@example.org
is "$rc:$(cat "$T/out")" "0:SD-1" "the installed sd new, through sd"
run "$u/bin/sd" list --format tsv --fields id,status
is "$(cat "$T/out")" "id	status
SD-1	new" "the installed sd list"
clean "store clean"
run env MANPAGER=cat PAGER=cat MANWIDTH=80 "$u/bin/sd" help new
ok $([ "$rc" = 0 ] && grep -q "register a ticket" "$T/out"; echo $?) "sd help new: the installed page"
if [ -f "$top/man/es/sd-link.1" ]; then
	run env MANPAGER=cat PAGER=cat MANWIDTH=80 LC_ALL=es_CO.UTF-8 "$u/bin/sd" help link
	ok $([ "$rc" = 0 ] && grep -q "^DESCRIPCI" "$T/out"; echo $?) \
		"LC_ALL=es_CO.UTF-8 sd help link: the installed Spanish page"
fi
run env LANG=es_CO.UTF-8 LC_ALL= "$u/bin/sd-show" 99
ok $([ "$rc" = 66 ] && ! grep -q "no such ticket" "$T/err"; echo $?) \
	"LANG=es_CO.UTF-8: the installed catalogue, not English"
# Moved elsewhere, it still finds its files.
mv "$D" "$T/moved"
run env SD_AGENT=carmen "$T/moved/usr/bin/sd-init" "$T/store2"
is "$rc:$(cat "$T/err")" "0:" "moved: sd-init finds its defaults still"
mv "$T/moved" "$D"

# --- uninstall --------------------------------------------------------
inst uninstall
ok $? "make uninstall"
is "$(find "$D" ! -type d | sed "s|^$D||" | sort | head -5)" "" "no file left behind"

done_testing
