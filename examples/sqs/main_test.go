package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// recordingSink remembers what the handler saved.
type recordingSink struct {
	mu    sync.Mutex
	saved []string // message ids
	fail  map[string]error
}

func (s *recordingSink) Save(_ context.Context, messageID string, _ Order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail[messageID]; err != nil {
		return err
	}
	s.saved = append(s.saved, messageID)
	return nil
}

// harness is the protected function with everything observable.
type harness struct {
	sink    *recordingSink
	errLog  *bytes.Buffer
	logs    *observer.ObservedLogs
	batches [][]string // message ids of each batch the handler received
}

func newHarness(t testing.TB, wrap func(*guard.Guard, func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) lambda.Handler) (*harness, lambda.Handler) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.New(core)))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{sink: &recordingSink{}, errLog: &bytes.Buffer{}, logs: logs}
	p := &processor{sink: h.sink, log: log.New(h.errLog, "", 0)}
	handle := func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var ids []string
		for _, m := range ev.Records {
			ids = append(ids, m.MessageId)
		}
		h.batches = append(h.batches, ids)
		return p.handle(ctx, ev)
	}
	return h, wrap(g, handle)
}

var wrappers = []struct {
	name string
	wrap func(*guard.Guard, func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) lambda.Handler
}{
	{"Wrap", func(g *guard.Guard, h func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) lambda.Handler {
		return guardlambda.Wrap(g, h)
	}},
	{"WrapHandler(lambda.NewHandler)", func(g *guard.Guard, h func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) lambda.Handler {
		return guardlambda.WrapHandler(g, lambda.NewHandler(h))
	}},
}

func readBatch(t testing.TB, name string) events.SQSEvent {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var ev events.SQSEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

func encode(t testing.TB, ev events.SQSEvent) []byte {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func invokeCtx(id string) context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID: id, InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer"})
}

func TestPoisonedMessages(t *testing.T) {
	batch := readBatch(t, "batch.json")
	mixed := readBatch(t, "batch_mixed.json")
	id := func(ev events.SQSEvent, i int) string { return ev.Records[i].MessageId }
	only := func(ev events.SQSEvent, keep ...int) events.SQSEvent {
		var out events.SQSEvent
		for _, i := range keep {
			out.Records = append(out.Records, ev.Records[i])
		}
		return out
	}
	tests := []struct {
		name         string
		payload      []byte
		wantBatches  [][]string // what the handler received (nil: never called)
		wantFailures []string   // batchItemFailures, any order
		wantFindings []finding
		wantErrLog   string // substring of the handler's own error log
	}{
		{
			name:         "batch.json: 3 clean + 1 poisoned",
			payload:      encode(t, batch),
			wantBatches:  [][]string{{id(batch, 0), id(batch, 1), id(batch, 3)}},
			wantFailures: []string{id(batch, 2)},
			wantFindings: []finding{{"sqli", "records[2].body.customer"}},
		},
		{
			name:         "raw fixture bytes, as SQS sends them",
			payload:      mustRead(t, "testdata/batch.json"),
			wantBatches:  [][]string{{id(batch, 0), id(batch, 1), id(batch, 3)}},
			wantFailures: []string{id(batch, 2)},
			wantFindings: []finding{{"sqli", "records[2].body.customer"}},
		},
		{
			name:         "handler failures are merged with fnguard's",
			payload:      encode(t, mixed),
			wantBatches:  [][]string{{id(mixed, 0), id(mixed, 2)}},
			wantFailures: []string{id(mixed, 1), id(mixed, 2)},
			wantFindings: []finding{{"xss", "records[1].body.note"}},
			wantErrLog:   "message " + id(mixed, 2) + ": qty: want 1 to 100, got 0",
		},
		{
			name:         "only poisoned messages: the handler is not called",
			payload:      encode(t, only(batch, 2)),
			wantBatches:  nil,
			wantFailures: []string{id(batch, 2)},
			wantFindings: []finding{{"sqli", "records[0].body.customer"}},
		},
		{
			name:        "clean batch: everything processed, nothing logged",
			payload:     encode(t, only(batch, 0, 1, 3)),
			wantBatches: [][]string{{id(batch, 0), id(batch, 1), id(batch, 3)}},
		},
	}
	for _, w := range wrappers {
		for _, tt := range tests {
			t.Run(w.name+"/"+tt.name, func(t *testing.T) {
				h, fn := newHarness(t, w.wrap)
				out, err := fn.Invoke(invokeCtx("sqs-test"), tt.payload)
				if err != nil {
					t.Fatalf("Invoke: %v (a poisoned message must not fail the whole batch)", err)
				}
				var resp events.SQSEventResponse
				if err := json.Unmarshal(out, &resp); err != nil {
					t.Fatalf("response %s: %v", out, err)
				}
				var failures []string
				for _, f := range resp.BatchItemFailures {
					failures = append(failures, f.ItemIdentifier)
				}
				slices.Sort(failures)
				want := slices.Sorted(slices.Values(tt.wantFailures))
				if !slices.Equal(failures, want) {
					t.Errorf("batchItemFailures %v, want %v (response %s)", failures, want, out)
				}
				if !slices.EqualFunc(h.batches, tt.wantBatches, slices.Equal) {
					t.Errorf("handler received %v, want %v", h.batches, tt.wantBatches)
				}
				var wantSaved []string
				for _, b := range tt.wantBatches {
					for _, id := range b {
						if !slices.Contains(tt.wantFailures, id) {
							wantSaved = append(wantSaved, id)
						}
					}
				}
				if !slices.Equal(h.sink.saved, wantSaved) {
					t.Errorf("saved %v, want %v", h.sink.saved, wantSaved)
				}
				if tt.wantErrLog != "" && !strings.Contains(h.errLog.String(), tt.wantErrLog) {
					t.Errorf("handler log %q lacks %q", h.errLog.String(), tt.wantErrLog)
				}

				// fnguard's log: one line for the batch, naming each poisoned record.
				var got []finding
				for _, e := range h.logs.All() {
					m := e.ContextMap()
					if _, ok := m["fnguard.action"]; !ok {
						continue
					}
					got = append(got, loggedFindings(m)...)
				}
				for _, f := range tt.wantFindings {
					if !slices.Contains(got, finding{f.category, f.location}) {
						t.Errorf("fnguard did not log %s at %s; logged %v", f.category, f.location, got)
					}
				}
				if len(tt.wantFindings) == 0 && len(got) != 0 {
					t.Errorf("fnguard logged findings for a clean batch: %v", got)
				}
			})
		}
	}
}

// finding is a finding as fnguard logged it.
type finding struct{ category, location string }

// loggedFindings extracts the findings of one fnguard log entry: the
// top-level fields, and fnguard.findings when there are several.
func loggedFindings(m map[string]any) []finding {
	var out []finding
	if c, ok := m["fnguard.category"].(string); ok {
		l, _ := m["fnguard.location"].(string)
		out = append(out, finding{c, l})
	}
	b, err := json.Marshal(m["fnguard.findings"])
	if err != nil {
		return out
	}
	var list []map[string]any
	if json.Unmarshal(b, &list) != nil {
		return out
	}
	for _, f := range list {
		c, _ := f["category"].(string)
		l, _ := f["location"].(string)
		out = append(out, finding{c, l})
	}
	return out
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNilGuard: with a nil guard (guard.New's error ignored) no message may
// be processed unprotected; the whole batch fails and SQS keeps it.
func TestNilGuard(t *testing.T) {
	for _, w := range wrappers {
		t.Run(w.name, func(t *testing.T) {
			called := false
			fn := w.wrap(nil, func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
				called = true
				return events.SQSEventResponse{}, nil
			})
			_, err := fn.Invoke(invokeCtx("nil-guard"), mustRead(t, "testdata/batch.json"))
			if !errors.Is(err, guard.ErrNoGuard) {
				t.Errorf("error %v, want one wrapping guard.ErrNoGuard", err)
			}
			if called {
				t.Error("the handler ran with a nil guard")
			}
		})
	}
}

// TestSinkFailure: a message the sink cannot save is reported, the others
// are not affected.
func TestSinkFailure(t *testing.T) {
	batch := readBatch(t, "batch.json")
	clean := events.SQSEvent{Records: []events.SQSMessage{batch.Records[0], batch.Records[3]}}
	var errLog bytes.Buffer
	s := &recordingSink{fail: map[string]error{batch.Records[3].MessageId: errors.New("table orders: throttled")}}
	p := &processor{sink: s, log: log.New(&errLog, "", 0)}
	resp, err := p.handle(context.Background(), clean)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != batch.Records[3].MessageId {
		t.Errorf("failures %+v", resp.BatchItemFailures)
	}
	if !slices.Equal(s.saved, []string{batch.Records[0].MessageId}) {
		t.Errorf("saved %v", s.saved)
	}
	if !strings.Contains(errLog.String(), "saving order o-1004: table orders: throttled") {
		t.Errorf("error log %q", errLog.String())
	}
}

func TestParseOrder(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{"valid", `{"orderId":"o-1","customer":"Ada","sku":"MUG-02","qty":2,"note":"gift"}`, ""},
		{"not JSON", `orderId=o-1`, "body: not an order"},
		{"unknown field", `{"orderId":"o-1","customer":"Ada","sku":"MUG-02","qty":2,"price":0}`, `body: not an order: json: unknown field "price"`},
		{"trailing data", `{"orderId":"o-1","customer":"Ada","sku":"MUG-02","qty":2} {}`, "body: trailing data"},
		{"bad order id", `{"orderId":"1; rm -rf /","customer":"Ada","sku":"MUG-02","qty":2}`, `orderId: "1; rm -rf /" is not an order id`},
		{"blank customer", `{"orderId":"o-1","customer":" ","sku":"MUG-02","qty":2}`, "customer: want 1 to 100 characters"},
		{"bad sku", `{"orderId":"o-1","customer":"Ada","sku":"mug","qty":2}`, `sku: "mug" is not a SKU`},
		{"qty too big", `{"orderId":"o-1","customer":"Ada","sku":"MUG-02","qty":101}`, "qty: want 1 to 100, got 101"},
		{"long note", `{"orderId":"o-1","customer":"Ada","sku":"MUG-02","qty":1,"note":"` + strings.Repeat("x", 501) + `"}`, "note: longer than 500 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOrder(tt.body)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseOrder: any body is either a valid order or an error naming what
// is wrong; never a panic.
func FuzzParseOrder(f *testing.F) {
	for _, name := range []string{"batch.json", "batch_mixed.json"} {
		for _, m := range readBatch(f, name).Records {
			f.Add(m.Body)
		}
	}
	f.Add(`{"orderId":"o-1","qty":1e309}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		o, err := parseOrder(body)
		if err != nil {
			if o != (Order{}) {
				t.Fatalf("error %v with a non-zero order %+v", err, o)
			}
			return
		}
		if !orderIDPattern.MatchString(o.OrderID) || !skuPattern.MatchString(o.SKU) || o.Qty < 1 || o.Qty > 100 || strings.TrimSpace(o.Customer) == "" {
			t.Fatalf("invalid order accepted: %+v", o)
		}
	})
}

// discardSink accepts everything, for benchmarks.
type discardSink struct{}

func (discardSink) Save(context.Context, string, Order) error { return nil }

// BenchmarkBatch compares the bare handler (through aws-lambda-go's own
// decoding) with the fnguard-protected one.
func BenchmarkBatch(b *testing.B) {
	core, _ := observer.New(zapcore.ErrorLevel)
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.New(core)))
	if err != nil {
		b.Fatal(err)
	}
	p := &processor{sink: discardSink{}, log: log.New(io.Discard, "", 0)}
	batch := readBatch(b, "batch.json")
	clean := encode(b, events.SQSEvent{Records: []events.SQSMessage{batch.Records[0], batch.Records[1], batch.Records[3]}})
	poisoned := mustRead(b, "testdata/batch.json")
	ctx := invokeCtx("bench")
	for _, bc := range []struct {
		name    string
		h       lambda.Handler
		payload []byte
	}{
		{"bare/clean-3", lambda.NewHandler(p.handle), clean},
		{"fnguard/clean-3", guardlambda.Wrap(g, p.handle), clean},
		{"fnguard/poisoned-1-of-4", guardlambda.Wrap(g, p.handle), poisoned},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.payload)))
			for b.Loop() {
				if _, err := bc.h.Invoke(ctx, bc.payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
