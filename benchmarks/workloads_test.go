package benchmarks_test

import (
	"encoding/json"
	"testing"

	"github.com/fnguard/fnguard/benchmarks"
)

// TestWorkloads checks that every benchmark measures the path it claims:
// benign events reach the handler and get its exact answer, the malicious
// one is blocked with 403.
func TestWorkloads(t *testing.T) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range benchmarks.Workloads(g) {
		t.Run(w.Name, func(t *testing.T) {
			if w.Bytes <= 0 {
				t.Fatalf("workload has no payload (Bytes=%d)", w.Bytes)
			}
			if err := w.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestGeneratedEvents(t *testing.T) {
	tests := []struct {
		name     string
		payload  []byte
		min, max int
	}{
		{"typical REST event is about 1 KB", benchmarks.TypicalRESTEvent(""), 900, 1400},
		{"HTTP API event is about 1 KB", benchmarks.HTTPAPIEvent(), 900, 1400},
		{"ALB event is about 1 KB", benchmarks.ALBEvent(), 600, 1400},
		{"256 KB body", benchmarks.OrderBody(benchmarks.Body256K), benchmarks.Body256K - 1024, benchmarks.Body256K},
		{"6 MB body stays under the 6 MiB limit", benchmarks.OrderBody(benchmarks.Body6M), benchmarks.Body6M - 1024, benchmarks.Body6M},
		{"1 KB body", benchmarks.OrderBody(1024), 700, 1024},
		{"REST event with a bearer token", benchmarks.JWTRESTEvent(), 3000, 4000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := len(tc.payload); n < tc.min || n > tc.max {
				t.Errorf("%d bytes, want %d..%d", n, tc.min, tc.max)
			}
			if !json.Valid(tc.payload) {
				t.Errorf("not valid JSON: %.200q", tc.payload)
			}
		})
	}
	t.Run("deterministic", func(t *testing.T) {
		first, second := benchmarks.SQSBatch(10), benchmarks.SQSBatch(10)
		if string(first) != string(second) {
			t.Error("two SQSBatch(10) calls differ")
		}
	})
	t.Run("nesting depth", func(t *testing.T) {
		var v any
		if err := json.Unmarshal(benchmarks.NestedBody(60), &v); err != nil {
			t.Fatal(err)
		}
		depth := 0
		for m, ok := v.(map[string]any); ok; m, ok = m["children"].(map[string]any) {
			depth++
		}
		if depth != 60 {
			t.Errorf("depth %d, want 60", depth)
		}
	})
}
