package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestZZQuery(t *testing.T) {
	ix, err := Open(os.Getenv("ZZ_INDEX"), Options{ReadOnly: true})
	if err != nil { t.Skip() }
	defer ix.Close()
	tq := ix.parseText(context.Background(), os.Getenv("ZZ_Q"))
	b, _ := json.MarshalIndent(tq.talk, "", " ")
	fmt.Println(string(b))
	fmt.Println(tq.minShould, tq.clauseWords)
}

func TestZZProf(t *testing.T) {
	ix, err := Open(os.Getenv("ZZ_INDEX"), Options{ReadOnly: true})
	if err != nil { t.Skip() }
	defer ix.Close()
	for i := 0; i < 60; i++ {
		ix.Search(context.Background(), Query{Text: os.Getenv("ZZ_Q")})
	}
}
