# Shared by the held-out corpus scripts (heldout-corpus.sh,
# manpages-corpus.sh, gimp-corpus.sh), which source it: the stamp a script writes last,
# when its corpus folder is complete, and the check that a folder still
# matches its stamp.

# corpus_list_hash DIR: a hash of the names of the PDFs in DIR.
corpus_list_hash() {
  (cd "$1" && ls -1 -- *.pdf | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
}

# corpus_stamp_ok STAMP DIR PKG VERSION: whether DIR holds exactly the
# PDFs STAMP records and, unless VERSION is "any", was built from
# PKG VERSION.
corpus_stamp_ok() {
  local f=$1 dir=$2 pkg=$3 version=$4
  [ -f "$f" ] || return 1
  local list n
  list=$(sed -n 's/^files: //p' "$f")
  n=$(sed -n 's/^count: //p' "$f")
  [ -n "$n" ] || return 1
  if [ "$version" != any ]; then
    grep -qxF "package: $pkg $version" "$f" || return 1
  fi
  [ "$(find "$dir" -maxdepth 1 -name '*.pdf' | wc -l)" -eq "$n" ] || return 1
  [ "$(corpus_list_hash "$dir")" = "$list" ] || return 1
}
