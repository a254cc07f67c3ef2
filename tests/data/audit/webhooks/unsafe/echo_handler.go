package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

func (h *Handlers) Deliveries(c echo.Context) error {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	signer := hmac.New(sha256.New, h.secret)
	signer.Write(raw)
	computedSignature := hex.EncodeToString(signer.Sum(nil))
	if computedSignature == c.Request().Header.Get("X-Delivery-Signature") {
		return h.store.Save(c.Request().Context(), raw)
	}
	return echo.NewHTTPError(http.StatusForbidden, "bad signature")
}
