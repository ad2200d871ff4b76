package detect

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	d, _ := New(Config{})
	for _, s := range strings.Split(os.Getenv("DBG"), "\n") {
		fmt.Printf("%q\n  N=%q\n  M=%v\n", s, Normalize(s), d.Scan(nil, s, Input{}))
	}
}
