package billing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
)

func (s *Server) handleBillingEvent(w http.ResponseWriter, r *http.Request) {
	sigHeader := r.Header.Get("Billing-Signature")
	if sigHeader == "" {
		http.Error(w, "missing signature", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	received, err := hex.DecodeString(sigHeader)
	mac := hmac.New(sha256.New, s.billingSecret)
	mac.Write(body)
	if err != nil || !hmac.Equal(received, mac.Sum(nil)) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	s.events <- body
	w.WriteHeader(http.StatusAccepted)
}
