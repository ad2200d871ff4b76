package guardlambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestEncodedPlacementsEvents: encoded payloads where a WAF test tool
// puts them, sent as API Gateway REST and Function URL events through
// WrapHandler(lambda.NewHandler): base64 as a query parameter's name, a
// short base64 header value, a Function URL's raw query with base64 sent
// unescaped ('+' read as a blank), a gRPC body (base64-encoded by the
// platform) whose string field is base64. Benign look-alikes pass.
func TestEncodedPlacementsEvents(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(context.Context, json.RawMessage) (map[string]any, error) {
		return map[string]any{"statusCode": 200, "body": "ok"}, nil
	}))
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "e1"})
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	grpc := func(field string) string {
		msg := append([]byte{0x0a, byte(len(field))}, field...)
		fr := append([]byte{0, 0, 0, 0, byte(len(msg))}, msg...)
		return base64.StdEncoding.EncodeToString(fr)
	}
	rest := func(q map[string]string, hdr map[string]string) events.APIGatewayProxyRequest {
		return events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/items", Resource: "/items",
			QueryStringParameters: q, Headers: hdr, RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r"}}
	}
	furl := func(rawQuery, ctype, body string) events.LambdaFunctionURLRequest {
		ev := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: "/shop.Items/Lookup", RawQueryString: rawQuery,
			Headers: map[string]string{"host": "x.lambda-url.eu-west-1.on.aws"},
			RequestContext: events.LambdaFunctionURLRequestContext{RequestID: "r",
				HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "POST", Path: "/shop.Items/Lookup"}}}
		if q, err := url.ParseQuery(rawQuery); err == nil && rawQuery != "" {
			ev.QueryStringParameters = map[string]string{}
			for k, v := range q {
				ev.QueryStringParameters[k] = v[0]
			}
		}
		if body != "" {
			ev.Headers["content-type"], ev.Body, ev.IsBase64Encoded = ctype, body, true
		}
		return ev
	}
	for _, c := range []struct {
		name string
		ev   any
		want int
	}{
		{"REST query name", rest(map[string]string{b64("<svg onload=alert(1)>"): "1"}, nil), 403},
		{"REST short header", rest(nil, map[string]string{"X-Data": b64("{{7*7}}")}), 403},
		{"FURL unescaped base64 query", furl("q="+b64("<script>alert(document.domain)</script>"), "", ""), 403},
		{"FURL gRPC field", furl("", "application/grpc", grpc(b64("; cat /etc/passwd"))), 403},
		{"FURL query value as character references", furl("id=7&q="+strings.ReplaceAll("&#x3c;&#x73;&#x76;&#x67;&#x20;&#x6f;&#x6e;&#x6c;&#x6f;&#x61;&#x64;&#x3d;&#x61;&#x6c;&#x65;&#x72;&#x74;&#x28;&#x31;&#x29;&#x3e;", "#", "%23"), "", ""), 403},

		{"REST benign names and tokens", rest(map[string]string{b64("page two of the report"): "1", "ref": "abcdEFGH12"}, map[string]string{"X-Data": "Password1"}), 200},
		{"FURL benign query", furl("q=Hello+World+2024+Summer+Sale&v="+b64("Status: shipped >> next week"), "", ""), 200},
		{"FURL benign gRPC", furl("", "application/grpc", grpc("blue running shoes, size 42")), 200},
		{"FURL benign character references", furl("q="+strings.ReplaceAll("&#84;&#111;&#109;&#39;&#115;&#32;&#100;&#105;&#110;&#101;&#114;&#44;&#32;&#53;&#116;&#104;&#32;&#38;&#32;&#77;&#97;&#105;&#110;", "#", "%23")+"&page=2", "", ""), 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := json.Marshal(c.ev)
			if err != nil {
				t.Fatal(err)
			}
			out, err := h.Invoke(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			var resp struct {
				StatusCode int `json:"statusCode"`
			}
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if resp.StatusCode != c.want {
				t.Errorf("status %d, want %d (%s)", resp.StatusCode, c.want, out)
			}
		})
	}
}
