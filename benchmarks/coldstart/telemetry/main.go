// Command telemetry is the reference binary of the cold-start comparison:
// the same shop handler as benchmarks/coldstart/plain, with what fnguard's
// telemetry is built on (a zap JSON logger, an OTel meter with one counter
// and a tracer, through the OTel API only) and nothing of fnguard. The
// difference between it and plain is the share of fnguard's cold-start cost
// that comes from those two libraries:
//
//	go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bootstrap ./benchmarks/coldstart/telemetry
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/benchmarks/coldstart/shop"
)

func main() {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	log := zap.New(zapcore.NewCore(enc, zapcore.Lock(os.Stdout), zapcore.InfoLevel)).With(zap.String("service", "shop"))
	invocations, err := otel.GetMeterProvider().Meter("shop").Int64Counter("shop.invocations", metric.WithUnit("{invocation}"))
	if err != nil {
		log.Fatal("counter", zap.Error(err))
	}
	tracer := otel.GetTracerProvider().Tracer("shop")
	lambda.Start(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		ctx, span := tracer.Start(ctx, "shop")
		defer span.End()
		invocations.Add(ctx, 1)
		return shop.Handle(ctx, req)
	})
}
