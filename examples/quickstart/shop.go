package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"
)

// shop is the application being protected: a tiny shop API behind API
// Gateway. It trusts its input the way real handlers too often do — the
// point of fnguard is that attacks never get here.
type shop struct {
	served atomic.Int64 // invocations that reached the handler

	products []product
	files    map[string]string
}

type product struct {
	SKU   string  `json:"sku"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

type order struct {
	Customer string `json:"customer"`
	Items    []struct {
		SKU     string `json:"sku"`
		Qty     int    `json:"qty"`
		Comment string `json:"comment,omitempty"`
	} `json:"items"`
}

func newShop() *shop {
	return &shop{
		products: []product{
			{SKU: "LAMP-01", Name: "Desk lamp", Price: 39.90},
			{SKU: "LAMP-02", Name: "Floor lamp", Price: 89.00},
			{SKU: "MUG-02", Name: "Coffee mug", Price: 9.50},
		},
		files: map[string]string{"terms.txt": "Goods are shipped within 3 working days."},
	}
}

// handle is the Lambda handler, routed on API Gateway's resource template.
func (s *shop) handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	s.served.Add(1)
	switch req.HTTPMethod + " " + req.Resource {
	case "GET /products":
		q := strings.ToLower(req.QueryStringParameters["q"])
		found := []product{}
		for _, p := range s.products {
			if matches(strings.ToLower(p.Name), q) {
				found = append(found, p)
			}
		}
		return reply(http.StatusOK, map[string]any{"products": found})

	case "POST /orders":
		var o order
		if err := json.Unmarshal([]byte(req.Body), &o); err != nil || o.Customer == "" || len(o.Items) == 0 {
			return reply(http.StatusBadRequest, map[string]string{"message": "an order needs a customer and items"})
		}
		n := 0
		for _, it := range o.Items {
			n += it.Qty
		}
		return reply(http.StatusCreated, map[string]any{"message": fmt.Sprintf("order for %s accepted", o.Customer), "items": n})

	case "POST /products/{id}/comments":
		var c struct{ Author, Comment string }
		if err := json.Unmarshal([]byte(req.Body), &c); err != nil || c.Comment == "" {
			return reply(http.StatusBadRequest, map[string]string{"message": "a comment needs text"})
		}
		return reply(http.StatusCreated, map[string]string{"message": "comment on " + req.PathParameters["id"] + " saved"})

	case "GET /files/{name}":
		body, ok := s.files[req.PathParameters["name"]]
		if !ok {
			return reply(http.StatusNotFound, map[string]string{"message": "no such file"})
		}
		return reply(http.StatusOK, map[string]string{"content": body})

	case "GET /reports/export":
		return reply(http.StatusAccepted, map[string]string{"message": "export " + req.Headers["X-Export-Name"] + " queued"})

	case "POST /webhooks":
		var w struct {
			URL    string   `json:"url"`
			Events []string `json:"events"`
		}
		if err := json.Unmarshal([]byte(req.Body), &w); err != nil || w.URL == "" {
			return reply(http.StatusBadRequest, map[string]string{"message": "a webhook needs a url"})
		}
		return reply(http.StatusCreated, map[string]string{"message": "webhook registered"})
	}
	return reply(http.StatusNotFound, map[string]string{"message": "Not Found"})
}

// matches reports whether name contains every word of q (an empty q matches
// everything).
func matches(name, q string) bool {
	for _, w := range strings.Fields(q) {
		if !strings.Contains(name, w) {
			return false
		}
	}
	return true
}

func reply(status int, v any) (events.APIGatewayProxyResponse, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("encoding the response: %w", err)
	}
	return events.APIGatewayProxyResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(b),
	}, nil
}
