// Package function is a Google Cloud Function (HTTP trigger) protected by
// fnguard. Deploy it with
//
//	gcloud functions deploy hello --gen2 --runtime=go125 --trigger-http \
//	    --entry-point=Hello --source=. --set-env-vars=FNGUARD_MODE=block
//
// or run it locally with go run ./examples/cloudfunction-http/cmd.
package function

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func init() {
	// guard.Must: a bad FNGUARD_* variable fails the cold start loudly
	// instead of serving unprotected.
	g := guard.Must(guard.New())
	functions.HTTP("Hello", guardgcf.HTTP(g, Hello))
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
