#!/usr/bin/env bash
# Builds the fourth held-out relevance corpus: the sections of the German
# Debian Edu / Skolelinux manual (Debian bookworm package
# debian-edu-doc-de), one PDF per section.
#
#   scripts/edu-corpus.sh OUTDIR
#
# A fourth genre beside the LibreOffice and GIMP help and the man pages:
# prose about running the IT of schools (main server, user
# administration with GOsa², printers, backups, thin clients), the
# subject matter of a municipal IT archive.
#
# Selection (fixed, deterministic; not tuned on any query): the DocBook
# sections (div class="section") of
# usr/share/doc/debian-edu-doc-de/debian-edu-bookworm-manual.html, in
# document order, whose own text (the section without its title block and
# without its subsections) has at least 50 words (\w+ of the lower-cased
# text) and at least twice as many German function words as English ones
# (English counted as at least 1; the rule of scripts/gimp-corpus.sh).
# Each section becomes a simple HTML file (its heading as <title> and
# <h1>, then its own content without images) printed to PDF with headless
# Chromium, 2 workers. File names: "s" and the section number with dots
# turned into "-", then the heading's words folded to [a-z0-9] (ä → ae,
# ö → oe, ü → ue, ß → ss) and joined by "-", at most 60 characters, then
# .pdf ("7.3.1. Benutzer hinzufügen" becomes
# s7-3-1-benutzer-hinzufuegen.pdf); the talk id is the name without .pdf.
# No manifest is written.
#
# Idempotent: OUTDIR/.edu-stamp records the package version, the count
# and a hash of the file list; if it matches and every PDF is there,
# nothing is done.
#
# Environment:
#   EDU_PKG_VERSION  package version to fetch (default: the one the
#                    judgments were made on; "any" = apt's candidate,
#                    with a warning: the texts may then differ)
#   EDU_TEXTDIR      if set, pdftotext output of every PDF goes there
#                    (<id>.txt), for reading; not part of the corpus
#   EDU_KEEP_TMP=1   keep the temp dir (package, simplified HTML)
set -euo pipefail

PKG=debian-edu-doc-de
PINNED_VERSION='2.12.23~deb12u1'
# The sections the selection keeps from the pinned version.
PINNED_COUNT=108
MIN_WORDS=50

die() { echo "edu-corpus: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
want_version=${EDU_PKG_VERSION:-$PINNED_VERSION}

# shellcheck source=corpus-stamp.sh
. "$(dirname "$0")/corpus-stamp.sh"
# 1. Fetch and unpack the package, unless the corpus is complete.
corpus_start edu-corpus .edu-stamp "$out" "$PKG" "$want_version" "$PINNED_VERSION" "${EDU_TEXTDIR:-}" "${EDU_KEEP_TMP:-}"
manual=$tmp/x/usr/share/doc/debian-edu-doc-de/debian-edu-bookworm-manual.html
[ -f "$manual" ] || die "unexpected package layout: no $manual"

# 2. Select the sections and write each as a simple page. The manual is
# XHTML (DocBook XSL), so an XML parser reads it.
mkdir -p "$tmp/html"
python3 - "$manual" "$tmp/html" "$MIN_WORDS" <<'PY' || die "section selection failed"
import html, os, re, sys
import xml.etree.ElementTree as ET

manual, out_dir, min_words = sys.argv[1], sys.argv[2], int(sys.argv[3])
XHTML = "http://www.w3.org/1999/xhtml"
H = "{%s}" % XHTML
ET.register_namespace("", XHTML)

# Function words. They only tell German sections from untranslated English
# ones; they say nothing about a section's topic.
DE = set("der die das und ist mit nicht sie ein eine einen auf für von zu den dem des im "
         "wird werden können kann oder auch wenn bei sich als wie".split())
EN = set("the and of is to with this that you can are for be it an on by from will".split())
HEADINGS = {H + t for t in ("h1", "h2", "h3", "h4", "h5", "h6")}

def is_div(e, cls):
    return e.tag == H + "div" and e.get("class") == cls

def own(section):
    """The section's content without its title block and subsections."""
    return [c for c in section if not (is_div(c, "section") or is_div(c, "titlepage"))]

def heading(section):
    for c in section:
        if is_div(c, "titlepage"):
            for h in c.iter():
                if h.tag in HEADINGS and h.get("class") == "title":
                    return re.sub(r"\s+", " ", "".join(h.itertext())).strip()
    return ""

def selected(parts):
    words = re.findall(r"\w+", " ".join(" ".join(p.itertext()) for p in parts).lower())
    de = sum(w in DE for w in words)
    en = sum(w in EN for w in words)
    return len(words) >= min_words and de >= 2 * max(en, 1)

FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

def page_id(title):
    m = re.match(r"([0-9.]+)\s+(.*)", title)
    number, words = (m.group(1).strip("."), m.group(2)) if m else ("0", title)
    slug = "-".join(re.findall(r"[a-z0-9]+", words.lower().translate(FOLD)))
    return ("s" + number.replace(".", "-") + "-" + slug)[:60].rstrip("-")

def without_images(e):
    for parent in e.iter():
        for c in list(parent):
            if c.tag == H + "img":
                tail = c.tail
                parent.remove(c)
                if tail:
                    parent.text = (parent.text or "") + tail

CSS = ("body{font-family:'Liberation Sans',sans-serif;font-size:11pt;margin:1.5cm;}"
       "table{border-collapse:collapse;}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top;}"
       "pre{white-space:pre-wrap;font-size:9pt;}")

root = ET.parse(manual).getroot()
kept, skipped, ids = 0, 0, set()
for section in root.iter(H + "div"):
    if section.get("class") != "section":
        continue
    parts = own(section)
    title = heading(section)
    if not title or not selected(parts):
        skipped += 1
        continue
    pid = page_id(title)
    if pid in ids:
        sys.exit("duplicate id " + pid)
    ids.add(pid)
    body = []
    for p in parts:
        without_images(p)
        body.append(ET.tostring(p, encoding="unicode", method="html"))
    with open(os.path.join(out_dir, pid + ".html"), "w", encoding="utf-8") as fh:
        fh.write('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>%s</title>'
                 '<style>%s</style></head><body>\n<h1>%s</h1>\n%s\n</body></html>\n'
                 % (html.escape(title), CSS, html.escape(title), "\n".join(body)))
    kept += 1
print("edu-corpus: %d sections selected, %d skipped (untitled, < %d words or not German)"
      % (kept, skipped, min_words), file=sys.stderr)
PY
n=$(find "$tmp/html" -name '*.html' | wc -l)
if [ "$version" = "$PINNED_VERSION" ]; then
  [ "$n" -eq "$PINNED_COUNT" ] || die "$n sections selected from $PKG $version; expected $PINNED_COUNT"
else
  [ "$n" -ge 80 ] || die "only $n sections selected; expected about $PINNED_COUNT"
fi

# 3. Print to PDF, check the text, replace OUTDIR's PDFs, write the stamp.
corpus_finish edu-corpus "$out" "$n" "${EDU_TEXTDIR:-}" .edu-stamp "$PKG" "$version" "min-words: $MIN_WORDS"
