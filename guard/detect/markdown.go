package detect

// Markdown fenced code blocks. A document that explains something to a
// reader (an issue, an advisory, a support ticket, a chat message) shows
// commands and code between fences:
//
//	The cop adds the comment. Examples:
//
//	```ruby
//	# The `always` style ...
//	```
//
// What is inside is quoted for a reader, as a code span in a sentence is:
// the shell grammar judges the document with its fenced blocks blanked.
// Only a document counts: the fence starts its line, closes on a line of
// its own, and prose (three words) comes before it or after it, so a
// value made of a fence alone, or of a fence and a separator, is judged
// as it is.

// fenceAt returns the length of the fence of three or more '`' or '~' that
// starts at s[i] (after at most three spaces from a line start), or 0.
func fenceAt(s []byte, i int) int {
	if i >= len(s) {
		return 0
	}
	lineStart := i
	for lineStart > 0 && s[lineStart-1] == ' ' && i-lineStart < 3 {
		lineStart--
	}
	if lineStart > 0 && s[lineStart-1] != '\n' {
		return 0
	}
	c := s[i]
	if c != '`' && c != '~' {
		return 0
	}
	k := i
	for k < len(s) && s[k] == c {
		k++
	}
	if k-i < 3 {
		return 0
	}
	return k - i
}

// closingFence returns the index just after the line that closes a fence
// of n bytes c opened before s[from], or -1 when no line closes it.
func closingFence(s []byte, from int, c byte, n int) int {
	for i := from; i < len(s); {
		nl := indexByte(s[i:], '\n')
		if nl < 0 {
			return -1
		}
		j := i + nl + 1
		k := j
		for k < len(s) && s[k] == ' ' && k-j < 3 {
			k++
		}
		m := k
		for m < len(s) && s[m] == c {
			m++
		}
		if m-k >= n {
			e := skipBlanks(s, m)
			if e == len(s) || s[e] == '\n' || s[e] == '\r' {
				if e < len(s) {
					e++
				}
				return e
			}
		}
		i = j
	}
	return -1
}

// proseWordsAhead counts, up to want, the words of at least two letters
// (after a blank, a line break, '(' or '"', and before a blank, a line
// break or punctuation) in the 240 bytes from i, on i's line only unless
// lines is set: the text going on after a fenced block ("I ran this:\n```\n
// ...\n```\nand it failed") or after a code span on its line.
func proseWordsAhead(s []byte, i, want int, lines bool) int {
	words := 0
	for j := i; j < len(s) && j-i < 240 && words < want; {
		if !isLetter(s[j]) {
			if !lines && (s[j] == '\n' || s[j] == '\r') {
				break
			}
			j++
			continue
		}
		k := j
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j-k >= 2 && (k == 0 || shBlank(s[k-1]) || s[k-1] == '\n' || s[k-1] == '\r' || s[k-1] == '(' || s[k-1] == '"') && wordEndsAt(s, j) {
			words++
		}
	}
	return words
}

// maskFences returns b with the fenced code blocks of a Markdown document
// (fences included) replaced by blanks, line breaks kept, and whether it
// found any. b is not changed; the copy is made only when a block is found.
func maskFences(b []byte) ([]byte, bool) {
	var out []byte
	for i := indexFrom(b, "\n", 0); i >= 0 && i+1 < len(b); {
		start := i + 1
		k := start
		for k < len(b) && b[k] == ' ' && k-start < 3 {
			k++
		}
		if n := fenceAt(b, k); n > 0 {
			end := closingFence(b, k+n, b[k], n)
			if end < 0 {
				// an unclosed fence runs to the end of the document
				// (CommonMark): no later line opens another, and one
				// search to the end is all the work
				break
			}
			if proseWordsBefore(b, start-1, start, true) || proseWordsAhead(b, end, 3, true) >= 3 {
				if out == nil {
					out = append(make([]byte, 0, len(b)), b...)
				}
				for j := start; j < end; j++ {
					if out[j] != '\n' {
						out[j] = ' '
					}
				}
			}
			// the block is skipped whole either way: its closing fence
			// opens nothing
			i = end - 1
			if b[i] != '\n' {
				break
			}
			continue
		}
		nl := indexByte(b[start:], '\n')
		if nl < 0 {
			break
		}
		i = start + nl
	}
	if out == nil {
		return b, false
	}
	return out, true
}
