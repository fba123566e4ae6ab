#!/usr/bin/env bash
# Builds the third held-out relevance corpus: German GIMP help pages
# (Debian bookworm package gimp-help-de), one PDF per page.
#
#   scripts/gimp-corpus.sh OUTDIR
#
# A third genre beside the LibreOffice help (scripts/heldout-corpus.sh)
# and the man pages (scripts/manpages-corpus.sh): the DocBook-made HTML
# help of an image editor, many of whose 685 pages are still untranslated
# English.
#
# Selection (fixed, deterministic; not tuned on any query): every page
# usr/share/gimp/2.0/help/de/*.html, sorted by file name, whose body (the
# HTML without <head>, without the navheader div and without everything
# from the navfooter div on, tags removed, entities unescaped) has at
# least 80 words (\w+ of the lower-cased text) and at least twice as many
# German function words as English ones (English counted as at least 1).
# Each page is reduced to a simple HTML file (the page's <title>, then
# the body without navigation, images and index-term anchors: headings,
# paragraphs, lists, tables and the menu and key names) and printed to PDF
# with headless Chromium, 2 workers. File names: the page's file name
# without .html, lower-cased, every character outside [a-z0-9-] turned
# into "-", at most 60 characters, then .pdf (gimp-selection-by_color.html
# becomes gimp-selection-by-color.pdf); the talk id is the name without
# .pdf. No manifest is written.
#
# Idempotent: OUTDIR/.gimp-stamp records the package version, the count
# and a hash of the file list; if it matches and every PDF is there,
# nothing is done.
#
# Environment:
#   GIMP_PKG_VERSION  package version to fetch (default: the one the
#                     judgments were made on; "any" = apt's candidate,
#                     with a warning: the texts may then differ)
#   GIMP_TEXTDIR      if set, pdftotext output of every PDF goes there
#                     (<id>.txt), for reading; not part of the corpus
#   GIMP_KEEP_TMP=1   keep the temp dir (package, simplified HTML)
set -euo pipefail

PKG=gimp-help-de
PINNED_VERSION='2.10.34-2'
# The pages the selection keeps from the pinned version.
PINNED_COUNT=328
MIN_WORDS=80

die() { echo "gimp-corpus: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
want_version=${GIMP_PKG_VERSION:-$PINNED_VERSION}

# shellcheck source=corpus-stamp.sh
. "$(dirname "$0")/corpus-stamp.sh"
# 1. Fetch and unpack the package, unless the corpus is complete.
corpus_start gimp-corpus .gimp-stamp "$out" "$PKG" "$want_version" "$PINNED_VERSION" "${GIMP_TEXTDIR:-}" "${GIMP_KEEP_TMP:-}"
help=$tmp/x/usr/share/gimp/2.0/help/de
[ -f "$help/index.html" ] || die "unexpected package layout: no $help/index.html"

# 2. Select and simplify the pages.
mkdir -p "$tmp/html"
PYTHONPATH="$(dirname "$0")${PYTHONPATH:+:$PYTHONPATH}" python3 - "$help" "$tmp/html" "$MIN_WORDS" <<'PY' || die "page selection failed"
import glob, html, os, re, sys
from corpus_html import Tree, find

help_root, out_dir, min_words = sys.argv[1], sys.argv[2], int(sys.argv[3])

# Function words. They only tell German pages from untranslated English
# ones (the German help still has many); they say nothing about a page's
# topic.
DE = set("der die das und ist mit nicht sie ein eine einen auf für von zu den dem des im "
         "wird werden können kann oder auch wenn bei sich als wie".split())
EN = set("the and of is to with this that you can are for be it an on by from will".split())

def body_text(src):
    """The page body the selection counts words in."""
    s = re.sub(r'(?s)<div class="navheader">.*?</div>', '', src)
    s = re.sub(r'(?s)<div class="navfooter">.*', '', s)
    s = re.sub(r'(?s)<head>.*?</head>', '', s)
    s = re.sub(r'(?s)<[^>]+>', ' ', s)
    return html.unescape(s)

def selected(src):
    words = re.findall(r'\w+', body_text(src).lower())
    de = sum(w in DE for w in words)
    en = sum(w in EN for w in words)
    return len(words) >= min_words and de >= 2 * max(en, 1)

VOID = {"br", "img", "meta", "link", "input", "hr", "base", "col", "wbr", "source", "area"}
KEEP = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "td", "th", "pre", "code", "blockquote",
        "strong", "em", "sub", "sup", "br"}
DROP_TAG = {"head", "script", "noscript", "style", "img", "hr"}
DROP_CLASS = {"navheader", "navfooter"}
# Menu and key names stay as text; bold so the PDF reads like the help.
BOLD_CLASS = {"guimenu", "guisubmenu", "guimenuitem", "keycap", "guilabel", "guibutton"}

def classes(n):
    return set(n.attrs.get("class", "").split())

def render(n, buf):
    if isinstance(n, str):
        buf.append(html.escape(n, quote=False))
        return
    if n.tag in DROP_TAG or classes(n) & DROP_CLASS:
        return
    # The index-term anchors are empty targets; the index page's entries
    # (class indexterm too, with an href) are its text and stay.
    if n.tag == "a" and "indexterm" in classes(n) and "href" not in n.attrs:
        return
    if n.tag == "br":
        buf.append("<br>")
        return
    if n.tag in KEEP:
        open_, close = "<%s>" % n.tag, "</%s>" % n.tag
    elif n.tag == "div":
        open_, close = "<div>", "</div>"
    elif classes(n) & BOLD_CLASS:
        open_, close = "<b>", "</b>"
    else:
        open_, close = "", ""
    buf.append(open_)
    for k in n.kids:
        render(k, buf)
    buf.append(close)

def page_id(name):
    return re.sub(r"[^a-z0-9-]", "-", name[:-len(".html")].lower())[:60]

CSS = ("body{font-family:'Liberation Sans',sans-serif;font-size:11pt;margin:1.5cm;}"
       "table{border-collapse:collapse;}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top;}"
       "dt{font-weight:bold;margin-top:.4em;}pre{white-space:pre-wrap;}")

kept, skipped, ids = 0, 0, set()
for path in sorted(glob.glob(os.path.join(help_root, "*.html"))):
    with open(path, encoding="utf-8") as fh:
        src = fh.read()
    if not selected(src):
        skipped += 1
        continue
    t = Tree(VOID)
    t.feed(src)
    t.close()
    title_node = find(t.root, lambda n: n.tag == "title")
    title = "".join(k for k in title_node.kids if isinstance(k, str)).strip() if title_node else ""
    body = find(t.root, lambda n: n.tag == "body")
    if body is None:
        sys.exit("no <body> in " + path)
    # Everything from the navfooter on is gone, as in the selection.
    for i, k in enumerate(body.kids):
        if not isinstance(k, str) and "navfooter" in classes(k):
            body.kids = body.kids[:i]
            break
    buf = []
    for k in body.kids:
        render(k, buf)
    pid = page_id(os.path.basename(path))
    if pid in ids:
        sys.exit("duplicate id " + pid)
    ids.add(pid)
    with open(os.path.join(out_dir, pid + ".html"), "w", encoding="utf-8") as fh:
        fh.write('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>%s</title>'
                 '<style>%s</style></head><body>\n%s\n</body></html>\n'
                 % (html.escape(title), CSS, "".join(buf)))
    kept += 1
print("gimp-corpus: %d pages selected, %d skipped (< %d words or not German)" % (kept, skipped, min_words), file=sys.stderr)
PY
n=$(find "$tmp/html" -name '*.html' | wc -l)
if [ "$version" = "$PINNED_VERSION" ]; then
  [ "$n" -eq "$PINNED_COUNT" ] || die "$n pages selected from $PKG $version; expected $PINNED_COUNT"
else
  [ "$n" -ge 250 ] || die "only $n pages selected; expected about $PINNED_COUNT"
fi

# 3. Print to PDF, check the text, replace OUTDIR's PDFs, write the stamp.
corpus_finish gimp-corpus "$out" "$n" "${GIMP_TEXTDIR:-}" .gimp-stamp "$PKG" "$version" "min-words: $MIN_WORDS"
