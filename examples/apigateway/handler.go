package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Order is the resource the API serves.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Status   string `json:"status"`
	Items    []Item `json:"items"`
}

// Item is one line of an order.
type Item struct {
	SKU  string `json:"sku"`
	Qty  int    `json:"qty"`
	Note string `json:"note,omitempty"`
}

// store keeps orders in memory: enough for an example (a real function
// would talk to DynamoDB); each Lambda execution environment has its own.
type store struct {
	mu     sync.Mutex
	orders []Order
	next   int
}

var orders = newStore()

func newStore() *store {
	return &store{next: 1003, orders: []Order{
		{ID: "ord-1001", Customer: "Siobhán O'Brien", Status: "shipped", Items: []Item{{SKU: "LAMP-01", Qty: 1, Note: "select the best one from the list"}}},
		{ID: "ord-1002", Customer: "Ada Lovelace", Status: "pending", Items: []Item{{SKU: "MUG-02", Qty: 4}}},
	}}
}

// handler is the Lambda handler: API Gateway REST (payload v1) in, JSON out.
func handler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return orders.serve(ctx, req)
}

func (s *store) serve(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	switch req.Resource {
	case "/orders":
		switch req.HTTPMethod {
		case http.MethodGet:
			return respond(ctx, http.StatusOK, map[string]any{"orders": s.list(req.QueryStringParameters["customer"], req.QueryStringParameters["status"])})
		case http.MethodPost:
			o, err := parseOrder(req.Body)
			if err != nil {
				return respond(ctx, http.StatusBadRequest, map[string]string{"message": err.Error()})
			}
			return respond(ctx, http.StatusCreated, s.create(o))
		}
		return methodNotAllowed(ctx, "GET, POST")
	case "/orders/{id}":
		if req.HTTPMethod != http.MethodGet {
			return methodNotAllowed(ctx, "GET")
		}
		o, ok := s.get(req.PathParameters["id"])
		if !ok {
			return respond(ctx, http.StatusNotFound, map[string]string{"message": "order " + req.PathParameters["id"] + " not found"})
		}
		return respond(ctx, http.StatusOK, o)
	}
	return respond(ctx, http.StatusNotFound, map[string]string{"message": "no route for " + req.HTTPMethod + " " + req.Path})
}

func (s *store) list(customer, status string) []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Order{}
	for _, o := range s.orders {
		if (customer == "" || strings.EqualFold(o.Customer, customer)) && (status == "" || o.Status == status) {
			out = append(out, o)
		}
	}
	return out
}

func (s *store) get(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.orders, func(o Order) bool { return o.ID == id })
	if i < 0 {
		return Order{}, false
	}
	return s.orders[i], true
}

func (s *store) create(o Order) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.ID = fmt.Sprintf("ord-%d", s.next)
	o.Status = "pending"
	s.next++
	s.orders = append(s.orders, o)
	return o
}

var skuPattern = regexp.MustCompile(`^[A-Z]{2,8}-[0-9]{2,4}$`)

// parseOrder validates a POST /orders body; errors name the field.
func parseOrder(body string) (Order, error) {
	var o Order
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return Order{}, fmt.Errorf("body: not an order: %v", err)
	}
	o.Customer = strings.TrimSpace(o.Customer)
	switch {
	case o.Customer == "" || len(o.Customer) > 100:
		return Order{}, fmt.Errorf("customer: want 1 to 100 characters")
	case len(o.Items) == 0 || len(o.Items) > 50:
		return Order{}, fmt.Errorf("items: want 1 to 50 items, got %d", len(o.Items))
	}
	for i, it := range o.Items {
		switch {
		case !skuPattern.MatchString(it.SKU):
			return Order{}, fmt.Errorf("items[%d].sku: %q is not a SKU like LAMP-01", i, it.SKU)
		case it.Qty < 1 || it.Qty > 100:
			return Order{}, fmt.Errorf("items[%d].qty: want 1 to 100, got %d", i, it.Qty)
		case len(it.Note) > 500:
			return Order{}, fmt.Errorf("items[%d].note: longer than 500 bytes", i)
		}
	}
	return o, nil
}

func methodNotAllowed(ctx context.Context, allow string) (events.APIGatewayProxyResponse, error) {
	r, err := respond(ctx, http.StatusMethodNotAllowed, map[string]string{"message": "Method Not Allowed"})
	if err == nil {
		r.Headers["Allow"] = allow
	}
	return r, err
}

// respond encodes v as the JSON body; the Lambda request id is echoed for
// support requests.
func respond(ctx context.Context, status int, v any) (events.APIGatewayProxyResponse, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("encoding the %d response: %w", status, err)
	}
	h := map[string]string{"Content-Type": "application/json"}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		h["X-Request-Id"] = lc.AwsRequestID
	}
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: h, Body: string(body)}, nil
}
