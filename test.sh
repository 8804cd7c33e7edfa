#!/usr/bin/env bash
# The whole test suite: formatting, lints, build, Rust tests, then real third-party
# clients (tests/compat: python jira and atlassian-python-api; tests/compat-js: jira.js)
# against the freshly built binary, then the browser tests. Works from any directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

section() {
  printf '\n==> %s\n' "$*"
}

# Installs the python clients used by tests/compat. On Debian's system python, pip
# refuses to install outside a venv (PEP 668) unless told to; retry with that flag.
install_python_requirements() {
  python3 -m pip install -q -r tests/compat/requirements.txt ||
    python3 -m pip install -q --break-system-packages -r tests/compat/requirements.txt
}

section "cargo fmt --all -- --check"
cargo fmt --all -- --check

section "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

section "cargo build --bin tessera"
cargo build --bin tessera

section "cargo test"
cargo test

section "python client compatibility (tests/compat)"
if ! python3 -c 'import atlassian, jira, pytest, requests' 2>/dev/null; then
  echo "installing tests/compat/requirements.txt"
  install_python_requirements
fi
# pytest exits 5 when it collects no test; that counts as a failure here too.
TESSERA_BIN=target/debug/tessera python3 -m pytest -q -p no:cacheprovider tests/compat

section "jira.js client compatibility (tests/compat-js)"
if [ ! -d tests/compat-js/node_modules ]; then
  npm ci --prefix tests/compat-js --no-audit --no-fund
fi
TESSERA_BIN="$PWD/target/debug/tessera" node --test tests/compat-js/

section "web UI in a real browser (tests/e2e)"
# playwright-core drives Debian's chromium (/usr/bin/chromium); no browser is downloaded.
if [ ! -d tests/e2e/node_modules ]; then
  npm ci --prefix tests/e2e --no-audit --no-fund
fi
TESSERA_BIN="$PWD/target/debug/tessera" node --test tests/e2e/

section "all tests passed"
