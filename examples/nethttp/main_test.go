package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

func TestFnguardEventOnServerSpan(t *testing.T) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(g, otelhttp.WithTracerProvider(tp))

	tests := []struct {
		name       string
		method     string
		target     string
		body       string
		wantStatus int
		wantAction string // fnguard.action on the span event; "" = no block event expected
	}{
		{"benign search", "GET", "/products?q=blue+shoes", "", 200, ""},
		{"benign order", "POST", "/orders", `{"sku":"BK-1029","qty":1,"customer":"O'Brien"}`, 201, ""},
		{"SQLi blocked", "GET", "/products?q=%27%20OR%201%3D1--", "", 403, "block"},
		{"XSS blocked", "POST", "/orders", `{"sku":"<script>alert(1)</script>","qty":1}`, 403, "block"},
		{"traversal blocked", "GET", "/files/..%2f..%2fetc%2fpasswd", "", 403, "block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr.Reset()
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body.String())
			}
			spans := sr.Ended()
			if len(spans) != 1 || spans[0].SpanKind() != trace.SpanKindServer {
				t.Fatalf("want exactly one ended server span, got %d", len(spans))
			}
			span := spans[0]
			action := ""
			for _, ev := range span.Events() {
				if ev.Name != "fnguard.decision" {
					continue
				}
				for _, kv := range ev.Attributes {
					if kv.Key == attribute.Key("fnguard.action") {
						action = kv.Value.AsString()
					}
				}
			}
			if tt.wantAction != "" && action != tt.wantAction {
				t.Fatalf("server span %q has fnguard.action %q, want %q; events %+v", span.Name(), action, tt.wantAction, span.Events())
			}
			if tt.wantAction == "" && (action == "block" || action == "reject") {
				t.Fatalf("benign request recorded as %q", action)
			}
			if tt.wantAction != "" {
				if code := statusAttr(span); code != int64(tt.wantStatus) {
					t.Fatalf("span http status %d, want %d", code, tt.wantStatus)
				}
			}
		})
	}
}

// statusAttr returns the HTTP response status recorded on a server span.
func statusAttr(s sdktrace.ReadOnlySpan) int64 {
	for _, kv := range s.Attributes() {
		if kv.Key == "http.response.status_code" || kv.Key == "http.status_code" {
			return kv.Value.AsInt64()
		}
	}
	return 0
}
