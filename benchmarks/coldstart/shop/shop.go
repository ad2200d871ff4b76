// Package shop is the handler shared by the two cold-start mains
// (benchmarks/coldstart/plain and benchmarks/coldstart/guarded), so that the
// only difference between the binaries is fnguard.
package shop

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
)

// Order is the request body the handler expects.
type Order struct {
	Customer string `json:"customer"`
	Items    []struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	} `json:"items"`
}

// Handle decodes an order and answers 201 with its item count.
func Handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var o Order
	if err := json.Unmarshal([]byte(req.Body), &o); err != nil {
		return events.APIGatewayProxyResponse{StatusCode: 400, Body: `{"error":"body is not an order"}`}, nil
	}
	out, err := json.Marshal(map[string]any{"customer": o.Customer, "items": len(o.Items)})
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{StatusCode: 201, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(out)}, nil
}
