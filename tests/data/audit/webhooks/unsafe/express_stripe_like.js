const crypto = require("crypto");
const express = require("express");
const router = express.Router();

router.post("/webhooks/payments", express.raw({ type: "*/*" }), (req, res) => {
  const header = req.headers["x-payments-signature"];
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=")));
  const signedPayload = `${parts.t}.${req.body}`;
  const expectedSig = crypto
    .createHmac("sha256", process.env.PAYMENTS_WEBHOOK_SECRET)
    .update(signedPayload)
    .digest("hex");
  if (expectedSig !== parts.v1) {
    return res.status(400).send("Webhook Error: signature");
  }
  handleEvent(JSON.parse(req.body));
  res.json({ received: true });
});

function handleEvent(event) {
  if (event.type === "invoice.paid") {
    console.log("paid", event.data.object.id);
  }
}

module.exports = router;
