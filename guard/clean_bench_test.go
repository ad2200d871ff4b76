package guard

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// cleanWords is benign vocabulary for generated prose (the benchmarks
// module's OrderBody uses the same kind): nothing a detector reacts to.
var cleanWords = strings.Fields(`blue cotton shirt with pocket size large soft fabric delivery tomorrow
gift wrap please thanks order box red green small cup coffee mug paper notebook pen lamp desk
chair garden hose kettle warm winter jacket zip wool scarf leave at the door ring twice
fragile glass handle with care birthday present for my sister two spare buttons included`)

// orderJSON is an ordinary JSON order of about n bytes: items of a SKU, a
// quantity and a note of about 560 bytes of prose.
func orderJSON(n int) []byte {
	x := uint64(0x9e3779b97f4a7c15)
	b := []byte(`{"customer":{"name":"Siobhan O'Brien","email":"siobhan.obrien+orders@example.com"},"items":[`)
	for i := 0; len(b) < n-700; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"sku":"A-`...)
		b = strconv.AppendInt(b, int64(10000+i), 10)
		b = append(b, `","qty":`...)
		b = strconv.AppendInt(b, int64(1+i%4), 10)
		b = append(b, `,"note":"`...)
		for start, w := len(b), 0; len(b)-start < 560; w++ {
			if w > 0 {
				b = append(b, ' ')
			}
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b = append(b, cleanWords[x%uint64(len(cleanWords))]...)
		}
		b = append(b, `"}`...)
	}
	return append(b, `],"currency":"EUR"}`...)
}

// jsonMembers is a JSON object of about n bytes of members made by member.
func jsonMembers(n int, member func(i int) string) []byte {
	b := []byte{'{'}
	for i := 0; ; i++ {
		m := member(i)
		if len(b)+len(m)+2 >= n && i > 0 {
			break
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, m...)
	}
	return append(b, '}')
}

// jsonElems is a JSON array of about n bytes repeating elem.
func jsonElems(n int, elem string) []byte {
	b := []byte{'['}
	for len(b)+len(elem)+2 < n || len(b) == 1 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, elem...)
	}
	return append(b, ']')
}

// BenchmarkInspectJSON is guard.Inspect alone on JSON bodies (MB/s is
// reported): ordinary orders, and the shapes that cost most per byte
// (many tiny members, deep objects, every value an attack).
//
//	go test ./guard/ -run '^$' -bench InspectJSON -benchmem -count 3
func BenchmarkInspectJSON(b *testing.B) {
	g, err := New(WithoutEnv(), WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		body []byte
		want Action
	}{
		{"order/16KB", orderJSON(16 << 10), ActionAllow},
		{"order/256KB", orderJSON(256 << 10), ActionAllow},
		{"order/1MB", orderJSON(1 << 20), ActionAllow},
		{"tiny/16KB", jsonMembers(16<<10, func(i int) string { return fmt.Sprintf(`"%x":"v"`, i) }), ActionAllow},
		{"tiny/1MB", jsonMembers(1<<20, func(i int) string { return fmt.Sprintf(`"%x":"v"`, i) }), ActionAllow},
		{"nested60/1MB", jsonElems(1<<20, strings.Repeat(`{"a":`, 60)+"1"+strings.Repeat("}", 60)), ActionAllow},
		{"attacks/16KB", jsonElems(16<<10, `"' OR 1=1--"`), ActionBlock},
		{"attacks/1MB", jsonElems(1<<20, `"' OR 1=1--"`), ActionBlock},
		// every string different (a counter in it): no memo applies
		{"diffattacks/16KB", jsonMembers(16<<10, func(i int) string { return fmt.Sprintf(`"k%d":"' OR %d=%d--"`, i, i, i) }), ActionBlock},
		{"diffattacks/1MB", jsonMembers(1<<20, func(i int) string { return fmt.Sprintf(`"k%d":"' OR %d=%d--"`, i, i, i) }), ActionBlock},
		{"diffshort/16KB", jsonMembers(16<<10, func(i int) string { return fmt.Sprintf(`"k%d":"a%d (b) c-%d"`, i, i, i*7) }), ActionAllow},
		{"diffshort/1MB", jsonMembers(1<<20, func(i int) string { return fmt.Sprintf(`"k%d":"a%d (b) c-%d"`, i, i, i*7) }), ActionAllow},
		// names and ids that look like base64 (every 8+ letters do):
		// told apart by their first quanta (b64MayBeText)
		{"b64names/256KB", jsonMembers(256<<10, func(i int) string { return fmt.Sprintf(`"n%d":"x7k2%08dqz"`, i, i) }), ActionAllow},
	}
	ctx := context.Background()
	for _, c := range cases {
		inv := httpInv(func(i *Invocation) {
			i.Method, i.ContentType, i.Body = "POST", "application/json", c.body
		})
		b.Run(c.name, func(b *testing.B) {
			runtime.GC() // the bodies' garbage is not collected during the runs
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if d := g.Inspect(ctx, inv); d.Action != c.want {
					b.Fatal(d.Action, d.Reason)
				}
			}
		})
	}
}
