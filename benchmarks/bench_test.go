package benchmarks_test

import (
	"testing"

	"github.com/fnguard/fnguard/benchmarks"
)

// BenchmarkOverhead runs every workload bare and wrapped, in one go test
// invocation, so the ratios compare numbers taken on the same machine state:
//
//	go test -run '^$' -bench Overhead -benchmem -count 5 ./benchmarks/
func BenchmarkOverhead(b *testing.B) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range benchmarks.Workloads(g) {
		if err := w.Verify(); err != nil {
			b.Fatal(err)
		}
		b.Run(w.Name+"/bare", w.Bare)
		b.Run(w.Name+"/wrapped", w.Wrapped)
	}
}

// BenchmarkScaling is the engine through guardlambda.WrapHandler (around a
// handler that does nothing) for growing bodies; MB/s should stay flat.
func BenchmarkScaling(b *testing.B) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchmarks.ScalingSizes {
		run, _ := benchmarks.ScalingWorkload(g, s.Bytes)
		b.Run(s.Name, run)
	}
}

// BenchmarkGuardNew is the cost of guard.New (paid once per cold start).
func BenchmarkGuardNew(b *testing.B) { benchmarks.GuardNew(b) }

// BenchmarkDecoding runs the bodies fnguard parses as what they are
// (GraphQL, namespaced XML, gzip JSON) bare and wrapped:
//
//	go test -run '^$' -bench Decoding -benchmem -count 5 ./benchmarks/
func BenchmarkDecoding(b *testing.B) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range benchmarks.DecodingWorkloads(g) {
		if err := w.Verify(); err != nil {
			b.Fatal(err)
		}
		b.Run(w.Name+"/bare", w.Bare)
		b.Run(w.Name+"/wrapped", w.Wrapped)
	}
}
