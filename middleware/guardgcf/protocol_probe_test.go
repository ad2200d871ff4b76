package guardgcf_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// TestProtocolRulesThroughGCF replays the protocol rules' examples through
// a Cloud Functions HTTP function wrapped by guardgcf. Each example is read
// by net/http's own request parser (what the Functions Framework's server
// runs) and served in process; one that parser refuses never reaches a
// function and is skipped (the net/http server answers it; see guardhttp's
// probes). net/http leaves no Content-Length next to a chunked
// Transfer-Encoding, so protocol.length_conflict is not replayed here.
func TestProtocolRulesThroughGCF(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	reached := 0
	fn := guardgcf.HTTP(g, func(w http.ResponseWriter, r *http.Request) {
		reached++
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	served := 0
	for _, r := range guard.ProtocolRules() {
		if r.ID == "protocol.length_conflict" {
			continue // net/http deletes Content-Length under chunked (guardhttp's TestLengthConflictNormalised)
		}
		for _, c := range []struct {
			examples []string
			attack   bool
		}{{r.Attacks, true}, {r.Benign, false}} {
			for _, ex := range c.examples {
				head, body, _ := strings.Cut(ex, "\n\n")
				wire := strings.ReplaceAll(head, "\n", "\r\n") + "\r\n\r\n" + body
				req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(wire)))
				if err != nil {
					continue // refused by the parser: never a function call
				}
				served++
				before := reached
				w := httptest.NewRecorder()
				fn(w, req)
				got := reached > before
				switch {
				case c.attack && (got || w.Code != http.StatusForbidden):
					t.Errorf("%s: attack answered %d (function ran: %v): %q", r.ID, w.Code, got, ex)
				case !c.attack && (!got || w.Code != http.StatusOK):
					t.Errorf("%s: benign answered %d (function ran: %v): %q", r.ID, w.Code, got, ex)
				}
			}
		}
	}
	if served < 40 {
		t.Errorf("only %d examples parsed", served)
	}
}
