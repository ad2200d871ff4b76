package guardlambda

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
)

// testGuard builds a guard that ignores the environment and logs into an
// observer, without rate limiting.
func testGuard(t testing.TB, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	base := []guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0)}
	g, err := guard.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("guard.New: %v", err)
	}
	return g, logs
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lambdaCtx is the context aws-lambda-go gives a handler: request id,
// function ARN and the X-Ray trace id.
func lambdaCtx(reqID string) context.Context {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID:       reqID,
		InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders",
	})
	//lint:ignore SA1029 aws-lambda-go's own key (lambda/invoke_loop.go) is this string
	return context.WithValue(ctx, "x-amzn-trace-id", "Root=1-65a1b2c3-0123456789abcdef01234567;Sampled=1")
}
