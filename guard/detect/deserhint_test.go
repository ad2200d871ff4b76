package detect

import (
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestDeserMarker: deserMarker, which skips the searches a string's
// classes rule out, says what the three searches say: rO0AB, AAEAAAD,
// or aced0005 in any case.
func TestDeserMarker(t *testing.T) {
	ref := func(s string) bool {
		return strings.Contains(s, "rO0AB") || strings.Contains(s, "AAEAAAD") || strings.Contains(strings.ToLower(s), "aced0005")
	}
	pieces := []string{"rO0AB", "AAEAAAD", "aced0005", "ACED0005", "AcEd0005", "aCeD0005", "rO0A", "O0AB", "AAEAAA", "AEAAAD",
		"aced000", "ced0005", "0005", "ACED", "A", "a", "0", "5", "x", "D", "B", "r", "O", "E", " ", "-", "/", "+"}
	r := rand.New(rand.NewPCG(5, 6))
	hits := 0
	for n := range 200000 {
		var b []byte
		for k := r.IntN(12); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		got, want := deserMarker(s, classify(s)), ref(s)
		if got != want {
			t.Fatalf("case %d: deserMarker(%q) = %v, the searches say %v", n, s, got, want)
		}
		if want {
			hits++
		}
	}
	if hits < 10000 {
		t.Errorf("only %d of 200000 strings hold a marker: the comparison is vacuous", hits)
	}
}

// TestAced0005: the word deserMarker compares a short string's places
// with is the marker's bytes.
func TestAced0005(t *testing.T) {
	if got := binary.LittleEndian.Uint64([]byte("aced0005")); got != aced0005 {
		t.Fatalf("aced0005 = %#x, the marker reads %#x", uint64(aced0005), got)
	}
}
