package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard"
)

// memMetrics is a metric exporter keeping the names of the metrics it was
// given.
type memMetrics struct {
	mu    sync.Mutex
	names map[string]bool
}

func (m *memMetrics) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}
func (m *memMetrics) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}
func (m *memMetrics) Export(_ context.Context, rm *metricdata.ResourceMetrics) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, sm := range rm.ScopeMetrics {
		for _, x := range sm.Metrics {
			m.names[x.Name] = true
		}
	}
	return nil
}
func (m *memMetrics) ForceFlush(context.Context) error { return nil }
func (m *memMetrics) Shutdown(context.Context) error   { return nil }
func (m *memMetrics) has(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.names[name]
}

type rig struct {
	spans   *tracetest.InMemoryExporter
	metrics *memMetrics
	logs    *bytes.Buffer
	tp      *sdktrace.TracerProvider
	mp      *sdkmetric.MeterProvider
}

// newRig builds providers that export only when flushed: a batch span
// processor and a periodic metric reader with hour-long periods.
func newRig(t *testing.T) *rig {
	t.Setenv("FNGUARD_METRICS", "otel")
	r := &rig{spans: tracetest.NewInMemoryExporter(), metrics: &memMetrics{names: map[string]bool{}}, logs: &bytes.Buffer{}}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(r.spans, sdktrace.WithBatchTimeout(time.Hour), sdktrace.WithMaxExportBatchSize(1<<10)))
	r.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(r.metrics, sdkmetric.WithInterval(time.Hour))))
	t.Cleanup(func() {
		_ = r.tp.Shutdown(context.Background())
		_ = r.mp.Shutdown(context.Background())
	})
	return r
}

func (r *rig) logger() guard.Option {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	return guard.WithLogger(zap.New(zapcore.NewCore(enc, zapcore.AddSync(r.logs), zap.DebugLevel)))
}

const xrayHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

func invokeCtx(id string) context.Context {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: id,
		InvokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders"})
	//lint:ignore SA1029 aws-lambda-go's own key is a plain string
	return context.WithValue(ctx, traceHeaderKey, xrayHeader)
}

func event(id string) []byte {
	b, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders", Resource: "/orders",
		QueryStringParameters: map[string]string{"id": id}, MultiValueQueryStringParameters: map[string][]string{"id": {id}},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r-" + id, Identity: events.APIGatewayRequestIdentity{SourceIP: "198.51.100.7"}}})
	return b
}

// TestTracedInvocations: through aws-lambda-go's lambda.NewHandler, a
// blocked and a clean invocation each leave one span in the exporter as
// soon as they return (ForceFlush), the child of the X-Ray trace, with
// fnguard's decision event; fnguard's log line carries the span's ids; the
// metrics were exported too.
func TestTracedInvocations(t *testing.T) {
	r := newRig(t)
	h, err := newHandler(r.tp, r.mp, r.logger())
	if err != nil {
		t.Fatal(err)
	}

	out, err := h.Invoke(invokeCtx("req-1"), event("' OR 1=1 --"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"statusCode":403`) {
		t.Fatalf("attack not blocked: %s", out)
	}
	spans := r.spans.GetSpans()
	if len(spans) != 1 {
		t.Fatalf("%d spans exported after the blocked invocation returned, want 1", len(spans))
	}
	s := spans[0]
	if got := s.SpanContext.TraceID().String(); got != "5759e988bd862e3fe1be46a994272793" {
		t.Errorf("trace id %s, want the X-Ray Root's", got)
	}
	if got := s.Parent.SpanID().String(); got != "53995c3f42cd8ad8" || !s.Parent.IsRemote() {
		t.Errorf("parent %s (remote %v), want the X-Ray Parent", got, s.Parent.IsRemote())
	}
	var action string
	for _, e := range s.Events {
		if e.Name == "fnguard.decision" {
			for _, kv := range e.Attributes {
				if kv.Key == "fnguard.action" {
					action = kv.Value.AsString()
				}
			}
		}
	}
	if action != "block" {
		t.Errorf("span events %+v: no fnguard.decision with fnguard.action=block", s.Events)
	}
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(r.logs.Bytes()), &line); err != nil {
		t.Fatalf("log: %v: %s", err, r.logs)
	}
	if line["trace_id"] != s.SpanContext.TraceID().String() || line["span_id"] != s.SpanContext.SpanID().String() {
		t.Errorf("log line trace_id %v span_id %v, want the span's %s %s", line["trace_id"], line["span_id"], s.SpanContext.TraceID(), s.SpanContext.SpanID())
	}
	if !r.metrics.has("fnguard.decisions") {
		t.Error("fnguard.decisions not exported after the invocation returned")
	}

	out, err = h.Invoke(invokeCtx("req-2"), event("A-1001"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"statusCode":200`) {
		t.Fatalf("clean request refused: %s", out)
	}
	if n := len(r.spans.GetSpans()); n != 2 {
		t.Errorf("%d spans exported after the clean invocation returned, want 2", n)
	}
}

// TestWithoutFlushSpansWait shows why Traced flushes: without flushers,
// the batch processor still holds the span when the invocation returns —
// what Lambda would freeze.
func TestWithoutFlushSpansWait(t *testing.T) {
	r := newRig(t)
	h, err := newHandler(r.tp, r.mp, r.logger())
	if err != nil {
		t.Fatal(err)
	}
	unflushed := Traced(h.(*traced).h, r.tp)
	if _, err := unflushed.Invoke(invokeCtx("req-1"), event("' OR 1=1 --")); err != nil {
		t.Fatal(err)
	}
	if n := len(r.spans.GetSpans()); n != 0 {
		t.Fatalf("%d spans exported without a flush (the batch timeout is an hour)", n)
	}
	if err := r.tp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(r.spans.GetSpans()); n != 1 {
		t.Fatalf("%d spans after ForceFlush, want 1", n)
	}
}

// The X-Ray header also comes from _X_AMZN_TRACE_ID when the context has
// none (aws-lambda-go sets both).
func TestTraceHeaderFromEnvironment(t *testing.T) {
	t.Setenv("_X_AMZN_TRACE_ID", "Root=1-66f0a2b1-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1")
	r := newRig(t)
	h, err := newHandler(r.tp, r.mp, r.logger())
	if err != nil {
		t.Fatal(err)
	}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-3"})
	if _, err := h.Invoke(ctx, event("A-1")); err != nil {
		t.Fatal(err)
	}
	spans := r.spans.GetSpans()
	if len(spans) != 1 || spans[0].SpanContext.TraceID().String() != "66f0a2b10123456789abcdef01234567" || spans[0].Parent.SpanID().String() != "1111111111111111" {
		t.Fatalf("spans %+v", spans)
	}
}

func TestXRayParent(t *testing.T) {
	for _, tc := range []struct {
		h       string
		ok      bool
		sampled bool
	}{
		{xrayHeader, true, true},
		{"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", true, false},
		{"Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793", true, false},
		{"Root=1-5759e988-bd862e3fe1be46a994272793", false, false},                         // no parent
		{"Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8", false, false}, // unknown version
		{"Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8", false, false}, // not hex
		{"Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8", false, false}, // zero trace id
		{"", false, false},
	} {
		t.Run(tc.h, func(t *testing.T) {
			sc, ok := XRayParent(tc.h)
			if ok != tc.ok || ok && sc.IsSampled() != tc.sampled {
				t.Errorf("XRayParent(%q) = %v, %v (sampled %v)", tc.h, sc, ok, sc.IsSampled())
			}
		})
	}
}
