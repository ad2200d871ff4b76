package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fnguard/fnguard/benchmarks"
	"github.com/fnguard/fnguard/guard"
)

// Targets of the adversarial-input table (issue 20): any input, however
// crafted, costs at most maxUSPerKB of engine time per KB of event and at
// most maxAdvMem times its size in extra memory.
const (
	maxUSPerKB = 10.0
	maxAdvMem  = 2.0
)

// advSizes are the event sizes of the adversarial table: 16 KB, 1 MB and
// just under the 6 MB body limit.
var advSizes = []struct {
	name string
	n    int
}{{"16KB", 16 << 10}, {"1MB", 1 << 20}, {"6MB", benchmarks.Body6M}}

// advInput is one pathological input: build returns a body of about n
// bytes, its Content-Type and Content-Encoding.
type advInput struct {
	name  string
	build func(n int) (body []byte, contentType, encoding string)
}

func repeatTo(unit string, n int) []byte {
	return []byte(strings.Repeat(unit, max(1, n/len(unit))))
}

var advInputs = []advInput{
	{"repeated '<a '", func(n int) ([]byte, string, string) { return repeatTo("<a ", n), "text/plain", "" }},
	{"repeated '${'", func(n int) ([]byte, string, string) { return repeatTo("${", n), "text/plain", "" }},
	{"full-width text", func(n int) ([]byte, string, string) {
		return repeatTo("ｓｅｌｅｃｔ　ｆｒｏｍ　ｕｓｅｒｓ　", n), "text/plain; charset=utf-8", ""
	}},
	{"nested JSON (depth 60 objects)", func(n int) ([]byte, string, string) {
		one := strings.Repeat(`{"a":`, 60) + "1" + strings.Repeat("}", 60)
		var b bytes.Buffer
		b.WriteByte('[')
		for b.Len()+len(one)+2 < n {
			if b.Len() > 1 {
				b.WriteByte(',')
			}
			b.WriteString(one)
		}
		b.WriteByte(']')
		return b.Bytes(), "application/json", ""
	}},
	{"long base64 string", func(n int) ([]byte, string, string) {
		const alpha = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw"
		return []byte(`{"data":"` + string(repeatTo(alpha, n-12)) + `"}`), "application/json", ""
	}},
	{"gzip JSON body", func(n int) ([]byte, string, string) {
		// Pseudo-random words compress about 2:1, well under the ratio
		// cap: the compressed event is n bytes.
		var raw bytes.Buffer
		var out bytes.Buffer
		x := uint32(2463534242)
		raw.WriteString(`{"items":[`)
		for out.Len() == 0 && raw.Len() < 2*n {
			if raw.Len() > 10 {
				raw.WriteByte(',')
			}
			raw.WriteString(`{"name":"`)
			for range 12 {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				raw.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[x%36])
			}
			raw.WriteString(`"}`)
		}
		raw.WriteString(`]}`)
		zw := gzip.NewWriter(&out)
		_, _ = zw.Write(raw.Bytes())
		_ = zw.Close()
		return out.Bytes(), "application/json", "gzip"
	}},
	{"GraphQL query", func(n int) ([]byte, string, string) {
		var b strings.Builder
		b.WriteString("query Q {")
		for i := 0; b.Len() < n-2; i++ {
			fmt.Fprintf(&b, ` f%d(id: "v%d", tag: "x y") { a b c }`, i, i)
		}
		b.WriteString("}")
		return []byte(b.String()), "application/graphql", ""
	}},
	{"XML document", func(n int) ([]byte, string, string) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><r xmlns:p="urn:x">`)
		for i := 0; b.Len() < n-6; i++ {
			fmt.Fprintf(&b, `<p:item id="%d" kind="a b">text %d &amp; more</p:item>`, i, i)
		}
		b.WriteString("</r>")
		return []byte(b.String()), "application/xml", ""
	}},
}

// advResult is one measurement: engine time per KB and the bytes the
// engine allocated per byte of event in its costliest run (with the GC
// off, an upper bound of its peak extra memory).
type advResult struct {
	usPerKB, memRatio float64
	action            string
}

func measureAdv(g *guard.Guard, in advInput, n int, budget time.Duration) advResult {
	body, ct, enc := in.build(n)
	inv := func() *guard.Invocation {
		hs := []guard.Param{{Name: "content-type", Value: ct}}
		if enc != "" {
			hs = append(hs, guard.Param{Name: "content-encoding", Value: enc})
		}
		return &guard.Invocation{Source: guard.SourceHTTP, Method: "POST", Path: "/upload",
			Headers: hs, ContentType: ct, Body: body}
	}
	// One untimed warm-up, then as many runs as fit in budget (at least one).
	d := g.Inspect(context.Background(), inv())
	var total time.Duration
	var allocated uint64
	runs := 0
	for runs == 0 || (total < budget && runs < 50) {
		i := inv()
		runtime.GC()
		old := debug.SetGCPercent(-1)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		d = g.Inspect(context.Background(), i)
		el := time.Since(start)
		runtime.ReadMemStats(&after)
		debug.SetGCPercent(old)
		total += el
		allocated = max(allocated, after.TotalAlloc-before.TotalAlloc)
		runs++
	}
	kb := float64(len(body)) / 1024
	return advResult{
		usPerKB:  float64(total.Microseconds()) / float64(runs) / kb,
		memRatio: float64(allocated) / float64(len(body)),
		action:   decisionText(d),
	}
}

// decisionText is the action and, when it is not a clean allow, the rule
// of the first finding.
func decisionText(d guard.Decision) string {
	if len(d.Findings) == 0 {
		return d.Action.String()
	}
	return d.Action.String() + " (" + d.Findings[0].Rule + ")"
}

// adversarial prints the adversarial-input table: guard.Inspect on an
// HTTP invocation whose body is each pathological input, at each size.
func adversarial(w io.Writer, o options) (missed int, err error) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		return 0, err
	}
	budget := 60 * time.Millisecond
	if o.quick {
		budget = 20 * time.Millisecond
	}
	fmt.Fprintf(w, "\nadversarial inputs through the engine (guard.Inspect, HTTP POST body), targets ≤ %.0f µs/KB and ≤ %.0f× memory; memory = bytes the engine allocates per event byte with the GC off (upper bound of peak extra heap)\n", maxUSPerKB, maxAdvMem)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "input\tsize\tµs/KB\tmemory ×\tdecision\ttarget\t")
	for _, in := range advInputs {
		for _, sz := range advSizes {
			r := measureAdv(g, in, sz.n, budget)
			ok := r.usPerKB <= maxUSPerKB && r.memRatio <= maxAdvMem
			note := verdict(ok)
			if !ok {
				missed++
				var over []string
				if r.usPerKB > maxUSPerKB {
					over = append(over, "time")
				}
				if r.memRatio > maxAdvMem {
					over = append(over, "memory")
				}
				note += " (" + strings.Join(over, ", ") + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%s\t%s\t\n", in.name, sz.name, r.usPerKB, r.memRatio, r.action, note)
		}
	}
	return missed, tw.Flush()
}
