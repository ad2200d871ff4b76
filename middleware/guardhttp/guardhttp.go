package guardhttp

import (
	"net/http"
	"os"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

// Middleware returns a middleware that protects a handler with g, in the
// func(http.Handler) http.Handler form that chi, gorilla/mux and alice
// accept:
//
//	r := chi.NewRouter()
//	r.Use(guardhttp.Middleware(g))
//
// A nil g answers every request 503 and never calls the handler.
func Middleware(g *guard.Guard) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return Handler(g, next) }
}

// Handler returns h protected by g: every request is inspected before h
// runs; blocked, rejected and failed requests are answered by fnguard
// (403, 400/413, 503 with a small JSON body) and never reach h. See the
// package documentation for what is inspected and how.
//
// A nil g (typically a guard.New error that was ignored) answers every
// request 503 (guard.ErrNoGuard) and never calls h; a nil h answers every
// request 500. Both are logged once, when Handler is called.
func Handler(g *guard.Guard, h http.Handler) http.Handler {
	return httpguard.New(g, platform(), h)
}

func platform() httpguard.Platform {
	p := httpguard.Platform{Source: guard.SourceHTTP, Adapter: "guardhttp"}
	// Knative and Cloud Run set K_SERVICE / K_REVISION.
	if s := os.Getenv("K_SERVICE"); s != "" {
		p.FunctionName = s
		p.Attrs = append(p.Attrs, guard.Param{Name: "k_service", Value: s})
	}
	if s := os.Getenv("K_REVISION"); s != "" {
		p.Attrs = append(p.Attrs, guard.Param{Name: "k_revision", Value: s})
	}
	return p
}
