package leaks

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// stdoutLines runs fn with os.Stdout redirected (guard.New inside fn binds
// it) and returns the lines written.
func stdoutLines(t *testing.T, fn func()) []map[string]any {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	fn()
	os.Stdout = old
	b, _ := os.ReadFile(f.Name())
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		t.Logf("line: %s", l)
		out = append(out, m)
	}
	return out
}

// The decision line through guardlambda and aws-lambda-go's handler has
// exactly the keys of the Powertools schema, with the Root trace id only.
func TestPowertoolsSchemaThroughGuardlambda(t *testing.T) {
	t.Setenv("POWERTOOLS_SERVICE_NAME", "orders")
	t.Setenv("AWS_LAMBDA_LOG_LEVEL", "INFO")
	t.Setenv("FNGUARD_METRICS", "off")
	lines := stdoutLines(t, func() {
		g, err := guard.New()
		if err != nil {
			t.Fatal(err)
		}
		h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200}, nil
		}))
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders"})
		//lint:ignore SA1029 aws-lambda-go's own key (lambda/invoke_loop.go)
		ctx = context.WithValue(ctx, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
		q := "' OR 1=1 --"
		ev, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders", QueryStringParameters: map[string]string{"q": q},
			MultiValueQueryStringParameters: map[string][]string{"q": {q}}, RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r", Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.23"}}})
		if _, err := h.Invoke(ctx, ev); err != nil {
			t.Fatal(err)
		}
	})
	l := lines[len(lines)-1]
	for k, want := range map[string]any{"level": "WARN", "message": "fnguard blocked request", "service": "orders",
		"function_arn": "arn:aws:lambda:eu-west-1:123456789012:function:orders", "function_request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
		"xray_trace_id": "1-5759e988-bd862e3fe1be46a994272793", "cold_start": l["cold_start"]} {
		if l[k] != want {
			t.Errorf("%s = %#v, want %#v", k, l[k], want)
		}
	}
	if _, ok := l["timestamp"].(string); !ok {
		t.Error("no timestamp")
	}
	for _, k := range []string{"severity", "location", "msg", "logging.googleapis.com/trace"} {
		if _, ok := l[k]; ok {
			t.Errorf("unexpected key %s", k)
		}
	}
}

// With AWS_LAMBDA_LOG_LEVEL=ERROR (advanced logging controls), WARN
// decision lines are not written.
func TestLambdaLogLevelHonoured(t *testing.T) {
	t.Setenv("AWS_LAMBDA_LOG_LEVEL", "ERROR")
	t.Setenv("FNGUARD_METRICS", "off")
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	g, err := guard.New()
	os.Stdout = old
	if err != nil {
		t.Fatal(err)
	}
	g.Inspect(context.Background(), &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "q", Value: "' OR 1=1 --"}}})
	if b, _ := os.ReadFile(f.Name()); len(b) != 0 {
		t.Errorf("WARN line written under AWS_LAMBDA_LOG_LEVEL=ERROR: %s", b)
	}
	t.Setenv("POWERTOOLS_LOG_LEVEL", "LOUD")
	if _, err := guard.New(); err == nil || !strings.Contains(err.Error(), "POWERTOOLS_LOG_LEVEL") {
		t.Errorf("bad POWERTOOLS_LOG_LEVEL: %v", err)
	}
}

// On Cloud Run / Cloud Functions (K_SERVICE set) the line follows Google
// Cloud's structured logging, through guardhttp on 127.0.0.1.
func TestGoogleCloudSchemaThroughGuardhttp(t *testing.T) {
	t.Setenv("K_SERVICE", "orders-api")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "shop-prod")
	t.Setenv("FNGUARD_METRICS", "off")
	lines := stdoutLines(t, func() {
		g, err := guard.New()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL+"/orders?q="+url.QueryEscape("' OR 1=1 --"), nil)
		req.Header.Set("X-Cloud-Trace-Context", "4bf92f3577b34da6a3ce929d0e0e4736/8173449934617812345;o=1")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	l := lines[len(lines)-1]
	for k, want := range map[string]any{"severity": "WARNING", "message": "fnguard blocked request",
		"logging.googleapis.com/trace": "projects/shop-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736"} {
		if l[k] != want {
			t.Errorf("%s = %#v, want %#v", k, l[k], want)
		}
	}
	if labels, _ := l["logging.googleapis.com/labels"].(map[string]any); labels["service"] != "orders-api" {
		t.Errorf("labels = %v", l["logging.googleapis.com/labels"])
	}
	for _, k := range []string{"level", "xray_trace_id", "function_arn"} {
		if _, ok := l[k]; ok {
			t.Errorf("unexpected key %s", k)
		}
	}
}
