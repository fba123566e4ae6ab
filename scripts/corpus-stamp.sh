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

# The steps heldout-corpus.sh, gimp-corpus.sh and edu-corpus.sh share:
# each fetches a Debian documentation package, prints simplified HTML
# pages with headless Chromium and checks each PDF's text. NAME is the script's name in messages; the
# sourcing script defines die.

# corpus_textdir_fill DIR TEXTDIR: the pdftotext output of every PDF in
# DIR that TEXTDIR lacks, when TEXTDIR is set.
corpus_textdir_fill() {
  local dir=$1 textdir=$2 p t
  [ -n "$textdir" ] || return 0
  mkdir -p "$textdir"
  for p in "$dir"/*.pdf; do
    t=$textdir/$(basename "$p" .pdf).txt
    [ -s "$t" ] || pdftotext -layout -enc UTF-8 "$p" "$t"
  done
}

# corpus_fetch_deb NAME DIR PKG VERSION: downloads PKG (at VERSION, or
# apt's candidate for "any") into DIR, without its dependencies. As root
# it refreshes the package lists once when the download fails, and takes
# the current version, with a warning, when a Debian point or security
# release has replaced the pinned one.
corpus_fetch_deb() {
  local name=$1 dir=$2 pkg=$3 want=$4 spec
  if [ "$want" = any ]; then spec=$pkg; else spec="$pkg=$want"; fi
  ( cd "$dir" && apt-get download -q "$spec" >/dev/null 2>"$dir/apt.err" ) && return 0
  if [ "$(id -u)" != 0 ]; then
    cat "$dir/apt.err" >&2
    die "cannot download $spec (run 'apt-get update' as root first?)"
  fi
  apt-get update -qq || true
  ( cd "$dir" && apt-get download -q "$spec" >/dev/null 2>"$dir/apt.err" ) && return 0
  # The help text hardly ever changes in a point release. Take the
  # current one, loudly, rather than leave CI unable to run the suite.
  [ "$spec" != "$pkg" ] || { cat "$dir/apt.err" >&2; die "cannot download $pkg"; }
  echo "$name: WARNING: $spec is no longer in the archive; using the current $pkg (re-check the judgments if figures move)" >&2
  ( cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>"$dir/apt.err" ) || { cat "$dir/apt.err" >&2; die "cannot download $pkg"; }
}

# corpus_render_one HTML PDFDIR: prints one page to PDFDIR/<id>.pdf.
corpus_render_one() {
  local html=$1 pdfdir=$2 id prof
  id=$(basename "$html" .html)
  prof=$(mktemp -d)
  if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$prof" --no-pdf-header-footer --print-to-pdf="$pdfdir/$id.pdf" \
      "file://$html" >/dev/null 2>&1; then
    rm -rf "$prof"; echo "render failed: $id" >&2; return 1
  fi
  rm -rf "$prof"
  [ -s "$pdfdir/$id.pdf" ] || { echo "render produced no PDF: $id" >&2; return 1; }
}

# corpus_render HTMLDIR PDFDIR: prints every page of HTMLDIR, 2 workers.
corpus_render() {
  export -f corpus_render_one
  find "$1" -name '*.html' -print0 | LC_ALL=C sort -z |
    xargs -0 -P 2 -I{} bash -c 'corpus_render_one "$1" "$2"' _ {} "$2" || die "rendering failed"
}

# corpus_check_pdfs PDFDIR N TEXTDIR: every PDF has its text (and, when
# TEXTDIR is set, its pdftotext output there), and there are N of them.
corpus_check_pdfs() {
  local dir=$1 n=$2 textdir=$3 p id words
  for p in "$dir"/*.pdf; do
    id=$(basename "$p" .pdf)
    words=$(pdftotext -enc UTF-8 "$p" - | wc -w)
    [ "$words" -ge 40 ] || die "$id.pdf has almost no text ($words words)"
    if [ -n "$textdir" ]; then
      mkdir -p "$textdir"
      pdftotext -layout -enc UTF-8 "$p" "$textdir/$id.txt"
    fi
  done
  [ "$(find "$dir" -name '*.pdf' | wc -l)" -eq "$n" ] || die "expected $n PDFs"
}

# corpus_replace_pdfs PDFDIR OUT: OUT's PDFs become those of PDFDIR.
corpus_replace_pdfs() {
  mkdir -p "$2"
  find "$2" -maxdepth 1 -name '*.pdf' -delete
  cp "$1"/*.pdf "$2"/
}

# corpus_start NAME STAMP OUT PKG WANT PINNED TEXTDIR KEEP: the first
# steps of a script that prints a Debian documentation package. It checks
# the tools; when OUT is complete (STAMP matches) it fills TEXTDIR and
# exits the script; else it makes the temporary folder $tmp (kept when
# KEEP is 1), downloads PKG at version WANT ("any": apt's candidate),
# warns when the version got is not PINNED, the one the judgments were
# made on, and unpacks it to $tmp/x. It sets tmp and version.
corpus_start() {
  local name=$1 stamp=$2 out=$3 pkg=$4 want=$5 pinned=$6 textdir=$7 keep=$8 tool deb
  for tool in apt-get dpkg-deb chromium pdftotext python3 sha256sum; do
    command -v "$tool" >/dev/null || die "missing tool: $tool (apt-get install chromium poppler-utils python3)"
  done
  if corpus_stamp_ok "$out/$stamp" "$out" "$pkg" "$want"; then
    echo "$name: $out is complete ($(sed -n 's/^package: //p' "$out/$stamp"), $(sed -n 's/^count: //p' "$out/$stamp") PDFs); nothing to do"
    corpus_textdir_fill "$out" "$textdir"
    exit 0
  fi
  tmp=$(mktemp -d)
  if [ "$keep" = 1 ]; then
    echo "$name: temp dir kept: $tmp"
  else
    trap 'rm -rf "$tmp"' EXIT
  fi
  # Fetch and unpack the package (no dependencies, no install).
  corpus_fetch_deb "$name" "$tmp" "$pkg" "$want"
  deb=$(ls "$tmp"/*.deb)
  version=$(dpkg-deb -f "$deb" Version)
  if [ "$version" != "$pinned" ]; then
    echo "$name: WARNING: got $pkg $version, the judgments were made on $pinned" >&2
  fi
  dpkg-deb -x "$deb" "$tmp/x"
}

# corpus_finish NAME OUT N TEXTDIR STAMP PKG VERSION [FIELD…]: the last
# steps: prints the N pages of $tmp/html to PDF, checks their text
# (writing it to TEXTDIR when set), replaces OUT's PDFs and writes the
# stamp: the package, the script's own FIELD lines, the count and the
# hash of the file list.
corpus_finish() {
  local name=$1 out=$2 n=$3 textdir=$4 stamp=$5 pkg=$6 version=$7 list size
  shift 7
  mkdir -p "$tmp/pdf"
  corpus_render "$tmp/html" "$tmp/pdf"
  corpus_check_pdfs "$tmp/pdf" "$n" "$textdir"
  corpus_replace_pdfs "$tmp/pdf" "$out"
  list=$(corpus_list_hash "$out")
  size=$(du -cb "$out"/*.pdf | tail -1 | cut -f1)
  {
    echo "package: $pkg $version"
    printf '%s\n' "$@"
    echo "count: $n"
    echo "files: $list"
  } >"$out/$stamp"
  echo "$name: wrote $n PDFs ($size bytes) from $pkg $version to $out"
}
