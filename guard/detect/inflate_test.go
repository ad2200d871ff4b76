package detect

import (
	"fmt"
	"strings"
	"testing"
)

// inflateExempt are the rule examples whose blanks cannot be padded, with
// the reason: the padded text is no longer the language's syntax, or the
// padding is a known gap still open.
var inflateExempt = map[string]string{
	// Apache's mod_include and nginx read a directive only right after
	// "<!--#": "<!--   #exec" is a comment.
	"<!--  #exec cmd=\"id\" -->": "not SSI syntax once padded",
	// open: the window before a '.constructor(' sink counts bytes
	"[].at.constructor('return 1;x()')()": "open: js_sink window counts bytes",
	"Object.constructor('return 7')()":    "open: js_sink window counts bytes",
}

// TestBlankInflation pads each blank of every value rule's attack examples
// to 2, 300 and 5,000 blanks, tabs or line breaks, as an attacker pads
// between tokens (template engines, PHP, Ruby, browsers and JSON parsers
// skip any amount of them) to step past a byte window: the example's
// category must be found at every width or at none (a blank that is part
// of a literal, "Mozilla/5.0 (Morfeus Fucking Scanner)", is not one at
// two).
func TestBlankInflation(t *testing.T) {
	d := mustNew(t, Config{})
	in := Input{Kind: Value}
	for _, r := range Rules() {
		if r.Kind != Value || r.XML || r.Parent != "" {
			continue
		}
		for i, a := range r.Attacks {
			if !strings.Contains(a, " ") || inflateExempt[a] != "" || !hasCategory(d.Scan(nil, a, in), r.Category) {
				continue
			}
			for _, ws := range []string{" ", "\t", "\n"} {
				t.Run(fmt.Sprintf("%s/%d/%q", r.ID, i, ws), func(t *testing.T) {
					found := hasCategory(d.Scan(nil, strings.ReplaceAll(a, " ", ws+ws), in), r.Category)
					for _, n := range []int{300, 5000} {
						v := strings.ReplaceAll(a, " ", strings.Repeat(ws, n))
						if got := hasCategory(d.Scan(nil, v, in), r.Category); got != found {
							t.Errorf("%q with each blank padded to %d x %q: %s found %v, at 2: %v", a, n, ws, r.Category, got, found)
						}
					}
				})
			}
		}
	}
}
