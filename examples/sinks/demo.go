package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// demoCase is one request of the demonstration.
type demoCase struct {
	kind, what string // "attack" or "benign"; the sink
	path       string
	query      map[string]string
	blocked    bool // the sink refuses it
}

func demo(internal string) []demoCase {
	u, _ := url.Parse(internal)
	return []demoCase{
		{"attack", "sql", "/items", map[string]string{"id": "0 UNION SELECT password FROM users"}, true},
		{"attack", "sql", "/items", map[string]string{"id": "1 OR 1=1"}, true},
		{"attack", "sql", "/items/sorted", map[string]string{"sort": "(SELECT password FROM users)"}, true},
		{"attack", "exec", "/check", map[string]string{"host": "example.com; cat /etc/passwd"}, true},
		{"attack", "exec", "/check", map[string]string{"host": "$(id)"}, true},
		{"attack", "file", "/files", map[string]string{"name": "../secret.txt"}, true},
		{"attack", "http", "/fetch", map[string]string{"url": internal + "/latest/meta-data/iam/security-credentials/"}, true},
		{"attack", "http", "/fetch", map[string]string{"url": "http://" + u.Host + "/admin"}, true},
		{"benign", "sql", "/items", map[string]string{"id": "2"}, false},
		{"benign", "sql", "/items/sorted", map[string]string{"sort": "price DESC"}, false},
		{"benign", "exec", "/check", map[string]string{"host": "example.com"}, false},
		{"benign", "file", "/files", map[string]string{"name": "readme.txt"}, false},
		{"benign", "http", "/weather", map[string]string{"city": "Paris"}, false},
	}
}

// invoke sends an API Gateway HTTP API event through aws-lambda-go's own
// handler machinery, as the Lambda runtime would.
func invoke(ctx context.Context, h lambda.Handler, path string, query map[string]string) (int, string, error) {
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET " + path, RawPath: path, QueryStringParameters: query,
		Headers: map[string]string{"host": "api.example.com", "user-agent": "demo"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "demo-" + path,
			HTTP:      events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path, SourceIP: "203.0.113.7"},
		},
	}
	q := url.Values{}
	for k, v := range query {
		q.Set(k, v)
	}
	ev.RawQueryString = q.Encode()
	payload, err := json.Marshal(ev)
	if err != nil {
		return 0, "", err
	}
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "demo-" + path})
	out, err := lambda.NewHandler(h).Invoke(ctx, payload)
	if err != nil {
		return 0, "", err
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return 0, "", fmt.Errorf("response %s: %w", out, err)
	}
	return resp.StatusCode, resp.Body, nil
}
