package sqlguard

// keyword identifies the SQL keywords the analysis cares about; every other
// reserved word is kwOther.
type keyword uint8

const (
	kwNone keyword = iota
	kwOther
	kwOr
	kwAnd
	kwXor
	kwNot
	kwUnion
	kwSelect
	kwOrder
	kwGroup
	kwBy
	kwAsc
	kwDesc
	kwNulls
	kwFirst
	kwLast
	kwTrue
	kwFalse
	kwNull
	kwLimit
	kwOffset
	kwWhere
	kwFrom
	kwHaving
	kwInto
)

// keywords are words that change a statement's structure when an input
// brings them in. Words commonly used as column names (name, user, key,
// value, date, type, status...) are left out: as identifiers they are
// literal-like.
var keywords = map[string]keyword{
	"OR": kwOr, "AND": kwAnd, "XOR": kwXor, "NOT": kwNot, "UNION": kwUnion, "SELECT": kwSelect,
	"ORDER": kwOrder, "GROUP": kwGroup, "BY": kwBy, "ASC": kwAsc, "DESC": kwDesc, "NULLS": kwNulls,
	"FIRST": kwFirst, "LAST": kwLast, "TRUE": kwTrue, "FALSE": kwFalse, "NULL": kwNull,
	"LIMIT": kwLimit, "OFFSET": kwOffset, "WHERE": kwWhere, "FROM": kwFrom, "HAVING": kwHaving, "INTO": kwInto,

	"ALL": kwOther, "ALTER": kwOther, "ANALYZE": kwOther, "ANY": kwOther, "AS": kwOther, "ATTACH": kwOther,
	"BEGIN": kwOther, "BENCHMARK": kwOther, "BETWEEN": kwOther, "CALL": kwOther, "CASE": kwOther, "CAST": kwOther,
	"COLLATE": kwOther, "COMMIT": kwOther, "COPY": kwOther, "CREATE": kwOther, "CROSS": kwOther,
	"DATABASE": kwOther, "DECLARE": kwOther, "DELAY": kwOther, "DELETE": kwOther, "DETACH": kwOther,
	"DISTINCT": kwOther, "DIV": kwOther, "DO": kwOther, "DROP": kwOther, "DUMPFILE": kwOther, "ELSE": kwOther,
	"END": kwOther, "ESCAPE": kwOther, "EXCEPT": kwOther, "EXEC": kwOther, "EXECUTE": kwOther, "EXISTS": kwOther,
	"EXPLAIN": kwOther, "FOR": kwOther, "FULL": kwOther, "FUNCTION": kwOther, "GLOB": kwOther, "GRANT": kwOther,
	"HANDLER": kwOther, "ILIKE": kwOther, "IN": kwOther, "INNER": kwOther, "INSERT": kwOther,
	"INTERSECT": kwOther, "IS": kwOther, "ISNULL": kwOther, "JOIN": kwOther, "LEFT": kwOther, "LIKE": kwOther,
	"LOAD": kwOther, "LOCK": kwOther, "MATCH": kwOther, "MERGE": kwOther, "MINUS": kwOther, "MOD": kwOther,
	"NATURAL": kwOther, "NOTNULL": kwOther, "ON": kwOther, "OUTER": kwOther, "OUTFILE": kwOther,
	"PRAGMA": kwOther, "PREPARE": kwOther, "PROCEDURE": kwOther, "REGEXP": kwOther, "RENAME": kwOther,
	"REPLACE": kwOther, "RETURNING": kwOther, "REVOKE": kwOther, "RIGHT": kwOther, "RLIKE": kwOther,
	"ROLLBACK": kwOther, "SET": kwOther, "SHOW": kwOther, "SIMILAR": kwOther, "SOME": kwOther,
	"SOUNDS": kwOther, "TABLE": kwOther, "THEN": kwOther, "TRUNCATE": kwOther, "UPDATE": kwOther,
	"USING": kwOther, "VACUUM": kwOther, "VALUES": kwOther, "WAITFOR": kwOther, "WHEN": kwOther,
	"WITH": kwOther,
}

// lookupKeyword returns the keyword w is (ASCII case-insensitive), or kwNone.
func lookupKeyword(w string) keyword {
	if len(w) < 2 || len(w) > 9 {
		return kwNone
	}
	var buf [9]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return keywords[string(buf[:len(w)])]
}
