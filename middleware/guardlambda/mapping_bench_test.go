package guardlambda

import (
	"bytes"
	"context"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

func compactFixture(b *testing.B, name string) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, fixture(b, name)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkAdapter splits the wrapper's cost on a clean event into the
// adapter's own work (envelope parse and mapping: "map") and the engine's
// verdict on the mapped invocation ("inspect").
func BenchmarkAdapter(b *testing.B) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := lambdaCtx("bench-request-id")
	for _, name := range []string{"apigw_v1_1kb.json", "apigw_v2_benign.json", "sqs_batch_clean.json", "dynamodb_batch.json"} {
		payload := compactFixture(b, name)
		b.Run(name+"/map", func(b *testing.B) {
			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			c0 := cpuNow()
			for b.Loop() {
				st := getState()
				doc, err := jsontree.Parse(payload, envelopeLimits)
				if err != nil {
					b.Fatal(err)
				}
				st.root = doc.Root()
				st.kind = recognize(st.root, &st.env)
				if rej := st.mapEvent(ctx, g, payload); rej != nil {
					b.Fatal(rej.reason)
				}
				st.release(true)
			}
			b.ReportMetric(float64(cpuNow()-c0)/float64(b.N), "cpu-ns/op")
		})
		b.Run(name+"/inspect", func(b *testing.B) {
			st := getState()
			doc, _ := jsontree.Parse(payload, envelopeLimits)
			st.root = doc.Root()
			st.kind = recognize(st.root, &st.env)
			st.mapEvent(ctx, g, payload)
			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			c0 := cpuNow()
			for b.Loop() {
				d := g.Inspect(context.Background(), &st.inv)
				if d.Action > guard.ActionMonitor && name != "dynamodb_batch.json" {
					b.Fatal(d.Reason)
				}
			}
			b.ReportMetric(float64(cpuNow()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuNow is the CPU time the process has used so far (user+system, GC
// included): unlike wall time it does not count waiting for a CPU.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTypeCheck is the type check of shape.go alone (part of "map" in
// BenchmarkAdapter), on clean events of each source.
func BenchmarkTypeCheck(b *testing.B) {
	for _, name := range []string{"apigw_v1_1kb.json", "apigw_v2_benign.json", "function_url_benign.json", "alb_multi_benign.json",
		"sqs_batch_clean.json", "sns_benign.json", "s3_benign.json", "dynamodb_batch.json", "kinesis_batch.json", "eventbridge_benign.json"} {
		payload := compactFixture(b, name)
		doc, err := jsontree.Parse(payload, envelopeLimits)
		if err != nil {
			b.Fatal(err)
		}
		root := doc.Root()
		sh := shapeOf(recognize(root, new(envelope)))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			for b.Loop() {
				if err := checkStruct(root, sh); err != nil {
					b.Fatal(err.rejection().reason)
				}
			}
		})
	}
}
