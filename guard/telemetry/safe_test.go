package telemetry

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// panicCore panics in the method named by at.
type panicCore struct {
	zapcore.LevelEnabler
	at string
}

func (c panicCore) With([]zapcore.Field) zapcore.Core { return c }
func (c panicCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.at == "check" {
		panic("check boom")
	}
	return ce.AddCore(e, c)
}
func (c panicCore) Write(zapcore.Entry, []zapcore.Field) error {
	switch c.at {
	case "write":
		panic("write boom")
	case "error":
		return errors.New("disk full")
	}
	return nil
}
func (c panicCore) Sync() error { return nil }

type panicMeterProvider struct{ metricnoop.MeterProvider }
type panicMeter struct{ metricnoop.Meter }
type panicCounter struct{ metricnoop.Int64Counter }

func (panicMeterProvider) Meter(string, ...metric.MeterOption) metric.Meter { return panicMeter{} }
func (panicMeter) Int64Counter(string, ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return panicCounter{}, nil
}
func (panicCounter) Add(context.Context, int64, ...metric.AddOption) { panic("meter boom") }

type recordingTP struct{ tracenoop.TracerProvider } // not the no-op type: spans are on
type panicSpan struct{ tracenoop.Span }

func (panicSpan) IsRecording() bool                     { return true }
func (panicSpan) AddEvent(string, ...trace.EventOption) { panic("span boom") }
func (panicSpan) SpanContext() trace.SpanContext        { return trace.SpanContext{} }

func TestTelemetryFaultsAreContained(t *testing.T) {
	block := &Event{Action: "block", Source: "http", Findings: []Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "query.q", Excerpt: "' OR 1=1", Record: -1}}}
	for _, tc := range []struct {
		name string
		cfg  Config
		ctx  context.Context
	}{
		{"core panics in Check", Config{Logger: zap.New(panicCore{zapcore.DebugLevel, "check"})}, context.Background()},
		{"core panics in Write", Config{Logger: zap.New(panicCore{zapcore.DebugLevel, "write"})}, context.Background()},
		{"core returns an error", Config{Logger: zap.New(panicCore{zapcore.DebugLevel, "error"}, zap.ErrorOutput(zapcore.AddSync(&syncBuffer{})))}, context.Background()},
		{"meter panics", Config{Logger: zap.NewNop(), MeterProvider: panicMeterProvider{}}, context.Background()},
		{"span panics", Config{Logger: zap.NewNop(), TracerProvider: recordingTP{}}, trace.ContextWithSpan(context.Background(), panicSpan{})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rec.Record(tc.ctx, block) // must not panic
			rec.Logger().Warn("adapter line")
			if tc.name != "core returns an error" && rec.Faults() == 0 {
				t.Error("fault not counted")
			}
		})
	}
}

// blockingSink blocks every write until released.
type blockingSink struct {
	release chan struct{}
	mu      sync.Mutex
	lines   []string
}

func (b *blockingSink) Write(p []byte) (int, error) {
	<-b.release
	b.mu.Lock()
	b.lines = append(b.lines, string(p))
	b.mu.Unlock()
	return len(p), nil
}
func (b *blockingSink) Sync() error { return nil }

func TestBlockedSinkCannotHoldAnInvocation(t *testing.T) {
	sink := &blockingSink{release: make(chan struct{})}
	rec, err := New(Config{Logger: newLogger(sink, zapcore.InfoLevel, "svc", nil), MeterProvider: metricnoop.NewMeterProvider(), LogRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	ev := &Event{Action: "block", Source: "http", Findings: []Finding{{Rule: "r", Category: "sqli", Location: "q", Excerpt: "x", Record: -1}}}
	for i := 0; i < 3; i++ {
		// Record must give up on the blocked sink by the write deadline
		// (the invocation's, less the margin) and return while the sink
		// is still blocked. No wall-clock bound is asserted (the machine
		// may be loaded): only that it returns at all, with a generous
		// guard against a hang.
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		done := make(chan struct{})
		go func() {
			rec.Record(ctx, ev)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("Record still held by a blocked sink 30 s after a 150ms deadline")
		}
		cancel()
	}
	t.Run("write deadline", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(defaultWriteWait/2))
		defer cancel()
		dl, _ := ctx.Deadline()
		if got := writeDeadline(ctx); !got.Equal(dl.Add(-writeDeadlineMargin)) {
			t.Errorf("writeDeadline = %v, want the context's deadline %v less %v", got, dl, writeDeadlineMargin)
		}
		if got := writeDeadline(context.Background()); time.Until(got) > defaultWriteWait {
			t.Errorf("writeDeadline without a deadline is %v away, want at most %v", time.Until(got), defaultWriteWait)
		}
	})
	close(sink.release)                          // the sink recovers: the queued lines are written
	deadline := time.Now().Add(30 * time.Second) // a hang guard, not a time bound
	for {
		sink.mu.Lock()
		n := len(sink.lines)
		sink.mu.Unlock()
		if n == 3 || time.Now().After(deadline) {
			if n != 3 {
				t.Errorf("%d of 3 queued lines written after the sink unblocked", n)
			}
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.lines) > 0 && !strings.Contains(sink.lines[0], `"fnguard.action":"block"`) {
		t.Errorf("line = %s", sink.lines[0])
	}
}

func TestHealthySinkWritesSynchronously(t *testing.T) {
	buf := &syncBuffer{}
	rec, err := New(Config{Logger: newLogger(buf, zapcore.InfoLevel, "svc", nil), MeterProvider: metricnoop.NewMeterProvider(), LogRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ { // more than the queue holds
		rec.Record(context.Background(), &Event{Action: "monitor", Source: "http"})
		if got := strings.Count(buf.String(), "\n"); got != i+1 { // written before Record returned
			t.Fatalf("after %d records, %d lines written", i+1, got)
		}
	}
}
