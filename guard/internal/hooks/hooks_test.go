package hooks

import (
	"go/build"
	"testing"
)

// TestStdlibOnly keeps the package free of non-standard imports, which is
// the point of the indirection.
func TestStdlibOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		std, err := build.Import(imp, ".", build.FindOnly)
		if err != nil {
			t.Fatalf("import %q: %v", imp, err)
		}
		if !std.Goroot {
			t.Errorf("hooks imports %q, which is not in the standard library", imp)
		}
	}
}

func TestUnsetWithoutSanitize(t *testing.T) {
	if HTMLSanitizer != nil {
		t.Fatal("HTMLSanitizer is set although guard/sanitize is not linked into this test")
	}
}
