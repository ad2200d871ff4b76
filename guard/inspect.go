package guard

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"mime"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/jsontree"
	"github.com/fnguard/fnguard/guard/redact"
	"github.com/fnguard/fnguard/guard/telemetry"
	"github.com/fnguard/fnguard/guard/verify"
)

// scanner carries the state of one Inspect call.
type scanner struct {
	g          *Guard
	inv        *Invocation
	findings   []Finding
	status     int                                              // status of the first rejection
	reason     string                                           // reason of the first rejection
	record     int                                              // current record index, -1 outside records
	walkLoc    string                                           // location of the JSON document being walked
	visit      func(p *jsontree.Path, v string, key bool) error // made once per Inspect: a closure per walk would allocate
	buf        [4]detect.Match
	locBuf     []byte
	body       []byte // sanitised body, when changed
	noSSRF     bool   // the current string carries client addresses, not URLs
	cookieKeys bool   // the current names are not the request's parameters (cookie names, a Referer's query): session.id_param does not apply
	failReason string // reason of the first internal failure (fail closed)
	nest       int    // decodings the current string is inside (JSON in JSON, base64 ...)
	validUTF8  bool   // the next scanString's string is known to be valid UTF-8 (a JSON walk's)
	plain      []byte // the HTTP body with its Content-Encoding undone (aliases inv.Body without one)
	sent       string // the outermost string as sent that the current nested string comes from (excerpt.go)
	zin        []byte // a gzip+base64 field's gzip stream (decodeField; kept with a pooled scanner)
	encLoc     string // the last decoded field's location (encodedLoc)

	strLoc func([]byte) []byte // str's location function, made once (reads strAt)
	strAt  strAt
	memo   [2]strMemo          // the last clean value and key (scanString)
	cold   [2]uint32           // the JSON visitor's memo puts since the memo of the kind last hit (memoCold)
	b64    [maxNest]b64Scratch // base64Text's buffers, by nesting depth (kept with a pooled scanner)

	sentDoc sentDoc // what the excerpts of the findings in s.sent read of it
	exMemo  excerptMemo
	// the matches of the last short string judged (matchMemo)
	matchMemo matchMemo
	val       valueDoc // what the excerpts of the findings in the string scanString judges read of it
	valOn     bool     // val is valid: scanString is recording the findings of one string

	// detector's answer, for len(findings) == detN in record detRec
	det          *detect.Detector
	detN, detRec int

	reports int // calls of finding, policy, internal and rejectAt, kept or not (base64Text's memo)

	// strings in a row that missed the guard's cleanMemos (cleanLookup)
	cleanMiss int
	// the last string judgeString found clean for the guard's cleanMemos
	// (no parent key, outside XML, below maxNest, by g.det); see isClean
	clean string
}

// inValue and inKey are the detector inputs of a plain string value and
// of a name.
var (
	inValue = detect.Input{}
	inKey   = detect.Input{Kind: detect.Key}
)

func (s *scanner) run() {
	g, inv := s.g, s.inv
	s.record = -1
	if int64(len(inv.Body)) > g.maxBody {
		s.reject(413, "validation.body_too_large", "body",
			fmt.Sprintf("body is %d bytes, over the %d-byte limit (FNGUARD_MAX_BODY_BYTES)", len(inv.Body), g.maxBody))
		return
	}
	if n := len(inv.Headers) + len(inv.Query) + len(inv.Cookies) + len(inv.PathParams) + len(inv.Fields) + len(inv.Records); n > g.limits.MaxElements {
		s.reject(413, "validation.too_many_elements", "event",
			fmt.Sprintf("event has %d parameters and records, over the limit of %d (FNGUARD_MAX_ELEMENTS)", n, g.limits.MaxElements))
		return
	}
	if inv.Source.IsHTTP() {
		s.checkHTTP()
		s.checkProtocol()
	}
	if inv.Path != "" {
		s.str(inv.Path, detect.Input{}, "path", "", false)
		s.pathBase64(inv.Path)
		s.pathShellSegment(inv.Path)
	}
	s.params("query", inv.Query, true)
	s.headers()
	s.cookieKeys = true
	s.params("cookies", inv.Cookies, true)
	s.cookieKeys = false
	s.params("pathParameters", inv.PathParams, false)
	s.fields(inv.Fields)
	if len(inv.Body) > 0 {
		s.plain = inv.Body
		encoded := false
		if inv.Source.IsHTTP() {
			if ce := inv.Header("content-encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
				dec, err := contentDecode(ce, inv.Body, g.maxBody)
				if err != nil {
					de := err.(*decodeError)
					s.reject(de.status, de.rule, "body", de.msg)
					s.plain = nil
				} else {
					s.plain, encoded = dec, true
				}
			}
		}
		if len(s.plain) > 0 {
			s.scanBody("body", s.plain, inv.ContentType, inv.Source.IsHTTP())
		}
		if g.sanitize != nil && !encoded && s.worst() <= ActionMonitor {
			s.sanitizeBody()
		}
		if g.schemas != nil && inv.Source.IsHTTP() && s.status == 0 {
			s.validateSchema()
		}
	}
	for i := range inv.Records {
		s.scanRecord(i, &inv.Records[i])
	}
	s.record = -1
}

func (s *scanner) worst() Action {
	w := ActionAllow
	for i := range s.findings {
		w = max(w, s.findings[i].Action)
	}
	return w
}

func (s *scanner) params(prefix string, ps []Param, names bool) {
	cookie := prefix == "cookies"
	for i := 0; i < len(ps); i++ {
		p := &ps[i]
		if names {
			s.str(p.Name, detect.Input{Kind: detect.Key}, prefix, p.Name, true)
			// (a look at the next name before paramRefRun, made for each)
			if end := i + 1; end < len(ps) && (cookie && strings.HasPrefix(ps[end].Name, "&") || !cookie && semiFirst(ps[end].Name)) && paramRefRun(ps, i, cookie) > end {
				end = paramRefRun(ps, i, cookie)
				// a value cut at its character references (charref.go)
				sep := byte('&')
				if cookie {
					sep = ';'
				}
				s.str(joinRefRun(ps, i, end, sep), detect.Input{}, prefix, p.Name, true)
				s.str(p.Value, detect.Input{}, prefix, p.Name, true)
				for j := i + 1; j < end; j++ {
					q := &ps[j]
					if !cookie {
						s.str(pieceName(q.Name), detect.Input{Kind: detect.Key}, prefix, q.Name, true)
					}
					s.str(q.Value, detect.Input{}, prefix, q.Name, true)
				}
				i = end - 1
				continue
			}
		}
		s.str(p.Value, detect.Input{}, prefix, p.Name, true)
		if names && p.Value == "" && p.Name != "" {
			// a part with no '=' ("?https://x/", a cookies entry "x"): what
			// a handler reading the raw query or the cookie gets is this
			// text, a value as much as a name
			s.str(p.Name, detect.Input{}, prefix, p.Name, true)
		}
		if names && p.Value != "" && oddName(p.Name) {
			// "x' OR '1'='1" as a query or cookie pair is split at its
			// first '=': a name no application names a parameter ("x' OR
			// '1'") is judged again joined with its value, the text a
			// handler reading the raw query or header gets
			s.str(p.Name+"="+p.Value, detect.Input{}, prefix, p.Name, true)
		}
	}
}

// oddName reports a parameter or cookie name with a blank, a control
// byte, a quote, a parenthesis or an angle bracket in it: no form field
// or cookie is named so, an attack split at its '=' is.
func oddName(name string) bool {
	for i := 0; i < len(name); i++ {
		if oddNameByte[name[i]] {
			return true
		}
	}
	return false
}

// oddNameByte marks the bytes oddName looks for (one look-up a byte
// instead of eight comparisons; TestOddNameByte).
var oddNameByte = func() (t [256]bool) {
	for c := range t {
		t[c] = c <= ' ' || c == '\'' || c == '"' || c == '(' || c == ')' || c == '<' || c == '>' || c == 0x7f
	}
	return t
}()

// fields inspects envelope fields; their locations are relative to the
// current record, if any.
func (s *scanner) fields(fs []Field) {
	for i := range fs {
		f := &fs[i]
		loc := f.Loc
		val := stringBytes(f.Value)
		if f.Encoding != EncodingNone {
			// (the messages name the field in the record, s.at(loc): made
			// only for one, not for each record of a batch)
			dec, err := s.decodeField(f.Encoding, f.Value, loc)
			if err != nil {
				if de, ok := err.(*decodeError); ok {
					s.reject(de.status, de.rule, loc, s.atMsg(loc, de.msg))
				} else {
					s.reject(400, "validation.invalid_encoding", loc, s.atMsg(loc, err.Error()))
				}
				continue
			}
			loc = s.encodedLoc(loc, f.Encoding)
			val = dec
		}
		kind := f.Kind
		if f.JSON && kind == KindText {
			kind = KindJSON
		}
		switch kind {
		case KindJSON:
			s.walkJSON(loc, val, false)
		case KindBody:
			if !utf8.Valid(val) && !mostlyText(val) && !isGzip(val) && f.ContentType == "" {
				continue // binary (Avro, images, ...): no text to judge
			}
			s.scanBody(loc, val, f.ContentType, false)
		case KindGraphQL:
			if !s.graphql(loc, bytesToString(val), func(dst []byte) []byte { return append(s.appendRecord(dst), loc...) }) {
				s.text(loc, val, inValue)
			}
		case KindProtobuf:
			if err := s.protobuf(loc+"<protobuf>", val, 0); err != nil {
				s.reject(400, "validation.invalid_protobuf", loc, s.at(loc)+": declared a protobuf message but "+err.Error())
			}
		default:
			s.str(bytesToString(val), inValue, loc, "", false)
		}
	}
}

func (s *scanner) scanRecord(i int, r *Record) {
	g := s.g
	s.record = i
	if rej := r.Rejection; rej != nil {
		// Found by the adapter: judged as the engine's own findings in a
		// record are (only this record fails).
		loc := rej.Location
		switch {
		case loc == "": // the record as a whole
			loc = strings.TrimSuffix(string(s.appendRecord(nil)), ".")
		case loc[0] == '[': // a quoted key: records[i]["Key"]
			loc = strings.TrimSuffix(string(s.appendRecord(nil)), ".") + loc
		default:
			loc = s.at(loc)
		}
		s.rejectAt(rej.Status, rej.Rule, loc, rej.Reason)
	}
	if len(g.allowEventSources) > 0 && !matchAnyGlob(g.allowEventSources, r.EventSource) {
		s.policy(Allowlist, "allowlist.event_source", "eventSource", "event source "+r.EventSource+" is not in FNGUARD_ALLOW_EVENT_SOURCES")
	}
	if len(g.allowAccounts) > 0 {
		switch acct := recordAccount(r); {
		case acct == "":
			s.policy(Allowlist, "allowlist.account", "account", "the sending account of source "+r.EventSource+" is unknown, and FNGUARD_ALLOW_EVENT_SOURCES admits only listed accounts")
		case !matchAnyGlob(g.allowAccounts, acct):
			s.policy(Allowlist, "allowlist.account", "account", "account "+acct+" is not in FNGUARD_ALLOW_EVENT_SOURCES")
		}
	}
	if len(g.allowEventTypes) > 0 && !matchAnyGlob(g.allowEventTypes, r.EventType) {
		s.policy(Allowlist, "allowlist.event_type", "eventType", "event type "+r.EventType+" is not in FNGUARD_ALLOW_EVENT_TYPES")
	}
	if g.sns != nil && r.SNS != nil {
		switch err := g.sns.Verify(r.SNS); {
		case err == nil:
		case errors.Is(err, verify.ErrCertFetch):
			// Not the caller's fault: the signing certificate could not be
			// fetched. The fail mode decides (closed: the invocation fails
			// and Lambda retries it; open: logged, and the record runs).
			s.internal("caller.sns_cert_unavailable", "Sns.SigningCertUrl", err)
		default:
			s.policy(Caller, "caller.sns_signature", "Sns.Signature", err.Error())
		}
	}
	s.fields(r.Fields)
	if ct := r.ContentType; ct != "" && !conformsMemo(grammarContentType, ct) && (len(ct) > s.g.limits.MaxStringBytes || !conformsTo(grammarContentType, ct)) {
		// The sender names the media type (a CloudEvent's
		// datacontenttype, a message's content type): a value that is no
		// media type is judged as the string it is.
		s.str(ct, detect.Input{}, "", "contentType", true)
	}
	if len(r.Body) > 0 {
		s.scanBody("body", r.Body, r.ContentType, false)
	}
}

// mediaType returns the lower-case media type without parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/json"
}

func isXMLType(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

func isBinaryType(mt string) bool {
	return mt == "application/octet-stream" || mt == "application/pdf" || mt == "application/zip" || mt == "application/gzip" ||
		strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "audio/") || strings.HasPrefix(mt, "video/") || strings.HasPrefix(mt, "font/")
}

func looksJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// scanBody inspects a body by what it is: what its content type says
// when it parses as that, and otherwise what it parses as (a body labelled
// a form that is JSON is JSON; a "binary" body that is text is text).
// strict bodies (HTTP requests) declared JSON must be JSON.
func (s *scanner) scanBody(loc string, body []byte, ctype string, strict bool) {
	s.scanBodyAs(loc, body, ctype, mediaType(ctype), strict)
}

// scanBodyAs is scanBody for a caller that knows ctype's mediaType, mt
// (a multipart body's parts mostly share one type).
func (s *scanner) scanBodyAs(loc string, body []byte, ctype, mt string, strict bool) {
	if dec, ok := utf16Body(body); ok {
		body = dec // an XML/HTML/text body in UTF-16: inspected as the text it is
	}
	switch {
	case isJSONType(mt):
		s.walkJSON(loc, body, true) // declared JSON must be JSON: a handler would fail on anything else
	case mt == "application/x-www-form-urlencoded":
		if looksJSON(body) && s.walkValidJSON(loc, body) {
			return // a JSON body sent with a form's type: what a lenient handler decodes
		}
		if strict && s.record < 0 && looksForm(body) {
			s.checkProtocolForm(body) // an HTTP request's form as an encoder wrote it
		}
		s.form(loc, body)
	case mt == "multipart/form-data" || mt == "multipart/mixed" || mt == "multipart/related":
		s.multipartBody(loc, body, ctype)
	case isXMLType(mt):
		if !s.xmlBody(loc, body) {
			s.sniffOr(loc, body, detect.Input{XML: true})
		}
	case mt == "application/graphql":
		if !s.graphql(loc, bytesToString(body), func(dst []byte) []byte { return append(s.appendRecord(dst), loc...) }) {
			s.sniff(loc, body)
		}
	case isGRPCType(mt):
		if !s.grpcBody(loc, body, mt) {
			s.sniff(loc, body)
		}
	case isProtobufType(mt):
		if s.nest >= maxNest || s.protobuf(loc+"<protobuf>", body, 0) != nil {
			s.sniff(loc, body)
		}
	case isBinaryType(mt):
		if isGzip(body) {
			s.gzipPayload(loc, body)
			return
		}
		// Declared binary but text (or text with a stray invalid byte,
		// which json.Unmarshal turns into U+FFFD): what a handler that
		// decodes it sees.
		if utf8.Valid(body) || mostlyText(body) {
			s.sniff(loc, body)
		}
	default:
		s.sniff(loc, body)
	}
}

// sniff inspects a body of unknown or textual type by what it parses as:
// JSON, XML, a form, GraphQL, gzip, else text.
func (s *scanner) sniff(loc string, body []byte) {
	s.sniffOr(loc, body, inValue)
}

// sniffOr is sniff with the detector input used for a body that is text.
func (s *scanner) sniffOr(loc string, body []byte, in detect.Input) {
	if looksJSON(body) && s.walkValidJSON(loc, body) {
		return
	}
	if isGzip(body) && s.nest < maxNest {
		s.gzipPayload(loc, body)
		return
	}
	if !in.XML && looksXML(body) && s.xmlBody(loc, body) {
		return
	}
	if b := sniffBoundary(body); b != "" {
		s.multipartBody(loc, body, "multipart/form-data; boundary="+strconv.Quote(b))
		return
	}
	if looksForm(body) {
		s.form(loc, body)
		return
	}
	valid := validUTF8(body)
	if !valid && mostlyText(body) {
		// Text with a stray invalid byte: judge it as a handler that
		// replaces the byte would see it, then refuse the byte.
		fixed := bytes.ToValidUTF8(body, []byte("\uFFFD"))
		if !looksJSON(fixed) || !s.walkValidJSON(loc, fixed) {
			s.text(loc, fixed, in)
		}
		s.reject(400, "validation.invalid_utf8", loc, s.at(loc)+": invalid UTF-8")
		return
	}
	s.validUTF8 = valid   // (checked once: scanString need not again)
	s.text(loc, body, in) // GraphQL and base64 text are recognised by scanString
}

// gzipPayload inspects gzip bytes found in a payload, decompressed.
func (s *scanner) gzipPayload(loc string, body []byte) {
	dec, err := gunzip(body, s.g.maxBody, s.at(loc))
	if err != nil {
		de := err.(*decodeError)
		s.reject(de.status, de.rule, loc, de.msg)
		return
	}
	s.nest++
	s.sniff(loc+"<gzip>", dec)
	s.nest--
}

// looksXML: a body of undeclared type is taken for XML when it says so:
// an XML declaration, or a first element that declares a namespace. An
// HTML fragment ("<b>hi</b>") is text, judged with the HTML rules.
func looksXML(b []byte) bool {
	decl, tag := xmlStart(b)
	return decl || bytes.Contains(tag, []byte("xmlns"))
}

// xmlStart reads how b starts, after blanks: with an XML declaration
// (decl), or with an element whose start tag, up to its '>', is tag (nil
// when b starts with neither).
func xmlStart(b []byte) (decl bool, tag []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	b = b[i:]
	if bytes.HasPrefix(b, []byte("<?xml")) {
		return true, nil
	}
	if len(b) < 2 || b[0] != '<' || !isNameStart(b[1]) {
		return false, nil
	}
	if end := bytes.IndexByte(b, '>'); end > 0 {
		return false, b[:end]
	}
	return false, nil
}

// looksForm: name=value pairs joined by '&', no spaces or line breaks (a
// sentence with an '=' in it is text).
func looksForm(b []byte) bool {
	if len(b) < 3 || bytes.IndexByte(b, '=') <= 0 {
		return false
	}
	if i := bytes.IndexByte(b, '='); i == len(b)-1 || b[i+1] == '=' {
		return false // base64 padding, not a pair
	}
	// (a search for each byte: a few instructions per 16 bytes each,
	// where a loop over the bytes costs several a byte)
	for _, c := range []byte(" \n\r\t<{") {
		if bytes.IndexByte(b, c) >= 0 {
			return false
		}
	}
	return true
}

// text inspects a whole body as one string; invalid UTF-8 that hides no
// attack is rejected by scanString, as for every other string.
func (s *scanner) text(loc string, body []byte, in detect.Input) {
	s.str(bytesToString(body), in, loc, "", false)
}

// walkValidJSON judges body as a JSON document when it is one, in one
// pass: the walk that validates it feeds the detectors, and when it turns
// out not to be JSON (or to exceed a limit) everything the partial walk
// recorded is undone and it reports false, so the caller judges body as
// what it is instead: exactly as validJSON followed by walkJSON, without
// the second pass over the bytes.
func (s *scanner) walkValidJSON(loc string, body []byte) bool {
	nf, status, reason, failReason := len(s.findings), s.status, s.reason, s.failReason
	saved, sent := s.walkLoc, s.enterSent(bytesToString(body))
	s.walkLoc = loc
	err := jsontree.Walk(body, s.g.limits, s.visitor())
	s.walkLoc, s.sent = saved, sent
	if err == nil {
		return true
	}
	clear(s.findings[nf:])
	s.findings = s.findings[:nf]
	s.status, s.reason, s.failReason = status, reason, failReason
	return false
}

// visitor is the scanner's JSON walk callback, made once per pooled scanner.
//
// (Not inlined: the walk closure is compiled once, in a function small
// enough that the calls in it are inlined.)
//
//go:noinline
func (s *scanner) visitor() func(p *jsontree.Path, v string, key bool) error {
	if s.visit == nil {
		s.visit = func(p *jsontree.Path, v string, key bool) error {
			in := detect.Input{}
			if key {
				in.Kind = detect.Key
				if detect.NeedsParentKey(v) {
					in.ParentKey = p.ParentKey()
				}
			}
			m := &s.memo[in.Kind&1]
			if m.hit(v, in, s.nest) && (m.det == s.g.det || s.memoPastBound(m)) {
				// the string judged just before (scanString's memo,
				// checked here to save the call; validUTF8 stays unset)
				s.cold[in.Kind&1] = 0
				return nil
			}
			var cm *cleanMemo
			var h uint64
			if s.cleanMiss < cleanMisses { // (cleanLookup's first test, without its call)
				var hit bool
				if cm, h, hit = s.cleanLookup(v, in); hit {
					return nil // a string this guard found clean before (cleanMemo)
				}
			}
			g := s.g
			if len(v) <= g.limits.MaxStringBytes && (in.Kind == detect.Key || s.nest >= maxNest || len(v) < 2 || !docLead[v[0]] || gqlWordLead(v)) && s.shortPath(v, in) {
				// judgeString's short path written out (a string jsontree
				// found valid UTF-8, within the length limit, no JSON or
				// GraphQL document): no call, and no location closure
				// unless the detector finds something
				det := g.det
				if len(s.findings) >= maxFindings {
					if det = s.detector(); det == nil {
						s.clean = ""
						// past the bound, no finding of a detector's can be kept
						if s.nest < maxNest && len(v) >= minB64 && looksBase64(v) {
							root := s.walkLoc
							s.base64Text(v, func(dst []byte) []byte { return p.AppendTo(s.appendRecord(dst), root) })
							if cm != nil && s.isClean(v) {
								cm.offerHash(v, h)
							}
						}
						return nil
					}
				}
				ms, cls := det.ScanClasses(s.buf[:0], v, in)
				if len(ms) == 0 && (cls.OutsideBase64() || s.shortDone(v)) {
					if c := &s.cold[in.Kind&1]; *c < memoCold || *c%memoCold == 0 {
						m.put(v, in, s.nest, det)
					}
					s.cold[in.Kind&1]++
					if det == g.det && s.nest < maxNest {
						s.clean = v
						if cm != nil {
							cm.offerHash(v, h)
						}
					} else {
						s.clean = ""
					}
					return nil
				}
				if len(ms) > 0 {
					s.matchMemo.put(v, in, det, ms)
				}
				root := s.walkLoc
				s.clean = ""
				s.judged(v, in, func(dst []byte) []byte { return p.AppendTo(s.appendRecord(dst), root) }, true, det, ms, len(ms) == 0, false, cls, true)
				if cm != nil && s.isClean(v) {
					cm.offerHash(v, h)
				}
				return nil
			}
			root := s.walkLoc
			s.validUTF8 = true // jsontree refuses invalid UTF-8 in keys and strings
			s.clean = ""
			s.judgeString(v, in, func(dst []byte) []byte { return p.AppendTo(s.appendRecord(dst), root) })
			if cm != nil && s.isClean(v) {
				cm.offerHash(v, h)
			}
			return nil
		}
	}
	return s.visit
}

func (s *scanner) walkJSON(loc string, body []byte, strict bool) {
	s.visitor()
	saved, sent := s.walkLoc, s.enterSent(bytesToString(body)) // a multipart part's JSON may be walked inside a walk's caller
	s.walkLoc = loc
	err := jsontree.Walk(body, s.g.limits, s.visit)
	s.walkLoc, s.sent = saved, sent
	if err == nil {
		return
	}
	var le *jsontree.LimitError
	switch {
	case errors.As(err, &le):
		status := 400
		if le.Limit == jsontree.LimitStringBytes || le.Limit == jsontree.LimitElements || le.Limit == jsontree.LimitSize {
			status = 413
		}
		s.reject(status, "validation.json_"+strings.ReplaceAll(le.Limit, " ", "_"), loc, s.at(loc)+": "+err.Error())
	case strict:
		// Refused as malformed (400), and judged as text too: an attack
		// sent with a JSON content type but not as JSON ("1' OR '1'='1" as
		// the whole body) is an attack, and a block (403) outranks the 400.
		s.str(bytesToString(body), detect.Input{}, loc, "", false)
		s.reject(400, "validation.invalid_json", loc, s.at(loc)+": content type says JSON but "+err.Error())
	default:
		// Not JSON after all (a record body that merely starts with '{'): text.
		s.str(bytesToString(body), detect.Input{}, loc, "", false)
	}
}

// form inspects a URL-encoded form: each field's name (a key) and value,
// split in place and unescaped only when they hold a '%' or a '+'.
func (s *scanner) form(loc string, body []byte) {
	it := formIter{rest: bytesToString(body)}
	pieces := 0 // offset in body up to which fields are pieces of a value judged joined
	semi := semiScan{left: math.MaxInt}
	maxElems := s.g.limits.MaxElements
	for n := 1; ; n++ {
		at := len(body) - len(it.rest)
		k, v, ok := it.next()
		if !ok {
			return
		}
		if at < pieces {
			// a piece (charref.go): its name after the reference
			k = pieceName(k)
		} else if semi.near(it.rest) && semiFirst(it.rest) {
			if joined, end, ok := formRefJoin(bytesToString(body), it.rest); ok {
				// a value cut at its character references (charref.go)
				pieces = end
				s.str(joined, inValue, loc, k, true)
			}
		}
		if n > maxElems {
			s.reject(413, "validation.too_many_elements", loc, fmt.Sprintf("%s: more than %d form fields (FNGUARD_MAX_ELEMENTS)", s.at(loc), s.g.limits.MaxElements))
			return
		}
		// A field like the one before costs two comparisons (str's
		// memo, checked here to save the calls; the inputs written as
		// literals, so that their parent key and XML tests fold away).
		m := &s.memo[detect.Key]
		same := m.hit(k, detect.Input{Kind: detect.Key}, s.nest) && (m.det == s.g.det || s.memoPastBound(m))
		if !same {
			s.str(k, inKey, loc, k, true)
		}
		if m := &s.memo[detect.Value]; !(m.hit(v, detect.Input{}, s.nest) && (m.det == s.g.det || s.memoPastBound(m))) {
			s.str(v, inValue, loc, k, true)
			same = false
		}
		if v != "" && oddName(k) {
			// an attack split at its first '=' (see params)
			s.str(k+"="+v, inValue, loc, k, true)
			same = false
		}
		if same && at >= pieces && semi.left == 0 {
			// This field changed nothing: its name and value hit the
			// memos, no join was asked (no ';' left in the body) and it
			// is no piece. The fields that follow with the same bytes
			// (what it.next read for this one: blank fields before it,
			// the field, its '&') are the same name and value, read
			// with the same scanner state: each would change nothing
			// either, and is counted only (FuzzFormRepeat compares with
			// judging each).
			if end := len(body) - len(it.rest); !noFormRepeat && n < maxElems {
				r := repeatsAfter(bytesToString(body), at, end, maxElems-n)
				it.rest = it.rest[r*(end-at):]
				n += r
			}
		}
	}
}

// repeatsAfter counts the copies of b[at:end] that follow it in b, at most
// max: the bytes from end that repeat the ones end-at before them, in
// whole units, compared a block at a time (blocks doubling from one unit
// while they match, halved when one does not: a run of a thousand fields
// costs a few dozen comparisons, not a thousand).
func repeatsAfter(b string, at, end, max int) int {
	p := end - at
	if p <= 0 {
		return 0
	}
	n, k := 0, 1 // copies found; units in the next block
	for n < max && end+p <= len(b) {
		k = min(k, max-n, (len(b)-end)/p)
		if blk := k * p; b[end:end+blk] == b[end-p:end-p+blk] {
			// (b[x] == b[x-p] over the block: each unit in it is the one before)
			n += k
			end += blk
			k *= 2
			continue
		}
		if k == 1 {
			break
		}
		k /= 2
	}
	return n
}

// noFormRepeat makes form judge every field of a run of identical ones
// (a test hook: FuzzFormRepeat compares the results).
var noFormRepeat = false

// semiScan tells, for the successive rests of one text (each a suffix of
// the one before), whether a ';' is within a rest's first 40 bytes:
// semiFirst cannot hold otherwise, and a form without a ';' costs one
// search for it, not semiFirst's look at each field's next one. left is
// the length of the suffix that starts at the first ';' found (0: none
// left), more than any rest's before the first search. FuzzSemiScan
// compares near && semiFirst with semiFirst.
type semiScan struct{ left int }

func (q *semiScan) near(rest string) bool {
	if q.left > len(rest) {
		q.find(rest) // passed: the next one
	}
	return q.left > 0 && len(rest)-q.left < 40
}

//go:noinline
func (q *semiScan) find(rest string) {
	q.left = 0
	if i := strings.IndexByte(rest, ';'); i >= 0 {
		q.left = len(rest) - i
	}
}

// formIter splits a URL-encoded form in place: fields separated by '&'
// (empty ones skipped), a name and a value separated by the first '='.
// A name or value is unescaped (url.QueryUnescape) only when it holds a
// '%' or a '+'; one whose escapes are malformed is kept as sent, for the
// detectors to see. On a valid form it gives what url.ParseQuery does
// (FuzzFormIter compares them).
type formIter struct{ rest string }

func (it *formIter) next() (k, v string, ok bool) {
	rest := it.rest
	for rest != "" {
		// One pass finds the field's end, its first '=' and whether its
		// name or value is escaped.
		j, eq, kEsc, vEsc := 0, -1, false, false
	field:
		for ; j < len(rest); j++ {
			switch formByte[rest[j]] {
			case 0:
			case '&':
				break field
			case '=':
				if eq < 0 {
					eq = j
				}
			default: // '%', '+'
				if eq < 0 {
					kEsc = true
				} else {
					vEsc = true
				}
			}
		}
		field := rest[:j]
		if j < len(rest) {
			rest = rest[j+1:]
		} else {
			rest = ""
		}
		if j == 0 {
			continue
		}
		it.rest = rest
		k, v = field, ""
		if eq >= 0 {
			k, v = field[:eq], field[eq+1:]
		}
		if kEsc {
			k = formUnescape(k)
		}
		if vEsc {
			v = formUnescape(v)
		}
		return k, v, true
	}
	it.rest = ""
	return "", "", false
}

// formByte marks the bytes formIter.next stops at.
var formByte = [256]byte{'&': '&', '=': '=', '%': '%', '+': '+'}

// formUnescape is url.QueryUnescape ('+' is a space, %XX a byte) in one
// allocation, or s itself when it has nothing to unescape or a malformed
// escape (the detectors then see the raw text). FuzzFormUnescape compares
// it with url.QueryUnescape.
func formUnescape(s string) string {
	n, plus := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || hexVal[s[i+1]] > 15 || hexVal[s[i+2]] > 15 {
				return s
			}
			n++
			i += 2
		case '+':
			plus = true
		}
	}
	if n == 0 && !plus {
		return s
	}
	b := make([]byte, len(s)-2*n)
	j := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b[j] = hexVal[s[i+1]]<<4 | hexVal[s[i+2]]
			i += 2
		case '+':
			b[j] = ' '
		default:
			b[j] = c
		}
		j++
	}
	return bytesToString(b) // b is never written again
}

// hexVal is the value of a hex digit, 255 for any other byte.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = 255
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c], t[c-'a'+'A'] = byte(c-'a'+10), byte(c-'a'+10)
	}
	return t
}()

// sniffBoundary returns the boundary of a body that is multipart: it
// opens with "--boundary" on its own line (RFC 2046 bchars, 1 to 70) and
// closes with "--boundary--". It returns "" otherwise.
func sniffBoundary(body []byte) string {
	if len(body) < 8 || body[0] != '-' || body[1] != '-' {
		return ""
	}
	end := bytes.IndexByte(body, '\n')
	if end < 3 {
		return ""
	}
	b := bytes.TrimRight(body[2:end], "\r")
	if len(b) == 0 || len(b) > 70 {
		return ""
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("'()+_,-./:=?", c) >= 0) {
			return ""
		}
	}
	if !bytes.Contains(body, append(append([]byte("\n--"), b...), '-', '-')) {
		return ""
	}
	return string(b)
}

func (s *scanner) multipartBody(loc string, body []byte, ctype string) {
	_, params, err := mime.ParseMediaType(ctype)
	if (err != nil || params["boundary"] == "") && sniffBoundary(body) != "" {
		// Declared multipart without a usable boundary: the body's own
		// delimiter is what a lenient parser uses.
		params, err = map[string]string{"boundary": sniffBoundary(body)}, nil
	}
	if err != nil || params["boundary"] == "" {
		s.reject(400, "validation.invalid_multipart", loc, s.at(loc)+": multipart body without a valid boundary")
		return
	}
	mr := newMPReader(body, params["boundary"])
	var part mpPart
	var lastName, lastLoc string // the last part's location: parts named alike share one string
	var lastDisp, dtype, dname, dfn string
	var lastPT, lastMT string // the last part's type and its mediaType
	var dok bool
	for n := 0; ; n++ {
		if n >= s.g.limits.MaxElements {
			s.reject(413, "validation.too_many_elements", loc, s.at(loc)+": too many multipart parts (FNGUARD_MAX_ELEMENTS)")
			return
		}
		ok, err := mr.next(&part)
		if !ok {
			if err != nil {
				s.reject(400, "validation.invalid_multipart", loc, s.at(loc)+": malformed multipart body: "+err.Error())
			}
			return
		}
		// The disposition parsed once (Part.FormName parses it again):
		// the name is a form-data disposition's name parameter.
		disp := part.disposition
		if disp != lastDisp || n == 0 {
			// Parts sent alike share their disposition: parsed once.
			lastDisp = disp
			dtype, dname, dfn, dok = disposition(disp)
			if s.record < 0 && s.inv.Source.IsHTTP() && loc == "body" {
				s.checkDisposition(disp)
			}
		}
		name, fn := dname, dfn
		if dtype != "form-data" {
			name = ""
		}
		switch {
		case !dok && disp != "":
			// A disposition Go cannot parse: its raw text is what a more
			// lenient parser would take the name and file name from.
			s.str(disp, inValue, loc, "content-disposition", true)
		default:
			s.str(name, detect.Input{Kind: detect.Key}, loc, name, true)
			// The whole file name as sent: Part.FileName keeps only what
			// follows the last '/', but handlers read the header too.
			if fn != "" {
				s.str(fn, inValue, loc, name+".filename", true)
			}
		}
		if err != nil {
			s.reject(400, "validation.invalid_multipart", loc, s.at(loc)+": malformed multipart part "+strconv.Quote(name)+": "+err.Error())
			return
		}
		data := part.data
		if len(data) > 0 && int64(len(data)) > s.g.maxBody {
			data = data[:s.g.maxBody+1] // what reading the part at most the body limit gave
		}
		if name != lastName || lastLoc == "" {
			lastName, lastLoc = name, string(appendParamKey([]byte(loc), name))
		}
		ploc := lastLoc
		switch strings.ToLower(strings.TrimSpace(part.cte)) {
		case "quoted-printable":
			// What r.FormValue and Part readers hand the handler.
			dec, err := readAllLimited(quotedprintable.NewReader(bytes.NewReader(data)), s.g.maxBody)
			if err != nil {
				s.reject(400, "validation.invalid_multipart", loc, s.at(ploc)+": malformed quoted-printable part")
				return
			}
			data = dec
		case "base64":
			dec, ok := decodeBase64(bytesToString(data))
			if !ok {
				s.reject(400, "validation.invalid_multipart", loc, s.at(ploc)+": malformed base64 part")
				return
			}
			data = dec
		}
		pt := part.ctype
		if pt == "" {
			pt = "text/plain"
		}
		if pt != lastPT || lastMT == "" {
			lastPT, lastMT = pt, mediaType(pt)
		}
		s.scanBodyAs(ploc, data, pt, lastMT, false)
	}
}

// str inspects one string found at prefix[.name].
func (s *scanner) str(v string, in detect.Input, prefix, name string, hasName bool) {
	// The location function is made once per pooled scanner and reads
	// the location from s.strAt, saved and restored around the call (str
	// nests: a GraphQL document in a query parameter), instead of a
	// closure per string that would allocate.
	if s.strLoc == nil {
		s.strLoc = func(dst []byte) []byte { return s.appendLoc(dst, s.strAt.prefix, s.strAt.name, s.strAt.hasName) }
	}
	saved := s.strAt
	s.strAt = strAt{prefix, name, hasName}
	s.scanString(v, in, s.strLoc)
	s.strAt = saved
}

// strAt is the location of the string str is inspecting.
type strAt struct {
	prefix, name string
	hasName      bool
}

func (s *scanner) appendLoc(dst []byte, prefix, name string, hasName bool) []byte {
	dst = s.appendRecord(dst)
	dst = append(dst, prefix...)
	if hasName {
		dst = appendParamKey(dst, name)
	}
	return dst
}

// appendRecord appends "records[i]." inside a record: locations passed
// around while scanning a record are relative to it, and made absolute only
// when a finding is written, so that scanning a clean record allocates
// nothing.
func (s *scanner) appendRecord(dst []byte) []byte {
	if s.record < 0 {
		return dst
	}
	dst = append(dst, "records["...)
	dst = strconv.AppendInt(dst, int64(s.record), 10)
	return append(dst, "]."...)
}

// at makes a location relative to the current record absolute.
// atMsg is msg, a message about the field at loc that starts with loc,
// naming it in the current record (s.at(loc)) instead.
func (s *scanner) atMsg(loc, msg string) string {
	if rest, ok := strings.CutPrefix(msg, loc); ok && s.record >= 0 {
		return s.at(loc) + rest
	}
	return msg
}

// encodedLoc is loc<enc>, the location of a decoded field's contents: the
// one made last is kept, so that a batch of records with the same encoded
// field (Kinesis records' gzip data) makes it once.
func (s *scanner) encodedLoc(loc string, enc Encoding) string {
	if l := s.encLoc; len(l) == len(loc)+len(enc)+2 && l[len(loc)] == '<' && l[:len(loc)] == loc && l[len(loc)+1:len(l)-1] == string(enc) {
		return l
	}
	s.encLoc = loc + "<" + string(enc) + ">"
	return s.encLoc
}

func (s *scanner) at(loc string) string {
	if s.record < 0 {
		return loc
	}
	return string(append(s.appendRecord(make([]byte, 0, 16+len(loc))), loc...))
}

// appendParamKey appends ".name" for parameter and header names made of
// letters, digits, '_', '-' and '$', and the JSON-style ["name"] otherwise.
func appendParamKey(dst []byte, name string) []byte {
	plain := name != ""
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = c == '_' || c == '-' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if !plain {
		return jsontree.AppendKey(dst, name)
	}
	dst = append(dst, '.')
	return append(dst, name...)
}

// scanString is the per-string hot path: it must not allocate for a clean string.
func (s *scanner) scanString(v string, in detect.Input, loc func([]byte) []byte) {
	if s.memoHit(&s.memo[in.Kind&1], v, in) {
		s.validUTF8 = false
		return // the same string judged just before, and nothing found
	}
	cm, h, hit := s.cleanLookup(v, in)
	if hit {
		s.validUTF8 = false
		return // a string this guard found clean before (cleanMemo)
	}
	s.clean = ""
	s.judgeString(v, in, loc)
	if cm != nil && s.isClean(v) {
		cm.offerHash(v, h)
	}
}

// judgeString is scanString for a string its caller found is not the
// memo's (memoHit).
func (s *scanner) judgeString(v string, in detect.Input, loc func([]byte) []byte) {
	// validUTF8 holds for this string only, not for what is decoded from it.
	known := s.validUTF8
	s.validUTF8 = false
	g := s.g
	memo := &s.memo[in.Kind&1]
	if len(v) > g.limits.MaxStringBytes {
		l := string(loc(nil))
		s.rejectAt(413, "validation.string_too_long", l, fmt.Sprintf("%s: string of %d bytes, over the limit of %d (FNGUARD_MAX_STRING_BYTES)", l, len(v), g.limits.MaxStringBytes))
		return
	}
	if in.Kind == detect.Value && !in.XML && s.nest < maxNest && len(v) >= 2 && docLead[v[0]] && s.nested(v, loc) {
		return // a JSON or GraphQL document, judged by its parts
	}
	if s.shortPath(v, in) && (known || len(s.findings) < maxFindings) {
		// The common case written out, with as few calls as it takes: a
		// short string (not the last one matchMemo holds: a string of
		// its length is compared, as the ids of a list are) judged
		// by the detector whose findings can be kept, found clean, valid
		// UTF-8 and nothing of base64 to judge (b64Idle), is remembered
		// and done.
		// Anything else goes on with the detector's answer (judged).
		det := g.det
		if len(s.findings) >= maxFindings {
			if det = s.detector(); det == nil {
				// past the bound, no finding of a detector's can be kept
				if s.nest < maxNest && len(v) >= minB64 && looksBase64(v) {
					s.base64Text(v, loc)
				}
				return
			}
		}
		ms, cls := det.ScanClasses(s.buf[:0], v, in)
		if len(ms) == 0 && (known || utf8.ValidString(v)) && (cls.OutsideBase64() || s.shortDone(v)) &&
			!(credLead(v) && credMaybe(v)) {
			memo.put(v, in, s.nest, det)
			if det == g.det && s.nest < maxNest {
				s.clean = v
			}
			return
		}
		if len(ms) > 0 {
			s.matchMemo.put(v, in, det, ms)
		}
		s.judged(v, in, loc, known, det, ms, len(ms) == 0, false, cls, true)
		return
	}
	det, skip := g.det, false
	if len(s.findings) >= maxFindings && (known || utf8.ValidString(v)) {
		// Past the bound, a detector's finding may no longer be kept
		// (the string's UTF-8 check below depends on its matches: an
		// invalid string is judged in full).
		if det = s.detector(); det == nil {
			if len(g.custom) == 0 {
				if s.nest < maxNest && looksBase64(v) {
					s.base64Text(v, loc)
				}
				return
			}
			skip = true
		}
	}
	var ms []detect.Match
	var cls detect.Classes
	haveCls := false
	clean := false // det.Scan found nothing, not yet remembered (below)
	if !skip {
		if mm := &s.matchMemo; mm.hit(v, in, det) {
			ms = append(s.buf[:0], mm.ms[:mm.n]...)
		} else {
			ms, cls = det.ScanClasses(s.buf[:0], v, in)
			haveCls = true
			if clean = len(ms) == 0; !clean {
				mm.put(v, in, det, ms)
			}
		}
	}
	s.judged(v, in, loc, known, det, ms, clean, skip, cls, haveCls)
}

// shortPath reports whether judgeString takes its short path for v (a
// string within the length limit, and no JSON or GraphQL document): one
// short enough to be remembered, judged without deny patterns, parent key
// or XML, and not the last string matchMemo holds (a string of its length
// is compared, as the ids of a list are). The JSON visitor, which writes
// the short path out, asks it too.
func (s *scanner) shortPath(v string, in detect.Input) bool {
	return len(v) <= memoBytes && len(s.g.custom) == 0 && in.ParentKey == "" && !in.XML &&
		(s.matchMemo.nv != len(v) || string(s.matchMemo.v[:len(v)]) != v)
}

// shortDone reports, for a string of the short path that the detector
// found clean and that is valid UTF-8, that nothing of base64 is left to
// judge (b64Idle): it is remembered and done. Its callers ask the
// detector's classes first: a string with a byte outside the base64
// alphabets, '=', ' ' and '%' is one b64Screen answers b64None for, which
// b64Idle finds idle (TestClassesOutsideBase64).
func (s *scanner) shortDone(v string) bool {
	return len(v) < minB64 || s.nest >= maxNest || b64Idle(v)
}

// judged is judgeString once the detector has answered: ms are det's
// matches (none when skip: past the findings bound, no detector's finding
// could be kept), clean that det found nothing and matchMemo does not
// hold it yet.
//
// cls are the classes of v when haveCls (ScanClasses told them).
func (s *scanner) judged(v string, in detect.Input, loc func([]byte) []byte, known bool, det *detect.Detector, ms []detect.Match, clean, skip bool, cls detect.Classes, haveCls bool) {
	g := s.g
	memo := &s.memo[in.Kind&1]
	if len(ms) > 1 {
		sortMatches(ms)
	}
	s.valOn = true // (s.val is reset: see below)
	for i := range ms {
		if (in.Kind == detect.Key || s.noSSRF) && ms[i].Category == SSRF {
			continue // a key is a name, never a URL the function will fetch
		}
		if in.Kind == detect.Key && s.cookieKeys && ms[i].Category == SessionFixation {
			continue // JSESSIONID is a cookie's own name; only as a parameter is it forced
		}
		s.finding(ms[i].Rule, ms[i].Category, loc, v, ms[i].Fragment)
	}
	custom := false
	if len(g.custom) > 0 {
		dec := detect.Decode(v)
		for _, r := range g.custom {
			if m := r.find(v); m != "" {
				s.finding(r.id, Custom, loc, v, m)
				custom = true
			} else if m := r.find(dec); m != "" {
				s.finding(r.id, Custom, loc, v, m)
				custom = true
			}
		}
	}
	s.valOn = false
	if s.val.v != "" {
		s.val.reset()
	}
	invalid := len(ms) == 0 && !known && !utf8.ValidString(v)
	if invalid {
		l := string(loc(nil))
		s.rejectAt(400, "validation.invalid_utf8", l, l+": invalid UTF-8")
	}
	// Names too: a query parameter, form field or cookie may be named
	// by base64 text (what decodes it reads its names).
	reports := s.reports
	b64 := false
	if s.nest >= maxNest || len(v) < minB64 {
	} else if len(v) > memoBytes {
		// (a long string: looksBase64 refuses prose at its first 16
		// bytes, and the blank and '%' are searched for vectorised)
		if haveCls {
			b64 = looksBase64Cls(v, cls)
		} else {
			b64 = looksBase64(v)
		}
		if b64 {
			s.base64Text(v, loc)
		} else if strings.IndexByte(v, ' ') > 0 || strings.IndexByte(v, '%') > 0 {
			b64 = s.escapedBase64(v, loc)
		}
	} else {
		switch sc := b64Screen(v); {
		case sc == b64None:
		case b64Plain(sc) && b64Looks(sc, v):
			b64 = true
			s.base64Text(v, loc)
		case strings.IndexByte(v, ' ') > 0 || strings.IndexByte(v, '%') > 0:
			b64 = s.escapedBase64(v, loc)
		}
	}
	if credLead(v) && s.nest < maxNest {
		// a JSON Web Token: its header and claims; a Basic credential:
		// its user-id (jwt.go). (escapedBase64 may have read "Basic
		// dXNlcjpw" as base64 with a '+' for its blank.)
		if jwtMaybe(v) {
			b64 = s.jwtText(v, loc) || b64
		} else if basicMaybe(v) {
			b64 = s.basicUser(v, loc) || b64
		}
	}
	if len(ms) == 0 && !custom && len(g.custom) == 0 && !invalid && !b64 && !skip {
		// (with the detector that judged it: past the findings bound a
		// narrower one may have, for this record only; deny patterns are
		// the caller's functions, judged every time)
		memo.put(v, in, s.nest, det)
		if det == g.det && s.nest < maxNest && in.ParentKey == "" && !in.XML {
			s.clean = v
		}
	} else if clean {
		// a clean string strMemo does not keep (decoded, invalid,
		// judged by deny patterns): matchMemo keeps det's answer (a
		// string strMemo keeps is found there first)
		s.matchMemo.put(v, in, det, nil)
		if b64 && s.reports == reports && !custom && len(g.custom) == 0 && !invalid && !skip && det == g.det &&
			len(s.findings) < maxFindings && !s.noSSRF && !s.cookieKeys && s.nest < maxNest && in.ParentKey == "" && !in.XML {
			// what it decodes to judged too (by the whole detector, no
			// filter of the scanner's hiding a match) and nothing
			// reported at all: clean for the guard's cleanMemo
			s.clean = v
		}
	}
}

// b64Screen tells in one pass over v which base64 paths judgeString may
// take: b64None when neither looksBase64 nor escapedB64Maybe can hold (a
// byte outside the base64 alphabets, '=', blanks and '%', or only
// lower-case letters and blanks with a blank among them); otherwise the
// classes seen, b64Blank set when v holds a blank or a '%' (so
// looksBase64 cannot hold), and in the high byte looksBase64's classes
// (b64Class) of v's bytes, which b64Looks reads instead of a second pass.
// TestB64Screen checks it against both.
func b64Screen(v string) uint16 {
	var m uint16
	i := 0
	// four bytes a round: most strings are either all in the alphabets
	// or have a byte outside them early
	for ; i+4 <= len(v); i += 4 {
		w := v[i : i+4]
		if m |= b64Screens[w[0]] | b64Screens[w[1]] | b64Screens[w[2]] | b64Screens[w[3]]; m&b64Out != 0 {
			return b64None
		}
	}
	for ; i < len(v); i++ {
		m |= b64Screens[v[i]]
	}
	if m&b64Out != 0 || m&b64Blank != 0 && m&b64NotLB == 0 {
		return b64None // (lowerBlank: escapedB64Maybe refuses it)
	}
	return m
}

// b64Idle reports, for a short string (at most memoBytes, at least
// minB64 bytes) the detector found clean, that judged has nothing of
// base64 to do with it: its switch on b64Screen (the same cases in the
// same order) takes no base64 path, or one that returns at its first
// test: base64Text when b64MayBeText refuses the string (most ids, tokens
// and random names decode to binary at their first bytes), escapedBase64
// when escapedB64Maybe does (most short text with a blank: "red shoes
// 12"). Such a string is judged as one b64Screen answered b64None for:
// judged would find it as clean with nothing of base64 reported, after a
// second b64Screen.
//
// Its first test (b64IdleLead) answers most ids, random names and words
// before that switch: when v's first quantum refuses text, or its first
// eight characters do, each of the switch's cases returns true:
// base64Text's b64MayBeText refuses v, and escapedBase64's escB64Lead
// reads the same characters and refuses them with it. TestB64IdleLead
// compares it with the switch alone.
func b64Idle(v string) bool {
	if len(v) >= 8 && !noB64Idle && b64IdleLead(v) {
		return true
	}
	switch sc := b64Screen(v); {
	case sc == b64None:
		return true
	case noB64Idle:
		return false
	case b64Plain(sc) && b64Looks(sc, v):
		return !b64MayBeText(v)
	case strings.IndexByte(v, ' ') > 0 || strings.IndexByte(v, '%') > 0:
		return !escapedB64Maybe(v)
	}
	return true
}

// noB64Idle makes b64Idle answer b64Screen's none only (a test hook:
// TestB64Idle compares decisions with and without the rest).
var noB64Idle = false

// b64Plain reports whether looksBase64 may hold for a string b64Screen
// answered sc for.
func b64Plain(sc uint16) bool { return sc != b64None && sc&b64Blank == 0 }

// b64Looks is looksBase64(v) for a string b64Screen answered sc for,
// with b64Plain(sc): without a '=' (the only byte of class b64Other
// b64Plain lets through), v is all of one length and of the alphabets,
// and what is left to tell is its length and its classes.
func b64Looks(sc uint16, v string) bool {
	c := uint8(sc >> 8)
	if c&b64Other != 0 {
		return looksBase64(v) // padding, or a '=' elsewhere
	}
	return len(v) >= minB64 && len(v)&3 != 1 && (c&b64Std == 0 || c&b64URL == 0) && 0b11101000>>(c&7)&1 != 0
}

// b64Screen's classes (the low byte; b64Class's are the high byte).
const (
	b64None  = 0
	b64Blank = 1 << iota // ' ' or '%'
	b64NotLB             // not a lower-case letter or ' '
	b64Out               // not in a base64 alphabet, not '=', ' ' or '%'
)

var b64Screens = func() (t [256]uint16) {
	for c := range t {
		k := b64Class[c]
		switch {
		case c == ' ':
			t[c] = b64Blank
		case c == '%':
			t[c] = b64Blank | b64NotLB
		case c == '=' || k&b64Other == 0 && k != b64Lower:
			t[c] = b64NotLB
		case k == b64Lower:
		default:
			t[c] = b64Out | b64NotLB
		}
		t[c] |= uint16(k) << 8
	}
	return t
}()

// memoHit reports whether v, judged as in, is the string memo remembers,
// found clean by the whole detector (so by any narrower one), or past the
// findings bound by the one scanner.detector answers now: a body of a
// hundred thousand copies of one attack string is judged by its first
// ones, and the rest cost a comparison each. (A remembered string is
// valid UTF-8: past the bound scanString would ask scanner.detector too.)
//
// It is written out (memo.hit && (memo.det == s.g.det ||
// s.memoPastBound(memo))) where it is asked for every string, JSON's and
// a form's: as a call it costs about as much as the comparison.
func (s *scanner) memoHit(memo *strMemo, v string, in detect.Input) bool {
	return memo.hit(v, in, s.nest) && (memo.det == s.g.det || s.memoPastBound(memo))
}

// memoPastBound reports whether memo's string, past the findings bound,
// was judged by the detector scanner.detector answers now.
func (s *scanner) memoPastBound(memo *strMemo) bool {
	return len(s.findings) >= maxFindings && memo.det == s.detector()
}

// strMemo remembers the last string of a kind that scanString judged
// and in which it found nothing at all: no detector match, no custom
// rule match, no nested document, valid UTF-8, nothing decoded. Judging
// that string again with the same input and nesting depth finds nothing
// again wherever it is (what depends on the location, exclusions, only
// filters matches): a form or multipart body of many fields named alike,
// or a JSON array of one repeated value, then costs a comparison per
// string instead of a detector pass. The string is copied (it may alias
// a buffer reused for the next one), so only short strings are kept.
type strMemo struct {
	n    int // length of the remembered string; 0: none
	kind detect.Kind
	nest int
	det  *detect.Detector // the detector that judged it
	buf  [memoBytes]byte
}

const memoBytes = 48

// memoCold is how many strings of a kind in a row the JSON visitor puts
// in its strMemo without a hit before it puts only one in memoCold: the
// keys of one object all differ, as do the values of many documents, and
// a copy each is a fifth of judging a short clean one; a hit puts them
// back in step. (The memo only saves work: a string it does not hold is
// judged, and found as clean.)
const memoCold = 16

// hit reports whether v, judged as in at nesting depth nest, is the
// remembered string. Only strings without a parent key, outside an XML
// body, are remembered (a form's, a multipart body's, most JSON values).
func (m *strMemo) hit(v string, in detect.Input, nest int) bool {
	if m.n != len(v) || m.n == 0 || m.kind != in.Kind || m.nest != nest || in.ParentKey != "" || in.XML {
		return false
	}
	if len(v) <= 8 {
		// from the end: names and values that differ from the one
		// before (a counter, an id) mostly differ there
		for i := len(v) - 1; i >= 0; i-- {
			if m.buf[i] != v[i] {
				return false
			}
		}
		return true
	}
	return string(m.buf[:m.n]) == v
}

func (m *strMemo) put(v string, in detect.Input, nest int, det *detect.Detector) {
	if len(v) > memoBytes || in.ParentKey != "" || in.XML {
		return
	}
	m.n = copy(m.buf[:], v)
	m.kind, m.nest, m.det = in.Kind, nest, det
}

// matchMemo remembers the detector matches of the last short string
// scanString judged, with the detector and input kind: what Detector.Scan
// returns depends on them only. A body of one attack string repeated then
// costs one detector pass (its findings, taken at each location, are
// still made one by one); strMemo does so for clean strings.
type matchMemo struct {
	nv   int // length of the string; 0: none
	kind detect.Kind
	det  *detect.Detector
	n    int // matches
	ms   [4]detect.Match
	v    [memoBytes]byte
}

func (m *matchMemo) hit(v string, in detect.Input, det *detect.Detector) bool {
	return m.nv == len(v) && m.nv > 0 && !noMatchMemo && m.det == det && m.kind == in.Kind && in.ParentKey == "" && !in.XML && string(m.v[:m.nv]) == v
}

func (m *matchMemo) put(v string, in detect.Input, det *detect.Detector, ms []detect.Match) {
	if len(v) > memoBytes || len(ms) > len(m.ms) || in.ParentKey != "" || in.XML {
		return
	}
	m.nv = copy(m.v[:], v)
	m.kind, m.det = in.Kind, det
	m.n = 0
	if len(ms) > 0 {
		m.n = copy(m.ms[:], ms) // (no copy call for a clean string)
	}
}

// noMatchMemo makes scanString run the detector on every string (a test
// hook: the decisions with and without matchMemo are compared).
var noMatchMemo = false

// specificity orders the categories of matches found in one string, most
// telling first: "${jndi:ldap://x}" is log4shell before it is a URL, and
// "; cat /etc/passwd" is command injection before it is a file path. The
// first finding is the one a log line and a decision's reason name.
func specificity(c Category) int {
	switch c {
	case XXE:
		return 1
	case SSTI:
		return 2
	case ProtoPollution:
		return 3
	case NoSQLi:
		return 4
	case CmdI:
		return 5
	case SQLi:
		return 6
	case XSS:
		return 7
	case LDAPi, CRLF, SessionFixation:
		return 8
	case PathTraversal:
		return 9
	case SSRF:
		return 10
	case AttackTool:
		return 11
	}
	return 0 // JNDI, Deserialization and any other category
}

func sortMatches(ms []detect.Match) {
	for i := 1; i < len(ms); i++ { // insertion sort: a handful of matches at most
		for j := i; j > 0 && specificity(ms[j].Category) < specificity(ms[j-1].Category); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// maxFindings bounds the findings one inspection keeps: a body of a
// hundred thousand attack strings must not cost a hundred thousand
// excerpts, locations and redaction passes (issue 20: 150-210 µs/KB and
// 40-60x the body in memory before this bound). Past it, a finding is kept
// only when its record has none with its action yet, so the decision —
// its action, status and reason (the first blocking finding), the blocked
// records of a batch, whether refusals are record-scoped — is the one all
// the findings would give. It is the number of findings a log line or
// span event details: a finding past it cost an excerpt, a location and a
// redaction pass (~27,000 instructions) that no log showed.
const maxFindings = telemetry.LoggedFindings

// noSaturation makes scanner.detector always answer g.det (a test hook:
// the findings and decision with and without the shortcut are compared).
var noSaturation = false

// detector returns the detector whose findings in the current record can
// still be kept, once the findings have reached maxFindings: g.det while a
// blocking finding would be, g.detMon (the categories in monitor mode) when
// only a monitored one would, nil when neither would. A body of a hundred
// thousand attack strings is then judged by its first strings: the rest
// cannot change the decision or the findings (issue 20: 47 µs/KB at 1 MB
// before). Cached until a finding is added or the record changes.
func (s *scanner) detector() *detect.Detector {
	if noSaturation {
		return s.g.det
	}
	if s.detN != len(s.findings) || s.detRec != s.record {
		s.detN, s.detRec = len(s.findings), s.record
		switch {
		case s.keep(ActionBlock):
			s.det = s.g.det
		case s.g.detMon != nil && s.keep(ActionMonitor):
			s.det = s.g.detMon
		default:
			s.det = nil
		}
	}
	return s.det
}

// keep reports whether a finding with action act of the current record is
// to be kept. Findings are appended record after record, so the current
// record's are the last ones.
func (s *scanner) keep(act Action) bool {
	if len(s.findings) < maxFindings {
		return true
	}
	for i := len(s.findings) - 1; i >= 0 && s.findings[i].Record == s.record; i-- {
		if s.findings[i].Action == act {
			return false
		}
	}
	return true
}

// finding records a detector match unless its category is off or excluded at
// that location.
func (s *scanner) finding(rule string, cat Category, loc func([]byte) []byte, v, fragment string) {
	s.reports++
	g := s.g
	mode := g.categoryMode(cat)
	if mode == Off {
		return
	}
	s.locBuf = loc(s.locBuf[:0])
	if g.excluded(s.locBuf, cat, rule) {
		return
	}
	act := ActionBlock
	if mode == Monitor {
		act = ActionMonitor
	}
	if !s.keep(act) {
		return
	}
	l := string(s.locBuf)
	ex, dec := s.excerpts(l, v, fragment)
	if n := len(s.findings); n == cap(s.findings) && n >= 8 && n < maxFindings {
		// Past a few, findings come by the dozen (a body of attack
		// strings): one array up to the bound instead of every doubling.
		s.findings = append(make([]Finding, 0, maxFindings), s.findings...)
	}
	s.findings = append(s.findings, Finding{Rule: rule, Category: cat, Location: l, Excerpt: ex, DecodedExcerpt: dec, Action: act, Record: s.record})
}

// policy records an allowlist or caller-check violation.
func (s *scanner) policy(cat Category, rule, loc, reason string) {
	s.reports++
	mode := s.g.categoryMode(cat)
	if mode == Off {
		return
	}
	act := ActionBlock
	if mode == Monitor {
		act = ActionMonitor
	}
	if !s.keep(act) {
		return
	}
	s.findings = append(s.findings, Finding{Rule: rule, Category: cat, Location: s.at(loc), Excerpt: s.g.excerpt(reason), Action: act, Record: s.record})
}

// internal records a check that could not be made for a reason outside
// the request (a dependency failed). With FailOpen it is a logged finding;
// with FailClosed the invocation fails (503, or an error Lambda retries),
// unless an attack or violation already blocks it.
func (s *scanner) internal(rule, loc string, err error) {
	s.reports++
	act := ActionFail
	if s.g.fail == FailOpen {
		act = ActionMonitor
	}
	reason := err.Error()
	if act == ActionFail && s.failReason == "" {
		s.failReason = s.g.red.StringFold(reason)
	}
	if !s.keep(act) {
		return
	}
	s.findings = append(s.findings, Finding{Rule: rule, Category: Caller, Location: s.at(loc), Excerpt: s.g.excerpt(reason), Action: act, Record: s.record})
}

// reject records malformed or oversized input.
func (s *scanner) reject(status int, rule, loc, reason string) {
	s.rejectAt(status, rule, s.at(loc), reason)
}

// rejectAt is reject with an absolute location.
func (s *scanner) rejectAt(status int, rule, loc, reason string) {
	s.reports++
	act := ActionReject
	if m := s.g.categoryMode(Validation); m == Monitor {
		act = ActionMonitor
	} else if m == Off {
		return
	}
	if act == ActionReject && s.status == 0 {
		s.status, s.reason = status, s.g.red.StringFold(reason)
	}
	if !s.keep(act) {
		return
	}
	s.findings = append(s.findings, Finding{Rule: rule, Category: Validation, Location: loc, Excerpt: s.g.excerpt(reason), Action: act, Record: s.record})
}

func (s *scanner) decision() Decision {
	d := Decision{Findings: s.findings, Body: s.body}
	var firstBlock *Finding
	hasReject := false
	// Locations carry names from the event (query parameters, header
	// names, JSON keys) and reasons carry locations: a secret sent as a
	// name is masked, and both are kept valid UTF-8, as excerpts are, for
	// the logs and for callers that print them.
	for i := range d.Findings {
		d.Findings[i].Location = s.g.location(d.Findings[i].Location)
	}
	for i := range s.findings {
		f := &s.findings[i]
		switch f.Action {
		case ActionBlock:
			if firstBlock == nil {
				firstBlock = f
			}
		case ActionReject:
			hasReject = true
		}
		if f.Action >= ActionBlock && f.Action != ActionFail && f.Record >= 0 && !containsInt(d.BlockedRecords, f.Record) {
			d.BlockedRecords = append(d.BlockedRecords, f.Record)
		}
		if f.Action > d.Action {
			d.Action = f.Action
		}
	}
	switch {
	case firstBlock != nil: // an attack or violation outranks malformed input
		d.Action, d.Status = ActionBlock, 403
		d.Reason = string(firstBlock.Category) + " (" + firstBlock.Rule + ") at " + firstBlock.Location
	case hasReject:
		d.Action, d.Status, d.Reason = ActionReject, s.status, s.reason
	case d.Action == ActionFail:
		d.Status, d.Reason = 503, s.failReason
	}
	d.Reason = strings.ToValidUTF8(d.Reason, "\uFFFD")
	if d.Action == ActionReject && len(d.BlockedRecords) > 0 && s.inv.Source.IsBatch() {
		// Malformed records in a batch are poisoned records: they go back
		// to the queue (and on to its dead-letter queue) like attacks do.
		// Other sources fail whole, as rejected.
		if d.recordScoped() {
			d.Action, d.Status = ActionBlock, 400
		}
	}
	return d
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// maxExcerpt is the longest excerpt, in bytes, before the ellipsis.
const maxExcerpt = 64

// excerpt redacts and cuts text for logs (a reason), with invalid UTF-8
// replaced by U+FFFD. It redacts the whole text first, and cuts only at a
// token boundary: a cut never exposes part of a secret.
func (g *Guard) excerpt(s string) string {
	return redact.Cut(strings.ToValidUTF8(g.red.StringFold(s), "\uFFFD"), maxExcerpt)
}

// location masks the secrets in a location (a header name or a JSON key
// can be one) and keeps it valid UTF-8.
func (g *Guard) location(loc string) string {
	return strings.ToValidUTF8(g.red.StringFold(g.maskDecodedSecrets(loc)), "\uFFFD")
}

// excerptMargin is how much of a long value around a match is searched for
// secrets: more than any secret fnguard recognises is long.
const excerptMargin = 16 << 10

// The excerpt of a match in a string (excerptIn) is taken from the
// string decoded (as the detectors saw it, but in its original letter
// case), redacted before it is cut: the detectors' fragment is
// lower-cased and cut at 64 bytes, which would hide secrets from the
// redactor and leave pieces of them behind.

// maskSecretsIn replaces in frag, ignoring ASCII case, every one of the
// secrets (those the redactor found in the text frag comes from), and any
// prefix or suffix of one (4 bytes or more) at an end of frag.
func maskSecretsIn(secrets []string, frag string) string {
	if len(secrets) == 0 {
		return frag
	}
	low := asciiLower(frag)
	var b strings.Builder
	for i := 0; i < len(frag); {
		hit := 0
		for _, sec := range secrets {
			ls := asciiLower(sec)
			switch {
			case strings.HasPrefix(low[i:], ls):
				hit = max(hit, len(ls))
			case len(low)-i >= 4 && strings.HasPrefix(ls, low[i:]): // a prefix cut by the end
				hit = max(hit, len(low)-i)
			case i == 0:
				for n := min(len(ls)-1, len(low)); n >= 4; n-- { // a suffix cut by the start
					if strings.HasSuffix(ls, low[:n]) {
						hit = max(hit, n)
						break
					}
				}
			}
		}
		if hit > 0 {
			b.WriteString(redact.Mask)
			i += hit
			continue
		}
		b.WriteByte(frag[i])
		i++
	}
	return b.String()
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			// b is not written again: the string shares it (one copy
			// of s, not two: the excerpts of a long blocked value
			// lower-case it whole)
			return unsafe.String(unsafe.SliceData(b), len(b))
		}
	}
	return s
}

// indexASCIIFold finds the lower-case ASCII text want in s, ignoring the
// case of s's ASCII letters; -1 if absent.
func indexASCIIFold(s, want string) int {
	if i, ok := indexFoldBudget(s, want); ok {
		return i
	}
	return strings.Index(asciiLower(s), want)
}

// indexFoldBudget is indexASCIIFold comparing in place, giving up (false)
// once it has compared about len(s) bytes.
func indexFoldBudget(s, want string) (int, bool) {
	if want == "" {
		return -1, true
	}
	if len(want) <= 2*maxExcerpt {
		// Candidates are the places of want's first byte in either case
		// (each case's next one found by IndexByte), compared in place:
		// a match near the start costs no pass over s. Comparing is
		// bounded: past len(s) bytes compared, s is lower-cased as below.
		lo, up := want[0], want[0]
		if 'a' <= lo && lo <= 'z' {
			up = lo - ('a' - 'A')
		}
		nextLo, nextUp, work := -2, -2, 0
		for off := 0; off+len(want) <= len(s) && work <= len(s); {
			if nextLo != -1 && nextLo < off {
				if nextLo = strings.IndexByte(s[off:], lo); nextLo >= 0 {
					nextLo += off
				}
			}
			if up == lo {
				nextUp = -1
			} else if nextUp != -1 && nextUp < off {
				if nextUp = strings.IndexByte(s[off:], up); nextUp >= 0 {
					nextUp += off
				}
			}
			j := nextLo
			if nextUp >= 0 && (j < 0 || nextUp < j) {
				j = nextUp
			}
			if j < 0 || j+len(want) > len(s) {
				return -1, true
			}
			k := 1
			for k < len(want) && lowerASCII(s[j+k]) == want[k] {
				k++
			}
			if k == len(want) {
				return j, true
			}
			work += k + 16
			off = j + 1
		}
		if work <= len(s) {
			return -1, true
		}
	}
	return 0, false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// lastKey returns the last key of a location: "headers.authorization" ->
// "authorization", `body["x y"]` -> "x y".
func lastKey(loc string) string {
	if strings.HasSuffix(loc, `"]`) {
		if i := strings.LastIndex(loc, `["`); i >= 0 {
			if k, err := strconv.Unquote(loc[i+1 : len(loc)-1]); err == nil {
				return k
			}
		}
		return ""
	}
	for strings.HasSuffix(loc, "]") { // array index
		i := strings.LastIndexByte(loc, '[')
		if i < 0 {
			return ""
		}
		loc = loc[:i]
	}
	if i := strings.LastIndexByte(loc, '.'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}
