package guardlambda_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func benchGuard(b *testing.B) *guard.Guard {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	return g
}

func compact(b *testing.B, raw []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func runInvoke(b *testing.B, h lambda.Handler, payload []byte) {
	ctx := invokeCtx("bench-request-id")
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func restHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"ok":true}`}, nil
}

func sqsBenchHandler(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return events.SQSEventResponse{}, nil
}

// BenchmarkAPIGatewayV1 compares the bare aws-lambda-go handler with the
// wrapped one on a 1 KB REST API event (clean: the handler runs) and on the
// same event carrying SQL injection (blocked: answered by fnguard).
func BenchmarkAPIGatewayV1(b *testing.B) {
	payload := compact(b, load(b, "apigw_v1_1kb.json"))
	attack := compact(b, load(b, "apigw_v1_sqli_query.json"))
	g := benchGuard(b)
	b.Run("bare", func(b *testing.B) { runInvoke(b, lambda.NewHandler(restHandler), payload) })
	b.Run("wrapped", func(b *testing.B) { runInvoke(b, guardlambda.Wrap(g, restHandler), payload) })
	b.Run("bare-attack-event", func(b *testing.B) { runInvoke(b, lambda.NewHandler(restHandler), attack) })
	b.Run("wrapped-blocked", func(b *testing.B) { runInvoke(b, guardlambda.Wrap(g, restHandler), attack) })
}

// BenchmarkSQSBatch does the same for a batch of 10 clean SQS messages, and
// for a batch with one poisoned message (filtered batch + merged response).
func BenchmarkSQSBatch(b *testing.B) {
	payload := compact(b, load(b, "sqs_batch_clean.json"))
	poisoned := compact(b, load(b, "sqs_batch_poisoned.json"))
	g := benchGuard(b)
	b.Run("bare", func(b *testing.B) { runInvoke(b, lambda.NewHandler(sqsBenchHandler), payload) })
	b.Run("wrapped", func(b *testing.B) { runInvoke(b, guardlambda.Wrap(g, sqsBenchHandler), payload) })
	b.Run("wrapped-partial", func(b *testing.B) { runInvoke(b, guardlambda.Wrap(g, sqsBenchHandler), poisoned) })
}

// BenchmarkOverhead compares bare and wrapped invocations of the same event
// in alternating blocks of 64 calls and reports, for each, the process CPU
// time per call (user+system, GC included) as well as the wall time. CPU
// time is what the function pays for and, unlike wall time, does not count
// the time spent waiting for a CPU on a loaded machine.
func BenchmarkOverhead(b *testing.B) {
	g := benchGuard(b)
	cases := []struct {
		name          string
		bare, wrapped lambda.Handler
		payload       []byte
	}{
		{"apigw-v1-1KB", lambda.NewHandler(restHandler), guardlambda.Wrap(g, restHandler), compact(b, load(b, "apigw_v1_1kb.json"))},
		{"sqs-10-records", lambda.NewHandler(sqsBenchHandler), guardlambda.Wrap(g, sqsBenchHandler), compact(b, load(b, "sqs_batch_clean.json"))},
	}
	const block = 64
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ctx := invokeCtx("bench-request-id")
			var cpu, wall [2]time.Duration // 0 bare, 1 wrapped
			hs := [2]lambda.Handler{c.bare, c.wrapped}
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				for k := range 2 {
					i := (n + k) % 2 // alternate which runs first
					c0, w0 := cpuTime(), time.Now()
					for range block {
						if _, err := hs[i].Invoke(ctx, c.payload); err != nil {
							b.Fatal(err)
						}
					}
					cpu[i] += cpuTime() - c0
					wall[i] += time.Since(w0)
				}
				n++
			}
			calls := float64(n * block)
			b.ReportMetric(float64(cpu[0].Nanoseconds())/calls, "bare-cpu-ns/op")
			b.ReportMetric(float64(cpu[1].Nanoseconds())/calls, "wrapped-cpu-ns/op")
			b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "cpu-wrapped/bare")
			b.ReportMetric(float64(wall[1])/float64(wall[0]), "wall-wrapped/bare")
		})
	}
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func kinesisBenchHandler(ctx context.Context, ev events.KinesisEvent) (events.KinesisEventResponse, error) {
	return events.KinesisEventResponse{}, nil
}

// BenchmarkKinesisGzipBatch: a Kinesis batch of 25 records each holding a
// CloudWatch Logs subscription's gzip data (how a subscription delivered
// through a stream looks): every record's data is decompressed and walked.
func BenchmarkKinesisGzipBatch(b *testing.B) {
	var recs []events.KinesisEventRecord
	for i := range 25 {
		var doc bytes.Buffer
		fmt.Fprintf(&doc, `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/lambda/orders","logEvents":[`)
		for j := range 8 {
			if j > 0 {
				doc.WriteByte(',')
			}
			fmt.Fprintf(&doc, `{"id":"37265918745028140%02d%02d","timestamp":%d,"message":"2026-12-06T14:00:00.000Z\tINFO\torder %d shipped to the back door"}`, i, j, 1765029600000+i*8+j, i*8+j)
		}
		doc.WriteString(`]}`)
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(doc.Bytes())
		zw.Close()
		recs = append(recs, events.KinesisEventRecord{
			EventSource: "aws:kinesis", EventName: "aws:kinesis:record", EventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/logs",
			EventID: fmt.Sprintf("shardId-000000000000:4954%040d", i),
			Kinesis: events.KinesisRecord{Data: z.Bytes(), PartitionKey: "pk", SequenceNumber: fmt.Sprintf("4954%040d", i)},
		})
	}
	payload, err := json.Marshal(events.KinesisEvent{Records: recs})
	if err != nil {
		b.Fatal(err)
	}
	g := benchGuard(b)
	b.Run("bare", func(b *testing.B) { runInvoke(b, lambda.NewHandler(kinesisBenchHandler), payload) })
	b.Run("wrapped", func(b *testing.B) { runInvoke(b, guardlambda.Wrap(g, kinesisBenchHandler), payload) })
}
