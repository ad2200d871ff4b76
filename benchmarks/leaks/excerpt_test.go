package leaks

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// excerptCases are attacks sent encoded: the log line and the span event
// show the text as sent (fnguard.excerpt) and the decoded text that matched
// (fnguard.decoded_excerpt).
var excerptCases = []struct {
	name, value, sent, decoded string
}{
	{"percent-encoded", "%27%20OR%201%3D1%20--", "%27%20OR%201%3D1%20--", "' OR 1=1 --"},
	{"HTML entities", "&#39; OR 1=1 --", "&#39; OR 1=1 --", "' OR 1=1 --"},
	{"JSON \\u escapes", `\u0027 OR 1=1 --`, `\u0027 OR 1=1 --`, "' OR 1=1 --"},
	{"full-width", "＇ ＯＲ １＝１ －－", "＇ ＯＲ １＝１ －－", "' OR 1=1 --"},
	{"JSON in a string", `{"note":"\u003cscript\u003ealert(1)"}`, `\u003cscript\u003e`, "<script>"},
	{"AWS key id next to it", "%27%20OR%201%3D1%20--%20AKIAIOSFODNN7EXAMPLE", "%27%20OR%201%3D1%20--%20[REDACTED]", "' OR 1=1 -- [REDACTED]"},
}

func checkExcerpts(t *testing.T, line map[string]any, sr *tracetest.SpanRecorder, sent, decoded string) {
	t.Helper()
	if line["fnguard.excerpt"] != sent || line["fnguard.decoded_excerpt"] != decoded {
		t.Errorf("log line: excerpt %q, decoded_excerpt %q; want %q, %q", line["fnguard.excerpt"], line["fnguard.decoded_excerpt"], sent, decoded)
	}
	spans := sr.Ended()
	if len(spans) == 0 {
		t.Fatal("no span")
	}
	attrs := map[string]string{}
	for _, e := range spans[len(spans)-1].Events() {
		if e.Name == "fnguard.decision" {
			for _, kv := range e.Attributes {
				attrs[string(kv.Key)] = kv.Value.AsString()
			}
		}
	}
	if attrs["fnguard.excerpt"] != sent || attrs["fnguard.decoded_excerpt"] != decoded {
		t.Errorf("span event: excerpt %q, decoded_excerpt %q; want %q, %q", attrs["fnguard.excerpt"], attrs["fnguard.decoded_excerpt"], sent, decoded)
	}
}

// TestDecodedExcerptThroughGuardlambda: API Gateway REST through
// aws-lambda-go's lambda.NewHandler, block and monitor mode.
func TestDecodedExcerptThroughGuardlambda(t *testing.T) {
	t.Setenv("FNGUARD_METRICS", "off")
	for _, mode := range []guard.Mode{guard.Block, guard.Monitor} {
		for _, tc := range excerptCases {
			t.Run(mode.String()+"/"+tc.name, func(t *testing.T) {
				sr := tracetest.NewSpanRecorder()
				tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
				lines := stdoutLines(t, func() {
					g, err := guard.New(guard.WithMode(mode), guard.WithTracerProvider(tp))
					if err != nil {
						t.Fatal(err)
					}
					h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
						return events.APIGatewayProxyResponse{StatusCode: 200}, nil
					}))
					ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
					ctx, span := tp.Tracer("test").Start(ctx, "invoke")
					ev, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders",
						QueryStringParameters: map[string]string{"q": tc.value}, MultiValueQueryStringParameters: map[string][]string{"q": {tc.value}},
						RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r", Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.23"}}})
					out, err := h.Invoke(ctx, ev)
					span.End()
					if err != nil {
						t.Fatal(err)
					}
					blocked := strings.Contains(string(out), `"statusCode":403`)
					if blocked != (mode == guard.Block) {
						t.Fatalf("mode %s: answer %s", mode, out)
					}
				})
				checkExcerpts(t, lines[len(lines)-1], sr, tc.sent, tc.decoded)
			})
		}
	}
}

// TestDecodedExcerptThroughGuardhttp: net/http on 127.0.0.1, the attack in
// the query string (sent percent-encoded once more on the wire).
func TestDecodedExcerptThroughGuardhttp(t *testing.T) {
	t.Setenv("FNGUARD_METRICS", "off")
	for _, tc := range excerptCases {
		t.Run(tc.name, func(t *testing.T) {
			sr := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
			lines := stdoutLines(t, func() {
				g, err := guard.New(guard.WithTracerProvider(tp))
				if err != nil {
					t.Fatal(err)
				}
				inner := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ctx, span := tp.Tracer("test").Start(r.Context(), "http")
					inner.ServeHTTP(w, r.WithContext(ctx))
					span.End()
				}))
				defer srv.Close()
				resp, err := srv.Client().Get(srv.URL + "/orders?q=" + url.QueryEscape(tc.value))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusForbidden {
					t.Fatalf("status %d", resp.StatusCode)
				}
			})
			checkExcerpts(t, lines[len(lines)-1], sr, tc.sent, tc.decoded)
		})
	}
}

// A JSON body whose string carries \u escapes: the JSON parser decodes
// them before the detectors see the string, and the excerpt as sent comes
// from the body itself. Through guardhttp on 127.0.0.1.
func TestDecodedExcerptOfJSONBodyEscapes(t *testing.T) {
	t.Setenv("FNGUARD_METRICS", "off")
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	lines := stdoutLines(t, func() {
		g, err := guard.New(guard.WithTracerProvider(tp))
		if err != nil {
			t.Fatal(err)
		}
		inner := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, span := tp.Tracer("test").Start(r.Context(), "http")
			inner.ServeHTTP(w, r.WithContext(ctx))
			span.End()
		}))
		defer srv.Close()
		resp, err := srv.Client().Post(srv.URL+"/orders", "application/json",
			strings.NewReader(`{"id":7,"comment":"\u0027 OR 1=1 -- \u0041KIAIOSFODNN7EXAMPLE"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	checkExcerpts(t, lines[len(lines)-1], sr, `\u0027 OR 1=1 -- [REDACTED]`, "' OR 1=1 -- [REDACTED]")
}
