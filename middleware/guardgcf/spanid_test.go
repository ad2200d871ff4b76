package guardgcf_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

const (
	spanIDKey = "logging.googleapis.com/spanId"
	traceKey  = "logging.googleapis.com/trace"
)

// On Cloud Functions and Cloud Run the decision line names the caller's
// span as Cloud Logging expects it: spanId is 16 hex digits, so the
// decimal span id of X-Cloud-Trace-Context is converted; traceparent's
// parent id is taken as is. Through guardgcf.HTTP served on 127.0.0.1.
func TestGoogleSpanIDFromTraceHeaders(t *testing.T) {
	t.Setenv("K_SERVICE", "orders-api")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "shop-prod")
	const tid = "4bf92f3577b34da6a3ce929d0e0e4736"
	for _, tc := range []struct {
		name, cloud, traceparent string
		wantTrace, wantSpan      string // "" = key absent
	}{
		{"X-Cloud-Trace-Context, decimal span id", tid + "/8173449934617812345;o=1", "", tid, "716ded6926559d79"},
		{"X-Cloud-Trace-Context, small span id padded", tid + "/1;o=1", "", tid, "0000000000000001"},
		{"X-Cloud-Trace-Context, largest span id", tid + "/18446744073709551615;o=0", "", tid, "ffffffffffffffff"},
		{"X-Cloud-Trace-Context without options", tid + "/42", "", tid, "000000000000002a"},
		{"X-Cloud-Trace-Context, zero span id", tid + "/0;o=1", "", tid, ""},
		{"X-Cloud-Trace-Context, span id over 64 bits", tid + "/18446744073709551616;o=1", "", tid, ""},
		{"X-Cloud-Trace-Context, hex span id is not decimal", tid + "/00f067aa0ba902b7;o=1", "", tid, ""},
		{"X-Cloud-Trace-Context without span id", tid, "", tid, ""},
		{"traceparent", "", "00-" + tid + "-00F067AA0BA902B7-01", tid, "00f067aa0ba902b7"},
		{"traceparent, zero parent id", "", "00-" + tid + "-0000000000000000-01", tid, ""},
		{"both: X-Cloud-Trace-Context gave the trace, its span is taken", tid + "/1;o=1", "00-" + tid + "-00f067aa0ba902b7-01", tid, "0000000000000001"},
		{"both, different traces: the span of the trace logged", "0af7651916cd43dd8448eb211c80319c/7;o=1", "00-" + tid + "-00f067aa0ba902b7-01", "0af7651916cd43dd8448eb211c80319c", "0000000000000007"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, logs := newGuard(t)
			srv := httptest.NewServer(http.HandlerFunc(guardgcf.HTTP(g, func(w http.ResponseWriter, r *http.Request) {})))
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/orders?q="+url.QueryEscape("' OR 1=1 --"), nil)
			if tc.cloud != "" {
				req.Header.Set("X-Cloud-Trace-Context", tc.cloud)
			}
			if tc.traceparent != "" {
				req.Header.Set("Traceparent", tc.traceparent)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || logs.Len() != 1 {
				t.Fatalf("status %d, %d log lines", resp.StatusCode, logs.Len())
			}
			m := logs.All()[0].ContextMap()
			if got := m[traceKey]; got != "projects/shop-prod/traces/"+tc.wantTrace {
				t.Errorf("%s = %v", traceKey, got)
			}
			got, ok := m[spanIDKey]
			if tc.wantSpan == "" && ok || tc.wantSpan != "" && got != tc.wantSpan {
				t.Errorf("%s = %v (present %v), want %q", spanIDKey, got, ok, tc.wantSpan)
			}
		})
	}
}

// A CloudEvent's traceparent extension names the span the same way.
func TestGoogleSpanIDFromCloudEventTraceparent(t *testing.T) {
	t.Setenv("K_SERVICE", "orders-fn")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "shop-prod")
	g, logs := newGuard(t)
	fn := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { return nil })
	e := pubsubEvent(`<script>alert(1)</script>`, nil)
	e.SetExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err := fn(t.Context(), e); !errors.Is(err, guard.ErrBlocked) {
		t.Fatalf("err = %v", err)
	}
	m := logs.All()[0].ContextMap()
	if m[traceKey] != "projects/shop-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736" || m[spanIDKey] != "00f067aa0ba902b7" {
		t.Errorf("trace %v, spanId %v", m[traceKey], m[spanIDKey])
	}
}
