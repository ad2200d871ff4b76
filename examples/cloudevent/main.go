// Command cloudevent is a Google Cloud Function triggered by Pub/Sub
// messages (CloudEvent google.cloud.pubsub.topic.v1.messagePublished) and
// protected by fnguard: every message is inspected before ProcessOrder sees
// it. Run it locally with the Functions Framework for Go:
//
//	go run ./examples/cloudevent      # 127.0.0.1:$PORT, default 8080
//
// and, in another terminal, a Pub/Sub push of {"id":"o-1","sku":"BK-1","qty":1}:
//
//	curl -i http://127.0.0.1:8080/projects/shop/topics/orders -H 'Content-Type: application/json' \
//	  -d '{"message":{"data":"eyJpZCI6Im8tMSIsInNrdSI6IkJLLTEiLCJxdHkiOjF9","messageId":"1"},"subscription":"projects/shop/subscriptions/fn"}'
//
// Deployed, the same registration goes in the init function of the
// function's package (see README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// register builds the guard from the FNGUARD_* variables and registers
// ProcessOrder, protected, with the Functions Framework, as a deployed
// function's init does.
func register() error {
	g, err := guard.New()
	if err != nil {
		return err
	}
	functions.CloudEvent("ProcessOrder", guardgcf.CloudEvent(g, ProcessOrder))
	return nil
}

func main() {
	if err := register(); err != nil {
		log.Fatal(err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if os.Getenv("FUNCTION_TARGET") == "" {
		os.Setenv("FUNCTION_TARGET", "ProcessOrder") // serve it at "/" and below, for Pub/Sub push paths
	}
	log.Printf("serving ProcessOrder on http://127.0.0.1:%s/", port)
	if err := funcframework.StartHostPort("127.0.0.1", port); err != nil {
		log.Fatalf("funcframework.StartHostPort: %v", err)
	}
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
