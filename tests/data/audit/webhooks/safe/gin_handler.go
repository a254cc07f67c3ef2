package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

type WebhookAPI struct {
	Secret []byte
}

func (a *WebhookAPI) Receive(c *gin.Context) {
	payload, err := io.ReadAll(c.Request.Body)
	if err != nil || len(payload) == 0 {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	h := hmac.New(sha256.New, a.Secret)
	h.Write(payload)
	expected := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if !hmac.Equal([]byte(expected), []byte(c.GetHeader("X-Signature"))) {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "accepted"})
}
