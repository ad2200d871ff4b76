package detect

import "strings"

import "unsafe"

// Java expression and binding attacks (the CRS 944 family) beyond JNDI
// lookups and deserialisation streams: OGNL expressions (Struts:
// #_memberAccess, #context['xwork...'], @ognl.OgnlContext@, static
// member access @java.lang.System@getProperty(, chains of (#x=...).(#y))
// and class-loader manipulation through a bound property path
// (Spring4Shell class.module.classLoader..., Struts class.classLoader).

// ognlExpr finds OGNL syntax that has no other reading.
func ognlExpr(b []byte) hit {
	for i := indexFrom(b, "#_memberaccess", 0); i >= 0; i = indexFrom(b, "#_memberaccess", i+14) {
		if e := i + 14; e == len(b) || !isWordByte[b[e]] {
			// the whole name, as the keyword gate reads it (gOGNL; not
			// "#_memberaccessx")
			return hit{rule: "ssti.ognl", frag: around(b, i, i+40)}
		}
	}
	for i := indexFrom(b, "@ognl.", 0); i >= 0; i = indexFrom(b, "@ognl.", i+6) {
		// a class of the ognl package used statically
		// (@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS): its name, then '@';
		// not an address at an "ognl." domain
		k := i + 6
		for k < len(b) && (isIdent(b[k]) || b[k] == '.') {
			k++
		}
		if k > i+6 && k < len(b) && b[k] == '@' {
			return hit{rule: "ssti.ognl", frag: around(b, i, i+40)}
		}
	}
	for i := indexFrom(b, "#context[", 0); i >= 0; i = indexFrom(b, "#context[", i+9) {
		if k := i + 9; k+1 < len(b) && (b[k] == '\'' || b[k] == '"') && (hasAt(b, k+1, "xwork.") || hasAt(b, k+1, "com.opensymphony.") || hasAt(b, k+1, "struts.")) {
			return hit{rule: "ssti.ognl", frag: around(b, i, i+48)}
		}
	}
	// static member access: @a.b.Class@member(
	if i, e := findStaticAccess(b); i >= 0 {
		return hit{rule: "ssti.ognl", frag: around(b, i, e+16)}
	}
	// a chain of assignments: (#a=...).(#b=...)
	for i := indexFrom(b, "(#", 0); i >= 0; i = indexFrom(b, "(#", i+2) {
		e := identEnd(b, i+2)
		if e == i+2 || !isLetter(b[i+2]) && b[i+2] != '_' {
			continue
		}
		if k := skipSpaces(b, e); k < len(b) && b[k] == '=' && (k+1 >= len(b) || b[k+1] != '=') {
			if indexFrom(b, ").(#", k) > 0 || indexFrom(b, ").(@", k) > 0 {
				return hit{rule: "ssti.ognl", frag: around(b, i, i+48)}
			}
		}
	}
	return hit{}
}

// findStaticAccess returns the first static member access in b (its
// start and the end of the member; -1 when there is none).
func findStaticAccess(b []byte) (int, int) {
	for i := indexByte(b, '@'); i >= 0; {
		if e, ok := staticAccess(b, i); ok {
			return i, e
		}
		j := indexByte(b[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return -1, 0
}

// ognlHint reports the OGNL forms ognlExpr finds that no gate word
// announces: "@ognl." and static member access (findStaticAccess: its
// class names are any names). Bytes '@' and '.' are "boring", so the
// pre-filter (boringHint) and the SSTI gate (clsGates, scanSlow) ask it.
func ognlHint(s string, cls uint32) bool {
	if cls&(kAt|kDot) != kAt|kDot {
		return false
	}
	if containsFoldCls(s, cls, "@ognl.") {
		return true
	}
	i, _ := findStaticAccess(unsafe.Slice(unsafe.StringData(s), len(s)))
	return i >= 0
}

// staticAccess reports "@pkg.pkg.Class@member(" at i (two or more dots in
// the class name: an e-mail address has no second '@' and call). The '@'
// starts a token: in "anna@mail.example.org@work (home)" it ends a name.
func staticAccess(b []byte, i int) (int, bool) {
	if i > 0 && (isIdent(b[i-1]) || b[i-1] == '.' || b[i-1] == '$') {
		return 0, false
	}
	k, dots := i+1, 0
	for k < len(b) && (isIdent(b[k]) || b[k] == '.' || b[k] == '$') {
		if b[k] == '.' {
			dots++
		}
		k++
	}
	if dots < 2 || k >= len(b) || b[k] != '@' || b[k-1] == '.' {
		return 0, false
	}
	m := identEnd(b, k+1)
	if m == k+1 {
		return 0, false
	}
	if p := skipSpaces(b, m); p < len(b) && (b[p] == '(' || b[p] == ')' || b[p] == '.') || m == len(b) {
		return m, true
	}
	return 0, false
}

// classLoaderPath finds a property path that reaches a class loader from
// "class": class.module.classLoader, class.classLoader,
// class['module']['classLoader'], class[module][classLoader].
func classLoaderPath(b []byte) hit {
	for i := indexFrom(b, "classloader", 0); i >= 0; i = indexFrom(b, "classloader", i+11) {
		if e := i + 11; e < len(b) && isIdent(b[e]) {
			continue
		}
		p := pathWordBefore(b, i)
		if p < 0 {
			continue
		}
		if hasWordEnding(b, p, "module") {
			p = pathWordBefore(b, p-len("module")+1)
			if p < 0 {
				continue
			}
		}
		if hasWordEnding(b, p, "class") {
			s := p - len("class") + 1
			return hit{rule: "proto.class_loader", frag: around(b, s, i+40)}
		}
	}
	return hit{}
}

// pathWordBefore returns the index of the last byte of the word before
// the property-path separators that precede i ('.', "['", "']", '[', ']'),
// or -1 when there is none.
func pathWordBefore(b []byte, i int) int {
	k := i - 1
	n := 0
	for k >= 0 && n < 5 && (b[k] == '.' || b[k] == '[' || b[k] == ']' || b[k] == '\'' || b[k] == '"') {
		k--
		n++
	}
	if n == 0 || k < 0 || !isIdent(b[k]) {
		return -1
	}
	return k
}

// hasWordEnding reports the whole word w ending at b[p].
func hasWordEnding(b []byte, p int, w string) bool {
	s := p - len(w) + 1
	return s >= 0 && string(b[s:p+1]) == w && (s == 0 || !isIdent(b[s-1]))
}

// javaGadgetClasses are fully qualified Java classes (or packages, with a
// final '.') that deserialisation gadget chains and expression payloads
// name to run code or load classes (CRS java-classes).
var javaGadgetClasses = [...]string{"java.lang.runtime", "java.lang.processbuilder", "java.lang.processimpl", "java.lang.reflect.",
	"java.net.urlclassloader", "java.rmi.server.", "javax.script.scriptenginemanager", "javax.naming.initialcontext",
	"javax.management.", "org.apache.commons.collections.functors.", "org.apache.commons.collections4.functors.",
	"org.apache.commons.beanutils.beancomparator", "com.sun.org.apache.xalan.internal.xsltc.trax.", "com.sun.rowset.jdbcrowsetimpl",
	"com.sun.jndi.", "org.springframework.context.support.classpathxmlapplicationcontext",
	"org.springframework.context.support.filesystemxmlapplicationcontext", "com.opensymphony.xwork2.", "org.codehaus.groovy.runtime.",
	"jdk.nashorn.", "bsh.interpreter", "org.mozilla.javascript.", "ch.qos.logback.core.db.", "org.apache.xbean.naming.",
	"java.beans.xmldecoder", "org.apache.xalan.xsltc.trax.", "java.lang.unixprocess"}

// javaGadgetsByRoot are javaGadgetClasses by their first name (a class
// can match only where its root and dot are): a storm of "java." is not
// compared with the org. and com. names.
var javaGadgetsByRoot = func() map[string][]string {
	m := map[string][]string{}
	for _, c := range javaGadgetClasses {
		root, _, _ := strings.Cut(c, ".")
		m[root] = append(m[root], c)
	}
	return m
}()

// javaClassRoots are the first names of javaGadgetClasses.
func javaClassRoot(w string) bool {
	switch len(w) {
	case 2:
		return w[0]|0x20 == 'c' && w[1]|0x20 == 'h'
	case 3:
		l := string([]byte{w[0] | 0x20, w[1] | 0x20, w[2] | 0x20})
		return l == "org" || l == "com" || l == "jdk" || l == "bsh"
	case 4:
		return string([]byte{w[0] | 0x20, w[1] | 0x20, w[2] | 0x20, w[3] | 0x20}) == "java"
	case 5:
		return string([]byte{w[0] | 0x20, w[1] | 0x20, w[2] | 0x20, w[3] | 0x20, w[4] | 0x20}) == "javax"
	}
	return false
}

// javaClassHint reports a '.' after a word that starts a gadget class
// name (java., javax., org., com., jdk., bsh., ch.): the pre-filter's
// test for javaGadgetClass, one look at the word before each dot.
func javaClassHint(s string) bool {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return false
	}
	// one pass from the first dot: a run of dots ("../../", "...") costs
	// no call per dot; past three bytes without one IndexByte finds the
	// next
	for gap := 0; i < len(s); i++ {
		if s[i] != '.' {
			if gap++; gap == 3 {
				d := strings.IndexByte(s[i:], '.')
				if d < 0 {
					return false
				}
				i += d - 1
				gap = 0
			}
			continue
		}
		gap = 0
		k := i
		for k > 0 && i-k < 6 && isLetter(s[k-1]|0x20) {
			k--
		}
		if k < i && (k == 0 || !isIdent(s[k-1])) && javaClassRoot(s[k:i]) {
			return true
		}
		for i+1 < len(s) && s[i+1] == '.' {
			i++ // a dot after a dot has no word before it
		}
	}
	return false
}

// javaGadgetClass finds a gadget class name as a whole name.
func javaGadgetClass(b []byte) hit {
	for i := indexByte(b, '.'); i >= 0; {
		k := i
		for k > 0 && i-k < 6 && isLetter(b[k-1]) {
			k--
		}
		if k < i && (k == 0 || !isIdent(b[k-1])) && javaClassRoot(bufString(b[k:i])) {
			r := i + 1 - k // the root and its dot: compare the byte after them first
			for _, c := range javaGadgetsByRoot[string(b[k:i])] {
				if i+1 < len(b) && c[r] == b[i+1] && hasAt(b, k, c) &&
					(c[len(c)-1] == '.' || k+len(c) == len(b) || !isIdent(b[k+len(c)])) {
					return hit{rule: "deser.java_class", frag: around(b, k, k+len(c)+16)}
				}
			}
		}
		j := indexByte(b[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return hit{}
}
