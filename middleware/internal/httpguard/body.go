package httpguard

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// body is what was read of a request body.
type body struct {
	buf  []byte
	over bool  // the body is longer than the limit; buf holds limit+1 bytes (or nothing when Content-Length said so)
	err  error // a read error other than io.EOF; buf holds what came before it
	read bool  // the original body was (partly) consumed
}

// readBody reads r.Body up to limit+1 bytes. A declared Content-Length over
// the limit is refused without reading anything; otherwise the buffer is
// sized from Content-Length (one allocation) or grown by doubling.
func readBody(r *http.Request, limit int64) body {
	if r.Body == nil || r.Body == http.NoBody {
		return body{}
	}
	if r.ContentLength > limit {
		return body{over: true}
	}
	capHint := int64(512)
	if r.ContentLength >= 0 {
		capHint = r.ContentLength + 1 // +1: room to see EOF, or a longer body, without growing
	}
	capHint = min(capHint, limit+1)
	buf := make([]byte, 0, capHint)
	for idle := 0; ; {
		if len(buf) == cap(buf) {
			buf = slicesGrow(buf, min(int64(cap(buf))*2, limit+1))
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return body{buf: buf, over: true, read: true}
		}
		if err == io.EOF {
			return body{buf: buf, read: true}
		}
		if err == nil && n == 0 {
			// A reader that keeps returning (0, nil) must not spin forever.
			if idle++; idle >= 100 {
				err = io.ErrNoProgress
			}
		} else {
			idle = 0
		}
		if err != nil {
			return body{buf: buf, err: &BodyReadError{Read: int64(len(buf)), Err: err}, read: true}
		}
	}
}

func slicesGrow(b []byte, newCap int64) []byte {
	nb := make([]byte, len(b), newCap)
	copy(nb, b)
	return nb
}

// tooLarge reports whether a read error comes from an http.MaxBytesReader.
func (b *body) tooLarge() bool {
	var mbe *http.MaxBytesError
	return errors.As(b.err, &mbe)
}

// restore gives the handler the body as it was sent: the whole buffer when
// it was read to the end, or the buffered prefix followed by the unread rest
// (monitor mode and fail open only), or repl (a sanitised body) when non-nil.
// ContentLength and the Content-Length header follow the body the handler
// will read.
func (b *body) restore(r *http.Request, repl []byte) {
	if repl != nil {
		setBody(r, repl)
		return
	}
	if !b.read {
		return
	}
	if !b.over && b.err == nil {
		setBody(r, b.buf)
		return
	}
	rest := io.Reader(r.Body)
	if b.err != nil {
		rest = errReader{b.err}
	}
	r.Body = &prefixBody{Reader: io.MultiReader(bytes.NewReader(b.buf), rest), c: r.Body}
}

func setBody(r *http.Request, b []byte) {
	rb := &bytesBody{}
	rb.Reset(b)
	r.Body = rb
	r.ContentLength = int64(len(b))
	r.TransferEncoding = nil
	if _, ok := r.Header["Content-Length"]; ok {
		r.Header["Content-Length"] = []string{strconv.Itoa(len(b))}
	}
}

// bytesBody is a request body held in memory (one allocation instead of
// bytes.NewReader plus io.NopCloser).
type bytesBody struct{ bytes.Reader }

func (*bytesBody) Close() error { return nil }

// prefixBody is a partly buffered body: the buffered prefix, then the rest of
// the original stream, which Close closes.
type prefixBody struct {
	io.Reader
	c io.Closer
}

func (p *prefixBody) Close() error { return p.c.Close() }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
