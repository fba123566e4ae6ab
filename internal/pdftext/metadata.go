package pdftext

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// readMetadata decodes the document information dictionary. A malformed one
// yields empty fields.
func readMetadata(rd *pdf.Reader) (m Metadata) {
	defer func() {
		if recover() != nil {
			m = Metadata{}
		}
	}()
	info := rd.Trailer().Key("Info")
	if info.Kind() != pdf.Dict {
		return Metadata{}
	}
	get := func(key string) string {
		return CleanText(strings.ReplaceAll(decodeTextString(info.Key(key).RawString()), "\n", " "))
	}
	return Metadata{
		Title:    get("Title"),
		Author:   get("Author"),
		Subject:  get("Subject"),
		Keywords: get("Keywords"),
		Created:  parsePDFDate(info.Key("CreationDate").RawString()),
	}
}

// decodeTextString decodes a PDF text string: UTF-16BE with a byte order mark,
// UTF-8 with a byte order mark (PDF 2.0) or PDFDocEncoding.
func decodeTextString(s string) string {
	switch {
	case strings.HasPrefix(s, "\xfe\xff"):
		return decodeUTF16(s[2:], false)
	case strings.HasPrefix(s, "\xff\xfe"): // seen from broken producers
		return decodeUTF16(s[2:], true)
	case strings.HasPrefix(s, "\xef\xbb\xbf") && utf8.ValidString(s[3:]):
		return s[3:]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(pdfDocEncoding[s[i]])
	}
	return b.String()
}

func decodeUTF16(s string, little bool) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		if little {
			u = append(u, uint16(s[i+1])<<8|uint16(s[i]))
		} else {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
	}
	return string(utf16.Decode(u))
}

// parsePDFDate parses a PDF date string, "D:YYYYMMDDHHmmSSOHH'mm'", where
// everything after the year is optional. A malformed date gives the zero
// time.
func parsePDFDate(raw string) time.Time {
	s := strings.TrimSpace(decodeTextString(raw))
	s = strings.TrimPrefix(s, "D:")
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 || digits%2 != 0 {
		return time.Time{}
	}
	field := func(from, to, def int) int {
		if to > digits {
			return def
		}
		n, _ := strconv.Atoi(s[from:to])
		return n
	}
	year, month, day := field(0, 4, 0), field(4, 6, 1), field(6, 8, 1)
	hour, minute, sec := field(8, 10, 0), field(10, 12, 0), field(12, 14, 0)
	if year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}
	}
	loc := time.UTC
	if tz := s[digits:]; len(tz) >= 3 && (tz[0] == '+' || tz[0] == '-') {
		h, err1 := strconv.Atoi(tz[1:3])
		m := 0
		var err2 error
		if rest := strings.Trim(tz[3:], "'"); len(rest) >= 2 {
			m, err2 = strconv.Atoi(rest[:2])
		}
		if err1 == nil && err2 == nil && h <= 14 && m < 60 {
			off := h*3600 + m*60
			if tz[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
}
