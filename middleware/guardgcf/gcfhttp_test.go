package guardgcf_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func TestHTTP(t *testing.T) {
	t.Setenv("K_SERVICE", "hello-svc")
	t.Setenv("FUNCTION_TARGET", "Hello")
	tests := []struct {
		name       string
		nilGuard   bool
		method     string
		target     string
		body       string
		wantStatus int
		wantLog    []string // strings expected in the log line
	}{
		{"benign", false, "GET", "/?name=Siobh%C3%A1n", "", 200, nil},
		{"benign JSON body", false, "POST", "/", `{"name":"O'Brien"}`, 200, nil},
		{"SQLi", false, "GET", "/?name=%27%20OR%201%3D1--", "", 403, []string{`"gcp:functions:http"`, "exec-123", "hello-svc", "Hello", "105445aa7843bc8bf206b12000100000"}},
		{"XSS in body", false, "POST", "/", `{"name":"<svg onload=alert(1)>"}`, 403, nil},
		{"traversal", false, "GET", "/static/..%2F..%2F..%2Fetc%2Fpasswd", "", 403, nil},
		{"oversized", false, "POST", "/", strings.Repeat("x", 600), 413, nil},
		{"nil guard", true, "GET", "/", "", 503, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g *guard.Guard
			g, logs := newGuard(t, guard.WithMaxBodyBytes(512))
			if tt.nilGuard {
				g = nil
			}
			var calls atomic.Int32
			var got string
			fn := guardgcf.HTTP(g, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				b, _ := io.ReadAll(r.Body)
				got = string(b)
				io.WriteString(w, "Hello!")
			})
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			r := httptest.NewRequest(tt.method, tt.target, body)
			if tt.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			r.Header.Set("Function-Execution-Id", "exec-123")
			r.Header.Set("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1")
			w := httptest.NewRecorder()
			fn(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body.String())
			}
			if tt.wantStatus == 200 {
				if calls.Load() != 1 || got != tt.body || w.Body.String() != "Hello!" {
					t.Fatalf("calls %d, body %q, answer %q", calls.Load(), got, w.Body.String())
				}
				return
			}
			if calls.Load() != 0 {
				t.Fatal("the function ran")
			}
			var a struct{ Message, RequestID string }
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.RequestID != "exec-123" {
				t.Fatalf("answer %s (%v), want the execution id as request id", w.Body.String(), err)
			}
			if len(tt.wantLog) > 0 {
				if logs.Len() == 0 {
					t.Fatal("nothing logged")
				}
				line, _ := json.Marshal(logs.All()[0].ContextMap())
				for _, want := range tt.wantLog {
					if !strings.Contains(string(line), want) {
						t.Errorf("log line lacks %s: %s", want, line)
					}
				}
			}
		})
	}
}

func TestHTTPNilFunction(t *testing.T) {
	g, _ := newGuard(t)
	w := httptest.NewRecorder()
	guardgcf.HTTP(g, nil)(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 {
		t.Fatalf("status %d, want 500", w.Code)
	}
}
