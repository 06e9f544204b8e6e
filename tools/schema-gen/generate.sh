#!/usr/bin/env bash
# Regenerates src/language/schema/jobspec.generated.json: the jobspec schema of every Nomad minor
# release from 1.6 on (its latest patch; 1.6.5 for 1.6, the oldest release the project supports),
# merged into one file whose members carry the releases that have them.
#
#   tools/schema-gen/generate.sh            (NOMAD_GIT: a git clone or mirror of hashicorp/nomad)
#
# For each release the api module (github.com/hashicorp/nomad/api, MPL-2.0) is taken at the commit
# of the release tag: `git archive <tag> api` into a temporary directory, used through a `replace`
# in a temporary modfile. (The module proxy reachable here serves only a few pseudo-versions of the
# api module; the tag's own tree is the same source the proxy would serve.) Nothing of Nomad is
# written into this repository; only the generated JSON is.
set -euo pipefail

RELEASES=(1.6.5 1.7.7 1.8.4 1.9.7 1.10.5 1.11.3 2.0.5)
NOMAD_GIT=${NOMAD_GIT:-/work/.mirror/hashicorp+nomad/repo}
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../src/language/schema/jobspec.generated.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$here"
inputs=()
for v in "${RELEASES[@]}"; do
  commit=$(git --git-dir="$NOMAD_GIT" rev-parse "v$v^{commit}")
  src="$work/api-$v"
  mkdir -p "$src"
  git --git-dir="$NOMAD_GIT" archive "$commit:api" | tar -x -C "$src"
  cp go.mod "$work/$v.mod"
  cp go.sum "$work/$v.sum"
  go mod edit -modfile="$work/$v.mod" -replace "github.com/hashicorp/nomad/api=$src"
  go mod tidy -modfile="$work/$v.mod" >/dev/null 2>&1
  go run -modfile="$work/$v.mod" . -release "$v" -commit "$commit" -src "$src" > "$work/$v.json"
  inputs+=("$work/$v.json")
  echo "read api at v$v ($commit)" >&2
done
go run . -merge "${inputs[@]}" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2
