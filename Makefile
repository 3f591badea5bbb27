# sd - the service-desk toolkit.  Plain make: see README.md.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SHAREDIR ?= $(DATADIR)/sd
LOCALEDIR ?= $(DATADIR)/locale
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
# zsh looks in vendor-completions under /usr, in site-functions elsewhere.
ZSHCOMPDIR ?= $(DATADIR)/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
DESTDIR ?=

# The build directory: `make B=build-san SANITIZE=1` builds beside it.
B ?= build

PKGS = libgit2 inih libcrypto zlib
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wvla -Wundef
ifdef SANITIZE
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
endif
SD_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DSD_VERSION='"$(VERSION)"' \
	-DSD_SHAREDIR='"$(SHAREDIR)"' -DSD_LOCALEDIR='"$(LOCALEDIR)"' \
	-DSD_MANDIR='"$(MANDIR)"' -DSD_BINDIR='"$(BINDIR)"'
ALL_CFLAGS = -std=c11 -pthread $(WARNINGS) $(SD_CPPFLAGS) $(CFLAGS) $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) -pthread
# libunistring (sd-list --grep's case folding) has no .pc file on Debian.
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring

PROGS = sd sd-init sd-new sd-show sd-list sd-update sd-edit sd-fsck \
	sd-assign sd-escalate sd-suspend sd-resume sd-solve sd-close sd-reopen \
	sd-note sd-reply sd-approve sd-link sd-sla sd-report sd-shell sd-mail sd-attach sd-kb \
	sd-sync
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
HEADERS = $(wildcard include/*.h include/sd/*.h lib/*.h)
MAN1 = $(wildcard man/*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = $(wildcard man/*.7)
# The same pages in Spanish, installed under MANDIR/es.
MAN_ES1 = $(wildcard man/es/*.1)
MAN_ES5 = $(wildcard man/es/*.5)
MAN_ES7 = $(wildcard man/es/*.7)

# Message catalogues: po/sd.pot from the sources, one po/LANG.po for each
# language of po/LINGUAS, compiled beside the programs, where lib/paths.c
# finds them (BINDIR/../share/locale).
LINGUAS = $(shell cat po/LINGUAS 2>/dev/null)
MO = $(LINGUAS:%=$(B)/share/locale/%/LC_MESSAGES/sd.mo)
XGETTEXT_FLAGS = --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=FIELD \
	--add-comments=TRANSLATORS: --package-name=sd --package-version=$(VERSION)

# What the build, the tests and the demo need from Debian (libssl-dev:
# libcrypto's HMAC-SHA256 for approval tokens, already loaded by libgit2).
DEB_PKGS = gcc make pkg-config git libgit2-dev libinih-dev libcmocka-dev libgmime-3.0-dev \
	libssl-dev openssl perl mandoc man-db tzdata bash-completion zsh fish python3 strace chromium \
	gettext locales time openssh-server openssh-client bsdutils
DEB_PKGS += libunistring-dev
# sd-sync's replay writes its objects as one pack (lib/sync_pack.c).
DEB_PKGS += zlib1g-dev
# The mail test's server and client (tests/cmd/mail-e2e.t).
DEB_PKGS += postfix swaks
# The sync scenarios' hub behind real servers (tests/sync/lib-sync.sh):
# sshd and git-shell, a test user (useradd), run as it (setpriv).
DEB_PKGS += openssh-server openssh-client passwd util-linux

all: $(PROGS:%=$(B)/bin/%) $(MO)

$(B)/lib/%.o: lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libsd.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/bin/%: cmd/%.c $(B)/libsd.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libsd.a $(LIBS)

$(B)/share/locale/%/LC_MESSAGES/sd.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt -c -o $@ $<

# Messages extracted again, and each catalogue brought up to date with them.
po:
	xgettext $(XGETTEXT_FLAGS) -o po/sd.pot $(sort $(wildcard cmd/*.c lib/*.c))
	for l in $(LINGUAS); do msgmerge -q --update --backup=none po/$$l.po po/sd.pot || exit 1; done

# GMime for the mail gateway alone (lib/mail.c, and GLib for lib/mail_route.c):
# no other program links it.
GMIME_CFLAGS = $(shell pkg-config --cflags gmime-3.0 2>/dev/null)
GMIME_LIBS = $(shell pkg-config --libs gmime-3.0 2>/dev/null)
$(B)/lib/mail.o $(B)/lib/mail_route.o: ALL_CFLAGS += $(GMIME_CFLAGS)
$(B)/bin/sd-mail $(B)/tests/test_mail $(B)/tests/test_mail_out $(B)/tests/test_mail_token: LIBS += $(GMIME_LIBS)
# test_mail_out reads sd's composed messages back with GMime.
$(B)/tests/test_mail_out: ALL_CFLAGS += $(GMIME_CFLAGS)

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libsd.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib $(shell pkg-config --cflags cmocka) $(ALL_LDFLAGS) \
		-o $@ $< $(B)/libsd.a $(LIBS) $(shell pkg-config --libs cmocka)

# The zsh and fish completions: completions/_sd.in and sd.fish.in with the
# table of completions/sd.bash put in (completions/generate.sh).  Installed,
# as bash's, once for sd and as a symlink for each other program.
COMPLETIONS = $(B)/completions/_sd $(B)/completions/sd.fish
COMP_LINKS = $(filter-out sd,$(sort $(PROGS) sd sd-mail))
all: $(COMPLETIONS)

$(B)/completions/%: completions/%.in completions/sd.bash completions/generate.sh
	@mkdir -p $(@D)
	sh completions/generate.sh $< >$@.tmp && mv $@.tmp $@

# Install what is missing: apt-get as root, else say the exact command.
# Postfix is installed unconfigured (no /etc/postfix/main.cf, so the
# system's own never starts): the mail test runs a private instance.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "sd needs:$$missing"; \
			echo "run: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi
	@# The Spanish messages are tested in es_CO.UTF-8.
	@if ! locale -a 2>/dev/null | grep -Eqix 'es_CO\.utf-?8'; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "making the locale es_CO.UTF-8"; \
			localedef -i es_CO -f UTF-8 es_CO.UTF-8; \
		else \
			echo "sd needs the locale es_CO.UTF-8"; \
			echo "run: sudo localedef -i es_CO -f UTF-8 es_CO.UTF-8"; exit 1; \
		fi; \
	fi

units: $(UNIT_BIN) $(B)/tests/fault.so

# The fault shim of tests/cmd/faults.t, preloaded: never sanitized (it
# comes before the sanitizer's runtime; the test tells ASan so).
$(B)/tests/fault.so: tests/fault/fault.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Wall -Wextra -fPIC -shared -o $@ $< -ldl

TEST_ENV = SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share SD_TOP=$(CURDIR) \
	CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LC_ALL=C.UTF-8

# Every test, then every test again under AddressSanitizer and UBSan.
check: deps
	$(MAKE) -j2 all units
	$(MAKE) test
	$(MAKE) -j2 all units B=build-san SANITIZE=1 CFLAGS='-O1 -g'
	$(MAKE) test B=build-san SANITIZE=1 CFLAGS='-O1 -g'

test: all units
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7) $(MAN_ES1) $(MAN_ES5) $(MAN_ES7)
	$(TEST_ENV) prove -e '' $(UNIT_BIN) </dev/null
	$(TEST_ENV) prove tests/cmd/*.t </dev/null
	$(TEST_ENV) prove tests/sync/*.t </dev/null

demo: deps all
	@SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh share/demo.sh

bench: deps all
	SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh tests/bench/run.sh
	SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh tests/bench/holidays.sh
	SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh tests/bench/sync.sh

bench-holidays: deps all
	SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh tests/bench/holidays.sh

# Stress, apart from `make check`: the concurrency test at a larger scale
# (SD_STRESS_SCALE, default 8: 8 writers x 200 commands), writers beside
# git gc (4 x 120 notes), every fault with both errnos, the random kills
# of tests/cmd/kill.t (8 x 20 runs), then commands
# killed at random instants (tests/stress/kill.sh: SD_KILL_RUNS, default
# 500; a summary, and the failing stores kept under /tmp).
stress: all
	SD_STRESS_SCALE=$${SD_STRESS_SCALE:-8} $(TEST_ENV) prove tests/cmd/concurrency.t \
		tests/cmd/gc-race.t tests/cmd/faults.t tests/cmd/kill.t </dev/null
	$(TEST_ENV) sh tests/stress/kill.sh

.PHONY: stress

# The command tests again with every program under valgrind (memcheck,
# leaks included): an error is exit status 99, which no test expects.
# Slow (valgrind starts with each command): apart from `make check`.
# VG_TESTS=tests/cmd/sd-mail.t runs some.
VG_BIN = $(CURDIR)/$(B)/valgrind-bin
VG_TESTS ?= tests/cmd/*.t
check-valgrind: all
	@mkdir -p $(VG_BIN)
	@for p in $(PROGS); do \
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$$@"\n' \
			"$(CURDIR)/$(B)/bin/$$p" >$(VG_BIN)/$$p; chmod +x $(VG_BIN)/$$p; \
	done
	$(TEST_ENV) SD_BIN=$(VG_BIN) SD_LOCK_TIMEOUT=30 prove $(VG_TESTS) </dev/null

.PHONY: check-valgrind

# Fuzzing, apart from `make check`: the libFuzzer targets of tests/fuzz/
# (ticket, config, parsers), built with clang (Debian: clang and
# libclang-rt-14-dev) and ASan/UBSan into build-fuzz/, then run one after
# the other, each for FUZZ_SECONDS seconds (default 60; FUZZ_SECONDS=3600
# for an hour each), on build-fuzz/corpus/T/: a copy of the seeds in
# tests/fuzz/corpus/T/ that keeps what earlier runs found.  Prints for
# each how long it ran, its executions per second and whether it found a
# crash (kept as build-fuzz/crashes/T-crash-...; its log in
# build-fuzz/T.log), and fails if one did.  FUZZ_TARGETS=ticket runs one.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ticket config parsers
FUZZ_CC ?= clang
FUZZ_B = build-fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -g -O1 $(SD_CPPFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Every object but lib/mail.c's and lib/mail_route.c's, which need GMime's flags.
FUZZ_LIB_OBJ = $(filter-out $(FUZZ_B)/lib/mail.o $(FUZZ_B)/lib/mail_route.o,$(LIB_SRC:lib/%.c=$(FUZZ_B)/lib/%.o))
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LC_ALL=C.UTF-8

$(FUZZ_B)/lib/%.o: lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c -o $@ $<

$(FUZZ_B)/fuzz-%: tests/fuzz/%.c $(FUZZ_LIB_OBJ) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ilib -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz-%)
	@status=0; for t in $(FUZZ_TARGETS); do \
		c=$(FUZZ_B)/corpus/$$t; log=$(FUZZ_B)/$$t.log; \
		mkdir -p $$c $(FUZZ_B)/crashes; cp tests/fuzz/corpus/$$t/* $$c/; \
		echo "fuzz $$t: running for $(FUZZ_SECONDS) s (log in $$log)"; \
		start=$$(date +%s); \
		$(FUZZ_ENV) nice $(FUZZ_B)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
			-timeout=60 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_B)/crashes/$$t- $$c >$$log 2>&1; rc=$$?; \
		secs=$$(( $$(date +%s) - start )); \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1); \
		eps=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log | tail -n 1); \
		if [ $$rc = 0 ]; then \
			echo "fuzz $$t: ran $$secs s, $${runs:-?} runs ($${eps:-?}/s), no crash"; \
		else \
			art=$$(sed -n 's/.*Test unit written to *//p' $$log | tail -n 1); \
			echo "fuzz $$t: CRASH after $$secs s (exit $$rc), $${runs:-?} runs ($${eps:-?}/s): $${art:-see $$log}"; \
			status=1; \
		fi; \
	done; exit $$status

.PHONY: fuzz

# The pages and the cron and systemd files name the default directories;
# installed, they name the installation's own.
INSTALL_PATHS = -e 's|/usr/local/share/sd|$(SHAREDIR)|g' -e 's|/usr/local/bin/sd|$(BINDIR)/sd|g' \
	-e 's|PATH=/usr/local/bin:|PATH=$(BINDIR):|' -e 's|PATH=/usr/bin:/usr/bin:|PATH=/usr/bin:|' \
	-e 's|^\.Pa /usr/local/bin |.Pa $(BINDIR) |'

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/es/man1 $(DESTDIR)$(MANDIR)/es/man5 \
		$(DESTDIR)$(MANDIR)/es/man7 $(DESTDIR)$(SHAREDIR)/example $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SHAREDIR)/hooks $(DESTDIR)$(SHAREDIR)/cron \
		$(DESTDIR)$(SHAREDIR)/templates/en $(DESTDIR)$(SHAREDIR)/templates/es
	cp $(PROGS:%=$(B)/bin/%) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	cp $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	$(if $(MAN_ES1),cp $(MAN_ES1) $(DESTDIR)$(MANDIR)/es/man1/)
	$(if $(MAN_ES5),cp $(MAN_ES5) $(DESTDIR)$(MANDIR)/es/man5/)
	$(if $(MAN_ES7),cp $(MAN_ES7) $(DESTDIR)$(MANDIR)/es/man7/)
	cp share/*.ini $(DESTDIR)$(SHAREDIR)/
	cp share/example/*.ini $(DESTDIR)$(SHAREDIR)/example/
	cp share/hooks/* $(DESTDIR)$(SHAREDIR)/hooks/
	cp share/cron/* $(DESTDIR)$(SHAREDIR)/cron/
	cp share/templates/en/* $(DESTDIR)$(SHAREDIR)/templates/en/
	cp share/templates/es/* $(DESTDIR)$(SHAREDIR)/templates/es/
	cp completions/sd.bash $(DESTDIR)$(BASHCOMPDIR)/sd
	for p in $(COMP_LINKS); do ln -sf sd $(DESTDIR)$(BASHCOMPDIR)/$$p; done
	mkdir -p $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	cp $(B)/completions/_sd $(DESTDIR)$(ZSHCOMPDIR)/_sd
	cp $(B)/completions/sd.fish $(DESTDIR)$(FISHCOMPDIR)/sd.fish
	for p in $(COMP_LINKS); do ln -sf sd.fish $(DESTDIR)$(FISHCOMPDIR)/$$p.fish; done
	for l in $(LINGUAS); do \
		mkdir -p $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		cp $(B)/share/locale/$$l/LC_MESSAGES/sd.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/sd.mo || exit 1; \
	done
	cd $(DESTDIR)$(MANDIR) && for p in $(sort $(notdir $(MAN1) $(MAN5) $(MAN7) $(MAN_ES1) $(MAN_ES5) $(MAN_ES7))); do \
		for f in man?/$$p */man?/$$p; do [ ! -f "$$f" ] || sed -i $(INSTALL_PATHS) "$$f" || exit 1; done; \
	done
	sed -i $(INSTALL_PATHS) $(DESTDIR)$(SHAREDIR)/cron/*

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -f $(MAN_ES1:man/es/%=$(DESTDIR)$(MANDIR)/es/man1/%) \
		$(MAN_ES5:man/es/%=$(DESTDIR)$(MANDIR)/es/man5/%) \
		$(MAN_ES7:man/es/%=$(DESTDIR)$(MANDIR)/es/man7/%)
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sd $(COMP_LINKS:%=$(DESTDIR)$(BASHCOMPDIR)/%)
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_sd $(DESTDIR)$(FISHCOMPDIR)/sd.fish \
		$(COMP_LINKS:%=$(DESTDIR)$(FISHCOMPDIR)/%.fish)
	rm -f $(LINGUAS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/sd.mo)

clean:
	rm -rf build build-san $(FUZZ_B)

.PHONY: all deps units check test demo bench bench-holidays install uninstall clean po
.SECONDARY:
