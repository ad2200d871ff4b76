package benchmarks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// BenchmarkBlockedOutput is the cost of fnguard's output for one blocked
// API Gateway invocation through guardlambda and aws-lambda-go's
// lambda.NewHandler, by output; subtract "none" (the decision line below
// the log level, no metrics) for the cost of an output alone. Run it with
//
//	go test -run '^$' -bench BlockedOutput -benchmem ./benchmarks/
//
// The outputs:
//
//   - zap: the Powertools JSON line (the default logger; stdout is /dev/null);
//   - zap+emf: that line and the CloudWatch EMF line (FNGUARD_METRICS=emf);
//   - slog: the line through guard.WithSlog (a slog JSON handler), no EMF.
func BenchmarkBlockedOutput(b *testing.B) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	old := os.Stdout
	os.Stdout = null // the default logger and EMF bind stdout at guard.New
	defer func() { os.Stdout = old }()

	q := "' OR 1=1 --"
	ev, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders", Resource: "/orders",
		QueryStringParameters: map[string]string{"q": q}, MultiValueQueryStringParameters: map[string][]string{"q": {q}},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r", Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.23"}}})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
		InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders"})
	//lint:ignore SA1029 aws-lambda-go's own key (lambda/invoke_loop.go)
	ctx = context.WithValue(ctx, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")

	for _, bc := range []struct {
		name, metrics, level string
		opts                 []guard.Option
	}{
		{"none", "off", "error", nil},
		{"zap", "off", "info", nil},
		{"zap+emf", "emf", "info", nil},
		{"slog", "off", "info", []guard.Option{guard.WithSlog(slog.New(slog.NewJSONHandler(io.Discard, nil)))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.Setenv("AWS_LAMBDA_FUNCTION_NAME", "orders") // on Lambda: EMF by default
			b.Setenv("FNGUARD_METRICS", bc.metrics)
			b.Setenv("FNGUARD_LOG_LEVEL", bc.level)
			b.Setenv("FNGUARD_LOG_RATE", "-1") // every line written, not rate-limited
			g, err := guard.New(bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			h := guardlambda.WrapHandler(g, lambda.NewHandler(func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{StatusCode: 200}, nil
			}))
			if out, err := h.Invoke(ctx, ev); err != nil || !bytes.Contains(out, []byte(`"statusCode":403`)) {
				b.Fatalf("not blocked: %s %v", out, err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_, _ = h.Invoke(ctx, ev)
			}
		})
	}
}
