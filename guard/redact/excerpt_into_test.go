package redact

import (
	"slices"
	"strings"
	"testing"
)

// TestSearchPrefixInto: a search made in a reused Searched is the search
// SearchPrefix makes, whatever the one it overwrites held.
func TestSearchPrefixInto(t *testing.T) {
	r, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"token=" + strings.Repeat("a1B2", 12) + " and more text",
		"plain words only",
		"card 4111 1111 1111 1111 then https://user:pw@host/x",
		strings.Repeat("x", 3000) + " password=hunter2-Sup3r " + strings.Repeat("y", 200),
	}
	var reused Searched
	for _, s := range texts {
		for _, end := range []int{0, 5, len(s) / 2, len(s)} {
			for _, complete := range []bool{false, true} {
				want, wantOK := r.SearchPrefix(s, end, complete)
				gotOK := r.SearchPrefixInto(&reused, s, end, complete)
				if gotOK != wantOK || reused.Stop() != want.Stop() || !slices.Equal(reused.SecretSpans(), want.SecretSpans()) {
					t.Errorf("SearchPrefixInto(%.20q, %d, %v) = %v %d %v, want %v %d %v", s, end, complete,
						gotOK, reused.Stop(), reused.SecretSpans(), wantOK, want.Stop(), want.SecretSpans())
				}
			}
		}
	}
}
