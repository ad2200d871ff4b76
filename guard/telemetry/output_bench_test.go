package telemetry

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func benchEvent() *Event {
	return &Event{Action: "block", Source: "aws:apigateway:rest", RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
		TraceID: "Root=1-5759e988-bd862e3fe1be46a994272793", Duration: 40 * time.Microsecond,
		Findings: []Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "query.q", Excerpt: "' OR 1=1 --", Record: -1}}}
}

// BenchmarkRecordOutput is the cost of recording one blocked invocation,
// by output: the zap decision line alone, plus the EMF line, and the
// decision line through slog (WithSlog) instead of zap.
func BenchmarkRecordOutput(b *testing.B) {
	discard := zapcore.AddSync(io.Discard)
	for _, bc := range []struct {
		name string
		cfg  Config
	}{
		{"zap", Config{Logger: newLogger(discard, zapcore.InfoLevel, "orders", nil), Metrics: MetricsOff}},
		{"zap+emf", Config{Logger: newLogger(discard, zapcore.InfoLevel, "orders", nil), Metrics: MetricsEMF, EMFOutput: discard}},
		{"slog", Config{Logger: zap.New(SlogCore(slog.New(slog.NewJSONHandler(io.Discard, nil)), nil)), Metrics: MetricsOff}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.cfg.LogRate = -1
			bc.cfg.TracerProvider = noop.NewTracerProvider()
			bc.cfg.MeterProvider = metricnoop.NewMeterProvider()
			rec, err := New(bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			ev := benchEvent()
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rec.Record(ctx, ev)
			}
		})
	}
}
