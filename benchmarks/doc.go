// Package benchmarks measures what fnguard costs and what it catches, through
// the real adapters rather than the engine alone.
//
// The package holds the workloads (deterministic events and realistic
// handlers, each run unwrapped and wrapped by guardlambda or guardhttp), the
// detection-score harness over the labelled dev corpus, and the reliability
// and load tests. The numbers in README.md come from
//
//	go run ./benchmarks/cmd/report            # overhead ratios + scaling
//	go run ./benchmarks/cmd/report -coldstart # binary size and init time
//	go run ./benchmarks/cmd/report -corpus    # detection score
//
// and the same workloads run as ordinary Go benchmarks:
//
//	go test -run '^$' -bench . -benchmem ./benchmarks/
//
// Everything here is built for measurement: nothing in this package is meant
// to be imported by a function.
package benchmarks
