package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Flusher is what the tracer and meter providers of the OpenTelemetry SDK
// have in common: ForceFlush exports what they hold.
type Flusher interface {
	ForceFlush(ctx context.Context) error
}

// maxFlush bounds the time spent flushing after an invocation.
const maxFlush = 2 * time.Second

// Traced returns a handler that runs every invocation of h inside a server
// span of tp, the child of the invocation's X-Ray trace, and then flushes
// every flusher (typically the tracer and meter providers) before
// returning, so that Lambda cannot freeze the environment with spans or
// metrics still buffered.
func Traced(h lambda.Handler, tp trace.TracerProvider, flushers ...Flusher) lambda.Handler {
	return &traced{h: h, tracer: tp.Tracer("github.com/fnguard/fnguard/examples/tracing"), flushers: flushers}
}

type traced struct {
	h        lambda.Handler
	tracer   trace.Tracer
	flushers []Flusher
}

func (t *traced) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if sc, ok := XRayParent(traceHeader(ctx)); ok {
		ctx = trace.ContextWithRemoteSpanContext(ctx, sc)
	}
	name := lambdacontext.FunctionName
	if name == "" {
		name = "invoke"
	}
	attrs := []attribute.KeyValue{attribute.String("faas.trigger", "http"), attribute.String("cloud.provider", "aws")}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		attrs = append(attrs, attribute.String("faas.invocation_id", lc.AwsRequestID), attribute.String("cloud.resource_id", lc.InvokedFunctionArn))
	}
	ctx, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
	out, err := t.h.Invoke(ctx, payload)
	if err != nil {
		// The error text is not copied: a handler's own error may carry
		// data fnguard has not redacted.
		span.SetStatus(codes.Error, "invocation failed")
	}
	span.End()
	t.flush(ctx)
	return out, err
}

// flush flushes every flusher, within maxFlush and the invocation's
// deadline (less 100 ms for the runtime to send the response), even when
// ctx was cancelled.
func (t *traced) flush(ctx context.Context) {
	limit := maxFlush
	if dl, ok := ctx.Deadline(); ok {
		limit = min(limit, max(time.Until(dl)-100*time.Millisecond, 10*time.Millisecond))
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
	defer cancel()
	var errs []error
	for _, f := range t.flushers {
		errs = append(errs, f.ForceFlush(fctx))
	}
	if err := errors.Join(errs...); err != nil {
		// Telemetry must not fail the invocation: report on stderr.
		_, _ = os.Stderr.WriteString("tracing: flush: " + err.Error() + "\n")
	}
}

// traceHeaderKey is the context key aws-lambda-go stores the X-Ray trace
// header under (lambda/invoke_loop.go).
const traceHeaderKey = "x-amzn-trace-id"

// traceHeader returns the invocation's X-Ray trace header: from the
// context, else from _X_AMZN_TRACE_ID.
func traceHeader(ctx context.Context) string {
	if h, ok := ctx.Value(traceHeaderKey).(string); ok && h != "" {
		return h
	}
	return os.Getenv("_X_AMZN_TRACE_ID")
}

// XRayParent parses an X-Ray trace header
// ("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
// into the remote span context it names. It reports false when the Root or
// Parent is missing or malformed.
func XRayParent(h string) (trace.SpanContext, bool) {
	var root, parent string
	sampled := false
	for _, part := range strings.Split(h, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Root":
			root = v
		case "Parent":
			parent = v
		case "Sampled":
			sampled = v == "1"
		}
	}
	// Root is "1-" + 8 hex digits (epoch seconds) + "-" + 24 hex digits.
	if len(root) != 35 || root[:2] != "1-" || root[10] != '-' {
		return trace.SpanContext{}, false
	}
	tid, err := trace.TraceIDFromHex(root[2:10] + root[11:])
	if err != nil {
		return trace.SpanContext{}, false
	}
	sid, err := trace.SpanIDFromHex(parent)
	if err != nil {
		return trace.SpanContext{}, false
	}
	var flags trace.TraceFlags
	if sampled {
		flags = trace.FlagsSampled
	}
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: flags, Remote: true}), true
}
