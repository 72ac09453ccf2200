# chapter.mk: everything a chapter folder's Makefile needs. A chapter's Makefile is:
#
#     PROGRAMS := hello_sequential hello_loop hello_threads     # in the order `make run` shows them
#     include ../../common/chapter.mk
#
# Optionally BUG_DEMOS := counter_race ...: programs whose bug is the lesson (a data race, a
# deadlock). They are not built under SANITIZE, which would rightly flag them; their tests see
# TTW_SANITIZE set and skip.
#
# Targets: all (the programs), run (each in turn, under a heading, with its time; ARGS='-t' adds
# options), check (the chapter's Check tests in tests/), clean.

include $(dir $(lastword $(MAKEFILE_LIST)))config.mk

CHAPTER := $(notdir $(CURDIR))
OUT := $(BUILD)/chapters/$(CHAPTER)
PROGRAMS ?= $(basename $(wildcard *.c))
BUG_DEMOS ?=
ifneq ($(SANITIZE),)
BUILT := $(filter-out $(BUG_DEMOS),$(PROGRAMS))
else
BUILT := $(PROGRAMS)
endif
TESTS := $(basename $(notdir $(wildcard tests/check_*.c)))
ARGS ?=

.PHONY: all run check clean
all: $(BUILT:%=$(OUT)/%)

$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(OUT)/%: $(OUT)/%.o $(LIBCOMMON)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(OUT)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -DPROGRAM_DIR='"$(OUT)"' -c -o $@ $<
$(OUT)/tests/%: $(OUT)/tests/%.o $(LIBTESTING) $(LIBCOMMON)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

# The heading of each program is the first line of its header comment: the file says what it shows.
# The build's own lines go to a log, shown only if it fails, so the first heading comes first.
run:
	@mkdir -p $(OUT); printf 'building %s ... ' '$(CHAPTER)'; \
	if $(MAKE) --no-print-directory all $(TIMEIT) >$(OUT)/build.log 2>&1; then echo done; \
	else echo failed:; cat $(OUT)/build.log; exit 1; fi
	@for p in $(BUILT); do \
	    printf '\n==> %s\n' "$$(sed -n '2s/^ \* //p' $$p.c)"; \
	    printf '$$ %s %s\n' "$(OUT:$(TOP)/%=%)/$$p" "$(ARGS)"; \
	    $(TIMEIT) $(OUT)/$$p $(ARGS) || exit 1; \
	done

check: all $(TESTS:%=$(OUT)/tests/%)
	@status=0; for t in $(TESTS); do \
	    TTW_LABEL=chapters/$(CHAPTER)/$$t $(OUT)/tests/$$t || status=1; \
	done; exit $$status

clean:
	rm -rf $(OUT)

.SECONDARY:
-include $(wildcard $(OUT)/*.d $(OUT)/tests/*.d)
