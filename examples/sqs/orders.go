package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
)

// Order is the message the checkout service puts on the queue.
type Order struct {
	OrderID  string `json:"orderId"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Note     string `json:"note,omitempty"`
}

// sink is where accepted orders go (a database, another queue...).
type sink interface {
	Save(ctx context.Context, messageID string, o Order) error
}

// processor is the queue consumer.
type processor struct {
	sink sink
	log  *log.Logger // why a message failed
}

// handle processes a batch. Each message is independent: one that cannot
// be processed is reported in batchItemFailures (SQS redelivers it, then
// moves it to the dead-letter queue) and the others still go through.
// fnguard has already removed poisoned messages from the batch and adds
// them to the failures this returns.
func (p *processor) handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		if err := p.process(ctx, m); err != nil {
			p.log.Printf("order not processed, SQS will redeliver it: %v", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

func (p *processor) process(ctx context.Context, m events.SQSMessage) error {
	o, err := parseOrder(m.Body)
	if err != nil {
		return fmt.Errorf("message %s: %w", m.MessageId, err)
	}
	if err := p.sink.Save(ctx, m.MessageId, o); err != nil {
		return fmt.Errorf("message %s: saving order %s: %w", m.MessageId, o.OrderID, err)
	}
	return nil
}

var (
	orderIDPattern = regexp.MustCompile(`^o-[0-9]{1,12}$`)
	skuPattern     = regexp.MustCompile(`^[A-Z]{2,8}-[0-9]{2,4}$`)
)

// parseOrder decodes and validates a message body; errors name the field.
func parseOrder(body string) (Order, error) {
	var o Order
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return Order{}, fmt.Errorf("body: not an order: %w", err)
	}
	if dec.More() {
		return Order{}, errors.New("body: trailing data after the order")
	}
	switch {
	case !orderIDPattern.MatchString(o.OrderID):
		return Order{}, fmt.Errorf("orderId: %q is not an order id like o-1001", o.OrderID)
	case strings.TrimSpace(o.Customer) == "" || len(o.Customer) > 100:
		return Order{}, errors.New("customer: want 1 to 100 characters")
	case !skuPattern.MatchString(o.SKU):
		return Order{}, fmt.Errorf("sku: %q is not a SKU like LAMP-01", o.SKU)
	case o.Qty < 1 || o.Qty > 100:
		return Order{}, fmt.Errorf("qty: want 1 to 100, got %d", o.Qty)
	case len(o.Note) > 500:
		return Order{}, errors.New("note: longer than 500 bytes")
	}
	return o, nil
}

// logSink writes one JSON line per accepted order (CloudWatch Logs in
// Lambda). Customer and note are left out: logs are not the place for
// personal data.
type logSink struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newLogSink(w io.Writer) *logSink { return &logSink{enc: json.NewEncoder(w)} }

func (s *logSink) Save(_ context.Context, messageID string, o Order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc.Encode(struct {
		Message   string `json:"message"`
		MessageID string `json:"messageId"`
		OrderID   string `json:"orderId"`
		SKU       string `json:"sku"`
		Qty       int    `json:"qty"`
	}{"order accepted", messageID, o.OrderID, o.SKU, o.Qty})
}
