#!/usr/bin/env bash
# Builds the second held-out relevance corpus: German manual pages
# (Debian bookworm package manpages-de), one PDF per page.
#
#   scripts/manpages-corpus.sh OUTDIR
#
# A genre unlike the LibreOffice help of scripts/heldout-corpus.sh:
# reference pages of command-line programs (section 1, user commands) and
# system administration (section 8), typeset by groff as PDF (gropdf).
#
# Selection (deterministic): every page of man1 and man8, sorted by id,
# except pages that only include another page (".so"), pages whose source
# is byte for byte that of an earlier page (gzip, gunzip and zcat are one
# page: the first id is kept), and pages whose extracted text has fewer
# than 80 words. File names: man<section>-<page>.pdf, the
# page name lower-cased with every character outside [a-z0-9] turned into
# "-" (e.g. man1-cat.pdf, man8-apt-get.pdf); the talk id is the name
# without .pdf. No manifest is written.
#
# Idempotent: OUTDIR/.manpages-stamp records the package version, the
# count and a hash of the file list; if it matches and every PDF is there,
# nothing is done.
#
# Environment:
#   MANPAGES_PKG_VERSION  package version to fetch (default: the one the
#                         judgments were made on; "any" = apt's candidate)
#   MANPAGES_TEXTDIR      if set, pdftotext output of every PDF goes there
#                         (<id>.txt), for reading; not part of the corpus
#   MANPAGES_RENDER       if "chromium", each page is typeset as HTML by groff
#                         and printed to PDF by chromium --headless
#                         --print-to-pdf, with chromium's default header and
#                         footer (date, title, file URL, page count): the
#                         route the issue names for HTML help; a variant
#                         (apt-get install chromium)
#   MANPAGES_TITLE        if "capitals", every PDF gets the page's name in
#                         capitals as its title ("DU" for man1-du.pdf), as
#                         a page printed from groff's HTML (<title>DU</title>)
#                         carries it; set by pdf.tmac's .pdfinfo. A variant
#                         to check that such titles do not change the
#                         ranking (cmd/relevance -manpages DIR)
set -euo pipefail

PKG=manpages-de
PINNED_VERSION='4.18.1-1'
SECTIONS=(1 8)
MIN_WORDS=80

die() { echo "manpages-corpus: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
want_version=${MANPAGES_PKG_VERSION:-$PINNED_VERSION}

for tool in apt-get dpkg-deb groff pdftotext sha256sum xargs; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (apt-get install groff poppler-utils)"
done
# groff-base alone has no PDF device.
groff -Tpdf -mandoc </dev/null >/dev/null 2>&1 || die "groff cannot write PDF (apt-get install groff)"

# shellcheck source=corpus-stamp.sh
. "$(dirname "$0")/corpus-stamp.sh"
stamp_ok() { corpus_stamp_ok "$out/.manpages-stamp" "$out" "$PKG" "$want_version"; }

if stamp_ok; then
  echo "manpages-corpus: $out is up to date"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

(
  cd "$tmp"
  if [ "$want_version" = any ]; then
    apt-get download "$PKG" >/dev/null 2>&1 || die "apt-get download $PKG failed (apt-get update?)"
  else
    apt-get download "$PKG=$want_version" >/dev/null 2>&1 || die "apt-get download $PKG=$want_version failed (apt-get update?)"
  fi
)
deb=$(ls "$tmp"/*.deb)
version=$(dpkg-deb -f "$deb" Version)
[ "$want_version" = any ] || [ "$version" = "$want_version" ] || die "got $PKG $version, want $want_version"
dpkg-deb -x "$deb" "$tmp/x"

# The pages to typeset: name<TAB>source, sorted, without .so includes.
list=$tmp/list
: >"$list"
for s in "${SECTIONS[@]}"; do
  for src in "$tmp/x/usr/share/man/de/man$s"/*.gz; do
    if zcat "$src" | grep -qE '^\.so[[:space:]]'; then
      continue
    fi
    page=$(basename "$src" ".$s.gz")
    case $page in *[a-zA-Z0-9]*) ;; *) continue ;; esac
    id=man$s-$(printf '%s' "$page" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '-' | sed 's/--*/-/g; s/^-//; s/-$//')
    printf '%s\t%s\n' "$id" "$src" >>"$list"
  done
done
LC_ALL=C sort -o "$list" "$list"
# Byte-identical sources: keep the first id.
dedup=$tmp/dedup
declare -A seen=()
: >"$dedup"
while IFS=$'\t' read -r id src; do
  sum=$(zcat "$src" | sha256sum | cut -d' ' -f1)
  [ -z "${seen[$sum]:-}" ] || continue
  seen[$sum]=$id
  printf '%s\t%s\n' "$id" "$src" >>"$dedup"
done <"$list"
mv "$dedup" "$list"

mkdir -p "$tmp/pdf"
typeset_one() {
  local id=$1 src=$2 dir=$3
  if [ "${MANPAGES_RENDER:-}" = chromium ]; then
    # groff -Thtml writes its images (tables, equations) to the working folder.
    (cd "$dir" && zcat "$src" | groff -mandoc -Thtml -Kutf8 2>/dev/null >"$dir/$id.html") &&
      chromium --headless --no-sandbox --disable-gpu --user-data-dir="$dir/.chromium-$id" \
        --print-to-pdf="$dir/$id.pdf" "file://$dir/$id.html" >/dev/null 2>&1 || rm -f "$dir/$id.pdf"
    rm -rf "$dir/$id.html" "$dir/.chromium-$id" "$dir"/grohtml-*.png
    return
  fi
  if [ "${MANPAGES_TITLE:-}" = capitals ]; then
    local title
    title=$(printf '%s' "${id#man[0-9]-}" | tr '[:lower:]' '[:upper:]')
    zcat "$src" | sed "/^\.TH /a .pdfinfo /Title $title" |
      groff -mandoc -mpdf -Tpdf -Kutf8 -P-pa4 2>/dev/null >"$dir/$id.pdf" || rm -f "$dir/$id.pdf"
    return
  fi
  zcat "$src" | groff -mandoc -Tpdf -Kutf8 -P-pa4 2>/dev/null >"$dir/$id.pdf" || rm -f "$dir/$id.pdf"
}
export -f typeset_one
tr '\t' '\n' <"$list" | xargs -d '\n' -n 2 -P 2 bash -c 'typeset_one "$0" "$1" '"$tmp/pdf"

find "$out" -maxdepth 1 -name '*.pdf' -delete
n=0
for pdf in "$tmp/pdf"/*.pdf; do
  words=$(pdftotext -q "$pdf" - 2>/dev/null | wc -w)
  [ "$words" -ge "$MIN_WORDS" ] || continue
  cp "$pdf" "$out/"
  if [ -n "${MANPAGES_TEXTDIR:-}" ]; then
    mkdir -p "$MANPAGES_TEXTDIR"
    pdftotext -q "$pdf" "$MANPAGES_TEXTDIR/$(basename "$pdf" .pdf).txt"
  fi
  n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no page typeset"

hash=$(corpus_list_hash "$out")
printf 'package: %s %s\ncount: %s\nfiles: %s\n' "$PKG" "$version" "$n" "$hash" >"$out/.manpages-stamp"
[ -z "${MANPAGES_TITLE:-}" ] || printf 'title: %s\n' "$MANPAGES_TITLE" >>"$out/.manpages-stamp"
[ -z "${MANPAGES_RENDER:-}" ] || printf 'render: %s\n' "$MANPAGES_RENDER" >>"$out/.manpages-stamp"
echo "manpages-corpus: $n pages of $PKG $version in $out"
