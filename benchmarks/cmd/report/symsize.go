package main

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// symbolSizes sums `go tool nm -size` of a binary (with symbols) by
// package: what makes a binary big (tables, generated code, regexp, unicode).
func symbolSizes(goBin, bin string) (map[string]int64, error) {
	sizes := map[string]int64{}
	err := nmSymbols(goBin, bin, func(sym string, size int64) {
		sizes[symbolPackage(sym)] += size
	})
	return sizes, err
}

// nmSymbols calls each with the name and size of every symbol `go tool nm
// -size` lists for bin.
func nmSymbols(goBin, bin string, each func(sym string, size int64)) error {
	out, err := exec.Command(goBin, "tool", "nm", "-size", bin).Output()
	if err != nil {
		return fmt.Errorf("go tool nm -size %s: %w", bin, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		// "  4a1f20      12345 T name"
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		each(strings.Join(f[3:], " "), n)
	}
	return sc.Err()
}

// symbolPackage is the import path a symbol belongs to ("runtime",
// "github.com/fnguard/fnguard/guard/detect"); type and itab symbols count
// for the package of the type they describe.
func symbolPackage(sym string) string {
	for _, p := range []string{"type:.eq.", "type:.hash.", "type:", "go:itab.*", "go:itab.", "go:info.", "go:cuinfo.", "go:string.", "*"} {
		sym = strings.TrimPrefix(sym, p)
	}
	sym = strings.TrimLeft(sym, "*[]")
	if strings.HasPrefix(sym, "go:") || sym == "" {
		return "(runtime data: go:*)"
	}
	slash := strings.LastIndexByte(sym, '/')
	dot := strings.IndexByte(sym[slash+1:], '.')
	if dot < 0 {
		return sym
	}
	return sym[:slash+1+dot]
}

// sizeBreakdown prints the packages that grow the guarded binary most
// (symbol sizes, so a little under the file size difference).
func sizeBreakdown(w io.Writer, goBin, plainBin, guardedBin string) error {
	p, err := symbolSizes(goBin, plainBin)
	if err != nil {
		return err
	}
	g, err := symbolSizes(goBin, guardedBin)
	if err != nil {
		return err
	}
	type row struct {
		pkg   string
		delta int64
	}
	var rows []row
	groups := map[string]int64{}
	for pkg, n := range g {
		d := n - p[pkg]
		if d == 0 {
			continue
		}
		rows = append(rows, row{pkg, d})
		switch {
		case strings.HasPrefix(pkg, "github.com/fnguard/"):
			groups["fnguard"] += d
		case strings.HasPrefix(pkg, "go.uber.org/"):
			groups["zap (+multierr)"] += d
		case strings.HasPrefix(pkg, "go.opentelemetry.io/"):
			groups["OTel API"] += d
		case strings.HasPrefix(pkg, "regexp"):
			groups["regexp"] += d
		case pkg == "unicode" || strings.HasPrefix(pkg, "golang.org/x/text"):
			groups["unicode tables, x/text"] += d
		default:
			groups["other std / deps (runtime, reflect, net, ...)"] += d
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(b.delta, a.delta) })
	fmt.Fprintf(w, "\n## Cold start: what the guarded binary adds, by package (go tool nm -size, symbol bytes)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "group\tKiB\t")
	var names []string
	for k := range groups {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(groups[b], groups[a]) })
	for _, k := range names {
		fmt.Fprintf(tw, "%s\t%+.0f\t\n", k, float64(groups[k])/1024)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "package (top 20)\tKiB\t")
	for _, r := range rows[:min(20, len(rows))] {
		fmt.Fprintf(tw, "%s\t%+.0f\t\n", r.pkg, float64(r.delta)/1024)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return twiceCompiled(w, goBin, guardedBin)
}

// twiceCompiled lists the functions of fnguard compiled for []byte as
// well as string (generic over ~string | ~[]byte and called with both):
// each such pair cost up to 20 KB of code; a caller holding bytes can pass
// a read-only string view (detect's bufString) instead.
func twiceCompiled(w io.Writer, goBin, bin string) error {
	var lines []string
	err := nmSymbols(goBin, bin, func(sym string, size int64) {
		if strings.HasPrefix(sym, "github.com/fnguard/") && strings.Contains(sym, "[go.shape.[]uint8") {
			lines = append(lines, fmt.Sprintf("  %s (%d bytes)", sym, size))
		}
	})
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		fmt.Fprintln(w, "\nno fnguard function is compiled for []byte as well as string")
		return nil
	}
	slices.Sort(lines)
	fmt.Fprintf(w, "\nfnguard functions compiled for []byte as well as string (pass bytes as a string view to compile them once):\n%s\n", strings.Join(lines, "\n"))
	return nil
}
