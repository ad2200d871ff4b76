package guardlambda_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// httpAPIEvent turns a protocol rule example (a raw HTTP/1.x request) into
// the HTTP API (payload 2.0) event API Gateway would hand the function:
// raw path and query as sent, headers joined by ',' under lower-case
// names, cookies apart, the version in requestContext.http.protocol.
func httpAPIEvent(t *testing.T, raw string) []byte {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	lines := strings.Split(head, "\n")
	parts := strings.Fields(lines[0])
	path, rq, _ := strings.Cut(parts[1], "?")
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: path, RawQueryString: rq, Body: body,
		Headers: map[string]string{}, QueryStringParameters: map[string]string{},
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "probe",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: parts[0], Path: path, Protocol: parts[2], SourceIP: "203.0.113.9"}},
	}
	for _, l := range lines[1:] {
		name, v, _ := strings.Cut(l, ":")
		name, v = strings.ToLower(name), strings.TrimSpace(v)
		if name == "cookie" {
			ev.Cookies = append(ev.Cookies, strings.Split(v, "; ")...)
			continue
		}
		if old, ok := ev.Headers[name]; ok {
			v = old + "," + v
		}
		ev.Headers[name] = v
	}
	for pair := range strings.SplitSeq(rq, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		if k != "" {
			ev.QueryStringParameters[k] = v
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestProtocolRulesAsLambdaEvents replays the protocol rules' examples as
// HTTP API events through guardlambda around lambda.NewHandler. What a
// front end never delivers is left out: protocol.host (API Gateway and
// function URLs always pass the Host they were reached by), and a raw '#'
// in the path (event paths are not read for it).
func TestProtocolRulesAsLambdaEvents(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	reached := 0
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		reached++
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "ok"}, nil
	}))
	replayProtocolRules(t, h, &reached, httpAPIEvent, func(r guard.ProtocolRule, ex string, attack bool) bool {
		if r.ID == "protocol.host" {
			return true
		}
		// rawPath is not judged for '#': a REST event's path comes decoded, %23 included
		path, _, _ := strings.Cut(strings.Fields(ex)[1], "?")
		return strings.Contains(path, "#")
	})
}

// replayProtocolRules sends every protocol rule example that skip leaves
// in through h, as the event built by event, and checks the answer: an
// attack gets 403 and never reaches the handler (reached counts the
// handler's runs), a benign example reaches it and gets its 200. It
// returns how many examples were sent.
func replayProtocolRules(t *testing.T, h lambda.Handler, reached *int, event func(*testing.T, string) []byte, skip func(r guard.ProtocolRule, ex string, attack bool) bool) int {
	t.Helper()
	n := 0
	for _, r := range guard.ProtocolRules() {
		for _, c := range []struct {
			examples []string
			attack   bool
		}{{r.Attacks, true}, {r.Benign, false}} {
			for _, ex := range c.examples {
				if skip(r, ex, c.attack) {
					continue
				}
				n++
				before := *reached
				out, err := h.Invoke(context.Background(), event(t, ex))
				if err != nil {
					t.Fatalf("%s: %v", r.ID, err)
				}
				var resp struct {
					StatusCode int `json:"statusCode"`
				}
				if err := json.Unmarshal(out, &resp); err != nil {
					t.Fatalf("%s: %v: %s", r.ID, err, out)
				}
				got := *reached > before
				switch {
				case c.attack && (got || resp.StatusCode != 403):
					t.Errorf("%s: attack event answered %d (handler ran: %v): %q", r.ID, resp.StatusCode, got, ex)
				case !c.attack && (!got || resp.StatusCode != 200):
					t.Errorf("%s: benign event answered %d (handler ran: %v): %q", r.ID, resp.StatusCode, got, ex)
				}
			}
		}
	}
	return n
}

// restEvent turns a protocol rule example into the REST API (payload 1.0)
// event API Gateway would hand the function: query parameters decoded
// (REST events carry no raw query string), headers in both maps, the
// version in requestContext.protocol.
func restEvent(t *testing.T, raw string) []byte {
	t.Helper()
	var v2 events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(httpAPIEvent(t, raw), &v2); err != nil {
		t.Fatal(err)
	}
	ev := events.APIGatewayProxyRequest{
		HTTPMethod: v2.RequestContext.HTTP.Method, Path: v2.RawPath, Resource: "/{proxy+}", Body: v2.Body,
		Headers: v2.Headers, MultiValueHeaders: map[string][]string{},
		QueryStringParameters: v2.QueryStringParameters, MultiValueQueryStringParameters: map[string][]string{},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "probe", Protocol: v2.RequestContext.HTTP.Protocol,
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.9"}},
	}
	if len(v2.Cookies) > 0 {
		ev.Headers["cookie"] = strings.Join(v2.Cookies, "; ")
	}
	for k, v := range ev.Headers {
		ev.MultiValueHeaders[k] = []string{v}
	}
	for k, v := range ev.QueryStringParameters {
		ev.MultiValueQueryStringParameters[k] = []string{v}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestProtocolRulesAsRESTEvents replays the examples as REST API events.
// Left out besides what HTTP API events leave out: the rules that read
// the query string as sent (protocol.url_encoding, protocol.unicode_escape
// and protocol.fragment in the query), which a REST event does not carry:
// API Gateway hands over decoded parameters.
func TestProtocolRulesAsRESTEvents(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	reached := 0
	h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		reached++
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok"}, nil
	}))
	n := replayProtocolRules(t, h, &reached, restEvent, func(r guard.ProtocolRule, ex string, attack bool) bool {
		switch r.ID {
		case "protocol.host", "protocol.fragment":
			return true
		}
		// the raw query string is not in a REST event
		_, q, _ := strings.Cut(strings.Fields(ex)[1], "?")
		return attack && (r.ID == "protocol.url_encoding" || r.ID == "protocol.unicode_escape") && q != ""
	})
	if n < 70 {
		t.Errorf("only %d examples replayed", n)
	}
}
