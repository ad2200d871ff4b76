package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

const functionARN = "arn:aws:lambda:eu-west-1:123456789012:function:quickstart"

func main() {
	verbose := flag.Bool("v", false, "also print the JSON log line fnguard wrote for each decision")
	flag.Parse()

	results, err := run(context.Background(), os.Stdout, *verbose)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(2)
	}
	for i := range results {
		if results[i].check() != nil {
			os.Exit(1)
		}
	}
}

// run sends every sample through the protected handler and writes the
// report to w.
func run(ctx context.Context, w io.Writer, verbose bool) ([]result, error) {
	l, err := newLab()
	if err != nil {
		return nil, err
	}
	all := samples()
	results := make([]result, 0, len(all))
	for i := range all {
		r, err := l.invoke(ctx, fmt.Sprintf("quickstart-%04d", i+1), all[i])
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	if err := report(w, l.g.Mode(), results, verbose); err != nil {
		return nil, fmt.Errorf("writing the report: %w", err)
	}
	return results, nil
}

// lab is the protected function plus what the quickstart observes of it.
type lab struct {
	g       *guard.Guard
	shop    *shop
	handler lambda.Handler // shop.handle wrapped by guardlambda
	logs    *syncBuffer    // where fnguard's logger writes
}

func newLab() (*lab, error) {
	logs := &syncBuffer{}
	enc := zap.NewProductionEncoderConfig()
	enc.TimeKey = "timestamp"
	enc.EncodeTime = zapcore.RFC3339NanoTimeEncoder
	logger := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.AddSync(logs), zapcore.InfoLevel))

	// WithoutEnv: the quickstart behaves the same whatever FNGUARD_*
	// variables happen to be set in your shell. A deployed function would
	// call guard.New() and be configured by its environment.
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(logger))
	if err != nil {
		return nil, fmt.Errorf("building the guard: %w", err)
	}
	s := newShop()
	return &lab{g: g, shop: s, handler: guardlambda.Wrap(g, s.handle), logs: logs}, nil
}

// result is what happened to one sample.
type result struct {
	sample     sample
	requestID  string
	handlerRan bool
	status     int   // status code of the API Gateway response
	err        error // error returned by the wrapped handler (none expected for HTTP events)
	decisions  []loggedDecision
}

// invoke calls the wrapped handler the way the Lambda runtime does: with the
// raw event bytes and a context carrying the invocation's metadata.
func (l *lab) invoke(ctx context.Context, requestID string, sm sample) (result, error) {
	payload, err := json.Marshal(sm.event)
	if err != nil {
		return result{}, fmt.Errorf("%s: encoding the event: %w", sm.name, err)
	}
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: requestID, InvokedFunctionArn: functionARN})

	l.logs.Reset()
	before := l.shop.served.Load()
	out, invokeErr := l.handler.Invoke(ctx, payload)
	r := result{sample: sm, requestID: requestID, handlerRan: l.shop.served.Load() > before, err: invokeErr}

	if r.decisions, err = parseDecisions(l.logs.Bytes()); err != nil {
		return result{}, fmt.Errorf("%s: reading fnguard's log: %w", sm.name, err)
	}
	if invokeErr != nil {
		return r, nil
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return result{}, fmt.Errorf("%s: the wrapped handler returned %q, not an API Gateway proxy response: %w", sm.name, out, err)
	}
	r.status = resp.StatusCode
	return r, nil
}

// verdict is ALLOWED when the handler ran, otherwise what fnguard did.
func (r *result) verdict() string {
	switch {
	case r.err != nil:
		return "ERROR"
	case r.handlerRan:
		return "ALLOWED"
	case r.status == 403:
		return "BLOCKED"
	case r.status == 400 || r.status == 413:
		return "REJECTED"
	default:
		return "FAILED"
	}
}

// finding is the finding to show for the invocation: for an attack, the
// one its sample documents when fnguard logged it, otherwise the first one
// logged. n is the number of findings logged.
func (r *result) finding() (f loggedFinding, n int) {
	for _, d := range r.decisions {
		for _, lf := range d.Findings {
			if n == 0 || (r.sample.malicious() && lf.Category == string(r.sample.category) && lf.Location == r.sample.location) {
				f = lf
			}
			n++
		}
	}
	return f, n
}

// has reports whether fnguard logged a finding of category cat at loc.
func (r *result) has(cat guard.Category, loc string) bool {
	for _, d := range r.decisions {
		for _, f := range d.Findings {
			if f.Category == string(cat) && f.Location == loc {
				return true
			}
		}
	}
	return false
}

// check compares a result with what its sample documents.
func (r *result) check() error {
	sm := &r.sample
	switch {
	case r.err != nil:
		return fmt.Errorf("%s: the wrapped handler failed: %w", sm, r.err)
	case !sm.malicious() && !r.handlerRan:
		return fmt.Errorf("%s: benign request stopped with status %d: %s", sm, r.status, r.describe())
	case !sm.malicious():
		return nil
	case r.handlerRan:
		return fmt.Errorf("%s: the attack reached the handler (status %d)", sm, r.status)
	case r.status != 403:
		return fmt.Errorf("%s: got status %d, want 403", sm, r.status)
	case !r.has(sm.category, sm.location):
		return fmt.Errorf("%s: want a %s finding at %s, fnguard logged: %s", sm, sm.category, sm.location, r.describe())
	}
	return nil
}

func (r *result) describe() string {
	var b bytes.Buffer
	for _, d := range r.decisions {
		for _, f := range d.Findings {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s %s at %s", f.Category, f.Rule, f.Location)
		}
	}
	if b.Len() == 0 {
		return "no finding"
	}
	return b.String()
}

// report writes one aligned line per sample and a summary.
func report(w io.Writer, mode guard.Mode, results []result, verbose bool) error {
	fmt.Fprintf(w, "fnguard quickstart: %d API Gateway (REST) events through guardlambda.Wrap, mode %s\n\n", len(results), mode)
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  EVENT\tVERDICT\tCATEGORY\tRULE\tLOCATION")
	var allowed, stopped, wrong int
	var problems []error
	for i := range results {
		r := &results[i]
		verdict := r.verdict()
		if r.status != 0 {
			verdict += " " + strconv.Itoa(r.status)
		}
		if r.handlerRan {
			allowed++
		} else {
			stopped++
		}
		f, n := r.finding()
		mark := ""
		if n > 1 {
			mark = fmt.Sprintf(" (+%d more)", n-1)
		}
		if err := r.check(); err != nil {
			wrong++
			problems = append(problems, err)
			mark += "  <- unexpected"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s%s\n", r.sample.name, verdict, f.Category, f.Rule, f.Location, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " ")); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\n%d allowed, %d blocked, %d events", allowed, stopped, len(results))
	if wrong == 0 {
		fmt.Fprintln(w, ": every sample got the verdict it should.")
	} else {
		fmt.Fprintf(w, ": %d did not get the verdict they should:\n", wrong)
		for _, err := range problems {
			fmt.Fprintln(w, "  -", err)
		}
	}
	if verbose {
		fmt.Fprintln(w, "\nfnguard's log lines (redacted JSON, as a deployed function writes them to stdout):")
		for i := range results {
			for _, d := range results[i].decisions {
				fmt.Fprintln(w, d.Line)
			}
		}
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for the logger and the reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

// Bytes returns a copy of the contents.
func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
