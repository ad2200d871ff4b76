// Package function is a Google Cloud Function triggered by Pub/Sub messages
// (CloudEvent google.cloud.pubsub.topic.v1.messagePublished) and protected
// by fnguard: every message is inspected before ProcessOrder sees it.
// Deploy it with
//
//	gcloud functions deploy process-order --gen2 --runtime=go125 \
//	    --trigger-topic=orders --entry-point=ProcessOrder --set-env-vars=FNGUARD_MODE=block
//
// or run it locally with go run ./examples/cloudevent/cmd.
package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func init() {
	g := guard.Must(guard.New())
	functions.CloudEvent("ProcessOrder", guardgcf.CloudEvent(g, ProcessOrder))
}

// MessagePublishedData is the data of a Pub/Sub CloudEvent.
type MessagePublishedData struct {
	Message struct {
		Data       []byte            `json:"data"` // base64 in JSON
		Attributes map[string]string `json:"attributes"`
		MessageID  string            `json:"messageId"`
	} `json:"message"`
	Subscription string `json:"subscription"`
}

// Order is the payload of a message on the orders topic.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
}

// ErrInvalidOrder is returned for messages that are not orders; Pub/Sub
// retries them (and moves them to the dead-letter topic, if any).
var ErrInvalidOrder = errors.New("invalid order")

// ProcessOrder records the order carried by a Pub/Sub message.
func ProcessOrder(ctx context.Context, e event.Event) error {
	var msg MessagePublishedData
	if err := e.DataAs(&msg); err != nil {
		return fmt.Errorf("%w: event data: %v", ErrInvalidOrder, err)
	}
	var o Order
	if err := json.Unmarshal(msg.Message.Data, &o); err != nil {
		return fmt.Errorf("%w: message %s: %v", ErrInvalidOrder, msg.Message.MessageID, err)
	}
	if o.ID == "" || o.SKU == "" || o.Qty <= 0 {
		return fmt.Errorf("%w: message %s: missing id, sku or quantity", ErrInvalidOrder, msg.Message.MessageID)
	}
	orders.add(o)
	log.Printf("order %s: %d x %s for %s", o.ID, o.Qty, o.SKU, o.Customer)
	return nil
}

// orderStore stands in for the database the function would write to.
type orderStore struct {
	mu  sync.Mutex
	all []Order
}

var orders orderStore

func (s *orderStore) add(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, o)
}

func (s *orderStore) find(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.all {
		if o.ID == id {
			return o, true
		}
	}
	return Order{}, false
}
