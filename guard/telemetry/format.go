package telemetry

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Format is the schema of the log lines a Recorder writes with its own
// logger ([Config.Format]).
type Format string

// The log formats.
const (
	// FormatAuto is FormatGoogle when K_SERVICE is set (Cloud Functions,
	// Cloud Run), FormatPowertools otherwise.
	FormatAuto Format = ""
	// FormatPowertools is the schema of AWS Lambda Powertools' logger:
	// level (INFO, WARN, ERROR), message, timestamp, service, cold_start,
	// function_name, function_memory_size, function_arn,
	// function_request_id and xray_trace_id (the Root trace id only).
	FormatPowertools Format = "powertools"
	// FormatGoogle is Google Cloud's structured logging: severity
	// (INFO, WARNING, ERROR...), message, timestamp,
	// logging.googleapis.com/trace (projects/<project>/traces/<id>),
	// logging.googleapis.com/spanId and logging.googleapis.com/labels
	// with the service.
	FormatGoogle Format = "google"
)

func resolveFormat(f Format) Format {
	if f == FormatAuto {
		if os.Getenv("K_SERVICE") != "" {
			return FormatGoogle
		}
		return FormatPowertools
	}
	return f
}

// googleSeverity encodes zap levels as Cloud Logging severities.
func googleSeverity(l zapcore.Level, enc zapcore.PrimitiveArrayEncoder) {
	switch l {
	case zapcore.DebugLevel:
		enc.AppendString("DEBUG")
	case zapcore.InfoLevel:
		enc.AppendString("INFO")
	case zapcore.WarnLevel:
		enc.AppendString("WARNING")
	case zapcore.ErrorLevel:
		enc.AppendString("ERROR")
	case zapcore.DPanicLevel, zapcore.PanicLevel:
		enc.AppendString("CRITICAL")
	case zapcore.FatalLevel:
		enc.AppendString("ALERT")
	default:
		enc.AppendString("DEFAULT")
	}
}

// googleProject is the project of Cloud Logging trace names, from the
// environment only (no metadata server call at cold start).
func googleProject() string {
	for _, k := range []string{"GOOGLE_CLOUD_PROJECT", "GCP_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// xrayRoot returns the Root trace id of an X-Ray trace header
// ("Root=1-65a1b2c3-...;Parent=...;Sampled=1" -> "1-65a1b2c3-..."), the
// id itself when it already is one, or "".
func xrayRoot(h string) string {
	if strings.HasPrefix(h, "1-") && !strings.ContainsAny(h, ";=") {
		return h
	}
	for part := range strings.SplitSeq(h, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Root="); ok && strings.HasPrefix(v, "1-") {
			return v
		}
	}
	return ""
}

// isHexID reports a W3C or Cloud trace id: 32 hex digits.
func isHexID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// contextFields appends the platform's correlation keys of a decision line.
func (r *Recorder) contextFields(ctx context.Context, out []zap.Field, ev *Event) []zap.Field {
	sc := trace.SpanContextFromContext(ctx)
	switch r.format {
	case FormatGoogle:
		id := ev.TraceID
		if !isHexID(id) && sc.IsValid() {
			id = sc.TraceID().String()
		}
		if isHexID(id) {
			if p := r.project; p != "" {
				out = append(out, zap.String("logging.googleapis.com/trace", "projects/"+p+"/traces/"+strings.ToLower(id)))
			} else {
				out = append(out, zap.String("trace_id", strings.ToLower(id)))
			}
			// The active span is the most precise; else the caller's span
			// from the header that gave the trace id.
			if sc.IsValid() && sc.TraceID().String() == strings.ToLower(id) {
				out = append(out, zap.String("logging.googleapis.com/spanId", sc.SpanID().String()))
			} else if isSpanHex(ev.SpanID) && strings.EqualFold(id, ev.TraceID) {
				out = append(out, zap.String("logging.googleapis.com/spanId", strings.ToLower(ev.SpanID)))
			}
		}
		return out
	}
	if mem := lambdacontext.MemoryLimitInMB; mem > 0 {
		out = append(out, zap.Int("function_memory_size", mem))
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.InvokedFunctionArn != "" {
		out = append(out, zap.String("function_arn", r.text(lc.InvokedFunctionArn)))
	}
	if root := xrayRoot(ev.TraceID); root != "" {
		out = append(out, zap.String("xray_trace_id", r.text(root)))
	}
	if sc.IsValid() {
		out = append(out, zap.String("trace_id", sc.TraceID().String()), zap.String("span_id", sc.SpanID().String()))
	}
	return out
}

// isSpanHex reports a span id as Cloud Logging wants it: 16 hex digits,
// not all zero.
func isSpanHex(s string) bool {
	if len(s) != 16 || s == "0000000000000000" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
