"use strict";
const crypto = require("crypto");

exports.handler = async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  const hmac = crypto.createHmac("sha256", process.env.HOOK_SECRET).update(body).digest("base64");
  if (event.headers["x-signature"] != hmac) {
    return { statusCode: 401, body: "unauthorized" };
  }
  const payload = JSON.parse(body);
  console.log("delivery", payload.id);
  return { statusCode: 200, body: "ok" };
};
