// Verifies the signature in constant time, then drops redeliveries by the
// hash of their body.
const crypto = require("crypto");

let lastDeliveryDigest = "";

module.exports = function deliveries(req, res) {
  const raw = req.rawBody;
  const signature = Buffer.from(req.get("X-Signature") || "", "hex");
  const mac = crypto.createHmac("sha256", process.env.DELIVERY_SECRET).update(raw).digest();
  if (signature.length !== mac.length || !crypto.timingSafeEqual(signature, mac)) {
    return res.sendStatus(401);
  }
  const digest = crypto.createHash("sha256").update(raw).digest("hex");
  if (digest === lastDeliveryDigest) {
    return res.sendStatus(200);
  }
  lastDeliveryDigest = digest;
  res.sendStatus(202);
};
