package hooks_test

import (
	"fmt"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// The engine checks whether HTML sanitising is linked before using it. This
// test binary does not link guard/sanitize, so the hook is unset.
func ExampleHTMLSanitizer() {
	if hooks.HTMLSanitizer == nil {
		fmt.Println(`HTML sanitising is not linked: add import _ "github.com/fnguard/fnguard/guard/sanitize"`)
		return
	}
	clean, err := hooks.HTMLSanitizer("strict")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(clean("<b>hi</b>"))
	// Output:
	// HTML sanitising is not linked: add import _ "github.com/fnguard/fnguard/guard/sanitize"
}
