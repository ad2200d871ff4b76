package httpguard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/textproto"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
)

func param(name, value string) guard.Param { return guard.Param{Name: name, Value: value} }

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []guard.Param
	}{
		{"simple", "a=1&b=two", []guard.Param{param("a", "1"), param("b", "two")}},
		{"multi-value keeps order", "tag=x&tag=y&tag=z", []guard.Param{param("tag", "x"), param("tag", "y"), param("tag", "z")}},
		{"form decoding", "q=O%27Brien+and+co&k%5B%24ne%5D=1", []guard.Param{param("q", "O'Brien and co"), param("k[$ne]", "1")}},
		{"no value", "flag&x=", []guard.Param{param("flag", ""), param("x", "")}},
		{"empty pairs skipped", "&&a=1&&", []guard.Param{param("a", "1")}},
		{"malformed escape kept raw", "q=%zz%27%20OR%201%3D1--", []guard.Param{param("q", "%zz%27%20OR%201%3D1--")}},
		{"semicolon is data", "a=1;b=2", []guard.Param{param("a", "1;b=2")}},
		{"only equals", "=v", []guard.Param{param("", "v")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseQuery(tt.raw)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseQuery(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestHeadersAndCookies(t *testing.T) {
	r := httptest.NewRequest("GET", "http://api.example.com/x", nil)
	r.Header.Add("X-Custom", "one")
	r.Header.Add("X-Custom", "two")
	r.Header.Set("User-Agent", "test/1.0")
	r.Header.Add("Cookie", `session=abc; theme="dark"; ; broken; x=<script>`)
	r.Header.Add("Cookie", "second=2")
	r.Header["x-lower"] = []string{"raw map key"}
	r.Header["Host"] = []string{"ignored.example"}
	headers, cookies := Headers(r)
	wantHeaders := []guard.Param{
		param("host", "api.example.com"), // r.Host, not a Host map entry
		param("user-agent", "test/1.0"),
		param("x-custom", "one"),
		param("x-custom", "two"),
		param("x-lower", "raw map key"),
	}
	if !reflect.DeepEqual(headers, wantHeaders) {
		t.Errorf("headers = %q\nwant      %q", headers, wantHeaders)
	}
	wantCookies := []guard.Param{param("session", "abc"), param("theme", "dark"), param("broken", ""), param("x", "<script>"), param("second", "2")}
	if !reflect.DeepEqual(cookies, wantCookies) {
		t.Errorf("cookies = %q\nwant      %q", cookies, wantCookies)
	}
}

func TestLowerName(t *testing.T) {
	for _, k := range []string{"Accept", "Content-Type", "X-Forwarded-For", "X-Some-Thing", "already-lower", "Function-Execution-Id", "Traceparent"} {
		t.Run(k, func(t *testing.T) {
			if got, want := lowerName(k), strings.ToLower(k); got != want {
				t.Fatalf("lowerName(%q) = %q, want %q", k, got, want)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name   string
		remote string
		header string // canonical proxy header name
		values []string
		hops   int
		want   string // "" = unknown
	}{
		{"remote addr with port", "192.0.2.10:5555", "", nil, 1, "192.0.2.10"},
		{"remote addr bare (lambdaurl)", "192.0.2.11", "", nil, 1, "192.0.2.11"},
		{"remote addr ipv6", "[2001:db8::5]:443", "", nil, 1, "2001:db8::5"},
		{"remote addr mapped ipv4", "[::ffff:192.0.2.12]:80", "", nil, 1, "192.0.2.12"},
		{"remote addr garbage", "pipe", "", nil, 1, ""},
		{"no header configured ignores XFF", "192.0.2.10:1", "", []string{"203.0.113.9"}, 1, "192.0.2.10"},
		{"xff one hop takes last", "10.0.0.1:1", "X-Forwarded-For", []string{"203.0.113.9, 198.51.100.7"}, 1, "198.51.100.7"},
		{"xff two hops", "10.0.0.1:1", "X-Forwarded-For", []string{"203.0.113.9, 198.51.100.7, 10.1.1.1"}, 2, "198.51.100.7"},
		{"xff spoofed left entries ignored", "10.0.0.1:1", "X-Forwarded-For", []string{"1.1.1.1, 2.2.2.2, 198.51.100.7"}, 1, "198.51.100.7"},
		{"xff several header lines", "10.0.0.1:1", "X-Forwarded-For", []string{"1.1.1.1", "198.51.100.8"}, 1, "198.51.100.8"},
		{"xff shorter than hops takes first", "10.0.0.1:1", "X-Forwarded-For", []string{"198.51.100.9"}, 3, "198.51.100.9"},
		{"xff entry with port", "10.0.0.1:1", "X-Forwarded-For", []string{"198.51.100.7:3456"}, 1, "198.51.100.7"},
		{"xff ipv6 bracketed", "10.0.0.1:1", "X-Forwarded-For", []string{"[2001:db8::7]:80"}, 1, "2001:db8::7"},
		{"xff ipv6 bracketed no port", "10.0.0.1:1", "X-Forwarded-For", []string{"[2001:db8::8]"}, 1, "2001:db8::8"},
		{"xff invalid entry is unknown", "10.0.0.1:1", "X-Forwarded-For", []string{"198.51.100.7, not-an-ip"}, 1, ""},
		{"header absent uses remote", "10.0.0.2:1", "X-Forwarded-For", nil, 1, "10.0.0.2"},
		{"zero hops uses remote", "10.0.0.3:1", "X-Forwarded-For", []string{"198.51.100.7"}, 0, "10.0.0.3"},
		{"x-real-ip single value", "10.0.0.1:1", "X-Real-Ip", []string{" 198.51.100.20 "}, 1, "198.51.100.20"},
		{"forwarded rfc7239", "10.0.0.1:1", "Forwarded", []string{`for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"`}, 1, "2001:db8:cafe::17"},
		{"forwarded two hops", "10.0.0.1:1", "Forwarded", []string{`for=192.0.2.60;proto=http, for=198.51.100.1`}, 2, "192.0.2.60"},
		{"forwarded without for", "10.0.0.1:1", "Forwarded", []string{`proto=https`}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
			if tt.values != nil {
				name := tt.header
				if name == "" {
					name = "X-Forwarded-For"
				}
				r.Header[name] = tt.values
			}
			got := ClientIP(r, tt.header, tt.hops)
			var want netip.Addr
			if tt.want != "" {
				want = netip.MustParseAddr(tt.want)
			}
			if got != want {
				t.Fatalf("ClientIP = %v, want %v", got, want)
			}
		})
	}
}

func TestRequestIDs(t *testing.T) {
	lctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"})
	tests := []struct {
		name      string
		ctx       context.Context
		p         Platform
		headers   map[string]string
		wantID    string // "*" = random
		wantTrace string
	}{
		{"execution id first", nil, Platform{ExecutionIDHeader: "Function-Execution-Id"},
			map[string]string{"Function-Execution-Id": "abc123", "X-Request-Id": "req-1"}, "abc123", ""},
		{"execution id header ignored when not the platform's", nil, Platform{},
			map[string]string{"Function-Execution-Id": "abc123", "X-Request-Id": "req-1"}, "req-1", ""},
		{"lambda request id", lctx, Platform{}, map[string]string{"X-Request-Id": "req-1"}, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", ""},
		{"cloud trace", nil, Platform{}, map[string]string{"X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"},
			"105445aa7843bc8bf206b12000100000", "105445aa7843bc8bf206b12000100000"},
		{"traceparent", nil, Platform{}, map[string]string{"Traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
			"4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"request id with trace", nil, Platform{}, map[string]string{"X-Request-Id": "r-9", "Traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
			"r-9", "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"unsafe request id replaced", nil, Platform{}, map[string]string{"X-Request-Id": `"><script>alert(1)</script>`}, "*", ""},
		{"too long request id replaced", nil, Platform{}, map[string]string{"X-Request-Id": strings.Repeat("a", 129)}, "*", ""},
		{"bad traceparent ignored", nil, Platform{}, map[string]string{"Traceparent": "00-zzzz"}, "*", ""},
		{"none", nil, Platform{}, nil, "*", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.ctx != nil {
				r = r.WithContext(tt.ctx)
			}
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			id, trace := requestIDs(r, &tt.p)
			if tt.wantID == "*" {
				if !validID(id) || len(id) != 16 {
					t.Fatalf("id = %q, want a random 16-hex-digit id", id)
				}
			} else if id != tt.wantID {
				t.Fatalf("id = %q, want %q", id, tt.wantID)
			}
			if trace != tt.wantTrace {
				t.Fatalf("trace = %q, want %q", trace, tt.wantTrace)
			}
		})
	}
}

func TestMap(t *testing.T) {
	r := httptest.NewRequest("POST", "http://fn.example/files/..%2F..%2Fetc%2Fpasswd?q=1&q=2", strings.NewReader("{}"))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.Header.Set("Function-Execution-Id", "exec-42")
	r.RemoteAddr = "192.0.2.1:1234"
	p := Platform{Source: guard.SourceGCFHTTP, ExecutionIDHeader: "Function-Execution-Id", FunctionName: "Hello",
		Attrs: []guard.Param{param("k_service", "hello")}}
	var inv guard.Invocation
	Map(&inv, r, &p, "", 1)
	if inv.Source != guard.SourceGCFHTTP || inv.Method != "POST" || inv.FunctionName != "Hello" {
		t.Errorf("source/method/function = %q %q %q", inv.Source, inv.Method, inv.FunctionName)
	}
	if inv.Path != "/files/..%2F..%2Fetc%2Fpasswd" {
		t.Errorf("path = %q, want the escaped path", inv.Path)
	}
	if want := []guard.Param{param("q", "1"), param("q", "2")}; !reflect.DeepEqual(inv.Query, want) {
		t.Errorf("query = %q", inv.Query)
	}
	if inv.ContentType != "application/json; charset=utf-8" {
		t.Errorf("content type = %q", inv.ContentType)
	}
	if inv.RequestID != "exec-42" {
		t.Errorf("request id = %q", inv.RequestID)
	}
	if want := []guard.Param{param("k_service", "hello"), param("execution_id", "exec-42")}; !reflect.DeepEqual(inv.Attrs, want) {
		t.Errorf("attrs = %q, want %q", inv.Attrs, want)
	}
	if len(p.Attrs) != 1 {
		t.Errorf("platform attrs modified: %q", p.Attrs)
	}
	if inv.ClientIP != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("client ip = %v", inv.ClientIP)
	}
	if inv.Body != nil {
		t.Errorf("Map must not read the body")
	}
}

// FuzzSpanID: whatever the trace headers hold, the span id is "" or 16
// lower-case hex digits, not all zero, and only ever taken from the header
// that gave the trace id.
func FuzzSpanID(f *testing.F) {
	f.Add("4bf92f3577b34da6a3ce929d0e0e4736/8173449934617812345;o=1", "")
	f.Add("", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("abc/18446744073709551616", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")
	f.Fuzz(func(t *testing.T, cloud, tp string) {
		h := http.Header{}
		h.Set("X-Cloud-Trace-Context", cloud)
		h.Set("Traceparent", tp)
		tid := cloudTrace(h.Get("X-Cloud-Trace-Context"))
		if tid == "" {
			tid = traceparent(h.Get("Traceparent"))
		}
		s := spanID(h, tid)
		if s == "" {
			return
		}
		if tid == "" || len(s) != 16 || s == "0000000000000000" || strings.Trim(s, "0123456789abcdef") != "" {
			t.Fatalf("spanID(%q, %q) = %q for trace %q", cloud, tp, s, tid)
		}
	})
}

// TestGetCanonical: get is Header.Get for the canonical keys it is given.
func TestGetCanonical(t *testing.T) {
	h := http.Header{}
	h.Add("x-cloud-trace-context", "a/1")
	h.Add("Traceparent", "00-x")
	h.Add("Traceparent", "00-y")
	h["x-request-id"] = []string{"raw"} // set without canonicalisation: Get does not find it either
	h["Content-Type"] = []string{}
	for _, k := range []string{"X-Cloud-Trace-Context", "Traceparent", "X-Request-Id", "Content-Type", "Accept"} {
		if textproto.CanonicalMIMEHeaderKey(k) != k {
			t.Fatalf("%q is not canonical", k)
		}
		if got, want := get(h, k), h.Get(k); got != want {
			t.Errorf("get(%q) = %q, Get gives %q", k, got, want)
		}
	}
}
