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

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wformat=2 -Wundef -Wvla
PKG_CFLAGS := $(shell pkg-config --cflags bdw-gc 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs bdw-gc 2>/dev/null || echo -lgc)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
CFLAGS   ?=
CFLAGS   += -std=gnu11 -g $(OPT) $(WARN) $(PKG_CFLAGS) -Ilang -Iruntime -I$(BUILD)
LDFLAGS  += $(SANFLAGS)
LIBS     := $(PKG_LIBS) -lgmp -lnettle -lxlsxwriter

LANG_SRC    := $(wildcard lang/*.c)
RUNTIME_SRC := $(filter-out runtime/main.c,$(wildcard runtime/*.c))
GEN_SRC     := $(BUILD)/parser.c $(BUILD)/lexer.c
LIB_OBJ     := $(patsubst %.c,$(BUILD)/%.o,$(LANG_SRC) $(RUNTIME_SRC)) \
               $(BUILD)/parser.o $(BUILD)/lexer.o
TEST_SRC    := $(wildcard tests/unit/*.c)
TEST_OBJ    := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))

EXAMPLE_RULES := rules/xinjian-2021
EXAMPLE_FACTS := examples/xinjian-2021/facts.csv

# ASan's fake stacks hide Boehm GC roots (bdwgc issue #789).
export ASAN_OPTIONS := detect_stack_use_after_return=0:detect_leaks=0
export UBSAN_OPTIONS := print_stacktrace=1

.PHONY: all deps test-deps run test unit bench clean FORCE
all: kaohe

deps:
	@tools/deps.sh

# Readers the tests check our outputs with (openpyxl for .xlsx, headless
# Chromium for report.html); their tests skip, saying so, where missing.
test-deps:
	@tools/deps.sh --optional python3-openpyxl chromium fonts-wqy-microhei

# Always the binary of this build (a SAN=1 run leaves the sanitizer one).
kaohe: $(BUILD)/kaohe FORCE
	@cmp -s $< $@ || cp $< $@

FORCE:

$(BUILD)/kaohe: $(LIB_OBJ) $(BUILD)/runtime/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libkaohe.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/parser.c $(BUILD)/parser.h: lang/parser.y | $(BUILD)
	bison -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c $<

$(BUILD)/lexer.c $(BUILD)/lexer.h: lang/lexer.l | $(BUILD)
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

-include $(wildcard $(BUILD)/*.d $(BUILD)/*/*.d $(BUILD)/tests/unit/*.d)

$(BUILD)/check_kaohe: $(TEST_OBJ) $(BUILD)/libkaohe.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libkaohe.a $(LIBS) $(CHECK_LIBS)

run: deps kaohe
	./kaohe run $(EXAMPLE_RULES) $(EXAMPLE_FACTS)

# Language and end-to-end tests run inside the Check runner (one Check test per
# case file), so the suite ends with one Check summary line.
test: deps test-deps kaohe $(BUILD)/check_kaohe
	KAOHE=./kaohe $(BUILD)/check_kaohe

$(BUILD)/bench: bench/bench.c $(BUILD)/libkaohe.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkaohe.a $(LIBS)

bench: deps kaohe $(BUILD)/bench
	@BUILD=$(BUILD) bench/run.sh

clean:
	rm -rf build build-san kaohe
