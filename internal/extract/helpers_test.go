package extract

import (
	"bytes"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// extractBytes runs the text walker alone, in-process.
func extractBytes(data []byte) (*pdftext.Document, error) {
	return pdftext.Extract(bytes.NewReader(data), int64(len(data)))
}
