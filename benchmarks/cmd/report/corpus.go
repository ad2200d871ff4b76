package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/fnguard/fnguard/benchmarks"
)

// corpus prints the detection score (the table of TestCorpusScore).
func corpus(w io.Writer, o options) (missed int, err error) {
	path := o.corpusPath
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return 0, err
		}
		if path, err = benchmarks.FindCorpus(wd); err != nil {
			return 0, err
		}
	}
	items, err := benchmarks.LoadCorpus(path)
	if err != nil {
		return 0, err
	}
	g, err := benchmarks.NewGuard()
	if err != nil {
		return 0, fmt.Errorf("guard.New: %w", err)
	}
	s, err := benchmarks.ScoreCorpus(context.Background(), g, items)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "\n## Detection score: %s (%d items), each as ?q= of a GET and as {\"comment\": ...} of a JSON POST, through guardlambda.WrapHandler\n\n", path, len(items))
	s.WriteTable(w)
	return len(s.Failures()), nil
}
