package guardhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// BenchmarkMiddleware compares a bare handler with the same handler behind
// guardhttp on a typical ~1 KB JSON POST with browser-like headers.
func BenchmarkMiddleware(b *testing.B) {
	body, err := os.ReadFile("testdata/order.json")
	if err != nil {
		b.Fatal(err)
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	// With the engine off, only the adapter works: request mapping, body
	// read and restore.
	off, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithMode(guard.Off))
	if err != nil {
		b.Fatal(err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		if n != int64(len(body)) {
			b.Fatalf("handler read %d bytes", n)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	rd := bytes.NewReader(body)
	req := httptest.NewRequest("POST", "https://api.example.com/v1/orders?source=web&campaign=spring-sale", nil)
	for k, v := range map[string]string{
		"Content-Type":    "application/json",
		"Accept":          "application/json",
		"Accept-Encoding": "gzip, deflate, br",
		"Accept-Language": "en-GB,en;q=0.9,fr;q=0.8",
		"User-Agent":      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
		"Authorization":   "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl",
		"Cookie":          "session=7f3a9c2e; theme=dark",
		"X-Request-Id":    "3f1c2a9e-5b7d-4e0f-9a6b-1c2d3e4f5a6b",
		"Origin":          "https://shop.example.com",
	} {
		req.Header.Set(k, v)
	}
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", handler},
		{"guarded", guardhttp.Handler(g, handler)},
		{"adapter-only", guardhttp.Handler(off, handler)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := httptest.NewRecorder()
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				rd.Reset(body)
				r := *req
				r.Body = io.NopCloser(rd)
				r.ContentLength = int64(len(body))
				bc.h.ServeHTTP(w, &r)
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d: %s", w.Code, w.Body.String())
				}
			}
		})
	}
}
