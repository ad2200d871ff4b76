package guardlambda

import (
	"errors"
	"strconv"
)

// ErrNilHandler is returned by every invocation of a handler that
// WrapHandler was given a nil lambda.Handler for.
var ErrNilHandler = errors.New("guardlambda: nil lambda.Handler passed to WrapHandler")

// ErrBatchResponse matches every *BatchResponseError.
var ErrBatchResponse = errors.New("guardlambda: cannot report batch item failures")

// BatchResponseError is returned when some records of an SQS, Kinesis,
// DynamoDB Streams or Kinesis Firehose batch were poisoned, the clean ones were handled, but the
// handler's response cannot carry the poisoned records' batch item failures
// (it is not valid JSON, or it repeats a key). Failing the invocation makes
// Lambda retry the whole batch, so no poisoned record is lost; the clean
// records are delivered again.
type BatchResponseError struct {
	Blocked int   // number of poisoned records that could not be reported
	Err     error // why the handler's response could not be extended
}

func (e *BatchResponseError) Error() string {
	return "guardlambda: cannot report " + strconv.Itoa(e.Blocked) + " poisoned records as batch item failures: handler response: " + e.Err.Error()
}

// Is makes errors.Is(err, ErrBatchResponse) true.
func (e *BatchResponseError) Is(target error) bool { return target == ErrBatchResponse }

// Unwrap returns the parse error of the handler's response.
func (e *BatchResponseError) Unwrap() error { return e.Err }

// errFirehoseResponse: a Kinesis Firehose handler's response is not an
// object with a "records" array (events.KinesisFirehoseResponse).
var errFirehoseResponse = errors.New(`not a JSON object with a "records" array`)

// The other errors an invocation can return are the engine's:
//
//   - *guard.BlockedError (errors.Is guard.ErrBlocked, guard.ErrRejected or
//     guard.ErrFailed) when a non-HTTP event must not reach the handler;
//   - guard.ErrNoGuard when the *guard.Guard is nil;
//   - whatever the handler itself returns.

// AppSyncResponseError: the answer of a batched AppSync resolver's handler
// is not a JSON array with one result per call it was given, so the
// results of the poisoned calls cannot be put in their places (see
// BatchResponseError).
type AppSyncResponseError struct {
	Calls int    // calls the handler was given
	Got   string // JSON kind of its answer
	Len   int    // elements of its answer when an array
}

func (e *AppSyncResponseError) Error() string {
	if e.Got != "array" {
		return "an AppSync batch resolver must answer with a JSON array of " + strconv.Itoa(e.Calls) + " results, not " + e.Got
	}
	return "an AppSync batch resolver must answer with " + strconv.Itoa(e.Calls) + " results (one per call it was given), not " + strconv.Itoa(e.Len)
}
