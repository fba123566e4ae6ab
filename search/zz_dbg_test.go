package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZQuery(t *testing.T) {
	ix, err := Open(os.Getenv("ZZ_INDEX"), Options{ReadOnly: true})
	if err != nil { t.Skip() }
	defer ix.Close()
	tq := ix.parseText(context.Background(), os.Getenv("ZZ_Q"))
	b, _ := json.Marshal(tq.talk)
	fmt.Println(len(b), string(b)[:min(len(b), 3000)])
	fmt.Println(tq.minShould, tq.clauseWords)
	q := Query{Text: os.Getenv("ZZ_Q")}
	if f := os.Getenv("ZZ_F"); f != "" { q.Filters = map[string][]string{"state": {f}} }
	for i := 0; i < 3; i++ {
		a := time.Now()
		r, _ := ix.Search(context.Background(), q)
		fmt.Println(time.Since(a), r.Total, r.Full, r.Match, r.Ignored)
	}
}
