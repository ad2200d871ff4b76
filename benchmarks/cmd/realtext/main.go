// Command realtext measures false positives on real text nobody here wrote:
// the Markdown, documentation and source files already on the machine (the
// Go module cache and /usr/share/doc by default). Documentation is read in
// paragraphs (split at blank lines), source code in lines; each unit is
// sent as the string of a JSON request body through guard.Inspect with
// the default configuration, and the report gives, per kind of text, how
// many units were blocked and by which rules.
//
// What it reads is text, not attacks, but not all of it is what a user
// would send: security documentation, shell scripts and test code quote
// attacks on purpose. The figures are a ceiling of the false-positive
// rate; -v prints the blocked units to read them.
//
//	cd benchmarks && GOWORK=off go run ./cmd/realtext [-v] [-max 60000] [dir ...]
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// maxUnit is the longest paragraph or line judged (longer ones are
// mostly generated text: tables, minified code).
const maxUnit = 4096

// maxFile is the largest file read.
const maxFile = 1 << 20

// kindOf returns the kind of text a file holds and whether it is read in
// lines (source code) rather than paragraphs, or "" to skip the file.
func kindOf(path string) (kind string, lines bool) {
	base := strings.ToLower(filepath.Base(path))
	base = strings.TrimSuffix(base, ".gz")
	switch ext := filepath.Ext(base); ext {
	case ".md", ".markdown":
		return "markdown", false
	case ".rst", ".txt":
		return "docs", false
	case ".go":
		return "code:go", true
	case ".js", ".mjs", ".ts":
		return "code:js", true
	case ".py":
		return "code:py", true
	case ".c", ".h":
		return "code:c", true
	case "":
		for _, p := range []string{"readme", "news", "changelog", "changes", "copyright", "authors", "history", "todo"} {
			if strings.HasPrefix(base, p) {
				return "docs", false
			}
		}
	}
	return "", false
}

// units splits text into paragraphs or lines of at most maxUnit bytes,
// valid UTF-8, with a letter in them.
func units(text []byte, lines bool, each func(string)) {
	var parts [][]byte
	if lines {
		parts = bytes.Split(text, []byte("\n"))
	} else {
		parts = splitParagraphs(text)
	}
	for _, p := range parts {
		p = bytes.TrimSpace(p)
		if len(p) < 8 || len(p) > maxUnit || !utf8.Valid(p) || !bytes.ContainsFunc(p, func(r rune) bool { return 'a' <= r && r <= 'z' }) {
			continue
		}
		each(string(p))
	}
}

// splitParagraphs splits text at blank lines.
func splitParagraphs(text []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		line := text[i : i+j]
		if len(bytes.TrimSpace(line)) == 0 {
			if i > start {
				out = append(out, text[start:i])
			}
			start = i + j + 1
		}
		i += j + 1
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err == nil && len(b) > maxFile {
		return nil, errors.New("too large")
	}
	return b, err
}

type tally struct {
	units, blocked int
	rules          map[string]int
	examples       map[string][]string
}

func main() {
	verbose := flag.Bool("v", false, "print the blocked units (up to -examples per rule and kind)")
	examples := flag.Int("examples", 5, "with -v: blocked units printed per rule and kind")
	maxUnits := flag.Int("max", 60000, "units judged per kind at most (the files are read in a fixed order; past the bound every k-th unit is kept)")
	flag.Parse()
	dirs := flag.Args()
	if len(dirs) == 0 {
		if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			dirs = append(dirs, string(bytes.TrimSpace(out)))
		}
		dirs = append(dirs, "/usr/share/doc")
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Fprintln(os.Stderr, "realtext:", err)
		os.Exit(2)
	}

	// Read every unit first, so that the sampling stride per kind is known.
	all := map[string][]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable: skipped
			}
			if d.IsDir() {
				if name := d.Name(); name == ".git" || name == "node_modules" && path != dir {
					return filepath.SkipDir
				}
				return nil
			}
			kind, lines := kindOf(path)
			if kind == "" || !d.Type().IsRegular() {
				return nil
			}
			text, err := readFile(path)
			if err != nil {
				return nil
			}
			units(text, lines, func(u string) { all[kind] = append(all[kind], u) })
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "realtext:", err)
		}
	}
	if len(all) == 0 {
		fmt.Fprintf(os.Stderr, "realtext: no text found under %v\n", dirs)
		os.Exit(2)
	}

	kinds := make([]string, 0, len(all))
	for k := range all {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	tallies := map[string]*tally{}
	ctx := context.Background()
	for _, kind := range kinds {
		us := all[kind]
		stride := max(1, (len(us)+*maxUnits-1) / *maxUnits)
		t := &tally{rules: map[string]int{}, examples: map[string][]string{}}
		tallies[kind] = t
		for i := 0; i < len(us); i += stride {
			body, _ := json.Marshal(map[string]string{"text": us[i]})
			d := g.Inspect(ctx, &guard.Invocation{Source: guard.SourceHTTP, Method: "POST", Path: "/notes",
				ContentType: "application/json", Body: body})
			t.units++
			if d.Action != guard.ActionBlock {
				continue
			}
			t.blocked++
			seen := map[string]bool{}
			for _, f := range d.Findings {
				if f.Action != guard.ActionBlock || seen[f.Rule] {
					continue
				}
				seen[f.Rule] = true
				t.rules[f.Rule]++
				if len(t.examples[f.Rule]) < *examples {
					t.examples[f.Rule] = append(t.examples[f.Rule], us[i])
				}
			}
		}
	}

	fmt.Printf("real text under %s, each paragraph (documentation) or line (code) as a JSON body's string through guard.Inspect (default configuration)\n\n", strings.Join(dirs, ", "))
	w := tabwriter.NewWriter(os.Stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "kind\tunits\tblocked\tblocked %\ttop rules\t")
	total, blocked := 0, 0
	for _, kind := range kinds {
		t := tallies[kind]
		total += t.units
		blocked += t.blocked
		fmt.Fprintf(w, "%s\t%d\t%d\t%.2f\t%s\t\n", kind, t.units, t.blocked, 100*float64(t.blocked)/float64(max(1, t.units)), topRules(t.rules, 4))
	}
	fmt.Fprintf(w, "all\t%d\t%d\t%.2f\t\t\n", total, blocked, 100*float64(blocked)/float64(max(1, total)))
	w.Flush()
	if *verbose {
		out := bufio.NewWriter(os.Stdout)
		for _, kind := range kinds {
			t := tallies[kind]
			for _, r := range sortedRules(t.rules) {
				fmt.Fprintf(out, "\n== %s %s (%d)\n", kind, r, t.rules[r])
				for _, ex := range t.examples[r] {
					fmt.Fprintf(out, "   %q\n", ex)
				}
			}
		}
		out.Flush()
	}
}

func sortedRules(m map[string]int) []string {
	rs := make([]string, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return rs
}

func topRules(m map[string]int, n int) string {
	rs := sortedRules(m)
	var parts []string
	for i, r := range rs {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", r, m[r]))
	}
	return strings.Join(parts, ", ")
}
