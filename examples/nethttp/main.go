// Command nethttp is a net/http service routed by chi and protected by
// fnguard, with OpenTelemetry tracing:
//
//	go run ./examples/nethttp        # listens on 127.0.0.1:$PORT (default 8080)
//	curl 'http://127.0.0.1:8080/products?q=shoes'                  # 200
//	curl 'http://127.0.0.1:8080/products?q=%27%20OR%201%3D1--'     # 403
//
// The middleware order matters:
//
//	otelhttp (outermost)  starts the server span and puts it in the request context
//	  guardhttp            inspects the request; its decision is added to that span as the event "fnguard.decision"
//	    chi routes         only see requests fnguard let through
//
// With guardhttp outside otelhttp there would be no span yet when fnguard
// records its decision, and blocked requests would not be traced at all.
package main

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// newHandler builds the service: otelhttp, then fnguard, then the routes.
func newHandler(g *guard.Guard, otelOpts ...otelhttp.Option) http.Handler {
	r := chi.NewRouter()
	r.Use(guardhttp.Middleware(g))
	r.Get("/products", searchProducts)
	r.Post("/orders", createOrder)
	r.Get("/files/{name}", getFile)
	return otelhttp.NewHandler(r, "shop", otelOpts...)
}

func searchProducts(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"query": r.URL.Query().Get("q"), "results": []string{"BK-1029", "MG-2211"}})
}

type order struct {
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Customer string `json:"customer"`
}

func createOrder(w http.ResponseWriter, r *http.Request) {
	var o order
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil { // the body fnguard inspected, restored
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"status": "created", "order": o})
}

func getFile(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"file": chi.URLParam(r, "name")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	g, err := guard.New() // FNGUARD_* environment variables
	if err != nil {
		log.Fatal(err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           newHandler(g), // spans go to otel.GetTracerProvider(): configure an exporter to see them
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("listening on http://%s", srv.Addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
