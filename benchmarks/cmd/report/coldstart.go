package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/fnguard/fnguard/benchmarks"
)

// Cold-start targets (issue 20).
const (
	maxExtraInit   = 500 * time.Microsecond
	maxExtraBinary = 3 << 19      // 1.5 MiB, stripped binaries
	maxOwnBinary   = 9 << 20 / 10 // 0.9 MiB: what fnguard adds beyond zap + the OTel API
)

const (
	plainPkg   = "github.com/fnguard/fnguard/benchmarks/coldstart/plain"
	guardedPkg = "github.com/fnguard/fnguard/benchmarks/coldstart/guarded"
	// telemetryPkg is plain plus a zap logger and the OTel API, which
	// fnguard's telemetry is built on: the share of the cost that is theirs.
	telemetryPkg = "github.com/fnguard/fnguard/benchmarks/coldstart/telemetry"
	runtimeAPI   = "/2018-06-01/runtime/"

	buildTimeout  = 5 * time.Minute
	invokeTimeout = 10 * time.Second
)

type binary struct {
	name     string // "plain", "telemetry" or "guarded"
	stripped string // path of the -s -w build
	full     string // path of the build with symbols
}

func goCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	// go test puts its own GOROOT/bin first on PATH; elsewhere $GOROOT may say.
	root := os.Getenv("GOROOT")
	if root == "" {
		return "", errors.New("no go command on PATH and GOROOT is not set")
	}
	p := filepath.Join(root, "bin", "go")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no go command on PATH nor in GOROOT %s: %w", root, err)
	}
	return p, nil
}

// build compiles pkg as for the provided.al2023 runtime, with and without
// the symbol table.
func build(goBin, dir, name, pkg string) (binary, error) {
	b := binary{name: name, stripped: filepath.Join(dir, name+"-stripped"), full: filepath.Join(dir, name+"-full")}
	for _, v := range []struct{ out, ldflags string }{{b.stripped, "-s -w"}, {b.full, ""}} {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		args := []string{"build", "-tags", "lambda.norpc", "-trimpath"}
		if v.ldflags != "" {
			args = append(args, "-ldflags="+v.ldflags)
		}
		args = append(args, "-o", v.out, pkg)
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			return b, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	return b, nil
}

func fileSize(p string) (int64, error) {
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func coldstart(w io.Writer, o options) (missed int, err error) {
	goBin, err := goCommand()
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "fnguard-coldstart-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	plain, err := build(goBin, dir, "plain", plainPkg)
	if err != nil {
		return 0, err
	}
	guarded, err := build(goBin, dir, "guarded", guardedPkg)
	if err != nil {
		return 0, err
	}
	telem, err := build(goBin, dir, "telemetry", telemetryPkg)
	if err != nil {
		return 0, err
	}

	fmt.Fprintf(w, "\n## Cold start: binary size (go build -tags lambda.norpc -trimpath, CGO_ENABLED=0)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "build\tplain\tguarded\tdifference\tzap + OTel API only\t")
	var strippedDiff, ownDiff int64
	for _, v := range []struct{ label, p, g, t string }{
		{"-ldflags='-s -w'", plain.stripped, guarded.stripped, telem.stripped},
		{"with symbols", plain.full, guarded.full, telem.full},
	} {
		ps, err := fileSize(v.p)
		if err != nil {
			return 0, err
		}
		gs, err := fileSize(v.g)
		if err != nil {
			return 0, err
		}
		ts, err := fileSize(v.t)
		if err != nil {
			return 0, err
		}
		if v.p == plain.stripped {
			strippedDiff, ownDiff = gs-ps, gs-ts
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t+%s\t\n", v.label, mib(ps), mib(gs), mib(gs-ps), mib(ts-ps))
	}
	tw.Flush()
	if err := sizeBreakdown(w, goBin, plain.full, guarded.full); err != nil {
		return 0, err
	}

	// A typical event with an order shop.Handle accepts (it answers 201).
	event := benchmarks.APIGatewayV1(benchmarks.RESTRequest{Body: []byte(`{"customer":"Siobhan O'Brien","items":[{"sku":"A-1","qty":2}]}`)})
	// times holds one binary's measurements: wall time and CPU time from
	// process start to its first request for work, one per round.
	type times struct {
		bin       *binary
		wall, cpu []time.Duration
	}
	pl, gu, te := &times{bin: &plain}, &times{bin: &guarded}, &times{bin: &telem}
	order := []*times{pl, gu, te}
	for i := 0; i < o.coldRuns; i++ {
		// Each round starts with the next binary, so none always goes first.
		for j := range order {
			b := order[(i+j)%len(order)]
			wall, cpu, err := initTime(b.bin.stripped, event)
			if err != nil {
				return 0, fmt.Errorf("%s run %d: %w", b.bin.name, i+1, err)
			}
			b.wall, b.cpu = append(b.wall, wall), append(b.cpu, cpu)
		}
	}
	// Differences are medians of the per-round differences: the three
	// binaries start back to back in each round, so a slow spell of a
	// shared machine weighs on all three alike. CPU time (all threads, page
	// faults included) hardly depends on what else the machine runs; wall
	// time is what a caller waits for.
	fmt.Fprintf(w, "\n## Cold start: init (process start to the first GET .../invocation/next), %d rounds, stripped binaries\n\n", o.coldRuns)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "binary\twall median\twall min\twall over plain\tCPU median\tCPU over plain\t")
	dg, dgCPU := pairedDiff(gu.wall, pl.wall), pairedDiff(gu.cpu, pl.cpu)
	dt, dtCPU := pairedDiff(te.wall, pl.wall), pairedDiff(te.cpu, pl.cpu)
	for _, b := range []struct {
		label         string
		t             *times
		over, overCPU time.Duration
	}{{"plain", pl, 0, 0}, {"guarded", gu, dg, dgCPU}, {"zap + OTel API only", te, dt, dtCPU}} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.label, ms(medianDur(b.t.wall)), ms(slices.Min(b.t.wall)),
			ms(b.over), ms(medianDur(b.t.cpu)), ms(b.overCPU))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nfnguard's own share (guarded minus zap + OTel API only): wall %s, CPU %s\n", ms(dg-dt), ms(dgCPU-dtCPU))

	if err := initTrace(w, plain.stripped, guarded.stripped); err != nil {
		return 0, err
	}
	if _, err := exec.LookPath("valgrind"); err == nil {
		// Instructions do not depend on the machine's load.
		fmt.Fprintf(w, "\n## Cold start: instructions from exec to the first request for work (callgrind, median of 3, stripped binaries)\n\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
		fmt.Fprintln(tw, "binary\tinstructions\tover plain\t")
		var base uint64
		for _, b := range []binary{plain, guarded, telem} {
			n, err := initInstructions(b.stripped)
			if err != nil {
				return 0, err
			}
			if b.name == "plain" {
				base = n
			}
			fmt.Fprintf(tw, "%s\t%d\t%+d\t\n", b.name, n, int64(n)-int64(base))
		}
		tw.Flush()
	}

	fmt.Fprintf(w, "\n## Cold-start targets\n\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "target\tbound\tmeasured\tresult\t")
	ok := dg <= maxExtraInit
	fmt.Fprintf(tw, "extra init time (wall)\t<= %s\t%s\t%s\t\n", ms(maxExtraInit), ms(dg), verdict(ok))
	if !ok {
		missed++
	}
	ok = strippedDiff <= maxExtraBinary
	fmt.Fprintf(tw, "extra binary size (stripped)\t<= %s\t%s\t%s\t\n", mib(maxExtraBinary), mib(strippedDiff), verdict(ok))
	if !ok {
		missed++
	}
	ok = ownDiff <= maxOwnBinary
	fmt.Fprintf(tw, "fnguard beyond zap + OTel API (stripped)\t<= %s\t%s\t%s\t\n", mib(maxOwnBinary), mib(ownDiff), verdict(ok))
	if !ok {
		missed++
	}
	tw.Flush()
	return missed, nil
}

func mib(n int64) string { return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// processCPU is the CPU time (on-CPU nanoseconds, first field of each
// thread's schedstat) that process pid has used so far, all threads
// together. Page faults count: they are spent in the process's context.
func processCPU(pid int) (time.Duration, error) {
	if pid <= 0 {
		return 0, errors.New("no pid")
	}
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		return 0, fmt.Errorf("no schedstat for pid %d: %v", pid, err)
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that just exited
		}
		f, _, _ := strings.Cut(string(b), " ")
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q: %w", t, b, err)
		}
		total += n
	}
	return time.Duration(total), nil
}

// pairedDiff is the median of a[i]-b[i].
func pairedDiff(a, b []time.Duration) time.Duration {
	d := make([]time.Duration, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return medianDur(d)
}

func medianDur(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// lambdaEnv is the environment Lambda gives a function (minus credentials):
// the child gets only this, so no FNGUARD_* of the caller leaks in.
func lambdaEnv(api string) []string {
	return []string{
		"AWS_LAMBDA_RUNTIME_API=" + api,
		"AWS_LAMBDA_FUNCTION_NAME=fnguard-coldstart",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/fnguard-coldstart",
		"AWS_REGION=eu-west-1",
		"AWS_DEFAULT_REGION=eu-west-1",
		"_HANDLER=bootstrap",
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
	}
}

// fakeRuntime serves one invocation of the Lambda Runtime API: the first
// GET .../invocation/next records its arrival time and gets the event; later
// ones wait until the run is over.
type fakeRuntime struct {
	event     []byte
	first     chan time.Time
	pid       atomic.Int32 // the function's process, for its CPU time
	cpu       atomic.Int64 // its CPU time (ns) when it first asked for work
	results   chan string
	done      chan struct{}
	nexts     atomic.Int32
	unhandled atomic.Value // string: an unexpected request
}

func (rt *fakeRuntime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == runtimeAPI+"invocation/next":
		if rt.nexts.Add(1) > 1 {
			select {
			case <-rt.done:
			case <-r.Context().Done():
			}
			http.Error(w, "runtime shutting down", http.StatusGone)
			return
		}
		now := time.Now()
		// The function is blocked on this request: its CPU time so far is
		// all of its init.
		if cpu, err := processCPU(int(rt.pid.Load())); err == nil {
			rt.cpu.Store(int64(cpu))
		} else {
			rt.cpu.Store(-1)
		}
		rt.first <- now
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "coldstart-1")
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:fnguard-coldstart")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-67f6a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.Write(rt.event)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, runtimeAPI):
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		kind := strings.TrimPrefix(r.URL.Path, runtimeAPI)
		select {
		case rt.results <- kind + " " + string(body):
		default:
		}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"status":"OK"}`)
	default:
		rt.unhandled.Store(r.Method + " " + r.URL.Path)
		http.NotFound(w, r)
	}
}

// initTime starts bin against a fresh fake Runtime API and returns the time
// from process start to its first /next request. It also checks that the
// function then answers the event with 201 (so the binary really works).
func initTime(bin string, event []byte) (wall, cpu time.Duration, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	rt := &fakeRuntime{event: event, first: make(chan time.Time, 1), results: make(chan string, 4), done: make(chan struct{})}
	srv := &http.Server{Handler: rt, ReadHeaderTimeout: invokeTimeout}
	go srv.Serve(ln)
	defer srv.Close()
	defer close(rt.done)

	var stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = lambdaEnv(ln.Addr().String())
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	rt.pid.Store(int32(cmd.Process.Pid))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	}()

	var first time.Time
	select {
	case first = <-rt.first:
	case err := <-exited:
		return 0, 0, fmt.Errorf("exited before asking for an invocation (%v); stderr:\n%s", err, stderr.String())
	case <-time.After(invokeTimeout):
		return 0, 0, fmt.Errorf("no /next request within %s; stderr:\n%s", invokeTimeout, stderr.String())
	}
	select {
	case res := <-rt.results:
		kind, body, _ := strings.Cut(res, " ")
		if !strings.HasSuffix(kind, "/response") {
			return 0, 0, fmt.Errorf("the function answered %s: %s", kind, body)
		}
		var resp struct{ StatusCode int }
		if err := json.Unmarshal([]byte(body), &resp); err != nil || resp.StatusCode != 201 {
			return 0, 0, fmt.Errorf("the function answered %s (%v), want statusCode 201", body, err)
		}
	case err := <-exited:
		return 0, 0, fmt.Errorf("exited during the invocation (%v); stderr:\n%s", err, stderr.String())
	case <-time.After(invokeTimeout):
		return 0, 0, fmt.Errorf("no answer within %s; stderr:\n%s", invokeTimeout, stderr.String())
	}
	if u, ok := rt.unhandled.Load().(string); ok {
		return 0, 0, fmt.Errorf("unexpected Runtime API request %s", u)
	}
	c := rt.cpu.Load()
	if c <= 0 {
		return 0, 0, errors.New("could not read the function's CPU time from /proc/<pid>/task/*/schedstat")
	}
	return first.Sub(start), time.Duration(c), nil
}

// initLine is one line of GODEBUG=inittrace=1 output.
type initLine struct {
	pkg          string
	clock        float64 // ms
	bytes, count int64
}

// initTrace runs each binary once with GODEBUG=inittrace=1 and prints the
// package inits the guarded binary adds, most expensive first.
func initTrace(w io.Writer, plainBin, guardedBin string) error {
	trace := func(bin string) (map[string]initLine, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		rt := &fakeRuntime{event: []byte(`{}`), first: make(chan time.Time, 1), results: make(chan string, 4), done: make(chan struct{})}
		srv := &http.Server{Handler: rt, ReadHeaderTimeout: invokeTimeout}
		go srv.Serve(ln)
		defer srv.Close()
		defer close(rt.done)
		var stderr bytes.Buffer
		cmd := exec.Command(bin)
		cmd.Env = append(lambdaEnv(ln.Addr().String()), "GODEBUG=inittrace=1")
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		select {
		case <-rt.first: // every init has run once main asks for work
		case <-time.After(invokeTimeout):
		}
		cmd.Process.Kill()
		cmd.Wait()
		return parseInitTrace(stderr.Bytes())
	}
	p, err := trace(plainBin)
	if err != nil {
		return err
	}
	g, err := trace(guardedBin)
	if err != nil {
		return err
	}
	sum := func(m map[string]initLine) (clock float64, bytes int64) {
		for _, l := range m {
			clock, bytes = clock+l.clock, bytes+l.bytes
		}
		return
	}
	var added []initLine
	for k, l := range g {
		if _, ok := p[k]; !ok {
			added = append(added, l)
		}
	}
	slices.SortFunc(added, func(a, b initLine) int {
		switch {
		case a.clock > b.clock:
			return -1
		case a.clock < b.clock:
			return 1
		}
		return strings.Compare(a.pkg, b.pkg)
	})
	pc, pb := sum(p)
	gc, gb := sum(g)
	var ac float64
	var ab int64
	for _, l := range added {
		ac, ab = ac+l.clock, ab+l.bytes
	}
	fmt.Fprintf(w, "\n## Cold start: GODEBUG=inittrace=1 (one run each)\n\n")
	fmt.Fprintf(w, "package inits: plain %d packages %.3f ms %d bytes; guarded %d packages %.3f ms %d bytes; added by fnguard: %d packages %.3f ms %d bytes\n",
		len(p), pc, pb, len(g), gc, gb, len(added), ac, ab)
	fmt.Fprintf(w, "most expensive inits only in the guarded binary:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "package\tclock ms\tbytes\tallocs\t")
	for i, l := range added {
		if i == 12 {
			break
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%d\t%d\t\n", l.pkg, l.clock, l.bytes, l.count)
	}
	tw.Flush()
	return nil
}

// parseInitTrace parses lines like
//
//	init go.uber.org/zap @0.51 ms, 0.012 ms clock, 4096 bytes, 40 allocs
func parseInitTrace(out []byte) (map[string]initLine, error) {
	m := map[string]initLine{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || f[5] != "ms" || f[6] != "clock," || f[8] != "bytes," || f[10] != "allocs" {
			continue
		}
		clock, err1 := strconv.ParseFloat(f[4], 64)
		nb, err2 := strconv.ParseInt(f[7], 10, 64)
		na, err3 := strconv.ParseInt(f[9], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("inittrace line %q: %w", sc.Text(), err)
		}
		m[f[1]] = initLine{pkg: f[1], clock: clock, bytes: nb, count: na}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("no GODEBUG=inittrace=1 lines in the output:\n%s", out)
	}
	return m, nil
}
