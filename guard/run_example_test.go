package guard_test

import (
	"context"
	"fmt"
	"strings"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// queueAdapter is a minimal adapter: a batch of messages from a FIFO queue
// in, the handler's records and the failed message ids out.
type queueAdapter struct {
	msgs    []string // message bodies; ids are m0, m1, ...
	handled []string
	failed  []string
	err     error
}

func (a *queueAdapter) Map(ctx context.Context, inv *guard.Invocation) error {
	inv.Source, inv.Order = guard.SourceSQS, guard.OrderFIFO
	for i, m := range a.msgs {
		inv.Records = append(inv.Records, guard.Record{ID: fmt.Sprintf("m%d", i), Group: "orders",
			EventSource: "arn:aws:sqs:eu-west-1:123456789012:orders.fifo", Body: []byte(m)})
	}
	return nil
}

func (a *queueAdapter) Refuse(ctx context.Context, d guard.Decision) { a.err = d.Err() }

func (a *queueAdapter) Deliver(ctx context.Context, d guard.Decision, b *guard.Batch) {
	for i := range a.msgs {
		if b.Delivered(i) {
			a.handled = append(a.handled, fmt.Sprintf("m%d", i))
		}
	}
	a.failed = b.Failures()
}

// Run drives an adapter: here, a FIFO batch whose second message carries an
// attack. The attack and every later message of the batch fail (the queue
// delivers them again, in order); the first reaches the handler.
func ExampleGuard_Run() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	a := &queueAdapter{msgs: []string{`{"sku":"A-1"}`, `{"sku":"1' OR '1'='1' --"}`, `{"sku":"B-2"}`}}
	d := g.Run(context.Background(), &guard.Invocation{}, a)
	fmt.Println(d.Action, d.Findings[0].Location)
	fmt.Println("handled:", strings.Join(a.handled, " "), "failed:", strings.Join(a.failed, " "))
	// Output:
	// block records[1].body.sku
	// handled: m0 failed: m1 m2
}
