#!/usr/bin/env bash
# Validates every HTML page of the demo archive's build with the W3C Nu HTML
# checker (npm package vnu-jar, run on the machine's Java). Zero errors required.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v java >/dev/null; then
  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
fi
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund vnu-jar@latest >/dev/null)
jar="$work/node_modules/vnu-jar/build/dist/vnu.jar"

cargo run --release --quiet -- build --output "$work/site" --drafts
pages=$(find "$work/site" -name '*.html' | wc -l)
echo "validating $pages pages"
java -jar "$jar" --errors-only --skip-non-html "$work/site"
echo "vnu: $pages pages, 0 errors"
