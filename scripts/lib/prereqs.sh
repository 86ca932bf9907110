# Shared by the scripts in scripts/: find or install what the project needs.
# Every function either succeeds or stops the script with a message that says what is
# missing and how to get it. Nothing is skipped silently.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# apt-get install PACKAGES, when we are root on a Debian/Ubuntu machine; otherwise stop
# and say what to run.
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing packages: $*; this is not a Debian/Ubuntu machine: install them with your package manager"
    fi
    if ! is_root; then
        die "missing packages: $*; run: sudo apt-get install -y $*"
    fi
    say "apt-get install -y $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; then
        apt-get update -qq || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
    fi
}

need_rust() {
    command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust 1.95 with rustup (https://rustup.rs)"
    command -v cc >/dev/null 2>&1 || apt_install build-essential
}

# Debian's libvoikko1 + voikko-fi: the Finnish analyser the bot loads at run time.
need_voikko() {
    if ldconfig -p 2>/dev/null | grep 'libvoikko\.so\.1' >/dev/null && ls /usr/lib/voikko/*/mor-standard/mor.vfst >/dev/null 2>&1; then
        return
    fi
    apt_install libvoikko1 voikko-fi
    ldconfig -p | grep 'libvoikko\.so\.1' >/dev/null || die "libvoikko1 was installed but libvoikko.so.1 is not found"
}

# Debian's hunspell-sv: the Swedish word list the bot splits compounds against at run time.
need_swedish_dictionary() {
    if [ -f /usr/share/hunspell/sv_FI.dic ] && [ -f /usr/share/hunspell/sv_FI.aff ]; then
        return
    fi
    apt_install hunspell-sv
    [ -f /usr/share/hunspell/sv_FI.dic ] || die "hunspell-sv was installed but /usr/share/hunspell/sv_FI.dic is not found"
}

# Voikko and the Swedish dictionary when they can be had: installed when we are root on a
# Debian/Ubuntu machine; otherwise one line on how, and on without them (the bot works
# without them, understanding inflected Finnish and Swedish compounds less well).
want_language_packages() {
    local missing=()
    # grep reads all of ldconfig's output: with -q it would quit early, and under pipefail the
    # SIGPIPE of ldconfig would count as "missing".
    ldconfig -p 2>/dev/null | grep 'libvoikko\.so\.1' >/dev/null || missing+=(libvoikko1)
    compgen -G '/usr/lib/voikko/*/mor-standard/mor.vfst' >/dev/null \
        || compgen -G '/usr/share/voikko/*/mor-standard/mor.vfst' >/dev/null || missing+=(voikko-fi)
    [ -f /usr/share/hunspell/sv_FI.dic ] || missing+=(hunspell-sv)
    [ ${#missing[@]} -eq 0 ] && return
    if is_root && command -v apt-get >/dev/null 2>&1; then
        apt_install "${missing[@]}"
    else
        say "for the best Finnish and Swedish understanding: sudo apt-get install -y ${missing[*]} (going on without)"
    fi
}
