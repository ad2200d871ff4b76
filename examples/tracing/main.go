package main

import (
	"context"
	"log"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// handle is the application: it answers an order lookup.
func handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK, Body: `{"order":"` + req.QueryStringParameters["id"] + `"}`,
		Headers: map[string]string{"Content-Type": "application/json"}}, nil
}

// newHandler wires fnguard and the tracing wrapper around handle with the
// given providers.
func newHandler(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider, opts ...guard.Option) (lambda.Handler, error) {
	g, err := guard.New(append([]guard.Option{guard.WithTracerProvider(tp), guard.WithMeterProvider(mp)}, opts...)...)
	if err != nil {
		return nil, err
	}
	return Traced(guardlambda.WrapHandler(g, lambda.NewHandler(handle)), tp, tp, mp), nil
}

func main() {
	spans, err := stdouttrace.New()
	if err != nil {
		log.Fatal(err)
	}
	metrics, err := stdoutmetric.New()
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)))
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	h, err := newHandler(tp, mp)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h)
}
