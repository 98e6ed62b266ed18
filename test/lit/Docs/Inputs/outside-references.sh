#!/usr/bin/env bash
# Prints every line of the repository's files that points outside the
# repository (at the sibling shared folder or at the planning documents kept
# there) and exits 1 if there is one. Users clone the repository alone, so
# the math, design and research notes it cites live in docs/.
#
# Usage: outside-references.sh SOURCE_ROOT
#
# The files are the tracked ones (git ls-files); where git is missing or the
# root is not a git work tree (a source tarball), every file under the root
# except build directories, out/ and __pycache__/.
#
# The patterns are written so that this script does not match them itself.
set -u
root=${1:?usage: outside-references.sh SOURCE_ROOT}
cd "$root" || exit 2

pattern='[.][.]/shared|shared[/]docs|MATH[.]md|DESIGN[.]md|RESEARCH[.]md'

list_files() {
  if command -v git >/dev/null 2>&1 &&
     git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z
  else
    find . \( -name .git -o -name 'build' -o -name 'build-*' -o -name out \
              -o -name __pycache__ \) -prune -o -type f -print0
  fi
}

# -a: fuzz corpus files may hold bytes that make grep call them binary.
# -s: a tracked file deleted in the work tree is not an error.
hits=$(list_files | xargs -0 grep -n -a -s -E -- "$pattern" | cut -c1-200)
if [ -n "$hits" ]; then
  printf '%s\n' "$hits"
  echo "error: $(printf '%s\n' "$hits" | wc -l) line(s) above point outside" \
       "the repository; cite docs/math.md or docs/design.md instead" >&2
  exit 1
fi
echo "no outside references"
