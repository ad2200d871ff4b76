package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fnguard/fnguard/guard"
)

// replayFinding is a finding as the command prints it.
type replayFinding struct {
	Action   string `json:"action"`
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Location string `json:"location"`
	Excerpt  string `json:"excerpt,omitempty"`
	Record   string `json:"record,omitempty"` // the record's id in a batch
}

// replayResult is one event's outcome.
type replayResult struct {
	File     string          `json:"file"`
	Line     int             `json:"line"`
	Source   string          `json:"source"`
	Verdict  string          `json:"verdict"`
	Status   int             `json:"status,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Records  []int           `json:"blockedRecords,omitempty"`
	Findings []replayFinding `json:"findings,omitempty"`
}

func verdict(d guard.Decision) string { return d.Action.String() }

// blocks reports whether the handler (or some records) would not run.
func blocks(d guard.Decision) bool { return d.Action >= guard.ActionBlock }

func findingsOf(d guard.Decision, recordIDs func(int) string) []replayFinding {
	out := make([]replayFinding, 0, len(d.Findings))
	for _, f := range d.Findings {
		rf := replayFinding{Action: f.Action.String(), Rule: f.Rule, Category: string(f.Category), Location: f.Location, Excerpt: f.Excerpt}
		if f.Record >= 0 && recordIDs != nil {
			rf.Record = recordIDs(f.Record)
		}
		out = append(out, rf)
	}
	return out
}

// summaryKey groups findings for the summary table.
type summaryKey struct{ rule, location string }

type summary struct {
	events, blocked, monitored, clean, errors int
	bySource                                  map[string]int
	byRule                                    map[summaryKey]*summaryRow
}

type summaryRow struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Location string `json:"location"`
	Action   string `json:"action"`
	Count    int    `json:"count"`
	Exclude  string `json:"suggestedExclude,omitempty"`
}

func (s *summary) add(r *replayResult) {
	s.events++
	s.bySource[r.Source]++
	switch {
	case r.Verdict == guard.ActionAllow.String():
		s.clean++
	case r.Verdict == guard.ActionMonitor.String():
		s.monitored++
	case r.Verdict == guard.ActionFail.String():
		s.errors++
		s.blocked++
	default:
		s.blocked++
	}
	for _, f := range r.Findings {
		loc := generalLocation(f.Location)
		k := summaryKey{f.Rule, loc}
		row := s.byRule[k]
		if row == nil {
			row = &summaryRow{Rule: f.Rule, Category: f.Category, Location: loc, Action: f.Action}
			row.Exclude = suggestExclude(f.Category, f.Rule, loc)
			s.byRule[k] = row
		}
		if f.Action == guard.ActionBlock.String() {
			row.Action = f.Action
		}
		row.Count++
	}
}

// generalLocation replaces array indexes by [*] so that one field of every
// record or list element counts as one location (and one exclusion).
func generalLocation(loc string) string {
	if !strings.Contains(loc, "[") {
		return loc
	}
	var b strings.Builder
	for i := 0; i < len(loc); i++ {
		if loc[i] == '[' {
			j := i + 1
			for j < len(loc) && loc[j] >= '0' && loc[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(loc) && loc[j] == ']' {
				b.WriteString("[*]")
				i = j
				continue
			}
		}
		b.WriteByte(loc[i])
	}
	return b.String()
}

// suggestExclude is the FNGUARD_EXCLUDE entry that would silence a finding
// at loc, when the engine accepts one: an exclusion by rule id where the
// engine supports it, else by category. Policy findings (validation,
// allowlists, callers) are not excludable by location and get none.
func suggestExclude(category, rule, loc string) string {
	switch guard.Category(category) {
	case guard.Validation, guard.Allowlist, guard.Caller, guard.Egress, guard.Leak:
		return ""
	}
	for _, what := range []string{rule, category} {
		if what == "" {
			continue
		}
		entry := loc + "=" + what
		if excludeAccepted(entry) {
			return entry
		}
	}
	return ""
}

// excludeAccepted asks the engine whether an FNGUARD_EXCLUDE entry parses.
func excludeAccepted(entry string) bool {
	old, had := os.LookupEnv("FNGUARD_EXCLUDE")
	defer func() {
		if had {
			os.Setenv("FNGUARD_EXCLUDE", old)
		} else {
			os.Unsetenv("FNGUARD_EXCLUDE")
		}
	}()
	os.Setenv("FNGUARD_EXCLUDE", entry)
	_, err := newGuard("")
	return err == nil
}

func (s *summary) rows() []*summaryRow {
	rows := make([]*summaryRow, 0, len(s.byRule))
	for _, r := range s.byRule {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		if rows[i].Rule != rows[j].Rule {
			return rows[i].Rule < rows[j].Rule
		}
		return rows[i].Location < rows[j].Location
	})
	return rows
}

// progress prints a counter on stderr when it is a terminal and the input
// is large; nothing otherwise.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

const progressAfter = 5000 // events before the counter appears

func newProgress(stderr io.Writer) *progress {
	p := &progress{w: stderr, start: time.Now()}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) tick(n int) {
	if !p.on || n < progressAfter || n%1000 != 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(n) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r  replayed %d events (%.0f/s)", n, rate)
}

func (p *progress) done(n int) {
	if p.on && n >= progressAfter {
		fmt.Fprintf(p.w, "\r  replayed %d events in %s\n", n, time.Since(p.start).Round(time.Millisecond))
	}
}

func runReplay(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newSubcommand("replay", "[--env FILE] [--format text|json|markdown] [--quiet] PATH...", stderr,
		"PATH: an event file, a JSON Lines file, a directory (recursively), a CloudWatch Logs export, or - for stdin")
	envFile := c.fs.String("env", "", "dotenv file with FNGUARD_* settings (added to the environment; it wins)")
	format := c.formatFlag("output format: text, json (JSON Lines, then a summary line) or markdown", "text", "json", "markdown")
	quiet := c.fs.Bool("quiet", false, "print only events with findings and the summary")
	if !c.parse(args, 1, -1) {
		return exitUsage
	}
	g, err := newGuard(*envFile)
	if err != nil {
		return c.fail(err)
	}
	files, err := expandPaths(c.fs.Args())
	if err != nil {
		return c.fail(err)
	}
	out := bufio.NewWriterSize(stdout, 64*1024)
	defer out.Flush()
	sum := &summary{bySource: map[string]int{}, byRule: map[summaryKey]*summaryRow{}}
	prog := newProgress(stderr)
	ctx := context.Background()
	rp := &replayer{g: g}
	if *format == "markdown" {
		fmt.Fprintln(out, "| file:line | source | verdict | rule | location | excerpt |")
		fmt.Fprintln(out, "|---|---|---|---|---|---|")
	}
	enc := json.NewEncoder(out)
	write := func(r *replayResult) error {
		sum.add(r)
		prog.tick(sum.events)
		if *quiet && len(r.Findings) == 0 && r.Verdict == guard.ActionAllow.String() {
			return nil
		}
		switch *format {
		case "json":
			return enc.Encode(r)
		case "markdown":
			if len(r.Findings) == 0 && r.Verdict == guard.ActionAllow.String() {
				return nil // the table lists what the policy noticed
			}
			writeMarkdownRow(out, r)
		default:
			writeTextLine(out, r)
		}
		return nil
	}
	// Events are judged in batches, in parallel (the guard is safe for
	// concurrent use), and written in input order.
	b := newBatcher(ctx, rp, write)
	emit := b.add
	inputErrors := 0
	for _, name := range files {
		var err error
		if name == "-" {
			err = readEvents("stdin", stdin, emit)
		} else {
			f, oerr := os.Open(name)
			if oerr != nil {
				err = &inputError{file: name, msg: oerr.Error()}
			} else {
				err = readEvents(name, f, emit)
				f.Close()
			}
		}
		if ferr := b.flush(); ferr != nil && err == nil {
			err = ferr
		}
		if err != nil {
			var ie *inputError
			if !errors.As(err, &ie) {
				out.Flush()
				return writeErr(stderr, err) // stdout failed: nothing more can be reported
			}
			// The rest of this input is skipped; the others are still
			// replayed, and the exit status says an input was bad.
			out.Flush()
			fmt.Fprintln(stderr, "fnguard replay:", err)
			inputErrors++
		}
	}
	prog.done(sum.events)
	writeSummary(out, *format, sum)
	if err := out.Flush(); err != nil {
		return writeErr(stderr, err)
	}
	switch {
	case inputErrors > 0:
		fmt.Fprintf(stderr, "fnguard replay: %d input(s) could not be read\n", inputErrors)
		return exitUsage
	case sum.blocked > 0:
		return exitFindings
	}
	return exitOK
}

func writeTextLine(w io.Writer, r *replayResult) {
	if len(r.Findings) == 0 {
		fmt.Fprintf(w, "%s:%d\t%s\t%s", r.File, r.Line, r.Source, r.Verdict)
		if r.Reason != "" {
			fmt.Fprintf(w, "\t%s", oneLine(r.Reason))
		}
		fmt.Fprintln(w)
		return
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%s:%d\t%s\t%s\t%s\t%s\t%s\n", r.File, r.Line, r.Source, r.Verdict, f.Rule, recordPrefix(f)+f.Location, strconv.Quote(f.Excerpt))
	}
}

func recordPrefix(f replayFinding) string {
	if f.Record == "" {
		return ""
	}
	return "(" + f.Record + ") "
}

func writeMarkdownRow(w io.Writer, r *replayResult) {
	if len(r.Findings) == 0 {
		fmt.Fprintf(w, "| %s:%d | %s | %s | | | %s |\n", mdEscape(r.File), r.Line, r.Source, r.Verdict, mdEscape(r.Reason))
		return
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "| %s:%d | %s | %s | `%s` | `%s` | %s |\n", mdEscape(r.File), r.Line, r.Source, r.Verdict, f.Rule, mdEscape(recordPrefix(f)+f.Location), mdEscape(strconv.Quote(f.Excerpt)))
	}
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "`", "'")
	return oneLine(s)
}

func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

func writeSummary(w io.Writer, format string, s *summary) {
	rows := s.rows()
	switch format {
	case "json":
		type sourceCount struct {
			Source string `json:"source"`
			Events int    `json:"events"`
		}
		var srcs []sourceCount
		for k, v := range s.bySource {
			srcs = append(srcs, sourceCount{k, v})
		}
		sort.Slice(srcs, func(i, j int) bool { return srcs[i].Source < srcs[j].Source })
		if rows == nil {
			rows = []*summaryRow{}
		}
		json.NewEncoder(w).Encode(map[string]any{"summary": map[string]any{
			"events": s.events, "blocked": s.blocked, "monitored": s.monitored, "clean": s.clean, "errors": s.errors,
			"sources": srcs, "findings": rows,
		}})
	case "markdown":
		fmt.Fprintf(w, "\n**%d events**: %d would be blocked or refused, %d monitored, %d clean.\n\n", s.events, s.blocked, s.monitored, s.clean)
		if len(rows) == 0 {
			return
		}
		fmt.Fprintln(w, "| rule | location | action | count | suggested `FNGUARD_EXCLUDE` entry |")
		fmt.Fprintln(w, "|---|---|---|---:|---|")
		for _, r := range rows {
			fmt.Fprintf(w, "| `%s` | `%s` | %s | %d | %s |\n", r.Rule, mdEscape(r.Location), r.Action, r.Count, codeOrDash(r.Exclude))
		}
		if ex := excludeLine(rows); ex != "" {
			fmt.Fprintf(w, "\nIf these are false positives (suggestions — check each one):\n\n```sh\nFNGUARD_EXCLUDE='%s'\n```\n", ex)
		}
	default:
		fmt.Fprintf(w, "\n%d events: %d would be blocked or refused, %d monitored, %d clean\n", s.events, s.blocked, s.monitored, s.clean)
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%-7s %-8s %-36s %s\n", "COUNT", "ACTION", "RULE", "LOCATION")
		for _, r := range rows {
			fmt.Fprintf(w, "%-7d %-8s %-36s %s\n", r.Count, r.Action, r.Rule, r.Location)
		}
		if ex := excludeLine(rows); ex != "" {
			fmt.Fprintf(w, "\nsuggested exclusions, if these are false positives (check each one):\n  FNGUARD_EXCLUDE='%s'\n", ex)
		}
	}
}

func codeOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return "`" + mdEscape(s) + "`"
}

// excludeLine joins the suggested entries into one FNGUARD_EXCLUDE value.
func excludeLine(rows []*summaryRow) string {
	seen := map[string]bool{}
	var parts []string
	for _, r := range rows {
		if r.Exclude != "" && !seen[r.Exclude] {
			seen[r.Exclude] = true
			parts = append(parts, r.Exclude)
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// batcher collects events and judges them on every CPU.
type batcher struct {
	ctx     context.Context
	rp      *replayer
	write   func(*replayResult) error
	events  []rawEvent
	results []replayResult
	bytes   int
}

const (
	batchEvents = 512     // events judged together
	batchBytes  = 8 << 20 // or fewer, when they are large
)

func newBatcher(ctx context.Context, rp *replayer, write func(*replayResult) error) *batcher {
	return &batcher{ctx: ctx, rp: rp, write: write}
}

func (b *batcher) add(ev rawEvent) error {
	b.events = append(b.events, ev)
	b.bytes += len(ev.raw)
	if len(b.events) >= batchEvents || b.bytes >= batchBytes {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	n := len(b.events)
	if n == 0 {
		return nil
	}
	b.results = append(b.results[:0], make([]replayResult, n)...)
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				b.results[i] = b.rp.replay(b.ctx, b.events[i])
			}
		}(w)
	}
	wg.Wait()
	var err error
	for i := range b.results {
		if err == nil {
			err = b.write(&b.results[i])
		}
		b.results[i] = replayResult{}
		b.events[i] = rawEvent{}
	}
	b.events, b.bytes = b.events[:0], 0
	return err
}
