# test_install.sh - `cmake --install` into a temporary prefix gives a working
# binary, the man page, the completion, and a library that another C
# program links through pkg-config, shared and (--static) static.
. "$(dirname "$0")/../cli/lib.sh"
: "${AM_BUILD_DIR:?}"
CC=${CC:-cc}
P="$T/prefix"
command -v pkg-config >/dev/null || { echo "pkg-config is missing: apt-get install pkg-config" >&2; exit 1; }

cmake --install "$AM_BUILD_DIR" --prefix "$P" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "cmake --install"

for f in bin/alignmem include/alignmem.h share/man/man1/alignmem.1 \
         share/bash-completion/completions/alignmem; do
    if [ -f "$P/$f" ]; then ok; else bad "not installed: $f"; fi
done
pc=$(find "$P" -name alignmem.pc | head -1)
lib=$(find "$P" -name libalignmem.a | head -1)
if [ -n "$pc" ] && [ -n "$lib" ]; then ok; else bad "libalignmem.a or alignmem.pc not installed"; finish; exit; fi
libdir=$(dirname "$lib")
if [ -e "$libdir/libalignmem.so" ]; then ok; else bad "libalignmem.so not installed in $libdir"; fi

# The shared library exports exactly the public API: every am_ function
# the static library defines and alignmem.h declares, and nothing else.
if command -v nm >/dev/null; then
    nm -D --defined-only "$libdir/libalignmem.so" | awk '$2 == "T" {print $3}' | sort >"$T/exported"
    nm --defined-only "$lib" 2>/dev/null | awk '$2 == "T" && $3 ~ /^am_/ {print $3}' | sort -u |
        while read -r s; do grep -qw "$s" "$P/include/alignmem.h" && echo "$s"; done >"$T/public"
    missing=$(comm -23 "$T/public" "$T/exported" | tr '\n' ' ')
    extra=$(comm -13 "$T/public" "$T/exported" | tr '\n' ' ')
    if [ -s "$T/public" ] && [ -z "$missing" ]; then ok; else bad "public functions not exported: $missing"; fi
    if [ -z "$extra" ]; then ok; else bad "internal functions exported: $extra"; fi
fi

# The installed binary runs on its own.
ALIGNMEM="$P/bin/alignmem" run --version
expect_rc 0 "installed binary"; expect_out_exact "alignmem 0.1.0"

# The pkg-config file points into the prefix wherever it was installed.
export PKG_CONFIG_PATH="$(dirname "$pc")"
pkg-config --modversion alignmem >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "pkg-config"; expect_out_exact "0.1.0"
pkg-config --cflags alignmem >"$OUT" 2>"$ERR"
incdir=$(tr ' ' '\n' <"$OUT" | sed -n 's/^-I//p' | head -1)
if [ -f "$incdir/alignmem.h" ]; then ok; else bad "pkg-config --cflags gives '$(cat "$OUT")', no alignmem.h there"; fi

# A program of someone else's, using only the public header.
cat >"$T/user.c" <<'EOF'
#include <alignmem.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    am_buf b = AM_BUF_INIT;
    am_error err;
    am_error_clear(&err);
    int rc = am_buf_json_string(&b, "Київ \"1\"", strlen("Київ \"1\""));
    am_error_set(&err, AM_EINPUT, "line %d", 3);
    printf("%s %s %s %s\n", AM_VERSION_STRING, b.data, am_strerror(AM_ENOMEM), err.message);
    am_buf_free(&b);
    am_shutdown();
    return rc;
}
EOF
want='0.1.0 "Київ \"1\"" out of memory line 3'
# Sanitized builds put ASan/UBSan calls in the library: the program must
# link their runtimes too.
SAN=""
case "${AM_SANITIZE:-OFF}" in ON|on|1|TRUE|true) SAN="-fsanitize=address,undefined" ;; esac

# Shared: the plain pkg-config line.
$CC $SAN -o "$T/user-shared" "$T/user.c" $(pkg-config --cflags --libs alignmem) -Wl,-rpath,"$libdir" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "link shared via pkg-config --cflags --libs"
"$T/user-shared" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "shared program"; expect_out_exact "$want"
if ldd "$T/user-shared" | grep -q "libalignmem.so"; then ok; else bad "user-shared does not use libalignmem.so"; fi

# Static: pkg-config --static adds the private dependencies (ICU, SQLite,
# libxml2); -l:libalignmem.a picks the archive over the shared library.
libs=$(pkg-config --static --libs alignmem | sed 's/-lalignmem\b/-l:libalignmem.a/')
$CC $SAN -o "$T/user-static" "$T/user.c" $(pkg-config --cflags alignmem) $libs >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "link static via pkg-config --static"
"$T/user-static" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "static program"; expect_out_exact "$want"
if ldd "$T/user-static" | grep -q "libalignmem.so"; then bad "user-static uses the shared library"; else ok; fi

# Installed man page is readable by man.
MANPAGER=cat MANWIDTH=80 man -l "$P/share/man/man1/alignmem.1" >"$OUT" 2>"$ERR"; RC=$?
expect_rc 0 "man on the installed page"; expect_out "alignmem"
finish
