#!/usr/bin/env bash
# Regenerates src/language/schema/jobspec.generated.json: the jobspec schema of every Nomad release
# from 1.6.5 (the oldest release the project supports) to the newest release tag, patch releases
# included (a field can arrive in a patch release: max_run_duration in 2.0.3), pre-releases skipped,
# merged into one file whose members carry the first and last release that have them.
#
#   tools/schema-gen/generate.sh            (NOMAD_GIT: a git clone or mirror of hashicorp/nomad)
#   NOMAD_UNTIL=2.0.5 tools/schema-gen/generate.sh     (stop at that release)
#
# For each release the api module (github.com/hashicorp/nomad/api, MPL-2.0) is taken at the commit
# of the release tag: `git archive <tag> api` into a temporary directory, used through a `replace`
# in a temporary modfile. (The module proxy reachable here serves only a few pseudo-versions of the
# api module; the tag's own tree is the same source the proxy would serve.) Releases whose api tree
# is the same git tree as an earlier one reuse its build. Nothing of Nomad is written into this
# repository; only the generated JSON is.
set -euo pipefail

NOMAD_GIT=${NOMAD_GIT:?set NOMAD_GIT to a git clone or mirror of hashicorp/nomad (with its release tags)}
NOMAD_FROM=${NOMAD_FROM:-1.6.5}
NOMAD_UNTIL=${NOMAD_UNTIL:-}
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../src/language/schema/jobspec.generated.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# every vX.Y.Z tag (no pre-release or metadata suffix) from NOMAD_FROM to NOMAD_UNTIL, oldest first
mapfile -t RELEASES < <(git --git-dir="$NOMAD_GIT" tag -l 'v*' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sed 's/^v//' | sort -V |
  awk -v from="$NOMAD_FROM" -v until="$NOMAD_UNTIL" '
    function cmp(a, b,   x, y, i) { split(a, x, "."); split(b, y, "."); for (i = 1; i <= 3; i++) if (x[i] + 0 != y[i] + 0) return x[i] - y[i]; return 0 }
    cmp($0, from) >= 0 && (until == "" || cmp($0, until) <= 0)')
[ "${#RELEASES[@]}" -gt 0 ] || { echo "no release tags found in $NOMAD_GIT" >&2; exit 1; }

cd "$here"
inputs=()
declare -A built=()
for v in "${RELEASES[@]}"; do
  commit=$(git --git-dir="$NOMAD_GIT" rev-parse "v$v^{commit}")
  tree=$(git --git-dir="$NOMAD_GIT" rev-parse "$commit:api")
  src="$work/api-$tree"
  if [ -z "${built[$tree]:-}" ]; then
    mkdir -p "$src"
    git --git-dir="$NOMAD_GIT" archive "$commit:api" | tar -x -C "$src"
    cp go.mod "$work/$tree.mod"
    cp go.sum "$work/$tree.sum"
    go mod edit -modfile="$work/$tree.mod" -replace "github.com/hashicorp/nomad/api=$src"
    go mod tidy -modfile="$work/$tree.mod" >/dev/null 2>&1
    go build -modfile="$work/$tree.mod" -o "$work/gen-$tree" .
    built[$tree]=1
  fi
  "$work/gen-$tree" -release "$v" -commit "$commit" -src "$src" > "$work/$v.json"
  inputs+=("$work/$v.json")
  echo "read api at v$v ($commit, api tree $tree)" >&2
done
go run . -merge "${inputs[@]}" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out (${#RELEASES[@]} releases)" >&2
