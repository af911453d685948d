# deps.sh - install the Debian packages alignmem needs, only those missing.
# Sourced by demo.sh and test.sh. Add a package here, never install by hand.

# Needed to build and run.
AM_BUILD_PKGS="gcc make cmake pkg-config libicu-dev libsqlite3-dev libxml2-dev libcmocka-dev"
# Needed by the test suite (xmllint validates TMX; python3 scores benchmarks).
AM_TEST_PKGS="libxml2-utils sqlite3 python3 chromium groff-base man-db python3-translate omegat time"

am_missing_pkgs() {
    local p missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    echo "$missing"
}

# am_install_deps PKG...: install what is missing, or explain how.
am_install_deps() {
    command -v dpkg-query >/dev/null 2>&1 || {
        echo "alignmem: not a Debian-like system; install by hand: $*" >&2
        return 0
    }
    local missing
    missing=$(am_missing_pkgs "$@")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
            return
        fi
        echo "alignmem: missing packages:$missing" >&2
        echo "alignmem: run as root, or: sudo apt-get install$missing" >&2
        return 1
    fi
    echo "Installing:$missing" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
