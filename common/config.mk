# config.mk: compiler, flags and build folders, included by every Makefile of the repository.
#
#   make CC=clang ...                 any C11 compiler
#   make SANITIZE=thread ...          or SANITIZE=address,undefined
#   make CFLAGS='-O0 -g' ...          your own optimisation and debug flags
#
# Each compiler and sanitizer combination builds into its own folder, build/<cc>[-<sanitizers>]/,
# so switching between them never mixes objects. Nothing here defines NDEBUG: assert() stays on.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
# `make` with no target builds `all`, whatever rule a Makefile happens to define first (the
# library rule below would otherwise be the default, and `make` would build nothing else).
.DEFAULT_GOAL := all
comma := ,
SANITIZE ?=
VARIANT := $(notdir $(firstword $(CC)))$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
BUILD := $(TOP)/build/$(VARIANT)

# Quiet by default: one short line per file built. V=1 shows every command in full.
V ?= 0
ifeq ($(V),1)
QUIET_CC :=
QUIET_LINK :=
QUIET_AR :=
else
QUIET_CC = @echo '  CC      $(patsubst $(TOP)/%,%,$@)';
QUIET_LINK = @echo '  LINK    $(patsubst $(TOP)/%,%,$@)';
QUIET_AR = @echo '  AR      $(patsubst $(TOP)/%,%,$@)';
endif

CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wpedantic -Werror
ifneq ($(SANITIZE),)
SANITIZER_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
ifneq ($(findstring undefined,$(SANITIZE)),)
SANITIZER_FLAGS += -fno-sanitize-recover=undefined
endif
# Sanitized code runs several times slower: give every test more time, and stop at the first report.
export CK_TIMEOUT_MULTIPLIER ?= 4
# Each sanitizer exits with a status of its own, so the test runner can name what it found.
export TSAN_OPTIONS ?= halt_on_error=1 second_deadlock_stack=1 exitcode=66
export ASAN_OPTIONS ?= exitcode=81
export UBSAN_OPTIONS ?= halt_on_error=1 print_stacktrace=1 exitcode=82
export TTW_SANITIZE := $(SANITIZE)
endif
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(SANITIZER_FLAGS) -pthread -MMD -MP -I$(TOP)/common
ALL_LDFLAGS = $(LDFLAGS) $(SANITIZER_FLAGS) -pthread
LDLIBS := -lm

# Check is needed by the tests only: evaluated lazily, so building and running never ask for it.
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)

LIBCOMMON := $(BUILD)/common/libcommon.a
LIBTESTING := $(BUILD)/common/libtesting.a
TIMEIT := $(BUILD)/common/timeit

# The libraries belong to common/: ask its Makefile, which does nothing when they are up to date.
ifndef COMMON_MAKEFILE
# SANITIZE is passed on: exercise.mk may have chosen it, and a makefile's variables are not exported.
$(LIBCOMMON) $(TIMEIT): FORCE
	@$(MAKE) --no-print-directory -C $(TOP)/common lib SANITIZE='$(SANITIZE)'
$(LIBTESTING): FORCE
	@$(MAKE) --no-print-directory -C $(TOP)/common testlib SANITIZE='$(SANITIZE)'
.PHONY: FORCE
FORCE:
endif
