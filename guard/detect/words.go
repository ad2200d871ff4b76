package detect

// Word lists shared by the feature gates (keywordGroups, compiled into
// kwTable by go generate) and the detectors: one list per concept, so that
// a word a detector acts on is always a word that opens its gate.

// shellCommandsStrong are command names that are never prose: after a
// separator they are a command whatever follows.
var shellCommandsStrong = []string{
	"whoami", "uname", "ifconfig", "ipconfig", "netstat", "systeminfo", "tasklist", "taskkill", "nslookup",
	"ncat", "netcat", "powershell", "pwsh", "certutil", "bitsadmin", "wmic", "mshta", "rundll32", "regsvr32",
	"cscript", "wscript", "msiexec", "ls", "pwd", "xterm", "nmap", "getent", "lsof", "mkfifo", "mknod",
	"killall", "pkill", "crontab", "useradd", "usermod", "userdel", "adduser", "xxd", "hexdump", "socat",
	"ifup", "tracert", "pathping", "nbtstat", "schtasks", "icacls", "takeown", "vssadmin", "wevtutil",
	"findstr", "jrunscript", "busybox", "printenv", "systemd-run", "pkexec", "qwinsta", "quser", "net1",
	"certreq", "forfiles", "pcalua", "msbuild", "installutil", "regasm", "cacls", "php-cgi", "phpinfo", "bash",
	"zsh", "ksh", "tcsh", "wget", "uptime", "hostname", "chmod", "netsh", "sysinfo", "bcdedit", "diskpart",
	"hostnamectl", "lsblk", "lscpu", "lspci", "lsusb", "lsmod", "dmesg", "journalctl", "getfacl", "setfacl",
	"nproc", "modprobe", "insmod", "sysctl", "iptables", "tcpdump", "chattr", "lsattr", "visudo", "sestatus",
	"getenforce", "lastlog", "vmstat", "iostat", "pstree", "pgrep", "ssh-keygen", "sshpass", "mktemp", "getmac",
	"driverquery", "fsutil", "nltest", "dsquery", "klist", "cmdkey", "cmstp", "odbcconf", "esentutl",
	"extrac32", "xcopy", "robocopy", "iex", "iwr", "irm", "icm", "saps", "base32", "ssh-agent",
}

// shellCommandsWeak are command names that are English words too (or
// common file names): after a separator they need argument-shaped text.
var shellCommandsWeak = []string{
	"csh", "nc", "sh", "id", "dir", "ps", "cmd", "telnet", "chown", "chgrp", "passwd", "sudo", "base64", "curl",
	"tftp", "ftp", "ssh", "scp", "rsync", "gcc", "route", "arp", "traceroute", "sc", "reg", "net", "php",
	"perl", "python", "python2", "python3", "ruby", "node", "lua", "dash", "nohup", "setsid", "timeout",
	"sleep", "ping", "echo", "cat", "type", "del", "rm", "rmdir", "mkdir", "cp", "mv", "touch", "env", "set",
	"export", "kill", "find", "grep", "egrep", "awk", "sed", "head", "tail", "more", "less", "sort", "uniq",
	"wc", "cut", "tr", "xargs", "exec", "eval", "source", "start", "copy", "move", "ren", "ver", "vol", "who",
	"w", "last", "date", "time", "cd", "dig", "host", "whois", "openssl", "tar", "zip", "unzip", "gzip", "od",
	"strings", "file", "stat", "systemctl", "service", "mount", "umount", "dd", "shutdown", "reboot", "halt",
	"poweroff", "init", "su", "at", "call", "exit", "logout", "history", "alias", "printf", "test", "true",
	"false", "yes", "sftp", "finger", "attrib", "query", "whoami/all", "tee", "ln", "nl", "unset", "readlink",
	"realpath", "basename", "dirname", "doas", "runas", "expect", "tclsh", "wish", "lsb_release", "lynx",
	"fetch", "strace", "ltrace", "wmiprvse", "tac", "htop", "unlink", "shred", "truncate", "tmux", "calc", "gpg",
	"pypy", "pypy3", "nodejs", "deno", "mksh", "rbash", "luajit", "perl5", "osascript", "aws", "kubectl",
}

// shellGateTriggers open the command-injection gate like a strong command:
// parts of command lines (bin, usr, dev, ifs, exe) and the parts of
// command names that the feature pass splits at '-', '/' or '.'. They are
// gate words only; the detector judges them by the command lists above.
var shellGateTriggers = []string{
	"lwp", "ssi",
	"id", "nc", "sh", "dir", "ps", "ifs", "bin", "sbin", "usr", "dev", "cmd", "exe", "php", "perl", "python",
	"python2", "python3", "ruby", "node", "curl", "telnet", "gcc", "sudo", "passwd", "chown", "base64", "ssh",
	"scp", "tftp", "ftp", "rsync", "exec", "system", "echo", "systemd", "run", "cgi", "all",
	"comspec", "windir", "systemroot", "invoke", "exist", "defined", "errorlevel", "tmp", "shm", "system32",
	"syswow64", "mppreference", "executionpolicy", "ps1", "vbs", "hta", "scr", "msi",
}

// binDirs are the directories cmdi.binary_path finds a command in
// ("/opt/w", `c:\windows\system32\cmd.exe`: binDir). The name each ends
// with is in binDirWords, which opens the command-injection gate together
// with a command name and a '/' or '\' (TestBinDirWords checks the lists).
var binDirs = [...]string{"/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/",
	"/system32/", "\\system32\\", "/tmp/", "/dev/shm/", "/opt/", "/var/tmp/", "\\windows\\", "/windows/"}

// binDirWords are the last names of binDirs (gate words only).
var binDirWords = []string{"bin", "sbin", "system32", "tmp", "shm", "opt", "windows"}

// sqlCatalogWords name database catalogs, system procedures and server
// internals (information_schema, sysobjects, xp_cmdshell, pg_shadow...):
// sqli.catalog reports them and they open the SQL gate.
var sqlCatalogWords = []string{
	"information_schema", "xp_cmdshell", "xp_dirtree", "xp_regread", "xp_fileexist", "sp_oacreate",
	"sp_oamethod", "sp_makewebtask", "sp_addextendedproc", "sp_configure", "sp_password", "sp_executesql",
	"sysobjects", "syscolumns", "sysdatabases", "sysusers", "sysprocesses", "msysobjects", "msysaccessobjects",
	"msysqueries", "sqlite_master", "sqlite_temp_master", "pg_shadow", "pg_user", "pg_database", "pg_catalog",
	"pg_tables", "pg_read_file", "pg_ls_dir", "all_tables", "all_users", "all_tab_columns", "user_tables",
	"dba_users", "dba_tables", "v$version", "utl_http", "utl_inaddr", "dbms_pipe", "dbms_xmlgen", "dbms_java",
	"sys_eval", "sys_exec", "load_file", "innodb_table_stats", "schemata", "table_name", "column_name",
	"table_schema", "sysibm", "syscat",
}

// sqlSystemSchemas are the schemas that hold a database's own catalog
// (mysql.user, sys.objects, performance_schema.threads): a qualified
// reference into them is judged by catalogRef. They open the SQL gate.
var sqlSystemSchemas = []string{"mysql", "sys", "performance_schema", "msdb", "pg_catalog", "information_schema"}

// sqlStatementStarters begin a stacked statement after ';' besides the
// keyword-table SQL verbs (stackedStatement): they open the SQL gate when
// a ';' is present. So do ORDER and GROUP: a whole value "order by 3;"
// ends its clause with ';' (sqli.order_by).
var sqlStatementStarters = []string{
	"call", "use", "load", "copy", "handler", "show", "describe", "if", "iif", "grant", "begin", "set", "declare",
	"shutdown", "waitfor", "order", "group",
}

// SQL functions by what a call of them means in injected text
// (sqlFuncClass): 3 delays the query (time-based blind), 2 reveals server
// data or raises informative errors, 1 is an ordinary function used to
// build payloads. Every name, and every dotted part of one, opens the SQL
// gate together with a '('.
var sqlFuncTime = []string{
	"sleep", "benchmark", "pg_sleep", "dbms_lock.sleep", "user_lock.sleep", "sys.dbms_lock.sleep",
	"dbms_pipe.receive_message", "sys.dbms_pipe.receive_message", "randomblob", "pg_sleep_for",
}

var sqlFuncInfo = []string{
	"extractvalue", "updatexml", "group_concat", "load_file", "name_const", "concat_ws", "make_set",
	"utl_inaddr.get_host_name", "utl_inaddr.get_host_address", "utl_http.request", "ctxsys.drithsx.sn",
	"dbms_xmlgen.getxml", "xmltype", "gtid_subset", "json_keys", "exp", "polygon", "multipoint",
	"geometrycollection", "multipolygon", "multilinestring", "linestring", "procedure", "analyse",
	"sqlite_version", "db_name", "user_name", "host_name", "is_srvrolemember", "has_dbaccess",
	"fn_varbintohexstr", "current_database", "current_schema", "version", "database", "schema", "@@version",
	"system_user", "session_user", "current_user", "suser_name", "suser_sname", "openrowset", "opendatasource",
	"openquery", "xp_cmdshell", "xp_dirtree", "master.dbo.fn_varbintohexstr",
}

var sqlFuncPlain = []string{
	"char", "chr", "nchar", "concat", "ascii", "ord", "substring", "substr", "mid", "left", "right", "length",
	"len", "hex", "unhex", "conv", "cast", "convert", "user", "count", "if", "iif", "ifnull", "isnull",
	"nullif", "coalesce", "md5", "sha1", "rand", "floor", "elt", "instr", "locate", "position", "reverse",
	"lower", "upper", "trim", "char_length", "bin", "oct", "unicode", "exists", "row", "to_char", "to_number",
	"regexp_substr", "regexp_like", "str", "space", "repeat", "lpad", "rpad", "sum", "avg", "min", "max", "abs",
	"round", "ceil", "ceiling", "sign", "sqrt", "pi", "now", "sysdate", "getdate", "datalength", "uuid",
	"quote", "lcase", "ucase", "bit_length", "crc32", "encode", "decode", "to_hex", "aes_encrypt",
	"aes_decrypt", "compress", "uncompress", "soundex", "substring_index", "find_in_set", "field", "format",
	"insert", "replace", "strcmp", "cot", "sin", "cos", "tan", "log", "ln", "greatest", "least", "case",
	"pg_typeof", "typeof", "last_insert_id", "connection_id", "@@datadir", "benchmark_", "waitfor",
}

// sqlFuncNameParts are the parts of the dotted names above, as the feature
// pass splits them (gate words only).
var sqlFuncNameParts = []string{
	"dbms_lock", "user_lock", "sys", "dbms_pipe", "receive_message", "utl_inaddr", "get_host_name",
	"get_host_address", "utl_http", "request", "ctxsys", "drithsx", "sn", "dbms_xmlgen", "getxml", "master",
	"dbo", "datadir",
}

// toolGateWords are the words of the attack-tool signatures (tool.go) as
// the feature pass splits them: they open the attack-tool gate.
var toolGateWords = []string{
	"sqlmap", "nikto", "nuclei", "ffuf", "masscan", "gobuster", "feroxbuster", "dirbuster", "wfuzz", "zgrab",
	"commix", "arachni", "jaeles", "hydra", "dirsearch", "whatweb", "openvas", "skipfish", "xsstrike", "nmap",
	"fuzz", "wpscan", "acunetix", "netsparker", "w3af", "burpcollaborator", "interact", "oast", "projectdiscovery",
	"paros", "havij", "sqlninja", "xsser", "wapiti", "dirb", "uniscan", "webinspect", "appscan", "fimap", "joomscan",
	"cmsmap", "droopescan", "nessus", "grabber", "bsqlbf", "webshag", "zmeu", "morfeus",
}

// sqlOperatorWords are the SQL words that make an expression of their
// operands without any punctuation ("1 or true", "1 and 1 like 1",
// "1 div 1"), or a clause of a number ("1 order by 3"): with a digit
// they open the SQL gate.
var sqlOperatorWords = []string{
	"true", "false", "null", "unknown", "like", "rlike", "regexp", "between", "sounds", "div", "xor", "not",
	"order", "group",
}
