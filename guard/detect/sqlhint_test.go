package detect

import (
	"math/rand/v2"
	"testing"
)

// TestSqlDigitWords: sqlDigitWords, one pass over a string with digits,
// says what a search for each word says: "from" or "join" (any case)
// before a catalog (fromCatalog), or from 10 bytes on, UNION, SELECT,
// SLEEP, WAITFOR or BENCHMARK.
func TestSqlDigitWords(t *testing.T) {
	ref := func(s string) bool {
		if (containsFold(s, "from") || containsFold(s, "join")) && fromCatalog(s) {
			return true
		}
		if len(s) < 10 {
			return false
		}
		for _, w := range []string{"union", "select", "sleep", "waitfor", "benchmark"} {
			if containsFold(s, w) {
				return true
			}
		}
		return false
	}
	pieces := []string{"from", "FROM", "Join", "union", "UNION", "sElect", "sleep", "waitfor", "BENCHMARK", "sysobjects",
		"information_schema.tables", "users", " ", "1", "9", "x", "f", "j", "u", "s", "w", "b", "F", "J", "U", "S", "W", "B",
		"fro", "joi", "unio", "selec", "slee", "waitfo", "benchmar", "_", "."}
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 200000 {
		var b []byte
		for k := r.IntN(8); k >= 0; k-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		s := string(b)
		if got, want := sqlDigitWords(s), ref(s); got != want {
			t.Fatalf("case %d: sqlDigitWords(%q) = %v, the searches say %v", n, s, got, want)
		}
	}
}
