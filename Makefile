# kaohe — the one Makefile. `make run` builds and scores the 2021 example;
# `make test` runs the whole suite; SAN=1 builds with ASan+UBSan into
# build-san/. Generated files (parser, lexer, embedded stdlib) go to the
# build folder and are never committed.

SAN      ?= 0
SANFLAGS :=
CC       ?= cc
BUILD    := build
OPT      := -O2
ifeq ($(SAN),1)
BUILD    := build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
OPT      := -O1 -fno-omit-frame-pointer $(SANFLAGS)
endif

# COV=1: gcov instrumentation, no optimisation, into build-cov/ (used by
# `make coverage`, not directly).
COV      ?= 0
ifeq ($(COV),1)
BUILD    := build-cov
SANFLAGS := --coverage
OPT      := -O0 --coverage
endif

# FUZZ=1: clang with libFuzzer's coverage instrumentation, ASan and UBSan,
# into build-fuzz/: the depth tier. FUZZ=fast: the same instrumentation
# with UBSan only, -O2 and no comparison tracing (the dictionaries and the
# rule mutator stand in for it), into build-fuzz-fast/: the throughput tier
# (three to five times the executions; what ASan alone sees is left to the
# other).
# Used by `make fuzz`, not directly.
FUZZ     ?= 0
ifeq ($(FUZZ),1)
BUILD    := build-fuzz
CC       := clang
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
OPT      := -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(SANFLAGS)
endif
ifeq ($(FUZZ),fast)
BUILD    := build-fuzz-fast
CC       := clang
SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=all
OPT      := -O2 -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp $(SANFLAGS)
endif

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wformat=2 -Wundef -Wvla
PKG_CFLAGS := $(shell pkg-config --cflags bdw-gc libzip expat 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs bdw-gc 2>/dev/null || echo -lgc) \
              $(shell pkg-config --libs libzip expat 2>/dev/null || echo -lzip -lexpat)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
CFLAGS   ?=
# The layers, lowest first (README.md, "Layout"); every folder is on the
# include path, and tools/layers.py checks that includes and calls only
# point down this list.
LAYERS   := runtime/base runtime/data runtime/code lang runtime/vm runtime/out runtime/cli
CFLAGS   += -std=gnu11 -g $(OPT) $(WARN) $(PKG_CFLAGS) $(patsubst %,-I%,$(LAYERS)) -I$(BUILD)
LDFLAGS  += $(SANFLAGS)
LIBS     := $(PKG_LIBS) -lgmp -lnettle -lxlsxwriter

# The message catalogues built (see "Message catalogues" below).
PO_LANGS    := zh_CN
MO_FILES    := $(patsubst %,build/locale/%/LC_MESSAGES/kaohe.mo,$(PO_LANGS))

MAIN_SRC    := runtime/cli/main.c
LIB_SRC     := $(filter-out $(MAIN_SRC),$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
LIB_OBJ     := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) \
               $(BUILD)/parser.o $(BUILD)/lexer.o
MAIN_OBJ    := $(BUILD)/runtime/cli/main.o
# The fuzz harnesses are part of the test build: the `fuzz` suite replays
# their kept corpora. libfuzzer.c is only for `make fuzz`.
FUZZ_SRC    := $(filter-out tests/fuzz/libfuzzer.c,$(wildcard tests/fuzz/*.c))
TEST_SRC    := $(wildcard tests/unit/*.c) $(FUZZ_SRC)
TEST_OBJ    := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))

EXAMPLE_RULES := rules/xinjian-2021
EXAMPLE_FACTS := examples/xinjian-2021/facts.csv

# ASan's fake stacks hide Boehm GC roots (bdwgc issue #789).
export ASAN_OPTIONS := detect_stack_use_after_return=0:detect_leaks=0
export UBSAN_OPTIONS := print_stacktrace=1

.PHONY: all deps test-deps run test unit bench clean FORCE fuzz fuzz-build fuzz-campaign valgrind gcstress coverage layers pot \
        man install uninstall deb
all: kaohe

deps:
	@tools/deps.sh

# Readers the tests check our outputs with (openpyxl for .xlsx, headless
# Chromium for report.html, pdftotext for its printed pages); their tests
# skip, saying so, where missing.
test-deps: deps
	@tools/deps.sh --optional python3-openpyxl chromium poppler-utils fonts-wqy-microhei nodejs
	@tools/npm-test-deps.sh

# Always the binary of this build (a SAN=1 run leaves the sanitizer one).
kaohe: $(BUILD)/kaohe $(MO_FILES) FORCE
	@cmp -s $< $@ || cp $< $@

# Message catalogues (po/LANG.po → build/locale/LANG/LC_MESSAGES/kaohe.mo),
# one place for every build flavour: an uninstalled ./kaohe finds them
# beside itself (runtime/base/i18n.c). `make pot` lists the marked messages
# of the code in po/kaohe.pot for a translator; tools/po-check.sh (a case
# of make test) fails when one is missing from po/zh_CN.po.
build/locale/%/LC_MESSAGES/kaohe.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

pot:
	find lang runtime -name '*.[chy]' | LC_ALL=C sort | xgettext --from-code=UTF-8 \
	    --language=C -k --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
	    --package-name=kaohe -f - -o po/kaohe.pot

FORCE:

$(BUILD)/kaohe: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libkaohe.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# Grouped targets (&:): one bison run makes both files, so `make -jN` never
# runs it twice at once into the same parser.c.
$(BUILD)/parser.c $(BUILD)/parser.h &: lang/parser.y | $(BUILD)
	bison -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c $<

$(BUILD)/lexer.c $(BUILD)/lexer.h &: lang/lexer.l | $(BUILD)
	flex --header-file=$(BUILD)/lexer.h -o $(BUILD)/lexer.c $<

# The stdlib, written in the rule language, becomes a C string literal.
$(BUILD)/stdlib.inc: stdlib/std.kh | $(BUILD)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# Generated C is not ours to keep warning-clean beyond what flex/bison allow.
# -MMD: they include ast.h, which they must be rebuilt after.
$(BUILD)/parser.o: $(BUILD)/parser.c $(BUILD)/lexer.h
	$(CC) $(CFLAGS) -Wno-unused-function -MMD -MP -c -o $@ $<
$(BUILD)/lexer.o: $(BUILD)/lexer.c $(BUILD)/parser.h
	$(CC) $(CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-missing-prototypes -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c $(BUILD)/parser.h $(BUILD)/lexer.h $(BUILD)/stdlib.inc
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD):
	@mkdir -p $(BUILD)

-include $(wildcard $(BUILD)/*.d $(BUILD)/*/*.d $(BUILD)/*/*/*.d)

$(BUILD)/check_kaohe: $(TEST_OBJ) $(BUILD)/libkaohe.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libkaohe.a $(LIBS) $(CHECK_LIBS)

run: deps kaohe
	./kaohe run $(EXAMPLE_RULES) $(EXAMPLE_FACTS)

# Language and end-to-end tests run inside the Check runner (one Check test per
# case file), so the suite ends with one Check summary line.
test: deps test-deps kaohe $(BUILD)/check_kaohe
	KAOHE=./kaohe $(BUILD)/check_kaohe

# `make layers`: every include and call points down the layers, and no two
# files need each other (tools/layers.py; README.md, "Layout"). CI runs it.
layers: kaohe
	@python3 tools/layers.py $(BUILD)

$(BUILD)/bench: bench/bench.c $(BUILD)/libkaohe.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkaohe.a $(LIBS)

bench: deps kaohe $(BUILD)/bench
	@BUILD=$(BUILD) bench/run.sh

# ---- memory checks -----------------------------------------------------------
# `make valgrind`: memcheck over the hand-managed parts (tools/valgrind.sh).
# `make gcstress`: kaohe linked so that every allocation first runs a full
# collection (tests/gcstress/stress.c), checked on the 2021 example.
GCSTRESS_WRAP := -Wl,--wrap=GC_malloc,--wrap=GC_malloc_atomic,--wrap=GC_malloc_uncollectable \
                 -Wl,--wrap=GC_realloc,--wrap=GC_strdup

$(BUILD)/kaohe-gcstress: $(MAIN_OBJ) $(BUILD)/libkaohe.a $(BUILD)/tests/gcstress/stress.o
	$(CC) $(LDFLAGS) -o $@ $^ $(GCSTRESS_WRAP) $(LIBS)

valgrind: deps kaohe $(BUILD)/check_kaohe
	@tools/deps.sh valgrind
	@tools/valgrind.sh ./kaohe $(BUILD)/check_kaohe

gcstress: deps kaohe $(BUILD)/kaohe-gcstress
	@tools/gcstress.sh $(BUILD)/kaohe-gcstress ./kaohe

# ---- coverage -------------------------------------------------------------------
# `make coverage`: the whole suite (Check suites, every case file, the fuzz
# corpora) with a gcov build, then line and branch coverage of lang/ and
# runtime/ by gcovr; the HTML report is build-cov/coverage.html. Branches the
# compiler adds that no input can take (gcov's "unreachable") are left out.
# Runs under ulimit -f or -v count nothing (tools/cov-kaohe.sh says why);
# GCOV_ERROR_FILE keeps their complaints out of the cases' stderr.
coverage: deps test-deps
	@tools/deps.sh gcovr
	@$(MAKE) --no-print-directory COV=1 build-cov/kaohe build-cov/check_kaohe
	@find build-cov -name '*.gcda' -delete
	@GCOV_ERROR_FILE=/dev/null KAOHE=tools/cov-kaohe.sh build-cov/check_kaohe | tail -1
	@rm -rf /tmp/kaohe-cov-discarded
	@gcovr --root . --object-directory build-cov --filter 'lang/' --filter 'runtime/' \
	    --exclude-unreachable-branches --print-summary \
	    --html-details build-cov/coverage.html --txt build-cov/coverage.txt

# ---- fuzzing -----------------------------------------------------------------
# `make fuzz` runs every harness of tests/fuzz/ for FUZZ_SECONDS each, at the
# lowest priority, from the kept corpus; new crashes land in build-fuzz/crashes/
# (tools/fuzz.sh says what to do with them). `make test` replays the corpora.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := parse compile csv eval rules_facts commands xlsx
# These read rule files, and mutate their inputs as rule files (the
# declaration-level mutator of tests/fuzz/mutate.c, then libFuzzer's bytes).
FUZZ_MUTATED := compile rules_facts commands
FUZZ_OBJ     := $(patsubst %.c,$(BUILD)/%.o,$(FUZZ_SRC))

$(BUILD)/fuzz-%: tests/fuzz/libfuzzer.c $(FUZZ_OBJ) $(BUILD)/libkaohe.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -DFUZZ_TARGET=fuzz_$(subst -,_,$*) \
	    $(if $(filter $*,$(FUZZ_MUTATED)),-DFUZZ_MUTATOR=fuzz_mutate_rules) -o $@ $< \
	    $(FUZZ_OBJ) $(BUILD)/libkaohe.a $(LIBS)

fuzz-build: $(patsubst %,$(BUILD)/fuzz-%,$(FUZZ_TARGETS))

# FUZZ_TIER=fast (the default: UBSan, -O2) or asan (ASan and UBSan).
FUZZ_TIER ?= fast
FUZZ_FLAG := $(if $(filter asan,$(FUZZ_TIER)),1,fast)
FUZZ_DIR  := $(if $(filter asan,$(FUZZ_TIER)),build-fuzz,build-fuzz-fast)

fuzz: deps
	@tools/deps.sh clang libclang-rt-dev
	@$(MAKE) --no-print-directory FUZZ=$(FUZZ_FLAG) fuzz-build
	@FUZZ_BUILD=$(FUZZ_DIR) tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# `make fuzz-campaign`: the same for CAMPAIGN_SECONDS per harness, each run
# added to tests/fuzz/campaign.tsv (commit, tier, executions, seconds,
# crashes, coverage); run it again, in this session or a later one, and the
# counts go on. `tools/fuzz.sh --totals` prints them.
CAMPAIGN_SECONDS ?= 300
fuzz-campaign: deps
	@tools/deps.sh clang libclang-rt-dev
	@$(MAKE) --no-print-directory FUZZ=$(FUZZ_FLAG) fuzz-build
	@FUZZ_BUILD=$(FUZZ_DIR) tools/fuzz.sh --campaign $(CAMPAIGN_SECONDS) $(FUZZ_TARGETS)

# ---- man pages, install, the Debian package ------------------------------------
# The English pages are installed as written; the Chinese ones get the line
# break points groff needs between Chinese characters (tools/man-cjk.py).
MAN_PAGES := kaohe.1 kaohe-rules.5
MAN_OUT   := $(BUILD)/man
man: $(addprefix $(MAN_OUT)/,$(MAN_PAGES)) $(addprefix $(MAN_OUT)/zh_CN/,$(MAN_PAGES))

$(MAN_OUT)/%: docs/man/% | $(BUILD)
	@mkdir -p $(dir $@)
	cp $< $@
$(MAN_OUT)/zh_CN/%: docs/man/zh_CN/% tools/man-cjk.py | $(BUILD)
	@mkdir -p $(dir $@)
	python3 tools/man-cjk.py $< $@

# `make install` honours PREFIX and DESTDIR (DESTDIR=stage PREFIX=/usr for a
# staging folder, as debian/rules does). The rubrics and examples go to
# share/kaohe so that `kaohe run /usr/share/kaohe/rules/xinjian-2021 …` works
# from the package; the stdlib is compiled into the binary.
PREFIX   ?= /usr/local
DESTDIR  ?=
SHARE    := $(DESTDIR)$(PREFIX)/share
INSTALL  ?= install

install: kaohe man
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/man/man1 $(SHARE)/man/man5 \
	    $(SHARE)/man/zh_CN/man1 $(SHARE)/man/zh_CN/man5 $(SHARE)/doc/kaohe \
	    $(SHARE)/kaohe $(SHARE)/bash-completion/completions $(SHARE)/zsh/vendor-completions
	$(INSTALL) -m 755 kaohe $(DESTDIR)$(PREFIX)/bin/kaohe
	for l in $(PO_LANGS); do $(INSTALL) -D -m 644 build/locale/$$l/LC_MESSAGES/kaohe.mo \
	    $(SHARE)/locale/$$l/LC_MESSAGES/kaohe.mo; done
	$(INSTALL) -m 644 $(MAN_OUT)/kaohe.1 $(SHARE)/man/man1/kaohe.1
	$(INSTALL) -m 644 $(MAN_OUT)/kaohe-rules.5 $(SHARE)/man/man5/kaohe-rules.5
	$(INSTALL) -m 644 $(MAN_OUT)/zh_CN/kaohe.1 $(SHARE)/man/zh_CN/man1/kaohe.1
	$(INSTALL) -m 644 $(MAN_OUT)/zh_CN/kaohe-rules.5 $(SHARE)/man/zh_CN/man5/kaohe-rules.5
	$(INSTALL) -m 644 tools/completion/kaohe.bash $(SHARE)/bash-completion/completions/kaohe
	$(INSTALL) -m 644 tools/completion/_kaohe $(SHARE)/zsh/vendor-completions/_kaohe
	$(INSTALL) -m 644 README.md docs/language.md $(SHARE)/doc/kaohe/
	cp -R rules examples $(SHARE)/kaohe/
	cp -R tools/editors $(SHARE)/kaohe/editors
	find $(SHARE)/kaohe -type d -exec chmod 755 {} + && find $(SHARE)/kaohe -type f -exec chmod 644 {} +

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kaohe $(SHARE)/man/man1/kaohe.1 $(SHARE)/man/man5/kaohe-rules.5 \
	    $(SHARE)/man/zh_CN/man1/kaohe.1 $(SHARE)/man/zh_CN/man5/kaohe-rules.5 \
	    $(SHARE)/bash-completion/completions/kaohe $(SHARE)/zsh/vendor-completions/_kaohe \
	    $(patsubst %,$(SHARE)/locale/%/LC_MESSAGES/kaohe.mo,$(PO_LANGS))
	rm -rf $(SHARE)/kaohe $(SHARE)/doc/kaohe

# `make deb`: the Debian package, built by dpkg-buildpackage from debian/
# (tools/deb.sh installs the packaging tools, builds, and runs lintian).
deb: deps
	@tools/deb.sh

clean:
	rm -rf build build-san build-fuzz build-fuzz-fast build-cov kaohe
