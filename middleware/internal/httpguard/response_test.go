package httpguard

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder is a ResponseWriter that supports write deadlines.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadline time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error { d.deadline = t; return nil }

func TestScanWriterResponseController(t *testing.T) {
	rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
	sw := &scanWriter{w: rec, hdr: http.Header{}, limit: 100}
	rc := http.NewResponseController(sw)
	when := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := rc.SetWriteDeadline(when); err != nil || !rec.deadline.Equal(when) {
		t.Fatalf("SetWriteDeadline: %v, deadline %v", err, rec.deadline)
	}
	if err := rc.SetReadDeadline(when); !errors.Is(err, http.ErrNotSupported) {
		t.Fatalf("SetReadDeadline on a writer without it: %v, want ErrNotSupported", err)
	}
	if _, _, err := rc.Hijack(); !errors.Is(err, http.ErrNotSupported) {
		t.Fatalf("Hijack while buffering: %v, want ErrNotSupported", err)
	}
	if err := rc.Flush(); err != nil {
		t.Fatalf("Flush while buffering: %v", err)
	}
	if rec.Body.Len() != 0 || rec.Code != 200 || rec.Flushed {
		t.Fatalf("Flush while buffering reached the client")
	}
}
