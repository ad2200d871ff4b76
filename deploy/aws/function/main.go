// Command function is the Lambda function the AWS deployment recipes build
// (SAM, CDK, Terraform): an SQS consumer wrapped by fnguard. fnguard takes
// poisoned messages out of the batch before handle sees it and reports them
// in batchItemFailures, merged with the ones handle reports itself, so with
// ReportBatchItemFailures enabled on the event source mapping they are
// retried and end in the dead-letter queue while the clean ones are deleted.
//
// Build it for provided.al2023 (arm64; GOARCH=amd64 for x86_64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -o build/bootstrap ./function
package main

import (
	"context"
	"encoding/json"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func main() {
	g, err := guard.New()
	if err != nil {
		log.Fatal(err) // a bad FNGUARD_* setting fails the cold start
	}
	p := &processor{log: log.New(os.Stderr, "", 0)}
	lambda.Start(guardlambda.Wrap(g, p.handle))
}

// order is the message body the queue carries.
type order struct {
	ID   string `json:"id"`
	Note string `json:"note"`
}

type processor struct {
	log *log.Logger
}

// handle processes the clean records; a record that is not an order is
// reported as a batch item failure.
func (p *processor) handle(_ context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range e.Records {
		var o order
		if err := json.Unmarshal([]byte(m.Body), &o); err != nil || o.ID == "" {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		p.log.Printf("order %q accepted (message %s)", o.ID, m.MessageId)
	}
	return resp, nil
}
