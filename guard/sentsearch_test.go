package guard

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/telemetry"
)

// TestSentDocIndexD: the searches of the findings of one document (the
// candidates of their first byte found once, sentDoc.indexCands) find
// what indexASCIIFold finds, whatever the order of the searches and
// their first bytes, and after the document changes.
func TestSentDocIndexD(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, `"k%d":"' OR %d=%d--","K%d":"Or %d",`, i, i, i, i, i)
	}
	b.WriteString(`"z":"Tail ' or X"}`)
	doc := b.String()
	wants := []string{"' or 0=0--", "' or 1=1--", "or 3", "' or 10=10--", "\"k7\"", "' or 399=399--", "tail ' or x",
		"absent", "' or 12=1", "k", "\"", "}", "or 399\"", "x\"}", "x\"}!", strings.Repeat("' or ", 30)}
	for i := 0; i < 400; i += 7 {
		wants = append(wants, fmt.Sprintf("' or %d=%d--", i, i), fmt.Sprintf("\"k%d\":", i), fmt.Sprintf("or %d\"", i))
	}
	// letters of either case, and bytes one bit (0x20) from another
	// ('@' '`', '[' '{', '^' '~'): only a letter's case is folded
	wants = append(wants, "@w]z^{x}`", "`w}z~[x]@", "`w]z^{x}@", "pq@w]z^{x}`rs")
	doc = strings.Replace(doc, `"k5":`, "\"k5\":\"PQ`W]Z^{X}@RS PQ@W]Z^{X}`RS\",", 1)
	other := strings.ToUpper(doc[:len(doc)/3]) + "' or 1=1--"
	var c sentDoc
	c.cands = []uint16{5, 1, 7} // stale: of a pooled scanner's last inspection
	for _, d := range []string{doc, other, doc} {
		for _, w := range wants {
			if got, want := c.of(d).indexD(w), indexASCIIFold(d, w); got != want {
				t.Errorf("indexD(%q) = %d, want %d", w, got, want)
			}
		}
	}
	// a first byte that occurs in one case only (its other case is looked
	// for once, not at every candidate), then searches of other bytes
	storm := strings.Repeat("nc +adw-", 2000) + "Nc +ADw-x"
	for _, w := range []string{"nc <", "nc +adw-nc", "nc +adw-x", "c +adw-x", "n", "+adw-x", "nc +adw-n"} {
		if got, want := c.of(storm).indexD(w), indexASCIIFold(storm, w); got != want {
			t.Errorf("indexD(%q) = %d, want %d", w, got, want)
		}
	}
	// a document of one candidate byte: the searches give up their
	// candidates for the budget's fallback, with the same answers
	flat := strings.Repeat("'", 3000) + "'x"
	for _, w := range []string{"'x", "''x", "'y", "x"} {
		if got, want := c.of(flat).indexD(w), indexASCIIFold(flat, w); got != want {
			t.Errorf("indexD(%q) = %d, want %d", w, got, want)
		}
	}
}

// TestLoggedFindingCount: a decision of more findings than a log line
// details (telemetry.LoggedFindings) is logged with all of them counted
// and its first ones detailed.
func TestLoggedFindingCount(t *testing.T) {
	g, logs := newTestGuard(t)
	body := jsonMembers(4<<10, func(i int) string { return fmt.Sprintf(`"k%d":"' OR %d=%d--"`, i, i, i) })
	inv := httpInv(func(i *Invocation) { i.Method, i.ContentType, i.Body = "POST", "application/json", body })
	d := g.Inspect(context.Background(), inv)
	if len(d.Findings) != maxFindings {
		t.Fatalf("%d findings, want %d", len(d.Findings), maxFindings)
	}
	entries := logs.All()
	if len(entries) != 1 {
		t.Fatalf("%d log entries", len(entries))
	}
	m := entries[0].ContextMap()
	if n, _ := m["fnguard.finding_count"].(int64); n != maxFindings {
		t.Errorf("finding_count = %v, want %d", m["fnguard.finding_count"], maxFindings)
	}
	if fs, ok := m["fnguard.findings"].([]any); !ok || len(fs) != telemetry.LoggedFindings {
		t.Errorf("findings detailed = %d, want %d", len(fs), telemetry.LoggedFindings)
	}
}

// FuzzSentDocIndexD: the searches of one document's findings (indexD,
// its candidates found once and compared eight bytes at a time) find
// what indexASCIIFold finds in its decoded text, search after search.
func FuzzSentDocIndexD(f *testing.F) {
	f.Add(`{"k0":"' OR 0=0--","k1":"' OR 1=1--","k2":"' Or 2=2--"}`, "' or 1=1--", "' or 2=2--", "' or 0=0--")
	f.Add(strings.Repeat("'", 300)+"'x' or 12345678", "'x' or 12", "' or 12345678", "''''''''''x")
	f.Add("PQ`W]Z^{X}@RS PQ@W]Z^{X}`RS", "pq@w]z^{x}`rs", "q@w]z^{x}`r", "pq`w]z^{x}@rs")
	f.Fuzz(func(t *testing.T, doc, w1, w2, w3 string) {
		if doc == "" {
			return
		}
		var c sentDoc
		for _, w := range []string{asciiLower(w1), asciiLower(w2), asciiLower(w3), asciiLower(w1)} {
			d := c.of(doc)
			if got, want := d.indexD(w), indexASCIIFold(d.m.d, w); got != want {
				t.Fatalf("indexD(%q) in %q (decoded %q) = %d, want %d", w, doc, d.m.d, got, want)
			}
		}
	})
}
