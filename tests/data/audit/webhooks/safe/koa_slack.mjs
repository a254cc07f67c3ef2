import crypto from "node:crypto";
import Koa from "koa";
import rawBody from "raw-body";

const app = new Koa();

app.use(async (ctx) => {
  const body = await rawBody(ctx.req, { encoding: "utf8" });
  const timestamp = ctx.get("X-Slack-Request-Timestamp");
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
    ctx.throw(400, "stale request");
  }
  const base = `v0:${timestamp}:${body}`;
  const mine = "v0=" + crypto.createHmac("sha256", process.env.SLACK_SIGNING_SECRET).update(base).digest("hex");
  const theirs = ctx.get("X-Slack-Signature");
  const ok = theirs.length === mine.length && crypto.timingSafeEqual(Buffer.from(theirs), Buffer.from(mine));
  if (!ok) {
    ctx.throw(401, "signature mismatch");
  }
  ctx.body = { challenge: JSON.parse(body).challenge };
});

app.listen(8080);
