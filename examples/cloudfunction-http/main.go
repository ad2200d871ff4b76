// Command cloudfunction-http is a Google Cloud Function (HTTP trigger)
// protected by fnguard, run locally with the Functions Framework for Go:
//
//	go run ./examples/cloudfunction-http      # 127.0.0.1:$PORT, default 8080
//	curl 'http://127.0.0.1:8080/?name=Ada'                    # 200 Hello, Ada!
//	curl 'http://127.0.0.1:8080/?name=%27%20OR%201%3D1--'     # 403, blocked by fnguard
//
// Deployed, the same registration goes in the init function of the
// function's package (see README.md).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// register builds the guard from the FNGUARD_* variables and registers
// Hello, protected, with the Functions Framework, as a deployed function's
// init does. A configuration error is returned: the function must not
// start unprotected.
func register() error {
	g, err := guard.New()
	if err != nil {
		return err
	}
	functions.HTTP("Hello", guardgcf.HTTP(g, Hello))
	return nil
}

func main() {
	if err := register(); err != nil {
		log.Fatal(err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	// Serve Hello at "/", as Cloud Functions does.
	if os.Getenv("FUNCTION_TARGET") == "" {
		os.Setenv("FUNCTION_TARGET", "Hello")
	}
	log.Printf("serving Hello on http://127.0.0.1:%s/", port)
	if err := funcframework.StartHostPort("127.0.0.1", port); err != nil {
		log.Fatalf("funcframework.StartHostPort: %v", err)
	}
}

// Hello greets ?name=... or the "name" of a JSON body.
func Hello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			http.Error(w, "send application/json", http.StatusUnsupportedMediaType)
			return
		}
		var in struct {
			Name string `json:"name"`
		}
		// fnguard has already read, bounded and inspected the body; the
		// handler reads it again from memory.
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
			http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
		name = in.Name
	}
	if name == "" {
		name = "World"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Hello, %s!\n", name)
}
