.PHONY: test lint bench compare run index up
STATICCHECK = go run honnef.co/go/tools/cmd/staticcheck@v0.8.2

test:
	go test -race -count=1 ./...

lint:
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(STATICCHECK) ./...

bench:
	go test -run '^$$' -bench . -benchmem ./search ./internal/pdftext ./internal/extract

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
