package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnguard/fnguard/guard"
)

// sample is one API Gateway event and the verdict it must get.
type sample struct {
	name  string
	event events.APIGatewayProxyRequest

	// For attacks: the category and location of the finding fnguard must
	// report. Both are empty for benign traffic, which must reach the handler.
	category guard.Category
	location string
}

func (s *sample) malicious() bool { return s.category != "" }

// samples returns the events the quickstart sends, benign ones first.
func samples() []sample {
	return []sample{
		{
			name: "product search",
			event: apiEvent(request{method: "GET", resource: "/products", path: "/products",
				query: [][2]string{{"q", "desk lamp"}, {"sort", "price"}}}),
		},
		{
			name: "order from O'Brien",
			event: apiEvent(request{method: "POST", resource: "/orders", path: "/orders",
				body: `{"customer":"Siobhán O'Brien","items":[{"sku":"LAMP-01","qty":1,` +
					`"comment":"select the best one from the list"},{"sku":"MUG-02","qty":2}]}`}),
		},
		{
			name: "comment with <b>bold</b>",
			event: apiEvent(request{method: "POST", resource: "/products/{id}/comments", path: "/products/LAMP-01/comments",
				pathParams: [][2]string{{"id", "LAMP-01"}},
				body:       `{"author":"dev","comment":"<b>bold</b> & a < b, still a great lamp"}`}),
		},
		{
			name: "SQL injection in the query",
			event: apiEvent(request{method: "GET", resource: "/products", path: "/products",
				query: [][2]string{{"q", "' OR 1=1--"}}}),
			category: guard.SQLi, location: "query.q",
		},
		{
			name: "stored XSS in an order item",
			event: apiEvent(request{method: "POST", resource: "/orders", path: "/orders",
				body: `{"customer":"Mallory","items":[{"sku":"LAMP-01","qty":1},` +
					`{"sku":"MUG-02","qty":2,"comment":"<script>alert(1)</script>"}]}`}),
			category: guard.XSS, location: "body.items[1].comment",
		},
		{
			name: "path traversal in a path parameter",
			event: apiEvent(request{method: "GET", resource: "/files/{name}", path: "/files/" + url.PathEscape("../../etc/passwd"),
				pathParams: [][2]string{{"name", "../../etc/passwd"}}}),
			category: guard.PathTraversal, location: "pathParameters.name",
		},
		{
			name: "command injection in a header",
			event: apiEvent(request{method: "GET", resource: "/reports/export", path: "/reports/export",
				headers: [][2]string{{"X-Export-Name", "q3.csv; cat /etc/passwd"}}}),
			category: guard.CmdI, location: "headers.x-export-name",
		},
		{
			name: "SSRF to the metadata service",
			event: apiEvent(request{method: "POST", resource: "/webhooks", path: "/webhooks",
				body: `{"url":"http://169.254.169.254/latest/meta-data/","events":["order.created"]}`}),
			category: guard.SSRF, location: "body.url",
		},
		{
			name: "log4shell in User-Agent",
			event: apiEvent(request{method: "GET", resource: "/products", path: "/products",
				query:   [][2]string{{"q", "lamp"}},
				headers: [][2]string{{"User-Agent", "${jndi:ldap://x/a}"}}}),
			category: guard.JNDI, location: "headers.user-agent",
		},
	}
}

// request is the part of an API Gateway event that differs between samples.
type request struct {
	method, resource, path string
	query, pathParams      [][2]string
	headers                [][2]string // override or add to the browser-like defaults
	body                   string      // JSON when non-empty
}

// apiEvent builds an API Gateway REST (payload v1) proxy event shaped like
// the ones API Gateway really sends: every header and query parameter is in
// both the single- and the multi-value maps, and the request context carries
// the stage, resource path, request id and caller identity.
func apiEvent(r request) events.APIGatewayProxyRequest {
	headers := [][2]string{
		{"Accept", "application/json"},
		{"Accept-Encoding", "gzip, deflate, br"},
		{"Host", "k3x9qv2m1a.execute-api.eu-west-1.amazonaws.com"},
		{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
		{"X-Amzn-Trace-Id", "Root=1-67d2a1b4-3f0c6a1e5b9d2c7f8a4e1b06"},
		{"X-Forwarded-For", "198.51.100.23"},
		{"X-Forwarded-Port", "443"},
		{"X-Forwarded-Proto", "https"},
	}
	if r.body != "" {
		headers = append(headers, [2]string{"Content-Type", "application/json"})
	}
	for _, h := range r.headers {
		replaced := false
		for i := range headers {
			if strings.EqualFold(headers[i][0], h[0]) {
				headers[i][1], replaced = h[1], true
			}
		}
		if !replaced {
			headers = append(headers, h)
		}
	}

	ev := events.APIGatewayProxyRequest{
		Resource:          r.resource,
		Path:              r.path,
		HTTPMethod:        r.method,
		Headers:           map[string]string{},
		MultiValueHeaders: map[string][]string{},
		Body:              r.body,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:         "123456789012",
			ResourceID:        "x1y2z3",
			Stage:             "prod",
			DomainName:        "k3x9qv2m1a.execute-api.eu-west-1.amazonaws.com",
			DomainPrefix:      "k3x9qv2m1a",
			RequestID:         "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			ExtendedRequestID: "Q2FmZXNDb2Zmc2U=",
			Protocol:          "HTTP/1.1",
			ResourcePath:      r.resource,
			Path:              "/prod" + r.path,
			HTTPMethod:        r.method,
			RequestTime:       "09/Apr/2025:12:34:56 +0000",
			RequestTimeEpoch:  1744202096000,
			APIID:             "k3x9qv2m1a",
			Identity: events.APIGatewayRequestIdentity{
				SourceIP: "198.51.100.23",
			},
		},
	}
	for _, h := range headers {
		ev.Headers[h[0]] = h[1]
		ev.MultiValueHeaders[h[0]] = append(ev.MultiValueHeaders[h[0]], h[1])
		if strings.EqualFold(h[0], "User-Agent") {
			ev.RequestContext.Identity.UserAgent = h[1]
		}
	}
	if len(r.query) > 0 {
		ev.QueryStringParameters = map[string]string{}
		ev.MultiValueQueryStringParameters = map[string][]string{}
		for _, q := range r.query {
			ev.QueryStringParameters[q[0]] = q[1]
			ev.MultiValueQueryStringParameters[q[0]] = append(ev.MultiValueQueryStringParameters[q[0]], q[1])
		}
	}
	if len(r.pathParams) > 0 {
		ev.PathParameters = map[string]string{}
		for _, p := range r.pathParams {
			ev.PathParameters[p[0]] = p[1]
		}
	}
	return ev
}

// String is the request line, for error messages.
func (s *sample) String() string {
	return fmt.Sprintf("%s (%s %s)", s.name, s.event.HTTPMethod, s.event.Path)
}
