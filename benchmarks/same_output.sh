#!/usr/bin/env bash
# Does a change keep the output byte for byte?  Builds the baseline checkout's site/
# and a generated 300-post blog (both shapes) with the baseline's ablog_ext and with
# this checkout's, and lists every file that differs (nothing listed: identical).
#
#   git worktree add ../ablog-ext-before <commit>
#   python3 -m nox -s same-output -- ../ablog-ext-before [POSTS]
# (or PYTHON=path/to/venv/python bash benchmarks/same_output.sh ../ablog-ext-before)
set -euo pipefail
python=${PYTHON:-python}
here=$(cd "$(dirname "$0")/.." && pwd)
baseline=$(cd "${1:?usage: same_output.sh BASELINE_CHECKOUT [POSTS]}" && pwd)
posts=${2:-300}
out=$(mktemp -d "${TMPDIR:-/tmp}/ablog-ext-same-output-XXXXXX")
"$python" "$baseline/benchmarks/generate.py" "$out/src-blog" --posts "$posts" --variant ext --shape toctree
"$python" "$baseline/benchmarks/generate.py" "$out/src-orphan" --posts "$posts" --variant ext --shape orphan
cp -r "$baseline/site" "$out/src-site" && rm -rf "$out/src-site/_build"
status=0
for site in site blog orphan; do
  for who in baseline this; do
    root=$([ "$who" = baseline ] && echo "$baseline" || echo "$here")
    # Each build in its own copy: the page cache and doctrees stay apart.
    cp -r "$out/src-$site" "$out/$site-src-$who"
    PYTHONPATH="$root" SOURCE_DATE_EPOCH=1700000000 "$python" -m sphinx -q -b html \
      "$out/$site-src-$who" "$out/$site-$who" > "$out/$site-$who.log" 2>&1 || status=1
    sed -i "s#$out/$site-src-$who##g" "$out/$site-$who.log"
  done
  echo "== $site: $(find "$out/$site-baseline" -type f | wc -l) files"
  diff -rq -x .doctrees -x .buildinfo "$out/$site-baseline" "$out/$site-this" || status=1
  diff "$out/$site-baseline.log" "$out/$site-this.log" || status=1
done
echo "outputs in $out"
exit $status
