package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fnguard/fnguard/benchmarks"
	"github.com/fnguard/fnguard/guard"
)

// sweepTokens are the pieces the storm sweep repeats: the shortest strings
// that wake a detector, a gate or a decoder (attack openers, quotes,
// separators, escapes, schemes, encodings), and plain punctuation and
// letters that the gates read. Each is a storm on its own; the seeded
// mixes glue two to four of them.
var sweepTokens = []string{
	"<a ", "<svg/onload=", "<!--", "<![CDATA[", "&#x", "&#", "&amp;", "%u", "%25", "%%", "\\u", "\\x", "${", "$(", "`", "{{", "{%", "#{", "%{", "[#", "@(", "<%",
	"'or'", "\"or\"", "' or 1=1 ", "/*", "*/", "--", "#", "(", ")", "((", "))", "1=1 ", "union select ", "select ", "../", "..\\", "/etc/passwd ",
	"http://", "//", "\\\\", "file://", "ldap://", "jndi:", "${jndi:", "__proto__", "constructor[", "[$ne]", "{\"$ne\":", "$where", "; ls ", "| id ", "&& ", "|| ",
	"\r\n", "%0d%0a", "a=b&", "javascript:", "data:", "on", "onload=", "expression(", "url(", "@import", "<?xml", "<!DOCTYPE", "<!ENTITY", "SYSTEM ",
	"alert(", "eval(", "document.cookie", "window[", "\\'", "\"", "'", "0x", "char(", "concat(", "sleep(", "waitfor delay ", "exec ", "xp_cmdshell",
	"powershell ", "cmd /c ", "%COMSPEC%", "^", "$IFS", "*(", ")(", "(|(", "*)(uid=*", "!!python/", "rO0AB", "O:8:\"", "<script>", "</script>",
	"<img src=x ", "base64,", "aGVsbG8g", "=?utf-8?", "+ADw-", "\x00", "\xef\xbc\x9c", "ｓ", "é", "\u202e", ";", "|", "&", "<", ">", "=", "!", "@", "~",
	"*", "?", "[", "]", "{", "}", ",", ".", ":", "\\", "/", "+", "-", "_", " ", "\t", "\n", "a", "1", "A1", "x'", "'x", "\"a\"", "a b ", "1 ", "or ", "and ",
	"<a href=", "href=", "src=", "style=", "<<", ">>", "<>", "</", "/>", "-->", "]]>", "?>", "%3C", "%27", "%2e%2e%2f", "%c0%af", "..%2f", "%00",
	"&lt;", "&#60;", "\\\"", "\\n", "0", "00", "e", "E1", "1e1", "$", "$$", "@@", "::", "->", "=>", "|>", "!=", "==", "<=", ">=", "||'", "'||", "';", "\";",
	"{\"a\":", "[1,", "true ", "null ", "{$", "$gt", "#!", "PATH=", "/bin/sh ", "cat ", "id;", "wget ", "curl ", "nc ", "127.0.0.1 ", "169.254.169.254 ",
	"localhost ", "0x7f000001 ", "[::1] ", "gopher://", "dict://", "php://", "phar://", "zip://", "expect://", "/proc/self/", "C:\\", "c$\\", "~/",
}

// sweepSeed fixes the mixes, so two runs (two commits) sweep the same storms.
const sweepSeed = 7

// sweepPatterns are every token alone, then mixes seeded random mixes of
// two to four tokens.
func sweepPatterns(mixes int) []string {
	pats := append([]string(nil), sweepTokens...)
	r := rand.New(rand.NewSource(sweepSeed))
	for range mixes {
		k := 2 + r.Intn(3)
		var b strings.Builder
		for range k {
			b.WriteString(sweepTokens[r.Intn(len(sweepTokens))])
		}
		pats = append(pats, b.String())
	}
	return pats
}

// sweepBody is a body of about n bytes repeating pat in a placement: "text"
// is a text/plain body of the storm; "jsonstr" is one JSON string member
// holding it ({"comment":"..."}, escaped as encoding/json does without
// HTML escaping).
func sweepBody(place, pat string, n int) (body []byte, contentType string) {
	if place == "text" {
		return repeatTo(pat, n), "text/plain"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// Escaping can grow the storm: fill the string to n-20 source bytes
	// of the value, then encode.
	unit, _ := json.Marshal(pat)
	per := max(1, len(unit)-2)
	_ = enc.Encode(map[string]string{"comment": strings.Repeat(pat, max(1, (n-20)/per))})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), "application/json"
}

type sweepRow struct {
	place, pat  string
	cpuPerKB    float64
	memRatio    float64
	allocsPerKB float64
	action      string
}

// measureSweep is measureAdv for one storm, cheaper per row: one run with
// the GC off measures the memory (after two collections empty the pools),
// then the median CPU time of up to 7 runs within budget. One guard serves
// every run: a storm is one text body or one JSON string, with no JSON
// name nor header value the guard's memo of clean ones could answer (see
// measureAdv).
func measureSweep(g *guard.Guard, body []byte, ct string, budget time.Duration) (cpuPerKB, memRatio, allocsPerKB float64, action string) {
	inv := func() *guard.Invocation {
		return &guard.Invocation{Source: guard.SourceHTTP, Method: "POST", Path: "/upload",
			Headers: []guard.Param{{Name: "content-type", Value: ct}}, ContentType: ct, Body: body}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	d := g.Inspect(context.Background(), inv()) // warm-up
	runtime.GC()
	runtime.GC()
	old := debug.SetGCPercent(-1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g.Inspect(context.Background(), inv())
	runtime.ReadMemStats(&after)
	debug.SetGCPercent(old)
	var cpus []time.Duration
	start := time.Now()
	for len(cpus) == 0 || (time.Since(start) < budget && len(cpus) < 7) {
		i := inv()
		c0, w0 := threadCPU(), time.Now()
		d = g.Inspect(context.Background(), i)
		c := threadCPU() - c0
		if c == 0 {
			c = time.Since(w0) // no thread CPU clock here: judge the wall clock
		}
		cpus = append(cpus, c)
	}
	sort.Slice(cpus, func(i, j int) bool { return cpus[i] < cpus[j] })
	kb := float64(len(body)) / 1024
	return float64(cpus[len(cpus)/2].Nanoseconds()) / 1e3 / kb,
		float64(after.TotalAlloc-before.TotalAlloc) / float64(len(body)),
		float64(after.Mallocs-before.Mallocs) / kb,
		decisionText(d)
}

// sweep prints the storm sweep: every token storm and mix, in a text/plain
// body and in a JSON string, at one size; the worst rows by CPU per KB and
// how many rows miss a target of the adversarial table.
func sweep(w io.Writer, o options) (missed int, err error) {
	g, err := benchmarks.NewGuard()
	if err != nil {
		return 0, err
	}
	budget := 15 * time.Millisecond
	if o.quick {
		budget = 5 * time.Millisecond
	}
	pats := sweepPatterns(o.sweepMixes)
	places := []string{"text", "jsonstr"}
	fmt.Fprintf(w, "\nstorm sweep: %d token storms and %d seeded mixes of 2-4 tokens (seed %d), each repeated to %d KB as a text/plain body and as a JSON string;\n",
		len(sweepTokens), o.sweepMixes, sweepSeed, o.sweepSize>>10)
	fmt.Fprintf(w, "targets as above (≤ %.0f µs of CPU per KB, memory ≤ %.0f×); cpu = median of up to 7 runs, mem = one run with the GC off.\n", maxUSPerKB, maxAdvMem)
	var rows []sweepRow
	for _, p := range pats {
		for _, pl := range places {
			body, ct := sweepBody(pl, p, o.sweepSize)
			cpu, mem, allocs, act := measureSweep(g, body, ct, budget)
			rows = append(rows, sweepRow{pl, p, cpu, mem, allocs, act})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].cpuPerKB > rows[j].cpuPerKB })
	var overTime, overMem, over7 int
	for _, r := range rows {
		if r.cpuPerKB > maxUSPerKB || r.memRatio > maxAdvMem {
			missed++
		}
		if r.cpuPerKB > maxUSPerKB {
			overTime++
		}
		if r.memRatio > maxAdvMem {
			overMem++
		}
		if r.cpuPerKB > 7 {
			over7++
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cpu µs/KB\tmem ×\tallocs/KB\tplace\tstorm (Go-quoted)\tdecision\t")
	for i, r := range rows {
		if i == o.sweepWorst {
			break
		}
		fmt.Fprintf(tw, "%.2f\t%.2f\t%.1f\t%s\t%q\t%s\t\n", r.cpuPerKB, r.memRatio, r.allocsPerKB, r.place, r.pat, r.action)
	}
	if err := tw.Flush(); err != nil {
		return missed, err
	}
	// Memory ranks differently: name the worst storm by memory too.
	worstMem := rows[0]
	for _, r := range rows {
		if r.memRatio > worstMem.memRatio {
			worstMem = r
		}
	}
	fmt.Fprintf(w, "most memory: %.2f× %s %q (%.2f µs/KB)\n", worstMem.memRatio, worstMem.place, worstMem.pat, worstMem.cpuPerKB)
	fmt.Fprintf(w, "sweep: %d of %d rows over a target (%d over %.0f µs/KB, %d over %.0f× memory); %d over 7 µs/KB\n",
		missed, len(rows), overTime, maxUSPerKB, overMem, maxAdvMem, over7)
	return missed, nil
}
