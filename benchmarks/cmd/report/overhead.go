package main

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"text/tabwriter"

	"github.com/fnguard/fnguard/benchmarks"
)

// Targets of the overhead report.
const (
	maxTypicalRatio  = 1.25 // typical 1 KB API Gateway event
	maxTypicalAllocs = 5    // extra allocations per typical event (issue 20: ≤ +5)
	maxSQSRatio      = 1.25 // SQS batch of 10
	max256KRatio     = 1.5  // 256 KB JSON body
	maxLinearSpread  = 1.5  // ns/byte at 6 MB over ns/byte at 256 KB
	maxMemPerPayload = 2.0  // extra B/op over payload bytes at 6 MB
)

// sample is the median of several testing.BenchmarkResults.
type sample struct {
	ns, bytes, allocs float64
}

func median(rs []testing.BenchmarkResult) sample {
	pick := func(f func(testing.BenchmarkResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return sample{
		ns:     pick(func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }),
		bytes:  pick(func(r testing.BenchmarkResult) float64 { return float64(r.AllocedBytesPerOp()) }),
		allocs: pick(func(r testing.BenchmarkResult) float64 { return float64(r.AllocsPerOp()) }),
	}
}

// bench runs f once and fails loudly if the benchmark itself failed
// (testing.Benchmark reports a failed benchmark as N == 0).
func bench(name string, f func(*testing.B)) (testing.BenchmarkResult, error) {
	r := testing.Benchmark(f)
	if r.N == 0 {
		return r, fmt.Errorf("benchmark %s failed (see its output above)", name)
	}
	return r, nil
}

func overhead(w io.Writer, o options) (missed int, err error) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		return 0, fmt.Errorf("guard.New: %w", err)
	}
	ws := benchmarks.Workloads(g)
	for _, wl := range ws {
		if err := wl.Verify(); err != nil {
			return 0, err
		}
	}
	bare := make([][]testing.BenchmarkResult, len(ws))
	wrapped := make([][]testing.BenchmarkResult, len(ws))
	for round := 0; round < o.count; round++ {
		for i, wl := range ws {
			r, err := bench(wl.Name+"/bare", wl.Bare)
			if err != nil {
				return 0, err
			}
			bare[i] = append(bare[i], r)
			if r, err = bench(wl.Name+"/wrapped", wl.Wrapped); err != nil {
				return 0, err
			}
			wrapped[i] = append(wrapped[i], r)
		}
	}
	med := map[string][2]sample{}
	fmt.Fprintf(w, "\n## Overhead (median of %d, %s each)\n\n", o.count, o.benchtime)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "workload\tbytes\tunwrapped ns/op\twrapped ns/op\tratio\textra allocs/op\textra B/op\t")
	for i, wl := range ws {
		b, x := median(bare[i]), median(wrapped[i])
		med[wl.Name] = [2]sample{b, x}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.2fx\t%+.0f\t%+.0f\t\n", wl.Name, wl.Bytes, b.ns, x.ns, x.ns/b.ns, x.allocs-b.allocs, x.bytes-b.bytes)
	}
	tw.Flush()

	// Scaling: the engine alone through WrapHandler.
	fmt.Fprintf(w, "\n## Scaling of the engine (guardlambda.WrapHandler around a no-op handler, median of %d)\n\n", o.count)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "body\tevent bytes\tns/op\tMB/s\tns/byte\tB/op\tB/op per event byte\tallocs/op\t")
	perByte := map[string]float64{}
	memPerByte := map[string]float64{}
	for _, s := range benchmarks.ScalingSizes {
		run, payload := benchmarks.ScalingWorkload(g, s.Bytes)
		var rs []testing.BenchmarkResult
		for round := 0; round < o.count; round++ {
			r, err := bench("scaling/"+s.Name, run)
			if err != nil {
				return 0, err
			}
			rs = append(rs, r)
		}
		m := median(rs)
		n := float64(len(payload))
		perByte[s.Name], memPerByte[s.Name] = m.ns/n, m.bytes/n
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.1f\t%.2f\t%.0f\t%.2f\t%.0f\t\n", s.Name, len(payload), m.ns, n/m.ns*1e3, m.ns/n, m.bytes, m.bytes/n, m.allocs)
	}
	tw.Flush()

	var rs []testing.BenchmarkResult
	for round := 0; round < o.count; round++ {
		r, err := bench("guard.New", benchmarks.GuardNew)
		if err != nil {
			return 0, err
		}
		rs = append(rs, r)
	}
	gn := median(rs)
	fmt.Fprintf(w, "\nguard.New(WithoutEnv, WithLogger(nop)): %.1f µs/op, %.0f B/op, %.0f allocs/op\n", gn.ns/1e3, gn.bytes, gn.allocs)

	// Targets.
	fmt.Fprintf(w, "\n## Targets\n\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.Debug)
	check := func(name, target, got string, ok bool) {
		if !ok {
			missed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, target, got, verdict(ok))
	}
	fmt.Fprintln(tw, "target\tbound\tmeasured\tresult\t")
	t := med[benchmarks.WAPIGatewayV1]
	ratio := t[1].ns / t[0].ns
	check("typical 1 KB API GW: time", fmt.Sprintf("<= %.2fx", maxTypicalRatio), fmt.Sprintf("%.2fx", ratio), ratio <= maxTypicalRatio)
	extra := t[1].allocs - t[0].allocs
	check("typical 1 KB API GW: allocs", fmt.Sprintf("<= %d extra", maxTypicalAllocs), fmt.Sprintf("%+.0f", extra), extra <= maxTypicalAllocs)
	s := med[benchmarks.WSQS10]
	ratio = s[1].ns / s[0].ns
	check("SQS batch of 10: time", fmt.Sprintf("<= %.2fx", maxSQSRatio), fmt.Sprintf("%.2fx", ratio), ratio <= maxSQSRatio)
	b := med[benchmarks.WBody256K]
	ratio = b[1].ns / b[0].ns
	check("256 KB body: time", fmt.Sprintf("<= %.2fx", max256KRatio), fmt.Sprintf("%.2fx", ratio), ratio <= max256KRatio)
	spread := perByte["6mb"] / perByte["256kb"]
	check("6 MB: linear (ns/byte 6 MB / 256 KB)", fmt.Sprintf("<= %.2f", maxLinearSpread), fmt.Sprintf("%.2f", spread), spread <= maxLinearSpread)
	six := med[benchmarks.WBody6M]
	var sixBytes int
	for _, wl := range ws {
		if wl.Name == benchmarks.WBody6M {
			sixBytes = wl.Bytes
		}
	}
	mem := (six[1].bytes - six[0].bytes) / float64(sixBytes)
	check("6 MB: extra memory / payload (wrapped - bare)", fmt.Sprintf("<= %.1fx", maxMemPerPayload), fmt.Sprintf("%.2fx", mem), mem <= maxMemPerPayload)
	check("6 MB: engine memory / payload (scaling)", fmt.Sprintf("<= %.1fx", maxMemPerPayload), fmt.Sprintf("%.2fx", memPerByte["6mb"]), memPerByte["6mb"] <= maxMemPerPayload)
	blocked := med[benchmarks.WBlocked][1].ns
	pass := med[benchmarks.WAPIGatewayV1][1].ns
	check("block path vs pass path (wrapped, 1 KB)", "<= 1.00x", fmt.Sprintf("%.2fx (%.0f vs %.0f ns)", blocked/pass, blocked, pass), blocked <= pass)
	tw.Flush()
	return missed, nil
}
