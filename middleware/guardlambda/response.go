package guardlambda

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// errorResponse encodes the answer to an HTTP event whose handler must not
// run, in the response shape of the event's source:
//
//	{"statusCode":403,"headers":{"Content-Type":"application/json"},
//	 "body":"{\"message\":\"Forbidden\",\"requestId\":\"…\"}","isBase64Encoded":false}
//
// ALB responses also carry "statusDescription" ("403 Forbidden"), and use
// multiValueHeaders when the target group has multi-value headers on (the
// load balancer then ignores "headers").
func errorResponse(k kind, albMulti bool, status int, reqID string) []byte {
	text := statusText(status)
	var inner [192]byte
	body := append(inner[:0], `{"message":`...)
	body = appendJSONString(body, text)
	body = append(body, `,"requestId":`...)
	body = appendJSONString(body, reqID)
	body = append(body, '}')

	out := make([]byte, 0, 128+2*len(body))
	out = append(out, `{"statusCode":`...)
	out = strconv.AppendInt(out, int64(status), 10)
	if k == kindALB {
		out = append(out, `,"statusDescription":"`...)
		out = strconv.AppendInt(out, int64(status), 10)
		out = append(out, ' ')
		out = append(out, text...)
		out = append(out, '"')
	}
	if albMulti {
		out = append(out, `,"multiValueHeaders":{"Content-Type":["application/json"]}`...)
	} else {
		out = append(out, `,"headers":{"Content-Type":"application/json"}`...)
	}
	out = append(out, `,"body":`...)
	out = appendJSONString(out, bytesString(body))
	return append(out, `,"isBase64Encoded":false}`...)
}

// statusText names the statuses fnguard answers with.
func statusText(status int) string {
	switch status {
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 413:
		return "Payload Too Large"
	case 415:
		return "Unsupported Media Type"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	}
	if status >= 500 {
		return "Server Error"
	}
	return "Client Error"
}

// spliceBody replaces the envelope's "body" string with the sanitised body,
// keeping it base64 when the event says isBase64Encoded, and every other byte
// of the payload as it was.
func spliceBody(payload []byte, st *state, body []byte) []byte {
	start := int(st.body.Offset())
	end := start + len(st.body.Raw())
	out := make([]byte, 0, len(payload)+len(body)/3+len(body)+16)
	out = append(out, payload[:start]...)
	if st.bodyB64 {
		out = append(out, '"')
		out = base64.StdEncoding.AppendEncode(out, body)
		out = append(out, '"')
	} else {
		out = appendJSONString(out, bytesString(body))
	}
	return append(out, payload[end:]...)
}

// responseLimits parses the handler's own response: it is trusted output,
// so only the shape matters.
var responseLimits = jsontree.Limits{MaxDepth: -1, AllowDuplicateKeys: true}

// scanResponse runs the guard's response scan (FNGUARD_RESPONSE_SCAN) on the
// body of an HTTP response: the "body" string of a structured response
// (base64-decoded when isBase64Encoded), or the whole response when it has no
// statusCode (API Gateway HTTP APIs and function URLs then send it as the
// body). A blocked response becomes a 500; a scrubbed one is spliced back.
func (w *handler) scanResponse(ctx context.Context, st *state, out []byte) []byte {
	g := w.g
	doc, err := jsontree.Parse(out, responseLimits)
	root := doc.Root()
	if err != nil || root.Kind() != jsontree.Object || !root.Get("statusCode").Exists() {
		scanned, ok := g.ScanResponse(ctx, &st.inv, out)
		if !ok {
			return errorResponse(st.kind, st.albMulti, 500, st.inv.RequestID)
		}
		return scanned
	}
	bv := root.Get("body")
	s, isStr := bv.Str()
	if !isStr || s == "" {
		return out
	}
	raw, b64 := stringBytes(s), false
	if enc, _ := root.Get("isBase64Encoded").Bool(); enc {
		if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
			raw, b64 = dec, true
		}
	}
	scanned, ok := g.ScanResponse(ctx, &st.inv, raw)
	if !ok {
		return errorResponse(st.kind, st.albMulti, 500, st.inv.RequestID)
	}
	if len(scanned) == len(raw) && (len(raw) == 0 || &scanned[0] == &raw[0]) {
		return out // unchanged
	}
	start := int(bv.Offset())
	end := start + len(bv.Raw())
	res := make([]byte, 0, len(out)+len(scanned))
	res = append(res, out[:start]...)
	if b64 {
		res = append(res, '"')
		res = base64.StdEncoding.AppendEncode(res, scanned)
		res = append(res, '"')
	} else {
		res = appendJSONString(res, bytesString(scanned))
	}
	return append(res, out[end:]...)
}
