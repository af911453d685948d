# test_tmx_clients.sh - what we write, read by real TMX clients:
#   xmllint --dtdvalid with tmx/tmx14b.dtd, translate-toolkit (python3-translate),
#   OmegaT 3.6 in console mode; and the reader never touches the network.
# The clients come from Debian (scripts/lib/deps.sh, AM_TEST_PKGS); a missing
# one is a failure with the command that installs it, never a silent skip.
set -u
: "${TMX_TOOL:?TMX_TOOL must name the tmx_tool helper}"
: "${AM_SOURCE_DIR:?}"
T=${AM_TEST_TMP:-$(mktemp -d)}
rm -rf "$T"; mkdir -p "$T"
DTD=$AM_SOURCE_DIR/tmx/tmx14b.dtd
PY=/usr/bin/python3 # Debian's, where python3-translate lives (not a pyenv shim)
PASS=0; FAIL=0
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

need() {
    if ! eval "$1" >/dev/null 2>&1; then
        echo "FAIL: $2 is missing: run scripts/test.sh (installs it) or apt-get install $3" >&2
        exit 1
    fi
}
need "command -v xmllint" xmllint libxml2-utils
need "$PY -c 'import translate.storage.tmx'" translate-toolkit python3-translate
need "command -v omegat" OmegaT omegat

# ---- 1. DTD validation ------------------------------------------------------
"$TMX_TOOL" sample >"$T/all.tmx" && ok || bad "sample"
"$TMX_TOOL" sample en uk >"$T/en-uk.tmx" && ok || bad "sample en uk"
"$TMX_TOOL" sample uk en >"$T/uk-en.tmx" && ok || bad "sample uk en"
"$TMX_TOOL" sample en uk --region >"$T/en-uk-region.tmx" && ok || bad "sample --region"
for f in omegat po2tmx trados-l1 trados-l2 tmx11-lang utf16; do
    "$TMX_TOOL" copy "$AM_SOURCE_DIR/tmx/$f.tmx" >"$T/copy-$f.tmx" && ok || bad "copy $f"
done
for f in "$T"/*.tmx; do
    if xmllint --noout --dtdvalid "$DTD" "$f" 2>"$T/xmllint.err"; then ok
    else bad "$(basename "$f") does not validate: $(head -3 "$T/xmllint.err")"; fi
done
# The DTD does reject what TMX 1.4b forbids (a test that cannot fail is none).
sed 's/<tuv xml:lang="uk">/<tuv>/' "$T/en-uk.tmx" >"$T/bad-nolang.xml"
sed 's|<seg>The bakery|<seg><it x="1"/>The bakery|' "$T/en-uk.tmx" >"$T/bad-it.xml"
for f in "$T"/bad-*.xml; do
    if xmllint --noout --dtdvalid "$DTD" "$f" 2>/dev/null; then bad "$(basename "$f") validated"
    else ok; fi
done
# The team's Trados-style 1.4 files are valid as written; the TMX 1.1 one is not.
for f in trados-l1 trados-l2; do
    xmllint --noout --dtdvalid "$DTD" "$AM_SOURCE_DIR/tmx/$f.tmx" 2>/dev/null && ok || bad "$f.tmx invalid"
done
xmllint --noout --dtdvalid "$DTD" "$AM_SOURCE_DIR/tmx/tmx11-lang.tmx" 2>/dev/null &&
    bad "tmx11-lang.tmx validated as 1.4" || ok

# Standard input works too ("-").
got=$("$TMX_TOOL" count - <"$T/all.tmx" 2>&1)
[ "$got" = "units 3 variants 8" ] && ok || bad "count from stdin: $got"

# ---- 2. translate-toolkit ----------------------------------------------------
# It takes the first tuv as the source and the second as the target.
cat >"$T/tt.py" <<'EOF'
import sys
from translate.storage import tmx
XL = "{http://www.w3.org/XML/1998/namespace}lang"
f = tmx.tmxfile.parsefile(sys.argv[1])
print("units", len(f.units))
for u in f.units:
    langs = ",".join(n.get(XL) for n in u.getlanguageNodes())
    print(u.getid(), langs, u.source, "=>", u.target)
EOF
expect_tt() { # FILE EXPECTED
    local got
    got=$("$PY" "$T/tt.py" "$1" 2>&1)
    if [ "$got" = "$2" ]; then ok; else bad "translate-toolkit on $(basename "$1"):
--- got
$got
--- expected
$2"; fi
}
expect_tt "$T/en-uk.tmx" "units 3
1 en,uk The lighthouse keeper counted seven gulls. => Доглядач маяка нарахував сім чайок.
2 en,uk Rain is expected in the valley tomorrow. => Завтра в долині очікується дощ.
3 en,uk The bakery opens at six. => Пекарня відчиняється о шостій."
expect_tt "$T/uk-en.tmx" "units 3
1 uk,en Доглядач маяка нарахував сім чайок. => The lighthouse keeper counted seven gulls.
2 uk,en Завтра в долині очікується дощ. => Rain is expected in the valley tomorrow.
3 uk,en Пекарня відчиняється о шостій. => The bakery opens at six."
expect_tt "$T/all.tmx" "units 3
1 en,uk,ru The lighthouse keeper counted seven gulls. => Доглядач маяка нарахував сім чайок.
2 en,uk,ru Rain is expected in the valley tomorrow. => Завтра в долині очікується дощ.
3 en,uk The bakery opens at six. => Пекарня відчиняється о шостій."
expect_tt "$T/en-uk-region.tmx" "units 3
1 en-US,uk-UA The lighthouse keeper counted seven gulls. => Доглядач маяка нарахував сім чайок.
2 en-US,uk-UA Rain is expected in the valley tomorrow. => Завтра в долині очікується дощ.
3 en-US,uk-UA The bakery opens at six. => Пекарня відчиняється о шостій."

# A re-export keeping inline codes (OmegaT's <bpt>&lt;b0&gt;</bpt> style) reads as OmegaT's own.
expect_tt "$T/copy-omegat.tmx" "units 4
The ferry to the island leaves at seven. en-US,uk The ferry to the island leaves at seven. => Пором на острів відходить о сьомій.
Tickets are sold at the pier & online. en-US,uk Tickets are sold at the pier & online. => Квитки продають на причалі й онлайн.
The crossing takes forty minutes. en-US,uk The crossing takes forty minutes. => Переправа триває сорок хвилин.
Press <b0>Start</b0> to board. en-US,uk Press <b0>Start</b0> to board. => Натисніть <b0>Старт</b0>, щоб сісти."

# ---- 3. OmegaT 3.6, headless ------------------------------------------------
# A project whose tm/auto/ holds our pair export: OmegaT inserts 100% matches
# from tm/auto into the target when it creates the translated documents.
omegat_project() { # DIR SRC TGT
    mkdir -p "$1/source" "$1/target" "$1/tm/auto" "$1/glossary" "$1/dictionary" "$1/omegat"
    cat >"$1/omegat.project" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>$2</source_lang>
    <target_lang>$3</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
EOF
    printf 'The lighthouse keeper counted seven gulls. The bakery opens at six.\n\nNobody expected the storm.\n' \
        >"$1/source/harbour.txt"
}
run_omegat() { # DIR TMX
    cp "$2" "$1/tm/auto/alignmem.tmx"
    HOME="$T/home" timeout 120 omegat "$1" --mode=console-translate >"$1.log" 2>&1
}
expected_target='Доглядач маяка нарахував сім чайок. Пекарня відчиняється о шостій.

Nobody expected the storm.'
mkdir -p "$T/home"
for style in en-uk en-uk-region; do
    P="$T/omegat-$style"
    omegat_project "$P" en uk
    if run_omegat "$P" "$T/$style.tmx"; then ok; else bad "omegat ($style) failed: $(tail -5 "$P.log")"; fi
    got=$(cat "$P/target/harbour.txt" 2>/dev/null)
    if [ "$got" = "$expected_target" ]; then ok
    else bad "omegat ($style) target:
$got
--- expected
$expected_target
--- log: $(grep -iE 'error|exception' "$P.log" | head -5)"; fi
done

# ---- 4. no network, ever ----------------------------------------------------
# A listener on a free local port records any connection; a TMX whose
# DOCTYPE names a DTD there is read without a single one.
cat >"$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); open(sys.argv[1], "a").write("connection\n"); c.close()
EOF
"$PY" "$T/listen.py" "$T/connections" >"$T/port" &
LISTENER=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/port" ] && break; sleep 0.2; done
PORT=$(cat "$T/port")
sed "s|<tmx version=\"1.4\">|<!DOCTYPE tmx SYSTEM \"http://127.0.0.1:$PORT/tmx14.dtd\">\n<tmx version=\"1.4\">|" \
    "$T/en-uk.tmx" >"$T/remote-dtd.xml"
sed "s|<tmx version=\"1.4\">|<!DOCTYPE tmx [<!ENTITY x SYSTEM \"http://127.0.0.1:$PORT/x\">]>\n<tmx version=\"1.4\">|" \
    "$T/en-uk.tmx" >"$T/remote-entity.xml"
if "$TMX_TOOL" dump "$T/remote-dtd.xml" >"$T/dump.out" 2>&1 && grep -q "Пекарня" "$T/dump.out"; then ok
else bad "a remote DTD reference stopped the read: $(head -3 "$T/dump.out")"; fi
if "$TMX_TOOL" dump "$T/remote-entity.xml" >"$T/dump.out" 2>&1; then bad "a remote entity was accepted"
else grep -q "entity declaration refused" "$T/dump.out" && ok || bad "remote entity: $(head -3 "$T/dump.out")"; fi
sleep 0.3
kill "$LISTENER" 2>/dev/null; wait "$LISTENER" 2>/dev/null
if [ -e "$T/connections" ]; then bad "the reader connected to the network"; else ok; fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
