package benchmarks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// Detection targets, checked by TestCorpusScore and the report.
const (
	MinOverallRecall  = 0.97  // all attack items, both placements
	MinCategoryRecall = 0.90  // every attack category, both placements
	MaxBenignFP       = 0.003 // benign events not let through to the handler
)

// Benign is the corpus category of items that must pass.
const Benign = "benign"

// Placements of a corpus payload in an API Gateway REST event.
const (
	PlaceQuery = "query" // GET /search?q=<payload>
	PlaceBody  = "body"  // POST /comments {"comment": <payload>}
)

// Placements lists the placements in report order.
var Placements = []string{PlaceQuery, PlaceBody}

// CorpusItem is one line of dev.jsonl.
type CorpusItem struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Payload  string `json:"payload"`
	Source   string `json:"source"`
}

// FindCorpus locates the dev corpus: $FNGUARD_CORPUS when set (it must
// exist), else ../shared/corpus/dev.jsonl next to the repository root. The
// root is found by walking up from dir through every directory holding a
// go.mod (benchmarks/ is a module of its own inside the repository): the
// first whose ../shared/corpus/dev.jsonl exists wins. It returns ErrNoCorpus
// (wrapped, naming where it looked) when there is none.
func FindCorpus(dir string) (string, error) {
	if p := os.Getenv("FNGUARD_CORPUS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: FNGUARD_CORPUS=%s: %v", ErrNoCorpus, p, err)
		}
		return p, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoCorpus, err)
	}
	var tried []string
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			p := filepath.Clean(filepath.Join(d, "..", "shared", "corpus", "dev.jsonl"))
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			tried = append(tried, p)
		}
		parent := filepath.Dir(d)
		if parent == d {
			if len(tried) == 0 {
				return "", fmt.Errorf("%w: no go.mod above %s (set FNGUARD_CORPUS to its path)", ErrNoCorpus, abs)
			}
			return "", fmt.Errorf("%w: not at %s (set FNGUARD_CORPUS to its path)", ErrNoCorpus, strings.Join(tried, " or "))
		}
		d = parent
	}
}

// LoadCorpus reads a JSON-lines corpus. Every line must be an object with a
// category and a payload; blank lines are skipped.
func LoadCorpus(path string) ([]CorpusItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var items []CorpusItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it CorpusItem
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, &CorpusError{Path: path, Line: n, Err: err}
		}
		if it.Category == "" {
			return nil, &CorpusError{Path: path, Line: n, Err: errors.New(`missing "category"`)}
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, &CorpusError{Path: path, Line: -1, Err: err}
	}
	if len(items) == 0 {
		return nil, &CorpusError{Path: path, Line: 0, Err: errors.New("no items")}
	}
	return items, nil
}

// CorpusEvent returns the API Gateway REST event that carries payload in
// the given placement: the query parameter q of a GET (as API Gateway sends
// it, in queryStringParameters and multiValueQueryStringParameters), or the
// JSON body {"comment": payload} of a POST.
func CorpusEvent(placement, payload string) ([]byte, error) {
	switch placement {
	case PlaceQuery:
		return APIGatewayV1(RESTRequest{Method: "GET", Path: "/search", Query: map[string]string{"q": payload}, ContentType: "-"}), nil
	case PlaceBody:
		body, err := json.Marshal(map[string]string{"comment": payload})
		if err != nil {
			return nil, err
		}
		return APIGatewayV1(RESTRequest{Method: "POST", Path: "/comments", Body: body, ContentType: "application/json"}), nil
	}
	return nil, fmt.Errorf("benchmarks: unknown placement %q (want %q or %q)", placement, PlaceQuery, PlaceBody)
}

// Outcome of one corpus event.
type Outcome int

// Outcomes. Detected means the handler did not run and the answer was 403.
const (
	Passed   Outcome = iota // the handler ran
	Detected                // 403, handler not called
	Rejected                // 400 or 413, handler not called
	Other                   // any other answer without the handler (503, an error...)
)

// Tally counts outcomes.
type Tally struct {
	N, Detected, Rejected, Other, Passed int
}

func (t *Tally) add(o Outcome) {
	t.N++
	switch o {
	case Detected:
		t.Detected++
	case Rejected:
		t.Rejected++
	case Other:
		t.Other++
	default:
		t.Passed++
	}
}

// Stopped is the number of events the handler never saw.
func (t Tally) Stopped() int { return t.Detected + t.Rejected + t.Other }

// Recall is Detected/N (403 only: a 400 is not a detection).
func (t Tally) Recall() float64 {
	if t.N == 0 {
		return 0
	}
	return float64(t.Detected) / float64(t.N)
}

// Score is the result of ScoreCorpus.
type Score struct {
	Items int
	// ByCategory[cat][placement]; benign included.
	ByCategory map[string]map[string]*Tally
	Events     int
	Elapsed    time.Duration // total wall time of the wrapped invocations
	// Misses: examples of attack events that reached the handler, and of
	// benign events that did not (at most a few per category).
	Misses []Miss
}

// Miss is an attack let through or a benign item stopped.
type Miss struct {
	ID, Category, Placement, Payload string
	Outcome                          Outcome
}

// Attack is the tally over every attack category, both placements.
func (s *Score) Attack() Tally {
	var t Tally
	for cat, byPl := range s.ByCategory {
		if cat == Benign {
			continue
		}
		for _, x := range byPl {
			t.N, t.Detected, t.Rejected, t.Other, t.Passed = t.N+x.N, t.Detected+x.Detected, t.Rejected+x.Rejected, t.Other+x.Other, t.Passed+x.Passed
		}
	}
	return t
}

// CategoryRecall is the recall of one category over both placements.
func (s *Score) CategoryRecall(cat string) float64 {
	var n, d int
	for _, x := range s.ByCategory[cat] {
		n, d = n+x.N, d+x.Detected
	}
	if n == 0 {
		return 0
	}
	return float64(d) / float64(n)
}

// BenignFP is the share of benign events the handler never saw.
func (s *Score) BenignFP() float64 {
	var n, st int
	for _, x := range s.ByCategory[Benign] {
		n, st = n+x.N, st+x.Stopped()
	}
	if n == 0 {
		return 0
	}
	return float64(st) / float64(n)
}

// MeanLatency is the mean wall time of one wrapped invocation.
func (s *Score) MeanLatency() time.Duration {
	if s.Events == 0 {
		return 0
	}
	return s.Elapsed / time.Duration(s.Events)
}

// Categories returns the categories in the score, attacks sorted, benign last.
func (s *Score) Categories() []string {
	var cats []string
	for c := range s.ByCategory {
		if c != Benign {
			cats = append(cats, c)
		}
	}
	slices.Sort(cats)
	if _, ok := s.ByCategory[Benign]; ok {
		cats = append(cats, Benign)
	}
	return cats
}

// Failures lists the targets the score misses (empty when all are met).
func (s *Score) Failures() []string {
	var out []string
	if a := s.Attack(); a.Recall() < MinOverallRecall {
		out = append(out, fmt.Sprintf("overall recall %.2f%% < %.2f%%", 100*a.Recall(), 100*MinOverallRecall))
	}
	for _, c := range s.Categories() {
		if c != Benign && s.CategoryRecall(c) < MinCategoryRecall {
			out = append(out, fmt.Sprintf("%s recall %.2f%% < %.2f%%", c, 100*s.CategoryRecall(c), 100*MinCategoryRecall))
		}
	}
	if fp := s.BenignFP(); fp > MaxBenignFP {
		out = append(out, fmt.Sprintf("benign FP %.3f%% > %.3f%%", 100*fp, 100*MaxBenignFP))
	}
	return out
}

type calledKey struct{}

// corpusHandler records that it ran (through a flag in the context) and
// answers 200.
func corpusHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if f, ok := ctx.Value(calledKey{}).(*atomic.Bool); ok {
		f.Store(true)
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

// Classify runs one event through h (a guardlambda-wrapped corpusHandler
// from CorpusHandler) and classifies the result.
func Classify(ctx context.Context, h lambda.Handler, payload []byte) (Outcome, error) {
	var called atomic.Bool
	out, err := h.Invoke(context.WithValue(ctx, calledKey{}, &called), payload)
	if called.Load() {
		return Passed, nil
	}
	if err != nil {
		return Other, nil // a typed fnguard error instead of an HTTP answer
	}
	st, serr := statusOf(out)
	if serr != nil {
		return Other, serr
	}
	switch st {
	case 403:
		return Detected, nil
	case 400, 413:
		return Rejected, nil
	}
	return Other, nil
}

// CorpusHandler is the wrapped handler the corpus score runs through.
func CorpusHandler(g *guard.Guard) lambda.Handler {
	return guardlambda.WrapHandler(g, lambda.NewHandler(corpusHandler))
}

// maxMissExamples bounds Score.Misses per category and placement.
const maxMissExamples = 3

// ScoreCorpus runs every item in both placements through
// guardlambda.WrapHandler(g, ...) and tallies the outcomes.
func ScoreCorpus(ctx context.Context, g *guard.Guard, items []CorpusItem) (*Score, error) {
	h := CorpusHandler(g)
	s := &Score{Items: len(items), ByCategory: map[string]map[string]*Tally{}}
	examples := map[string]int{}
	for i, it := range items {
		byPl := s.ByCategory[it.Category]
		if byPl == nil {
			byPl = map[string]*Tally{}
			for _, p := range Placements {
				byPl[p] = &Tally{}
			}
			s.ByCategory[it.Category] = byPl
		}
		for _, pl := range Placements {
			ev, err := CorpusEvent(pl, it.Payload)
			if err != nil {
				return nil, fmt.Errorf("item %d (%s): %w", i, it.ID, err)
			}
			start := time.Now()
			o, err := Classify(InvokeContext(it.ID), h, ev)
			s.Elapsed += time.Since(start)
			s.Events++
			if err != nil {
				return nil, fmt.Errorf("item %d (%s) in %s: %w", i, it.ID, pl, err)
			}
			byPl[pl].add(o)
			bad := (it.Category == Benign) != (o == Passed)
			if it.Category != Benign && o != Detected {
				bad = true
			}
			if k := it.Category + "/" + pl; bad && examples[k] < maxMissExamples {
				examples[k]++
				s.Misses = append(s.Misses, Miss{ID: it.ID, Category: it.Category, Placement: pl, Payload: it.Payload, Outcome: o})
			}
		}
	}
	return s, nil
}

// WriteTable prints recall per category × placement, the overall figures
// and the targets.
func (s *Score) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "category\titems\tquery 403\tquery 400/413\tbody 403\tbody 400/413\trecall (403)\t")
	for _, c := range s.Categories() {
		q, b := s.ByCategory[c][PlaceQuery], s.ByCategory[c][PlaceBody]
		if c == Benign {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\tFP %.2f%%\t\n", c, q.N, q.Detected, q.Rejected, b.Detected, b.Rejected, 100*s.BenignFP())
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%d\t%.1f%%\t%d\t%.1f%%\t\n", c, q.N, 100*q.Recall(), q.Rejected, 100*b.Recall(), b.Rejected, 100*s.CategoryRecall(c))
	}
	tw.Flush()
	a := s.Attack()
	fmt.Fprintf(w, "\noverall recall %.2f%% (%d/%d attack events answered 403; %d more stopped with 400/413, %d otherwise)\n",
		100*a.Recall(), a.Detected, a.N, a.Rejected, a.Other)
	fmt.Fprintf(w, "benign false positives %.3f%% of %d events\n", 100*s.BenignFP(), benignEvents(s))
	fmt.Fprintf(w, "mean latency per event (wrapped invocation) %s over %d events\n", s.MeanLatency().Round(100*time.Nanosecond), s.Events)
	fmt.Fprintf(w, "targets: overall recall >= %.0f%%, every category >= %.0f%%, benign FP <= %.1f%%\n", 100*MinOverallRecall, 100*MinCategoryRecall, 100*MaxBenignFP)
	if f := s.Failures(); len(f) > 0 {
		fmt.Fprintf(w, "MISSED: %s\n", strings.Join(f, "; "))
	} else {
		fmt.Fprintln(w, "all detection targets met")
	}
	if len(s.Misses) > 0 {
		fmt.Fprintln(w, "\nexamples of misses (attacks that reached the handler or were not answered 403; benign items stopped):")
		for _, m := range s.Misses {
			fmt.Fprintf(w, "  %-16s %-5s %-8s %s %.100q\n", m.Category, m.Placement, m.Outcome, m.ID, m.Payload)
		}
	}
}

func benignEvents(s *Score) int {
	n := 0
	for _, x := range s.ByCategory[Benign] {
		n += x.N
	}
	return n
}

func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Detected:
		return "403"
	case Rejected:
		return "400/413"
	}
	return "other"
}
