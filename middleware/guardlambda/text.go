package guardlambda

import (
	"encoding/base64"
	"encoding/binary"
	"unicode/utf8"
	"unsafe"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// arena is append-only storage for the strings the adapter derives from an
// event (lower-cased header names, decoded query values, locations, decoded
// base64). Strings handed out by str alias bytes that are never written
// again: appending only writes past them, and a reallocation leaves them in
// the old array. An arena is reused by the next invocation only when the
// engine's decision kept no reference to it (no findings).
type arena struct{ buf []byte }

// since returns the bytes appended since start as a string, without copying.
func (a *arena) since(start int) string {
	b := a.buf[start:]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// headerNames are header names as clients and AWS's proxies (API Gateway,
// CloudFront, ALB) usually spell them, with their lower-case forms:
// lowerName finds these in a table rather than lower-casing a copy.
var headerNames = [...]struct{ name, lower string }{
	{"Accept", "accept"}, {"Accept-Charset", "accept-charset"}, {"Accept-Encoding", "accept-encoding"},
	{"Accept-Language", "accept-language"},
	{"Access-Control-Request-Headers", "access-control-request-headers"},
	{"Access-Control-Request-Method", "access-control-request-method"}, {"Authorization", "authorization"},
	{"Cache-Control", "cache-control"}, {"CloudFront-Forwarded-Proto", "cloudfront-forwarded-proto"},
	{"CloudFront-Is-Desktop-Viewer", "cloudfront-is-desktop-viewer"},
	{"CloudFront-Is-Mobile-Viewer", "cloudfront-is-mobile-viewer"},
	{"CloudFront-Is-SmartTV-Viewer", "cloudfront-is-smarttv-viewer"},
	{"CloudFront-Is-Tablet-Viewer", "cloudfront-is-tablet-viewer"},
	{"CloudFront-Viewer-ASN", "cloudfront-viewer-asn"},
	{"CloudFront-Viewer-Country", "cloudfront-viewer-country"}, {"Connection", "connection"},
	{"Content-Encoding", "content-encoding"}, {"Content-Length", "content-length"},
	{"Content-Type", "content-type"}, {"Cookie", "cookie"}, {"DNT", "dnt"}, {"Forwarded", "forwarded"},
	{"Host", "host"}, {"If-Match", "if-match"}, {"If-Modified-Since", "if-modified-since"},
	{"If-None-Match", "if-none-match"}, {"Origin", "origin"}, {"Postman-Token", "postman-token"},
	{"Pragma", "pragma"}, {"Priority", "priority"}, {"Referer", "referer"}, {"Sec-Ch-Ua", "sec-ch-ua"},
	{"Sec-Ch-Ua-Mobile", "sec-ch-ua-mobile"}, {"Sec-Ch-Ua-Platform", "sec-ch-ua-platform"},
	{"Sec-Fetch-Dest", "sec-fetch-dest"}, {"Sec-Fetch-Mode", "sec-fetch-mode"},
	{"Sec-Fetch-Site", "sec-fetch-site"}, {"Sec-Fetch-User", "sec-fetch-user"},
	{"Upgrade-Insecure-Requests", "upgrade-insecure-requests"}, {"User-Agent", "user-agent"}, {"Via", "via"},
	{"X-Amz-Cf-Id", "x-amz-cf-id"}, {"X-Amz-Date", "x-amz-date"},
	{"X-Amz-Security-Token", "x-amz-security-token"}, {"X-Amzn-Trace-Id", "x-amzn-trace-id"},
	{"X-Api-Key", "x-api-key"}, {"X-Forwarded-For", "x-forwarded-for"},
	{"X-Forwarded-Host", "x-forwarded-host"}, {"X-Forwarded-Port", "x-forwarded-port"},
	{"X-Forwarded-Proto", "x-forwarded-proto"}, {"X-Real-Ip", "x-real-ip"}, {"X-Request-Id", "x-request-id"},
	{"X-Requested-With", "x-requested-with"},
}

// headerTable holds headerNames by headerHash, two to a bucket.
var headerTable = func() (t [256][2]struct{ name, lower string }) {
	for _, h := range headerNames {
		b := &t[headerHash(h.name)]
		if b[0].name == "" {
			b[0] = h
		} else {
			b[1] = h // (TestHeaderNames: no bucket takes three)
		}
	}
	return t
}()

// headerHash spreads headerNames over headerTable's buckets (length, first,
// middle and last byte).
func headerHash(s string) uint8 {
	n := len(s)
	return uint8(n*3 + int(s[0])*30 + int(s[n-1])*7 + int(s[n>>1]))
}

// lowerName is lower for a header name: a common one's lower-case form
// comes from headerTable.
func (a *arena) lowerName(s string) string {
	if s == "" {
		return s
	}
	b := &headerTable[headerHash(s)]
	if sameName(b[0].name, s) {
		return b[0].lower
	}
	if sameName(b[1].name, s) {
		return b[1].lower
	}
	return a.lower(s)
}

// lower returns s with ASCII letters lower-cased; s itself when it has none.
// Header names (the common use) are read and written eight bytes at a time.
func (a *arena) lower(s string) string {
	i := 0
	for i+8 <= len(s) {
		// a word of ASCII without a capital letter is skipped whole
		if x := loadWord(s, i); x&wordMSB != 0 || upperBits(x) != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	start := len(a.buf)
	a.buf = grow(a.buf, len(s))
	b := a.buf[start:]
	b = b[:len(s)] // one copy, lower-casing as it goes
	j := 0
	for ; j+8 <= len(s); j += 8 {
		x := loadWord(s, j)
		if x&wordMSB != 0 {
			for k := j; k < j+8; k++ {
				b[k] = lowerByte(s[k])
			}
			continue
		}
		binary.LittleEndian.PutUint64(b[j:j+8], x|upperBits(x))
	}
	for ; j < len(s); j++ {
		b[j] = lowerByte(s[j])
	}
	return a.since(start)
}

const (
	wordLSB = 0x0101010101010101
	wordMSB = 0x8080808080808080
)

// loadWord reads s[i:i+8] (in s) as a little-endian word.
func loadWord(s string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:i+8]), 8))
}

// upperBits has 0x20 in each byte of x that is an ASCII capital letter; x
// has no byte >= 0x80 (so no sum below carries into the next byte).
func upperBits(x uint64) uint64 {
	geA := x + (0x80-'A')*wordLSB   // top bit set in bytes >= 'A'
	gtZ := x + (0x80-'Z'-1)*wordLSB // top bit set in bytes > 'Z'
	return (geA &^ gtZ) & wordMSB >> 2
}

func lowerByte(c byte) byte {
	if c-'A' < 26 {
		c += 'a' - 'A'
	}
	return c
}

// unescape percent-decodes s (and turns '+' into a space when plus is
// set), returning s itself when it has nothing to decode. ok is false for a
// malformed escape; the caller then inspects s as sent.
func (a *arena) unescape(s string, plus bool) (out string, ok bool) {
	i := 0
	for i < len(s) && s[i] != '%' && (!plus || s[i] != '+') {
		i++
	}
	if i == len(s) {
		return s, true
	}
	start := len(a.buf)
	a.buf = append(a.buf, s[:i]...)
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				a.buf = a.buf[:start]
				return s, false
			}
			a.buf = append(a.buf, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case c == '+' && plus:
			a.buf = append(a.buf, ' ')
		default:
			a.buf = append(a.buf, c)
		}
	}
	return a.since(start), true
}

// b64 decodes standard base64 (with padding; line breaks are ignored) into
// the arena.
func (a *arena) b64(s string) ([]byte, bool) {
	start := len(a.buf)
	n := base64.StdEncoding.DecodedLen(len(s))
	a.buf = grow(a.buf, n)
	m, err := base64.StdEncoding.Decode(a.buf[start:start+n], stringBytes(s))
	if err != nil {
		a.buf = a.buf[:start]
		return nil, false
	}
	a.buf = a.buf[:start+m]
	return a.buf[start : start+m : start+m], true
}

// loc builds a location "prefix" + key segment (".key" or `["odd key"]`,
// rendered as the engine renders JSON keys) + suffix.
func (a *arena) loc(prefix, key, suffix string) string {
	start := len(a.buf)
	a.buf = append(a.buf, prefix...)
	a.buf = jsontree.AppendKey(a.buf, key)
	a.buf = append(a.buf, suffix...)
	return a.since(start)
}

// grow extends b by n bytes (contents unspecified).
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// stringBytes views s as bytes without copying; the bytes must not be
// modified.
func stringBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// bytesString views b as a string without copying.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal. Invalid UTF-8 becomes
// U+FFFD, as with encoding/json, so the output is always valid JSON.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// looksJSON reports whether s starts (after white space) like a JSON object
// or array, which is when a message body is handed to the engine as a JSON
// document to walk (it falls back to text if it does not parse).
func looksJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}
