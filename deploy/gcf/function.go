// Package orders is the Google Cloud Functions recipe: an HTTP function for
// the 2nd-gen go125 runtime, wrapped by fnguard. Deploy it from this
// directory (see ../README.md):
//
//	gcloud functions deploy orders --gen2 --runtime=go125 --region=europe-west1 --source=. --entry-point=Orders --trigger-http --set-env-vars=FNGUARD_MODE=block,FNGUARD_ALLOW_METHODS=POST,FNGUARD_ALLOW_CONTENT_TYPES=application/json
//
// The go.mod declares go 1.25.0 and every module it needs declares 1.25 or
// lower, so the go125 builder accepts it.
package orders

import (
	"encoding/json"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func init() {
	// A bad FNGUARD_* setting fails the instance start instead of serving
	// unprotected.
	g := guard.Must(guard.New())
	functions.HTTP("Orders", guardgcf.HTTP(g, handle))
}

// order is the request body.
type order struct {
	ID   string `json:"id"`
	Note string `json:"note"`
}

// handle accepts an order; fnguard has inspected the request before it runs.
func handle(w http.ResponseWriter, r *http.Request) {
	var o order
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&o); err != nil || o.ID == "" {
		http.Error(w, `{"message":"want a JSON order with an id"}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": o.ID, "status": "accepted"})
}
