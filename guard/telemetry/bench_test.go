package telemetry

import (
	"context"
	"io"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

func benchRecorder(b *testing.B) *Recorder {
	red, err := redact.New(redact.Config{Secrets: []string{awsSecretKey}})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := New(Config{Logger: newLogger(zapcore.AddSync(io.Discard), zapcore.InfoLevel, "bench", red), Redactor: red, LogRate: -1})
	if err != nil {
		b.Fatal(err)
	}
	return rec
}

func BenchmarkRecord(b *testing.B) {
	ctx := context.Background()
	b.Run("allow", func(b *testing.B) {
		rec := benchRecorder(b)
		ev := &Event{Action: "allow", Source: "aws:apigateway:http", RequestID: "c6af9ac6", Duration: 80 * time.Microsecond}
		b.ReportAllocs()
		for b.Loop() {
			rec.Record(ctx, ev)
		}
	})
	b.Run("block", func(b *testing.B) {
		rec := benchRecorder(b)
		ev := &Event{Action: "block", Source: "aws:apigateway:http", RequestID: "c6af9ac6", FunctionName: "checkout",
			ClientIP: "203.0.113.9", Duration: 180 * time.Microsecond,
			Findings: []Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "query.id", Excerpt: "1' OR '1'='1", Action: "block", Record: -1}}}
		b.ReportAllocs()
		for b.Loop() {
			rec.Record(ctx, ev)
		}
	})
}

func BenchmarkRedactCore(b *testing.B) {
	log := zap.New(RedactCore(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel), nil))
	b.ReportAllocs()
	for b.Loop() {
		log.Info("order placed", zap.String("order", "A-1234"), zap.String("authorization", "Bearer x"), zap.Int("qty", 2))
	}
}
