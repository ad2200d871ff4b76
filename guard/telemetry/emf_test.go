package telemetry

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.uber.org/zap"
)

// validateEMF checks a line against the required structure of the
// CloudWatch Embedded Metric Format specification: a root "_aws" object
// with an integer Timestamp (ms) and a CloudWatchMetrics array of metric
// directives, each with a Namespace string, Dimensions (an array of arrays
// of at most 30 strings) and Metrics (objects with a Name, an optional
// Unit among the CloudWatch units); every dimension is a top-level string
// member and every metric a top-level number.
func validateEMF(t *testing.T, line string) map[string]any {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal([]byte(line), &root); err != nil {
		t.Fatalf("not JSON: %v: %s", err, line)
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		t.Fatalf("no _aws object: %s", line)
	}
	ts, ok := aws["Timestamp"].(float64)
	if !ok || ts != float64(int64(ts)) || ts < 1e12 {
		t.Errorf("Timestamp %v is not epoch milliseconds", aws["Timestamp"])
	}
	dirs, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(dirs) == 0 {
		t.Fatalf("CloudWatchMetrics missing or empty: %s", line)
	}
	units := map[string]bool{"Seconds": true, "Microseconds": true, "Milliseconds": true, "Bytes": true, "Count": true, "None": true}
	for _, d := range dirs {
		dir := d.(map[string]any)
		if ns, ok := dir["Namespace"].(string); !ok || ns == "" || len(ns) > 255 {
			t.Errorf("Namespace = %v", dir["Namespace"])
		}
		dims, ok := dir["Dimensions"].([]any)
		if !ok {
			t.Fatalf("Dimensions is not an array: %v", dir["Dimensions"])
		}
		for _, set := range dims {
			names, ok := set.([]any)
			if !ok || len(names) > 30 {
				t.Fatalf("dimension set %v", set)
			}
			for _, n := range names {
				if v, ok := root[n.(string)].(string); !ok || v == "" {
					t.Errorf("dimension %v has no top-level string value", n)
				}
			}
		}
		ms, ok := dir["Metrics"].([]any)
		if !ok || len(ms) == 0 || len(ms) > 100 {
			t.Fatalf("Metrics = %v", dir["Metrics"])
		}
		for _, m := range ms {
			md := m.(map[string]any)
			name, ok := md["Name"].(string)
			if !ok || name == "" {
				t.Fatalf("metric without a Name: %v", md)
			}
			if u, ok := md["Unit"]; ok && !units[u.(string)] {
				t.Errorf("metric %s unit %v", name, u)
			}
			if _, ok := root[name].(float64); !ok {
				t.Errorf("metric %s has no top-level number", name)
			}
		}
	}
	return root
}

func TestEMFLineFollowsTheSpecification(t *testing.T) {
	t.Setenv("POWERTOOLS_METRICS_NAMESPACE", "shop/security")
	out := &syncBuffer{}
	rec, err := New(Config{Logger: zap.NewNop(), Metrics: MetricsEMF, Service: "orders", EMFOutput: out})
	if err != nil {
		t.Fatal(err)
	}
	rec.now = func() time.Time { return time.UnixMilli(1733496000123) }
	rec.Record(context.Background(), &Event{Action: "allow", Source: "aws:sqs"}) // clean: no line
	if out.String() != "" {
		t.Fatalf("clean traffic wrote EMF: %s", out.String())
	}
	rec.Record(context.Background(), &Event{Action: "block", Source: "aws:sqs", RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", Duration: 1500 * time.Microsecond,
		Findings: []Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "records[1].body", Record: 1}, {Rule: "xss.script_tag", Category: "xss", Record: 1}}})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines for one invocation with findings", len(lines))
	}
	root := validateEMF(t, lines[0])
	dir := root["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"service": "orders", "action": "block", "category": "sqli", "source": "aws:sqs",
		"Decisions": 1.0, "Findings": 2.0, "InspectionTime": 1.5, "function_request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"} {
		if root[k] != want {
			t.Errorf("%s = %v, want %v", k, root[k], want)
		}
	}
	if dir["Namespace"] != "shop/security" || root["_aws"].(map[string]any)["Timestamp"] != 1733496000123.0 {
		t.Errorf("namespace/timestamp: %s", lines[0])
	}
	t.Logf("EMF line: %s", lines[0])
}

func TestMetricsAutoResolution(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "")
	for _, tc := range []struct {
		name   string
		cfg    Config
		lambda bool
		want   Metrics
	}{
		{"nothing installed, not Lambda", Config{}, false, MetricsOff},
		{"nothing installed, on Lambda", Config{}, true, MetricsEMF},
		{"provider given", Config{MeterProvider: sdkmetric.NewMeterProvider()}, true, MetricsOTel},
		{"explicit emf", Config{Metrics: MetricsEMF, MeterProvider: sdkmetric.NewMeterProvider()}, false, MetricsEMF},
		{"explicit off", Config{Metrics: MetricsOff}, true, MetricsOff},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.lambda {
				t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "orders")
			}
			tc.cfg.Logger = zap.NewNop()
			rec, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.MetricsDestination(); got != tc.want {
				t.Errorf("destination = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("global provider installed after New", func(t *testing.T) {
		t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "orders")
		rec, err := New(Config{Logger: zap.NewNop()})
		if err != nil {
			t.Fatal(err)
		}
		prev := otel.GetMeterProvider()
		otel.SetMeterProvider(sdkmetric.NewMeterProvider())
		defer otel.SetMeterProvider(prev)
		if got := rec.MetricsDestination(); got != MetricsOTel {
			t.Errorf("destination = %s, want otel", got)
		}
	})
	if _, err := New(Config{Metrics: "statsd"}); err == nil {
		t.Error("Metrics statsd accepted")
	}
}
