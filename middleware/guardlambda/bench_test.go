package guardlambda_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// BenchmarkOverhead interleaves bare and wrapped invocations of the same
// event, alternating which goes first, so that the load of a shared machine
// weighs on both alike; it reports the time of each and their ratio.
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
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ctx := invokeCtx("bench-request-id")
			var tb, tw time.Duration
			n := 0
			for b.Loop() {
				first, second := c.bare, c.wrapped
				if n%2 == 1 {
					first, second = second, first
				}
				t0 := time.Now()
				if _, err := first.Invoke(ctx, c.payload); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := second.Invoke(ctx, c.payload); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if n%2 == 0 {
					tb, tw = tb+t1.Sub(t0), tw+t2.Sub(t1)
				} else {
					tw, tb = tw+t1.Sub(t0), tb+t2.Sub(t1)
				}
				n++
			}
			b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "bare-ns/op")
			b.ReportMetric(float64(tw.Nanoseconds())/float64(n), "wrapped-ns/op")
			b.ReportMetric(float64(tw)/float64(tb), "wrapped/bare")
		})
	}
}
