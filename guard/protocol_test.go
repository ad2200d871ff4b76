package guard_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// rawInvocation reads a protocol rule example (a raw HTTP/1.x request,
// lines separated by "\n") as an adapter would map it.
func rawInvocation(t *testing.T, raw string) *guard.Invocation {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	lines := strings.Split(head, "\n")
	parts := strings.Fields(lines[0])
	if len(parts) != 3 {
		t.Fatalf("bad request line %q", lines[0])
	}
	inv := &guard.Invocation{Source: guard.SourceHTTP, Method: parts[0], Proto: parts[2]}
	target := parts[1]
	inv.Path, inv.RawQuery, _ = strings.Cut(target, "?")
	for pair := range strings.SplitSeq(inv.RawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		inv.Query = append(inv.Query, guard.Param{Name: k, Value: v})
	}
	for _, l := range lines[1:] {
		name, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad header line %q", l)
		}
		name, v = strings.ToLower(name), strings.TrimSpace(v)
		if name == "cookie" {
			inv.Cookies = guard.AppendCookies(inv.Cookies, v)
			continue
		}
		if name == "content-type" {
			inv.ContentType = v
		}
		inv.Headers = append(inv.Headers, guard.Param{Name: name, Value: v})
	}
	inv.Body = []byte(body)
	return inv
}

func TestProtocolRuleExamples(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	rules := guard.ProtocolRules()
	if len(rules) == 0 {
		t.Fatal("no protocol rules")
	}
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted by id: %s after %s", r.ID, rules[i-1].ID)
		}
		if len(r.Attacks) == 0 || len(r.Benign) == 0 || r.Description == "" || r.CRS == "" {
			t.Errorf("%s: needs a description, a CRS reference, attack and benign examples", r.ID)
		}
		for _, a := range r.Attacks {
			d := g.Inspect(context.Background(), rawInvocation(t, a))
			found := false
			for _, f := range d.Findings {
				if f.Rule == r.ID && f.Category == guard.Protocol {
					found = true
				}
			}
			if !found || d.Allowed() {
				t.Errorf("%s: attack not refused by the rule: %q\n%+v", r.ID, a, d.Findings)
			}
		}
		for _, b := range r.Benign {
			d := g.Inspect(context.Background(), rawInvocation(t, b))
			if !d.Allowed() {
				t.Errorf("%s: benign refused: %q\n%+v", r.ID, b, d.Findings)
			}
		}
	}
}

// TestProtocolExampleLengths: every example whose Content-Length is one
// number declares its body's true length, so that the adapters' tests can
// send it on a connection as is.
func TestProtocolExampleLengths(t *testing.T) {
	for _, r := range guard.ProtocolRules() {
		for _, ex := range append(append([]string(nil), r.Attacks...), r.Benign...) {
			inv := rawInvocation(t, ex)
			var cls []string
			te := false
			for _, h := range inv.Headers {
				switch h.Name {
				case "content-length":
					cls = append(cls, h.Value)
				case "transfer-encoding":
					te = true
				}
			}
			if te || len(cls) != 1 {
				continue
			}
			if n, err := strconv.Atoi(cls[0]); err == nil && n >= 0 && n != len(inv.Body) {
				t.Errorf("%s: Content-Length %d, body of %d bytes: %q", r.ID, n, len(inv.Body), ex)
			}
		}
	}
}

// TestProtocolCategoryModes: protocol=monitor logs the findings and lets
// the request through; protocol=off makes no finding; an exclusion names a
// protocol rule id.
func TestProtocolCategoryModes(t *testing.T) {
	raw := "GET /items HTTP/1.1\nHost: api.example.com\nProxy: http://evil.example/\n\n"
	for _, c := range []struct {
		env      string
		findings int
		allowed  bool
	}{{"", 1, false}, {"protocol=monitor", 1, true}, {"protocol=off", 0, true}} {
		opts := []guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.NewNop())}
		if c.env != "" {
			m, _ := strings.CutPrefix(c.env, "protocol=")
			mode, err := guard.ParseMode(m)
			if err != nil {
				t.Fatal(err)
			}
			opts = append(opts, guard.WithCategoryMode(guard.Protocol, mode))
		}
		g, err := guard.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		d := g.Inspect(context.Background(), rawInvocation(t, raw))
		if len(d.Findings) != c.findings || d.Allowed() != c.allowed {
			t.Errorf("%q: %d findings, allowed %v; want %d, %v", c.env, len(d.Findings), d.Allowed(), c.findings, c.allowed)
		}
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithExclusion("headers.proxy", "protocol.restricted_header"))
	if err != nil {
		t.Fatal(err)
	}
	if d := g.Inspect(context.Background(), rawInvocation(t, raw)); !d.Allowed() {
		t.Errorf("excluded rule still refuses: %+v", d.Findings)
	}
	if _, err := guard.New(guard.WithoutEnv(), guard.WithExclusion("headers.proxy", "protocol.no_such_rule")); err == nil {
		t.Error("an unknown protocol rule id is accepted")
	}
}

// TestProtocolEventFields: what hand-made Lambda events put in their
// protocol and Content-Type fields is judged by grammar: "Https" claims no
// HTTP version, "idk" names no media type (both in the platform fixtures);
// "HTTP/1.2" and a hidden second media type are refused; a Lambda event
// without a Host header is not a request a server read.
func TestProtocolEventFields(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		proto, ctype, rule string
	}{
		{"Https", "", ""}, {"SFTP", "", ""}, {"HTTP/1.1", "idk", ""}, {"", "", ""},
		{"HTTP/1.2", "", "protocol.http_version"}, {"http/0.9", "", "protocol.http_version"},
		{"HTTP/1.1", "text/plain; application/json", "protocol.content_type"},
	} {
		inv := &guard.Invocation{Source: guard.SourceAPIGatewayREST, Method: "POST", Path: "/items", Proto: c.proto, ContentType: c.ctype, Body: []byte("{}")}
		if c.ctype != "" {
			inv.Headers = []guard.Param{{Name: "content-type", Value: c.ctype}}
		}
		d := g.Inspect(context.Background(), inv)
		var got string
		for _, f := range d.Findings {
			got = f.Rule
		}
		if got != c.rule {
			t.Errorf("protocol %q, content type %q: rule %q, want %q (%+v)", c.proto, c.ctype, got, c.rule, d.Findings)
		}
	}
}
