package guard

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// TestRepeatsAfter compares repeatsAfter with counting the copies one by
// one.
func TestRepeatsAfter(t *testing.T) {
	for _, c := range []struct {
		b       string
		at, end int
	}{
		{"a=b&a=b&a=b&", 0, 4}, {"a=b&a=b&a=b", 0, 4}, {"a=b&a=b&a=c&a=b&", 0, 4}, {"x&a=b&a=b&a=b&a=b&", 1, 6},
		{strings.Repeat("a=b&", 1000) + "q", 0, 4}, {strings.Repeat("k=v&", 37) + "k=v", 0, 4}, {"&&a&&a&&a", 0, 3}, {"", 0, 0},
	} {
		t.Run(c.b[:min(len(c.b), 20)], func(t *testing.T) {
			for _, max := range []int{0, 1, 2, 3, 7, 1 << 20} {
				if got, want := repeatsAfter(c.b, c.at, c.end, max), repeatsNaive(c.b, c.at, c.end, max); got != want {
					t.Errorf("repeatsAfter(%q, %d, %d, %d) = %d, want %d", c.b, c.at, c.end, max, got, want)
				}
			}
		})
	}
}

func repeatsNaive(b string, at, end, max int) int {
	p := end - at
	if p <= 0 {
		return 0
	}
	n := 0
	for n < max && end+p <= len(b) && b[end:end+p] == b[at:at+p] {
		n++
		end += p
	}
	return n
}

// FuzzFormRepeat: a form body of runs of repeated fields (and the
// fuzzer's own bytes) gets the same decision whether form skips the
// fields that repeat the one before it (repeatsAfter) or judges each
// (noFormRepeat), with the default element limit and a small one; and
// repeatsAfter counts as one-by-one comparisons do.
func FuzzFormRepeat(f *testing.F) {
	for _, s := range []string{"a=b&", "a=b&&", "q=%3Cscript%3E&", "a=b;c&", "x&#x3c;=1&", "k=v&k=w&", "%41=b&", "(a)=b&"} {
		f.Add(s, uint8(5), "c=d&", uint8(3))
	}
	guards := func(opts ...Option) *Guard {
		g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			f.Fatal(err)
		}
		return g
	}
	defer func() { noFormRepeat = false }()
	f.Fuzz(func(t *testing.T, u1 string, n1 uint8, u2 string, n2 uint8) {
		if len(u1)+len(u2) > 64 {
			return
		}
		body := strings.Repeat(u1, int(n1%40)) + u2 + strings.Repeat(u1, int(n2%9)) + strings.Repeat(u2, int(n2%40)) + u1
		for _, p := range []int{1, 2, 3, 4, 5} {
			for at := 0; at+p <= len(body) && at < 8; at++ {
				for _, max := range []int{2, 1 << 20} {
					if got, want := repeatsAfter(body, at, at+p, max), repeatsNaive(body, at, at+p, max); got != want {
						t.Fatalf("repeatsAfter(%q, %d, %d, %d) = %d, want %d", body, at, at+p, max, got, want)
					}
				}
			}
		}
		for _, opts := range [][]Option{nil, {WithMaxElements(20)}} {
			noFormRepeat = true
			want := guards(opts...).Inspect(context.Background(), bodyInv("application/x-www-form-urlencoded", []byte(body)))
			noFormRepeat = false
			got := guards(opts...).Inspect(context.Background(), bodyInv("application/x-www-form-urlencoded", []byte(body)))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: with repeats skipped\n%+v\nwant\n%+v", body, got, want)
			}
		}
	})
}
