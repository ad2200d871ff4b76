package jsontree

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBigObjectDuplicates checks the duplicate check of objects with more
// than smallObject keys (the keySet) against a map, on objects of 33 to
// 5000 keys with a repeated key at random places, spelled with or without
// escapes, and the empty key, in sources under and over 64 KB (2- and
// 4-byte slots).
func TestBigObjectDuplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	spell := func(k string) string { // a JSON spelling of k, escaped at random
		if k != "" && rng.IntN(3) == 0 {
			return fmt.Sprintf(`"\u%04x%s"`, k[0], k[1:])
		}
		return `"` + k + `"`
	}
	for round := range 300 {
		n := smallObject + 1 + rng.IntN([]int{20, 200, 5000}[round%3])
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("k%x", i)
		}
		if round%5 == 0 {
			keys[rng.IntN(n)] = ""
		}
		dupAt := -1
		if round%2 == 0 {
			dupAt = 1 + rng.IntN(n-1)
			keys[dupAt] = keys[rng.IntN(dupAt)]
		}
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if round%4 == 1 {
				// long values: a source over 64 KB (4-byte slots) for the biggest objects
				fmt.Fprintf(&b, `%s:"%064d"`, spell(k), i)
			} else {
				fmt.Fprintf(&b, `%s:%d`, spell(k), i)
			}
		}
		b.WriteByte('}')
		for _, walk := range []bool{false, true} {
			var err error
			if walk {
				err = Walk([]byte(b.String()), Limits{}, func(*Path, string, bool) error { return nil })
			} else {
				_, err = Parse([]byte(b.String()), Limits{})
			}
			var le *LimitError
			switch {
			case dupAt < 0 && err != nil:
				t.Fatalf("round %d (%d keys, walk %v): %v, want no error", round, n, walk, err)
			case dupAt >= 0 && (!errors.As(err, &le) || le.Limit != LimitDuplicateKey || le.Key != keys[dupAt]):
				t.Fatalf("round %d (%d keys, walk %v): %v, want duplicate key %q", round, n, walk, err, keys[dupAt])
			}
		}
	}
}

func BenchmarkWalkManyKeys(b *testing.B) {
	var sb strings.Builder
	sb.WriteByte('{')
	for i := 0; sb.Len() < 1<<20; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"%x":"v"`, i)
	}
	sb.WriteByte('}')
	src := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if err := Walk(src, Limits{MaxElements: 1 << 30}, func(*Path, string, bool) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
