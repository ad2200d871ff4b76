package guardlambda_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	_ "github.com/fnguard/fnguard/guard/schema" // links FNGUARD_SCHEMAS
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestSchemaFromEnv configures FNGUARD_SCHEMAS as a deployed function does
// (files relative to LAMBDA_TASK_ROOT) and sends API Gateway REST and HTTP
// API events through aws-lambda-go's own handler: a body that does not match
// the route's schema gets a 400 before the handler runs, and the log names
// the failing field.
func TestSchemaFromEnv(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LAMBDA_TASK_ROOT", wd)
	t.Setenv("FNGUARD_SCHEMAS", "POST /orders=testdata/schemas/order.json")
	core, logs := observer.New(zapcore.DebugLevel)
	g, err := guard.New(guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	rest := func(path, body string) []byte {
		b, err := json.Marshal(events.APIGatewayProxyRequest{
			Resource: path, Path: path, HTTPMethod: "POST", Body: body,
			Headers:        map[string]string{"Content-Type": "application/json"},
			RequestContext: events.APIGatewayProxyRequestContext{ResourcePath: path, HTTPMethod: "POST", Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.7"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	httpAPI := func(path, body string) []byte {
		b, err := json.Marshal(events.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "POST " + path, RawPath: path, Body: body,
			Headers: map[string]string{"content-type": "application/json"},
			RequestContext: events.APIGatewayV2HTTPRequestContext{RouteKey: "POST " + path,
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: path, SourceIP: "198.51.100.7"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, path, body string
		status           int
		loc              string
	}{
		{"conforming", "/orders", `{"items":[{"sku":"AB-12","qty":2,"note":"gift wrap"}]}`, 200, ""},
		{"qty below minimum", "/orders", `{"items":[{"sku":"AB-12","qty":2},{"sku":"CD-34","qty":0}]}`, 400, "body.items[1].qty"},
		{"unknown property", "/orders", `{"items":[{"sku":"AB-12","qty":1}],"admin":true}`, 400, "body.admin"},
		{"other route unvalidated", "/carts", `{"free":"form"}`, 200, ""},
		{"attack still blocked first", "/orders", `{"items":[{"sku":"AB-12","qty":1,"note":"' OR 1=1--"}]}`, 403, "body.items[0].note"},
	}
	for _, shape := range []struct {
		name  string
		event func(path, body string) []byte
	}{{"rest", rest}, {"http-api", httpAPI}} {
		for _, tc := range tests {
			t.Run(shape.name+"/"+tc.name, func(t *testing.T) {
				ran := false
				next := lambda.NewHandler(func(ctx context.Context, ev json.RawMessage) (events.APIGatewayProxyResponse, error) {
					ran = true
					return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok"}, nil
				})
				out, err := guardlambda.WrapHandler(g, next).Invoke(invokeCtx("req-schema"), shape.event(tc.path, tc.body))
				if err != nil {
					t.Fatal(err)
				}
				var resp struct {
					StatusCode int `json:"statusCode"`
				}
				if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != tc.status {
					t.Fatalf("answer %s (%v), want status %d", out, err, tc.status)
				}
				if ran != (tc.status == 200) {
					t.Fatalf("handler ran: %v, status %d", ran, tc.status)
				}
				entries := logs.TakeAll()
				if tc.status != 200 && (len(entries) == 0 || entries[len(entries)-1].ContextMap()["fnguard.location"] != tc.loc) {
					t.Fatalf("log does not locate %s: %+v", tc.loc, entries)
				}
			})
		}
	}
}
