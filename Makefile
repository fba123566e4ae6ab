.PHONY: test lint bench bench-scale compare run index up
STATICCHECK = go run honnef.co/go/tools/cmd/staticcheck@v0.8.2

test:
	go test -race -count=1 ./...

lint:
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(STATICCHECK) ./...

bench:
	go test -run '^$$' -bench . -benchmem ./search ./internal/pdftext ./internal/extract

# Indexing throughput, query latency, memory and disk on generated
# archives (BENCHMARKS.md). Archives and indexes go to $(BENCH_DIR); the
# archives are reused while seed and size match. Needs poppler-utils and wrk.
#   make bench-scale PAGES=1000,10000
PAGES ?= 1000,10000,100000
BENCH_DIR ?= bench-data
BENCH_FLAGS ?=
bench-scale:
	mkdir -p $(BENCH_DIR)/bin
	go build -o $(BENCH_DIR)/bin/talksearch ./cmd/talksearch
	go build -o $(BENCH_DIR)/bin/scalegen ./cmd/scalegen
	go build -o $(BENCH_DIR)/bin/benchscale ./cmd/benchscale
	$(BENCH_DIR)/bin/benchscale -talksearch $(BENCH_DIR)/bin/talksearch -scalegen $(BENCH_DIR)/bin/scalegen \
		-dir $(BENCH_DIR) -pages $(PAGES) $(BENCH_FLAGS) | tee $(BENCH_DIR)/results.md

# PDF extraction against poppler's pdftotext (issue 3); add folders of PDFs
# as arguments: make compare PDFS=~/vortraege
compare:
	go run ./cmd/pdfcompare -fixtures -sample $(PDFS)

run:
	go run ./cmd/talksearch serve

index:
	go run ./cmd/talksearch index

up:
	docker compose up --build
