package guardlambda

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"strconv"
)

// maxGzipRatio bounds decompressed/compressed size: a CloudWatch Logs batch
// compresses about 10:1; a bomb, 1000:1.
const maxGzipRatio = 200

// gunzipBounded decompresses a gzip payload of the event, at most limit
// bytes and maxGzipRatio times its compressed size (413 beyond either).
// It reads in one pass into a buffer grown as data arrives, so memory is at
// most twice the decoded size.
//
// TODO(inputs): switch to the engine's guard.Field encoding decoder
// (EncodingGzipBase64) once it has landed, to keep one decoder.
//
// A zlib stream (RFC 1950, first byte 0x78) is decompressed too: Powertools'
// own CloudWatch Logs fixtures carry one, and its decoders accept both.
func gunzipBounded(loc string, z []byte, limit int64) ([]byte, *rejection) {
	var zr io.Reader
	var err error
	if len(z) > 1 && z[0] == 0x78 && (uint16(z[0])<<8|uint16(z[1]))%31 == 0 {
		zr, err = zlib.NewReader(bytes.NewReader(z))
	} else {
		zr, err = gzip.NewReader(bytes.NewReader(z))
	}
	if err != nil {
		return nil, &rejection{status: 400, rule: "validation.invalid_encoding", loc: loc,
			reason: loc + ": not valid gzip: " + err.Error()}
	}
	capBytes := int64(len(z)) * maxGzipRatio
	if limit > 0 && limit < capBytes {
		capBytes = limit
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(zr, capBytes+1))
	if err != nil {
		return nil, &rejection{status: 400, rule: "validation.invalid_encoding", loc: loc,
			reason: loc + ": not valid gzip: " + err.Error()}
	}
	if n > capBytes {
		return nil, &rejection{status: 413, rule: "validation.decoded_too_large", loc: loc,
			reason: loc + ": decompressed data is over " + strconv.FormatInt(capBytes, 10) +
				" bytes (FNGUARD_MAX_BODY_BYTES, or " + strconv.Itoa(maxGzipRatio) + " times its compressed size)"}
	}
	return buf.Bytes(), nil
}
