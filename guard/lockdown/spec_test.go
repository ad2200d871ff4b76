package lockdown

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in      string
		want    Spec
		token   string // bad token, if an error is expected
		wantErr string // substring of the reason
	}{
		{in: "", want: Spec{}},
		{in: "  ", want: Spec{}},
		{in: "off", want: Spec{}},
		{in: "OFF", want: Spec{}},
		{in: "exec", want: Spec{Exec: true}},
		{in: " Exec ", want: Spec{Exec: true}},
		{in: "exec, exec", want: Spec{Exec: true}},
		{in: "exec,fs", token: "fs", wantErr: "Landlock"},
		{in: "exec,", token: "", wantErr: "empty token"},
		{in: ",exec", token: "", wantErr: "empty token"},
		{in: "exec,off", token: "off", wantErr: "cannot be combined"},
		{in: "network", token: "network", wantErr: "unknown lockdown"},
		{in: "exec;fs", token: "exec;fs", wantErr: "unknown lockdown"},
		{in: "1", token: "1", wantErr: "unknown lockdown"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseSpec(%q): %v", tt.in, err)
				}
				if got != tt.want {
					t.Fatalf("ParseSpec(%q) = %+v, want %+v", tt.in, got, tt.want)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidSpec) {
				t.Fatalf("ParseSpec(%q) error = %v, want *ParseError", tt.in, err)
			}
			if pe.Token != tt.token || pe.Input != tt.in || !strings.Contains(pe.Reason, tt.wantErr) {
				t.Fatalf("ParseError %+v, want token %q and reason containing %q", pe, tt.token, tt.wantErr)
			}
			if !strings.Contains(err.Error(), `"`+tt.token+`"`) {
				t.Fatalf("message %q does not quote the token", err)
			}
			if got != (Spec{}) {
				t.Fatalf("spec %+v returned with an error", got)
			}
		})
	}
}

func TestSpecString(t *testing.T) {
	for _, s := range []Spec{{}, {Exec: true}} {
		t.Run(s.String(), func(t *testing.T) {
			again, err := ParseSpec(s.String())
			if err != nil || again != s {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", s.String(), again, err, s)
			}
		})
	}
}

func TestUnavailableError(t *testing.T) {
	inner := errors.New("boom")
	err := error(&UnavailableError{Reason: "because", Err: inner})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, inner) {
		t.Fatalf("%v does not match ErrUnavailable and its cause", err)
	}
	if got, want := err.Error(), "lockdown: exec lockdown unavailable: because: boom"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if got, want := (&UnavailableError{Reason: "r"}).Error(), "lockdown: exec lockdown unavailable: r"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if errors.Is(err, ErrInvalidSpec) {
		t.Fatal("UnavailableError matches ErrInvalidSpec")
	}
}
