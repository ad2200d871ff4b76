package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/detect"
)

// placement puts one string where --location says, in a request the
// engine inspects exactly as it inspects a real one.
func placement(loc, s string) (*guard.Invocation, error) {
	inv := &guard.Invocation{Source: guard.SourceHTTP, Method: "GET", Path: "/check", RequestID: "fnguard-check"}
	kind, name, _ := strings.Cut(loc, ".")
	switch kind {
	case "query":
		if name == "" {
			return nil, fmt.Errorf("--location %q: want query.NAME", loc)
		}
		inv.Query = []guard.Param{{Name: name, Value: s}}
	case "headers", "header":
		if name == "" {
			return nil, fmt.Errorf("--location %q: want headers.NAME", loc)
		}
		inv.Headers = []guard.Param{{Name: strings.ToLower(name), Value: s}}
	case "cookies", "cookie":
		if name == "" {
			return nil, fmt.Errorf("--location %q: want cookies.NAME", loc)
		}
		inv.Cookies = []guard.Param{{Name: name, Value: s}}
	case "pathParameters", "path_params":
		if name == "" {
			return nil, fmt.Errorf("--location %q: want pathParameters.NAME", loc)
		}
		inv.PathParams = []guard.Param{{Name: name, Value: s}}
	case "path":
		inv.Path = s
	case "body":
		inv.Method = "POST"
		if name == "" {
			inv.ContentType = "text/plain; charset=utf-8"
			inv.Body = []byte(s)
			break
		}
		// body.a.b → {"a":{"b":s}}
		var v any = s
		keys := strings.Split(name, ".")
		for i := len(keys) - 1; i >= 0; i-- {
			if keys[i] == "" {
				return nil, fmt.Errorf("--location %q: empty key in the body path", loc)
			}
			v = map[string]any{keys[i]: v}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		inv.ContentType = "application/json"
		inv.Body = b
	default:
		return nil, fmt.Errorf("--location %q: want query.NAME, headers.NAME, cookies.NAME, pathParameters.NAME, path, body or body.KEY[.KEY…]", loc)
	}
	return inv, nil
}

type checkReport struct {
	Verdict  string          `json:"verdict"`
	Status   int             `json:"status,omitempty"`
	Location string          `json:"location"`
	Decoded  string          `json:"decoded"`
	Findings []replayFinding `json:"findings"`
	Detail   []categoryNote  `json:"categories"`
}

// categoryNote says, per detection category, what it concluded on the
// decoded string on its own (independent of location-specific policy).
type categoryNote struct {
	Category string `json:"category"`
	Matched  bool   `json:"matched"`
	Rule     string `json:"rule,omitempty"`
	Fragment string `json:"fragment,omitempty"`
	Why      string `json:"why"`
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	c := newSubcommand("check", "[--env FILE] [--location LOC] [--format text|json] STRING", stderr)
	loc := c.fs.String("location", "query.q", "where the string arrives: query.NAME, headers.NAME, cookies.NAME, pathParameters.NAME, path, body, body.KEY")
	envFile := c.fs.String("env", "", "dotenv file with FNGUARD_* settings (added to the environment)")
	format := c.formatFlag("", "text", "json")
	if !c.parse(args, 1, 1) {
		return exitUsage
	}
	s := c.fs.Arg(0)
	inv, err := placement(*loc, s)
	if err != nil {
		return c.fail(err)
	}
	g, err := newGuard(*envFile)
	if err != nil {
		return c.fail(err)
	}
	d := g.Inspect(context.Background(), inv)
	red := g.Redactor()
	findings := findingsOf(d, nil)
	for i := range findings {
		findings[i].Excerpt = redactDecoded(red, s, findings[i].Excerpt)
	}
	rep := checkReport{Verdict: verdict(d), Status: d.Status, Location: *loc, Decoded: redactDecoded(g.Redactor(), s, detect.Normalize(s)), Findings: findings}
	rep.Detail = explain(g, s)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return writeErr(stderr, err)
		}
	} else {
		fmt.Fprintf(stdout, "verdict: %s", rep.Verdict)
		if rep.Status != 0 {
			fmt.Fprintf(stdout, " (%d)", rep.Status)
		}
		fmt.Fprintf(stdout, "\nlocation: %s\ndecoded: %s\n", rep.Location, rep.Decoded)
		for _, f := range rep.Findings {
			fmt.Fprintf(stdout, "finding: %s %s at %s: %s\n", f.Action, f.Rule, f.Location, f.Excerpt)
		}
		fmt.Fprintln(stdout, "categories:")
		for _, c := range rep.Detail {
			mark := "-"
			if c.Matched {
				mark = "x"
			}
			fmt.Fprintf(stdout, "  [%s] %-16s %s\n", mark, c.Category, c.Why)
		}
	}
	if blocks(d) {
		return exitFindings
	}
	return exitOK
}

// explain runs each detection category on its own over the string, so the
// user sees which ones matched (rule, decoded fragment, the rule's
// description) and which did not.
func explain(g *guard.Guard, s string) []categoryNote {
	var out []categoryNote
	red := g.Redactor()
	for _, c := range detect.Categories() {
		d, err := detect.New(detect.Config{Categories: []detect.Category{c}})
		if err != nil {
			continue
		}
		var ms []detect.Match
		for _, kind := range []detect.Kind{detect.Value} {
			ms = d.Scan(ms, s, detect.Input{Kind: kind})
		}
		n := categoryNote{Category: string(c)}
		if len(ms) > 0 {
			n.Matched, n.Rule, n.Fragment = true, ms[0].Rule, redactDecoded(red, s, ms[0].Fragment)
			n.Why = ms[0].Rule + " matched " + quoteShort(n.Fragment)
			if desc := ruleDescription(ms[0].Rule); desc != "" {
				n.Why += ": " + desc
			}
		} else {
			n.Why = "no " + string(c) + " syntax in the decoded string"
		}
		out = append(out, n)
	}
	return out
}

func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// redactDecoded masks, in a decoded (case-folded, unescaped) view of
// original, every token whose spelling in the original the redactor would
// mask: decoding changes case and escapes, so the redactor cannot be run on
// the decoded text itself.
func redactDecoded(red interface{ String(string) string }, original, decoded string) string {
	lowOrig := strings.ToLower(original)
	var b strings.Builder
	i := 0
	for i < len(decoded) {
		if !tokenByte(decoded[i]) {
			b.WriteByte(decoded[i])
			i++
			continue
		}
		j := i
		for j < len(decoded) && tokenByte(decoded[j]) {
			j++
		}
		tok := decoded[i:j]
		masked := false
		if len(tok) >= 8 {
			for from := 0; ; {
				k := strings.Index(lowOrig[from:], strings.ToLower(tok))
				if k < 0 {
					break
				}
				at := from + k
				if red.String(original[at:at+len(tok)]) != original[at:at+len(tok)] || red.String(original) != original && secretAround(red, original, at, at+len(tok)) {
					masked = true
					break
				}
				from = at + 1
			}
		}
		if masked {
			b.WriteString("[REDACTED]")
		} else {
			b.WriteString(tok)
		}
		i = j
	}
	return b.String()
}

// secretAround reports whether the redactor masks original[lo:hi] in its
// context (a token that is only recognisable with its prefix, such as a
// JWT or a key=value pair).
func secretAround(red interface{ String(string) string }, original string, lo, hi int) bool {
	const marker = "\x00"
	probe := original[:lo] + marker + original[lo:hi] + marker + original[hi:]
	out := red.String(probe)
	a := strings.Index(out, marker)
	z := strings.LastIndex(out, marker)
	return a < 0 || z <= a || out[a+1:z] != original[lo:hi]
}

func tokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+' || c == '/' || c == '=' || c == '.' || c >= 0x80
}
