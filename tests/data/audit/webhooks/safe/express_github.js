const crypto = require("crypto");
const express = require("express");

const app = express();
app.use(express.raw({ type: "application/json" }));

app.post("/hooks/github", (req, res) => {
  const received = req.get("X-Hub-Signature-256") || "";
  const expected =
    "sha256=" +
    crypto.createHmac("sha256", process.env.GITHUB_WEBHOOK_SECRET).update(req.body).digest("hex");
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    return res.status(401).send("bad signature");
  }
  const event = JSON.parse(req.body.toString("utf8"));
  if (event.action === "opened") {
    console.log("new pull request", event.number);
  }
  res.sendStatus(204);
});

app.listen(3000);
