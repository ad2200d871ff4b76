package leaks

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// blockedLambdaInvoke runs one blocked API Gateway invocation through
// guardlambda and aws-lambda-go's lambda.NewHandler, with the Lambda context
// and X-Ray header the runtime sets.
func blockedLambdaInvoke(t *testing.T, g *guard.Guard) {
	t.Helper()
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
	out, err := h.Invoke(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"statusCode":403`)) {
		t.Fatalf("not blocked: %s", out)
	}
}

// The decision line written through guard.WithSlog carries the same
// fields as the zap line for the same blocked invocation through
// guardlambda: the Powertools context (cold_start, function_name,
// function_memory_size, function_arn, function_request_id, xray_trace_id,
// service) and every fnguard.* key. Only the keys slog's JSON handler
// names itself differ (msg/time for message/timestamp).
func TestSlogLineHasTheZapLineFields(t *testing.T) {
	t.Setenv("POWERTOOLS_SERVICE_NAME", "orders")
	t.Setenv("FNGUARD_METRICS", "off")
	// What aws-lambda-go's lambdacontext reads from the environment at
	// start-up on Lambda.
	name, mem := lambdacontext.FunctionName, lambdacontext.MemoryLimitInMB
	lambdacontext.FunctionName, lambdacontext.MemoryLimitInMB = "orders", 512
	t.Cleanup(func() { lambdacontext.FunctionName, lambdacontext.MemoryLimitInMB = name, mem })
	lines := stdoutLines(t, func() {
		g, err := guard.New()
		if err != nil {
			t.Fatal(err)
		}
		blockedLambdaInvoke(t, g)
	})
	zapLine := lines[len(lines)-1]

	var buf bytes.Buffer
	g, err := guard.New(guard.WithSlog(slog.New(slog.NewJSONHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	blockedLambdaInvoke(t, g)
	var slogLine map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &slogLine); err != nil {
		t.Fatalf("slog line: %v: %q", err, buf.String())
	}
	t.Logf("slog line: %s", buf.String())
	rename := map[string]string{"message": "msg", "timestamp": "time"}
	var missing []string
	for k := range zapLine {
		if _, ok := slogLine[k]; !ok {
			if _, ok := slogLine[rename[k]]; !ok {
				missing = append(missing, k)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("the slog line lacks %v", missing)
	}
	for _, k := range []string{"function_request_id", "xray_trace_id", "function_arn", "function_name", "function_memory_size", "service", "fnguard.rule", "fnguard.excerpt"} {
		if zapLine[k] == nil || slogLine[k] != zapLine[k] {
			t.Errorf("%s: zap %v, slog %v", k, zapLine[k], slogLine[k])
		}
	}
	if _, ok := slogLine["cold_start"].(bool); !ok {
		t.Errorf("cold_start = %#v in the slog line", slogLine["cold_start"])
	}
}
