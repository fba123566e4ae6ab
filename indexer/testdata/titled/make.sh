#!/bin/sh
# Builds the fixtures of this folder (Debian: apt-get install groff).
# man1-du.pdf: a manual page whose PDF title is its name in capitals, as
# a man page printed from groff's HTML carries it; pdf.tmac's .pdfinfo
# sets the title.
set -e
cd "$(dirname "$0")"
groff -mandoc -mpdf -Tpdf -Kutf8 man1-du.1 > man1-du.pdf
