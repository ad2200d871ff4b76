package guardgcf_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// loadEvent reads a structured-mode CloudEvent (application/cloudevents+json)
// from testdata, as the Functions Framework would decode it.
func loadEvent(t testing.TB, name string) event.Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var e event.Event
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return e
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file    string
		wantErr error
		wantLoc string
	}{
		{"pubsub_benign.json", nil, ""},
		{"pubsub_text.json", nil, ""},
		{"pubsub_sqli.json", guard.ErrBlocked, "records[0].body.customer"},
		{"pubsub_xss_attribute.json", guard.ErrBlocked, "records[0].data.message.attributes.origin"},
		{"pubsub_bad_base64.json", guard.ErrRejected, "records[0].data.message.data"},
		{"storage_finalized.json", nil, ""},
		{"storage_traversal.json", guard.ErrBlocked, "records[0].body.name"},
		{"storage_bucket_mismatch.json", guard.ErrRejected, "records[0].body.bucket"},
		{"generic_benign.json", nil, ""},
		{"generic_ssti.json", guard.ErrBlocked, "records[0].body.note"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			g, logs := newGuard(t)
			ran := false
			err := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { ran = true; return nil })(t.Context(), loadEvent(t, tt.file))
			if tt.wantErr == nil {
				if err != nil || !ran {
					t.Fatalf("err %v, ran %v; logs %v", err, ran, logs.All())
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || ran {
				t.Fatalf("err %v, ran %v; want %v", err, ran, tt.wantErr)
			}
			if !findingAt(logs, tt.wantLoc) {
				t.Fatalf("no finding at %s; logs %v", tt.wantLoc, logs.All())
			}
		})
	}
}
