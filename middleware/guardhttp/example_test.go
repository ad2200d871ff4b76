package guardhttp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

func ExampleHandler() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body) // the body is still there, byte for byte
		fmt.Fprintf(w, "order received: %s", b)
	})
	h := guardhttp.Handler(g, mux)

	for _, body := range []string{
		`{"customer":"O'Brien","note":"select the best one from the list"}`,
		`{"customer":"' OR 1=1--"}`,
	} {
		r := httptest.NewRequest("POST", "/orders", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Request-Id", "req-1")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 order received: {"customer":"O'Brien","note":"select the best one from the list"}
	// 403 {"message":"Forbidden","requestId":"req-1"}
}

func ExampleMiddleware() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithMaxBodyBytes(16))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The func(http.Handler) http.Handler form, as routers' Use methods take it.
	protect := guardhttp.Middleware(g)
	h := protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))

	r := httptest.NewRequest("POST", "/upload", strings.NewReader(strings.Repeat("x", 17)))
	r.Header.Set("X-Request-Id", "req-2")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// 413 {"message":"Payload Too Large","requestId":"req-2"}
}
