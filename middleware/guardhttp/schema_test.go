package guardhttp_test

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	_ "github.com/fnguard/fnguard/guard/schema" // links FNGUARD_SCHEMAS
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// TestSchemaFromEnv configures FNGUARD_SCHEMAS the way a deployed function
// does (files relative to the function root) and sends real requests
// through the middleware.
func TestSchemaFromEnv(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LAMBDA_TASK_ROOT", wd)
	t.Setenv("FNGUARD_SCHEMAS", "POST /orders=testdata/schemas/order.json")
	core, logs := observer.New(zapcore.DebugLevel)
	g, err := guard.New(guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, target, body string
		status                     int
		loc                        string
	}{
		{"conforming", "POST", "/orders", `{"items":[{"sku":"AB-12","qty":2,"note":"gift wrap"}]}`, 200, ""},
		{"qty below minimum", "POST", "/orders", `{"items":[{"sku":"AB-12","qty":2},{"sku":"CD-34","qty":0}]}`, 400, "body.items[1].qty"},
		{"unknown property", "POST", "/orders", `{"items":[{"sku":"AB-12","qty":1}],"admin":true}`, 400, "body.admin"},
		{"other route unvalidated", "POST", "/carts", `{"free":"form"}`, 200, ""},
		{"attack still blocked first", "POST", "/orders", `{"items":[{"sku":"AB-12","qty":1,"note":"' OR 1=1--"}]}`, 403, "body.items[0].note"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &recorder{}
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			guardhttp.Handler(g, h).ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body.String())
			}
			if tc.status != 200 {
				if h.calls.Load() != 0 {
					t.Fatal("handler ran on a refused request")
				}
				// Clients get the generic answer; the log names the field.
				decodeAnswer(t, w)
				entries := logs.TakeAll()
				if len(entries) == 0 || entries[len(entries)-1].ContextMap()["fnguard.location"] != tc.loc {
					t.Fatalf("log does not locate %s: %+v", tc.loc, entries)
				}
			}
		})
	}
}
