package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// The consumer behind fnguard, invoked with testdata/batch.json (four
// orders, the third carrying SQL injection in its customer name): the three
// clean orders are processed, and the poisoned message is reported back as
// a batch item failure for SQS to redeliver and dead-letter.
func Example() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := &processor{sink: newLogSink(os.Stdout), log: log.New(os.Stdout, "", 0)}
	payload, err := os.ReadFile("testdata/batch.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := guardlambda.Wrap(g, p.handle).Invoke(context.Background(), payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range resp.BatchItemFailures {
		fmt.Println("batch item failure:", f.ItemIdentifier)
	}
	// Output:
	// {"message":"order accepted","messageId":"3f1c9a52-8d4e-4b7a-9e21-0c6d5b8a7f10","orderId":"o-1001","sku":"LAMP-01","qty":1}
	// {"message":"order accepted","messageId":"7a2e4c18-1b3f-4d5a-8c6e-2f9b0d1a3e22","orderId":"o-1002","sku":"MUG-02","qty":4}
	// {"message":"order accepted","messageId":"9b8c7d6e-4f3a-4b2c-9d1e-0a1b2c3d4e44","orderId":"o-1004","sku":"DESK-120","qty":1}
	// batch item failure: c0ffee00-5e6d-4c3b-a291-8f7e6d5c4b33
}
