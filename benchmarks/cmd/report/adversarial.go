package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
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
	// Token storms: the shortest strings that wake each detector, repeated.
	{"repeated '<a '", func(n int) ([]byte, string, string) { return repeatTo("<a ", n), "text/plain", "" }},
	{"repeated '${'", func(n int) ([]byte, string, string) { return repeatTo("${", n), "text/plain", "" }},
	{"repeated '{{'", func(n int) ([]byte, string, string) { return repeatTo("{{", n), "text/plain", "" }},
	{"repeated \"'or'\"", func(n int) ([]byte, string, string) { return repeatTo("'or'", n), "text/plain", "" }},
	{"repeated '; ls '", func(n int) ([]byte, string, string) { return repeatTo("; ls ", n), "text/plain", "" }},
	{"repeated '../'", func(n int) ([]byte, string, string) { return repeatTo("../", n), "text/plain", "" }},
	{"repeated 'http://a'", func(n int) ([]byte, string, string) { return repeatTo("http://a", n), "text/plain", "" }},
	{"repeated '%25'", func(n int) ([]byte, string, string) { return repeatTo("%25", n), "text/plain", "" }},
	{"full-width text", func(n int) ([]byte, string, string) {
		return repeatTo("ｓｅｌｅｃｔ　ｆｒｏｍ　ｕｓｅｒｓ　", n), "text/plain; charset=utf-8", ""
	}},
	{"many attack strings (JSON)", func(n int) ([]byte, string, string) {
		// Every value an attack: a finding each.
		return jsonArrayOf(`"' OR 1=1--"`, n), "application/json", ""
	}},
	{"many different attack strings (JSON)", func(n int) ([]byte, string, string) {
		// The same, each string different (a counter in it), so that
		// nothing remembered of the string before applies.
		return jsonObjectOf(func(i int) string { return fmt.Sprintf(`"k%d":"' OR %d=%d--"`, i, i, i) }, n), "application/json", ""
	}},
	{"many different short strings (JSON)", func(n int) ([]byte, string, string) {
		// Short values of words, digits and punctuation, each different.
		return jsonObjectOf(func(i int) string { return fmt.Sprintf(`"k%d":"a%d (b) c-%d"`, i, i, i*7) }, n), "application/json", ""
	}},
	// JSON shapes.
	{"nested JSON (depth 60 objects)", func(n int) ([]byte, string, string) {
		return jsonArrayOf(strings.Repeat(`{"a":`, 60)+"1"+strings.Repeat("}", 60), n), "application/json", ""
	}},
	{"deep JSON (one chain, depth 64)", func(n int) ([]byte, string, string) {
		// The deepest nesting the default limit accepts, its innermost
		// string filling the body.
		head, tail := strings.Repeat("[", 63), strings.Repeat("]", 63)
		return []byte(head + `"` + string(repeatTo("deep ", n-len(head)-len(tail)-2)) + `"` + tail), "application/json", ""
	}},
	{"long JSON keys (4 KB)", func(n int) ([]byte, string, string) {
		return jsonObjectOf(func(i int) string { return fmt.Sprintf(`"%04d%s":1`, i, strings.Repeat("k", 4092)) }, n), "application/json", ""
	}},
	{"many tiny JSON fields", func(n int) ([]byte, string, string) {
		return jsonObjectOf(func(i int) string { return fmt.Sprintf(`"%x":"v"`, i) }, n), "application/json", ""
	}},
	{"long base64 string", func(n int) ([]byte, string, string) {
		const alpha = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw"
		return []byte(`{"data":"` + string(repeatTo(alpha, n-12)) + `"}`), "application/json", ""
	}},
	{"random base64 (a file in JSON)", func(n int) ([]byte, string, string) {
		// An image or a PDF sent base64-encoded in a JSON field, as APIs
		// behind API Gateway take uploads: random bytes (a fixed seed),
		// so every short word, "0x" and UTF-7 shift base64 can spell
		// turns up somewhere.
		raw := make([]byte, (n-14)/4*3)
		x := uint64(0x9e3779b97f4a7c15)
		for i := range raw {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			raw[i] = byte(x >> 24)
		}
		return []byte(`{"file":"` + base64.StdEncoding.EncodeToString(raw) + `"}`), "application/json", ""
	}},
	{"base64 JSON in JSON", func(n int) ([]byte, string, string) {
		// Strings that are base64 of JSON documents: each is decoded and
		// walked as JSON.
		inner := base64.StdEncoding.EncodeToString([]byte(`{"name":"red shoes","tags":["a","b"],"qty":2}`))
		return jsonObjectOf(func(i int) string { return fmt.Sprintf(`"f%d":"%s"`, i, inner) }, n), "application/json", ""
	}},
	{"different base64 JSON in JSON", func(n int) ([]byte, string, string) {
		// The same, each document different (a counter in it), so that
		// nothing remembered of the document before applies.
		return jsonObjectOf(func(i int) string {
			doc := fmt.Sprintf(`{"name":"red shoes %d","tags":["a","b"],"qty":%d}`, i, i%97)
			return fmt.Sprintf(`"f%d":"%s"`, i, base64.StdEncoding.EncodeToString([]byte(doc)))
		}, n), "application/json", ""
	}},
	// Decoders.
	{"gzip JSON body", func(n int) ([]byte, string, string) {
		return gzipOf(randomWordsJSON(2 * n)), "application/json", "gzip"
	}},
	{"gzip bomb (zeros)", func(n int) ([]byte, string, string) {
		// A JSON string of zeros, 300 times the event size (at most 64 MB):
		// over the compression ratio cap, or over the body limit.
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		_, _ = zw.Write([]byte(`{"z":"`))
		zeros := bytes.Repeat([]byte("0"), 64<<10)
		for w := 0; w < min(300*n, 64<<20); w += len(zeros) {
			_, _ = zw.Write(zeros)
		}
		_, _ = zw.Write([]byte(`"}`))
		_ = zw.Close()
		return out.Bytes(), "application/json", "gzip"
	}},
	{"form, many tiny fields", func(n int) ([]byte, string, string) {
		return repeatTo("a=b&", n), "application/x-www-form-urlencoded", ""
	}},
	{"multipart, many parts", func(n int) ([]byte, string, string) {
		const part = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nvalue\r\n"
		b := repeatTo(part, n-9)
		return append(b, "--XyZ--\r\n"...), "multipart/form-data; boundary=XyZ", ""
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
	{"GraphQL nesting", func(n int) ([]byte, string, string) {
		// Selection sets nested as deep as the depth limit, repeated.
		one := strings.Repeat("a { ", 60) + "b" + strings.Repeat(" }", 60)
		var b strings.Builder
		b.WriteString("{ ")
		for i := 0; b.Len()+len(one)+8 < n; i++ {
			fmt.Fprintf(&b, "f%d: %s ", i, one)
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
	{"XML, many attributes", func(n int) ([]byte, string, string) {
		var b strings.Builder
		b.WriteString(`<r>`)
		for i := 0; b.Len() < n-8; i++ {
			if i%200 == 0 {
				if i > 0 {
					b.WriteString("/>")
				}
				b.WriteString("<e")
			}
			fmt.Fprintf(&b, ` a%d="v"`, i)
		}
		b.WriteString("/></r>")
		return []byte(b.String()), "application/xml", ""
	}},
	{"XML, entity references", func(n int) ([]byte, string, string) {
		return []byte("<r>" + string(repeatTo("&lt;&#x41;&amp;", n-8)) + "</r>"), "application/xml", ""
	}},
}

// jsonArrayOf is a JSON array of copies of one value, about n bytes.
func jsonArrayOf(one string, n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for b.Len()+len(one)+2 < n {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// jsonObjectOf is a JSON object of members member(0), member(1) ...,
// about n bytes.
func jsonObjectOf(member func(i int) string, n int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; ; i++ {
		m := member(i)
		if b.Len()+len(m)+2 >= n && i > 0 {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// randomWordsJSON is a JSON document of pseudo-random 12-letter names
// (compresses about 2:1), about n bytes.
func randomWordsJSON(n int) []byte {
	var raw bytes.Buffer
	x := uint32(2463534242)
	raw.WriteString(`{"items":[`)
	for raw.Len() < n-16 {
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
	return raw.Bytes()
}

func gzipOf(raw []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	return out.Bytes()
}

// advResult is one measurement: engine CPU time per KB, and the bytes
// and allocations the engine made per byte (KB) of what it inspected in
// its costliest run, with the GC off: the bytes are an upper bound of the
// peak extra memory.
type advResult struct {
	cpuPerKB, wallPerKB float64
	memRatio            float64
	allocsPerKB         float64
	eventKB, inspectKB  float64
	action              string
}

// inspected is the size of what the engine inspects of a body: the body,
// or for a compressed one what it decompresses to, at most the body limit.
func inspected(body []byte, enc string, limit int64) int {
	if enc != "gzip" {
		return len(body)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return len(body)
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, limit))
	return max(len(body), int(n))
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
	// The CPU clock read is the calling thread's: stay on it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// One untimed warm-up, then as many runs as fit in budget (at least one).
	d := g.Inspect(context.Background(), inv())
	var wall, cpu time.Duration
	var allocated, mallocs uint64
	runs := 0
	for runs == 0 || (wall < budget && runs < 50) {
		i := inv()
		// A guard of its own for each run: the guard remembers clean JSON
		// names and header values across invocations (cleanMemo), and an
		// attacker varies them from one request to the next; a run must
		// not be answered by what the run before it left.
		fresh, err := benchmarks.NewGuard()
		if err != nil {
			panic("report: the guard built once fails again: " + err.Error())
		}
		g = fresh
		// Two collections empty the sync.Pools (and their victim caches):
		// the scratch buffers a run needs count as its memory.
		runtime.GC()
		runtime.GC()
		old := debug.SetGCPercent(-1)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start, c0 := time.Now(), threadCPU()
		d = g.Inspect(context.Background(), i)
		c1, el := threadCPU(), time.Since(start)
		runtime.ReadMemStats(&after)
		debug.SetGCPercent(old)
		wall += el
		cpu += c1 - c0
		allocated = max(allocated, after.TotalAlloc-before.TotalAlloc)
		mallocs = max(mallocs, after.Mallocs-before.Mallocs)
		runs++
	}
	if cpu == 0 {
		cpu = wall // no thread CPU clock here (threadcpu_other.go): judge the wall clock
	}
	size := inspected(body, enc, g.MaxBodyBytes())
	kb := float64(size) / 1024
	return advResult{
		cpuPerKB:    float64(cpu.Nanoseconds()) / 1e3 / float64(runs) / kb,
		wallPerKB:   float64(wall.Nanoseconds()) / 1e3 / float64(runs) / kb,
		memRatio:    float64(allocated) / float64(size),
		allocsPerKB: float64(mallocs) / kb,
		eventKB:     float64(len(body)) / 1024,
		inspectKB:   kb,
		action:      decisionText(d),
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
	fmt.Fprintf(w, "\nadversarial inputs through the engine (guard.Inspect, HTTP POST body); targets: ≤ %.0f µs of CPU per KB and peak extra memory ≤ %.0f× the size.\n", maxUSPerKB, maxAdvMem)
	fmt.Fprintln(w, "cpu = CPU time of the inspecting thread (wall clock shown too: on a shared machine it includes waiting for a core);")
	fmt.Fprintln(w, "mem = bytes allocated per byte with the GC off, an upper bound of the peak extra memory; allocs per KB.")
	fmt.Fprintln(w, "Sizes and rates of a compressed body are of what it decompresses to (at most the body limit): the compression ratio cap (200) bounds that per compressed KB.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "input\tsize\tinspected KB\tcpu µs/KB\twall µs/KB\tmem ×\tallocs/KB\tdecision\ttarget\t")
	for _, in := range advInputs {
		if o.only != "" && !strings.Contains(in.name, o.only) {
			continue
		}
		for _, sz := range advSizes {
			r := measureAdv(g, in, sz.n, budget)
			var over []string
			if r.cpuPerKB > maxUSPerKB {
				over = append(over, "time")
			}
			if r.memRatio > maxAdvMem {
				over = append(over, "memory")
			}
			note := "PASS"
			if len(over) > 0 {
				missed++
				note = "OVER (" + strings.Join(over, ", ") + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s\t\n", in.name, sz.name, r.inspectKB, r.cpuPerKB, r.wallPerKB, r.memRatio, r.allocsPerKB, r.action, note)
		}
	}
	if err := tw.Flush(); err != nil {
		return missed, err
	}
	if missed == 0 {
		fmt.Fprintln(w, "adversarial: PASS — every input within both targets")
	} else {
		fmt.Fprintf(w, "adversarial: OVER — %d row(s) over a target\n", missed)
	}
	return missed, nil
}
