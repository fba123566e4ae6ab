#!/bin/sh
# Regenerates the PDF fixtures of the PDF text tests from their sources.
#
# Debian packages (install with apt-get install -y --no-install-recommends):
#   groff ghostscript qpdf
#   texlive-latex-base texlive-latex-recommended texlive-lang-german
#   texlive-fonts-recommended texlive-pictures texlive-luatex lmodern
#   libreoffice-impress libreoffice-writer fonts-liberation2
#   poppler-utils imagemagick img2pdf
#
# After regenerating, review and rewrite the golden files with
#   go test ./internal/pdftext -run TestExtractPDFGolden -update
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

# A scanned deck: page 1 of impress.pdf rendered to a 150 dpi bitmap in 16
# greys and wrapped back into a PDF without a text layer (as a scanner
# makes it), followed by page 2 of impress.pdf with its text layer.
pdftoppm -r 150 -gray -png -f 1 -l 1 -singlefile impress.pdf "$tmp/scan"
convert "$tmp/scan.png" -colors 16 -depth 4 "$tmp/scan16.png"
img2pdf "$tmp/scan16.png" -o "$tmp/scanned-image.pdf"
qpdf --empty --pages "$tmp/scanned-image.pdf" impress.pdf 2 -- scanned.pdf

# fallback.pdf: two slides whose content streams are ASCIIHex-encoded, a
# filter that ledongthuc/pdf does not read (so the whole file fails) and
# poppler does (so pdftotext takes over). Written by hand from
# fallback-1.txt and fallback-2.txt (WinAnsi Helvetica); qpdf adds the
# cross-reference table and keeps the streams as they are.
hexstream() { iconv -f UTF-8 -t ISO-8859-1 "$1" | od -An -v -tx1 | tr -d ' \n'; printf '>'; }
h1=$(hexstream fallback-1.txt) h2=$(hexstream fallback-2.txt)
{
	printf '%%PDF-1.4\n'
	printf '1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n'
	printf '2 0 obj <</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>> endobj\n'
	for p in 3:5 4:6; do
		printf '%s 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 842 595]/Resources<</Font<</F1 7 0 R>>>>/Contents %s 0 R>> endobj\n' "${p%:*}" "${p#*:}"
	done
	printf '5 0 obj <</Length %d/Filter/ASCIIHexDecode>> stream\n%s\nendstream endobj\n' ${#h1} "$h1"
	printf '6 0 obj <</Length %d/Filter/ASCIIHexDecode>> stream\n%s\nendstream endobj\n' ${#h2} "$h2"
	printf '7 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>> endobj\n'
	printf 'trailer <</Size 8/Root 1 0 R>>\n%%%%EOF\n'
} > "$tmp/fallback-raw.pdf"
# qpdf warns about the missing cross-reference table (exit status 3).
qpdf --deterministic-id --stream-data=preserve --decode-level=none --object-streams=disable "$tmp/fallback-raw.pdf" fallback.pdf 2>/dev/null || [ $? = 3 ]

# Encrypted copies: readable without a password (empty user password, RC4
# and AES-128) and unreadable (user password, RC4-128 and AES-256).
qpdf --allow-weak-crypto --encrypt "" eigentuemer 128 --use-aes=n -- lualatex.pdf encrypted-owner.pdf
qpdf --encrypt "" eigentuemer 128 --use-aes=y -- lualatex.pdf encrypted-owner-aes.pdf
qpdf --allow-weak-crypto --encrypt geheim geheim 128 --use-aes=n -- lualatex.pdf encrypted-rc4.pdf
qpdf --encrypt geheim geheim 256 -- lualatex.pdf encrypted-aes256.pdf
