package detect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Targets on the development corpus (see the task brief and
// shared/corpus/README.md).
const (
	targetOverallRecall  = 0.97
	targetCategoryRecall = 0.90
	targetBenignFPRate   = 0.003
)

type corpusItem struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Payload  string `json:"payload"`
	Source   string `json:"source"`
}

// findCorpus walks up from the working directory looking for
// shared/corpus/dev.jsonl (it lives beside the repository root).
// FNGUARD_CORPUS overrides the location.
func findCorpus() string {
	if p := os.Getenv("FNGUARD_CORPUS"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", "dev.jsonl")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func loadCorpus(t testing.TB) []corpusItem {
	t.Helper()
	p := findCorpus()
	if p == "" {
		t.Skip("development corpus shared/corpus/dev.jsonl not found above the working directory (set FNGUARD_CORPUS to its path)")
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var items []corpusItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var it corpusItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("%s:%d: %v", p, line, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	if len(items) == 0 {
		t.Fatalf("corpus %s is empty", p)
	}
	return items
}

// TestDevCorpus measures recall per category and the benign false-positive
// rate. Run with -v for the table; set FNGUARD_CORPUS_DUMP=misses,fps (or
// either) to list missed attacks / false positives while tuning.
func TestDevCorpus(t *testing.T) {
	items := loadCorpus(t)
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	dump := os.Getenv("FNGUARD_CORPUS_DUMP")
	total := map[string]int{}
	hits := map[string]int{}
	var misses, fps []string
	var buf []Match
	for _, it := range items {
		buf = d.Scan(buf[:0], it.Payload, Input{Kind: Value})
		total[it.Category]++
		if len(buf) > 0 {
			hits[it.Category]++
			if it.Category == "benign" {
				fps = append(fps, fmt.Sprintf("FP   %-28s %q  <- %s", buf[0].Rule, clip(it.Payload, 160), it.Source))
			}
		} else if it.Category != "benign" {
			misses = append(misses, fmt.Sprintf("MISS %-15s %q  <- %s", it.Category, clip(it.Payload, 160), it.Source))
		}
	}
	cats := make([]string, 0, len(total))
	for c := range total {
		if c != "benign" {
			cats = append(cats, c)
		}
	}
	sort.Strings(cats)
	var attacks, detected int
	var failures []string
	t.Logf("%-16s %6s %6s %8s", "category", "items", "hit", "recall")
	for _, c := range cats {
		r := float64(hits[c]) / float64(total[c])
		attacks += total[c]
		detected += hits[c]
		t.Logf("%-16s %6d %6d %7.2f%%", c, total[c], hits[c], 100*r)
		if r < targetCategoryRecall {
			failures = append(failures, fmt.Sprintf("%s recall %.2f%% < %.0f%%", c, 100*r, 100*targetCategoryRecall))
		}
	}
	overall := float64(detected) / float64(attacks)
	fpRate := float64(hits["benign"]) / float64(total["benign"])
	t.Logf("%-16s %6d %6d %7.2f%%", "OVERALL", attacks, detected, 100*overall)
	t.Logf("%-16s %6d %6d %7.3f%% false positives", "benign", total["benign"], hits["benign"], 100*fpRate)
	if strings.Contains(dump, "misses") {
		for _, m := range misses {
			t.Log(m)
		}
	}
	if strings.Contains(dump, "gates") {
		// attacks that the feature gates hide from a detector that would
		// have caught them
		noGates = true
		for _, it := range items {
			if it.Category == "benign" {
				continue
			}
			if len(d.Scan(nil, it.Payload, Input{})) == 0 {
				continue
			}
			noGates = false
			if len(d.Scan(nil, it.Payload, Input{})) == 0 {
				t.Logf("GATED %-15s %q", it.Category, clip(it.Payload, 160))
			}
			noGates = true
		}
		noGates = false
	}
	if strings.Contains(dump, "fps") {
		for _, m := range fps {
			t.Log(m)
		}
	}
	if overall < targetOverallRecall {
		failures = append(failures, fmt.Sprintf("overall recall %.2f%% < %.0f%%", 100*overall, 100*targetOverallRecall))
	}
	if fpRate > targetBenignFPRate {
		failures = append(failures, fmt.Sprintf("benign false-positive rate %.3f%% > %.1f%%", 100*fpRate, 100*targetBenignFPRate))
	}
	for _, f := range failures {
		t.Error(f)
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
