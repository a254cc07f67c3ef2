package relay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"io"
)

func checkSignature(r *http.Request, secret string) (bool, []byte) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return false, nil
	}
	hash := hmac.New(sha256.New, []byte(secret))
	hash.Write(body)
	sum := hex.EncodeToString(hash.Sum(nil))
	return string(sum) == r.Header.Get("X-Relay-Signature"), body
}
