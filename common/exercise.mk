# exercise.mk: included by exercises/NN-slug/Makefile and solutions/NN-slug/Makefile, which are
# one line each. Both folders are judged by the same tests, exercises/NN-slug/tests/check_NAME.c,
# one test binary per exercise NAME.c, so that one exercise that does not compile (or crashes, or
# hangs) never hides how the others do.
#
#   make check            judge every exercise of this folder; EX=NAME judges one
#   make check-stubs      (exercises only) judge the untouched stubs, which must fail: the self-test
#   make check-wrong      (solutions only) judge every wrong/NAME-what.c, which must fail too

# Exercises are judged under AddressSanitizer and UndefinedBehaviorSanitizer when the compiler has
# them (gcc and clang on Linux do), so that a leak, an overflow or undefined behaviour in your code
# fails a test with the sanitizer's report, instead of passing by luck. SANITIZE=thread (or any
# SANITIZE=...) chooses other sanitizers; MEMCHECK=0 judges without any.
MEMCHECK ?= 1
ifeq ($(origin SANITIZE)$(MEMCHECK),undefined1)
SANITIZE := $(shell echo 'int main(void) { return 0; }' | $(CC) -x c -fsanitize=address,undefined \
                -o /dev/null - >/dev/null 2>&1 && echo address,undefined)
# These two slow a test down about twice; the larger margins of config.mk are for timed programs.
export CK_TIMEOUT_MULTIPLIER ?= 2
endif
include $(dir $(lastword $(MAKEFILE_LIST)))config.mk

CHAPTER := $(notdir $(CURDIR))
KIND := $(notdir $(abspath $(CURDIR)/..))
EXDIR := $(TOP)/exercises/$(CHAPTER)
SRC_DIR ?= $(CURDIR)
OUT ?= $(BUILD)/$(KIND)/$(CHAPTER)
EXERCISES := $(patsubst $(EXDIR)/tests/check_%.c,%,$(sort $(wildcard $(EXDIR)/tests/check_*.c)))
EX ?=

.PHONY: all check check-stubs check-wrong clean
all: $(EXERCISES:%=$(OUT)/check_%)

$(OUT)/check_%.o: $(EXDIR)/tests/check_%.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -I$(EXDIR) -c -o $@ $<
$(OUT)/%.o: $(SRC_DIR)/%.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -I$(EXDIR) -c -o $@ $<
$(OUT)/check_%: $(OUT)/check_%.o $(OUT)/%.o $(LIBTESTING) $(LIBCOMMON)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

check:
	@MAKE='$(MAKE)' OUT='$(OUT)' SRC_DIR='$(SRC_DIR)' TOP='$(TOP)' LABEL='$(KIND)/$(CHAPTER)' \
	    $(TOP)/common/tools/judge $(if $(EX),$(EX),$(EXERCISES))

check-stubs:
	@$(TOP)/common/tools/stubs pristine $(CHAPTER) $(BUILD)/pristine/$(CHAPTER)
	@TTW_EXPECT=fail $(MAKE) --no-print-directory check \
	    SRC_DIR=$(BUILD)/pristine/$(CHAPTER) OUT=$(BUILD)/stubs/$(CHAPTER)

check-wrong:
	@MAKE='$(MAKE)' BUILD='$(BUILD)' SANITIZE='$(SANITIZE)' $(TOP)/common/tools/wrong $(CHAPTER)

clean:
	rm -rf $(OUT)

.SECONDARY:
-include $(wildcard $(OUT)/*.d)
