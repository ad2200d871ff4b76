package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	"github.com/fnguard/fnguard/guard"
)

var (
	startOnce sync.Once
	baseURL   string
	startErr  error
)

// server registers Hello and starts the real Functions Framework once per
// test binary (registration is global and the framework cannot be stopped
// or restarted), on 127.0.0.1 and a free port, and waits until it accepts
// connections.
func server(t *testing.T) string {
	t.Helper()
	startOnce.Do(func() { baseURL, startErr = start() })
	if startErr != nil {
		t.Fatal(startErr)
	}
	return baseURL
}

func start() (string, error) {
	if err := register(); err != nil {
		return "", err
	}
	os.Setenv("FUNCTION_TARGET", "Hello") // serve Hello at "/", as Cloud Functions does
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // another process may grab the port in between
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		addr := l.Addr().String()
		l.Close()
		_, port, _ := net.SplitHostPort(addr)
		errc := make(chan error, 1)
		go func() { errc <- funcframework.StartHostPort("127.0.0.1", port) }()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			select {
			case err := <-errc:
				lastErr = fmt.Errorf("funcframework.StartHostPort: %w", err)
			default:
				if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
					c.Close()
					return "http://" + addr, nil
				}
				time.Sleep(20 * time.Millisecond)
				continue
			}
			break
		}
		if lastErr == nil {
			return "", errors.New("the Functions Framework did not start listening within 10s")
		}
	}
	return "", lastErr
}

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
