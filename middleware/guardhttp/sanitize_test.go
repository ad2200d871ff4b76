package guardhttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
	_ "github.com/fnguard/fnguard/guard/sanitize" // links HTML sanitising
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// TestSanitizedBody checks that the handler reads the body the engine
// sanitised (FNGUARD_SANITIZE_HTML), with a matching length.
func TestSanitizedBody(t *testing.T) {
	g, _ := newGuard(t, guard.WithSanitizeHTML("strict", "comment"))
	var got []byte
	var cl int64
	var clHeader string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		cl, clHeader = r.ContentLength, r.Header.Get("Content-Length")
	})
	sent := `{"comment":"<b>bold</b> and <i>italic</i>","n":1}`
	r := httptest.NewRequest("POST", "/comments", strings.NewReader(sent))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Length", strconv.Itoa(len(sent)))
	w := httptest.NewRecorder()
	guardhttp.Handler(g, h).ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	if string(got) == sent || strings.Contains(string(got), "<b>") || !strings.Contains(string(got), `"n":1`) {
		t.Fatalf("handler read %s, want the comment stripped of markup and the rest intact", got)
	}
	if cl != int64(len(got)) || clHeader != strconv.Itoa(len(got)) {
		t.Fatalf("ContentLength %d, header %q, for a %d-byte body", cl, clHeader, len(got))
	}
}
