package telemetry_test

import (
	"context"
	"os"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
	"github.com/fnguard/fnguard/guard/telemetry"
)

// stdoutLogger logs JSON without timestamps, so that examples are
// reproducible.
func stdoutLogger() *zap.Logger {
	enc := zapcore.NewJSONEncoder(zapcore.EncoderConfig{MessageKey: "message", LevelKey: "level", EncodeLevel: zapcore.CapitalLevelEncoder})
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(os.Stdout), zapcore.InfoLevel))
}

func ExampleRedactCore() {
	red, err := redact.New(redact.Config{})
	if err != nil {
		panic(err)
	}
	log := zap.New(telemetry.RedactCore(stdoutLogger().Core(), red))
	log.Info("user login with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
		zap.String("user", "bob"),
		zap.String("password", "hunter2"),
		zap.Any("form", map[string]string{"api_key": "k-123", "q": "' OR 1=1--"}))
	// Output:
	// {"level":"INFO","message":"user login with Bearer [REDACTED]","user":"bob","password":"[REDACTED]","form":{"api_key":"[REDACTED]","q":"' OR 1=1--"}}
}

func ExampleRecorder_Record() {
	red, err := redact.New(redact.Config{})
	if err != nil {
		panic(err)
	}
	rec, err := telemetry.New(telemetry.Config{Logger: stdoutLogger(), Redactor: red})
	if err != nil {
		panic(err)
	}
	rec.Record(context.Background(), &telemetry.Event{
		Action: "block", Source: "aws:apigateway:http", RequestID: "c6af9ac6-7b61", FunctionName: "checkout",
		ClientIP: "203.0.113.9", Duration: 180 * time.Microsecond,
		Findings: []telemetry.Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "query.id",
			Excerpt: "1' OR '1'='1", Action: "block", Record: -1}},
	})
	// A plain allow is counted in the metrics but not logged.
	rec.Record(context.Background(), &telemetry.Event{Action: "allow", Source: "aws:apigateway:http"})
	// Output:
	// {"level":"WARN","message":"fnguard blocked request","cold_start":false,"function_name":"checkout","function_request_id":"c6af9ac6-7b61","fnguard.action":"block","fnguard.source":"aws:apigateway:http","client_ip":"203.0.113.9","fnguard.duration_ms":0.18,"fnguard.rule":"sqli.tautology","fnguard.category":"sqli","fnguard.location":"query.id","fnguard.excerpt":"1' OR '1'='1"}
}
