package guard

import (
	"encoding/binary"
	"strconv"
)

// protobuf walks a protobuf message in wire format without its schema:
// every length-delimited field that is printable UTF-8 text is inspected
// as a string, one that parses as a message is walked (to maxNest levels),
// and anything else (numbers, bytes) carries no text. Locations are the
// field numbers: loc<protobuf>.1.2. It returns errNotProto when b is not a
// well-formed message.
func (s *scanner) protobuf(loc string, b []byte, depth int) error {
	if err := protoCheck(b, depth); err != nil {
		return err
	}
	s.protoWalk(loc, b, depth)
	return nil
}

// protoCheck validates b as a message, nested messages not included.
func protoCheck(b []byte, depth int) error {
	if depth > maxNest*2 {
		return errNotProto
	}
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 || tag>>3 == 0 || tag>>3 > 1<<29-1 {
			return errNotProto
		}
		b = b[n:]
		switch tag & 7 {
		case 0:
			_, n := binary.Uvarint(b)
			if n <= 0 {
				return errNotProto
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errNotProto
			}
			b = b[8:]
		case 5:
			if len(b) < 4 {
				return errNotProto
			}
			b = b[4:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errNotProto
			}
			b = b[n+int(l):]
		default: // groups (3, 4) are deprecated; 6, 7 do not exist
			return errNotProto
		}
	}
	return nil
}

func (s *scanner) protoWalk(loc string, b []byte, depth int) {
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		b = b[n:]
		switch tag & 7 {
		case 0:
			_, n := binary.Uvarint(b)
			b = b[n:]
		case 1:
			b = b[8:]
		case 5:
			b = b[4:]
		case 2:
			l, n := binary.Uvarint(b)
			v := b[n : n+int(l)]
			b = b[n+int(l):]
			if len(v) == 0 {
				continue
			}
			fl := loc + "." + strconv.FormatUint(tag>>3, 10)
			switch {
			case printableText(v):
				s.str(bytesToString(v), inValue, fl, "", false)
			case depth < maxNest*2 && protoCheck(v, depth+1) == nil:
				s.protoWalk(fl, v, depth+1)
			}
		}
	}
}
