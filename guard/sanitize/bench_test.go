package sanitize

import (
	"os"
	"testing"
)

func BenchmarkJSONFields(b *testing.B) {
	body, err := os.ReadFile("testdata/comment.json")
	if err != nil {
		b.Fatal(err)
	}
	s := mustSanitizer(b, UGC)
	paths := []string{"comment", "user.bio", "items[*].note"}
	b.Run("rewrite", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := s.JSONFields(body, paths); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("no-match", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := s.JSONFields(body, []string{"absent.field"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHTML(b *testing.B) {
	s := mustSanitizer(b, Strict)
	in := `<p>Nice!</p><script>alert(document.cookie)</script> and some plain text that is long enough`
	b.ReportAllocs()
	for b.Loop() {
		_ = s.HTML(in)
	}
}
