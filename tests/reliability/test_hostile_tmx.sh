# test_hostile_tmx.sh - hostile and broken TMX through `alignmem import`
# (issue #8): each is refused with exit 1 and a message naming file and
# line, in bounded time, never fetches anything, and leaves the memory
# exactly as it was (one transaction per file). The reader's own unit tests
# (tests/tmx) cover the parser; here we check what the user sees and what
# the memory keeps. Every hostile file first holds valid units, so an
# import that is not all-or-nothing changes the memory and fails the test.
. "$(dirname "$0")/rel_lib.sh"

DB="$T/mem.db"
gen_tmx "$T/base.tmx" 50 base
run import --db "$DB" "$T/base.tmx"; expect_rc 0 "base import"
expect_eq "$(mem_count "$DB")" 50 "base units"
BASE=$(mem_sum "$DB")

# A tiny HTTP listener that records every connection: any fetch by the
# reader (DTD, external entity) shows up in $T/hits.
python3 - "$T/port" "$T/hits" <<'EOF' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(120)
try:
    while True:
        c, _ = s.accept()
        open(sys.argv[2], "a").write("hit\n")
        c.sendall(b"HTTP/1.0 200 OK\r\n\r\n<!ENTITY payload \"FETCHED\">")
        c.close()
except Exception:
    pass
EOF
LISTENER=$!
trap 'kill $LISTENER 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port")

# refused FILE LINE WHAT: import fails, names FILE:LINE, memory unchanged.
refused() {
    time_limited 60 import --db "$DB" "$1"
    expect_rc 1 "$3"; expect_no_crash "$3"
    expect_err "alignmem: $1:$2:" "$3"
    expect_err "nothing imported" "$3"
    expect_eq "$(mem_sum "$DB")" "$BASE" "$3: memory unchanged"
}

# 100 good units, then the bad part on line 104.
good_then() { { tmx_head; gen_units 100 "$2"; printf '%s\n' "$3"; tmx_tail; } >"$1"; }

# --- entity attacks: refused at the declaration, line 3 -----------------
F="$T/laughs.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a0 "ha">\n'
  for i in $(seq 1 30); do printf '<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">\n' $i $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)); done
  printf ']>\n<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 laughs
  printf '<tu><tuv xml:lang="en"><seg>&a30;</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 3 "billion laughs"

F="$T/quadratic.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY big "%s">\n]>\n' "$(head -c 100000 /dev/zero | tr '\0' x)"
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 quad
  printf '<tu><tuv xml:lang="en"><seg>'; for _ in $(seq 2000); do printf '&big;&big;&big;&big;&big;'; done
  printf '</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 3 "quadratic blowup"

F="$T/ext-file.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 extfile
  printf '<tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 3 "external entity file://"
if grep -q 'root:' "$ERR" "$OUT"; then bad "file:// entity content leaked"; else ok; fi

F="$T/ext-http.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY x SYSTEM "http://127.0.0.1:%s/x">\n]>\n' "$PORT"
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 exthttp
  printf '<tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 3 "external entity http://"

F="$T/param.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY %% p SYSTEM "http://127.0.0.1:%s/p">\n%%p;\n]>\n' "$PORT"
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 param; tmx_tail; } >"$F"
refused "$F" 3 "parameter entity"

# --- an external DTD: never fetched. An entity only it could define is an
# error; without one the file is ordinary TMX (OmegaT writes a DOCTYPE).
F="$T/ext-dtd-entity.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "http://127.0.0.1:%s/tmx14.dtd">\n' "$PORT"
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 10 dtdent
  printf '<tu><tuv xml:lang="en"><seg>From the DTD: &payload;</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 14 "entity from an external DTD"

F="$T/ext-dtd.tmx"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "http://127.0.0.1:%s/tmx14.dtd">\n' "$PORT"
  printf '<tmx version="1.4"><header srclang="en"/><body>\n'; gen_units 3 dtdok; tmx_tail; } >"$F"
time_limited 60 import --db "$T/dtd.db" "$F"; expect_rc 0 "external DTD reference"
expect_eq "$(mem_count "$T/dtd.db")" 3 "external DTD: units imported"
expect_eq "$(cat "$T/hits" 2>/dev/null | wc -l)" 0 "network fetches"

# --- sizes -----------------------------------------------------------------
F="$T/deep.tmx"
good_then "$F" deep "<tu><tuv xml:lang=\"en\"><seg>$(for _ in $(seq 10000); do printf '<hi>'; done)deep$(for _ in $(seq 10000); do printf '</hi>'; done)</seg></tuv></tu>"
refused "$F" 104 "10,000-deep nesting"
expect_err "nested deeper than" "10,000-deep nesting"

F="$T/deep-unknown.tmx"
good_then "$F" deepu "<tu>$(for _ in $(seq 10000); do printf '<x-a>'; done)$(for _ in $(seq 10000); do printf '</x-a>'; done)<tuv xml:lang=\"en\"><seg>s</seg></tuv></tu>"
refused "$F" 104 "10,000-deep unknown elements"

F="$T/huge-seg.tmx"
{ tmx_head; gen_units 100 huge; printf '<tu><tuv xml:lang="en"><seg>'
  head -c 100000000 /dev/zero | tr '\0' 'a'; printf '</seg></tuv></tu>\n'; tmx_tail; } >"$F"
refused "$F" 104 "100 MB segment"
expect_err "longer than" "100 MB segment"
rm -f "$F"

# --- broken files --------------------------------------------------------
F="$T/truncated.tmx"
gen_tmx "$T/full.tmx" 2000 trunc
head -c $(($(stat -c %s "$T/full.tmx") / 2)) "$T/full.tmx" >"$F"
time_limited 60 import --db "$DB" "$F"
expect_rc 1 "truncated"; expect_no_crash "truncated"
if grep -qE "^alignmem: $F:[0-9]+:" "$ERR"; then ok; else bad "truncated: no file:line"; fi
expect_eq "$(mem_sum "$DB")" "$BASE" "truncated: memory unchanged"

F="$T/latin1.tmx"
good_then "$F" latin1 "$(printf '<tu><tuv xml:lang="de"><seg>Gr\xfc\xdfe</seg></tuv></tu>')"
refused "$F" 104 "Latin-1 bytes declared UTF-8"

F="$T/utf16-label.tmx"
{ printf '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4"><header srclang="en"/>\n<body>\n'
  gen_units 100 u16; tmx_tail; } >"$F"
refused "$F" 1 "UTF-16 declared, UTF-8 content"

F="$T/ctrl.tmx"
good_then "$F" ctrl "$(printf '<tu><tuv xml:lang="en"><seg>bell \001 here</seg></tuv></tu>')"
refused "$F" 104 "raw control character"

F="$T/ctrl-ref.tmx"
good_then "$F" ctrlref '<tu><tuv xml:lang="en"><seg>escape &#27; here</seg></tuv></tu>'
refused "$F" 104 "control character reference"

F="$T/nul.tmx"
{ tmx_head; gen_units 100 nul; printf '<tu><tuv xml:lang="en"><seg>nul \000 byte</seg></tuv></tu>\n'
  tmx_tail; } >"$F"
refused "$F" 104 "NUL byte"
expect_err "NUL byte" "NUL byte named"

F="$T/no-tuv.tmx"
good_then "$F" notuv '<tu tuid="empty"><prop type="x">no variants</prop></tu>'
refused "$F" 104 "tu without tuv"

F="$T/no-lang.tmx"
good_then "$F" nolang '<tu><tuv><seg>which language?</seg></tuv></tu>'
refused "$F" 104 "tuv without language"

F="$T/not-tmx.xml"
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>well formed</title></channel></rss>\n' >"$F"
refused "$F" 2 "well-formed XML that is not TMX"
expect_err "not TMX" "not TMX"

F="$T/empty.tmx"
: >"$F"
time_limited 60 import --db "$DB" "$F"; expect_rc 1 "empty file"; expect_err "$F" "empty file"
expect_eq "$(mem_sum "$DB")" "$BASE" "empty file: memory unchanged"

F="$T/garbage.tmx"
head -c 4096 /dev/urandom | gzip -c >"$F"
time_limited 60 import --db "$DB" "$F"; expect_rc 1 "binary garbage"; expect_no_crash "garbage"
expect_err "$F" "binary garbage"
expect_eq "$(mem_sum "$DB")" "$BASE" "garbage: memory unchanged"

time_limited 60 import --db "$DB" "$T"; expect_rc 1 "a directory"; expect_err "$T" "a directory"
time_limited 60 import --db "$DB" "$T/no-such.tmx"; expect_rc 1 "missing file"
expect_err "$T/no-such.tmx" "missing file"
expect_eq "$(mem_sum "$DB")" "$BASE" "directory/missing: memory unchanged"

# hostile TMX on standard input
STDIN="$T/ctrl.tmx" time_limited 60 import --db "$DB" -
expect_rc 1 "stdin"; expect_err ":104:" "stdin names the line"
expect_eq "$(mem_sum "$DB")" "$BASE" "stdin: memory unchanged"

# --- unknown elements: a warning naming the line, the units stored --------
F="$T/unknown.tmx"
{ tmx_head; printf '<x-vendor-ext a="1"/>\n'; gen_units 5 unk
  printf '<tu><x-flag/><tuv xml:lang="en"><seg>Kept.</seg></tuv><tuv xml:lang="uk"><seg>Залишено.</seg></tuv></tu>\n'; tmx_tail; } >"$F"
run import --db "$T/unk.db" "$F"; expect_rc 0 "unknown elements"
expect_err "warning: $F:4:" "unknown element warning names line 4"
expect_err "warning: $F:10:" "unknown element warning names line 10"
expect_eq "$(mem_count "$T/unk.db")" 6 "unknown elements: units stored"

# --- several files: the bad one stores nothing, the good ones everything --
gen_tmx "$T/g1.tmx" 20 goodone; gen_tmx "$T/g2.tmx" 30 goodtwo
run import --db "$DB" "$T/g1.tmx" "$T/no-tuv.tmx" "$T/g2.tmx"
expect_rc 1 "good bad good"; expect_err "$T/no-tuv.tmx:104:" "good bad good"
expect_eq "$(mem_count "$DB")" 100 "good bad good: 50 + 20 + 30 units"
expect_eq "$(mem_count "$DB" "WHERE tuid LIKE 'notuv-%'")" 0 "good bad good: nothing of the bad file"

# --- re-importing the same file changes nothing ---------------------------
S=$(mem_sum "$DB")
run import --db "$DB" "$T/base.tmx" "$T/g1.tmx"; expect_rc 0 "re-import"
expect_eq "$(mem_sum "$DB")" "$S" "re-import changes nothing"
expect_integrity "$DB" "after hostile imports"
expect_eq "$(cat "$T/hits" 2>/dev/null | wc -l)" 0 "network fetches"
finish
