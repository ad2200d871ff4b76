package detect_test

import (
	"errors"
	"fmt"

	"github.com/fnguard/fnguard/guard/detect"
)

func ExampleDetector_Scan() {
	d, err := detect.New(detect.Config{})
	if err != nil {
		panic(err)
	}
	var matches []detect.Match
	for _, s := range []string{
		"Jane O'Brien",                        // a name, not an injection
		"1' OR '1'='1' -- ",                   // SQL tautology
		"%3Csvg%20onload%3Dalert(1)%3E",       // URL-encoded XSS
		"http://0xA9FEA9FE/latest/meta-data/", // metadata IP in hex
	} {
		matches = d.Scan(matches[:0], s, detect.Input{Kind: detect.Value})
		if len(matches) == 0 {
			fmt.Printf("%-40q clean\n", s)
			continue
		}
		for _, m := range matches {
			fmt.Printf("%-40q %s %s\n", s, m.Category, m.Rule)
		}
	}
	// Keys are checked for operators and prototype pollution too.
	matches = d.Scan(matches[:0], "prototype", detect.Input{Kind: detect.Key, ParentKey: "constructor"})
	fmt.Println(matches[0].Category, matches[0].Rule)
	// Output:
	// "Jane O'Brien"                           clean
	// "1' OR '1'='1' -- "                      sqli sqli.tautology
	// "%3Csvg%20onload%3Dalert(1)%3E"          xss xss.dangerous_tag
	// "http://0xA9FEA9FE/latest/meta-data/"    ssrf ssrf.metadata
	// proto_pollution proto.constructor_prototype
}

func ExampleNormalize() {
	fmt.Println(detect.Normalize("%253Cscript%253E"))
	fmt.Println(detect.Normalize("&#x3C;IMG SRC=x&#x3E;"))
	fmt.Println(detect.Normalize("＜ｓｃｒｉｐｔ＞"))
	fmt.Println(detect.Normalize("%c0%ae%c0%ae%c0%af"))
	fmt.Println(detect.Decode("\\u003cB\\u003e"))
	// Output:
	// <script>
	// <img src=x>
	// <script>
	// ../
	// <B>
}

func ExampleNew() {
	_, err := detect.New(detect.Config{Rules: []detect.Rule{
		{ID: "acme.block", Category: detect.SQLi, Pattern: "drop database ("},
	}})
	fmt.Println(errors.Is(err, detect.ErrInvalidRule))
	fmt.Println(err)
	// Output:
	// true
	// detect: Config.Rules[0] (id "acme.block") Pattern: error parsing regexp: missing closing ): `drop database (`
}
