package telemetry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Sync() error { return nil }

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is a Recorder wired to an in-memory log, span recorder and
// metric reader.
type harness struct {
	t      testing.TB
	rec    *Recorder
	logs   *syncBuffer
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
}

func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, logs: &syncBuffer{}, spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	red := cfg.Redactor
	if red == nil {
		var err error
		if red, err = redact.New(redact.Config{}); err != nil {
			t.Fatal(err)
		}
		cfg.Redactor = red
	}
	if cfg.Logger == nil {
		cfg.Logger = newLogger(h.logs, zapcore.DebugLevel, "checkout", red)
	}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	if cfg.TracerProvider == nil {
		cfg.TracerProvider = h.tp
	}
	cfg.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	rec, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec.coldFlag = new(atomic.Bool) // independent of other tests
	h.rec = rec
	return h
}

// record records ev inside a span of the harness's tracer provider.
func (h *harness) record(ev *Event) {
	ctx, span := h.tp.Tracer("test").Start(context.Background(), "invoke")
	h.rec.Record(ctx, ev)
	span.End()
}

func (h *harness) lines() []map[string]any {
	h.t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader([]byte(h.logs.String())))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			h.t.Fatalf("log line is not JSON: %v\n%s", err, sc.Bytes())
		}
		out = append(out, m)
	}
	return out
}

// events returns the attributes of every "fnguard.decision" span event as
// string maps (slices joined by ",").
func (h *harness) events() []map[string]string {
	var out []map[string]string
	for _, s := range h.spans.Ended() {
		for _, e := range s.Events() {
			if e.Name != "fnguard.decision" {
				continue
			}
			m := map[string]string{}
			for _, kv := range e.Attributes {
				m[string(kv.Key)] = kv.Value.String()
			}
			out = append(out, m)
		}
	}
	return out
}

func (h *harness) metrics() metricdata.ResourceMetrics {
	h.t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		h.t.Fatal(err)
	}
	return rm
}

// sum returns the value of counter name for the data point whose
// attributes are exactly want (as key=value).
func (h *harness) sum(name string, want map[string]string) int64 {
	h.t.Helper()
	for _, sm := range h.metrics().ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			data, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				h.t.Fatalf("%s is %T, want Sum[int64]", name, m.Data)
			}
			for _, dp := range data.DataPoints {
				if attrsEqual(dp.Attributes.ToSlice(), want) {
					return dp.Value
				}
			}
		}
	}
	return 0
}

func attrsEqual(kvs []attributeKV, want map[string]string) bool {
	if len(kvs) != len(want) {
		return false
	}
	for _, kv := range kvs {
		if want[string(kv.Key)] != kv.Value.String() {
			return false
		}
	}
	return true
}

// fakeClock is a settable clock for the rate limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type attributeKV = attribute.KeyValue
