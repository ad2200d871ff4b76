package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func TestHandler(t *testing.T) {
	get := func(resource, path string, q, p map[string]string) events.APIGatewayProxyRequest {
		return events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: resource, Path: path, QueryStringParameters: q, PathParameters: p}
	}
	post := func(body string) events.APIGatewayProxyRequest {
		return events.APIGatewayProxyRequest{HTTPMethod: "POST", Resource: "/orders", Path: "/orders", Body: body}
	}
	tests := []struct {
		name       string
		req        events.APIGatewayProxyRequest
		wantStatus int
		wantBody   string // substring of the JSON body
	}{
		{"list all", get("/orders", "/orders", nil, nil), 200, `"id":"ord-1002"`},
		{"list by customer, case-insensitive", get("/orders", "/orders", map[string]string{"customer": "siobhán o'brien"}, nil), 200, `{"orders":[{"id":"ord-1001"`},
		{"list by status", get("/orders", "/orders", map[string]string{"status": "pending"}, nil), 200, `{"orders":[{"id":"ord-1002"`},
		{"list with no match", get("/orders", "/orders", map[string]string{"status": "lost"}, nil), 200, `{"orders":[]}`},
		{"get one", get("/orders/{id}", "/orders/ord-1001", nil, map[string]string{"id": "ord-1001"}), 200, `"customer":"Siobhán O'Brien"`},
		{"get missing", get("/orders/{id}", "/orders/ord-9", nil, map[string]string{"id": "ord-9"}), 404, `order ord-9 not found`},
		{"create", post(`{"customer":"Grace Hopper","items":[{"sku":"LAMP-01","qty":2,"note":"gift wrap"}]}`), 201, `"id":"ord-1003","customer":"Grace Hopper","status":"pending"`},
		{"create: not JSON", post(`customer=Grace`), 400, `body: not an order`},
		{"create: unknown field", post(`{"customer":"G","items":[{"sku":"LAMP-01","qty":1}],"admin":true}`), 400, `body: not an order: json: unknown field \"admin\"`},
		{"create: no customer", post(`{"customer":"  ","items":[{"sku":"LAMP-01","qty":1}]}`), 400, `customer: want 1 to 100 characters`},
		{"create: no items", post(`{"customer":"G","items":[]}`), 400, `items: want 1 to 50 items, got 0`},
		{"create: bad sku", post(`{"customer":"G","items":[{"sku":"LAMP-01","qty":1},{"sku":"lamp","qty":1}]}`), 400, `items[1].sku: \"lamp\" is not a SKU like LAMP-01`},
		{"create: bad qty", post(`{"customer":"G","items":[{"sku":"LAMP-01","qty":0}]}`), 400, `items[0].qty: want 1 to 100, got 0`},
		{"wrong method on collection", events.APIGatewayProxyRequest{HTTPMethod: "DELETE", Resource: "/orders", Path: "/orders"}, 405, `Method Not Allowed`},
		{"wrong method on item", events.APIGatewayProxyRequest{HTTPMethod: "PUT", Resource: "/orders/{id}", Path: "/orders/ord-1001"}, 405, `Method Not Allowed`},
		{"unknown route", get("/admin", "/admin", nil, nil), 404, `no route for GET /admin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-" + tt.name})
			resp, err := newStore().serve(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if !strings.Contains(resp.Body, tt.wantBody) {
				t.Errorf("body %s does not contain %s", resp.Body, tt.wantBody)
			}
			if !json.Valid([]byte(resp.Body)) {
				t.Errorf("body is not JSON: %s", resp.Body)
			}
			if resp.Headers["Content-Type"] != "application/json" || resp.Headers["X-Request-Id"] != "req-"+tt.name {
				t.Errorf("headers %v", resp.Headers)
			}
			if resp.StatusCode == 405 && resp.Headers["Allow"] == "" {
				t.Errorf("405 without Allow header")
			}
		})
	}
}

// TestHandlerFixture: the benign fixture, decoded by aws-lambda-go's own
// type, is served by the handler; the fixtures are well-formed v1 events.
func TestHandlerFixture(t *testing.T) {
	for _, name := range []string{"benign", "sqli", "xss"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var req events.APIGatewayProxyRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				t.Fatalf("not an API Gateway v1 event: %v", err)
			}
			if req.HTTPMethod == "" || req.RequestContext.ResourcePath != req.Resource || req.RequestContext.Identity.SourceIP == "" || req.RequestContext.RequestID == "" {
				t.Fatalf("fixture lacks the v1 envelope: %+v", req)
			}
			if name != "benign" {
				return
			}
			resp, err := handler(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"id":"ord-1001"`) {
				t.Fatalf("benign fixture: %d %s", resp.StatusCode, resp.Body)
			}
		})
	}
}

// FuzzCreateOrder: any POST /orders body is either created (201) or refused
// with a 400 naming the problem; the answer is always JSON, never a panic.
func FuzzCreateOrder(f *testing.F) {
	f.Add(`{"customer":"Grace Hopper","items":[{"sku":"LAMP-01","qty":2,"note":"gift wrap"}]}`)
	f.Add(`{"customer":"G","items":[{"sku":"LAMP-01","qty":1e400}]}`)
	f.Add(`{"customer":"G","items":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		s := newStore()
		resp, err := s.serve(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "POST", Resource: "/orders", Path: "/orders", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid([]byte(resp.Body)) {
			t.Fatalf("body is not JSON: %q", resp.Body)
		}
		switch resp.StatusCode {
		case 201:
			var o Order
			if err := json.Unmarshal([]byte(resp.Body), &o); err != nil || o.ID != "ord-1003" || len(o.Items) == 0 {
				t.Fatalf("created %q (%v)", resp.Body, err)
			}
			for _, it := range o.Items {
				if !skuPattern.MatchString(it.SKU) || it.Qty < 1 || it.Qty > 100 {
					t.Fatalf("invalid item stored: %+v", it)
				}
			}
		case 400:
			var m struct{ Message string }
			if json.Unmarshal([]byte(resp.Body), &m) != nil || !strings.Contains(m.Message, ":") {
				t.Fatalf("400 without a field-naming message: %q", resp.Body)
			}
		default:
			t.Fatalf("status %d for body %q", resp.StatusCode, body)
		}
	})
}
