package guardlambda_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestRouteBypassREST: API Gateway matched the resource /orders/{id}, but a
// handler that routes on the decoded path sees another route when the id
// spans segments once decoded, or is empty; those are refused before the
// handler, through aws-lambda-go's handler.
func TestRouteBypassREST(t *testing.T) {
	g, _ := newGuard(t, guard.WithAllowRoutes("POST /orders/{id}"))
	called := 0
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, r events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		called++
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	}))
	for _, tc := range []struct {
		path, id string
		want     int
	}{
		{"/orders/1234", "1234", 200},
		{"/orders/1%2Fdelete", "1/delete", 403},
		{"/orders/..%2Fadmin", "../admin", 403},
		{"/orders/", "", 403},
	} {
		t.Run(tc.path, func(t *testing.T) {
			var ev map[string]any
			if err := json.Unmarshal(load(t, "apigw_v1_benign.json"), &ev); err != nil {
				t.Fatal(err)
			}
			ev["path"], ev["pathParameters"] = tc.path, map[string]any{"id": tc.id}
			payload, _ := json.Marshal(ev)
			before := called
			out, err := h.Invoke(invokeCtx("route-"+tc.id), payload)
			if err != nil {
				t.Fatal(err)
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.want || (tc.want == 403) != (called == before) {
				t.Fatalf("status %d (handler called: %v), want %d: %s", resp.StatusCode, called > before, tc.want, out)
			}
		})
	}
}
