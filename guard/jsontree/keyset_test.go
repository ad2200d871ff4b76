package jsontree

import (
	"encoding/json"
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

// TestSetHashSpread: setHash spreads keys that differ in a few bytes
// (counters, in hex and inside a fixed prefix and suffix, at every length
// setHash reads in its own way) over a table's low bits about as a random
// function would, and reads every byte of a short key.
func TestSetHashSpread(t *testing.T) {
	const keys, bits = 1 << 15, 16 // half full: 1-1/sqrt(e) of the slots used
	for _, format := range []string{"%x", "%03x", "k%05x", "a%07x", "item_%06d", "user.%06d.name", "%0100d"} {
		used := make(map[uint64]bool)
		for i := range keys {
			used[setHash(fmt.Sprintf(format, i))&(1<<bits-1)] = true
		}
		if want := (1 << bits) * 37 / 100; len(used) < want {
			t.Errorf("%s: %d keys use %d of %d slots, want at least %d", format, keys, len(used), 1<<bits, want)
		}
	}
	for n := 1; n <= 16; n++ {
		for i := range n {
			a, b := []byte(strings.Repeat("k", n)), []byte(strings.Repeat("k", n))
			b[i] = 'j'
			if setHash(string(a)) == setHash(string(b)) {
				t.Errorf("setHash does not read byte %d of %d", i, n)
			}
		}
	}
}

// TestBigObjectDuplicatesHugeSource: in a source of 16 MB or more the key
// set's slots hold offsets with no hash tag; a repeated key after a 16 MB
// string is still found, and distinct keys pass.
func TestBigObjectDuplicatesHugeSource(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MB source")
	}
	for _, dup := range []bool{false, true} {
		var b strings.Builder
		b.WriteString(`{"pad":"` + strings.Repeat("x", tagSrc) + `"`)
		for i := range 3 * smallObject {
			fmt.Fprintf(&b, `,"k%x":%d`, i, i)
		}
		if dup {
			b.WriteString(`,"k2a":1`)
		}
		b.WriteByte('}')
		err := Walk([]byte(b.String()), Limits{}, func(*Path, string, bool) error { return nil })
		var le *LimitError
		switch {
		case !dup && err != nil:
			t.Fatalf("distinct keys: %v", err)
		case dup && (!errors.As(err, &le) || le.Limit != LimitDuplicateKey || le.Key != "k2a"):
			t.Fatalf("repeated key: %v, want duplicate key k2a", err)
		}
	}
}

// TestSmallObjectDuplicates: objects of 1 to smallObject+3 keys (small
// ones, and around the change of method: through the 64-bit filter, then
// in a keySet) with
// a key repeated at every pair of places, spelled with or without escapes,
// of lengths that collide and differ, are refused as duplicates, and
// the same objects without the repeat are accepted, by Parse and Walk.
func TestSmallObjectDuplicates(t *testing.T) {
	key := func(i int) string { // lengths 1..5, some equal, some sharing bytes
		return []string{"a", "b", "ab", "ba", "abc", "abd", "x1", "x2", "long1", "long2"}[i%10] + strings.Repeat("z", i/10)
	}
	spell := func(k string, esc bool) string {
		if esc {
			return fmt.Sprintf(`"\u%04x%s"`, k[0], k[1:])
		}
		return `"` + k + `"`
	}
	check := func(src string, dup string) {
		t.Helper()
		for _, walk := range []bool{false, true} {
			var err error
			if walk {
				err = Walk([]byte(src), Limits{}, func(*Path, string, bool) error { return nil })
			} else {
				_, err = Parse([]byte(src), Limits{})
			}
			var le *LimitError
			switch {
			case dup == "" && err != nil:
				t.Fatalf("%s (walk %v): %v, want no error", src, walk, err)
			case dup != "" && (!errors.As(err, &le) || le.Limit != LimitDuplicateKey || le.Key != dup):
				t.Fatalf("%s (walk %v): %v, want duplicate key %q", src, walk, err, dup)
			}
		}
	}
	const few = 12
	for n := 1; n <= smallObject+3; n++ {
		if n > few && n < smallObject-1 {
			continue // the sizes around each change of method
		}
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				if n > few && i > 2 && j < n-3 && j != i {
					continue // big objects: a repeat at their ends
				}
				var b strings.Builder
				b.WriteByte('{')
				for m := 0; m < n; m++ {
					if m > 0 {
						b.WriteByte(',')
					}
					k := key(m)
					if m == j && i != j {
						k = key(i)
					}
					fmt.Fprintf(&b, `%s:[%d]`, spell(k, (m+i+j)%3 == 0), m)
				}
				b.WriteByte('}')
				if i == j {
					check(b.String(), "")
				} else {
					check(b.String(), key(i))
				}
			}
		}
	}
}

// TestHashAt: hashAt, which hashes a short plain key from the word after
// its quote, gives setHash of the key for every length, bytes at the
// borders of the printable range, escaped and long keys, and keys near
// the end of the source.
func TestHashAt(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "~", "\x7f", "é", `\n`, `\u0041`, `\"`}
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 20000; round++ {
		var raw strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			if rng.IntN(4) == 0 {
				raw.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else {
				raw.WriteByte(byte('a' + rng.IntN(26)))
			}
		}
		tail := strings.Repeat(" ", rng.IntN(10))
		src := []byte(`{"` + raw.String() + `":1` + tail + `}`)
		p := &parser{src: src}
		var want string
		if err := json.Unmarshal(src[1:len(`{"`)+raw.Len()+1], &want); err != nil {
			t.Fatal(err)
		}
		if got := p.hashAt(1); got != setHash(want) {
			t.Fatalf("hashAt of %s = %x, setHash(%q) = %x", src, got, want, setHash(want))
		}
	}
}

// TestSetGrowth: a keySet grows by the keys extrapolated from its object's
// density (at least twice, at most four times its size a step unless the
// parser's setJump allows more: slots of the source's size in all): an
// object filling the source grows in fewer steps than doubling (once past
// its first keys), an object followed by other content at most fourfold a
// step once the budget is spent, and every key stays found.
func TestSetGrowth(t *testing.T) {
	for _, tail := range []int{0, 1 << 20} {
		var b strings.Builder
		b.WriteString(`[{`)
		for i := range 20000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%x":1`, i)
		}
		b.WriteString(`},"` + strings.Repeat("x", tail) + `"]`)
		src := []byte(b.String())
		p := getParser(src, Limits{})
		p.tree = false
		steps, jumped := 0, 0
		m := p.newSet()
		m.start = 2
		for pos := 2; pos < len(src) && src[pos] == '"'; {
			before := len(m.slots) + len(m.small)
			end, _, _ := scanString(src, pos)
			if p.setKey(m, string(src[pos+1:end-1]), pos) {
				t.Fatalf("tail %d: key at %d reported twice", tail, pos)
			}
			if after := len(m.slots) + len(m.small); after != before {
				steps++
				if after > 4*before {
					jumped += 4 * after // (4-byte slots: the source is over 64 KB)
				}
				if after < 2*before || jumped > len(src) {
					t.Fatalf("tail %d: set grew from %d to %d slots (%d bytes past fourfold steps, source %d)", tail, before, after, jumped, len(src))
				}
			}
			pos = end + len(`:1,`)
		}
		if m.n != 20000 {
			t.Fatalf("tail %d: %d keys in the set, want 20000", tail, m.n)
		}
		if tail == 0 && steps > 2 {
			t.Errorf("an object filling the source: %d growth steps, want at most 2 (doubling takes 9)", steps)
		}
		p.putSet(m)
		p.release()
	}
}
