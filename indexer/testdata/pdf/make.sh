#!/bin/sh
# Regenerates the PDF fixtures of the indexer tests from their sources.
#
# Debian packages (install with apt-get install -y --no-install-recommends):
#   groff ghostscript qpdf
#   texlive-latex-base texlive-latex-recommended texlive-lang-german
#   texlive-fonts-recommended texlive-pictures texlive-luatex lmodern
#   libreoffice-impress libreoffice-writer fonts-liberation2
#
# After regenerating, review and rewrite the golden files with
#   go test ./indexer -run TestExtractPDFGolden -update
# The *.ref.txt reference texts are written by hand from the sources and do
# not change with the producers.
set -eu
cd "$(dirname "$0")"
export SOURCE_DATE_EPOCH=1715644800 FORCE_SOURCE_DATE=1 # fixed dates in TeX output
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# groff: gropdf directly, and PostScript through Ghostscript.
groff -Tpdf -k -t -mde -ms groff.ms > groff.pdf
groff -Tps -k -t -mde -ms groff.ms | ps2pdf - groff-gs.pdf

# Hand-written PostScript (UTF-8 sources, ISO-8859-1 strings for Ghostscript).
iconv -f UTF-8 -t ISO-8859-1 handwritten.ps | ps2pdf - handwritten.pdf
iconv -f UTF-8 -t ISO-8859-1 figure.ps | ps2pdf -dEPSCrop - figure.pdf
ps2pdf scan.ps scan.pdf

# pdfTeX and LuaTeX (run twice for references), built in a temporary directory.
for doc in article:pdflatex ot1:pdflatex beamer:pdflatex lualatex:lualatex; do
	name=${doc%%:*} engine=${doc#*:}
	cp "$name.tex" figure.pdf "$tmp/"
	(cd "$tmp" && $engine -interaction=batchmode "$name.tex" >/dev/null &&
		$engine -interaction=batchmode "$name.tex" >/dev/null)
	cp "$tmp/$name.pdf" .
done

# LibreOffice Impress and Writer from flat ODF sources.
soffice --headless --convert-to pdf --outdir "$tmp" impress.fodp writer.fodt >/dev/null
cp "$tmp/impress.pdf" "$tmp/writer.pdf" .

# Encrypted copies: readable without a password (empty user password, RC4
# and AES-128) and unreadable (user password, RC4-128 and AES-256).
qpdf --allow-weak-crypto --encrypt "" eigentuemer 128 --use-aes=n -- lualatex.pdf encrypted-owner.pdf
qpdf --encrypt "" eigentuemer 128 --use-aes=y -- lualatex.pdf encrypted-owner-aes.pdf
qpdf --allow-weak-crypto --encrypt geheim geheim 128 --use-aes=n -- lualatex.pdf encrypted-rc4.pdf
qpdf --encrypt geheim geheim 256 -- lualatex.pdf encrypted-aes256.pdf
