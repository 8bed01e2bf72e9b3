#!/bin/sh
# Provision everything the project needs on a machine that has only Node.js and npm,
# then run the demo (`sh scripts/setup.sh --no-demo` to skip it; CI uses that).
#
# - pnpm is installed with npm when it is missing or not the version package.json pins;
# - Node.js 24 comes from the npm registry's `node@24` package, a devDependency of the
#   workspace, so `node_modules/.bin/node` is Node 24 for every pnpm script whatever
#   Node the machine has (the machine's own Node only has to run npm and pnpm);
# - dependencies are installed from the lockfile;
# - Chromium for the browser tests comes from Debian's package when it is missing (as root).
set -eu
cd "$(dirname "$0")/.."

want_pnpm=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)
have_pnpm=$(pnpm --version 2>/dev/null || true)
if [ "$have_pnpm" != "$want_pnpm" ]; then
  echo "setup: installing pnpm $want_pnpm with npm"
  if ! npm install --global --silent "pnpm@$want_pnpm" 2>/dev/null; then
    # No write access to npm's global prefix: install under the user's home instead.
    npm install --global --silent --prefix "$HOME/.local" "pnpm@$want_pnpm"
    echo "setup: pnpm is in $HOME/.local/bin; add it to PATH to run pnpm yourself"
    PATH="$HOME/.local/bin:$PATH"; export PATH
  fi
fi

echo "setup: installing dependencies (Node 24 comes with them)"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only
else
  pnpm install --frozen-lockfile --reporter=silent || pnpm install --reporter=silent
fi

# The browser tests (examples/partner-portal, examples/html-reports) drive Debian's Chromium;
# test tools' own browser downloads cannot work offline, so install the system package.
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup: installing Chromium (Debian's chromium package) for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: note: the browser tests need Chromium at /usr/bin/chromium (sudo apt-get install chromium)"
  fi
fi

node_version=$(pnpm exec node --version)
echo "setup: pnpm $(pnpm --version), Node $node_version for the project's scripts"

if [ "${1:-}" != "--no-demo" ]; then
  pnpm ledger demo
fi
