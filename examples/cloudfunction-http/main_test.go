package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/internal/fftest"
)

// ff is the real Functions Framework serving Hello, served at "/" as Cloud Functions does
// (registration is global and the framework cannot be stopped, so tests
// share it).
var ff = fftest.Server{Target: "Hello", Register: register}

// server returns the framework's base URL, starting it on first use.
func server(t *testing.T) string { return ff.URL(t) }

var client = &http.Client{Timeout: 10 * time.Second}

func TestHelloThroughFramework(t *testing.T) {
	base := server(t)
	big := `{"name":"` + strings.Repeat("a", guard.DefaultMaxBodyBytes) + `"}`
	tests := []struct {
		name       string
		method     string
		path       string
		ct         string
		body       string
		wantStatus int
		wantBody   string // for 200
		wantMsg    string // for fnguard answers
	}{
		{"benign query", "GET", "/?name=Ada", "", "", 200, "Hello, Ada!\n", ""},
		{"benign default", "GET", "/", "", "", 200, "Hello, World!\n", ""},
		{"benign JSON", "POST", "/", "application/json", `{"name":"Siobhán O'Brien"}`, 200, "Hello, Siobhán O'Brien!\n", ""},
		{"SQLi in query", "GET", "/?name=" + url.QueryEscape("' OR 1=1--"), "", "", 403, "", "Forbidden"},
		{"SQLi in JSON", "POST", "/", "application/json", `{"name":"x' UNION SELECT password FROM users--"}`, 403, "", "Forbidden"},
		{"XSS in query", "GET", "/?name=" + url.QueryEscape("<script>alert(1)</script>"), "", "", 403, "", "Forbidden"},
		{"XSS in JSON", "POST", "/", "application/json", `{"name":"<img src=x onerror=alert(1)>"}`, 403, "", "Forbidden"},
		{"traversal in query", "GET", "/?name=" + url.QueryEscape("../../../etc/passwd"), "", "", 403, "", "Forbidden"},
		{"encoded traversal in path", "GET", "/static/..%2f..%2f..%2fetc%2fpasswd", "", "", 403, "", "Forbidden"},
		{"malformed JSON", "POST", "/", "application/json", `{"name":`, 400, "", "Bad Request"},
		{"oversized body", "POST", "/", "application/json", big, 413, "", "Payload Too Large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, base+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			req.Header.Set("Function-Execution-Id", "test-exec-1")
			req.Header.Set("User-Agent", "curl/8.5.0") // what a developer trying the function sends
			req.Header.Set("Accept", "*/*")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, got)
			}
			if tt.wantStatus == 200 {
				if string(got) != tt.wantBody {
					t.Fatalf("answer %q, want %q", got, tt.wantBody)
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
			var a struct{ Message, RequestID string }
			if err := json.Unmarshal(got, &a); err != nil {
				t.Fatalf("answer %q: %v", got, err)
			}
			if a.Message != tt.wantMsg || a.RequestID != "test-exec-1" {
				t.Fatalf("answer %+v, want message %q and the execution id", a, tt.wantMsg)
			}
		})
	}
}
