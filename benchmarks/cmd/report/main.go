// Command report measures fnguard's overhead, cold start and detection score
// and prints the tables of benchmarks/README.md:
//
//	go run ./benchmarks/cmd/report                 # overhead ratios, scaling, guard.New
//	go run ./benchmarks/cmd/report -quick          # one short round (smoke run)
//	go run ./benchmarks/cmd/report -coldstart      # binary sizes and init time
//	go run ./benchmarks/cmd/report -corpus         # detection score on the dev corpus
//	go run ./benchmarks/cmd/report -adversarial    # µs/KB and memory of pathological inputs
//	go run ./benchmarks/cmd/report -sweep          # the worst of ~1,700 token storms at 64 KB
//	go run ./benchmarks/cmd/report -all            # everything
//
// The overhead benchmarks run in-process with testing.Benchmark: each round
// runs every workload bare then wrapped (interleaved, so both sides see the
// same machine load) and the report takes the median of -count rounds.
// Exit status 1 means a target was missed (the table says which); 2 means
// the measurement itself failed.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

type options struct {
	count      int
	benchtime  time.Duration
	quick      bool
	coldstart  bool
	corpus     bool
	adv        bool
	all        bool
	overhead   bool
	coldRuns   int
	corpusPath string
	only       string
	icount     bool
	sweep      bool
	sweepSize  int
	sweepMixes int
	sweepWorst int
}

func main() {
	testing.Init() // registers -test.benchtime, which testing.Benchmark reads
	var o options
	flag.IntVar(&o.count, "count", 5, "rounds per benchmark; the report uses the median")
	flag.DurationVar(&o.benchtime, "benchtime", time.Second, "target time of one benchmark run")
	flag.BoolVar(&o.quick, "quick", false, "one round of 200ms per benchmark, 5 cold starts (a smoke run, noisy numbers)")
	flag.BoolVar(&o.coldstart, "coldstart", false, "build the cold-start mains and measure binary size and init time")
	flag.BoolVar(&o.corpus, "corpus", false, "score detection on the dev corpus through guardlambda")
	flag.BoolVar(&o.adv, "adversarial", false, "engine time and memory per KB of pathological inputs at 16 KB, 1 MB and 6 MB")
	flag.StringVar(&o.only, "only", "", "with -adversarial or -icount: only the inputs or workloads whose name contains this")
	flag.BoolVar(&o.all, "all", false, "overhead, adversarial inputs, cold start and corpus")
	flag.IntVar(&o.coldRuns, "coldstart-runs", 60, "rounds of process starts (one per binary) for -coldstart")
	flag.StringVar(&o.corpusPath, "corpus-path", "", "dev.jsonl to score (default: $FNGUARD_CORPUS, then ../shared/corpus/dev.jsonl above the repo root)")
	flag.BoolVar(&o.icount, "icount", false, "instructions per invocation bare vs wrapped under valgrind's callgrind (repeatable on a loaded machine) and allocations")
	flag.BoolVar(&o.sweep, "sweep", false, "storm sweep: every attack token repeated, and seeded mixes of 2-4 tokens, as a text body and a JSON string; the worst rows and the count over the adversarial targets")
	flag.IntVar(&o.sweepSize, "sweep-size", 64<<10, "with -sweep: size in bytes of each storm body")
	flag.IntVar(&o.sweepMixes, "sweep-mixes", 600, "with -sweep: number of seeded random mixes of 2-4 tokens (besides each token alone)")
	flag.IntVar(&o.sweepWorst, "sweep-worst", 25, "with -sweep: rows printed, worst CPU per KB first (-1: all)")
	child := flag.String("icount-child", "", "internal: NAME:SIDE:N, run by -icount under valgrind")
	flag.Parse()
	if *child != "" {
		if err := icountChild(*child); err != nil {
			fmt.Fprintf(os.Stderr, "report: %v\n", err)
			os.Exit(2)
		}
		return
	}
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "report: unexpected arguments %q (flags only; see -h)\n", flag.Args())
		os.Exit(2)
	}
	if o.count < 1 {
		fmt.Fprintf(os.Stderr, "report: -count must be at least 1, got %d\n", o.count)
		os.Exit(2)
	}
	if o.benchtime <= 0 {
		fmt.Fprintf(os.Stderr, "report: -benchtime must be positive, got %s\n", o.benchtime)
		os.Exit(2)
	}
	if o.coldRuns < 1 {
		fmt.Fprintf(os.Stderr, "report: -coldstart-runs must be at least 1, got %d\n", o.coldRuns)
		os.Exit(2)
	}
	if o.sweepSize < 1024 {
		fmt.Fprintf(os.Stderr, "report: -sweep-size must be at least 1024 bytes, got %d\n", o.sweepSize)
		os.Exit(2)
	}
	if o.sweepMixes < 0 {
		fmt.Fprintf(os.Stderr, "report: -sweep-mixes must not be negative, got %d\n", o.sweepMixes)
		os.Exit(2)
	}
	if o.quick {
		o.count, o.benchtime = 1, 200*time.Millisecond
		if o.coldRuns > 5 {
			o.coldRuns = 5
		}
	}
	o.overhead = o.all || (!o.coldstart && !o.corpus && !o.adv && !o.icount && !o.sweep)
	if o.all {
		o.coldstart, o.corpus, o.adv, o.icount = true, true, true, true
	}
	if err := flag.Set("test.benchtime", o.benchtime.String()); err != nil {
		fmt.Fprintf(os.Stderr, "report: setting the benchmark time: %v\n", err)
		os.Exit(2)
	}
	missed, err := run(os.Stdout, o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
	if missed > 0 {
		fmt.Fprintf(os.Stdout, "\n%d target(s) missed\n", missed)
		os.Exit(1)
	}
}

func run(w io.Writer, o options) (missed int, err error) {
	fmt.Fprintf(w, "machine: %d CPUs (%s), %s %s/%s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "command: go run ./benchmarks/cmd/report %s\n", strings.Join(os.Args[1:], " "))
	if o.overhead {
		n, err := overhead(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	if o.icount {
		n, err := icount(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	if o.adv {
		n, err := adversarial(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	if o.sweep {
		n, err := sweep(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	if o.coldstart {
		n, err := coldstart(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	if o.corpus {
		n, err := corpus(w, o)
		if err != nil {
			return missed, err
		}
		missed += n
	}
	return missed, nil
}

// cpuModel reads the CPU model from /proc/cpuinfo ("unknown" elsewhere).
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}
