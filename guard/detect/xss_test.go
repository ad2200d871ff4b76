package detect

import "testing"

// TestXSSTagsAfterTags checks that the tag scan finds a tag wherever it
// starts after another one: inside a quoted attribute value, glued to a
// tag name, after an unclosed quote, with a namespace prefix; and that
// plain markup and comparisons stay clean.
func TestXSSTagsAfterTags(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"script in a quoted value", `<a title="<script>alert(1)</script>">x</a>`, "xss.script_tag"},
		{"script in a single-quoted value", `<b x='<script src=//x.example/a.js></script>'>`, "xss.script_tag"},
		{"svg after a closed value", `<a title='x' <svg onload=alert(1)>`, "xss.dangerous_tag"},
		{"iframe after an unclosed quote", `<b x=" <iframe src=//x.example>`, "xss.dangerous_tag"},
		{"script glued to a name", `<a<script>alert(1)</script>`, "xss.script_tag"},
		{"namespaced script", `<svg:script>alert(1)</svg:script>`, "xss.dangerous_tag"},
		{"tag run then script", `<a <a <a <script>alert(1)</script>`, "xss.script_tag"},
		{"plain markup", `<a href="/x">link</a> and <b>bold</b>`, ""},
		{"comparisons", "if a < b and c > d then <3", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ""
			for _, m := range d.Scan(nil, c.in, Input{Kind: Value}) {
				if m.Category == XSS {
					got = m.Rule
				}
			}
			if got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}
