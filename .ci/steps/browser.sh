#!/usr/bin/env bash
# Browser test: Debian's Chromium driven by playwright-core (npm) against
# `dossier serve` on a copy of the demo archive. Screenshots land in
# target/browser-shots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && npm install --silent --no-audit --no-fund >/dev/null)
cargo build --release --quiet
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r config.toml content "$site/"
node tests/browser/serve.test.mjs "$PWD/target/release/dossier" "$site" "$PWD/target/browser-shots"
