// Command tracing is an AWS Lambda function protected by fnguard whose
// invocations are traced with OpenTelemetry: one server span per
// invocation, a child of the X-Ray trace Lambda started, carrying
// fnguard's "fnguard.decision" event; fnguard's log lines carry the span's
// trace_id and span_id; and the spans and metrics are flushed before the
// invocation returns, so nothing is lost when Lambda freezes the
// execution environment.
//
// The wrapping order is
//
//	Traced(guardlambda.WrapHandler(g, lambda.NewHandler(handle)), tp, tp, mp)
//
// Traced (tracing.go) starts the span before fnguard inspects the event, so
// that fnguard's decision, even a block, is recorded on it, and calls
// ForceFlush on the tracer and meter providers after the handler (or
// fnguard's refusal) returns. The parent is read from the X-Ray trace
// header aws-lambda-go puts in the context ("x-amzn-trace-id") and in
// _X_AMZN_TRACE_ID: Root=1-5759e988-bd862e3fe1be46a994272793 becomes the
// trace id 5759e988bd862e3fe1be46a994272793, Parent the parent span id,
// Sampled=1 the sampled flag (with the SDK's default parent-based sampler,
// Sampled=0 means no span is recorded, and fnguard's span event with it).
//
// This is what the contrib package otellambda does; it is not used here
// because its only release matching this module's OpenTelemetry v1.46.0
// pins was not available from the module proxy (see README, Tracing).
// With otellambda, wrap the same way (otellambda.InstrumentHandler around
// the guarded handler, with otellambda.WithFlusher) and the span and log
// fields are the same.
//
// The providers use the stdout exporters: on Lambda, stdout goes to
// CloudWatch Logs. Replace them with an OTLP exporter to a collector
// (the ADOT Lambda layer) in production. The batch span processor is
// kept: ForceFlush drains it at the end of every invocation.
//
// Build for Lambda (runtime provided.al2023):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -o examples/tracing/build/bootstrap ./examples/tracing
package main
