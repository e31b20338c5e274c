# Shared by scripts/run and scripts/test: install what is missing, configure and build.
# Sourced, not run.

PATRON_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Every Debian 12 package Patron needs to build, test and run.
PATRON_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config git ca-certificates curl
    jq openssl
    libpistache-dev libsoci-dev libboost-dev libmariadb-dev mariadb-server mariadb-client mariadb-backup
    nlohmann-json3-dev libssl-dev libpugixml-dev libcsv-dev libhttp-parser-dev
    libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev libyaml-cpp-dev
    libhowardhinnant-date-dev tzdata libsystemd-dev libjemalloc-dev
)
# scripts/test also builds the parsers' fuzz targets, which need clang and its libFuzzer, and
# drives the web pages in Debian's Chromium: its headless shell (the same Chromium, built without
# the browser's window and profile; what Playwright itself runs headless), which draws the same
# pages for about half the CPU of the full browser in headless mode (README, "Tests and benchmarks").
PATRON_FUZZ_PACKAGES=(clang-16 libclang-rt-16-dev)
PATRON_BROWSER_PACKAGES=(chromium-headless-shell)
# What scripts/test needs for the operators' and integrators' parts: the POS client examples
# (examples/) run against patrond in Python and Java (Node is the web pages' own), promtool for the
# alerting rules of deploy/, lintian for the Debian package.
PATRON_OPERATOR_PACKAGES=(python3 openjdk-17-jdk-headless prometheus lintian)

# ccache hits across clones (CI builds a fresh clone in another folder): paths relative to the
# project root, the working directory left out of the hash, precompiled headers allowed.
export CCACHE_BASEDIR="$PATRON_ROOT" CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime

# Each step says when it started, in minutes and seconds since the first script did (the scripts
# it runs count from the same start): where the time of a CI run goes.
export PATRON_STARTED=${PATRON_STARTED:-$EPOCHSECONDS}
say() {
    local elapsed=$((EPOCHSECONDS - PATRON_STARTED))
    printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((elapsed / 60)) $((elapsed % 60)) "$*" >&2
}

# ensure_packages [extra packages...]
ensure_packages() {
    local missing=() package
    for package in "${PATRON_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # policy-rc.d keeps the package from starting a system MariaDB: Patron runs its own.
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The web pages need Node.js 20 or later and npm; Debian's own are installed when there are none.
ensure_node() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        ensure_packages nodejs npm
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        say "Node.js $(node --version) is too old for the web build (Vite needs 20.19 or later)"
        return 1
    fi
}

# npm_install DIR: the exact packages of DIR's package-lock.json (npm ci), unless they are there already.
npm_install() {
    local dir=$1
    if [ -f "$dir/node_modules/.package-lock.json" ] && cmp -s "$dir/package-lock.json" "$dir/.installed-lock.json"; then
        return 0
    fi
    say "installing the npm packages of $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2 && cp package-lock.json .installed-lock.json)
}

# A digest of what the web pages are built from: every file under web/ but the installed packages,
# and the API's document, which the reference page carries.
web_sources_digest() {
    (cd "$PATRON_ROOT" && find web api/openapi.yaml -name node_modules -prune -o -type f -print0 |
        LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d ' ' -f 1)
}

# Builds the web pages of the web/ workspace, the member portal, the staff console and the API
# reference, into build/web/portal, build/web/console and build/web/docs (served by patrond with
# PATRON_WEB_DIR=build/web), unless they were built from the same sources already (the package
# that scripts/test builds at its end uses the pages built at its start).
build_web() {
    ensure_node
    npm_install "$PATRON_ROOT/web"
    local stamp="$PATRON_ROOT/build/web/.sources" digest
    digest=$(web_sources_digest)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
        say "the web pages in build/web are built from these sources already"
        return
    fi
    say "building the web pages"
    rm -f "$stamp"
    # npm goes on to the next workspace after one fails, and says so only in its status.
    (cd "$PATRON_ROOT/web" && npm run --silent --workspaces build >&2) || return
    echo "$digest" >"$stamp"
}

# build DIR BUILD_TYPE [cmake options...]
build_patron() {
    local dir=$1 type=$2
    shift 2
    say "building Patron ($type) in $dir"
    cmake -S "$PATRON_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}
