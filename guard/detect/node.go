package detect

// Node.js code injection (the CRS 934 family) beyond child_process and
// process.binding, which codeExec knows: the process object's dangerous
// members (process.mainModule, process.env read whole or by name,
// process.kill/exit/dlopen, global.process, globalThis.process), a
// require of a system module used at once (require('fs').readFileSync),
// the vm module's run-in-context calls, module.constructor._load, and
// the synchronous fs calls with a literal path.

var nodeModules = [...]string{"child_process", "fs", "net", "vm", "os", "dgram", "cluster", "worker_threads", "module", "v8", "inspector", "http", "https", "process"}

func nodeInjection(b []byte) hit {
	for i := indexFrom(b, "process", 0); i >= 0; i = indexFrom(b, "process", i+7) {
		if i > 0 && (isIdent(b[i-1]) || b[i-1] == '$') {
			continue
		}
		e := i + 7
		if e >= len(b) || b[e] != '.' && b[e] != '[' {
			continue
		}
		m := e + 1
		if b[e] == '[' && m < len(b) && (b[m] == '\'' || b[m] == '"' || b[m] == '`') {
			m++
		}
		me := identEnd(b, m)
		after := skipSpaces(b, me)
		call := after < len(b) && b[after] == '('
		switch string(b[m:me]) {
		case "mainmodule", "_linkedbinding", "getbuiltinmodule", "openstdin", "dlopen", "binding", "_getactivehandles", "reallyexit":
			return hit{rule: "cmdi.code_exec", frag: around(b, i, me+24)}
		case "kill", "exit", "abort", "chdir", "setuid", "setgid":
			if call {
				return hit{rule: "cmdi.code_exec", frag: around(b, i, me+24)}
			}
		case "env":
			// the environment read whole or by name: the function's secrets
			if after >= len(b) || b[after] == '.' || b[after] == '[' || b[after] == ')' || b[after] == ',' || b[after] == ';' {
				if i > 0 && (b[i-1] == '.' && !hasWordEnding(b, i-2, "global") && !hasWordEnding(b, i-2, "globalthis")) {
					continue // a member of another object (req.process.env)
				}
				return hit{rule: "cmdi.code_exec", frag: around(b, i, me+24)}
			}
		}
	}
	for i := indexFrom(b, "require", 0); i >= 0; i = indexFrom(b, "require", i+7) {
		if i > 0 && isIdent(b[i-1]) {
			continue
		}
		k := skipSpaces(b, i+7)
		if k >= len(b) || b[k] != '(' {
			continue
		}
		k = skipSpaces(b, k+1)
		if k >= len(b) || b[k] != '\'' && b[k] != '"' && b[k] != '`' {
			continue
		}
		q := b[k]
		s := k + 1
		if hasAt(b, s, "node:") {
			s += 5
		}
		e := s
		for e < len(b) && (isIdent(b[e])) {
			e++
		}
		if e >= len(b) || b[e] != q {
			continue
		}
		mod := b[s:e]
		for _, m := range nodeModules {
			if string(mod) == m {
				c := skipSpaces(b, e+1)
				if c < len(b) && b[c] == ')' {
					if d := skipSpaces(b, c+1); d < len(b) && (b[d] == '.' || b[d] == '[') {
						return hit{rule: "cmdi.code_exec", frag: around(b, i, d+24)}
					}
				}
			}
		}
	}
	for _, f := range [...]string{"runinnewcontext(", "runinthiscontext(", "runincontext(", "compilefunction(", "constructor._load(",
		"readfilesync(", "writefilesync(", "readdirsync(", "appendfilesync(", "unlinksync(", "rmsync(", "createreadstream("} {
		for i := indexFrom(b, f, 0); i >= 0; i = indexFrom(b, f, i+len(f)) {
			if i == 0 || b[i-1] != '.' {
				continue // a method: vm.runInNewContext(, fs.readFileSync(, module.constructor._load(
			}
			if a := skipSpaces(b, i+len(f)); a < len(b) && (b[a] == '\'' || b[a] == '"' || b[a] == '`' || f == "constructor._load(") {
				return hit{rule: "cmdi.code_exec", frag: around(b, i, i+len(f)+24)}
			}
		}
	}
	return hit{}
}
