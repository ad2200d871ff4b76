package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard/detect"
)

// The payloads of the end-to-end test. The host names are under the
// reserved example.com / example.net domains and are only ever resolved by
// the tests' own DNS server or host map on 127.0.0.1.
const (
	docsHost    = "docs.example.com" // the help centre: the one host the function needs
	ssrfHost    = "cdn.example.net"  // public-looking; its A record points at an internal address
	cmdiPayload = "notes.txt; id > pwned"
	markerFile  = "pwned" // what cmdiPayload creates in UPLOAD_DIR when it runs
)

// TestPayloadsVersusDetector pins down why each attack reaches the handler.
// The SSRF URL is a well-formed link to a public-looking name: the detector
// reports nothing, in any category, so the request passes even in block
// mode. The command injection is flagged (cmdi.separator): it passes only
// because the example runs the cmdi category in monitor mode.
func TestPayloadsVersusDetector(t *testing.T) {
	d, err := detect.New(detect.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		"http://" + ssrfHost + "/status",
		"http://" + ssrfHost + ":8080/status",
		"http://" + ssrfHost + ":41234/status",
		"http://" + docsHost + ":41234/start",
	} {
		if m := d.Scan(nil, u, detect.Input{}); len(m) != 0 {
			t.Errorf("detector flags %q: %+v; the example needs a payload that input checks cannot judge", u, m)
		}
	}
	m := d.Scan(nil, cmdiPayload, detect.Input{})
	if len(m) == 0 || m[0].Category != detect.CmdI {
		t.Errorf("detector on %q = %+v, want a cmdi finding (the example relies on monitor mode, not on a miss)", cmdiPayload, m)
	}
}

// hostMap is an HTTP client that connects host:port names to 127.0.0.1
// listeners and refuses every other destination: no test reaches the real
// network or asks a real DNS server.
func hostMap(routes map[string]string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			to, ok := routes[addr]
			if !ok {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("test host map: no route to " + addr)}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, to)
		},
	}}
}

// newSite serves a page with the given title on 127.0.0.1.
func newSite(t testing.TB, title string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html><head><meta charset=utf-8>\n<TITLE>\n  " + title + " </title></head><body>…</body></html>"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newUploads(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("first line\nsecond line here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHandler(t *testing.T) {
	docs := newSite(t, "Getting started &amp; FAQ")
	dir := newUploads(t)
	a, err := newApp(nil, hostMap(map[string]string{docsHost + ":80": docs.Listener.Addr().String()}), dir)
	if err != nil {
		t.Fatal(err)
	}
	get := func(resource string, q map[string]string) events.APIGatewayProxyRequest {
		return events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: resource, Path: resource, QueryStringParameters: q}
	}
	tests := []struct {
		name       string
		req        events.APIGatewayProxyRequest
		wantStatus int
		wantBody   string // substring of the JSON body
	}{
		{"preview", get("/preview", map[string]string{"url": "http://" + docsHost + "/start"}), 200,
			`{"url":"http://docs.example.com/start","status":200,"title":"Getting started \u0026 FAQ"}`},
		{"preview: no url", get("/preview", nil), 400, `url: want an absolute http or https URL`},
		{"preview: not http", get("/preview", map[string]string{"url": "file:///etc/hostname"}), 400, `url: want an absolute http or https URL`},
		{"preview: relative", get("/preview", map[string]string{"url": "/start"}), 400, `url: want an absolute http or https URL`},
		{"preview: unparsable", get("/preview", map[string]string{"url": "http://[::1"}), 400, `url: want an absolute http or https URL`},
		{"preview: unreachable", get("/preview", map[string]string{"url": "http://unknown.example.org/"}), 502, `could not fetch the link`},
		{"stats", get("/stats", map[string]string{"file": "notes.txt"}), 200, `"file":"notes.txt","wc":"2`},
		{"stats: missing file", get("/stats", map[string]string{"file": "nope.txt"}), 404, `file: no statistics for nope.txt`},
		{"stats: no file", get("/stats", nil), 400, `file: want a file name of 1 to 255 bytes`},
		{"stats: long name", get("/stats", map[string]string{"file": strings.Repeat("a", 256)}), 400, `file: want a file name of 1 to 255 bytes`},
		{"wrong method", events.APIGatewayProxyRequest{HTTPMethod: "POST", Resource: "/stats", Path: "/stats"}, 405, `Method Not Allowed`},
		{"unknown route", get("/admin", nil), 404, `no route for GET /admin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
			resp, err := a.handle(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus || !strings.Contains(resp.Body, tt.wantBody) {
				t.Errorf("%d %s, want %d with %s", resp.StatusCode, resp.Body, tt.wantStatus, tt.wantBody)
			}
			if !json.Valid([]byte(resp.Body)) {
				t.Errorf("body is not JSON: %s", resp.Body)
			}
			if resp.Headers["Content-Type"] != "application/json" || resp.Headers["X-Request-Id"] != "req-1" {
				t.Errorf("headers %v", resp.Headers)
			}
			if resp.StatusCode == 405 && resp.Headers["Allow"] != "GET" {
				t.Errorf("405 without Allow: GET")
			}
		})
	}
}

// TestStatsInjection shows the route's flaw in this (unlocked) process: the
// injected command runs.
func TestStatsInjection(t *testing.T) {
	dir := newUploads(t)
	a, err := newApp(nil, http.DefaultClient, dir)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.stats(context.Background(), cmdiPayload)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stats(%q) = %d %s, %v", cmdiPayload, resp.StatusCode, resp.Body, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, markerFile)); err != nil || !strings.Contains(string(b), "uid=") {
		t.Fatalf("the injected id did not run: %q, %v", b, err)
	}
}

func TestNewApp(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		client *http.Client
		dir    string
		want   string // substring of the error; "" for success
	}{
		{"default dir", http.DefaultClient, "", ""},
		{"dir", http.DefaultClient, t.TempDir(), ""},
		{"nil client", nil, t.TempDir(), "nil HTTP client"},
		{"relative", http.DefaultClient, "uploads", `UPLOAD_DIR="uploads": want an absolute path`},
		{"missing", http.DefaultClient, "/nonexistent/uploads", `UPLOAD_DIR="/nonexistent/uploads": not a directory`},
		{"a file", http.DefaultClient, file, `: not a directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newApp(nil, tt.client, tt.dir)
			if tt.want == "" {
				if err != nil || a == nil || !filepath.IsAbs(a.uploadDir) {
					t.Fatalf("newApp = %+v, %v", a, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("newApp error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestPageTitle(t *testing.T) {
	tests := []struct{ name, page, want string }{
		{"plain", "<html><title>Docs</title></html>", "Docs"},
		{"attributes and case", `<TITLE lang="en">  Getting
  started </TITLE>`, "Getting started"},
		{"entities", "<title>Q&amp;A &lt;2&gt;</title>", "Q&A <2>"},
		{"none", "<html><body>x</body></html>", ""},
		{"unclosed tag", "<title", ""},
		{"unclosed element", "<title>never ends", ""},
		{"invalid UTF-8 first", "\xd9\xd9<TITLE>Docs</TITLE>", "Docs"},
		{"long", "<title>" + strings.Repeat("é", 150) + "</title>", strings.Repeat("é", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pageTitle([]byte(tt.page)); got != tt.want {
				t.Fatalf("pageTitle(%q) = %q, want %q", tt.page, got, tt.want)
			}
		})
	}
}

// FuzzPageTitle: any page gives a title of at most maxTitleBytes, without
// surrounding or doubled spaces, and valid UTF-8 when the page is.
func FuzzPageTitle(f *testing.F) {
	f.Add("<title>Docs</title>")
	f.Add("<TITLE a=b>\n x \t y </title>")
	f.Add("<title>" + strings.Repeat("€", 80) + "</title>")
	f.Add("<title><title></title>")
	f.Fuzz(func(t *testing.T, page string) {
		got := pageTitle([]byte(page))
		if len(got) > maxTitleBytes {
			t.Fatalf("title of %d bytes", len(got))
		}
		if got != strings.Join(strings.Fields(got), " ") {
			t.Fatalf("title %q is not whitespace-collapsed", got)
		}
		if utf8.ValidString(page) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 title %q from a valid page", got)
		}
	})
}

// apiEvent is an API Gateway REST (payload v1) event for GET resource.
func apiEvent(id, resource string, query map[string]string) []byte {
	multi := map[string][]string{}
	for k, v := range query {
		multi[k] = []string{v}
	}
	headers := map[string]string{
		"Accept":          "application/json",
		"Host":            "r4nd0m1d.execute-api.eu-west-1.amazonaws.com",
		"User-Agent":      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"X-Amzn-Trace-Id": "Root=1-67f6a1b2-0a1b2c3d4e5f60718293a4b5",
		"X-Forwarded-For": "203.0.113.42",
	}
	multiHeaders := map[string][]string{}
	for k, v := range headers {
		multiHeaders[k] = []string{v}
	}
	ev := events.APIGatewayProxyRequest{
		Resource: resource, Path: resource, HTTPMethod: "GET",
		Headers: headers, MultiValueHeaders: multiHeaders,
		QueryStringParameters: query, MultiValueQueryStringParameters: multi,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID: "123456789012", ResourceID: "abc123", Stage: "Prod", RequestID: id,
			ResourcePath: resource, HTTPMethod: "GET", APIID: "r4nd0m1d", Protocol: "HTTP/1.1",
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.42", UserAgent: headers["User-Agent"]},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err) // a fixed struct of strings always encodes
	}
	return b
}
