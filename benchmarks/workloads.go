package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// NewGuard returns the guard every workload uses: the default blocking
// policy, no environment, no logging cost.
func NewGuard() (*guard.Guard, error) {
	return guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
}

// Workload is one event shape run through the same handler twice: bare (the
// handler as aws-lambda-go or net/http would run it) and wrapped by fnguard.
type Workload struct {
	Name    string
	Bytes   int  // size of the event (Lambda payload or HTTP body)
	Blocked bool // the wrapped side is expected to block (the handler never runs)

	Bare, Wrapped func(b *testing.B)
	// Verify runs each side once and checks that it answers as the
	// workload intends (so a benchmark never silently measures an error path).
	Verify func() error
	// Invoke returns one invocation of a side (bare or wrapped) as a
	// function, for fixed-count runs (instruction counts under callgrind).
	Invoke func(wrapped bool) func()
}

// Order is what the handlers decode from a request body.
type Order struct {
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customer"`
	Items []struct {
		SKU  string `json:"sku"`
		Qty  int    `json:"qty"`
		Note string `json:"note"`
	} `json:"items"`
}

const okBody = `{"ok":true}`

// RESTHandler is a realistic API Gateway REST handler: aws-lambda-go decodes
// the typed event, the handler decodes the JSON body (when there is one) and
// answers with a small JSON document.
func RESTHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if req.Body != "" && strings.HasPrefix(req.Headers["Content-Type"], "application/json") {
		var o Order
		if err := json.Unmarshal([]byte(req.Body), &o); err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400, Body: `{"error":"bad order"}`}, nil
		}
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: okBody}, nil
}

// NestedHandler accepts any JSON body (the nested-document workload).
func NestedHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var v any
	if err := json.Unmarshal([]byte(req.Body), &v); err != nil {
		return events.APIGatewayProxyResponse{StatusCode: 400}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

// HTTPAPIHandler is RESTHandler for the HTTP API (payload 2.0).
func HTTPAPIHandler(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var o Order
	if err := json.Unmarshal([]byte(req.Body), &o); err != nil {
		return events.APIGatewayV2HTTPResponse{StatusCode: 400}, nil
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: okBody}, nil
}

// ALBHandler is RESTHandler for an ALB target.
func ALBHandler(ctx context.Context, req events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	var o Order
	if err := json.Unmarshal([]byte(req.Body), &o); err != nil {
		return events.ALBTargetGroupResponse{StatusCode: 400, StatusDescription: "400 Bad Request"}, nil
	}
	return events.ALBTargetGroupResponse{StatusCode: 200, StatusDescription: "200 OK", Body: okBody}, nil
}

// SQSHandler decodes every message of the batch.
func SQSHandler(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		var o Order
		if err := json.Unmarshal([]byte(m.Body), &o); err != nil {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

// LogsHandler decodes a CloudWatch Logs subscription (base64, gzip, JSON)
// and counts the log events that are JSON documents.
func LogsHandler(ctx context.Context, ev events.CloudwatchLogsEvent) (int, error) {
	d, err := ev.AWSLogs.Parse()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range d.LogEvents {
		if json.Valid([]byte(e.Message)) {
			n++
		}
	}
	return n, nil
}

// HTTPHandler is the net/http handler of the guardhttp workload: decode the
// JSON order, answer a small JSON document.
func HTTPHandler(w http.ResponseWriter, r *http.Request) {
	var o Order
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
		http.Error(w, "bad order", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, okBody)
}

// InvokeContext is the context a Lambda invocation carries.
func InvokeContext(requestID string) context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:fnguard-bench",
	})
}

func runLambda(h lambda.Handler, payload []byte) func(b *testing.B) {
	return func(b *testing.B) {
		ctx := InvokeContext("bench-request-id")
		b.SetBytes(int64(len(payload)))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := h.Invoke(ctx, payload); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// statusOf extracts statusCode from an HTTP-style Lambda response.
func statusOf(out []byte) (int, error) {
	var r struct {
		StatusCode *int `json:"statusCode"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.StatusCode == nil {
		return 0, fmt.Errorf("%w: response %.200q has no statusCode (%v)", ErrUnexpectedAnswer, out, err)
	}
	return *r.StatusCode, nil
}

// lambdaWorkload pairs bare and wrapped on one payload. httpShaped events
// are checked by status; others by comparing the two answers.
func lambdaWorkload(name string, payload []byte, bare, wrapped lambda.Handler, httpShaped, blocked bool) Workload {
	return Workload{
		Name: name, Bytes: len(payload), Blocked: blocked,
		Bare: runLambda(bare, payload), Wrapped: runLambda(wrapped, payload),
		Invoke: func(w bool) func() {
			h := bare
			if w {
				h = wrapped
			}
			ctx := InvokeContext("icount-request-id")
			return func() {
				if _, err := h.Invoke(ctx, payload); err != nil {
					panic("benchmarks: " + name + ": " + err.Error()) // Verify passed: an error here is a bug
				}
			}
		},
		Verify: func() error {
			ctx := InvokeContext("verify-" + name)
			bo, err := bare.Invoke(ctx, payload)
			if err != nil {
				return fmt.Errorf("%s: bare handler: %w", name, err)
			}
			wo, err := wrapped.Invoke(ctx, payload)
			if err != nil {
				return fmt.Errorf("%s: wrapped handler: %w", name, err)
			}
			if !httpShaped {
				if !bytes.Equal(bo, wo) {
					return fmt.Errorf("%w: %s: wrapped answer %.200q differs from bare %.200q", ErrUnexpectedAnswer, name, wo, bo)
				}
				return nil
			}
			bs, err := statusOf(bo)
			if err != nil {
				return fmt.Errorf("%s: bare: %w", name, err)
			}
			ws, err := statusOf(wo)
			if err != nil {
				return fmt.Errorf("%s: wrapped: %w", name, err)
			}
			if bs != 200 {
				return fmt.Errorf("%w: %s: bare handler answered %d, want 200", ErrUnexpectedAnswer, name, bs)
			}
			if want := map[bool]int{false: 200, true: 403}[blocked]; ws != want {
				return fmt.Errorf("%w: %s: wrapped handler answered %d, want %d", ErrUnexpectedAnswer, name, ws, want)
			}
			if !blocked && !bytes.Equal(bo, wo) {
				return fmt.Errorf("%w: %s: wrapped answer %.200q differs from bare %.200q", ErrUnexpectedAnswer, name, wo, bo)
			}
			return nil
		},
	}
}

// Workload names, in report order. The "-plain" workloads run a plain typed
// handler (aws-lambda-go decodes the event, the handler answers 200 without
// reading the body): issue 20's ≤ 1.25× reference. The others' handlers
// decode their JSON body too (the ≤ 1.10× reference).
const (
	WAPIGatewayV1      = "apigw-v1-1kb"
	WAPIGatewayV1Plain = "apigw-v1-1kb-plain"
	WHTTPAPI           = "http-api-v2-1kb"
	WHTTPAPIPlain      = "http-api-v2-1kb-plain"
	WALB               = "alb-1kb"
	WALBPlain          = "alb-1kb-plain"
	WFunctionURL       = "function-url-1kb"
	WFunctionURLPlain  = "function-url-1kb-plain"
	WSQS10             = "sqs-batch-10"
	WSQS10Plain        = "sqs-batch-10-plain"
	WBody256K          = "apigw-v1-body-256kb"
	WBody256KPlain     = "apigw-v1-body-256kb-plain"
	WBody6M            = "apigw-v1-body-6mb"
	WNested60          = "apigw-v1-nested-depth-60"
	WBlocked           = "apigw-v1-1kb-sqli-blocked"
	WGuardHTTPPost     = "guardhttp-json-post-1kb"
	WLogs100           = "cloudwatch-logs-100"
	// The same plain handlers wrapped with guardlambda.WrapHandler around
	// lambda.NewHandler (the raw-payload form): the inner handler decodes
	// the event again.
	WAPIGatewayV1PlainRaw = "apigw-v1-1kb-plain-wraphandler"
	WSQS10PlainRaw        = "sqs-batch-10-plain-wraphandler"
	// The typical REST event with a Cognito-like bearer token
	// (JWTRESTEvent), to a plain handler wrapped both ways.
	WAPIGatewayV1JWTPlain    = "apigw-v1-1kb-jwt-plain"
	WAPIGatewayV1JWTPlainRaw = "apigw-v1-1kb-jwt-plain-wraphandler"
)

// Body sizes of the large-body workloads: binary megabytes, just under the
// 6 MB Lambda/fnguard body limit for the largest.
const (
	Body256K = 256 << 10
	Body6M   = 6<<20 - 64<<10
)

// PlainRESTHandler, PlainHTTPAPIHandler, PlainALBHandler,
// PlainFunctionURLHandler and PlainSQSHandler are plain typed handlers:
// aws-lambda-go decodes the event, the handler answers at once.
func PlainRESTHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

// PlainHTTPAPIHandler: see PlainRESTHandler.
func PlainHTTPAPIHandler(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: okBody}, nil
}

// PlainALBHandler: see PlainRESTHandler.
func PlainALBHandler(ctx context.Context, req events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	return events.ALBTargetGroupResponse{StatusCode: 200, StatusDescription: "200 OK", Body: okBody}, nil
}

// PlainFunctionURLHandler: see PlainRESTHandler.
func PlainFunctionURLHandler(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	return events.LambdaFunctionURLResponse{StatusCode: 200, Body: okBody}, nil
}

// FunctionURLHandler is RESTHandler for a function URL.
func FunctionURLHandler(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	var o Order
	if err := json.Unmarshal([]byte(req.Body), &o); err != nil {
		return events.LambdaFunctionURLResponse{StatusCode: 400}, nil
	}
	return events.LambdaFunctionURLResponse{StatusCode: 200, Body: okBody}, nil
}

// PlainSQSHandler: see PlainRESTHandler (it reports no failure).
func PlainSQSHandler(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return events.SQSEventResponse{}, nil
}

// typedPair returns h bare (lambda.NewHandler, as lambda.Start runs it) and
// wrapped as the README says to wrap a typed handler:
// guardlambda.Wrap(g, h).
func typedPair[TIn, TOut any](h func(context.Context, TIn) (TOut, error)) func(*guard.Guard) (bare, wrapped lambda.Handler) {
	return func(g *guard.Guard) (lambda.Handler, lambda.Handler) {
		return lambda.NewHandler(h), guardlambda.Wrap(g, h)
	}
}

// rawPair returns h bare and wrapped with guardlambda.WrapHandler around
// lambda.NewHandler(h).
func rawPair(h any) func(*guard.Guard) (bare, wrapped lambda.Handler) {
	return func(g *guard.Guard) (lambda.Handler, lambda.Handler) {
		return lambda.NewHandler(h), guardlambda.WrapHandler(g, lambda.NewHandler(h))
	}
}

// workloadSpec builds one workload (payloads are generated only when the
// workload is built: the 6 MB one takes a while).
type workloadSpec struct {
	name  string
	build func(g *guard.Guard) Workload
}

func lambdaSpec(name string, handlers func(*guard.Guard) (lambda.Handler, lambda.Handler), payload func() []byte, httpShaped, blocked bool) workloadSpec {
	return workloadSpec{name, func(g *guard.Guard) Workload {
		b, w := handlers(g)
		return lambdaWorkload(name, payload(), b, w, httpShaped, blocked)
	}}
}

func workloadSpecs() []workloadSpec {
	body := func(n int) func() []byte {
		return func() []byte { return APIGatewayV1(RESTRequest{Body: OrderBody(n)}) }
	}
	typical := func() []byte { return TypicalRESTEvent("") }
	return []workloadSpec{
		lambdaSpec(WAPIGatewayV1, typedPair(RESTHandler), typical, true, false),
		lambdaSpec(WAPIGatewayV1Plain, typedPair(PlainRESTHandler), typical, true, false),
		lambdaSpec(WHTTPAPI, typedPair(HTTPAPIHandler), HTTPAPIEvent, true, false),
		lambdaSpec(WHTTPAPIPlain, typedPair(PlainHTTPAPIHandler), HTTPAPIEvent, true, false),
		lambdaSpec(WALB, typedPair(ALBHandler), ALBEvent, true, false),
		lambdaSpec(WALBPlain, typedPair(PlainALBHandler), ALBEvent, true, false),
		lambdaSpec(WFunctionURL, typedPair(FunctionURLHandler), FunctionURLEvent, true, false),
		lambdaSpec(WFunctionURLPlain, typedPair(PlainFunctionURLHandler), FunctionURLEvent, true, false),
		lambdaSpec(WSQS10, typedPair(SQSHandler), func() []byte { return SQSBatch(10) }, false, false),
		lambdaSpec(WSQS10Plain, typedPair(PlainSQSHandler), func() []byte { return SQSBatch(10) }, false, false),
		lambdaSpec(WBody256K, typedPair(RESTHandler), body(Body256K), true, false),
		lambdaSpec(WBody256KPlain, typedPair(PlainRESTHandler), body(Body256K), true, false),
		lambdaSpec(WBody6M, typedPair(RESTHandler), body(Body6M), true, false),
		lambdaSpec(WNested60, typedPair(NestedHandler), func() []byte { return APIGatewayV1(RESTRequest{Body: NestedBody(60)}) }, true, false),
		lambdaSpec(WBlocked, typedPair(RESTHandler), func() []byte { return TypicalRESTEvent("items' OR '1'='1") }, true, true),
		lambdaSpec(WLogs100, typedPair(LogsHandler), func() []byte { return CloudWatchLogsBatch(100) }, false, false),
		{WGuardHTTPPost, httpWorkload},
		lambdaSpec(WAPIGatewayV1PlainRaw, rawPair(PlainRESTHandler), typical, true, false),
		lambdaSpec(WSQS10PlainRaw, rawPair(PlainSQSHandler), func() []byte { return SQSBatch(10) }, false, false),
		lambdaSpec(WAPIGatewayV1JWTPlain, typedPair(PlainRESTHandler), JWTRESTEvent, true, false),
		lambdaSpec(WAPIGatewayV1JWTPlainRaw, rawPair(PlainRESTHandler), JWTRESTEvent, true, false),
	}
}

// Workloads returns every overhead workload, built with g.
func Workloads(g *guard.Guard) []Workload {
	specs := workloadSpecs()
	ws := make([]Workload, len(specs))
	for i, s := range specs {
		ws[i] = s.build(g)
	}
	return ws
}

// WorkloadNames lists the overhead workloads in report order.
func WorkloadNames() []string {
	specs := workloadSpecs()
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return names
}

// WorkloadByName builds the one workload called name.
func WorkloadByName(g *guard.Guard, name string) (Workload, bool) {
	for _, s := range workloadSpecs() {
		if s.name == name {
			return s.build(g), true
		}
	}
	return Workload{}, false
}

// httpWorkload: guardhttp middleware vs the bare handler, through an
// httptest recorder, for a 1 KB JSON POST.
func httpWorkload(g *guard.Guard) Workload {
	body := OrderBody(1024)
	bare := http.HandlerFunc(HTTPHandler)
	wrapped := guardhttp.Middleware(g)(bare)
	newReq := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "https://shop.example.com/orders/1234?expand=items", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json")
		r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
		r.RemoteAddr = "198.51.100.23:51234"
		return r
	}
	run := func(h http.Handler) func(b *testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, newReq())
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		}
	}
	return Workload{
		Name: WGuardHTTPPost, Bytes: len(body),
		Bare: run(bare), Wrapped: run(wrapped),
		Invoke: func(w bool) func() {
			var h http.Handler = bare
			if w {
				h = wrapped
			}
			return func() { h.ServeHTTP(httptest.NewRecorder(), newReq()) }
		},
		Verify: func() error {
			for side, h := range map[string]http.Handler{"bare": bare, "wrapped": wrapped} {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, newReq())
				if rec.Code != http.StatusOK || rec.Body.String() != okBody {
					return fmt.Errorf("%w: %s %s: status %d body %.200q, want 200 %s", ErrUnexpectedAnswer, WGuardHTTPPost, side, rec.Code, rec.Body, okBody)
				}
			}
			return nil
		},
	}
}

// ScalingSizes are the body sizes of the scaling benchmark.
var ScalingSizes = []struct {
	Name  string
	Bytes int
}{
	{"1kb", 1 << 10}, {"16kb", 16 << 10}, {"256kb", 256 << 10}, {"1mb", 1 << 20}, {"6mb", Body6M},
}

// rawOK is a lambda.Handler that answers at once: the scaling benchmark
// measures fnguard (mapping + Inspect), not the handler's decoding.
type rawOK struct{}

var rawOKResponse = []byte(`{"statusCode":200,"body":"{\"ok\":true}"}`)

func (rawOK) Invoke(context.Context, []byte) ([]byte, error) { return rawOKResponse, nil }

// ScalingWorkload is the engine alone (guardlambda.WrapHandler around a
// handler that does nothing) on an API Gateway event whose JSON body is
// bodyBytes long. b.SetBytes makes the benchmark report MB/s.
func ScalingWorkload(g *guard.Guard, bodyBytes int) (run func(b *testing.B), payload []byte) {
	payload = APIGatewayV1(RESTRequest{Body: OrderBody(bodyBytes)})
	h := guardlambda.WrapHandler(g, rawOK{})
	return runLambda(h, payload), payload
}

// GuardNew benchmarks guard.New with the workloads' options.
func GuardNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewGuard(); err != nil {
			b.Fatal(err)
		}
	}
}

// ScalingInvoke is one invocation of ScalingWorkload's wrapped no-op handler
// on a bodyBytes JSON body, for fixed-count runs.
func ScalingInvoke(g *guard.Guard, bodyBytes int) (invoke func(), payload []byte) {
	payload = APIGatewayV1(RESTRequest{Body: OrderBody(bodyBytes)})
	h := guardlambda.WrapHandler(g, rawOK{})
	ctx := InvokeContext("icount-request-id")
	return func() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			panic("benchmarks: scaling: " + err.Error())
		}
	}, payload
}
