package guardlambda

import (
	"sync"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// kind is the shape of an event, which decides both how it is mapped to a
// guard.Invocation and what a blocked invocation answers.
type kind uint8

const (
	kindUnknown     kind = iota
	kindRESTv1           // API Gateway REST API, or HTTP API with payload format 1.0
	kindHTTPv2           // API Gateway HTTP API, payload format 2.0
	kindFunctionURL      // Lambda function URL (payload format 2.0)
	kindALB              // Application Load Balancer target
	kindSQS
	kindSNS
	kindS3
	kindDynamoDB
	kindKinesis
	kindEventBridge
	kindSES        // Records with eventSource aws:ses
	kindCodeCommit // Records with eventSource aws:codecommit
	kindFamily     // another recognised family, mapped by mapFamily (see families.go)
)

func (k kind) isHTTP() bool { return k >= kindRESTv1 && k <= kindALB }

func (k kind) isBatch() bool { return k == kindSQS || k == kindDynamoDB || k == kindKinesis }

func (k kind) source() guard.Source {
	switch k {
	case kindRESTv1:
		return guard.SourceAPIGatewayREST
	case kindHTTPv2:
		return guard.SourceAPIGatewayHTTP
	case kindFunctionURL:
		return guard.SourceFunctionURL
	case kindALB:
		return guard.SourceALB
	case kindSQS:
		return guard.SourceSQS
	case kindSNS:
		return guard.SourceSNS
	case kindS3:
		return guard.SourceS3
	case kindDynamoDB:
		return guard.SourceDynamoDB
	case kindKinesis:
		return guard.SourceKinesis
	case kindEventBridge:
		return guard.SourceEventBridge
	case kindSES:
		return guard.SourceSES
	case kindCodeCommit:
		return guard.SourceCodeCommit
	}
	return guard.SourceLambdaUnknown
}

// envelopeLimits bounds the parse of the raw Lambda payload. Depth is
// limited to encoding/json's own nesting limit (10000): aws-lambda-go could
// not decode a deeper event into any type, and the parser never recurses
// whatever the limit (every client-controlled document inside the envelope
// is walked again by the engine with the policy's own limits). Duplicate
// keys are always refused: the adapter reads the first occurrence while
// aws-lambda-go's encoding/json keeps the last, so a duplicated "body"
// could show fnguard one value and the handler another. AWS never sends
// duplicate keys.
var envelopeLimits = jsontree.Limits{MaxDepth: maxJSONDepth}

// maxJSONDepth is encoding/json's nesting limit (maxNestingDepth).
const maxJSONDepth = 10000

// state is everything one invocation needs besides the payload. It is pooled:
// after warm-up, mapping an event allocates only what jsontree.Parse needs.
type state struct {
	// The invocation: the handler, its payload and the answer (out, err)
	// that Refuse or Deliver gives.
	w       *handler
	payload []byte
	out     []byte
	err     error

	inv  guard.Invocation
	kind kind
	doc  jsontree.Doc // the parsed payload; its memory is reused by the next event
	root jsontree.Value
	env  envelope

	// HTTP sources.
	body     jsontree.Value // the "body" string of the envelope
	bodyB64  bool           // isBase64Encoded
	albMulti bool           // ALB with multi-value headers on: answer with multiValueHeaders

	// Batch sources.
	recArr  jsontree.Value   // the "Records" array
	recVals []jsontree.Value // its elements, index-aligned with inv.Records

	headers, query, cookies, pathParams, attrs []guard.Param
	fields                                     []guard.Field
	records                                    []guard.Record
	sns                                        []guard.SNSMessage
	principal                                  guard.Principal
	claims                                     map[string]string
	mark                                       []byte // DynamoDB binary search stack (see dynamoBinaries)
	attrName, attrLoc                          string // the last SQS message attribute's name and its stringValue location
	a                                          arena
}

var statePool = sync.Pool{New: func() any { return new(state) }}

func getState() *state { return statePool.Get().(*state) }

// maxPooled bounds the slices kept in the pool, so that one huge event does
// not pin its memory forever.
const maxPooled = 1 << 10

// release drops every reference to the event and returns st to the pool.
// keepArena is false when the decision has findings: their excerpts may alias
// derived strings, and the caller may keep the decision (a *BlockedError).
func (st *state) release(keepArena bool) {
	st.w, st.payload, st.out, st.err = nil, nil, nil, nil
	st.inv = guard.Invocation{}
	st.kind = kindUnknown
	st.root, st.body, st.recArr, st.env = jsontree.Value{}, jsontree.Value{}, jsontree.Value{}, envelope{}
	st.bodyB64, st.albMulti = false, false
	st.headers = resetParams(st.headers)
	st.query = resetParams(st.query)
	st.cookies = resetParams(st.cookies)
	st.pathParams = resetParams(st.pathParams)
	st.attrs = resetParams(st.attrs)
	st.fields = resetSlice(st.fields)
	st.records = resetSlice(st.records)
	st.recVals = resetSlice(st.recVals)
	st.sns = resetSlice(st.sns)
	st.principal = guard.Principal{}
	if len(st.claims) > maxPooled {
		st.claims = nil
	} else {
		clear(st.claims)
	}
	st.mark = st.mark[:0]
	st.attrName, st.attrLoc = "", ""
	switch {
	case keepArena && st.doc.Small():
		st.doc.Reset()
	case keepArena:
		st.doc.Release() // a large event's memory, for the next one (jsontree's pool)
	default:
		st.doc = jsontree.Doc{}
	}
	if !keepArena || cap(st.a.buf) > 64<<10 {
		st.a.buf = nil
	} else {
		st.a.buf = st.a.buf[:0]
	}
	statePool.Put(st)
}

func resetParams(ps []guard.Param) []guard.Param { return resetSlice(ps) }

func resetSlice[T any](s []T) []T {
	if cap(s) > maxPooled {
		return nil
	}
	clear(s)
	return s[:0]
}
