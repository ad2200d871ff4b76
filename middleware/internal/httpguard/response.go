package httpguard

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/fnguard/fnguard/guard"
)

// serveScanned runs the handler with a buffering writer, then scans the
// response (FNGUARD_RESPONSE_SCAN): a response carrying a credential is
// replaced by a 500 (block) or written scrubbed (scrub). A response larger
// than the buffer limit cannot be scanned: the fail mode decides (closed:
// 503; open: it is streamed unscanned, and the failure logged).
//
// While the response is buffered, Flush is a no-op and the connection cannot
// be hijacked (the writer does not implement http.Hijacker); deadlines set
// through http.ResponseController apply.
func (h *Handler) serveScanned(w http.ResponseWriter, r *http.Request, inv *guard.Invocation) {
	sw := &scanWriter{w: w, hdr: w.Header().Clone(), limit: h.limit, g: h.g, ctx: r.Context(), inv: inv}
	h.next.ServeHTTP(sw, r)
	sw.finish()
}

type writerState uint8

const (
	buffering   writerState = iota
	passthrough             // over the limit, fail open: streaming unscanned
	failed                  // over the limit, fail closed: the answer will be a 503
)

type scanWriter struct {
	w      http.ResponseWriter
	hdr    http.Header
	status int
	buf    []byte
	limit  int64
	state  writerState
	fail   guard.Decision

	g   *guard.Guard
	ctx context.Context
	inv *guard.Invocation
}

func (s *scanWriter) Header() http.Header {
	if s.state == passthrough {
		return s.w.Header()
	}
	return s.hdr
}

func (s *scanWriter) WriteHeader(code int) {
	switch {
	case s.state == passthrough:
		s.w.WriteHeader(code)
	case code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols:
		// Informational answers (103 Early Hints) carry no body: pass them on.
		copyHeader(s.w.Header(), s.hdr)
		s.w.WriteHeader(code)
	case s.status == 0:
		s.status = code
	}
}

func (s *scanWriter) Write(p []byte) (int, error) {
	switch s.state {
	case passthrough:
		return s.w.Write(p)
	case failed:
		return 0, ErrResponseTooLarge
	}
	if s.status == 0 {
		s.status = http.StatusOK
	}
	if int64(len(s.buf))+int64(len(p)) > s.limit {
		d := s.g.Fail(s.ctx, s.inv, ErrResponseTooLarge)
		if !d.Allowed() {
			s.state, s.fail, s.buf = failed, d, nil
			return 0, ErrResponseTooLarge
		}
		s.state = passthrough
		s.flushBuffered(s.buf)
		s.buf = nil
		return s.w.Write(p)
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// Flush is a no-op while the response is buffered (it is sent after the
// scan), and flushes the underlying writer once streaming.
func (s *scanWriter) Flush() {
	if s.state == passthrough {
		_ = http.NewResponseController(s.w).Flush()
	}
}

// SetReadDeadline, SetWriteDeadline and EnableFullDuplex reach the
// underlying writer, for http.ResponseController. Hijacking does not: a
// hijacked connection could not be scanned.
func (s *scanWriter) SetReadDeadline(t time.Time) error {
	return http.NewResponseController(s.w).SetReadDeadline(t)
}

func (s *scanWriter) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(s.w).SetWriteDeadline(t)
}

func (s *scanWriter) EnableFullDuplex() error {
	return http.NewResponseController(s.w).EnableFullDuplex()
}

func (s *scanWriter) flushBuffered(b []byte) {
	copyHeader(s.w.Header(), s.hdr)
	status := s.status
	if status == 0 {
		status = http.StatusOK
	}
	s.w.WriteHeader(status)
	if len(b) > 0 {
		_, _ = s.w.Write(b)
	}
}

func (s *scanWriter) finish() {
	switch s.state {
	case passthrough:
		return
	case failed:
		WriteDecision(s.w, &s.fail, s.inv.RequestID)
		return
	}
	out, ok := s.g.ScanResponse(s.ctx, s.inv, s.buf)
	if !ok {
		WriteStatus(s.w, http.StatusInternalServerError, s.inv.RequestID)
		return
	}
	if len(out) != len(s.buf) {
		s.hdr.Set("Content-Length", strconv.Itoa(len(out)))
	}
	s.flushBuffered(out)
}

// copyHeader makes dst a copy of src.
func copyHeader(dst, src http.Header) {
	for k := range dst {
		if _, ok := src[k]; !ok {
			delete(dst, k)
		}
	}
	for k, vs := range src {
		dst[k] = vs
	}
}
