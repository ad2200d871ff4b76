package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestHandleThroughGuard runs the function as Lambda would (guardlambda's
// lambda.Handler on the raw payload): the attack and the handler's own
// failure come back in batchItemFailures, the clean order reaches handle.
func TestHandleThroughGuard(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	p := &processor{log: log.New(&logs, "", 0)}
	h := guardlambda.Wrap(g, p.handle)
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-clean", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: `{"id":"o-1","note":"leave at the door"}`},
		{MessageId: "m-attack", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: `{"id":"o-2","note":"x' UNION SELECT password FROM users--"}`},
		{MessageId: "m-notorder", EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: `{"note":"no id"}`},
	}}
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	slices.Sort(failed)
	if want := []string{"m-attack", "m-notorder"}; !slices.Equal(failed, want) {
		t.Errorf("batchItemFailures = %v, want %v", failed, want)
	}
	if !strings.Contains(logs.String(), `order "o-1" accepted`) {
		t.Errorf("clean order not processed; handler log: %q", logs.String())
	}
	if strings.Contains(logs.String(), "o-2") {
		t.Errorf("the poisoned record reached the handler; handler log: %q", logs.String())
	}
}
