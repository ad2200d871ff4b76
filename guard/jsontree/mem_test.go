package jsontree

import (
	"runtime"
	"strings"
	"testing"
)

// TestParseLongEscapedStringMemory: a long string with escapes (an API
// Gateway body that is itself JSON) is unescaped into one buffer of about
// its size, not into an estimate and then twice the estimate: Parse
// allocates little more than the input, wherever the string starts.
func TestParseLongEscapedStringMemory(t *testing.T) {
	for _, lead := range []int{0, 2 << 10, 64 << 10} {
		src := []byte(`{"headers":{"a":"` + strings.Repeat("h", lead) + `"},"body":"` +
			strings.Repeat(`{\"note\":\"a line of prose, \\\"quoted\\\"\"},`, (256<<10)/40) + `"}`)
		if _, err := Parse(src, Limits{}); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := Parse(src, Limits{}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(len(src))*3/2; got > limit {
			t.Errorf("lead %d: Parse of %d bytes allocated %d bytes, want at most %d", lead, len(src), got, limit)
		} else {
			t.Logf("lead %d: %d bytes for %d", lead, got, len(src))
		}
	}
}
