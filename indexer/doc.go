// Package indexer turns the talk catalogue and its files (PDF slide decks, transcripts) into search documents. It imports corpus and search; it must not import api or cmd.
package indexer
