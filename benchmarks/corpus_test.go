package benchmarks_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/benchmarks"
)

// TestCorpusScore scores detection through the real adapter: every dev
// corpus item as the query parameter of a GET and as a JSON body field of a
// POST, through guardlambda.WrapHandler. It fails only when a target
// (benchmarks.MinOverallRecall, MinCategoryRecall, MaxBenignFP) is missed.
func TestCorpusScore(t *testing.T) {
	path, err := benchmarks.FindCorpus(".")
	if errors.Is(err, benchmarks.ErrNoCorpus) {
		t.Skipf("skipping the detection score: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	items, err := benchmarks.LoadCorpus(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := benchmarks.NewGuard()
	if err != nil {
		t.Fatal(err)
	}
	s, err := benchmarks.ScoreCorpus(context.Background(), g, items)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s.WriteTable(&out)
	if f := s.Failures(); len(f) > 0 {
		t.Errorf("detection targets missed on %s: %s\n%s", path, strings.Join(f, "; "), out.String())
		return
	}
	t.Logf("%s (%d items)\n%s", path, len(items), out.String())
}

// TestCorpusEvents checks the two placements put the payload where the
// score says it is, with a tiny corpus of known verdicts.
func TestCorpusEvents(t *testing.T) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		t.Fatal(err)
	}
	h := benchmarks.CorpusHandler(g)
	tests := []struct {
		name, placement, payload string
		want                     benchmarks.Outcome
	}{
		{"benign query", benchmarks.PlaceQuery, "blue cotton shirt", benchmarks.Passed},
		{"benign body", benchmarks.PlaceBody, "please leave at the door", benchmarks.Passed},
		{"sqli query", benchmarks.PlaceQuery, "1' OR '1'='1' --", benchmarks.Detected},
		{"sqli body", benchmarks.PlaceBody, "1' OR '1'='1' --", benchmarks.Detected},
		{"xss query", benchmarks.PlaceQuery, "<script>alert(1)</script>", benchmarks.Detected},
		{"traversal body", benchmarks.PlaceBody, "../../../../etc/passwd", benchmarks.Detected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := benchmarks.CorpusEvent(tc.placement, tc.payload)
			if err != nil {
				t.Fatal(err)
			}
			got, err := benchmarks.Classify(benchmarks.InvokeContext("corpus-"+tc.name), h, ev)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("outcome %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := benchmarks.CorpusEvent("header", "x"); err == nil || !strings.Contains(err.Error(), `"header"`) {
		t.Errorf("unknown placement: err %v, want one naming \"header\"", err)
	}
}

func TestLoadCorpusErrors(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"testdata/corpus_bad_json.jsonl", "line 2"},
		{"testdata/corpus_no_category.jsonl", `line 1: missing "category"`},
		{"testdata/corpus_empty.jsonl", "no items"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := benchmarks.LoadCorpus(tc.file)
			var ce *benchmarks.CorpusError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want a *CorpusError containing %q", err, tc.want)
			}
		})
	}
	t.Run("FNGUARD_CORPUS missing file", func(t *testing.T) {
		t.Setenv("FNGUARD_CORPUS", "testdata/does-not-exist.jsonl")
		_, err := benchmarks.FindCorpus(".")
		if !errors.Is(err, benchmarks.ErrNoCorpus) || !strings.Contains(err.Error(), "FNGUARD_CORPUS") {
			t.Fatalf("err %v, want ErrNoCorpus naming FNGUARD_CORPUS", err)
		}
	})
	t.Run("FNGUARD_CORPUS honoured", func(t *testing.T) {
		t.Setenv("FNGUARD_CORPUS", "testdata/corpus_mini.jsonl")
		p, err := benchmarks.FindCorpus(".")
		if err != nil || p != "testdata/corpus_mini.jsonl" {
			t.Fatalf("FindCorpus = %q, %v", p, err)
		}
		items, err := benchmarks.LoadCorpus(p)
		if err != nil || len(items) != 4 {
			t.Fatalf("LoadCorpus: %d items, %v; want 4", len(items), err)
		}
	})
}
