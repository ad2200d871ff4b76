package httpguard

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// chunked hides the length of a reader (as a chunked request body).
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) {
	if len(p) > 7 {
		p = p[:7] // small reads, to exercise the growing buffer
	}
	return c.r.Read(p)
}

type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadBody(t *testing.T) {
	const limit = 64
	errBoom := errors.New("connection reset")
	tests := []struct {
		name     string
		body     io.Reader
		cl       int64 // -1: unknown
		wantOver bool
		wantErr  error
		wantLen  int
	}{
		{"empty", http.NoBody, 0, false, nil, 0},
		{"nil", nil, 0, false, nil, 0},
		{"at limit, known length", strings.NewReader(strings.Repeat("a", limit)), limit, false, nil, limit},
		{"at limit, chunked", chunked{strings.NewReader(strings.Repeat("a", limit))}, -1, false, nil, limit},
		{"one over, chunked", chunked{strings.NewReader(strings.Repeat("a", limit+1))}, -1, true, nil, limit + 1},
		{"far over, chunked, stops at limit+1", chunked{strings.NewReader(strings.Repeat("a", 10*limit))}, -1, true, nil, limit + 1},
		{"content-length over", strings.NewReader(strings.Repeat("a", limit+1)), limit + 1, true, nil, 0},
		{"read error", &failingReader{data: []byte("partial"), err: errBoom}, -1, false, errBoom, 7},
		{"reader without progress", stuckReader{}, -1, false, io.ErrNoProgress, 0},
		{"max bytes reader", http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(strings.Repeat("b", 40))), 20), -1, false, &http.MaxBytesError{}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{ContentLength: tt.cl, Header: http.Header{}}
			if tt.body != nil {
				rc, ok := tt.body.(io.ReadCloser)
				if !ok {
					rc = io.NopCloser(tt.body)
				}
				r.Body = rc
			}
			b := readBody(r, limit)
			if b.over != tt.wantOver {
				t.Errorf("over = %v, want %v", b.over, tt.wantOver)
			}
			if len(b.buf) != tt.wantLen {
				t.Errorf("read %d bytes, want %d", len(b.buf), tt.wantLen)
			}
			switch want := tt.wantErr.(type) {
			case nil:
				if b.err != nil {
					t.Errorf("err = %v, want nil", b.err)
				}
			case *http.MaxBytesError:
				if !b.tooLarge() {
					t.Errorf("err = %v, want a MaxBytesError", b.err)
				}
			default:
				var bre *BodyReadError
				if !errors.Is(b.err, want) || !errors.As(b.err, &bre) || bre.Read != int64(tt.wantLen) {
					t.Errorf("err = %#v, want a BodyReadError wrapping %v after %d bytes", b.err, want, tt.wantLen)
				}
			}
		})
	}
}

func TestReadBodyOneAllocationWithContentLength(t *testing.T) {
	payload := bytes.Repeat([]byte("x"), 1000)
	r := &http.Request{Header: http.Header{}}
	rd := bytes.NewReader(payload)
	rc := io.NopCloser(rd)
	allocs := testing.AllocsPerRun(100, func() {
		rd.Reset(payload)
		r.Body = rc
		r.ContentLength = int64(len(payload))
		if b := readBody(r, 1<<20); len(b.buf) != len(payload) {
			t.Fatal("short read")
		}
	})
	if allocs > 1 {
		t.Fatalf("readBody with a Content-Length made %v allocations, want 1", allocs)
	}
}

func TestRestore(t *testing.T) {
	t.Run("whole body", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader("hello"))
		r.Header.Set("Content-Length", "5")
		b := readBody(r, 100)
		b.restore(r, nil)
		got, _ := io.ReadAll(r.Body)
		if string(got) != "hello" || r.ContentLength != 5 {
			t.Fatalf("body %q, ContentLength %d", got, r.ContentLength)
		}
	})
	t.Run("replacement body", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(`{"c":"<b onclick=x>hi</b>"}`))
		r.Header.Set("Content-Length", "27")
		b := readBody(r, 100)
		b.restore(r, []byte(`{"c":"<b>hi</b>"}`))
		got, _ := io.ReadAll(r.Body)
		if string(got) != `{"c":"<b>hi</b>"}` || r.ContentLength != int64(len(got)) || r.Header.Get("Content-Length") != strconv.Itoa(len(got)) {
			t.Fatalf("body %q, ContentLength %d, header %q", got, r.ContentLength, r.Header.Get("Content-Length"))
		}
	})
	t.Run("over the limit: prefix then the rest", func(t *testing.T) {
		payload := strings.Repeat("0123456789", 20)
		r := httptest.NewRequest("POST", "/", chunked{strings.NewReader(payload)})
		r.ContentLength = -1
		b := readBody(r, 50)
		if !b.over {
			t.Fatal("not over")
		}
		b.restore(r, nil)
		got, _ := io.ReadAll(r.Body)
		if string(got) != payload {
			t.Fatalf("handler would read %d bytes, want the whole %d-byte body", len(got), len(payload))
		}
		if err := r.Body.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("read error: prefix then the same error", func(t *testing.T) {
		errBoom := errors.New("boom")
		r := &http.Request{Header: http.Header{}, ContentLength: -1, Body: io.NopCloser(&failingReader{data: []byte("abc"), err: errBoom})}
		b := readBody(r, 50)
		b.restore(r, nil)
		got, err := io.ReadAll(r.Body)
		if string(got) != "abc" || !errors.Is(err, errBoom) {
			t.Fatalf("got %q, %v", got, err)
		}
	})
	t.Run("nothing read", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/", nil)
		orig := r.Body
		b := readBody(r, 50)
		b.restore(r, nil)
		if r.Body != orig {
			t.Fatal("body replaced although nothing was read")
		}
	})
}

func TestWriteStatus(t *testing.T) {
	tests := []struct {
		status int
		id     string
		want   string
	}{
		{403, "req-1", `{"message":"Forbidden","requestId":"req-1"}`},
		{400, "a:b/c", `{"message":"Bad Request","requestId":"a:b/c"}`},
		{413, "x", `{"message":"Payload Too Large","requestId":"x"}`},
		{503, "", `{"message":"Service Unavailable","requestId":""}`},
		{500, `bad"id`, `{"message":"Internal Server Error","requestId":""}`},
		{418, "t", `{"message":"I'm a teapot","requestId":"t"}`},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteStatus(w, tt.status, tt.id)
			if w.Code != tt.status {
				t.Errorf("status %d", w.Code)
			}
			if got := w.Body.String(); got != tt.want {
				t.Errorf("body %s, want %s", got, tt.want)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Errorf("invalid JSON")
			}
			h := w.Result().Header
			if h.Get("Content-Type") != "application/json" || h.Get("X-Content-Type-Options") != "nosniff" ||
				h.Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("headers %v", h)
			}
		})
	}
}
