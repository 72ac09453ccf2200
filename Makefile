# Two Ways to Wait: build, run and test every chapter. `make help` lists the targets.

include common/config.mk

CH ?=
# CH=1, CH=01 and CH=01-two-ways-to-wait all name chapter 1 (the tools read CH the same way).
CHNUM := $(if $(CH),$(shell . common/tools/lib.sh && ttw_chapter_number '$(CH)'))
SELECT := $(if $(CH),$(CHNUM),[0-9][0-9])
CHAPTERS := $(sort $(wildcard chapters/$(SELECT)-*))
SOLUTIONS := $(sort $(wildcard solutions/$(SELECT)-*))
SUB := $(MAKE) --no-print-directory

EX ?=
YES ?=
.PHONY: all run check deps clean format stubs help progress hint reset watch grade book bench compile_commands.json
all:
	@$(SUB) -C common lib
	@for d in $(CHAPTERS) $(SOLUTIONS); do $(SUB) -C $$d all || exit 1; done

run:
ifeq ($(CH),)
	@echo "Chapters (run one with: make run CH=NN):"
	@for d in $(CHAPTERS); do \
	    printf '  %s  %s\n' "$$(basename $$d | cut -c1-2)" "$$(sed -n '1s/^# //p' $$d/README.md)"; \
	done
else
	@[ -n "$(CHAPTERS)" ] || { echo "no chapter $(CH); 'make run' lists them" >&2; exit 2; }
	@$(SUB) -C $(CHAPTERS) run
endif

check:
	@pkg-config --exists check 2>/dev/null || { echo "make check: Check is missing; running make deps"; $(SUB) deps; }
	@MAKE='$(SUB)' BUILD='$(BUILD)' SANITIZE='$(SANITIZE)' common/tools/selftest $(CH)

deps:
	@common/tools/deps

stubs:
	@common/tools/stubs update

format:
	clang-format -i $$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*')

# Learners: where am I, a hint, a clean start, judging on every save. The scripts say more.
progress:
	@MAKE='$(SUB)' BUILD='$(BUILD)' common/tools/progress $(CH)

hint:
	@common/tools/hint '$(EX)'

reset:
	@YES='$(YES)' common/tools/reset '$(EX)'

watch:
	@MAKE='$(SUB)' BUILD='$(BUILD)' common/tools/watch '$(CH)'

# Instructors: a score per exercise, as TAP files and JSON, in build/grade/.
grade:
	@MAKE='$(SUB)' BUILD='$(BUILD)' common/tools/grade $(CH)

# Editors: the exact compile command of every C file, for clangd.
compile_commands.json:
	@MAKE='$(SUB)' common/tools/compile-commands

# The book: quoted code and output brought up to date, then book.md rendered to HTML.
book:
	@MAKE='$(SUB)' BUILD='$(BUILD)' common/tools/book sync
	@common/tools/book-html

# Speed and memory, measured: the loop against libuv, asyncio and threads (common/bench/), and
# chapter 11's servers against real Redis (chapters/11-servers/bench/).
bench:
	@$(SUB) -C common/bench run
	@$(SUB) -C chapters/11-servers bench

clean:
	rm -rf build

help:
	@echo "make                    build common/, every chapter and every solution"
	@echo "make run                list the chapters"
	@echo "make run CH=NN          run chapter NN's programs, each under a heading with its time"
	@echo "                        (ARGS='-t' draws timelines, ARGS='-s 0.1' makes waits 10x shorter)"
	@echo "make check              the repository's self-test: every test, ending 'N passed, N failed'"
	@echo "make check CH=NN        the same for chapter NN only"
	@echo "make -C exercises/NN-slug check   judge your exercises of chapter NN (EX=name: one of them)"
	@echo "make progress           every exercise: passed, failing or untouched; and what to do next"
	@echo "make hint EX=NN-slug/name         the hint of one exercise"
	@echo "make reset EX=NN-slug/name        back to the untouched stub, after asking (YES=1: without);"
	@echo "                        your version is kept as name.c.bak"
	@echo "make watch CH=NN        judge chapter NN's exercises again on every save (Ctrl-C stops)"
	@echo "make grade [CH=NN]      score the exercises: build/grade/NN-slug.tap, build/grade/summary.json"
	@echo "make book               update the code and output quoted in book.md, render build/book/book.html"
	@echo "make compile_commands.json        for clangd and editors: how each C file is compiled"
	@echo "make bench              measure the loop against libuv, asyncio and threads, and chapter 11's"
	@echo "                        servers against real Redis (several minutes)"
	@echo "make deps               install Check and pkg-config (needed by the tests only)"
	@echo "make format             apply .clang-format to every C file"
	@echo "make stubs              record the exercise stubs' fingerprints (maintainers, after editing a stub)"
	@echo "make clean              remove build/"
	@echo "Variables: CC=clang, SANITIZE=thread or SANITIZE=address,undefined, CFLAGS='-O0 -g'"
