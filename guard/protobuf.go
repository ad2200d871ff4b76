package guard

import (
	"encoding/binary"
	"strconv"
	"strings"
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

// isGRPCType reports the media types of gRPC over HTTP (application/grpc,
// application/grpc+proto, application/grpc-web, application/grpc-web+proto)
// and of gRPC-Web's text form (application/grpc-web-text: the same frames
// in base64).
func isGRPCType(mt string) bool {
	return strings.HasPrefix(mt, "application/grpc") &&
		(len(mt) == len("application/grpc") || mt[len("application/grpc")] == '+' || mt[len("application/grpc")] == '-')
}

// isProtobufType reports the media types of a bare protobuf message.
func isProtobufType(mt string) bool {
	return mt == "application/x-protobuf" || mt == "application/protobuf" || mt == "application/vnd.google.protobuf"
}

// grpcBody inspects a gRPC body by its frames (a flag byte, a 4-byte
// big-endian length, the message): each message is walked as protobuf,
// one that is not protobuf is sniffed as the text or document it is, a
// compressed one is gunzipped first, and a gRPC-Web trailer frame (flag
// 0x80) is text. It reports false, having inspected nothing, when body is
// not a sequence of whole frames: the caller then judges it as before.
func (s *scanner) grpcBody(loc string, body []byte, mt string) bool {
	if strings.HasPrefix(mt, "application/grpc-web-text") {
		dec, ok := decodeBase64(bytesToString(body))
		if !ok {
			return false
		}
		body = dec
	}
	for b := body; len(b) > 0; {
		if len(b) < 5 || b[0]&^0x81 != 0 {
			return false
		}
		n := binary.BigEndian.Uint32(b[1:5])
		if uint64(n) > uint64(len(b)-5) {
			return false
		}
		b = b[5+n:]
	}
	l := loc + "<grpc>"
	for b := body; len(b) > 0; {
		flag, n := b[0], binary.BigEndian.Uint32(b[1:5])
		msg := b[5 : 5+n]
		b = b[5+n:]
		switch {
		case len(msg) == 0:
		case flag&0x80 != 0: // gRPC-Web trailers: header lines
			s.text(l, msg, inValue)
		case flag&1 != 0:
			if isGzip(msg) && s.nest < maxNest {
				s.gzipPayload(l, msg)
			}
		case protoCheck(msg, 0) == nil:
			s.protoWalk(l, msg, 0)
		default:
			s.sniff(l, msg)
		}
	}
	return true
}
