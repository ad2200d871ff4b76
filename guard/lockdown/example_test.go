package lockdown_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"

	"github.com/fnguard/fnguard/guard/lockdown"
)

func ExampleParseSpec() {
	for _, v := range []string{"", "exec", " EXEC ", "exec,fs", "exec,shell"} {
		spec, err := lockdown.ParseSpec(v)
		if err != nil {
			fmt.Println("error:", errors.Is(err, lockdown.ErrInvalidSpec), err.(*lockdown.ParseError).Token)
			continue
		}
		fmt.Printf("%q -> %s\n", v, spec)
	}
	// Output:
	// "" -> off
	// "exec" -> exec
	// " EXEC " -> exec
	// error: true fs
	// error: true shell
}

// Apply at start-up, after anything that legitimately needs to start a
// program has run. (Not executed here: the lockdown cannot be undone.)
func ExampleApply() {
	spec, err := lockdown.ParseSpec(os.Getenv("FNGUARD_LOCKDOWN"))
	if err != nil {
		log.Fatal(err) // names the bad token
	}
	if err := lockdown.Apply(spec); errors.Is(err, lockdown.ErrUnavailable) {
		log.Printf("running without exec lockdown: %v", err)
	} else if err != nil {
		log.Fatal(err)
	}
}

// Tell a program start that the exec lockdown refused from other failures.
// (Not executed here: it starts a program.)
func ExampleIsDenied() {
	out, err := exec.Command("/usr/bin/pdftotext", "invoice.pdf", "-").Output()
	switch {
	case lockdown.IsDenied(err):
		log.Print("pdftotext refused: FNGUARD_LOCKDOWN=exec forbids starting programs in this function")
	case err != nil:
		log.Printf("pdftotext: %v", err)
	default:
		fmt.Printf("%d bytes of text\n", len(out))
	}
}
