# lib.sh: what the learner and classroom tools (progress, hint, reset, watch, grade) share, so
# they agree on which exercises exist, in which order, what they are worth and how they did.
# Sourced, not run: the caller has already cd'ed to the repository's root.
#
# An exercise is exercises/NN-slug/NAME.c with its test exercises/NN-slug/tests/check_NAME.c; its
# README.md has a section "## NAME.c" with a "**Hint:**" paragraph, and points has "NAME POINTS".

: "${MAKE:=make}"
# The build folder of the variant in use; the top-level Makefile passes the real one (CC, SANITIZE).
: "${BUILD:=$PWD/build/$(basename "${CC:-cc}")}"

ttw_die() {
    echo "$*" >&2
    exit 2
}

# Chapter number from CH=1, CH=01 or CH=01-slug; empty for empty.
ttw_chapter_number() {
    [ -n "${1:-}" ] || return 0
    n=${1%%-*}
    case $n in
    '' | *[!0-9]*) ttw_die "CH=$1 is not a chapter number (CH=1, CH=01 or CH=01-slug)" ;;
    esac
    n=$(echo "$n" | sed "s/^0*//") # printf would read 08 as a bad octal number
    printf "%02d\n" "${n:-0}"
}

# The exercise folders (exercises/NN-slug), of chapter $1 or of every chapter, in order.
ttw_chapters() {
    pattern='[0-9][0-9]'
    if [ -n "${1:-}" ]; then pattern=$(ttw_chapter_number "$1") || exit 2; fi
    for d in exercises/$pattern-*/; do
        if [ -d "$d" ]; then echo "${d%/}"; fi
    done
}

# The exercises of folder $1, in the order its README presents them (the order to do them in),
# then any the README does not mention, alphabetically. An exercise is known by its test file.
ttw_exercises() {
    tested=""
    for t in "$1"/tests/check_*.c; do
        [ -f "$t" ] || continue
        t=${t##*/check_}
        tested="$tested ${t%.c}"
    done
    readme=""
    [ -f "$1/README.md" ] &&
        readme=$(awk '/^## / { h = $2; gsub(/[`*:]/, "", h); if (h ~ /\.c$/) printf " %s", substr(h, 1, length(h) - 2) }' "$1/README.md")
    for n in $readme; do
        case "$tested " in *" $n "*) echo "$n" ;; esac
    done
    for n in $tested; do
        case "$readme " in *" $n "*) ;; *) echo "$n" ;; esac
    done
}

# Points of exercise $2 in folder $1 (from $1/points), or nothing when it has no entry.
ttw_points() {
    [ -f "$1/points" ] && awk -v n="$2" '$1 == n { print $2; exit }' "$1/points"
}

# The hint of exercise $2 in folder $1: the "**Hint:**" paragraph of README's "## NAME.c" section,
# without its label. Prints nothing when there is none.
ttw_hint() {
    [ -f "$1/README.md" ] || return 0
    awk -v want="$2.c" '
        /^#+ / { h = $2; gsub(/[`*:]/, "", h); in_section = (/^## / && h == want); if (in_hint) exit; next }
        in_section && /^\*\*Hint:?\*\*:?/ { in_hint = 1; sub(/^\*\*Hint:?\*\*:?[ \t]*/, "") }
        in_hint && /^[ \t]*$/ { if (printed) exit; next }
        in_hint { print; printed = 1 }' "$1/README.md"
}

# EX=NN-slug/name (also NN/name, exercises/NN-slug/name.c): sets ex_dir and ex_name, or dies.
ttw_resolve() {
    spec=${1#./}
    spec=${spec#exercises/}
    spec=${spec%.c}
    case $spec in
    */*) ;;
    *) ttw_die "EX=$1: say which chapter too, as EX=NN-slug/name (make progress lists them)" ;;
    esac
    ex_name=${spec##*/}
    ex_dir=$(ttw_chapters "${spec%%/*}") || exit 2
    ex_dir=$(echo "$ex_dir" | head -n 1)
    [ -n "$ex_dir" ] || ttw_die "EX=$1: no exercises for chapter ${spec%%/*} (make progress lists them)"
    [ -f "$ex_dir/tests/check_$ex_name.c" ] ||
        ttw_die "EX=$1: $ex_dir has no exercise $ex_name; it has: $(ttw_exercises "$ex_dir" | tr '\n' ' ')"
}

# Judge exercises $3... of folder $1 with the chapter's own `make check`, appending the runner's
# "passed failed skipped label" lines to file $2. The report goes to stdout, less make's closing "Error 1"
# (failing exercises are expected here); the status is not the verdict, ttw_status is.
# EX is always given on the command line, so a top-level EX=... never leaks into the sub-make.
ttw_judge() {
    dir=$1 results=$2
    shift 2
    for n in "$@"; do rm -f "$BUILD/$dir/$n.tap"; done # never read an old run's TAP file
    mkdir -p "$BUILD/$dir"
    TTW_TAP_DIR=$BUILD/$dir TTW_RESULTS=$results $MAKE --no-print-directory -C "$dir" check EX="$*" 2>&1 |
        sed '/^make.*: \*\*\* \[.*: check\] Error [0-9]*$/d'
    return 0
}

# "STATUS PASSED TOTAL" of exercise $2 of folder $1 after ttw_judge wrote $3. STATUS is one of
# passed, failing, crashed, hung, compile-error, missing, error (the runner said nothing).
# A crash or a hang is read from the exercise's TAP file, in the words Check uses.
ttw_status() {
    awk -v label="$1/$2" -v tap="$BUILD/$1/$2.tap" '
        $4 == label {
            found = 1; p = $1; f = $2
            if ($0 ~ /\(does not compile\)$/) why = "compile-error"
            else if ($0 ~ /\(missing\)$/) why = "missing"
            else if ($0 ~ /\(killed by signal [0-9]+\)$/) why = "crashed"
        }
        END {
            if (!found) { print "error 0 0"; exit }
            if (why != "") { print why, 0, 0; exit }
            status = (f == 0 && p > 0) ? "passed" : "failing"
            while ((getline line < tap) > 0) {
                if (line !~ /^not ok /) continue
                if (line ~ /[Tt]imeout/) status = "hung"
                else if (line ~ /[Ss]ignal/ && status != "hung") status = "crashed"
            }
            print status, p, p + f
        }' "$3"
}

# A bar of width $3 filled in proportion $1 of $2.
ttw_bar() {
    awk -v d="$1" -v t="$2" -v w="$3" 'BEGIN {
        n = t > 0 ? int(w * d / t + 0.5) : 0
        s = ""; for (i = 0; i < w; i++) s = s (i < n ? "#" : "-")
        printf "[%s] %d%%\n", s, (t > 0 ? int(100 * d / t + 0.5) : 0) }'
}
