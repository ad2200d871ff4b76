package benchmarks

import (
	"errors"
	"fmt"
)

// ErrNoCorpus is returned by FindCorpus when no dev corpus can be located
// (neither FNGUARD_CORPUS nor ../shared/corpus/dev.jsonl above the repo root).
var ErrNoCorpus = errors.New("benchmarks: no dev corpus found")

// ErrUnexpectedAnswer is wrapped by Workload.Verify when a handler did not
// answer as the workload intends (the benchmark would measure the wrong path).
var ErrUnexpectedAnswer = errors.New("benchmarks: unexpected answer")

// CorpusError reports a corpus line that cannot be used.
type CorpusError struct {
	Path string
	Line int // 1-based
	Err  error
}

func (e *CorpusError) Error() string {
	return fmt.Sprintf("benchmarks: corpus %s line %d: %v", e.Path, e.Line, e.Err)
}

func (e *CorpusError) Unwrap() error { return e.Err }
