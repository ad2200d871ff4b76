package fftest

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
)

// TestStart registers an HTTP function, starts the framework with it as
// FUNCTION_TARGET and reaches it at "/" and at a path below it.
func TestStart(t *testing.T) {
	err := funcframework.RegisterHTTPFunctionContext(context.Background(), "/echo", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "path="+r.URL.Path)
	})
	if err != nil {
		t.Fatal(err)
	}
	base, err := Start("")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(base + "/echo")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(b) != "path=/echo" {
		t.Fatalf("GET /echo: %d %q, want 200 \"path=/echo\"", resp.StatusCode, b)
	}
}

// TestServerStartsOnce: every URL call returns the framework the first one
// started; Register runs once.
func TestServerStartedOnce(t *testing.T) {
	calls := 0
	s := &Server{Register: func() error { calls++; return nil }}
	s.once.Do(func() { calls++; s.url = "http://127.0.0.1:1" }) // as if already started
	if got := s.URL(t); got != "http://127.0.0.1:1" || calls != 1 {
		t.Fatalf("URL = %q after %d calls, want the started server and no new start", got, calls)
	}
}
