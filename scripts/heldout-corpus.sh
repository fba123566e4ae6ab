#!/usr/bin/env bash
# Builds the held-out relevance corpus: German LibreOffice help pages
# (Debian bookworm package libreoffice-help-de), one PDF per page.
#
#   scripts/heldout-corpus.sh OUTDIR
#
# Selection (deterministic): every page of the "guide" (how-to) modules
# text/scalc/guide, text/swriter/guide and text/shared/guide, sorted by
# path, except each module's table of contents (main.html), whose
# extracted text has at least 80 words. Each page is reduced
# to a simple HTML file (title + the DisplayArea body, no navigation,
# images, "Verwandte Themen" link lists or debug footer; the
# system/application switches that the help's JavaScript would resolve are
# resolved here: the non-Mac "default" variant, the page's own module for
# application switches) and printed to PDF with headless Chromium,
# 2 workers. File names: <module>-<page>.pdf, e.g. scalc-autofilter.pdf
# (lower-case ASCII, [a-z0-9-], <= 60 chars); the talk id is the name
# without .pdf. No manifest is written.
#
# Idempotent: OUTDIR/.heldout-stamp records the package version, the
# count and a hash of the file list; if it matches and every PDF is there,
# nothing is done.
#
# Environment:
#   HELDOUT_PKG_VERSION  package version to fetch (default: the one the
#                        judgments were made on; "any" = apt's candidate,
#                        with a warning: the texts may then differ)
#   HELDOUT_TEXTDIR      if set, pdftotext output of every PDF goes there
#                        (<id>.txt), for reading; not part of the corpus
#   HELDOUT_KEEP_TMP=1   keep the temp dir (package, simplified HTML)
set -euo pipefail

PKG=libreoffice-help-de
PINNED_VERSION='4:7.4.7-1+deb12u14'
MODULES=(scalc/guide swriter/guide shared/guide)
MIN_WORDS=80

die() { echo "heldout-corpus: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
want_version=${HELDOUT_PKG_VERSION:-$PINNED_VERSION}

# shellcheck source=corpus-stamp.sh
. "$(dirname "$0")/corpus-stamp.sh"
# 1. Fetch and unpack the package, unless the corpus is complete.
corpus_start heldout-corpus .heldout-stamp "$out" "$PKG" "$want_version" "$PINNED_VERSION" "${HELDOUT_TEXTDIR:-}" "${HELDOUT_KEEP_TMP:-}"
help=$tmp/x/usr/share/libreoffice/help/de
[ -d "$help/text" ] || die "unexpected package layout: no $help/text"

# 2. Select and simplify the pages.
mkdir -p "$tmp/html"
PYTHONPATH="$(dirname "$0")${PYTHONPATH:+:$PYTHONPATH}" python3 - "$help" "$tmp/html" "$MIN_WORDS" "${MODULES[@]}" <<'PY' || die "page selection failed"
import html, os, re, sys
from corpus_html import Tree, find

help_root, out_dir, min_words, modules = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
VOID = {"br", "img", "meta", "link", "input", "hr", "base", "col", "wbr", "source"}
APP = {"scalc": "CALC", "swriter": "WRITER", "simpress": "IMPRESS", "sdraw": "DRAW",
       "schart": "CHART", "smath": "MATH"}
KEEP = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "tr", "td",
        "th", "pre", "code", "br"}

def variant(n):
    m = re.match(r"(MAC|WIN|UNIX|default|CALC|WRITER|IMPRESS|DRAW|CHART|MATH)", n.attrs.get("id", ""))
    return m.group(1) if m else None

def resolve(n, app):
    """Resolves switch/switchinline like the help's JavaScript would on Linux."""
    if isinstance(n, str):
        return
    cls = n.attrs.get("class", "")
    if cls in ("switch", "switchinline"):
        opts = [k for k in n.kids if not isinstance(k, str) and variant(k)]
        names = [variant(k) for k in opts]
        if app in names:
            pick = app
        elif "default" in names:
            pick = "default"
        elif "UNIX" in names:
            pick = "UNIX"
        else:
            pick = None
        n.kids = [k for k in opts if variant(k) == pick]
        for k in n.kids:
            k.attrs.pop("hidden", None)
    for k in n.kids:
        resolve(k, app)

DROP_CLASS = {"relatedtopics", "noteicon", "debug"}

def render(n, buf):
    if isinstance(n, str):
        buf.append(html.escape(n, quote=False))
        return
    if n.tag in ("script", "noscript", "meta", "img", "style", "input", "button", "nav", "aside", "header", "footer"):
        return
    if "hidden" in n.attrs or n.attrs.get("class", "") in DROP_CLASS:
        return
    tag = n.tag if n.tag in KEEP else None
    if tag == "br":
        buf.append("<br>")
        return
    block = n.tag == "div"
    if tag:
        buf.append("<%s>" % tag)
    elif block:
        buf.append("<div>")
    for k in n.kids:
        render(k, buf)
    if tag:
        buf.append("</%s>" % tag)
    elif block:
        buf.append("</div>")

CSS = ("body{font-family:'Liberation Sans',sans-serif;font-size:11pt;margin:1.5cm;}"
       "table{border-collapse:collapse;}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top;}"
       "pre{white-space:pre-wrap;}")

pages = []
for mod in modules:
    d = os.path.join(help_root, "text", mod)
    if not os.path.isdir(d):
        sys.exit("no module directory " + d)
    for f in sorted(os.listdir(d)):
        # main.html is each module's table of contents (a list of links)
        if f.endswith(".html") and f != "main.html":
            pages.append((mod, f))
pages.sort()

kept, skipped, ids = 0, 0, set()
for mod, f in pages:
    path = os.path.join(help_root, "text", mod, f)
    with open(path, encoding="utf-8") as fh:
        src = fh.read()
    t = Tree(VOID)
    t.feed(src)
    t.close()
    title_node = find(t.root, lambda n: n.tag == "title")
    title = "".join(k for k in title_node.kids if isinstance(k, str)).strip() if title_node else ""
    area = find(t.root, lambda n: n.attrs.get("id") == "DisplayArea")
    if area is None:
        skipped += 1
        continue
    app = APP.get(mod.split("/")[0])
    resolve(area, app)
    buf = []
    render(area, buf)
    body = "".join(buf)
    text = re.sub(r"<[^>]+>", " ", body)
    words = re.findall(r"\w+", html.unescape(text))
    if len(words) < min_words:
        skipped += 1
        continue
    base = re.sub(r"[^a-z0-9]+", "-", f[:-len(".html")].lower()).strip("-")
    pid = (mod.split("/")[0] + "-" + base)[:60].rstrip("-")
    if pid in ids:
        sys.exit("duplicate id " + pid)
    ids.add(pid)
    with open(os.path.join(out_dir, pid + ".html"), "w", encoding="utf-8") as fh:
        fh.write('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>%s</title>'
                 '<style>%s</style></head><body>\n%s\n</body></html>\n' % (html.escape(title), CSS, body))
    kept += 1
print("heldout-corpus: %d pages selected, %d skipped (< %d words or no content)" % (kept, skipped, min_words), file=sys.stderr)
PY
n=$(find "$tmp/html" -name '*.html' | wc -l)
[ "$n" -ge 300 ] || die "only $n pages selected; expected about 300-500"

# 3. Print to PDF, check the text, replace OUTDIR's PDFs, write the stamp.
corpus_finish heldout-corpus "$out" "$n" "${HELDOUT_TEXTDIR:-}" .heldout-stamp "$PKG" "$version" "modules: ${MODULES[*]}" "min-words: $MIN_WORDS"
