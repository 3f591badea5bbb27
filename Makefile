# sd - the service-desk toolkit.  Plain make: see README.md.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SHAREDIR ?= $(DATADIR)/sd
LOCALEDIR ?= $(DATADIR)/locale
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR ?=

# The build directory: `make B=build-san SANITIZE=1` builds beside it.
B ?= build

PKGS = libgit2 inih
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wvla -Wundef
ifdef SANITIZE
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
endif
SD_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DSD_VERSION='"$(VERSION)"' \
	-DSD_SHAREDIR='"$(SHAREDIR)"' -DSD_LOCALEDIR='"$(LOCALEDIR)"'
ALL_CFLAGS = -std=c11 $(WARNINGS) $(SD_CPPFLAGS) $(CFLAGS) $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

PROGS = sd-init sd-new sd-show sd-list sd-update sd-edit sd-fsck \
	sd-assign sd-escalate sd-suspend sd-resume sd-solve sd-close sd-reopen \
	sd-note sd-approve sd-link sd-sla sd-report sd-shell
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
HEADERS = $(wildcard include/*.h include/sd/*.h lib/*.h)
MAN1 = $(wildcard man/*.1)
MAN5 = $(wildcard man/*.5)
MAN7 = $(wildcard man/*.7)

# What the build, the tests and the demo need from Debian.
DEB_PKGS = gcc make pkg-config git libgit2-dev libinih-dev libcmocka-dev \
	perl mandoc tzdata bash-completion python3 strace chromium

all: $(PROGS:%=$(B)/bin/%)

$(B)/lib/%.o: lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libsd.a: $(LIB_OBJ)
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/bin/%: cmd/%.c $(B)/libsd.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libsd.a $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libsd.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib $(shell pkg-config --cflags cmocka) $(ALL_LDFLAGS) \
		-o $@ $< $(B)/libsd.a $(LIBS) $(shell pkg-config --libs cmocka)

# Install what is missing: apt-get as root, else say the exact command.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "sd needs:$$missing"; \
			echo "run: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi

units: $(UNIT_BIN)

TEST_ENV = SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share SD_TOP=$(CURDIR) \
	CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LC_ALL=C.UTF-8

# Every test, then every test again under AddressSanitizer and UBSan.
check: deps
	$(MAKE) test
	$(MAKE) test B=build-san SANITIZE=1 CFLAGS='-O1 -g'

test: all units
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)
	$(TEST_ENV) prove -e '' $(UNIT_BIN) </dev/null
	$(TEST_ENV) prove tests/cmd/*.t </dev/null

demo: deps all
	@SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh share/demo.sh

bench: deps all
	SD_BIN=$(CURDIR)/$(B)/bin SD_SHAREDIR=$(CURDIR)/share sh tests/bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(SHAREDIR)/example $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SHAREDIR)/hooks $(DESTDIR)$(SHAREDIR)/cron
	cp $(PROGS:%=$(B)/bin/%) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	cp $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	cp share/*.ini $(DESTDIR)$(SHAREDIR)/
	cp share/example/*.ini $(DESTDIR)$(SHAREDIR)/example/
	cp share/hooks/* $(DESTDIR)$(SHAREDIR)/hooks/
	cp share/cron/* $(DESTDIR)$(SHAREDIR)/cron/
	cp completions/sd.bash $(DESTDIR)$(BASHCOMPDIR)/sd
	for p in $(PROGS); do ln -sf sd $(DESTDIR)$(BASHCOMPDIR)/$$p; done

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
		$(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sd $(PROGS:%=$(DESTDIR)$(BASHCOMPDIR)/%)

clean:
	rm -rf build build-san

.PHONY: all deps units check test demo bench install uninstall clean
.SECONDARY:
