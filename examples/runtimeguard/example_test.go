package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// The function behind fnguard, invoked as the Lambda runtime would, with a
// test client that maps docs.example.com to a local server. A preview of
// the help centre reaches the handler; a link to a loopback address is
// something input checks can judge, and fnguard answers 403 before the
// handler runs. A link to a public-looking name that resolves to an internal
// address is not: that one is for the egress allowlist, shown by
// TestEndToEnd in a process of its own, since Protect changes the process.
func Example() {
	docs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><head><title>Getting started</title></head></html>")
	}))
	defer docs.Close()

	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := newApp(g, hostMap(map[string]string{"docs.example.com:80": docs.Listener.Addr().String()}), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	h := guardlambda.Wrap(g, a.handle)
	for _, c := range []struct{ name, url string }{
		{"docs", "http://docs.example.com/start"},
		{"loopback", "http://127.0.0.1:8080/status"},
	} {
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "example-" + c.name})
		out, err := h.Invoke(ctx, apiEvent("example-"+c.name, "/preview", map[string]string{"url": c.url}))
		if err != nil {
			fmt.Println(c.name, "error:", err)
			continue
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.name, resp.StatusCode, resp.Body)
	}
	// Output:
	// docs 200 {"url":"http://docs.example.com/start","status":200,"title":"Getting started"}
	// loopback 403 {"message":"Forbidden","requestId":"example-loopback"}
}
