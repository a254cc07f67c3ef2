package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
)

var errSignature = errors.New("webhook: signature mismatch")

// Verify reads the request body and checks the X-Signature header against it.
func Verify(r *http.Request, key []byte) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha1.New, key)
	m.Write(body)
	want := hex.EncodeToString(m.Sum(nil))
	got := r.Header.Get("X-Signature")
	if len(got) != len(want) || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return nil, errSignature
	}
	return body, nil
}
